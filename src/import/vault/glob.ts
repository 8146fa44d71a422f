/**
 * Vault's `bound_claims_type: glob` patterns → anchored RE2 regexes. Vault documents `glob` bound claims with `*` as
 * the one wildcard (https://developer.hashicorp.com/vault/api-docs/auth/jwt, bound_claims_type); its glob matcher
 * has no `?`, no character class and no escape, and `*` matches any run of characters, `/` and the empty run too. Every other
 * character stands for itself, so it is escaped in the regex.
 */

/** Characters with a meaning in RE2 outside a class. */
const SPECIAL = /[\\^$.|?*+()[\]{}/]/g;

/**
 * The anchored regex of a Vault glob.
 *
 * @example
 * ```ts
 * globToRegex('team-*@example.com'); // '^team-.*@example\\.com$'
 * ```
 */
export function globToRegex(glob: string): string {
  return `^${glob
    .split('*')
    .map((part) => part.replace(SPECIAL, (c) => `\\${c}`))
    .join('.*')}$`;
}

/**
 * Vault's own glob match (the semantics the regex above must equal): the parts between `*` appear in order, the
 * first at the start and the last at the end.
 *
 * @example
 * ```ts
 * globMatch('a*c', 'abbc'); // true
 * ```
 */
export function globMatch(glob: string, value: string): boolean {
  const parts = glob.split('*');
  if (parts.length === 1) return glob === value;
  const first = parts[0] as string;
  const last = parts[parts.length - 1] as string;
  if (!value.startsWith(first) || value.length < first.length + last.length) return false;
  let pos = first.length;
  for (let i = 1; i < parts.length - 1; i++) {
    const p = parts[i] as string;
    const at = value.indexOf(p, pos);
    if (at < 0) return false;
    pos = at + p.length;
  }
  return value.length - last.length >= pos && value.endsWith(last);
}
