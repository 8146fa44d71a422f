/**
 * Running scenario cases: each case logs in once through the real provision() on a fresh MemoryStore (seeded with
 * its `existing` and `others` accounts), and the outcome is compared with the case's expectations field by field.
 */
import type { ClaimSet, JsonValue } from '../../model/claim-set.js';
import type { Plan } from '../../model/plan.js';
import { ClaimmapError } from '../../errors.js';
import { evaluate } from '../../evaluate/index.js';
import { jsonEqual } from '../../json/equal.js';
import { provision } from '../../runtime/provision/login.js';
import { formatChange } from '../../runtime/format.js';
import { MemoryStore } from '../../runtime/stores/memory.js';
import type { ProvisionResult } from '../../runtime/types.js';
import { shorthandClaimSet } from './claim-sets.js';
import { seedAccount } from './seed.js';
import type {
  ActualOutcome,
  CaseResult,
  Expectation,
  FieldFailure,
  ScenarioCase,
  ScenarioFile,
  ScenarioRunResult,
} from './types.js';
import { defined } from '../../model/invariant.js';

/**
 * Options of {@link runScenarios}.
 *
 * @example
 * ```ts
 * const options: RunScenariosOptions = { filter: 'admin', onCase: (c) => console.log(c.status, c.name) };
 * await runScenarios(plan, file, options);
 * ```
 */
export interface RunScenariosOptions {
  /** Only cases whose name contains this text. */
  filter?: string;
  /** Called after each case (progress output). */
  onCase?: (result: CaseResult) => void;
}

/** Why a case could not run (`CaseResult.error.code`). */
export type CaseErrorCode =
  | 'scenario/sample-not-loaded' //  a `sample:` case whose file was not read (parse without loadScenarioFile)
  | 'scenario/no-key' //             `existing:` without a subject, and the claims give no account key
  | 'scenario/exception'; //          provision() or a store threw (a ClaimmapError's code is used when there is one)

class CaseError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * The claim set a case logs in with (the shorthand filled in from the plan).
 *
 * @example
 * ```ts
 * caseClaimSet(plan, file.cases[0]).issuer // plan.idp.issuer for a shorthand case
 * ```
 */
export function caseClaimSet(plan: Plan, c: ScenarioCase): ClaimSet {
  switch (c.input.kind) {
    case 'claim-set':
      return c.input.claimSet;
    case 'shorthand':
      return shorthandClaimSet(plan, c.input);
    case 'sample':
      if (!c.input.claimSet)
        throw new CaseError('scenario/sample-not-loaded', `The sample ${c.input.path} was not loaded.`);
      return c.input.claimSet;
  }
}

const names = (r: ProvisionResult, kind: 'role' | 'entitlement'): string[] =>
  [...new Set((r.account?.grants ?? []).filter((g) => g.kind === kind).map((g) => g.name))].sort();

function actualOf(r: ProvisionResult, expect: Expectation): ActualOutcome {
  const profile: Record<string, JsonValue> = {};
  const stored = r.account?.profile ?? {};
  for (const field of Object.keys(expect.profile ?? {})) {
    profile[field] = Object.hasOwn(stored, field) ? defined(stored[field]) : null;
  }
  const refusals = r.reason ? [r.reason.code, ...r.decision.refusals.map((x) => x.code)] : [];
  return {
    action: r.action,
    refusals,
    roles: names(r, 'role'),
    entitlements: names(r, 'entitlement'),
    profile,
    changes: r.changes.map(formatChange),
  };
}

/**
 * Compares an outcome with a case's expectations; one {@link FieldFailure} per expectation that does not hold.
 *
 * @example
 * ```ts
 * compareOutcome({ action: 'created', roles: ['viewer'] }, actual)
 * // [{ field: 'roles', expected: ['viewer'], actual: ['admin', 'viewer'], missing: [], extra: ['admin'] }]
 * ```
 */
