/**
 * Claims and roles as the editor navigates them: every place a name is declared or used, found from the checked
 * model. A claim is declared in `claims { }` and used by the key, profile expressions, conditions and `for each`;
 * a role is declared by `privileged` and by every `grant` / `deny` of the roles section (a role has no other
 * declaration: the first `privileged` entry, else its grants, are its definition).
 */
import type { CheckModel } from '../check/model.js';
import type { Span } from '../syntax/ast.js';

export type SymbolKind = 'claim' | 'role';

/** One place a claim or role name is written. */
export interface Occurrence {
  kind: SymbolKind;
  name: string;
  span: Span;
  /** A declaration (claim declaration, `privileged` entry) rather than a use. */
  declaration: boolean;
  /** A role written as a string (`grant "Org Admin"`). */
  quoted: boolean;
  /** For roles: written as the target of a grant. */
  grant?: boolean;
}

/** Every occurrence of every claim and role name, in source order. */
export function occurrences(m: CheckModel): Occurrence[] {
  const out: Occurrence[] = [];
  for (const s of m.ast.sections) {
    if (s.kind !== 'claims') continue;
    for (const d of s.claims)
      out.push({ kind: 'claim', name: d.name.name, span: d.name.span, declaration: true, quoted: false });
  }
  for (const r of m.refs) {
    // `for each` and conditions of the same rule may name the same node once each: keep one.
    out.push({ kind: 'claim', name: r.name.name, span: r.name.span, declaration: false, quoted: false });
  }
  for (const p of m.roles?.privileged ?? [])
    out.push({ kind: 'role', name: p.value, span: p.span, declaration: true, quoted: p.quoted });
  for (const r of m.roles?.rules ?? []) {
    if (!r.target) continue;
    out.push({
      kind: 'role',
      name: r.target.value,
      span: r.target.span,
      declaration: false,
      quoted: r.target.quoted,
      grant: r.effect === 'grant',
    });
  }
  const seen = new Set<string>();
  return out
    .filter((o) => {
      const k = `${o.span.start}:${o.span.end}`;
      if (seen.has(k)) return false;
      seen.add(k);
      return true;
    })
    .sort((a, b) => a.span.start - b.span.start);
}

/** The occurrence under `offset` (a cursor just after a name counts, as editors place it there). */
export function occurrenceAt(all: readonly Occurrence[], offset: number): Occurrence | undefined {
  return all.find((o) => o.span.start <= offset && offset <= o.span.end);
}

/** Every occurrence of the same symbol as `o`. */
export function sameSymbol(all: readonly Occurrence[], o: Pick<Occurrence, 'kind' | 'name'>): Occurrence[] {
  return all.filter((x) => x.kind === o.kind && x.name === o.name);
}

/**
 * Where a symbol is defined: a claim's declarations; a role's `privileged` entries, else the grants that create it,
 * else (a role only ever denied) its first use.
 */
export function definitions(all: readonly Occurrence[], o: Pick<Occurrence, 'kind' | 'name'>): Occurrence[] {
  const same = sameSymbol(all, o);
  const decls = same.filter((x) => x.declaration);
  if (decls.length || o.kind === 'claim') return decls;
  const grants = same.filter((x) => x.grant);
  return grants.length ? grants : same.slice(0, 1);
}
