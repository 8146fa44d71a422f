/**
 * `claimmap/simulate`: mutation testing of a mapping against sample logins, classification of each outcome, rule
 * coverage, and the text / JSON / Markdown / HTML reports.
 */
export {
  simulate,
  simulateDecisions,
  ruleLiterals,
  privilegedLiterals,
  SIMULATE_DEFAULTS,
  LOGIN_ROW,
  type PrivilegedLiterals,
} from './simulate.js';
export {
  DEFAULT_OPERATORS,
  operatorByName,
  compose,
  assertOperator,
  nearMisses,
  caseFoldVariants,
  compatibilityVariants,
  cyrillicConfusable,
  fullwidth,
} from './mutations.js';
export { regexWitnesses, testWitnesses, MAX_WITNESSES } from './regex-witness.js';
export { getRaw, withClaim, indeterminateName } from './claim-edit.js';
export {
  loadSamples,
  readSampleDir,
  readSampleFile,
  LOAD_SAMPLES_DEFAULTS,
  type LoadSamplesOptions,
  type ReadSampleFileOptions,
  type SampleProblem,
} from './load-samples.js';
export { SimulateError, isSimulateError, type SimulateErrorCode } from './errors.js';
export { OUTCOME_CLASSES } from './types.js';
export type {
  Sample,
  MutationOperator,
  MutationContext,
  MutatedClaims,
  Witness,
  OutcomeClass,
  LoginPath,
  Finding,
  MutationOutcome,
  RuleCoverage,
  CoverageReport,
  BaselineSummary,
  SimulationResult,
  SimulateOptions,
  ProgressCallback,
} from './types.js';
export { renderText, type TextReportOptions } from './report/text.js';
export { renderMarkdown, mdCell, type MarkdownReportOptions } from './report/markdown.js';
export { renderJson } from './report/json.js';
export { renderHtml, escapeHtml, type HtmlReportOptions } from './report/html.js';
export { rankedFindings, describeFinding, describeOutcome, CLASS_MEANING } from './report/shared.js';
// Scenario files (`claimmap test`) and change impact (`claimmap plan`).
export {
  parseScenarios,
  loadScenarioFile,
  runScenarios,
  compareOutcome,
  formatScenarioText,
  formatScenarioJson,
  formatScenarioJunit,
  shorthandClaimSet,
  SCENARIO_CODES,
  SCENARIO_LIMITS,
  type ParseScenariosOptions,
  type ParseScenariosResult,
  type LoadScenarioOptions,
  type LoadScenarioResult,
  type RunScenariosOptions,
  type ScenarioCode,
  type ScenarioCase,
  type ScenarioFile,
  type ScenarioRunResult,
  type CaseResult,
  type Expectation,
  type AccountSeed,
} from './scenarios/index.js';
export {
  planImpact,
  drift,
  subjectsFromAccounts,
  subjectsFromClaimSets,
  formatImpactText,
  formatImpactMarkdown,
  formatDriftText,
  formatDriftMarkdown,
  formatReportJson,
  type PlanImpactOptions,
  type AccountImpact,
  type DriftEntry,
  type DriftReason,
  type DriftReport,
  type GrantTotal,
  type ImpactReport,
  type ImpactSubject,
} from './impact/index.js';
