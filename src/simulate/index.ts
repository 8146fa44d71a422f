/**
 * `claimmap/simulate`: mutation testing of a mapping against sample logins, classification of each outcome, rule
 * coverage, the text / JSON / Markdown / HTML reports, and the population impact of a mapping change.
 * Scenario files (`claimmap test`) are `claimmap/testing`.
 */
export { simulate, simulateDecisions, SIMULATE_DEFAULTS } from './simulate.js';
// The operators, and what a custom operator (`extraOperators`) needs to edit a claim set without modifying it.
export { DEFAULT_OPERATORS, operatorByName, compose } from './mutations.js';
export { getRaw, withClaim } from './claim-edit.js';
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
export { renderMarkdown, type MarkdownReportOptions } from './report/markdown.js';
export { renderJson } from './report/json.js';
export { renderHtml, type HtmlReportOptions, type PlaygroundLinkOptions } from './report/html.js';
// Change impact (`claimmap plan`).
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
  type MappingRef,
} from './impact/index.js';
