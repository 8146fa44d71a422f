/**
 * Compiles a {@link Plan} once into closures (claim readers, conditions, key, profile, rule tables) and caches the
 * result in a WeakMap keyed by the plan object, so no AST is interpreted per login and matchers are built once.
 * A plan must not be mutated after its first evaluation (compile() returns frozen plans).
 */
import type { Protocol } from '../model/claim-set.js';
import type { Plan, ProfilePlan, RequirePlan, RulePlan, TemplatePart } from '../model/plan.js';
import { compileMatcher, type Matcher } from '../regex/matcher.js';
import { type ClaimLocator, type ClaimReader, compileClaimLocator, compileClaimReader } from './claim-values.js';
import { type ClaimIndex, type CondFn, MembershipIndex, compileCond } from './conditions.js';
import { templateShape } from './entitlement-template.js';
import { type RulesFn, generateRules } from './generate-rules.js';
import { internalized } from './intern.js';
import { compileKey, type KeyFn } from './key.js';
import { compileExpr, type ExprFn } from './profile.js';
import { defined } from '../model/invariant.js';

export interface CompiledRule {
  id: string;
  /** `[id]`, frozen: shared as the provenance list of an entitlement only this rule granted. */
  ids: readonly string[];
  effect: 'grant' | 'deny';
  target: string;
  cond: CondFn;
  /** Set for `for each` rules. */
  forEach?: { slot: number; matcher: Matcher; template: readonly TemplatePart[]; shape: (s: string) => boolean };
  /** Names and slots of the claims the rule reads, for traces. */
  inputs: readonly { name: string; slot: number }[];
  plan: RulePlan;
}

export interface CompiledRole {
  name: string;
  grants: readonly number[];
  denies: readonly number[];
}

/** A login gate (`require <condition>`): refuses unless true. */
export interface CompiledRequirement {
  id: string;
  text: string;
  cond: CondFn;
  /** The claim the gate reads when it reads exactly one (named in the refusal). */
  claim?: string;
}

export interface CompiledProfile {
  name: string;
  sync: ProfilePlan['sync'];
  clear: boolean;
  expr: ExprFn;
}

export interface CompiledPlan {
  plan: Plan;
  protocol: Protocol;
  claimNames: readonly string[];
  readers: readonly ClaimReader[];
  /**
   * The readers `evaluate()` uses without a trace: the same as `readers`, except that a set claim only conditions
   * read is typed but not sorted or de-duplicated (see compileClaimReader's `canonical`).
   */
  fastReaders: readonly ClaimReader[];
  /** Per declared claim: where its raw value is (for re-reading only what changed, see evaluateFrom). */
  locators: readonly ClaimLocator[];
  required: readonly boolean[];
  slotOf: ReadonlyMap<string, number>;
  key: KeyFn;
  require: readonly CompiledRequirement[];
  roleRules: readonly CompiledRule[];
  /** Every role, sorted, with the indexes (in roleRules) of its grant and deny rules. */
  roles: readonly CompiledRole[];
  entRules: readonly CompiledRule[];
  /**
   * When no entitlement rule has a `for each` (every target is a fixed name): every target, sorted, with the indexes
   * (in entRules) of its grant and deny rules, so a decision composes entitlements like roles, without an
   * {@link EntitlementSet}. Null otherwise.
   */
  entTable: readonly CompiledRole[] | null;
  profile: readonly CompiledProfile[];
  warnings: readonly string[];
  mapping: Readonly<{ name: string; version: string | null; digest: string }>;
  /** Per declared claim (slot): the indexes of the role rules that read it (for incremental evaluation). */
  roleRulesBySlot: readonly (readonly number[])[];
  /** Per declared claim (slot): the indexes of the entitlement rules that read it. */
  entRulesBySlot: readonly (readonly number[])[];
  /** The `contains` literals of the plan per claim slot (see MembershipIndex). */
  members: MembershipIndex;
  /**
   * Every rule's condition as one generated function (see generate-rules.ts), for `evaluate()` without a trace;
   * null where the environment refuses `new Function` (the closures in `cond` do the same work).
   */
  rules: RulesFn | null;
  /** Scratch rule results, reused by every (synchronous, non-reentrant) evaluation. */
  scratch: RuleResults;
}

