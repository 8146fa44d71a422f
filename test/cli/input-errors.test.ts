import { describe, expect, it } from 'vitest';
import { formatInputProblem, INPUT_CODES, readProblem } from '../../src/cli/input-errors.js';

const errno = (code: string) => Object.assign(new Error(`${code}: at /abs/path`), { code });

describe('input errors', () => {
  it('maps read failures to codes, with the path as typed and no raw Node message', () => {
    expect(readProblem('a.claimmap', errno('ENOENT'))).toEqual({
      code: 'input/not-found',
      arg: 'a.claimmap',
      message: 'no such file or directory',
    });
    expect(readProblem('a/b', errno('ENOTDIR')).code).toBe('input/not-found');
    expect(readProblem('maps', errno('EISDIR'))).toMatchObject({
      code: 'input/unreadable',
      message: 'it is a directory',
    });
    expect(readProblem('x', errno('EACCES'))).toMatchObject({ code: 'input/unreadable', message: 'permission denied' });
    expect(readProblem('x', errno('EIO')).message).toBe('cannot be read (EIO)');
  });
  it('formats as error <code>: <path>: <message>, with the hint apart', () => {
    expect(formatInputProblem({ code: 'input/not-found', arg: 'x', message: 'no such file or directory' })).toBe(
      'error input/not-found: x: no such file or directory\n',
    );
    expect(formatInputProblem({ code: 'input/no-match', arg: '*.c', message: 'm', hint: 'h' })).toBe(
      'error input/no-match: *.c: m\n  hint: h\n',
    );
  });
  it('declares each code once, phase/kebab-case', () => {
    const codes = INPUT_CODES.map((c) => c.code);
    expect(new Set(codes).size).toBe(codes.length);
    for (const c of codes) expect(c).toMatch(/^input\/[a-z]+(-[a-z]+)*$/);
  });
});
