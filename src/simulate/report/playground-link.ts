/**
 * The playground's link format: a case (mapping text, claims text, the open tab, and optionally one mutation of the
 * simulation) in the URL fragment. A fragment is never sent to a server (RFC 3986 section 3.5: the browser keeps it),
 * so a report can link a finding into the playground without the mapping leaving the reader's machine.
 *
 * The fragment is `v=1&p=<base64url of the state's JSON, UTF-8>` or `v=1&z=<base64url of the same, raw-deflated>`.
 * Version 1 is the only one; a reader refuses any other, so a format change never misreads an old link.
 */
import { decodeBase64Bytes, encodeBase64Url } from '../../claims/base64.js';

/** The version written in every fragment (`v=`). */
export const PLAYGROUND_STATE_VERSION = 1;

/** The output tabs of the playground. */
export const PLAYGROUND_TABS = ['lint', 'fmt', 'compile', 'eval', 'explain', 'simulate'] as const;

/** One output tab of the playground. */
export type PlaygroundTab = (typeof PLAYGROUND_TABS)[number];

/**
 * What a playground link holds.
 *
 * @example
 * ```ts
 * const state: PlaygroundState = { mapping: text, claims: xml, tab: 'eval' };
 * ```
 */
export interface PlaygroundState {
  /** The mapping source. */
  mapping: string;
  /** The claims as pasted: SAML XML or base64, a JWT, OIDC JSON or a claim-set JSON. */
  claims: string;
  tab?: PlaygroundTab;
  /** The role `explain` shows, if one. */
  role?: string;
  /** A mutation of the simulation to apply to the claims (the playground regenerates it from the sample). */
  mutation?: { claim: string; operator: string; label: string };
}

/** Most characters of a mapping or claims text a link may carry (1 MiB): a larger fragment is refused. */
export const MAX_PLAYGROUND_TEXT = 1 << 20;

/**
 * The fragment (without `#`) of a state, plain base64url; with `deflateRaw` (Node's `zlib.deflateRawSync`, or any
 * raw-deflate function) the compressed form.
 *
 * @example
 * ```ts
 * const href = `${playgroundUrl}#${playgroundFragment({ mapping, claims, tab: 'eval' }, { deflateRaw: deflateRawSync })}`;
 * ```
 */
export function playgroundFragment(
  state: PlaygroundState,
  options: { deflateRaw?: (bytes: Uint8Array) => Uint8Array } = {},
): string {
  const json = new TextEncoder().encode(JSON.stringify(state));
  if (options.deflateRaw) return `v=${PLAYGROUND_STATE_VERSION}&z=${encodeBase64Url(options.deflateRaw(json))}`;
  return `v=${PLAYGROUND_STATE_VERSION}&p=${encodeBase64Url(json)}`;
}

/** Why a fragment could not be read. */
export type PlaygroundFragmentProblem = 'not-a-state' | 'unknown-version' | 'bad-encoding' | 'bad-state';

/**
 * The encoded payload of a fragment: `{ deflated, bytes }`, or the problem. Inflating `z=` is the caller's (the
 * browser's `DecompressionStream('deflate-raw')`); then {@link parsePlaygroundState} reads the JSON.
 *
 * @example
 * ```ts
 * const p = playgroundPayload(location.hash.slice(1));
 * ```
 */
export function playgroundPayload(
  fragment: string,
): { deflated: boolean; bytes: Uint8Array } | { problem: PlaygroundFragmentProblem } {
  const params = new URLSearchParams(fragment.startsWith('#') ? fragment.slice(1) : fragment);
  const v = params.get('v');
  const p = params.get('p');
  const z = params.get('z');
  if (v === null || (p === null && z === null)) return { problem: 'not-a-state' };
  if (v !== String(PLAYGROUND_STATE_VERSION)) return { problem: 'unknown-version' };
  const text = (z ?? p) as string;
  if (!/^[A-Za-z0-9_-]*$/.test(text) || text.length % 4 === 1 || text.length > 4 * MAX_PLAYGROUND_TEXT) {
    return { problem: 'bad-encoding' };
  }
  return { deflated: z !== null, bytes: decodeBase64Bytes(text) };
}

/**
 * Reads the JSON of a state (untrusted: a link anyone can craft): only the known fields, each of its type, texts
 * at most {@link MAX_PLAYGROUND_TEXT} characters; anything else gives null.
 *
 * @example
 * ```ts
 * const state = parsePlaygroundState(new TextDecoder().decode(bytes));
 * ```
 */
export function parsePlaygroundState(json: string): PlaygroundState | null {
  let v: unknown;
  try {
    v = JSON.parse(json);
  } catch {
    return null;
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return null;
  const o = v as Record<string, unknown>;
  const text = (x: unknown): x is string => typeof x === 'string' && x.length <= MAX_PLAYGROUND_TEXT;
  if (!text(o.mapping) || !text(o.claims)) return null;
  const state: PlaygroundState = { mapping: o.mapping, claims: o.claims };
  if (typeof o.tab === 'string' && (PLAYGROUND_TABS as readonly string[]).includes(o.tab)) {
    state.tab = o.tab as PlaygroundTab;
  }
  if (typeof o.role === 'string' && o.role.length <= 200) state.role = o.role;
  const m = o.mutation;
  if (typeof m === 'object' && m !== null) {
    const r = m as Record<string, unknown>;
    if (typeof r.claim === 'string' && typeof r.operator === 'string' && typeof r.label === 'string') {
      state.mutation = { claim: r.claim, operator: r.operator, label: r.label };
    }
  }
  return state;
}
