/**
 * Scenario files (`*.scenarios.yaml`): expectation tests for one mapping, run by `claimmap test`. These are the
 * parsed cases and the results of running them; all plain JSON-serialisable data. Format: docs/testing.md, schema:
 * src/schemas/scenarios.schema.json.
 */
import type { ClaimSet, JsonValue } from '../../model/claim-set.js';
import type { Range } from '../../diagnostics/diagnostic.js';
import type { AccountStatus, ProvisionResult } from '../../runtime/types.js';

/** How a case gives its login: a full claim set, the shorthand, or a sample file (read by `loadScenarioFile`). */
export type CaseInput =
  | { kind: 'claim-set'; claimSet: ClaimSet }
  | {
      kind: 'shorthand';
      subject: string;
      /** SAML NameID format, a short name (`persistent`) or a URI; default the key's format. */
      format?: string;
      /** Default: the mapping's issuer. */
      issuer?: string;
      issuedAt?: string;
      /** SAML attributes or OIDC claims; for SAML a scalar becomes a one-value list. */
      attributes: Record<string, JsonValue>;
      indeterminate?: string[];
      verified?: boolean;
    }
  /** `range` is the `sample:` value's place in the scenario file; `claimSet` is filled in by `loadScenarioFile`. */
  | { kind: 'sample'; path: string; range: Range; claimSet?: ClaimSet };

/** One grant of a seeded account. */
export interface GrantSeed {
  name: string;
  source: 'mapping' | 'manual';
  /** For mapping grants; default the ids of the rules the case's login grants it by (none if it does not). */
  rules?: string[];
  /** For mapping grants; default the plan's digest and version. */
  mappingDigest?: string;
  mappingVersion?: string | null;
}

/**
 * An account put in the store before the case's login.
 *
 * @example
 * ```ts
 * const seed: AccountSeed = { subject: 'jane', status: 'active', profile: {}, roles: [], entitlements: [] };
 * ```
 */
export interface AccountSeed {
  /** The key subject; default the key the case's claims give. */
  subject?: string;
  status: AccountStatus;
  profile: Record<string, JsonValue>;
  roles: GrantSeed[];
  entitlements: GrantSeed[];
  lastIssuedAt?: string;
}

/**
 * What a case expects after its login. Lists compare as sets. `profile: { f: null }` expects `f` to be unset.
 *
 * @example
 * ```ts
 * const expectation: Expectation = { action: 'created', rolesInclude: ['engineer'], rolesExclude: ['admin'] };
 * ```
 */
export interface Expectation {
  action: ProvisionResult['action'];
  /** The provision reason code (`runtime/unique-conflict`) or a refusal code of the decision (`key-absent`). */
  refusal?: string;
  roles?: string[];
  rolesInclude?: string[];
  rolesExclude?: string[];
  entitlements?: string[];
  entitlementsInclude?: string[];
  entitlementsExclude?: string[];
  profile?: Record<string, JsonValue>;
}

/**
 * One case of a scenario file: a login, the accounts that exist before it, and what is expected.
 *
 * @example
 * ```ts
 * for (const c of file.cases) console.log(c.name, c.expect.action);
 * ```
 */
export interface ScenarioCase {
  name: string;
  input: CaseInput;
  existing?: AccountSeed;
  others: AccountSeed[];
  /** The login time (ISO 8601); default the file's `now`, else the current time. */
  now?: string;
  expect: Expectation;
  /** Where the case starts in the scenario file. */
  range: Range;
}

/**
 * A parsed scenario file.
 *
 * @example
 * ```ts
 * const { file }: { file: ScenarioFile | null } = loadScenarioFile('acme.scenarios.yaml');
 * console.log(file?.cases.length);
 * ```
 */
export interface ScenarioFile {
  /** The scenario file's name, as given. */
  file: string;
  /** The `mapping:` entry as written (relative to the file), if any. */
  mapping?: string;
  now?: string;
  cases: ScenarioCase[];
}

/**
 * One expectation that did not hold: the field (`roles`, `profile.email`), expected and actual values.
 *
 * @example
 * ```ts
 * for (const f of caseResult.failures) console.error(f.field, 'missing', f.missing, 'extra', f.extra);
 * ```
 */
export interface FieldFailure {
  field: string;
  expected: JsonValue;
  actual: JsonValue;
  /** For set expectations: what is missing and what is extra (or, for `_exclude`, what is present). */
  missing?: string[];
  extra?: string[];
}

/**
 * What the login did, as compared. `profile` holds only the fields the case asked about (absent: null).
 *
 * @example
 * ```ts
 * const actual: ActualOutcome | null = caseResult.actual;
 * console.log(actual?.action, actual?.roles, actual?.changes.join('\n'));
 * ```
 */
export interface ActualOutcome {
  action: ProvisionResult['action'];
  /** The provision reason code, and the decision's refusal codes, when refused or conflicting. */
  refusals: string[];
  roles: string[];
  entitlements: string[];
  profile: Record<string, JsonValue>;
  /** What the login changed, one line per change (`+ role admin (roles[1])`), for failure output. */
  changes: string[];
}

/**
 * The result of one scenario case: passed, failed (with the fields that differ) or error.
 *
 * @example
 * ```ts
 * const { cases } = await runScenarios(plan, file);
 * for (const c of cases) if (c.status !== 'passed') console.error(c.name, c.failures, c.error);
 * ```
 */
export interface CaseResult {
  name: string;
  status: 'passed' | 'failed' | 'error';
  failures: FieldFailure[];
  /** Set when the case could not run (an exception, or a seed that needs a key the claims do not give). */
  error?: { code: string; message: string };
  actual: ActualOutcome | null;
  line: number;
  durationMs: number;
}

/**
 * What {@link runScenarios} returns for one file.
 *
 * @example
 * ```ts
 * const run: ScenarioRunResult = await runScenarios(plan, file);
 * if (run.failed) process.stdout.write(formatScenarioText([run]));
 * ```
 */
export interface ScenarioRunResult {
  file: string;
  mapping: { name: string; version: string | null; digest: string };
  cases: CaseResult[];
  passed: number;
  failed: number;
}
