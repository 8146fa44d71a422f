/**
 * The public API is deliberate (#13 point 4): each entry point's export list is pinned here, every export carries a
 * TSDoc `@example`, and the committed API reports (api/*.api.md) match the declarations. A new export means adding
 * it below, documenting it with an example, and running `npm run api`.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  API_DIR,
  createApiProgram,
  ENTRIES,
  hasExample,
  publicExports,
  renderApiReports,
} from '../../scripts/api-report.js';

/** The exports of each entry, sorted. Change this list on purpose, with the API report. */
const PINNED: Record<(typeof ENTRIES)[number]['name'], string[]> = {
  index: [
    'AccountKey',
    'AttributeInfo',
    'ClaimPlan',
    'ClaimSet',
    'ClaimState',
    'ClaimType',
    'ClaimWarning',
    'ClaimmapError',
    'CodeInfo',
    'CompileOptions',
    'CompileResult',
    'Cond',
    'Decision',
    'Diagnostic',
    'DiagnosticCode',
    'ErrorCode',
    'ErrorPosition',
    'EvaluateOptions',
    'Expr',
    'JsonValue',
    'KeyPlan',
    'Literal',
    'LoadPlanOptions',
    'MalformedReason',
    'NameIdFormatName',
    'Normalizer',
    'PLAN_FORMAT',
    'Plan',
    'Position',
    'ProfilePlan',
    'ProfileValue',
    'Protocol',
    'Quantifier',
    'Range',
    'Refusal',
    'RefusalCode',
    'RegexPlan',
    'RelatedInformation',
    'RequirePlan',
    'RulePlan',
    'ScalarType',
    'ScalarTypeName',
    'Severity',
    'SourceLoc',
    'Subject',
    'TemplatePart',
    'TraceEntry',
    'Truth',
    'UnsafeOverride',
    'VERSION',
    'compile',
    'diagnosticCatalogue',
    'evaluate',
    'lint',
    'loadPlan',
    'planDigest',
    'readClaim',
    'renderGithub',
    'renderJson',
    'renderSarif',
    'renderText',
    'renderTextReport',
    'validateClaimSet',
  ],
  claims: [
    'AttributeInfo',
    'ClaimSet',
    'ClaimWarning',
    'ClaimsError',
    'ClaimsErrorCode',
    'ClaimsFormat',
    'DEFAULT_LIMITS',
    'InputOptions',
    'JsonReadOptions',
    'JsonValue',
    'NAMEID_FORMATS',
    'NameIdFormatName',
    'NodeSamlProfileLike',
    'Protocol',
    'ReadClaimsOptions',
    'SamlReadOptions',
    'Subject',
    'WELL_KNOWN_ATTRIBUTES',
    'detectClaimsFormat',
    'fromNodeSamlProfile',
    'fromVerifiedClaims',
    'fromVerifiedSamlXml',
    'isClaimsError',
    'isEmailVerified',
    'readClaims',
    'readJwt',
    'readOidcClaims',
    'readSaml',
    'rfc3339Millis',
  ],
  runtime: [
    'Account',
    'AccountKey',
    'AccountRecord',
    'AccountStatus',
    'AuditAction',
    'AuditEvent',
    'Change',
    'ClaimSnapshot',
    'DEFAULT_MAX_CLAIM_BYTES',
    'DEFAULT_MAX_CLOCK_SKEW_MS',
    'DEFAULT_MAX_GRANT_NAME_LENGTH',
    'DEFAULT_MAX_GRANT_NOTE_LENGTH',
    'DormantOptions',
    'EachAccountOptions',
    'Grant',
    'GrantProvenance',
    'LifecycleOptions',
    'LifecycleResult',
    'ListAccountsOptions',
    'ListAccountsQuery',
    'ListAuditOptions',
    'ListAuditQuery',
    'LoadPlanOptions',
    'MAX_GRANT_ACTOR_LENGTH',
    'MAX_LIST_LIMIT',
    'ManualGrantInput',
    'ManualGrantResult',
    'MemoryStore',
    'NewAuditEvent',
    'OpenStoreOptions',
    'PostgresStore',
    'PostgresStoreOptions',
    'ProvisionOptions',
    'ProvisionReasonCode',
    'ProvisionResult',
    'RuntimeError',
    'RuntimeErrorCode',
    'SCHEMA_VERSION',
    'SqliteStore',
    'SqliteStoreOptions',
    'Store',
    'StoreTx',
    'UniqueEntry',
    'deprovision',
    'dormant',
    'eachAccount',
    'evaluate',
    'formatChange',
    'getAccount',
    'grantManual',
    'isRuntimeError',
    'listAccounts',
    'listAudit',
    'loadPlan',
    'normaliseUniqueValue',
    'openStore',
    'provision',
    'reactivate',
    'revokeManual',
    'suspend',
    'validateManualGrant',
  ],
  simulate: [
    'AccountImpact',
    'BaselineSummary',
    'CoverageReport',
    'DEFAULT_OPERATORS',
    'DriftEntry',
    'DriftReason',
    'DriftReport',
    'Finding',
    'GrantTotal',
    'HtmlReportOptions',
    'ImpactReport',
    'ImpactSubject',
    'LOAD_SAMPLES_DEFAULTS',
    'LoadSamplesOptions',
    'LoginPath',
    'MarkdownReportOptions',
    'MutatedClaims',
    'MutationContext',
    'MutationOperator',
    'MutationOutcome',
    'OUTCOME_CLASSES',
    'OutcomeClass',
    'PlanImpactOptions',
    'ProgressCallback',
    'ReadSampleFileOptions',
    'RuleCoverage',
    'SIMULATE_DEFAULTS',
    'Sample',
    'SampleProblem',
    'SimulateError',
    'SimulateErrorCode',
    'SimulateOptions',
    'SimulationResult',
    'TextReportOptions',
    'Witness',
    'compose',
    'drift',
    'formatDriftMarkdown',
    'formatDriftText',
    'formatImpactMarkdown',
    'formatImpactText',
    'formatReportJson',
    'getRaw',
    'isSimulateError',
    'loadSamples',
    'operatorByName',
    'planImpact',
    'readSampleDir',
    'readSampleFile',
    'renderHtml',
    'renderJson',
    'renderMarkdown',
    'renderText',
    'simulate',
    'simulateDecisions',
    'subjectsFromAccounts',
    'subjectsFromClaimSets',
    'withClaim',
  ],
  testing: [
    'AccountSeed',
    'CaseResult',
    'Expectation',
    'LoadScenarioOptions',
    'LoadScenarioResult',
    'ParseScenariosOptions',
    'ParseScenariosResult',
    'RunScenariosOptions',
    'SCENARIO_CODES',
    'SCENARIO_LIMITS',
    'ScenarioCase',
    'ScenarioCode',
    'ScenarioFile',
    'ScenarioRunResult',
    'formatScenarioJson',
    'formatScenarioJunit',
    'formatScenarioText',
    'loadScenarioFile',
    'parseScenarios',
    'runScenarios',
  ],
};

