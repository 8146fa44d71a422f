/**
 * The safety invariants the checker enforces on a mapping, re-checked on a compiled plan by `loadPlan`: a plan is
 * JSON anyone can edit and re-digest, so a hand-edited plan must not be able to do what the source language refuses.
 * - the key is durable (`key/...`): a persistent NameID in SAML, `sub` in OIDC, or required single-valued claims
 *   that are neither mutable identifiers nor emails; anything else only with an `unsafe` reason the plan repeats;
 * - privileged roles (`privileged/...`) are granted only under a condition, by exact or anchored tests, on claims
 *   users cannot edit;
 * - role and entitlement names follow the name rules (`name/...`): src/names/name.ts, and none looks like a
 *   privileged name without being it (src/names/confusables.ts).
 * Each refusal is a {@link ClaimmapError} with a `plan/...` code and the JSON pointer of the offending node.
 * Imports no parser: the runtime loads it.
 */
import { analyzeGrant, fromPlanCond, type InexactReason, planClaimFacts } from '../check/exact-path.js';
import { ClaimmapError } from '../errors.js';
import { confusableWith, lookalikeDetail } from '../names/confusables.js';
import { describeNameProblem, nameProblem, quoteName, templateProblem } from '../names/name.js';
import type { RegexAnalysis } from '../regex/analyze.js';
import { DURABLE_NAMEID_FORMATS, nonDurableKeyClaim } from './key-durability.js';
import type { PlanErrorCode } from './plan-errors.js';
import type { ClaimPlan, Cond, Plan, RegexPlan, RulePlan } from '../model/plan.js';
import { defined } from '../model/invariant.js';

const RECOMPILE = 'Fix the mapping and recompile the plan.';

function refuse(code: PlanErrorCode, message: string, path: string, hint = RECOMPILE): ClaimmapError<PlanErrorCode> {
  return new ClaimmapError(code, message, { position: { path }, hint });
}

/**
 * Re-checks the checker's safety invariants on a plan that matches the schema and whose references resolve (see
 * `checkReferences` in load-plan.ts). `claims` indexes the declared claims; `analysis` gives the analysis of a regex
 * of the plan (already verified). Throws `plan/unsafe-key`, `plan/invalid-name`, `plan/confusable-name` or
 * `plan/privileged-rule`.
 */
export function checkSafety(
  plan: Plan,
  claims: ReadonlyMap<string, ClaimPlan>,
  _analysis: (r: RegexPlan) => RegexAnalysis,
): void {
  checkKey(plan, claims);
  checkNames(plan);
  checkPrivileged(plan);
}

/** The durable key: the checker's key-form, key-claim and unsafe rules. */
function checkKey(plan: Plan, claims: ReadonlyMap<string, ClaimPlan>): void {
  const k = plan.key;
  const protocol = plan.idp.protocol;
  if (k.kind === 'nameid' && protocol !== 'saml')
    throw refuse('plan/unsafe-key', 'An OIDC plan cannot be keyed on a SAML NameID.', '/key/kind');
  if (k.kind === 'sub' && protocol !== 'oidc') {
    throw refuse(
      'plan/unsafe-key',
      'A SAML plan cannot be keyed on sub: the NameID format would not be checked.',
      '/key/kind',
    );
  }
  let needs: { why: string; path: string } | null = null;
  if (k.kind === 'nameid' && !DURABLE_NAMEID_FORMATS.has(k.format)) {
    needs = { why: `A ${k.format} NameID is not a durable key`, path: '/key/format' };
  }
  if (k.kind === 'claims') {
    k.claims.forEach((name, i) => {
      const c = defined(claims.get(name));
      const path = `/key/claims/${i}`;
      if (!c.required)
        throw refuse(
          'plan/unsafe-key',
          `The key claim ${JSON.stringify(name)} is optional: every login must carry the key.`,
          path,
        );
      if (c.type.kind === 'set' || c.type.kind === 'list')
        throw refuse(
          'plan/unsafe-key',
          `The key claim ${JSON.stringify(name)} is a ${c.type.kind}: a key is one value.`,
          path,
        );
      const why = nonDurableKeyClaim(c.source, c.type.kind);
      if (why !== null && needs === null) {
        needs = {
          why:
            `The key claim ${JSON.stringify(name)} is ` +
            `${why === 'email-claim' ? 'typed email' : 'a mutable identifier'}, not a durable key`,
          path,
        };
      }
    });
  }
  const reason = k.unsafe;
  if (reason !== undefined && reason.trim() === '')
    throw refuse('plan/unsafe-key', 'The key has an unsafe override without a reason.', '/key/unsafe');
  if (needs !== null && reason === undefined) {
    throw refuse(
      'plan/unsafe-key',
      `${needs.why}, and the plan gives no unsafe reason for it.`,
      needs.path,
      'Key on a durable identifier, or add unsafe "<reason>" to the key in the mapping and recompile.',
    );
  }
  if (reason !== undefined && !plan.unsafe.some((u) => u.reason === reason)) {
    throw refuse(
      'plan/unsafe-key',
      "The key's unsafe reason is not listed in unsafe, so decisions would not repeat it.",
      '/unsafe',
    );
  }
}

