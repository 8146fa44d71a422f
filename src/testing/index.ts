/**
 * `claimmap/testing`: scenario files, what `claimmap test` runs and what an app's own test suite needs to test its
 * mapping the same way. The one home of the scenario API: `claimmap/simulate` is the mutation simulator, and the
 * store and simulator are imported from `claimmap/runtime` and `claimmap/simulate`.
 *
 * @example
 * ```ts
 * import { compile } from 'claimmap';
 * import { loadScenarioFile, runScenarios } from 'claimmap/testing';
 * const { plan } = compile(readFileSync('acme.claimmap', 'utf8'), { filename: 'acme.claimmap' });
 * const { file, diagnostics } = loadScenarioFile('acme.scenarios.yaml', { cwd: process.cwd() });
 * const result = await runScenarios(plan!, file!);
 * expect(result.failed).toBe(0);
 * ```
 */
export {
  parseScenarios,
  loadScenarioFile,
  runScenarios,
  formatScenarioText,
  formatScenarioJson,
  formatScenarioJunit,
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
  type ActualOutcome,
  type FieldFailure,
} from '../simulate/scenarios/index.js';
