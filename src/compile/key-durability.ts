/**
 * What makes an account key durable, shared by the checker (`key/...` diagnostics on the source) and `loadPlan`
 * (`plan/unsafe-key` on a compiled plan): a persistent NameID, or claims that are neither mutable identifiers (email,
 * upn, usernames: src/check/identity-claims.ts) nor typed email. Loaded by the runtime: imports no parser.
 */
import { isMutableIdentifier } from '../check/identity-claims.js';

/** NameID formats that make a durable key. */
export const DURABLE_NAMEID_FORMATS: ReadonlySet<string> = new Set(['persistent']);

/**
 * Why a key claim is not a durable key (only an `unsafe` override accepts it), or null when it is one:
 * `mutable-claim` for a mutable identifier source, `email-claim` for a claim typed email.
 *
 * @example
 * ```ts
 * nonDurableKeyClaim(['email'], 'string'); // 'mutable-claim'
 * nonDurableKeyClaim(['oid'], 'email');    // 'email-claim'
 * nonDurableKeyClaim(['oid'], 'uuid');     // null
 * ```
 */
export function nonDurableKeyClaim(
  source: readonly string[],
  typeKind: string | undefined,
): 'mutable-claim' | 'email-claim' | null {
  if (isMutableIdentifier(source)) return 'mutable-claim';
  return typeKind === 'email' ? 'email-claim' : null;
}
