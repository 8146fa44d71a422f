/**
 * What the privileged-guardrail tests share: simulating a mapping the linter rejects, samples of people who hold
 * none of the facts a privileged grant asks for (outsiders), and the privileged roles lint and simulate each say
 * such a person can reach.
 *
 * A mapping with a `privileged/*` error has no plan (compile refuses it), so it is simulated the way a user would
 * from the CLI: without its `privileged` declarations (which only feed the checker), and with those roles passed
 * as `privileged` to simulate(), so escalations to them are still critical.
 */
import type { ClaimSet, JsonValue } from '../../src/model/claim-set.js';
import { compile, lint } from '../../src/compile/compile.js';
import type { ClaimPlan, Cond, Plan, ScalarType } from '../../src/model/plan.js';
import type { Diagnostic } from '../../src/diagnostics/diagnostic.js';
import { privilegedLiterals, simulate } from '../../src/simulate/simulate.js';
import type { Sample, SimulateOptions, SimulationResult } from '../../src/simulate/types.js';
import type { RolesNode } from '../../src/syntax/ast.js';
import { parse } from '../../src/syntax/parse.js';

/**
 * Which simulation confirms each `privileged/*` lint code (the same table is in docs/simulate.md, "Privileged
 * guardrails"): the operators whose mutations reach the role, or `(baseline)` when an outsider holds it without any
 * mutation. A code not listed here is checked by the generic agreement only; add its row when adding the code.
 */
export const CONFIRMED_BY: Readonly<Record<string, readonly string[]>> = Object.freeze({
  // starts_with / ends_with, an unanchored, prefix, suffix or open-family regex: a value the test accepts that no
  // exact reading names (`adminx`, `xadminsx`, `gh-xx`). `near-privileged` also finds starts_with (`admin-x`).
  'privileged/inexact-match': ['regex-witness'],
  // a regex or ends_with matching any path ending in a fixed segment: `x/admins`, `/sandbox/admins`.
  'privileged/leaf-name-match': ['regex-witness'],
  // a claim users edit themselves: the user types the compared literal.
  'privileged/user-editable-claim': ['user-edited'],
  // no condition: every outsider already holds the role.
  'privileged/unconditional-grant': ['(baseline)'],
});

/**
 * The `privileged/*` codes lint reports on grants that no outsider can reach, with why `simulate` cannot and must
 * not find an escalation there. A role flagged only by these codes is expected NOT to be reached; the agreement
 * test checks that the operator named here ran and granted nothing (docs/simulate.md says the same).
 */
export const NOT_REACHABLE: Readonly<Record<string, { operator: string; why: string }>> = Object.freeze({
  'privileged/all-quantifier': {
    operator: 'empty',
    why:
      '`all X matches R` with an exact R: over a non-empty set it implies `any X matches R`, so whoever passes ' +
      'holds a value R names (not an outsider); over an empty set it is unknown (fail closed), so the empty set ' +
      'grants nothing. Lint still reports it because an `all` test also grants on what a list lacks (a truncated ' +
      'or one-value list passes): a risk for people who hold a named value, not for outsiders.',
  },
});

/** The source with every `privileged a, b` declaration blanked (offsets and lines kept), and the names it declared. */
export function withoutPrivileged(source: string): { source: string; privileged: string[] } {
  const ast = parse(source).value;
  const roles = ast?.sections.find((s): s is RolesNode => s.kind === 'roles');
  if (!roles || roles.privileged.length === 0) return { source, privileged: [] };
  let out = source;
  const blank = (start: number, end: number): void => {
    out = out.slice(0, start) + out.slice(start, end).replace(/[^\n]/g, ' ') + out.slice(end);
  };
  // Consecutive names separated only by commas belong to one declaration: blank from its keyword to its last name.
  let first = roles.privileged[0]!;
  let last = first;
  for (const n of [...roles.privileged.slice(1), null]) {
    if (n !== null && /^\s*,\s*$/.test(source.slice(last.span.end, n.span.start))) {
      last = n;
      continue;
    }
    blank(source.lastIndexOf('privileged', first.span.start), last.span.end);
    if (n !== null) first = last = n;
  }
  return { source: out, privileged: [...new Set(roles.privileged.map((p) => p.value))] };
}