/**
 * A deny `for each` rule over an absent or malformed claim whose condition is not false: it removes every granted
 * entitlement its template could name (resolved against the grants, when the decision is composed).
 */
export const REMOVE_BY_SHAPE: unique symbol = Symbol('remove-by-shape');

/** What an entitlement rule yields before grants and denies are combined. */
export type EntitlementOutput = readonly string[] | typeof REMOVE_BY_SHAPE | null;

/**
 * The results of every rule of one evaluation, before they are combined into a decision: truth values (after the
 * `for each` adjustment: unknown when the iterated claim is not present) and, for `for each` rules that fire, the
 * entitlements their template produced. A function of the claim states only (no refusal, no order effects), so a
 * rule whose claims did not change keeps its result.
 */
export interface RuleResults {
  roleTruth: Uint8Array;
  entTruth: Uint8Array;
  entOut: EntitlementOutput[];
}

/**
 * Empty rule results sized for a compiled plan.
 *
 * @example
 * ```ts
 * const r = ruleResults(compiledPlan(plan)); // r.roleTruth.length === plan.roles.rules.length
 * ```
 */
export function ruleResults(c: Pick<CompiledPlan, 'roleRules' | 'entRules'>): RuleResults {
  return {
    roleTruth: new Uint8Array(c.roleRules.length),
    entTruth: new Uint8Array(c.entRules.length),
    entOut: new Array<EntitlementOutput>(c.entRules.length).fill(null),
  };
}

/** Per slot, the indexes of the rules that read it. */
function rulesBySlot(rules: readonly CompiledRule[], slots: number): number[][] {
  const out: number[][] = Array.from({ length: slots }, () => []);
  rules.forEach((r, j) => {
    for (const inp of r.inputs) defined(out[inp.slot]).push(j);
  });
  return out;
}

const cache = new WeakMap<Plan, CompiledPlan>();

/**
 * The compiled form of a plan, built on first use and cached. Throws TypeError for a plan that is not internally
 * consistent (an undeclared claim in a rule, an unknown operator): a plan must come from compile() or loadPlan().
 *
 * @example
 * ```ts
 * const c = compiledPlan(plan); // same object on every call with the same plan
 * ```
 */
export function compiledPlan(plan: Plan): CompiledPlan {
  let c = cache.get(plan);
  if (c === undefined) {
    c = compilePlan(plan);
    cache.set(plan, c);
  }
  return c;
}

function compilePlan(plan: Plan): CompiledPlan {
  if (typeof plan !== 'object' || plan === null) throw new TypeError('evaluate: plan must be a Plan object');
  const protocol = plan.idp?.protocol;
  if (protocol !== 'saml' && protocol !== 'oidc') throw new TypeError('invalid plan: idp.protocol');
  const { slotOf, index } = claimSlots(plan);
  // Slots whose value order is visible (profile, key, `for each`): their sets are always read canonical.
  const ordered = new Set<number>();
  const orderedIndex: ClaimIndex = (name, where) => {
    const i = index(name, where);
    ordered.add(i);
    return i;
  };
  const members = new MembershipIndex();
  const require = (plan.require ?? []).map((g) => compileRequirement(g, index, members));
  const roleRules = plan.roles.rules.map((r) => compileRule(r, index, members, orderedIndex));
  for (const r of roleRules) {
    if (r.forEach !== undefined) throw new TypeError(`invalid plan: role rule ${r.id} has a for each`);
  }
  const roles = compileRoles([...plan.roles.declared, ...roleRules.map((r) => r.target)], roleRules);
  const profile: CompiledProfile[] = plan.profile.map((p) => ({
    name: internalized(p.name),
    sync: p.sync,
    clear: p.clear,
    expr: compileExpr(p.expr, orderedIndex, `profile.${p.name}`),
  }));

  const entRules = plan.entitlements.rules.map((r) => compileRule(r, index, members, orderedIndex));
  const key = compileKey(plan.key, orderedIndex);
  const readers = plan.claims.map((c) => compileClaimReader(c, protocol));
  return {
    plan,
    protocol,
    claimNames: plan.claims.map((c) => c.name),
    readers,
    fastReaders: plan.claims.map((c, i) =>
      ordered.has(i) ? defined(readers[i]) : compileClaimReader(c, protocol, { canonical: false }),
    ),
    locators: plan.claims.map((c) => compileClaimLocator(c, protocol)),
    required: plan.claims.map((c) => c.required === true),
    slotOf,
    key,
    require,
    roleRules,
    roles,
    entRules,
    entTable: entRules.some((r) => r.forEach !== undefined)
      ? null
      : compileRoles(
          entRules.map((r) => r.target),
          entRules,
        ),
    profile,
    warnings: Object.freeze(plan.unsafe.map((u) => `unsafe ${u.code}: ${u.reason}`)),
    mapping: Object.freeze({ name: plan.name, version: plan.version, digest: plan.digest }),
    roleRulesBySlot: rulesBySlot(roleRules, plan.claims.length),
    entRulesBySlot: rulesBySlot(entRules, plan.claims.length),
    members,
    rules: generateRules(
      plan.roles.rules.map((r) => ({ when: r.when, where: r.id })),
      plan.entitlements.rules.map((r) => ({ when: r.when, where: r.id })),
      index,
      members,
    ),
    scratch: ruleResults({ roleRules, entRules }),
  };
}

