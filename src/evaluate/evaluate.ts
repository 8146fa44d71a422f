/**
 * `evaluate(plan, claimSet)`: the hot path of every login. Pure: no I/O, no clock, no randomness; never throws on
 * untrusted claims (a bad claim is malformed, a bad login is refused). Caller mistakes (not a plan, not a claim set)
 * throw TypeError.
 *
 * Order of work: read and type every declared claim once; collect every refusal (protocol, issuer, `require` gates
 * that are not true, key, required claims); compute the profile; then, unless refused, evaluate role and entitlement
 * rules (deny beats grant and fires on unknown).
 */
import type { ClaimSet } from '../model/claim-set.js';
import type { Plan } from '../model/plan.js';
import { type ClaimReader, aliasesObject, claimsObject, indeterminateSet } from './claim-values.js';
import {
  type CompiledPlan,
  type CompiledRole,
  type CompiledRule,
  REMOVE_BY_SHAPE,
  type RuleResults,
  compiledPlan,
  ruleResults,
} from './compile-closures.js';
import { F, T, type Tri, U, textOf, truthName } from './conditions.js';
import type { ClaimState, Decision, EvaluateOptions, ProfileValue, Refusal, TraceEntry } from './decision.js';
import { renderTemplate } from './entitlement-template.js';
import type { RulesFn } from './generate-rules.js';
import { EntitlementSet } from './entitlement-set.js';
import { clip } from './key.js';
import { defined, present } from '../model/invariant.js';

type Denied = Decision['denied'][number];

const EMPTY: readonly never[] = Object.freeze([]);
const EMPTY_RECORD: Readonly<Record<string, string[]>> = Object.freeze(Object.create(null) as Record<string, string[]>);
const EMPTY_GRANTED_BY: Decision['grantedBy'] = Object.freeze({
  roles: EMPTY_RECORD,
  entitlements: EMPTY_RECORD,
}) as Decision['grantedBy'];

/** A shared frozen empty array typed as mutable (the Decision type is mutable; its empty arrays are frozen). */
function empty<X>(): X[] {
  return EMPTY as unknown as X[];
}

/**
 * Evaluates a compiled plan against one claim set.
 *
 * The plan is compiled to closures on first use (its rule conditions also to generated functions, used without a
 * trace; see generate-rules.ts) and cached per plan object (so a plan must not be mutated after its first
 * evaluation; compile() and loadPlan() return plans nobody mutates). `claimSet.claims` may be any JSON value:
 * a non-object counts as no claims. The result is JSON-serialisable. To keep the hot path allocation-free, some parts
 * are shared between decisions and frozen: empty arrays and records, `warnings`, `mapping`, and a provenance list
 * naming a single rule. Copy before mutating.
 *
 * @example
 * ```ts
 * const d = evaluate(plan, { protocol: 'oidc', issuer: 'https://idp.example.com', subject: { id: '42' },
 *   claims: { sub: '42', groups: ['eng'] }, verified: true });
 * if (d.outcome === 'allow') grant(d.key, d.roles, d.entitlements);
 * ```
 */
export function evaluate(plan: Plan, claimSet: ClaimSet, options?: EvaluateOptions): Decision {
  const c = compiledPlan(plan);
  if (typeof claimSet !== 'object' || claimSet === null) throw new TypeError('evaluate: claimSet must be a ClaimSet');
  const trace = options?.trace === true;
  // A trace shows claim values: then every set is read canonical (sorted, de-duplicated).
  return decide(c, claimSet, readAll(claimSet, trace ? c.readers : c.fastReaders), trace, null, null);
}

/**
 * Internal options of {@link evaluateFrom} (for the simulator; not part of the public API).
 */
export interface EvaluateInternals {
  /**
   * Rule truth counters, length 3 × (role rules + entitlement rules): for each rule evaluated, rule i (role rules
   * first, then entitlement rules, in plan order) adds 1 at `3 * i + t` (t: 0 false, 1 unknown, 2 true). The same
   * numbers a trace gives (`result` of each entry; nothing for a refused login), without building the trace.
   */
  truthCounts?: Uint32Array;
}

/**
 * A baseline login prepared for incremental evaluation of its variants (see {@link evaluateFrom}): its claim states
 * and the result of every rule, computed once. Internal (for the simulator). Must not be modified.
 */
