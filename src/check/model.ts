/**
 * The checked model: what the rules read. Built once from the AST by the `resolve` stage: sections picked (the
 * first of each kind; duplicates are reported by a rule), claims indexed by name, types resolved, every claim
 * reference collected with its context, every regex analysed once.
 */
import { NAMEID_FORMATS } from '../model/claim-set.js';
import type { DiagnosticSink } from '../diagnostics/make.js';
import { DURABLE_NAMEID_FORMATS, nonDurableKeyClaim } from '../compile/key-durability.js';
import type { ClaimType, ScalarType } from '../model/plan.js';
import { analyzeRegex, type RegexAnalysis } from '../regex/index.js';
import type * as A from '../syntax/ast.js';

/** Where a claim is referenced from. */
export type RefContext = 'key' | 'profile' | 'condition' | 'for-each' | 'unique' | 'scim';

export interface ClaimRef {
  name: A.NameNode;
  context: RefContext;
  /** The rule the reference sits in (conditions and for-each). */
  rule?: A.RuleNode;
}

export interface ResolvedClaim {
  decl: A.ClaimDeclNode;
  /** Null when the type is unknown (already reported). */
  type: ClaimType | null;
}

export interface CheckModel {
  ast: A.MappingNode;
  sink: DiagnosticSink;
  idp: A.IdpNode | null;
  protocol: 'saml' | 'oidc' | null;
  key: A.KeyNode | null;
  claimsBlock: A.ClaimsNode | null;
  /** The first declaration of each claim name. */
  claims: Map<string, ResolvedClaim>;
  profile: A.ProfileNode | null;
  roles: A.RolesNode | null;
  entitlements: A.EntitlementsNode | null;
  accounts: A.AccountsNode | null;
  lifecycle: A.LifecycleNode | null;
  scim: A.ScimNode | null;
  /** Every claim reference in the mapping. */
  refs: ClaimRef[];
  /** Every `require` gate, then every rule of roles and entitlements, in order. */
  rules: A.RuleNode[];
  /** The analysis of every regex literal. */
  regexes: Map<A.RegexNode, RegexAnalysis>;
  /**
   * Every claim test (`"x" in c` and `[any|all] c <comparison>`) of every rule, in rule order and, within a rule,
   * depth first: found once here, read by the rules that check tests (one walk of the conditions, not one per rule).
   */
  tests: ClaimTest[];
}

/** A claim test and the rule it sits in. */
export interface ClaimTest {
  cond: Extract<A.CondNode, { kind: 'contains' | 'test' }>;
  rule: A.RuleNode;
}

export const SCALAR_TYPES = ['string', 'email', 'bool', 'int', 'uuid', 'url', 'datetime'] as const;
export const COLLECTION_TYPES = ['set', 'list'] as const;

/** Resolves a type node; reports nothing (the `type-names` rule does). */
export function resolveType(t: A.TypeNode | null): ClaimType | null {
  if (!t) return null;
  if (t.kind === 'enumType') return t.values.length ? { kind: 'enum', values: t.values.map((v) => v.value) } : null;
  const name = t.name.name;
  if ((SCALAR_TYPES as readonly string[]).includes(name)) {
    return t.argument ? null : { kind: name as (typeof SCALAR_TYPES)[number] };
  }
  if ((COLLECTION_TYPES as readonly string[]).includes(name)) {
    const el = resolveType(t.argument);
    if (!el || el.kind === 'set' || el.kind === 'list') return null;
    return { kind: name as 'set' | 'list', element: el as ScalarType };
  }
  return null;
}

/** Types whose values are strings (and so can be normalised, compared with strings, matched). */
export function isStringLike(t: ClaimType | ScalarType | null): boolean {
  return !!t && t.kind !== 'bool' && t.kind !== 'int' && t.kind !== 'set' && t.kind !== 'list';
}

export function isCollection(t: ClaimType | null): t is { kind: 'set' | 'list'; element: ScalarType } {
  return !!t && (t.kind === 'set' || t.kind === 'list');
}

/** The reason of the key's `unsafe` override, or null when there is none or it is blank (then it overrides nothing). */
export function unsafeReason(m: CheckModel): string | null {
  const reason = m.key?.unsafe?.value;
  return reason !== undefined && reason.trim() !== '' ? reason : null;
}

export { DURABLE_NAMEID_FORMATS };

/**
 * Whether the key is one only an `unsafe` override accepts: a known NameID format that is not durable, or a key claim
 * that is a mutable identifier (email, upn, username...) or typed email. The key rules report these; `unsafe`
 * says when an override is not needed.
 */
export function keyNeedsOverride(m: CheckModel): boolean {
  const k = m.key;
  if (!k) return false;
  if (k.form === 'nameid')
    return !!k.format && Object.hasOwn(NAMEID_FORMATS, k.format.name) && !DURABLE_NAMEID_FORMATS.has(k.format.name);
  if (k.form !== 'claim') return false;
  return k.claims.some((ref) => {
    const c = m.claims.get(ref.name);
    return (
      !!c &&
      nonDurableKeyClaim(
        c.decl.source.map((x) => x.value),
        c.type?.kind,
      ) !== null
    );
  });
}

