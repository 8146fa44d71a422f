/** Codes for loading a plan from JSON (`loadPlan`). Stable API: extend, never rename. */
export type PlanErrorCode =
  | 'plan/invalid-json' //      not JSON at all, or JSON we refuse (duplicate or `__proto__` keys, non-JSON values)
  | 'plan/limit-exceeded' //    larger or deeper than the documented `loadPlan` limits
  | 'plan/schema' //            JSON that does not match plan.schema.json
  | 'plan/unsupported-format' // a `format` other than claimmap/plan@1
  | 'plan/digest-mismatch' //    the digest does not match the content (edited by hand or corrupted)
  | 'plan/invalid-regex' //      a regex the analyser refuses, or whose `groups`/`names` disagree with its source
  | 'plan/inconsistent' //      a name the plan uses is not declared, a capture a template uses does not exist, ...
  | 'plan/unsafe-regex'; //      a regex marked `native` that the analyser does not prove linear-time