export interface EvaluationBase {
  readonly plan: Plan;
  readonly claimSet: ClaimSet;
  readonly states: readonly ClaimState[];
  /** Per declared claim, its raw value in `claimSet` (what a variant's raw value is compared with). */
  readonly raw: readonly unknown[];
  readonly results: Readonly<RuleResults>;
}

/**
 * Prepares a baseline login for {@link evaluateFrom}: reads its claims and evaluates every rule (also when the
 * login itself would be refused: a variant may not be).
 *
 * @example
 * ```ts
 * const base = evaluationBase(plan, sample);
 * const d = evaluateFrom(base, mutated); // deep-equals evaluate(plan, mutated)
 * ```
 */
export function evaluationBase(plan: Plan, claimSet: ClaimSet): EvaluationBase {
  const c = compiledPlan(plan);
  if (typeof claimSet !== 'object' || claimSet === null) throw new TypeError('evaluate: claimSet must be a ClaimSet');
  const states = readAll(claimSet, c.readers);
  const claims = claimsObject(claimSet);
  const aliases = aliasesObject(claimSet);
  const raw = c.locators.map((locate) => locate(claims, aliases));
  return { plan, claimSet, states, raw, results: computeRules(c, states, ruleResults(c)) };
}

/**
 * Evaluates a variant of a baseline login incrementally: claims whose raw value is the baseline's very value are
 * not read again, a claim that reads to an equal state (same state, equal value) counts as unchanged, and only the
 * rules that read a changed claim are evaluated again; every other rule keeps its baseline result. The decision
 * (and the truth counts) are exactly those of `evaluate(plan, claimSet)` and of its trace's rule results.
 * The decision may share values with the baseline's states and rule results.
 *
 * @example
 * ```ts
 * const counts = new Uint32Array(3 * (plan.roles.rules.length + plan.entitlements.rules.length));
 * const base = evaluationBase(plan, sample);
 * for (const m of mutations) classify(evaluateFrom(base, m, { truthCounts: counts }));
 * ```
 */
export function evaluateFrom(base: EvaluationBase, claimSet: ClaimSet, options: EvaluateInternals = {}): Decision {
  const c = compiledPlan(base.plan);
  if (typeof claimSet !== 'object' || claimSet === null) throw new TypeError('evaluate: claimSet must be a ClaimSet');
  if (base.states.length !== c.readers.length || base.raw.length !== c.readers.length) {
    throw new TypeError('evaluateFrom: base is not a base of this plan');
  }
  const counts = options.truthCounts ?? null;
  if (counts !== null && counts.length !== 3 * (c.roleRules.length + c.entRules.length)) {
    throw new TypeError('evaluateFrom: truthCounts must have 3 entries per rule');
  }
  // A claim whose raw value is the base's very value keeps the base's state without being read; a claim read to an
  // equal state gets the base's state too, so the rules reading it keep their results.
  const claims = claimsObject(claimSet);
  const baseClaims = claimsObject(base.claimSet);
  const aliases = aliasesObject(claimSet);
  const indet = indeterminateSet(claimSet);
  const sameLookup =
    base.claimSet.aliases === claimSet.aliases && base.claimSet.indeterminate === claimSet.indeterminate;
  const readers = c.readers;
  const baseStates = base.states;
  const baseRaw = base.raw;
  const states: ClaimState[] = new Array(readers.length);
  // for...of over the plan's own arrays: no index read that could be out of range, so no check per claim.
  let i = 0;
  for (const read of readers) {
    const b = defined(baseStates[i]);
    const locate = c.locators[i];
    if (sameLookup && (claims === baseClaims || (locate !== undefined && locate(claims, aliases) === baseRaw[i]))) {
      states[i++] = b;
      continue;
    }
    const s = read(claims, aliases, indet);
    states[i++] = sameState(s, b) ? b : s;
  }
  return decide(c, claimSet, states, false, counts, base);
}

/** Whether two claim states are equal (same state; equal value, element by element for arrays). */
function sameState(a: ClaimState, b: ClaimState): boolean {
  if (a.state === 'present') {
    if (b.state !== 'present') return false;
    const x = a.value;
    const y = b.value;
    if (x === y) return true;
    if (!Array.isArray(x) || !Array.isArray(y) || x.length !== y.length) return false;
    for (let k = 0; k < x.length; k++) if (x[k] !== y[k]) return false;
    return true;
  }
  if (a.state === 'absent') return b.state === 'absent';
  return b.state === 'malformed' && a.reason === b.reason && a.detail === b.detail;
}

