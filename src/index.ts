/**
 * claimmap: the mapping language (compile), the evaluator, plans and diagnostics.
 * Subpaths: `claimmap/claims` (SAML and OIDC readers), `claimmap/runtime` (provision and stores),
 * `claimmap/simulate` (mutation simulator, change impact), `claimmap/testing` (scenario files).
 * What each entry is for, and the rule for adding an export: ARCHITECTURE.md, "Public API".
 */
export { compile, lint, type CompileOptions, type CompileResult } from './compile/compile.js';
export { loadPlan, type LoadPlanOptions } from './compile/load-plan.js';
export { planDigest } from './compile/digest.js';
export {
  validateClaimSet,
  type ClaimSetError,
  type ValidateClaimSetOptions,
} from './compile/validate-claimset.js';
export type { PlanErrorCode } from './compile/plan-errors.js';
export { PLAN_FORMAT } from './model/plan.js';
export type {
  ClaimPlan,
  ClaimType,
  Cond,
  Expr,
  KeyPlan,
  ScimPlan,
  Literal,
  Normalizer,
  Plan,
  ProfilePlan,
  Quantifier,
  RegexPlan,
  RequirePlan,
  RulePlan,
  ScalarType,
  ScalarTypeName,
  SourceLoc,
  TemplatePart,
  UnsafeOverride,
} from './model/plan.js';
export { evaluate, readClaim } from './evaluate/index.js';
export type {
  AccountKey,
  ClaimState,
  Decision,
  EvaluateOptions,
  MalformedReason,
  ProfileValue,
  Refusal,
  RefusalCode,
  TraceEntry,
  Truth,
} from './evaluate/index.js';
export type {
  AttributeInfo,
  ClaimSet,
  ClaimWarning,
  JsonValue,
  NameIdFormatName,
  Protocol,
  Subject,
} from './model/claim-set.js';
export type {
  Diagnostic,
  DiagnosticCode,
  Position,
  Range,
  RelatedInformation,
  Severity,
} from './diagnostics/diagnostic.js';
export {
  renderText,
  renderTextReport,
  renderJson,
  renderSarif,
  renderGithub,
  type TextRenderOptions,
} from './diagnostics/render.js';
export { diagnosticCatalogue } from './check/catalogue.js';
export type { CodeInfo } from './check/rule.js';
export { ClaimmapError, type ErrorCode, type ErrorPosition } from './errors.js';
export { VERSION } from './version.js';
