import { defined } from './invariant.js';
/**
 * The entitlement template grammar shared by the linter (`entitlement/*` rules) and the compiler: literal text with
 * `{n}` / `{name}` capture-group references, `{{` and `}}` for literal braces. Pure: imports nothing.
 */

/** Splits an entitlement into literal parts and `{n}` / `{name}` references; null when braces are unbalanced. */
export function parseTemplate(text: string): { parts: (string | { group: number | string; offset: number })[] } | null {
  const parts: (string | { group: number | string; offset: number })[] = [];
  let lit = '';
  for (let i = 0; i < text.length; i++) {
    const ch = defined(text[i]);
    if (ch === '{' && text[i + 1] === '{') {
      lit += '{';
      i++;
      continue;
    }
    if (ch === '}' && text[i + 1] === '}') {
      lit += '}';
      i++;
      continue;
    }
    if (ch === '}') return null;
    if (ch !== '{') {
      lit += ch;
      continue;
    }
    const close = text.indexOf('}', i);
    if (close < 0) return null;
    const ref = text.slice(i + 1, close);
    if (!/^(?:[0-9]+|[A-Za-z_][A-Za-z0-9_]*)$/.test(ref)) return null;
    if (lit) parts.push(lit);
    lit = '';
    parts.push({ group: /^[0-9]+$/.test(ref) ? Number(ref) : ref, offset: i });
    i = close;
  }
  if (lit) parts.push(lit);
  return { parts };
}