/** A mapping compiled for simulation (see the module comment), with its lint diagnostics as written. */
export interface Simulatable {
  plan: Plan;
  privileged: string[];
  diagnostics: Diagnostic[];
}

/** Compiles `source` for simulation, or throws with the diagnostics that are not `privileged/*`. */
export function simulatable(source: string, filename = 'test.claimmap'): Simulatable {
  const stripped = withoutPrivileged(source);
  const r = compile(stripped.source, { filename });
  if (!r.plan) {
    const why = r.diagnostics
      .filter((d) => d.severity === 'error')
      .map((d) => `${d.range.start.line}:${d.range.start.column} ${d.code}`);
    throw new Error(`does not compile without its privileged declarations:\n${why.join('\n')}`);
  }
  return { plan: r.plan, privileged: stripped.privileged, diagnostics: lint(source, { filename }) };
}

/** simulate() of a {@link Simulatable}, its privileged roles marked critical. */
export function simulatePrivileged(
  m: Simulatable,
  samples: readonly Sample[],
  options: SimulateOptions = {},
): Promise<SimulationResult> {
  return simulate(m.plan, samples, { now: '2026-12-15T00:00:00Z', ...options, privileged: m.privileged });
}

// ---- outsiders ----

const elementOf = (c: ClaimPlan): ScalarType => ('element' in c.type ? c.type.element : c.type);
const isMulti = (c: ClaimPlan): boolean => c.type.kind === 'set' || c.type.kind === 'list';

/** A value of the claim's type that is none of `avoid` (compared without case). */
function neutral(c: ClaimPlan, avoid: readonly string[]): JsonValue {
  const t = elementOf(c);
  const taken = (v: string): boolean => avoid.some((a) => a.toLowerCase() === v.toLowerCase());
  const fresh = (v: string): string => (taken(v) ? fresh(`${v}-0`) : v);
  switch (t.kind) {
    case 'string':
      return fresh('outsider');
    case 'email':
      return fresh('outsider@outsider.example');
    case 'uuid':
      return '0f000000-0000-4000-8000-000000000001';
    case 'int':
      return 7919;
    case 'bool':
      return false;
    case 'url':
      return 'https://outsider.example/';
    case 'datetime':
      return '2026-01-01T00:00:00Z';
    case 'enum':
      return t.values.find((v) => !taken(v)) ?? t.values[0]!;
  }
}

/** `value` as the protocol sends it: SAML text values, OIDC JSON (a set or list as an array). */
function sent(protocol: 'saml' | 'oidc', c: ClaimPlan, values: JsonValue[]): JsonValue {
  if (protocol === 'saml') return values.map((v) => String(v));
  return isMulti(c) ? values : values[0]!;
}

function put(claims: Record<string, JsonValue>, path: readonly string[], value: JsonValue): void {
  let cur = claims;
  for (const seg of path.slice(0, -1)) {
    const next = Object.hasOwn(cur, seg) ? cur[seg] : undefined;
    if (typeof next !== 'object' || next === null || Array.isArray(next)) {
      const created = Object.create(null) as Record<string, JsonValue>;
      cur[seg] = created;
      cur = created;
    } else cur = next;
  }
  cur[path[path.length - 1]!] = value;
}

/** The values `require` gates ask for (`require hd == "example.com"`): outsiders are people who may log in. */
function gateValues(plan: Plan): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (c: Cond): void => {
    if (c.op === 'and') c.args.forEach(walk);
    else if ((c.op === 'eq' || c.op === 'contains') && typeof c.value === 'string') out.set(c.claim, c.value);
    else if (c.op === 'one_of' && typeof c.values[0] === 'string') out.set(c.claim, c.values[0]);
  };
  for (const r of plan.require) walk(r.when);
  return out;
}

/**
 * Samples of people who hold none of the values the privileged rules test positively: `outsider` (every declared
 * claim present with a value of its type that no such rule names, or the value a `require` gate asks for), and for
 * each claim a privileged rule tests under a negation or in a deny, `holder of <claim>` (an outsider who also holds
 * those values: a contractor). Keys, issuer and NameID format are what the plan accepts.
 */
