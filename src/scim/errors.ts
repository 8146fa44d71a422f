/**
 * RFC 7644 §3.12 error responses: the HTTP layer's one error type, and the mapping of the SCIM service's and the
 * store's typed errors to status and `scimType`. A body never carries a stack trace, a store message or a cause:
 * only the status, the scimType and a detail written here (or a service message for 4xx answers, which describe
 * the request, never the server).
 */
import { ClaimmapError } from '../errors.js';

/**
 * The error message schema URN (RFC 7644 §3.12).
 *
 * @example
 * ```ts
 * if (body.schemas?.includes(SCIM_ERROR_SCHEMA)) console.error(body.status, body.scimType, body.detail);
 * ```
 */
export const SCIM_ERROR_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:Error';

/**
 * The `scimType` values of RFC 7644 §3.12 Table 9 that claimmap answers with.
 *
 * @example
 * ```ts
 * const t: ScimType = 'invalidFilter';
 * ```
 */
export type ScimType =
  | 'invalidFilter'
  | 'tooMany'
  | 'uniqueness'
  | 'mutability'
  | 'invalidSyntax'
  | 'invalidPath'
  | 'noTarget'
  | 'invalidValue'
  | 'invalidVers';

/**
 * An error answered as an RFC 7644 §3.12 body. Thrown inside the handler only; never escapes it.
 *
 * @example
 * ```ts
 * throw new ScimHttpError(400, 'invalidFilter', 'Only eq is supported.');
 * ```
 */
export class ScimHttpError extends Error {
  override readonly name = 'ScimHttpError';
  constructor(
    readonly status: number,
    readonly scimType: ScimType | undefined,
    readonly detail: string,
    /** Extra response headers (WWW-Authenticate, Retry-After). */
    readonly headers: Record<string, string> = {},
  ) {
    super(detail);
  }
}

/**
 * The JSON body of an error response.
 *
 * @example
 * ```ts
 * scimErrorBody(404, undefined, 'No such user.')
 * // { schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], status: '404', detail: 'No such user.' }
 * ```
 */
export function scimErrorBody(status: number, scimType: ScimType | undefined, detail: string) {
  return {
    schemas: [SCIM_ERROR_SCHEMA],
    status: String(status),
    ...(scimType === undefined ? {} : { scimType }),
    detail,
  };
}

/** Status and scimType of each ScimService error code (src/runtime/scim/types.ts). */
const SERVICE_ERRORS: Record<string, { status: number; scimType?: ScimType }> = {
  'scim/not-found': { status: 404 },
  'scim/uniqueness': { status: 409, scimType: 'uniqueness' },
  'scim/invalid-value': { status: 400, scimType: 'invalidValue' },
  'scim/mutability': { status: 400, scimType: 'mutability' },
  'scim/version-mismatch': { status: 412 },
  'scim/too-many': { status: 400, scimType: 'tooMany' },
};

/**
 * The HTTP answer for an error thrown by the service or the store. Coded client errors keep their message (it
 * describes the request); `store/busy` is 503 with Retry-After; anything else is a 500 whose detail says nothing
 * about the server (`internal` is true: the caller reports it through `onError`).
 *
 * @example
 * ```ts
 * const { error, internal } = toScimHttpError(e);
 * ```
 */
export function toScimHttpError(e: unknown): { error: ScimHttpError; internal: boolean } {
  if (e instanceof ScimHttpError) return { error: e, internal: false };
  if (e instanceof ClaimmapError) {
    const mapped = SERVICE_ERRORS[e.code];
    if (mapped) return { error: new ScimHttpError(mapped.status, mapped.scimType, e.message), internal: false };
    if (e.code === 'store/busy') {
      return {
        error: new ScimHttpError(503, undefined, 'The store is busy; retry later.', { 'Retry-After': '1' }),
        internal: false,
      };
    }
    if (e.code === 'store/read-only') {
      return { error: new ScimHttpError(503, undefined, 'The store is open read-only.'), internal: true };
    }
  }
  return { error: new ScimHttpError(500, undefined, 'Internal error.'), internal: true };
}