export function compareOutcome(expect: Expectation, actual: ActualOutcome): FieldFailure[] {
  const out: FieldFailure[] = [];
  if (expect.action !== actual.action) out.push({ field: 'action', expected: expect.action, actual: actual.action });
  if (expect.refusal !== undefined && !actual.refusals.includes(expect.refusal)) {
    out.push({ field: 'refusal', expected: expect.refusal, actual: actual.refusals });
  }
  const sets: [string, string[] | undefined, string[] | undefined, string[] | undefined, string[]][] = [
    ['roles', expect.roles, expect.rolesInclude, expect.rolesExclude, actual.roles],
    ['entitlements', expect.entitlements, expect.entitlementsInclude, expect.entitlementsExclude, actual.entitlements],
  ];
  for (const [field, exact, include, exclude, got] of sets) {
    const has = new Set(got);
    if (exact) {
      const want = new Set(exact);
      const missing = [...want].filter((n) => !has.has(n)).sort();
      const extra = got.filter((n) => !want.has(n));
      if (missing.length || extra.length) out.push({ field, expected: [...want].sort(), actual: got, missing, extra });
    }
    if (include) {
      const missing = include.filter((n) => !has.has(n)).sort();
      if (missing.length) out.push({ field: `${field}_include`, expected: [...include].sort(), actual: got, missing });
    }
    if (exclude) {
      const extra = exclude.filter((n) => has.has(n)).sort();
      if (extra.length) out.push({ field: `${field}_exclude`, expected: [...exclude].sort(), actual: got, extra });
    }
  }
  for (const [field, want] of Object.entries(expect.profile ?? {})) {
    const got = Object.hasOwn(actual.profile, field) ? defined(actual.profile[field]) : null;
    if (!jsonEqual(want, got)) out.push({ field: `profile.${field}`, expected: want, actual: got });
  }
  return out;
}

async function runCase(plan: Plan, file: ScenarioFile, c: ScenarioCase): Promise<CaseResult> {
  const started = performance.now();
  const base = { name: c.name, line: c.range.start.line };
  const now = c.now ?? file.now;
  try {
    const claimSet = caseClaimSet(plan, c);
    const store = new MemoryStore();
    const seedAt = now ?? new Date().toISOString();
    // Seeded mapping grants default to the provenance this login gives them, so an identical login is `unchanged`.
    const decision = c.existing || c.others.length ? evaluate(plan, claimSet) : null;
    const grantedBy = decision?.grantedBy ?? { roles: {}, entitlements: {} };
    if (c.existing) {
      const subject = c.existing.subject ?? decision?.key?.subject;
      if (subject === undefined) {
        throw new CaseError('scenario/no-key', 'The claims give no account key, so `existing:` needs a `subject`.');
      }
      await seedAccount(store, plan, c.existing, decision?.key?.issuer ?? plan.idp.issuer, subject, seedAt, grantedBy);
    }
    for (const other of c.others)
      await seedAccount(store, plan, other, plan.idp.issuer, defined(other.subject), seedAt, grantedBy);
    const result = await provision(plan, claimSet, now === undefined ? { store } : { store, now });
    const actual = actualOf(result, c.expect);
    const failures = compareOutcome(c.expect, actual);
    const durationMs = performance.now() - started;
    return { ...base, status: failures.length ? 'failed' : 'passed', failures, actual, durationMs };
  } catch (e) {
    const code = e instanceof CaseError || e instanceof ClaimmapError ? e.code : 'scenario/exception';
    const message = e instanceof Error ? e.message : String(e);
    return {
      ...base,
      status: 'error',
      failures: [],
      error: { code, message },
      actual: null,
      durationMs: performance.now() - started,
    };
  }
}

/**
 * Runs every case of a scenario file against a compiled plan. Cases run one after the other, each on its own
 * MemoryStore; a case that throws is reported as `error` (and counts as failed), never aborting the run.
 *
 * @example
 * ```ts
 * const { file } = loadScenarioFile('examples/okta-saml/acme.scenarios.yaml');
 * const result = await runScenarios(plan, file!);
 * console.log(`${result.passed} passed, ${result.failed} failed`);
 * ```
 */
export async function runScenarios(
  plan: Plan,
  file: ScenarioFile,
  options: RunScenariosOptions = {},
): Promise<ScenarioRunResult> {
  if (!plan || typeof plan.digest !== 'string') throw new TypeError('runScenarios: plan must be a compiled Plan');
  if (!file || !Array.isArray(file.cases)) throw new TypeError('runScenarios: file must be a parsed ScenarioFile');
  const cases: CaseResult[] = [];
  for (const c of file.cases) {
    if (options.filter !== undefined && !c.name.includes(options.filter)) continue;
    const r = await runCase(plan, file, c);
    cases.push(r);
    options.onCase?.(r);
  }
  const passed = cases.filter((r) => r.status === 'passed').length;
  return {
    file: file.file,
    mapping: { name: plan.name, version: plan.version, digest: plan.digest },
    cases,
    passed,
    failed: cases.length - passed,
  };
}
