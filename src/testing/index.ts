/**
 * `claimmap/testing`: what an app's own test suite needs to test its mapping the way `claimmap test` does.
 *
 * @example
 * ```ts
 * import { compile } from 'claimmap';
 * import { loadScenarioFile, runScenarios } from 'claimmap/testing';
 * const { plan } = compile(readFileSync('acme.claimmap'), { filename: 'acme.claimmap' });
 * const { file, diagnostics } = loadScenarioFile('acme.scenarios.yaml', { cwd: process.cwd() });
 * const result = await runScenarios(plan!, file!);
 * expect(result.failed).toBe(0);
 * ```
 */
export {
  parseScenarios,
  loadScenarioFile,
  runScenarios,
  compareOutcome,
  formatScenarioText,
  shorthandClaimSet,
  type ScenarioFile,
  type ScenarioRunResult,
  type CaseResult,
  type Expectation,
} from '../simulate/scenarios/index.js';
export { MemoryStore } from '../runtime/stores/memory.js';
export { simulate, simulateDecisions, DEFAULT_OPERATORS } from '../simulate/index.js';
