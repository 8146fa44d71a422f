import type { Position, Range } from './diagnostic.js';
import { defined } from '../model/invariant.js';

/**
 * Maps UTF-16 offsets to 1-based line/column positions. Lines end at `\n`, `\r\n` or a lone `\r`.
 * Offsets are stored everywhere; line and column are derived once, at the edge (as yaml's LineCounter does).
 */
export class LineCounter {
  /** Offsets at which each line starts; `lineStarts[0]` is 0. */
  readonly lineStarts: number[] = [0];
  readonly length: number;

  constructor(text: string) {
    this.length = text.length;
    // Without a \r (nearly every file), line starts are found by indexOf's native scan, not a loop per character.
    if (!text.includes('\r')) {
      for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) this.lineStarts.push(i + 1);
      return;
    }
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 10) this.lineStarts.push(i + 1);
      else if (c === 13) {
        if (text.charCodeAt(i + 1) === 10) i++;
        this.lineStarts.push(i + 1);
      }
    }
  }

  /** The position of `offset`, clamped into `[0, length]`. */
  position(offset: number): Position {
    const o = Math.max(0, Math.min(Number.isFinite(offset) ? Math.floor(offset) : 0, this.length));
    let lo = 0;
    let hi = this.lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (defined(this.lineStarts[mid]) <= o) lo = mid;
      else hi = mid - 1;
    }
    return { offset: o, line: lo + 1, column: o - defined(this.lineStarts[lo]) + 1 };
  }

  /** The range `[start, end)`; `end` is never before `start`. */
  range(start: number, end: number): Range {
    const s = this.position(start);
    const e = this.position(Math.max(start, end));
    return { start: s, end: e };
  }

  /** The text of the 1-based line `line`, without its line terminator. */
  lineText(text: string, line: number): string {
    const start = this.lineStarts[line - 1];
    if (start === undefined) return '';
    const next = this.lineStarts[line];
    let end = next === undefined ? text.length : next;
    while (end > start && (text.charCodeAt(end - 1) === 10 || text.charCodeAt(end - 1) === 13)) end--;
    return text.slice(start, end);
  }
}
