/**
 * Readable text for changes, safe to print: one line per change (`+ role admin (roles[1])`, `~ email a@x → b@x`,
 * `+ department = R&D`, `- entitlement repo:write (entitlements[0])`), what an app can write to its own logs.
 * The CLI's account and audit reports build on these (src/cli/format.ts).
 */
import type { JsonValue } from '../model/claim-set.js';
import type { Change } from './types.js';

const MAX_VALUE = 80;

// \p{Cc} is U+0000-U+001F and U+007F-U+009F (C0, DEL and C1 controls).
const UNSAFE_FOR_TERMINALS = /[\p{Cc}\u2028\u2029\u202a-\u202e\u2066-\u2069]/gu;

/**
 * Text from untrusted claims or stores made safe to print: control, line-separator and bidi characters are written
 * as `\uXXXX`, so that they cannot rewrite the terminal or reorder what it shows.
 *
 * @example
 * ```ts
 * terminalSafe('jane\u001b[2J') // 'jane\\u001b[2J'
 * ```
 */
export function terminalSafe(text: string): string {
  return text.replace(UNSAFE_FOR_TERMINALS, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * A claim or profile value as one printable, {@link terminalSafe} line, cut at 80 characters.
 *
 * @example
 * ```ts
 * showValue(['a', 'b']) // '["a","b"]'
 * showValue(undefined) // '(none)'
 * ```
 */
export function showValue(v: JsonValue | undefined): string {
  if (v === undefined) return '(none)';
  const safe = terminalSafe(typeof v === 'string' ? v : JSON.stringify(v));
  return safe.length > MAX_VALUE ? `${safe.slice(0, MAX_VALUE - 1)}…` : safe;
}

/**
 * One change as a line of text.
 *
 * @example
 * ```ts
 * formatChange({ field: 'role', op: 'add', name: 'admin', rules: ['roles[1]'] }) // '+ role admin (roles[1])'
 * formatChange({ field: 'profile', op: 'change', name: 'email', from: 'a@x', to: 'b@x' }) // '~ email a@x → b@x'
 * ```
 */
export function formatChange(c: Change): string {
  const sign = c.op === 'add' ? '+' : c.op === 'remove' ? '-' : '~';
  const name = showValue(c.name);
  if (c.field === 'role' || c.field === 'entitlement') {
    if (c.op === 'change') return `~ ${c.field} ${name} (${showValue(c.from)} → ${showValue(c.to)})`;
    return `${sign} ${c.field} ${name}${c.rules?.length ? ` (${c.rules.join(', ')})` : ''}`;
  }
  if (c.op === 'add') return `+ ${name} = ${showValue(c.to)}`;
  if (c.op === 'remove') return `- ${name} (was ${showValue(c.from)})`;
  return `~ ${name} ${showValue(c.from)} → ${showValue(c.to)}`;
}