export function describeType(t: ClaimType | null): string {
  if (!t) return 'unknown';
  if (t.kind === 'enum') return `enum(${t.values.map((v) => JSON.stringify(v)).join(', ')})`;
  if (t.kind === 'set' || t.kind === 'list') return `${t.kind}<${describeType(t.element)}>`;
  return t.kind;
}

function walkExpr(e: A.ExprNode | null, visit: (name: A.NameNode) => void): void {
  if (!e) return;
  switch (e.kind) {
    case 'ref':
      visit(e.name);
      break;
    case 'call':
    case 'concat':
    case 'coalesce':
      for (const a of e.args) walkExpr(a, visit);
      break;
    default:
      break;
  }
}

/** Calls `visit` on every condition node, depth first. */
export function walkCond(c: A.CondNode | null, visit: (c: A.CondNode) => void): void {
  if (!c) return;
  visit(c);
  if (c.kind === 'and' || c.kind === 'or') for (const a of c.args) walkCond(a, visit);
  else if (c.kind === 'not') walkCond(c.arg, visit);
}

/** Every regex literal of a rule (for-each and conditions). */
export function ruleRegexes(r: A.RuleNode): A.RegexNode[] {
  const out: A.RegexNode[] = [];
  if (r.forEach?.regex) out.push(r.forEach.regex);
  walkCond(r.when, (c) => {
    if (c.kind === 'test' && c.comparison.op === 'matches' && c.comparison.regex) out.push(c.comparison.regex);
  });
  return out;
}

function first<K extends A.SectionNode['kind']>(
  ast: A.MappingNode,
  kind: K,
): Extract<A.SectionNode, { kind: K }> | null {
  return (ast.sections.find((s) => s.kind === kind) as Extract<A.SectionNode, { kind: K }> | undefined) ?? null;
}

/** Stage `resolve`: builds the model from the AST. */
export function buildModel(ast: A.MappingNode, sink: DiagnosticSink): CheckModel {
  const idp = first(ast, 'idp');
  const claimsBlock = first(ast, 'claims');
  const claims = new Map<string, ResolvedClaim>();
  for (const block of ast.sections) {
    if (block.kind !== 'claims') continue;
    for (const d of block.claims)
      if (!claims.has(d.name.name)) claims.set(d.name.name, { decl: d, type: resolveType(d.type) });
  }
  const key = first(ast, 'key');
  const profile = first(ast, 'profile');
  const roles = first(ast, 'roles');
  const entitlements = first(ast, 'entitlements');
  const accounts = first(ast, 'accounts');
  const lifecycle = first(ast, 'lifecycle');
  const scim = first(ast, 'scim');

  const refs: ClaimRef[] = [];
  if (key) for (const c of key.claims) refs.push({ name: c, context: 'key' });
  for (const i of scim?.items ?? []) if (i.kind === 'groups' && i.value) refs.push({ name: i.value, context: 'scim' });
  for (const f of profile?.fields ?? []) walkExpr(f.expr, (name) => refs.push({ name, context: 'profile' }));
  const requires = ast.sections.filter((x): x is A.RequireNode => x.kind === 'require').map((x) => x.rule);
  const rules = [...requires, ...(roles?.rules ?? []), ...(entitlements?.rules ?? [])];
  const regexes = new Map<A.RegexNode, RegexAnalysis>();
  // A pattern written several times (the same group filter in many rules) is analysed once; analyses are read only.
  const analyses = new Map<string, RegexAnalysis>();
  const analyze = (re: A.RegexNode): RegexAnalysis => {
    const flags = re.flags === 'i' ? 'i' : '';
    const key = `${flags}/${re.source}`;
    let a = analyses.get(key);
    if (a === undefined) {
      a = analyzeRegex(re.source, flags);
      analyses.set(key, a);
    }
    return a;
  };
  const tests: ClaimTest[] = [];
  for (const r of rules) {
    if (r.forEach) refs.push({ name: r.forEach.claim, context: 'for-each', rule: r });
    // One walk per rule: references, tests and regexes (in ruleRegexes' order: the for-each's, then the conditions').
    if (r.forEach?.regex) regexes.set(r.forEach.regex, analyze(r.forEach.regex));
    walkCond(r.when, (c) => {
      if (c.kind !== 'contains' && c.kind !== 'test') return;
      refs.push({ name: c.claim, context: 'condition', rule: r });
      tests.push({ cond: c, rule: r });
      if (c.kind === 'test' && c.comparison.op === 'matches' && c.comparison.regex)
        regexes.set(c.comparison.regex, analyze(c.comparison.regex));
    });
  }
  const p = idp?.protocol.name;
  return {
    ast,
    sink,
    idp,
    protocol: p === 'saml' || p === 'oidc' ? p : null,
    key,
    claimsBlock,
    claims,
    profile,
    roles,
    entitlements,
    accounts,
    lifecycle,
    scim,
    refs,
    rules,
    regexes,
    tests,
  };
}
