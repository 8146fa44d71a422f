import { describe, expect, it } from 'vitest';
import { colorEnabled, resolveColor, takeColorFlags } from '../../src/cli/color.js';
import { stdinOf } from './fake-io.js';

describe('resolveColor: --color/--no-color > FORCE_COLOR > NO_COLOR > isTTY', () => {
  const cases: [boolean | undefined, Record<string, string>, boolean, boolean][] = [
    [undefined, {}, true, true],
    [undefined, {}, false, false],
    [undefined, { NO_COLOR: '1' }, true, false],
    [undefined, { NO_COLOR: '' }, true, true], // set but empty: ignored (no-color.org)
    [undefined, { FORCE_COLOR: '1' }, false, true],
    [undefined, { FORCE_COLOR: '1', NO_COLOR: '1' }, false, true],
    [undefined, { FORCE_COLOR: '0' }, true, false],
    [undefined, { FORCE_COLOR: 'false' }, true, false],
    [undefined, { FORCE_COLOR: '' }, true, true],
    [true, { NO_COLOR: '1', FORCE_COLOR: '0' }, false, true],
    [false, { FORCE_COLOR: '1' }, true, false],
  ];
  it.each(cases)('flag %s, env %j, tty %s → %s', (flag, env, tty, want) => {
    expect(resolveColor(flag, env, tty)).toBe(want);
  });

  it('colorEnabled uses io.color when main decided, the same rules otherwise', () => {
    const io = { stdout() {}, stderr() {}, cwd: '.', env: { NO_COLOR: '1' }, isTTY: true, stdin: stdinOf() };
    expect(colorEnabled(io)).toBe(false);
    expect(colorEnabled({ ...io, color: true })).toBe(true);
  });
});

describe('takeColorFlags', () => {
  it('removes the flags anywhere before --; the last wins', () => {
    expect(takeColorFlags(['--no-color', 'lint', 'a', '--color'])).toEqual({ argv: ['lint', 'a'], flag: true });
    expect(takeColorFlags(['lint', '--no-color'])).toEqual({ argv: ['lint'], flag: false });
    expect(takeColorFlags(['lint', '--', '--color'])).toEqual({ argv: ['lint', '--', '--color'], flag: undefined });
  });
});
