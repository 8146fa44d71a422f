/**
 * The first-broker-login flow of an identity provider: what Keycloak does when a brokered identity logs in for the
 * first time and a local user with the same email or username exists ([FIRST] in semantics.ts). Automatic linking
 * ("Automatically set existing user" + "Automatically link brokered account") links by email with no proof; the
 * default flow asks the user to confirm and re-authenticate (email verification or password).
 */
import type { LocatedDocument } from '../locate.js';
import { asArray, asObject, asString, own } from '../json-access.js';
import type { SourceLocation } from '../types.js';

/** What the flow does about an existing account. */
export interface LinkingPolicy {
  /** The flow's alias, and where it is (null when the realm export does not hold it). */
  alias: string;
  at: SourceLocation | null;
  /** idp-auto-link is enabled: linked by email or username with no proof. */
  autoLink: SourceLocation | null;
  /** idp-detect-existing-broker-user ("Automatically set existing user") is enabled. */
  detectExisting: SourceLocation | null;
  /** idp-confirm-link is enabled: the user confirms, then proves ownership (email or password). */
  confirmLink: SourceLocation | null;
}

/** The authenticators this module reads; others in the flow (review profile, create user) do not link. */
const AUTO_LINK = 'idp-auto-link';
const DETECT = 'idp-detect-existing-broker-user';
const CONFIRM = 'idp-confirm-link';

/** Reads the flow named `alias` (and its sub-flows) from `authenticationFlows`. */
export function linkingPolicy(doc: LocatedDocument, alias: string): LinkingPolicy {
  const realm = asObject(doc.value);
  const flows = asArray(own(realm, 'authenticationFlows')) ?? [];
  const policy: LinkingPolicy = { alias, at: null, autoLink: null, detectExisting: null, confirmLink: null };
  const seen = new Set<string>();
  const visit = (name: string, depth: number): void => {
    if (seen.has(name) || depth > 16) return;
    seen.add(name);
    const i = flows.findIndex((f) => asString(own(asObject(f), 'alias')) === name);
    if (i < 0) return;
    if (depth === 0) policy.at = doc.at(`/authenticationFlows/${i}`);
    const execs = asArray(own(asObject(flows[i]), 'authenticationExecutions')) ?? [];
    execs.forEach((e, j) => {
      const ex = asObject(e);
      if (asString(own(ex, 'requirement')) === 'DISABLED') return;
      const at = doc.at(`/authenticationFlows/${i}/authenticationExecutions/${j}`);
      const sub = asString(own(ex, 'flowAlias'));
      if (own(ex, 'authenticatorFlow') === true && sub !== undefined) visit(sub, depth + 1);
      const auth = asString(own(ex, 'authenticator'));
      if (auth === AUTO_LINK) policy.autoLink ??= at;
      if (auth === DETECT) policy.detectExisting ??= at;
      if (auth === CONFIRM) policy.confirmLink ??= at;
    });
  };
  visit(alias, 0);
  return policy;
}
