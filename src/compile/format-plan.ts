/**
 * Plan fragments back to readable text, for `explain`, `eval` and reports.
 */
import type { ClaimPlan, ClaimType, Cond, Expr, Literal, RegexPlan } from '../model/plan.js';

const lit = (v: Literal): string => (typeof v === 'string' ? JSON.stringify(v) : String(v));
const re = (r: RegexPlan): string => `/${r.source}/${r.flags}`;
const q = (quantifier: string): string => (quantifier === 'one' ? '' : `${quantifier} `);

/** A condition as the mapping would write it (fully parenthesised where precedence needs it). */
export function formatCond(c: Cond, parent: 'and' | 'or' | 'not' | null = null): string {
  switch (c.op) {
    case 'and':
    case 'or': {
      const s = c.args.map((a) => formatCond(a, c.op as 'and' | 'or')).join(` ${c.op} `);
      return parent && parent !== c.op ? `(${s})` : s;
    }
    case 'not':
      return `not ${formatCond(c.arg, 'not')}`;
    case 'contains':
      return `${lit(c.value)} in ${c.claim}`;
    case 'one_of':
      return `${c.claim} in [${c.values.map(lit).join(', ')}]`;
    case 'eq':
      return `${c.claim} == ${lit(c.value)}`;
    case 'ne':
      return `${c.claim} != ${lit(c.value)}`;
    case 'matches':
      return `${q(c.quantifier)}${c.claim} matches ${re(c.regex)}`;
    case 'starts_with':
    case 'ends_with':
      return `${q(c.quantifier)}${c.claim} ${c.op} ${lit(c.value)}`;
    case 'truthy':
      return c.claim;
  }
}

/** The claims a condition reads, in first-use order. */
export function condClaims(c: Cond | undefined, out: string[] = []): string[] {
  if (!c) return out;
  if ('args' in c) for (const a of c.args) condClaims(a, out);
  else if ('arg' in c) condClaims(c.arg, out);
  else if (!out.includes(c.claim)) out.push(c.claim);
  return out;
}

export function formatExpr(e: Expr): string {
  switch (e.op) {
    case 'claim':
      return e.claim;
    case 'literal':
      return lit(e.value);
    case 'concat':
      return e.args.map(formatExpr).join(' + ');
    case 'coalesce':
      return e.args.map(formatExpr).join(' ?? ');
    case 'call':
      return `${e.fn}(${e.args.map(formatExpr).join(', ')})`;
  }
}

export function formatType(t: ClaimType): string {
  if (t.kind === 'enum') return `enum(${t.values.map((v) => JSON.stringify(v)).join(', ')})`;
  if (t.kind === 'set' || t.kind === 'list') return `${t.kind}<${formatType(t.element)}>`;
  return t.kind;
}

/** `groups: set<string> from "groups" optional normalize lower` */
export function formatClaim(c: ClaimPlan): string {
  const src = c.source.map((s) => JSON.stringify(s)).join('.');
  return (
    `${c.name}: ${formatType(c.type)} from ${src} ` +
    `${c.required ? 'required' : 'optional'}${c.normalize.length ? ` normalize ${c.normalize.join(', ')}` : ''}`
  );
}
