import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/cli/command.js';
import { readStdinText, STDIN_MAX_BYTES, wantsStdin } from '../../src/cli/stdin.js';

describe('readStdinText', () => {
  it('joins the chunks', async () => {
    const chunks = (async function* () {
      yield Buffer.from('mapping ');
      yield Buffer.from('"m" {}');
    })();
    expect((await readStdinText(chunks)).toString()).toBe('mapping "m" {}');
  });
  it('stops reading at STDIN_MAX_BYTES', async () => {
    let pulled = 0;
    const chunk = Buffer.alloc(1024 * 1024, 0x20);
    const endless = (async function* () {
      for (;;) {
        pulled++;
        yield chunk;
      }
    })();
    expect((await readStdinText(endless)).length).toBe(STDIN_MAX_BYTES);
    expect(pulled).toBe(Math.ceil(STDIN_MAX_BYTES / chunk.length));
  });
});

describe('wantsStdin', () => {
  it('is true for - alone, and refuses - with paths or --stdin-filename without -', () => {
    expect(wantsStdin(['-'], undefined)).toBe(true);
    expect(wantsStdin(['-'], 'a.claimmap')).toBe(true);
    expect(wantsStdin(['a.claimmap'], undefined)).toBe(false);
    expect(() => wantsStdin(['-', 'a.claimmap'], undefined)).toThrow(UsageError);
    expect(() => wantsStdin(['a.claimmap'], 'b.claimmap')).toThrow(/--stdin-filename needs -/);
    expect(() => wantsStdin(['-'], '')).toThrow(UsageError);
  });
});
