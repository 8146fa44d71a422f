/**
 * `claimmap/scim`: the SCIM 2.0 service provider (RFC 7643, RFC 7644) as a request handler for `node:http`,
 * Express or Fastify, and the bearer tokens it accepts. See docs/offboarding.md.
 */
export {
  createScimHandler,
  DEFAULT_SCIM_LIMITS,
  type ScimHandler,
  type ScimHandlerOptions,
  type ScimHttpRequest,
  type ScimHttpResponse,
  type ScimLimits,
  type ScimRequestLog,
  type ScimTokenSource,
} from './handler.js';
export { SCIM_ERROR_SCHEMA, type ScimType } from './errors.js';
export {
  createScimToken,
  revokeScimToken,
  listScimTokens,
  verifyScimToken,
  hashScimToken,
  isScimTokenName,
  SCIM_AUDIT_ISSUER,
  MAX_SCIM_TOKEN_NAME_LENGTH,
  type CreatedScimToken,
  type ScimAuthFailure,
  type ScimAuthResult,
  type ScimTokenOptions,
} from '../runtime/scim/tokens.js';
export type { ScimTokenRecord } from '../runtime/types.js';
