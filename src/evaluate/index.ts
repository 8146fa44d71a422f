/**
 * The evaluator: plan × claim set → decision. Pure (no I/O); loads neither chevrotain nor fast-xml-parser.
 */
export { evaluate, readClaim } from './evaluate.js';
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
} from './decision.js';
