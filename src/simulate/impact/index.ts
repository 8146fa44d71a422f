/** Change preview (`claimmap plan`): population impact of a mapping change, and drift of stored grants. */
export { planImpact, simulateLogin, type PlanImpactOptions } from './impact.js';
export { drift } from './drift.js';
export { subjectsFromAccounts, subjectsFromClaimSets } from './subjects.js';
export {
  formatImpactText,
  formatImpactMarkdown,
  formatDriftText,
  formatDriftMarkdown,
  formatReportJson,
} from './report.js';
export type {
  AccountImpact,
  DriftEntry,
  DriftReason,
  DriftReport,
  GrantTotal,
  ImpactReport,
  ImpactSubject,
  LoginOutcome,
  MappingRef,
} from './types.js';