function decide(
  c: CompiledPlan,
  claimSet: ClaimSet,
  vals: readonly ClaimState[],
  trace: boolean,
  counts: Uint32Array | null,
  base: EvaluationBase | null,
): Decision {
  // 1. Claims: the absent and the malformed ones, in declaration order (null: none).
  let absent: string[] | null = null;
  let malformed: Decision['malformed'] | null = null;
  for (let i = 0; i < vals.length; i++) {
    // Indexes below vals.length: s is never undefined. The name is looked up only for a claim with a problem.
    const s = vals[i];
    if (s?.state === 'absent') {
      absent ??= [];
      absent.push(defined(c.claimNames[i]));
    } else if (s?.state === 'malformed') {
      malformed ??= [];
      malformed.push({ claim: defined(c.claimNames[i]), reason: s.reason, detail: s.detail });
    }
  }
  // 2. Refusals, all of them, in a fixed order.
  const refusals: Refusal[] = [];
  const subject = refusalsOf(c, claimSet, vals, refusals);
  // 3. Profile (reported even when refused, for explanations; nothing is granted then).
  const profile = profileOf(c, vals);
  if (refusals.length > 0) {
    const d = decision(c, 'refuse', refusals, null, profile, absent, malformed, null, null, null);
    if (trace) d.trace = [];
    return d;
  }
  const key = subject === null ? null : { issuer: c.plan.idp.issuer, subject };

  // 4. Rules. Every part of the decision is composed before the decision object is built, once.
  const traceEntries: TraceEntry[] | null = trace ? [] : null;
  // Without a trace, the plan's generated rules function (when there is one); else the closures of each rule.
  const results =
    base !== null
      ? updateRules(c, base, vals, c.scratch)
      : c.rules !== null && !trace
        ? generatedRules(c, c.rules, vals, c.scratch)
        : computeRules(c, vals, c.scratch);
  if (counts !== null) countTruths(results, counts);
  const denied: Denied[] = [];
  const roles = evaluateRoles(c, vals, results.roleTruth, denied, traceEntries);
  const ents =
    c.entTable !== null && traceEntries === null
      ? fixedEntitlements(c, results.entTruth, denied)
      : evaluateEntitlements(c, vals, results, denied, traceEntries);
  const d = decision(c, 'allow', null, key, profile, absent, malformed, roles, ents, denied);
  if (traceEntries !== null) d.trace = traceEntries;
  return d;
}

/**
 * The granted names of one section, sorted, with the ids of the rules that granted each (null-prototype record).
 */
interface Granted {
  names: string[];
  grantedBy: Record<string, string[]>;
}

/** The decision object, built in one place so that every decision has the same shape. */
function decision(
  c: CompiledPlan,
  outcome: Decision['outcome'],
  refusals: Refusal[] | null,
  key: Decision['key'],
  profile: Decision['profile'],
  absent: string[] | null,
  malformed: Decision['malformed'] | null,
  roles: Granted | null,
  ents: Granted | null,
  denied: Denied[] | null,
): Decision {
  return {
    outcome,
    refusals: refusals ?? empty(),
    key,
    profile,
    roles: roles === null ? empty() : roles.names,
    entitlements: ents === null ? empty() : ents.names,
    grantedBy:
      roles === null && ents === null
        ? EMPTY_GRANTED_BY
        : {
            roles: roles === null ? EMPTY_RECORD : roles.grantedBy,
            entitlements: ents === null ? EMPTY_RECORD : ents.grantedBy,
          },
    denied: denied === null || denied.length === 0 ? empty() : denied,
    absent: absent ?? empty(),
    malformed: malformed ?? empty(),
    warnings: c.warnings as string[],
    mapping: c.mapping as Decision['mapping'],
  };
}

/**
 * Pushes every reason to refuse into `refusals`, in a fixed order (protocol, issuer, requirements, key, required
 * claims); returns the subject the key derives (null when it cannot).
 */
