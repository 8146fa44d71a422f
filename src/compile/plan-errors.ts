/** Codes for loading a plan from JSON (`loadPlan`). */
export type PlanErrorCode =
  | 'plan/invalid-json' //      not JSON at all
  | 'plan/schema' //            JSON that does not match plan.schema.json
  | 'plan/unsupported-format' // a `format` other than claimmap/plan@1
  | 'plan/digest-mismatch' //    the digest does not match the content (edited by hand or corrupted)
  | 'plan/unsafe-regex'; //      a regex marked `native` that the analyser does not prove linear-time