export function outsiderSamples(plan: Plan, privileged: readonly string[]): Sample[] {
  const priv = new Set(privileged);
  const protocol = plan.idp.protocol;
  const lits = new Map(
    plan.claims.map((c) => [c.name, privilegedLiterals(plan, c.name, priv, Number.MAX_SAFE_INTEGER)]),
  );
  const gates = gateValues(plan);
  const build = (holding: ClaimPlan | null): ClaimSet => {
    const claims = Object.create(null) as Record<string, JsonValue>;
    const subject: ClaimSet['subject'] = { id: 'outsider-0001' };
    if (plan.key.kind === 'nameid') subject.format = plan.key.formatUri;
    if (protocol === 'oidc') claims.sub = subject.id;
    for (const c of plan.claims) {
      const l = lits.get(c.name)!;
      const gate = gates.get(c.name);
      const values: JsonValue[] = [gate ?? neutral(c, [...l.positive, ...l.negated])];
      if (c === holding) {
        if (isMulti(c)) values.push(...l.negated);
        else values.splice(0, 1, l.negated[0]!);
      }
      if (protocol === 'saml') claims[c.source[0]!] = sent(protocol, c, values);
      else put(claims, c.source, sent(protocol, c, values));
    }
    return { protocol, issuer: plan.idp.issuer, subject, claims, verified: true };
  };
  const out: Sample[] = [{ name: 'outsider', claimSet: build(null) }];
  for (const c of plan.claims)
    if (lits.get(c.name)!.negated.length > 0) out.push({ name: `holder of ${c.name}`, claimSet: build(c) });
  return out;
}

/**
 * How a simulation shows people reaching privileged roles without being granted them: role → the operators whose
 * mutated logins (of any sample) gained it, plus `(baseline)` when a sample of `baselineOf` (samples holding no
 * positive privileged fact: outsiders) already holds it (an unconditional or negated grant).
 */
export function reachedBy(
  r: SimulationResult,
  privileged: readonly string[],
  baselineOf: readonly string[] = [],
): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  const add = (role: string, how: string): void => {
    if (!out.has(role)) out.set(role, new Set());
    out.get(role)!.add(how);
  };
  for (const s of r.samples)
    if (baselineOf.includes(s.sample))
      for (const role of s.roles) if (privileged.includes(role)) add(role, '(baseline)');
  for (const o of r.outcomes) {
    for (const f of o.findings)
      if (f.class === 'escalation' && f.subject === 'role' && privileged.includes(f.name)) add(f.name, o.operator);
  }
  return out;
}

/** The roles of {@link reachedBy}, sorted. */
export function rolesReached(
  r: SimulationResult,
  privileged: readonly string[],
  baselineOf: readonly string[] = [],
): string[] {
  return [...reachedBy(r, privileged, baselineOf).keys()].sort();
}

/**
 * The privileged roles lint says a grant reaches inexactly: for each `privileged/*` error, the role of the rule it
 * points into, else the privileged roles its message names, else every privileged role.
 */
export function rolesFlagged(m: Simulatable): string[] {
  return [...new Set(flaggedGrants(m).map((g) => g.role))].sort();
}

/** Each `privileged/*` error with the privileged role it is about (one entry per role, see {@link rolesFlagged}). */
export function flaggedGrants(m: Simulatable): { code: string; role: string }[] {
  const out: { code: string; role: string }[] = [];
  for (const d of m.diagnostics) {
    if (d.severity !== 'error' || !d.code.startsWith('privileged/')) continue;
    const at = d.range.start;
    const rule = m.plan.roles.rules.find((r) => {
      const lines = r.text.split('\n').length;
      return (
        (r.loc.line < at.line || (r.loc.line === at.line && r.loc.column <= at.column)) && at.line < r.loc.line + lines
      );
    });
    const named = m.privileged.filter((p) => d.message.includes(`'${p}'`));
    const roles = rule && m.privileged.includes(rule.target) ? [rule.target] : named.length ? named : m.privileged;
    for (const role of roles) out.push({ code: d.code, role });
  }
  return out;
}
