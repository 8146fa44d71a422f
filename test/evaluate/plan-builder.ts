/**
 * Builds Plan and ClaimSet objects for evaluator tests without the compiler (written in parallel).
 */
import { type ClaimSet, type JsonValue, NAMEID_FORMATS, type Protocol } from '../../src/model/claim-set.js';
import {
  type ClaimPlan,
  type ClaimType,
  type Cond,
  type Expr,
  type KeyPlan,
  type Normalizer,
  PLAN_FORMAT,
  type Plan,
  type ProfilePlan,
  type RegexPlan,
  type RequirePlan,
  type RulePlan,
  type ScalarType,
  type TemplatePart,
  type UnsafeOverride,
} from '../../src/model/plan.js';

export const loc = { line: 1, column: 1 };
export const SAML_ISSUER = 'https://idp.example.com/saml';
export const OIDC_ISSUER = 'https://login.example.com';

export function scalar(kind: ScalarType['kind'], values?: string[]): ScalarType {
  return kind === 'enum' ? { kind: 'enum', values: values ?? [] } : { kind };
}
export const setOf = (element: ScalarType): ClaimType => ({ kind: 'set', element });
export const listOf = (element: ScalarType): ClaimType => ({ kind: 'list', element });

export function claim(
  name: string,
  type: ClaimType,
  opts: { source?: string[]; required?: boolean; normalize?: Normalizer[] } = {},
): ClaimPlan {
  return {
    name,
    type,
    source: opts.source ?? [name],
    required: opts.required ?? false,
    normalize: opts.normalize ?? [],
    loc,
  };
}