const program = createApiProgram();

// Type-checking and declaration emit of the whole library take seconds, more on a loaded machine.
describe('public API', { timeout: 180_000 }, () => {
  it('knows every entry point of package.json', () => {
    const pkg = JSON.parse(readFileSync(resolve(API_DIR, '../package.json'), 'utf8')) as { exports: object };
    const subpaths = Object.keys(pkg.exports).filter((k) => !k.includes('.json'));
    expect(
      ENTRIES.map((e) => (e.specifier === 'claimmap' ? '.' : `./${e.specifier.slice('claimmap/'.length)}`)),
    ).toEqual(subpaths);
  });

  for (const entry of ENTRIES) {
    describe(entry.specifier, () => {
      const exports = publicExports(program, entry.file);

      it('exports exactly the pinned names', () => {
        expect(exports.map((e) => e.name)).toEqual(PINNED[entry.name]);
      });

      it('has an @example on every export', () => {
        const missing = exports.filter((e) => !hasExample(e)).map((e) => `${e.name} (${e.file})`);
        expect(missing, 'exports without a TSDoc @example').toEqual([]);
        expect(exports.length).toBeGreaterThan(0);
      });
    });
  }

  it('has committed API reports that match the declarations (run `npm run api` to update them)', () => {
    const reports = renderApiReports(program);
    expect([...reports.keys()]).toEqual(ENTRIES.map((e) => e.name));
    for (const [name, text] of reports) {
      let committed = '';
      try {
        committed = readFileSync(resolve(API_DIR, `${name}.api.md`), 'utf8');
      } catch {
        committed = '(missing)';
      }
      expect(committed, `api/${name}.api.md is stale: run \`npm run api\` and commit the result`).toBe(text);
    }
  });
});
