/**
 * Limits on untrusted claim input, with their documented defaults. Every limit, when exceeded, gives a coded
 * {@link ClaimsError}; none of them is ever silently truncated.
 */

/**
 * Options shared by every reader.
 *
 * @example
 * ```ts
 * const options: InputOptions = { maxBytes: 256 * 1024 };
 * ```
 */
export interface InputOptions {
  /**
   * Largest accepted input in bytes (UTF-8), checked before any parsing; also caps the decoded base64 and the
   * inflated redirect-binding message. Default 524288 (512 KiB).
   */
  maxBytes?: number;
}

/**
 * Options of the SAML readers (`readSaml`, `fromVerifiedSamlXml`, `fromNodeSamlProfile`).
 *
 * @example
 * ```ts
 * const options: SamlReadOptions = { maxAttributes: 64, maxValuesPerAttribute: 200 };
 * const claimSet = readSaml(xml, options);
 * ```
 */
export interface SamlReadOptions extends InputOptions {
  /** Deepest element nesting accepted (the root element is depth 1). Default 32. */
  maxDepth?: number;
  /** Most `Attribute` elements in the Assertion. Default 256. */
  maxAttributes?: number;
  /** Most `AttributeValue` elements in one `Attribute` (after merging duplicates). Default 1000. */
  maxValuesPerAttribute?: number;
  /** Longest attribute value, NameID or Issuer, in UTF-16 code units. Default 16384. */
  maxValueLength?: number;
}

/**
 * Options of the OIDC readers (`readOidcClaims`, `readJwt`, `fromVerifiedClaims`).
 *
 * @example
 * ```ts
 * const options: JsonReadOptions = { maxClaims: 200, maxStringLength: 4096 };
 * const claimSet = readOidcClaims(json, options);
 * ```
 */
export interface JsonReadOptions extends InputOptions {
  /** Deepest nesting of objects and arrays (the claims object itself is depth 1). Default 16. */
  maxDepth?: number;
  /** Most top-level claims. Default 1000. */
  maxClaims?: number;
  /** Longest array (Entra ID sends at most 200 groups in a token; exports may hold more). Default 5000. */
  maxArrayLength?: number;
  /** Longest string or object key, in UTF-16 code units. Default 16384. */
  maxStringLength?: number;
}

/**
 * Options of `readClaims`: the union of both, plus a forced format.
 *
 * @example
 * ```ts
 * const options: ReadClaimsOptions = { as: 'saml', maxAttributes: 64 };
 * const claimSet = readClaims(body, options);
 * ```
 */
export interface ReadClaimsOptions extends SamlReadOptions, Omit<JsonReadOptions, 'maxDepth'> {
  /** Skip detection: `saml` (XML or base64), `jwt` (compact JWS) or `json` (an OIDC claims object). */
  as?: 'saml' | 'jwt' | 'json';
  /** Deepest nesting, applied to XML elements or to JSON values. Defaults: 32 (SAML), 16 (JSON). */
  maxDepth?: number;
}

/**
 * The defaults, exported so documentation and callers can show them. Frozen.
 *
 * @example
 * ```ts
 * const claimSet = readSaml(xml, { maxBytes: DEFAULT_LIMITS.maxBytes * 2 });
 * ```
 */
export const DEFAULT_LIMITS = Object.freeze({
  maxBytes: 524_288,
  saml: Object.freeze({ maxDepth: 32, maxAttributes: 256, maxValuesPerAttribute: 1000, maxValueLength: 16_384 }),
  json: Object.freeze({ maxDepth: 16, maxClaims: 1000, maxArrayLength: 5000, maxStringLength: 16_384 }),
});

/** Resolved SAML limits. */
export interface SamlLimits {
  maxBytes: number;
  maxDepth: number;
  maxAttributes: number;
  maxValuesPerAttribute: number;
  maxValueLength: number;
}

/** Resolved JSON limits. */
export interface JsonLimits {
  maxBytes: number;
  maxDepth: number;
  maxClaims: number;
  maxArrayLength: number;
  maxStringLength: number;
}

function limit(name: string, value: number | undefined, dflt: number): number {
  if (value === undefined) return dflt;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw new TypeError(`claimmap: option ${name} must be a positive integer (got ${String(value)})`);
  }
  return value;
}

/** The `maxBytes` option resolved against its default; a caller mistake (not a positive integer) throws TypeError. */
export function maxBytesOf(o: { maxBytes?: number } = {}): number {
  return limit('maxBytes', o.maxBytes, DEFAULT_LIMITS.maxBytes);
}

/** Resolves SAML options against the defaults; a caller mistake (e.g. a negative limit) throws TypeError. */
export function samlLimits(o: SamlReadOptions = {}): SamlLimits {
  const d = DEFAULT_LIMITS.saml;
  return {
    maxBytes: maxBytesOf(o),
    maxDepth: limit('maxDepth', o.maxDepth, d.maxDepth),
    maxAttributes: limit('maxAttributes', o.maxAttributes, d.maxAttributes),
    maxValuesPerAttribute: limit('maxValuesPerAttribute', o.maxValuesPerAttribute, d.maxValuesPerAttribute),
    maxValueLength: limit('maxValueLength', o.maxValueLength, d.maxValueLength),
  };
}

/** Resolves JSON options against the defaults; a caller mistake throws TypeError. */
export function jsonLimits(o: JsonReadOptions = {}): JsonLimits {
  const d = DEFAULT_LIMITS.json;
  return {
    maxBytes: maxBytesOf(o),
    maxDepth: limit('maxDepth', o.maxDepth, d.maxDepth),
    maxClaims: limit('maxClaims', o.maxClaims, d.maxClaims),
    maxArrayLength: limit('maxArrayLength', o.maxArrayLength, d.maxArrayLength),
    maxStringLength: limit('maxStringLength', o.maxStringLength, d.maxStringLength),
  };
}