function refusalsOf(
  c: CompiledPlan,
  claimSet: ClaimSet,
  vals: readonly ClaimState[],
  refusals: Refusal[],
): string | null {
  const plan_ = c.plan;
  if (claimSet.protocol !== c.protocol) {
    refusals.push({
      code: 'protocol-mismatch',
      message: `the claims came by ${shown(claimSet.protocol)}, the mapping expects ${c.protocol}`,
    });
  }
  if (claimSet.issuer !== plan_.idp.issuer && !plan_.idp.aliases.includes(claimSet.issuer)) {
    refusals.push({
      code: 'issuer-mismatch',
      message: `the issuer ${shown(claimSet.issuer)} is not the mapping's IdP ${clip(plan_.idp.issuer)}`,
    });
  }
  for (const g of c.require) {
    const t = g.cond(vals);
    if (t === T) continue;
    const r: Refusal = {
      code: 'requirement-not-met',
      message: `the requirement ${g.id} (${g.text}) is ${truthName(t)}`,
    };
    if (g.claim !== undefined) r.claim = g.claim;
    refusals.push(r);
  }
  const subject = c.key(claimSet, vals, refusals);
  requiredClaimRefusals(c, vals, refusals);
  return subject;
}

/** A refusal for each required claim that is absent or malformed, in declaration order. */
function requiredClaimRefusals(c: CompiledPlan, vals: readonly ClaimState[], refusals: Refusal[]): void {
  for (let i = 0; i < vals.length; i++) {
    if (!c.required[i]) continue;
    const s = vals[i];
    if (s?.state === 'absent') {
      const claim = defined(c.claimNames[i]);
      refusals.push({ code: 'required-claim-absent', message: `the required claim ${claim} is absent`, claim });
    } else if (s?.state === 'malformed') {
      const claim = defined(c.claimNames[i]);
      refusals.push({
        code: 'required-claim-malformed',
        message: `the required claim ${claim} is malformed (${s.reason})`,
        claim,
      });
    }
  }
}

/** The profile values of the decision, each with its sync mode and clear flag. */
function profileOf(c: CompiledPlan, vals: readonly ClaimState[]): Record<string, ProfileValue> {
  const profile = Object.create(null) as Record<string, ProfileValue>;
  for (const p of c.profile) {
    const s = p.expr(vals);
    profile[p.name] =
      s.state === 'present'
        ? { sync: p.sync, clear: p.clear, state: 'present', value: s.value }
        : { sync: p.sync, clear: p.clear, state: s.state };
  }
  return profile;
}

/** Evaluates every rule into `out` (see RuleResults). */
function computeRules(c: CompiledPlan, vals: readonly ClaimState[], out: RuleResults): RuleResults {
  const roleRules = c.roleRules;
  const roleTruth = out.roleTruth;
  let j = 0;
  for (const rule of roleRules) roleTruth[j++] = rule.cond(vals);
  j = 0;
  for (const rule of c.entRules) entRule(rule, vals, out, j++);
  return out;
}

/** Evaluates every rule into `out` with the plan's generated function (the same results as computeRules). */
function generatedRules(c: CompiledPlan, rules: RulesFn, vals: readonly ClaimState[], out: RuleResults): RuleResults {
  rules(vals, out.roleTruth, out.entTruth);
  const entTruth = out.entTruth;
  let j = 0;
  for (const rule of c.entRules) {
    entRuleWith(rule, defined(entTruth[j]) as Tri, vals, out, j);
    j++;
  }
  return out;
}

/** Evaluates one entitlement rule into `out[j]`. */
function entRule(r: CompiledRule, vals: readonly ClaimState[], out: RuleResults, j: number): void {
  entRuleWith(r, r.cond(vals), vals, out, j);
}

/** Completes one entitlement rule whose condition is `t` (the `for each` adjustment and output) into `out[j]`. */
function entRuleWith(r: CompiledRule, t: Tri, vals: readonly ClaimState[], out: RuleResults, j: number): void {
  let produced: RuleResults['entOut'][number] = null;
  const fe = r.forEach;
  if (fe !== undefined) {
    const s = defined(vals[fe.slot]);
    if (s.state !== 'present') {
      t = t === F ? F : U;
      // Which entitlements a deny names is unknown: it removes every granted one it could name (fail closed).
      if (t === U && r.effect === 'deny') produced = REMOVE_BY_SHAPE;
    } else if (r.effect === 'grant' ? t === T : t !== F) {
      produced = produce(r, s.value);
    }
  }
  out.entTruth[j] = t;
  out.entOut[j] = produced;
}

