import { describe, expect, it } from 'vitest';
import { formatDiff } from '../../src/cli/format-diff.js';

describe('formatDiff', async () => {
  const before = 'mapping "m" {\n idp oidc "https://x"\n   key sub\n}\n';
  const after = 'mapping "m" {\n  idp oidc "https://x"\n  key sub\n}\n';
  it('is a unified diff with patch -p0 headers', async () => {
    expect(await formatDiff('maps/m.claimmap', before, after, false)).toBe(
      [
        '--- maps/m.claimmap\tcurrent',
        '+++ maps/m.claimmap\tformatted',
        '@@ -1,4 +1,4 @@',
        ' mapping "m" {',
        '- idp oidc "https://x"',
        '-   key sub',
        '+  idp oidc "https://x"',
        '+  key sub',
        ' }',
        '',
      ].join('\n'),
    );
  });
  it('is coloured only when asked', async () => {
    expect(await formatDiff('m', before, after, false)).not.toContain('\x1b[');
    const c = await formatDiff('m', before, after, true);
    expect(c).toContain('\x1b[31m- idp oidc "https://x"\x1b[0m');
    expect(c).toContain('\x1b[32m+  key sub\x1b[0m');
    expect(c).toContain('\x1b[36m@@ -1,4 +1,4 @@\x1b[0m');
  });
});