/**
 * The one entitlement a rule grants or denies, at the JSON pointer it comes from: its target, or for a `for each`
 * rule its template when that has no capture; null for a template with captures (see {@link templateProblem}).
 */
function fixedEntitlement(r: RulePlan, path: string): { name: string; path: string } | null {
  if (r.template === undefined) return { name: r.target, path: `${path}/target` };
  if (r.template.some((p) => typeof p !== 'string')) return null;
  return { name: r.template.join(''), path: `${path}/template` };
}

function checkName(name: string, path: string, what: 'role' | 'entitlement'): void {
  const problem = nameProblem(name);
  if (problem !== null)
    throw refuse('plan/invalid-name', `The ${what} name ${quoteName(name)} ${describeNameProblem(problem)}.`, path);
}

/** Every role and entitlement name follows the name rules, and none looks like a privileged role it is not. */
function checkNames(plan: Plan): void {
  const privileged = plan.roles.privileged;
  const notLookalike = (name: string, path: string, what: 'role' | 'entitlement'): void => {
    if (privileged.includes(name)) return;
    const like = confusableWith(name, privileged);
    if (like !== undefined) {
      throw refuse(
        'plan/confusable-name',
        `The ${what} ${quoteName(name)} looks like the privileged role ${quoteName(like)} but is not it: it ` +
          `${lookalikeDetail(name, like)}.`,
        path,
      );
    }
  };
  for (const [i, n] of privileged.entries()) checkName(n, `/roles/privileged/${i}`, 'role');
  plan.roles.declared.forEach((n, i) => {
    checkName(n, `/roles/declared/${i}`, 'role');
    notLookalike(n, `/roles/declared/${i}`, 'role');
  });
  plan.roles.rules.forEach((r, i) => {
    checkName(r.target, `/roles/rules/${i}/target`, 'role');
    notLookalike(r.target, `/roles/rules/${i}/target`, 'role');
  });
  plan.entitlements.rules.forEach((r, i) => {
    const fixed = fixedEntitlement(r, `/entitlements/rules/${i}`);
    if (fixed === null) {
      const problem = templateProblem(defined(r.template));
      if (problem !== null) {
        throw refuse(
          'plan/invalid-name',
          `The entitlement template ${quoteName(r.target)} ${describeNameProblem(problem)}.`,
          `/entitlements/rules/${i}/template`,
        );
      }
      return;
    }
    checkName(fixed.name, fixed.path, 'entitlement');
    notLookalike(fixed.name, fixed.path, 'entitlement');
  });
}

/** Calls `visit` on every test (leaf) of a condition, with its JSON pointer. */
function eachTest(
  c: Cond,
  path: string,
  visit: (t: Exclude<Cond, { args: Cond[] } | { arg: Cond }>, path: string) => void,
): void {
  if ('args' in c) for (const [i, a] of c.args.entries()) eachTest(a, `${path}/args/${i}`, visit);
  else if ('arg' in c) eachTest(c.arg, `${path}/arg`, visit);
  else visit(c, path);
}

/** The field of a test an inexact reason points at ('' for the test itself). */
function fieldOf(reason: InexactReason, test: Cond): string {
  switch (reason) {
    case 'negated-test':
      return '';
    case 'not-equal':
      return '/op';
    case 'all-quantifier':
      return '/quantifier';
    case 'folded-claim':
    case 'user-editable-claim':
      return '/claim';
    case 'regex-flags':
    case 'inexact-match':
    case 'leaf-name-match':
      return test.op === 'matches' ? '/regex' : '/op';
  }
}

/**
 * Privileged roles: the checker's exact-path analysis (src/check/exact-path.ts) on the plan's conditions. A grant
 * with an inexact path is kept only by its own `unsafe` reason, which the plan must also list in `unsafe` (decisions
 * repeat that list as warnings).
 */
function checkPrivileged(plan: Plan): void {
  const privileged = new Set(plan.roles.privileged);
  const facts = planClaimFacts(plan);
  plan.roles.rules.forEach((r, i) => {
    if (r.effect !== 'grant' || !privileged.has(r.target)) return;
    const role = quoteName(r.target);
    const path = `/roles/rules/${i}`;
    if (r.unsafe !== undefined) {
      if (r.unsafe.trim() === '' || !plan.unsafe.some((u) => u.reason === r.unsafe)) {
        throw refuse(
          'plan/privileged-rule',
          `The unsafe reason of the grant of the privileged role ${role} is blank or not listed in the plan's ` +
            `unsafe overrides.`,
          `${path}/unsafe`,
        );
      }
      return;
    }
    const a = analyzeGrant(r.when === undefined ? undefined : fromPlanCond(r.when), facts);
    if (a.unconditional)
      throw refuse('plan/privileged-rule', `The privileged role ${role} is granted to everyone.`, path);
    if (a.exact) return;
    const at = new Map<Cond, string>();
    eachTest(defined(r.when), `${path}/when`, (t, p) => at.set(t, p));
    const first = defined(a.inexact[0]);
    throw refuse(
      'plan/privileged-rule',
      `The privileged role ${role} is granted on an inexact path ` +
        `(${first.reasons.map((why) => `privileged/${why}`).join(', ')}).`,
      `${at.get(first.leaf) ?? `${path}/when`}${fieldOf(defined(first.reasons[0]), first.leaf)}`,
    );
  });
}