/**
 * The base's rule results with every rule that reads a changed claim (a state that is not the base's state object)
 * evaluated again, into `out`; the base's own results when no claim changed.
 */
function updateRules(
  c: CompiledPlan,
  base: EvaluationBase,
  vals: readonly ClaimState[],
  out: RuleResults,
): RuleResults {
  const baseStates = base.states;
  let first = -1;
  for (let i = 0; i < vals.length; i++) {
    if (vals[i] !== baseStates[i]) {
      first = i;
      break;
    }
  }
  if (first < 0) return base.results as RuleResults;
  // Rules to evaluate again: when they are most of the plan, the generated function evaluates them all faster than
  // their closures one by one (same results: test/evaluate/generate-rules.test.ts).
  if (c.rules !== null) {
    let again = 0;
    for (let i = first; i < vals.length; i++) {
      if (vals[i] !== baseStates[i])
        again += defined(c.roleRulesBySlot[i]).length + defined(c.entRulesBySlot[i]).length;
    }
    if (2 * again >= c.roleRules.length + c.entRules.length) return generatedRules(c, c.rules, vals, out);
  }
  const from = base.results;
  out.roleTruth.set(from.roleTruth);
  out.entTruth.set(from.entTruth);
  const entOut = out.entOut;
  for (let j = 0; j < entOut.length; j++) entOut[j] = defined(from.entOut[j]);
  const roleRules = c.roleRules;
  const entRules = c.entRules;
  for (let i = first; i < vals.length; i++) {
    if (vals[i] === baseStates[i]) continue;
    // A rule that reads several changed claims is evaluated once per claim: same result, rare (login mutations).
    for (const j of defined(c.roleRulesBySlot[i])) out.roleTruth[j] = defined(roleRules[j]).cond(vals);
    for (const j of defined(c.entRulesBySlot[i])) entRule(defined(entRules[j]), vals, out, j);
  }
  return out;
}

/** Adds each rule's truth value to the counters (role rules first, then entitlement rules). */
function countTruths(results: RuleResults, counts: Uint32Array): void {
  const roleTruth = results.roleTruth;
  const n = roleTruth.length;
  for (let j = 0; j < n; j++) {
    const k = 3 * j + defined(roleTruth[j]);
    counts[k] = defined(counts[k]) + 1;
  }
  const entTruth = results.entTruth;
  const offset = 3 * n;
  for (let j = 0; j < entTruth.length; j++) {
    const k = offset + 3 * j + defined(entTruth[j]);
    counts[k] = defined(counts[k]) + 1;
  }
}

function readAll(cs: ClaimSet, readers: readonly ClaimReader[]): ClaimState[] {
  const claims = claimsObject(cs);
  const aliases = aliasesObject(cs);
  const indet = indeterminateSet(cs);
  const vals: ClaimState[] = new Array(readers.length);
  let i = 0;
  for (const read of readers) vals[i++] = read(claims, aliases, indet);
  return vals;
}

/**
 * Reads and types one declared claim exactly as `evaluate` does (for the simulator and explanations).
 * Throws TypeError when the plan declares no claim of that name.
 *
 * @example
 * ```ts
 * readClaim(plan, claimSet, 'groups') // { state: 'malformed', reason: 'indeterminate', detail: '…' }
 * ```
 */
export function readClaim(plan: Plan, claimSet: ClaimSet, name: string): ClaimState {
  const c = compiledPlan(plan);
  const i = c.slotOf.get(name);
  if (i === undefined) throw new TypeError(`readClaim: the plan declares no claim ${JSON.stringify(name)}`);
  return defined(c.readers[i])(claimsObject(claimSet), aliasesObject(claimSet), indeterminateSet(claimSet));
}

function traceEntry(
  r: CompiledRule,
  section: TraceEntry['section'],
  t: Tri,
  fired: boolean,
  vals: readonly ClaimState[],
  produced: string[] | undefined,
): TraceEntry {
  const inputs = Object.create(null) as Record<string, ClaimState>;
  for (const inp of r.inputs) inputs[inp.name] = defined(vals[inp.slot]);
  const e: TraceEntry = {
    rule: r.id,
    section,
    effect: r.effect,
    target: r.target,
    result: truthName(t),
    fired,
    inputs,
    loc: r.plan.loc,
    text: r.plan.text,
  };
  if (produced !== undefined) e.produced = produced;
  return e;
}

