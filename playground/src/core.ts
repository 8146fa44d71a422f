/**
 * Everything the playground runs, in the browser: claimmap's own lint, fmt, compile, evaluate, explain and simulate
 * (imported from src/, bundled with the `*.browser.ts` seams). The page imports claimmap only through this module,
 * so test/playground/browser-bundle.test.ts can prove it reaches no Node builtin.
 */
import { decodeBase64Bytes } from '../../src/claims/base64.js';
import { isClaimsError } from '../../src/claims/errors.js';
import { detectClaimsFormat } from '../../src/claims/read-claims.js';
import { compile, lint } from '../../src/compile/compile.js';
import { explainPrivileged, explainRoles, explainText, planSource, privilegedText } from '../../src/compile/explain.js';
import type { Diagnostic } from '../../src/diagnostics/diagnostic.js';
import { diagnosticHelpUri } from '../../src/diagnostics/docs-link.js';
import { evaluate } from '../../src/evaluate/evaluate.js';
import type { ClaimSet } from '../../src/model/claim-set.js';
import type { Plan } from '../../src/model/plan.js';
import { readClaimsFile } from '../../src/simulate/claims-file.js';
import { describeOutcome, rankedFindings } from '../../src/simulate/report/shared.js';
import { prepare, setup } from '../../src/simulate/run.js';
import { prepareDecisions, runPrepared } from '../../src/simulate/drive-decisions.js';
import type { Sample, SimulateOptions, SimulationResult } from '../../src/simulate/types.js';
import { formatSource } from '../../src/syntax/format.js';
import { lex } from '../../src/syntax/tokens.js';

export {
  compile,
  describeOutcome,
  diagnosticHelpUri,
  evaluate,
  explainPrivileged,
  explainRoles,
  explainText,
  formatSource,
  lex,
  lint,
  planSource,
  privilegedText,
  rankedFindings,
};
export {
  parsePlaygroundState,
  playgroundFragment,
  playgroundPayload,
  PLAYGROUND_TABS,
  type PlaygroundState,
  type PlaygroundTab,
} from '../../src/simulate/report/playground-link.js';
export type { ClaimSet, Diagnostic, Plan, SimulationResult };

/**
 * simulate's decisions-only run (`simulateDecisions`, without importing simulate.ts, whose store-backed `simulate`
 * loads the runtime): every mutation of the samples evaluated and classified, in memory.
 */
export function simulateDecisions(
  plan: Plan,
  samples: readonly Sample[],
  options: SimulateOptions = {},
): SimulationResult {
  return runPrepared(prepareDecisions(plan, samples, options));
}

/** The file name diagnostics carry. */
export const MAPPING_FILE = 'playground.claimmap';

/** What the claims pane held, as read. */
export interface ReadInput {
  claimSet: ClaimSet;
  /** What was detected: 'saml' (XML or base64), 'jwt', 'json' (OIDC claims or a claim-set JSON). */
  format: 'saml' | 'jwt' | 'json';
  /** A deflated SAML message (Redirect binding) inflated by the browser first. */
  inflated: boolean;
}

const MAX_INFLATED = 512 * 1024;

/** Raw inflate with the browser's DecompressionStream, capped at 512 KiB of output (a deflate bomb stops early). */
export async function inflateRawBrowser(bytes: Uint8Array, max = MAX_INFLATED): Promise<Uint8Array> {
  const stream = new Blob([bytes as BlobPart]).stream().pipeThrough(new DecompressionStream('deflate-raw'));
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  let n = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    n += value.length;
    if (n > max) {
      await reader.cancel();
      throw new Error(`the inflated message is larger than ${max} bytes`);
    }
    chunks.push(value);
  }
  const out = new Uint8Array(n);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

/**
 * Reads the claims pane: SAML XML or base64 (a deflated Redirect-binding message is inflated here first: the browser
 * build of the readers has no synchronous inflate), a JWT (decoded, never verified), OIDC JSON or a claim-set JSON.
 * Throws the readers' coded errors.
 */
export async function readClaimsInput(text: string): Promise<ReadInput> {
  const bytes = new TextEncoder().encode(text);
  const format = detectClaimsFormat(text);
  try {
    return { claimSet: readClaimsFile(bytes), format, inflated: false };
  } catch (e) {
    if (!isClaimsError(e, 'input/inflate-unsupported')) throw e;
  }
  let s = text.replace(/\s+/g, '');
  if (s.includes('%')) s = decodeURIComponent(s);
  const xml = await inflateRawBrowser(decodeBase64Bytes(s));
  return { claimSet: readClaimsFile(xml, { as: 'saml' }), format, inflated: true };
}

/** The mutated claim set of one simulation finding (regenerated from the sample), or null when there is none. */
export function mutatedClaimSet(
  plan: Plan,
  claimSet: ClaimSet,
  mutation: { claim: string; operator: string; label: string },
): ClaimSet | null {
  const sample = { name: 'sample', claimSet };
  const run = setup(plan, [sample], {});
  const m = prepare(run, sample).find(
    (p) => p.claim === mutation.claim && p.operator === mutation.operator && p.label === mutation.label,
  );
  return m?.claimSet ?? null;
}

/** The error code and message of anything the readers threw. */
export function errorInfo(e: unknown): { code: string; message: string; hint?: string } {
  if (typeof e === 'object' && e !== null && 'code' in e && typeof (e as { code: unknown }).code === 'string') {
    const x = e as { code: string; message: string; hint?: string };
    return { code: x.code, message: x.message, ...(x.hint ? { hint: x.hint } : {}) };
  }
  return { code: 'error', message: e instanceof Error ? e.message : String(e) };
}
