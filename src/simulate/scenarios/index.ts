/** Scenario tests (`claimmap test`): parse and load scenario files, run them, report like a test runner. */
export {
  parseScenarios,
  readablePath,
  SCENARIO_LIMITS,
  type ParseScenariosOptions,
  type ParseScenariosResult,
} from './parse.js';
export { loadScenarioFile, type LoadScenarioOptions, type LoadScenarioResult } from './load.js';
export { runScenarios, compareOutcome, caseClaimSet, type RunScenariosOptions, type CaseErrorCode } from './run.js';
export { formatScenarioText, formatScenarioJson, formatScenarioJunit, formatFailure } from './report.js';
export { shorthandClaimSet, snapshotClaimSet, nameIdFormatUri } from './claim-sets.js';
export { readClaimsFile } from '../claims-file.js';
export { seedAccount, type GrantedBy } from './seed.js';
export { SCENARIO_CODES, type ScenarioCode } from './codes.js';
export type {
  AccountSeed,
  ActualOutcome,
  CaseInput,
  CaseResult,
  Expectation,
  FieldFailure,
  GrantSeed,
  ScenarioCase,
  ScenarioFile,
  ScenarioRunResult,
} from './types.js';
