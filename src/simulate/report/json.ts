/**
 * The JSON report: the {@link SimulationResult} itself (`format: "claimmap/simulation@1"`), pretty-printed. The shape
 * is documented in docs/simulate.md; fields are only ever added.
 */
import type { SimulationResult } from '../types.js';

/**
 * Renders a {@link SimulationResult} as JSON text (two-space indent, trailing newline).
 *
 * @example
 * ```ts
 * writeFileSync('simulate.json', renderJson(result));
 * ```
 */
export function renderJson(result: SimulationResult): string {
  return `${JSON.stringify(result, null, 2)}\n`;
}
