/** Offsets to 1-based line and column, computed only when an error is raised. */
import type { ErrorPosition } from '../errors.js';

/**
 * The position of `offset` in `text`: the offset itself plus 1-based line and column (in UTF-16 code units).
 *
 * @example
 * ```ts
 * positionAt('a\nbc', 3); // { offset: 3, line: 2, column: 2 }
 * ```
 */
export function positionAt(text: string, offset: number): ErrorPosition {
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { offset, line, column: offset - lineStart + 1 };
}
