/**
 * LineCounter: offsets to 1-based line and column, lines ending at \n, \r\n or a lone \r; the same with or without
 * a \r in the text (the constructor takes a shortcut when there is none).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LineCounter } from '../../src/diagnostics/line-counter.js';

/** Line and column of every offset, one character at a time (the definition). */
function reference(text: string): { line: number; column: number }[] {
  const out: { line: number; column: number }[] = [];
  let line = 1;
  let column = 1;
  for (let i = 0; i <= text.length; i++) {
    out.push({ line, column });
    const c = text[i];
    if (c === '\n' || (c === '\r' && text[i + 1] !== '\n')) {
      line++;
      column = 1;
    } else column++;
  }
  return out;
}

describe('LineCounter', () => {
  it('gives every offset the line and column of the definition, with and without \\r', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom('a', 'é', '\n', '\r', '\r\n', '😀'), { maxLength: 40 }), (parts) => {
        const text = parts.join('');
        const lines = new LineCounter(text);
        const want = reference(text);
        for (let o = 0; o <= text.length; o++) {
          const p = lines.position(o);
          expect({ line: p.line, column: p.column }, JSON.stringify({ text, o })).toEqual(want[o]);
        }
      }),
      { numRuns: 400 },
    );
  });

  it('reads the text of a line without its terminator', () => {
    const lines = new LineCounter('one\ntwo\r\nthree\rfour');
    const text = 'one\ntwo\r\nthree\rfour';
    expect([1, 2, 3, 4, 5].map((n) => lines.lineText(text, n))).toEqual(['one', 'two', 'three', 'four', '']);
    expect(new LineCounter('a\nb\n').position(4)).toEqual({ offset: 4, line: 3, column: 1 });
  });
});