/**
 * The granted roles and their provenance; pushes every blocking deny into `denied` (roles in name order, deny rules
 * in plan order) and, with a trace, an entry per role rule.
 */
function evaluateRoles(
  c: CompiledPlan,
  vals: readonly ClaimState[],
  truth: Uint8Array,
  denied: Denied[],
  traceEntries: TraceEntry[] | null,
): Granted | null {
  const rules = c.roleRules;
  const granted = composeFixed(c.roles, rules, truth, 'role', denied);
  if (traceEntries !== null) {
    for (let j = 0; j < rules.length; j++) {
      const r = defined(rules[j]);
      const t = defined(truth[j]) as Tri;
      traceEntries.push(traceEntry(r, 'roles', t, r.effect === 'grant' ? t === T : t !== F, vals, undefined));
    }
  }
  return granted;
}

/**
 * Combines the rules of fixed targets (every role; entitlements when no rule has a `for each`): a target with a deny
 * that is not false is blocked (each such deny recorded in `denied` unless it is null, in target order); otherwise it is granted when
 * a grant is true, with the ids of the true grants in plan order (the rule's shared frozen `[id]` when only one).
 */
function composeFixed(
  table: readonly CompiledRole[],
  rules: readonly CompiledRule[],
  truth: Uint8Array,
  kind: Denied['kind'],
  denied: Denied[] | null,
): Granted | null {
  let names: string[] | null = null;
  let grantedBy: Record<string, string[]> | null = null;
  for (const entry of table) {
    let blocked = false;
    for (const k of entry.denies) {
      const t = defined(truth[k]) as Tri;
      if (t !== F) {
        blocked = true;
        denied?.push({ kind, name: entry.name, rule: defined(rules[k]).id, result: truthName(t) });
      }
    }
    if (blocked) continue;
    let ids: readonly string[] | null = null;
    for (const k of entry.grants) {
      if (truth[k] !== T) continue;
      const r = defined(rules[k]);
      ids = ids === null ? r.ids : [...ids, r.id];
    }
    if (ids !== null) {
      names ??= [];
      names.push(entry.name);
      grantedBy ??= Object.create(null) as Record<string, string[]>;
      grantedBy[entry.name] = ids as string[];
    }
  }
  return names === null ? null : { names, grantedBy: present(grantedBy) };
}

/**
 * The entitlements of a plan whose entitlement rules all have fixed targets, composed like roles from the rule
 * table; the denies are recorded in plan order (as {@link denyEntitlements} does).
 */
function fixedEntitlements(c: CompiledPlan, truth: Uint8Array, denied: Denied[]): Granted | null {
  const rules = c.entRules;
  if (rules.length === 0) return null;
  for (let j = 0; j < rules.length; j++) {
    const r = defined(rules[j]);
    if (r.effect !== 'deny') continue;
    const t = defined(truth[j]) as Tri;
    if (t !== F) denied.push({ kind: 'entitlement', name: r.target, rule: r.id, result: truthName(t) });
  }
  // The denies are recorded above, in plan order: composeFixed records nothing more.
  return composeFixed(present(c.entTable), rules, truth, 'entitlement', null);
}

/** One `for each` value as text (integers in decimal), or undefined for anything else. */
/** An untrusted value as message text: a string clipped, anything else by its type (never `String(x)`, which can throw). */
function shown(x: unknown): string {
  return typeof x === 'string' ? clip(x) : `(a ${x === null ? 'null' : typeof x})`;
}

/**
 * Applies a `for each` rule to the present claim value (a set or list, or one scalar); returns the distinct
 * produced entitlements in value order. De-duplication switches from a linear scan to a Set past a few values, so
 * a huge group list stays linear.
 */
