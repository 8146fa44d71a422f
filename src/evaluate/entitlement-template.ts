/**
 * Entitlement templates (`grant "repo:{team}:write" for each groups matching /^gh-(?<team>[a-z-]+)$/`): rendering
 * from regex captures, and the "shape" of a template used when a templated deny cannot be evaluated (its `for each`
 * claim is absent or malformed): it then removes every granted entitlement of that shape (fail closed).
 */
import type { TemplatePart } from '../model/plan.js';
import type { RegexCaptures } from '../regex/matcher.js';
import { defined } from '../model/invariant.js';

/**
 * Renders a template from one match, or returns undefined when a referenced capture is missing, undefined or empty
 * (that value then yields no entitlement).
 *
 * @example
 * ```ts
 * renderTemplate(['team:', { group: 1 }], { groups: ['gh-eng', 'eng'], named: {} }) // 'team:eng'
 * ```
 */
export function renderTemplate(parts: readonly TemplatePart[], m: RegexCaptures): string | undefined {
  let out = '';
  for (const p of parts) {
    if (typeof p === 'string') {
      out += p;
      continue;
    }
    const g = p.group;
    const cap = typeof g === 'number' ? m.groups[g] : Object.hasOwn(m.named, g) ? m.named[g] : undefined;
    if (cap === undefined || cap === '') return undefined;
    out += cap;
  }
  return out;
}

/**
 * Compiles a predicate "could this template have produced `s`?": literal parts must match exactly, each capture
 * stands for one or more characters. Linear-time (greedy leftmost matching of the literal parts, no regex).
 *
 * @example
 * ```ts
 * templateShape(['repo:', { group: 1 }, ':admin'])('repo:web:admin') // true
 * ```
 */
export function templateShape(parts: readonly TemplatePart[]): (s: string) => boolean {
  // segs[0] is the prefix; segs[j] (j >= 1) follows a run of mins[j - 1] captures.
  const segs: string[] = [''];
  const mins: number[] = [];
  let pendingCaptures = 0;
  for (const p of parts) {
    if (typeof p === 'string') {
      if (pendingCaptures > 0) {
        mins.push(pendingCaptures);
        segs.push(p);
        pendingCaptures = 0;
      } else {
        segs[segs.length - 1] += p;
      }
    } else {
      pendingCaptures++;
    }
  }
  if (pendingCaptures > 0) {
    mins.push(pendingCaptures);
    segs.push('');
  }
  if (mins.length === 0) {
    const only = defined(segs[0]);
    return (s) => s === only;
  }
  const prefix = defined(segs[0]);
  const suffix = defined(segs[segs.length - 1]);
  return (s) => {
    if (!s.startsWith(prefix) || !s.endsWith(suffix)) return false;
    const end = s.length - suffix.length;
    let pos = prefix.length;
    for (let j = 1; j < segs.length - 1; j++) {
      const seg = defined(segs[j]);
      const idx = s.indexOf(seg, pos + defined(mins[j - 1]));
      if (idx < 0 || idx + seg.length > end) return false;
      pos = idx + seg.length;
    }
    return end - pos >= defined(mins[mins.length - 1]);
  };
}