/** A RegexPlan for a pattern both engines accept; groups and names are counted from the pattern. */
export function regex(source: string, opts: { flags?: '' | 'i'; engine?: 'native' | 're2' } = {}): RegexPlan {
  const groups = new RegExp(`${source}|`, 'u').exec('')!.length - 1;
  const names = [...source.matchAll(/\(\?P?<([A-Za-z_][A-Za-z0-9_]*)>/g)].map((m) => m[1]!);
  return { source, flags: opts.flags ?? '', engine: opts.engine ?? 'native', groups, names };
}

let ruleCounter = 0;
export function grant(target: string, when?: Cond, id?: string): RulePlan {
  return rule('grant', target, when, id);
}
export function deny(target: string, when?: Cond, id?: string): RulePlan {
  return rule('deny', target, when, id);
}
function rule(effect: 'grant' | 'deny', target: string, when: Cond | undefined, id: string | undefined): RulePlan {
  const r: RulePlan = { id: id ?? `rule${ruleCounter++}`, effect, target, text: `${effect} ${target}`, loc };
  if (when !== undefined) r.when = when;
  return r;
}
/** A templated entitlement rule: `grant "<template>" for each <claim> matching /<re>/ [when ...]`. */
export function forEach(
  effect: 'grant' | 'deny',
  template: TemplatePart[],
  claimName: string,
  re: RegexPlan,
  when?: Cond,
  id?: string,
): RulePlan {
  const target = template.map((p) => (typeof p === 'string' ? p : `{${p.group}}`)).join('');
  const r = rule(effect, target, when, id);
  r.template = template;
  r.forEach = { claim: claimName, regex: re };
  return r;
}

export interface PlanSpec {
  protocol?: Protocol;
  issuer?: string;
  key?: KeyPlan;
  require?: RequirePlan[];
  claims?: ClaimPlan[];
  profile?: ProfilePlan[];
  roles?: RulePlan[];
  declared?: string[];
  entitlements?: RulePlan[];
  unsafe?: UnsafeOverride[];
  version?: string | null;
}

export function plan(spec: PlanSpec = {}): Plan {
  const protocol = spec.protocol ?? 'oidc';
  const roles = spec.roles ?? [];
  return {
    format: PLAN_FORMAT,
    name: 'test-mapping',
    version: spec.version === undefined ? '2026-11' : spec.version,
    digest: 'ab'.repeat(32),
    idp: { protocol, issuer: spec.issuer ?? (protocol === 'saml' ? SAML_ISSUER : OIDC_ISSUER), aliases: [] },
    key:
      spec.key ??
      (protocol === 'saml'
        ? { kind: 'nameid', format: 'persistent', formatUri: NAMEID_FORMATS.persistent, loc }
        : { kind: 'sub', loc }),
    require: spec.require ?? [],
    claims: spec.claims ?? [],
    profile: spec.profile ?? [],
    roles: {
      mode: 'replace',
      declared: spec.declared ?? [...new Set(roles.map((r) => r.target))].sort(),
      privileged: [],
      rules: roles,
    },
    entitlements: { mode: 'replace', rules: spec.entitlements ?? [] },
    accounts: { emailConflict: 'reject', unique: [] },
    lifecycle: { offboarding: { kind: 'scim' }, dormantAfterDays: null, reactivate: false },
    unsafe: spec.unsafe ?? [],
  };
}

export function requirement(id: string, when: Cond): RequirePlan {
  return { id, when, text: `require ${id}`, loc };
}

export function profileField(
  name: string,
  expr: Expr,
  sync: ProfilePlan['sync'] = 'always',
  clear = false,
): ProfilePlan {
  return { name, expr, sync, clear, loc };
}

export function oidc(claims: Record<string, JsonValue>, extra: Partial<ClaimSet> = {}): ClaimSet {
  const sub = typeof claims.sub === 'string' ? claims.sub : 'user-1';
  return { protocol: 'oidc', issuer: OIDC_ISSUER, subject: { id: sub }, claims, verified: true, ...extra };
}

export function saml(claims: Record<string, string[]>, extra: Partial<ClaimSet> = {}): ClaimSet {
  return {
    protocol: 'saml',
    issuer: SAML_ISSUER,
    subject: { id: 'nameid-1', format: NAMEID_FORMATS.persistent },
    claims,
    verified: true,
    ...extra,
  };
}

// Condition shorthands
export const c = {
  and: (...args: Cond[]): Cond => ({ op: 'and', args }),
  or: (...args: Cond[]): Cond => ({ op: 'or', args }),
  not: (arg: Cond): Cond => ({ op: 'not', arg }),
  contains: (claimName: string, value: string | number | boolean): Cond => ({
    op: 'contains',
    claim: claimName,
    value,
  }),
  oneOf: (claimName: string, values: (string | number | boolean)[]): Cond => ({
    op: 'one_of',
    claim: claimName,
    values,
  }),
  eq: (claimName: string, value: string | number | boolean): Cond => ({ op: 'eq', claim: claimName, value }),
  ne: (claimName: string, value: string | number | boolean): Cond => ({ op: 'ne', claim: claimName, value }),
  truthy: (claimName: string): Cond => ({ op: 'truthy', claim: claimName }),
  matches: (q: 'one' | 'any' | 'all', claimName: string, re: RegexPlan): Cond => ({
    op: 'matches',
    quantifier: q,
    claim: claimName,
    regex: re,
  }),
  startsWith: (q: 'one' | 'any' | 'all', claimName: string, value: string): Cond => ({
    op: 'starts_with',
    quantifier: q,
    claim: claimName,
    value,
  }),
  endsWith: (q: 'one' | 'any' | 'all', claimName: string, value: string): Cond => ({
    op: 'ends_with',
    quantifier: q,
    claim: claimName,
    value,
  }),
};

// Expression shorthands
export const e = {
  claim: (claimName: string): Expr => ({ op: 'claim', claim: claimName }),
  lit: (value: string | number | boolean): Expr => ({ op: 'literal', value }),
  concat: (...args: Expr[]): Expr => ({ op: 'concat', args }),
  coalesce: (...args: Expr[]): Expr => ({ op: 'coalesce', args }),
  call: (fn: 'lower' | 'trim' | 'nfkc' | 'join' | 'domain', ...args: Expr[]): Expr => ({ op: 'call', fn, args }),
};