/** The slot of each declared claim, and the lookup every compiled part uses (TypeError for an undeclared claim). */
function claimSlots(plan: Plan): { slotOf: Map<string, number>; index: ClaimIndex } {
  const slotOf = new Map<string, number>();
  plan.claims.forEach((c, i) => {
    if (slotOf.has(c.name)) throw new TypeError(`invalid plan: claim ${JSON.stringify(c.name)} declared twice`);
    slotOf.set(c.name, i);
  });
  const index: ClaimIndex = (name, where) => {
    const i = slotOf.get(name);
    if (i === undefined) throw new TypeError(`invalid plan: ${where} reads undeclared claim ${JSON.stringify(name)}`);
    return i;
  };
  return { slotOf, index };
}

function compileRule(r: RulePlan, index: ClaimIndex, members: MembershipIndex, orderedIndex: ClaimIndex): CompiledRule {
  const refs = new Set<string>();
  let forEach: CompiledRule['forEach'];
  if (r.forEach !== undefined) {
    if (!Array.isArray(r.template)) throw new TypeError(`invalid plan: ${r.id} has for each without a template`);
    refs.add(r.forEach.claim);
    forEach = {
      slot: orderedIndex(r.forEach.claim, r.id),
      matcher: compileMatcher(r.forEach.regex),
      template: r.template.slice(),
      shape: templateShape(r.template),
    };
  } else if (r.template?.some((p) => typeof p !== 'string')) {
    throw new TypeError(`invalid plan: ${r.id} has a template with captures but no for each`);
  }
  const cond = compileCond(r.when, index, r.id, refs, members);
  const inputs = [...refs].map((name) => ({ name: internalized(name), slot: index(name, r.id) }));
  const rule: CompiledRule = {
    id: r.id,
    ids: Object.freeze([r.id]),
    effect: r.effect,
    target: r.target,
    cond,
    inputs,
    plan: r,
  };
  if (forEach !== undefined) rule.forEach = forEach;
  if (r.effect !== 'grant' && r.effect !== 'deny') throw new TypeError(`invalid plan: ${r.id} effect`);
  return rule;
}

function compileRequirement(g: RequirePlan, index: ClaimIndex, members: MembershipIndex): CompiledRequirement {
  if (g.when === undefined) throw new TypeError(`invalid plan: ${g.id} has no condition`);
  const refs = new Set<string>();
  const req: CompiledRequirement = { id: g.id, text: g.text, cond: compileCond(g.when, index, g.id, refs, members) };
  const [only] = refs;
  if (refs.size === 1 && only !== undefined) req.claim = only;
  return req;
}

/** Every name (a role declared or targeted, or a fixed entitlement), sorted, with the indexes of the rules that grant and deny it. */
function compileRoles(names: readonly string[], rules: readonly CompiledRule[]): CompiledRole[] {
  const sorted = [...new Set(names)].sort();
  return sorted.map((name) => {
    const grants: number[] = [];
    const denies: number[] = [];
    rules.forEach((r, i) => {
      if (r.target === name) (r.effect === 'grant' ? grants : denies).push(i);
    });
    return { name: internalized(name), grants, denies };
  });
}
