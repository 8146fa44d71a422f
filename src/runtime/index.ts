/**
 * `claimmap/runtime`: provision() at login, the stores, lifecycle and audit. Loads neither chevrotain nor
 * fast-xml-parser: an app that ships a precompiled plan needs only this and `evaluate`.
 */
export { provision, DEFAULT_MAX_CLOCK_SKEW_MS, type ProvisionOptions } from './provision/login.js';
// What an app needs at login besides provision(): load the compiled plan (JSON Schema-validated, no parser) and,
// for a dry run or an explanation, evaluate it.
export { loadPlan, type LoadPlanOptions } from '../compile/load-plan.js';
export { evaluate } from '../evaluate/index.js';
export {
  dormant,
  deprovision,
  suspend,
  reactivate,
  listAudit,
  listAccounts,
  eachAccount,
  eachDormant,
  eachAccountSummary,
  eachDormantSummary,
  getAccount,
  MAX_LIST_LIMIT,
  type DormantOptions,
  type LifecycleOptions,
  type LifecycleResult,
  type ListAuditOptions,
  type ListAccountsOptions,
  type EachAccountOptions,
  type EachDormantOptions,
} from './lifecycle.js';
export {
  grantManual,
  revokeManual,
  validateManualGrant,
  DEFAULT_MAX_GRANT_NAME_LENGTH,
  DEFAULT_MAX_GRANT_NOTE_LENGTH,
  MAX_GRANT_ACTOR_LENGTH,
  type ManualGrantInput,
  type ManualGrantResult,
} from './grants.js';
export { RuntimeError, isRuntimeError, type RuntimeErrorCode, type ProvisionReasonCode } from './errors.js';
export type { Store, StoreTx, AccountRecord, ListAccountsQuery, ListAuditQuery } from './store.js';
export type {
  Account,
  AccountKey,
  AccountStatus,
  AccountSummary,
  AuditAction,
  AuditEvent,
  Change,
  ClaimSnapshot,
  Grant,
  GrantProvenance,
  NewAuditEvent,
  ProvisionResult,
  ScimTokenRecord,
  UniqueEntry,
} from './types.js';
export { accountSummary } from './summary.js';
export {
  sweep,
  type SweepAction,
  type SweepOptions,
  type SweepChange,
  type SweepResult,
} from './sweep.js';
export { MemoryStore } from './stores/memory.js';
export { SqliteStore, type SqliteStoreOptions } from './stores/sqlite.js';
export {
  PostgresStore,
  type PostgresStoreOptions,
  type PostgresConnectionOptions,
  type PostgresTlsOptions,
} from './stores/postgres.js';
export { openStore, type OpenStoreOptions } from './stores/open.js';
export { SCHEMA_VERSION } from './stores/migrations.js';
export { DEFAULT_MAX_CLAIM_BYTES, normaliseUniqueValue } from './normalise.js';
export { formatChange } from './format.js';
export { createScimService, type ScimServiceOptions } from './scim/service.js';
export type {
  ScimActor,
  ScimGroupQuery,
  ScimGroupRecord,
  ScimJson,
  ScimMeta,
  ScimPage,
  ScimService,
  ScimServiceErrorCode,
  ScimUserQuery,
  ScimUserRecord,
} from './scim/types.js';
export type {
  ScimGroupRow,
  ScimListQuery,
  ScimMemberRow,
  ScimStoreTx,
  ScimUserRow,
} from './scim/store-types.js';