function produce(r: CompiledRule, value: unknown): string[] {
  const fe = defined(r.forEach);
  const out: string[] = [];
  let seen: Set<string> | null = null;
  const n = Array.isArray(value) ? value.length : 1;
  for (let k = 0; k < n; k++) {
    const s = textOf(Array.isArray(value) ? value[k] : value);
    if (s === undefined) continue;
    const m = fe.matcher.exec(s);
    if (m === null) continue;
    const e = renderTemplate(fe.template, m);
    if (e === undefined) continue;
    if (seen !== null) {
      if (seen.has(e)) continue;
      seen.add(e);
    } else if (out.includes(e)) continue;
    else if (out.length === 16) seen = new Set([...out, e]);
    out.push(e);
  }
  return out;
}

/** The entitlements of any plan (`for each` rules, traces), through an {@link EntitlementSet}. */
function evaluateEntitlements(
  c: CompiledPlan,
  vals: readonly ClaimState[],
  results: RuleResults,
  denied: Denied[],
  traceEntries: TraceEntry[] | null,
): Granted | null {
  const rules = c.entRules;
  if (rules.length === 0) return null;
  const granted = new EntitlementSet();
  const traced: (TraceEntry | undefined)[] | null = traceEntries !== null ? new Array(rules.length) : null;
  // Grants first, then denies: a deny removes an entitlement whatever the rule order.
  grantEntitlements(rules, vals, results, granted, traced);
  denyEntitlements(rules, vals, results, granted, denied, traced);
  // Every rule's entry was set by index in one of the two passes.
  if (traceEntries !== null && traced !== null) for (const e of traced) traceEntries.push(defined(e));
  return granted.result();
}

/** The grant rules of the entitlements section into `granted` (and their trace entries into `traced`, by index). */
function grantEntitlements(
  rules: readonly CompiledRule[],
  vals: readonly ClaimState[],
  results: RuleResults,
  granted: EntitlementSet,
  traced: (TraceEntry | undefined)[] | null,
): void {
  const truth = results.entTruth;
  const outputs = results.entOut;
  for (let j = 0; j < rules.length; j++) {
    const r = defined(rules[j]);
    if (r.effect !== 'grant') continue;
    const t = defined(truth[j]) as Tri;
    let produced: readonly string[] | undefined;
    if (r.forEach === undefined) {
      if (t === T) granted.add(r.target, r.id, r.ids);
    } else {
      const out = defined(outputs[j]);
      produced = out === null || out === REMOVE_BY_SHAPE ? EMPTY : out;
      for (let k = 0; k < produced.length; k++) granted.add(defined(produced[k]), r.id, r.ids);
    }
    if (traced !== null) {
      const fired = produced !== undefined ? produced.length > 0 : t === T;
      traced[j] = traceEntry(
        r,
        'entitlements',
        t,
        fired,
        vals,
        produced === EMPTY ? [] : (produced as string[] | undefined),
      );
    }
  }
}

/** The deny rules of the entitlements section: removes from `granted`, records each removal in `denied`. */
function denyEntitlements(
  rules: readonly CompiledRule[],
  vals: readonly ClaimState[],
  results: RuleResults,
  granted: EntitlementSet,
  denied: Denied[],
  traced: (TraceEntry | undefined)[] | null,
): void {
  const truth = results.entTruth;
  const outputs = results.entOut;
  for (let j = 0; j < rules.length; j++) {
    const r = defined(rules[j]);
    if (r.effect !== 'deny') continue;
    const t = defined(truth[j]) as Tri;
    let removed: readonly string[] | undefined;
    if (r.forEach === undefined) {
      if (t !== F) {
        granted.remove(r.target);
        denied.push({ kind: 'entitlement', name: r.target, rule: r.id, result: truthName(t) });
      }
    } else {
      const out = defined(outputs[j]);
      if (out === REMOVE_BY_SHAPE) {
        const shape = r.forEach.shape;
        const names: string[] = [];
        for (const name of granted.live()) if (shape(name)) names.push(name);
        removed = names.sort();
      } else removed = out === null ? EMPTY : out;
      for (let k = 0; k < removed.length; k++) {
        const name = defined(removed[k]);
        granted.remove(name);
        denied.push({ kind: 'entitlement', name, rule: r.id, result: truthName(t) });
      }
    }
    if (traced !== null) {
      const fired = removed !== undefined ? removed.length > 0 : t !== F;
      traced[j] = traceEntry(
        r,
        'entitlements',
        t,
        fired,
        vals,
        removed === EMPTY ? [] : (removed as string[] | undefined),
      );
    }
  }
}
