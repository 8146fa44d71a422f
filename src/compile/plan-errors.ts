/**
 * Codes for loading a plan from JSON (`loadPlan`). Stable API: extend, never rename.
 *
 * @example
 * ```ts
 * try {
 *   loadPlan(text);
 * } catch (e) {
 *   if (e instanceof ClaimmapError && e.code === ('plan/digest-mismatch' satisfies PlanErrorCode)) redeploy();
 * }
 * ```
 */
export type PlanErrorCode =
  | 'plan/invalid-json' //      not JSON at all, or JSON we refuse (duplicate or `__proto__` keys, non-JSON values)
  | 'plan/limit-exceeded' //    larger or deeper than the documented `loadPlan` limits
  | 'plan/schema' //            JSON that does not match plan.schema.json
  | 'plan/unsupported-format' // a `format` other than claimmap/plan@1
  | 'plan/digest-mismatch' //    the digest does not match the content (edited by hand or corrupted)
  | 'plan/invalid-regex' //      a regex the analyser refuses, or whose `groups`/`names` disagree with its source
  | 'plan/inconsistent' //      a name the plan uses is not declared, a capture a template uses does not exist, ...
  | 'plan/unsafe-regex' //      a regex marked `native` that the analyser does not prove linear-time
  | 'plan/unsafe-key' //        a key that is not durable (email, mutable claim, non-persistent NameID, optional or multi-valued
  //                             claim, sub in SAML) without an `unsafe` reason that the plan's `unsafe` list repeats
  | 'plan/privileged-rule' //   a privileged role granted to everyone, by a prefix/suffix test or unanchored regex, or from a user-editable claim
  | 'plan/invalid-name' //      a role or entitlement name the name rules refuse (empty, padded, control/format/invisible characters, too long)
  | 'plan/confusable-name'; //  a role or entitlement name that looks like a privileged role name (case, NFKC, Cyrillic/Greek) but is not it
