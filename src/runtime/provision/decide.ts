/**
 * The decide step of provision(): everything a login is before the store is touched (the checked key, the
 * evaluator's decision, the issue instant and the audit frame), and whether an existing account may log in now.
 */
import type { Decision } from '../../evaluate/decision.js';
import { evaluate } from '../../evaluate/index.js';
import { type ClaimSet, rfc3339Millis } from '../../model/claim-set.js';
import type { Plan } from '../../model/plan.js';
import type { ProvisionReasonCode } from '../errors.js';
import { checkKeyText, verifiedEmail } from '../normalise.js';
import type { Account, AccountKey } from '../types.js';

/** Why a login is refused or conflicts (the `reason` of a {@link ProvisionResult}). */
export type Reason = { code: ProvisionReasonCode; message: string };

/** The checked options of one login. */
export interface LoginSettings {
  /** The login time, ISO 8601. */
  nowIso: string;
  /** Cap of the last-seen claim snapshot, in UTF-8 bytes. */
  maxClaimBytes: number;
  /** How far `issuedAt` may lie after now, in milliseconds. */
  skewMs: number;
  /**
   * Whether the account written keeps the snapshot of this login's claims (`lastSeenClaims`). Default true. The
   * simulator passes false for the mutated logins it discards (the record it never reads back then holds null).
   */
  snapshot?: boolean;
}

/**
 * How a login's claim set is evaluated: `evaluate(plan, claimSet, { trace: true })` unless the caller passes
 * another evaluator that returns the same decision (the simulator's incremental evaluation, which has no trace).
 */
export type LoginEvaluator = (plan: Plan, claimSet: ClaimSet) => Decision;

/** provision()'s evaluator: with a trace, which names the rules that fired in the audit event. */
const traced: LoginEvaluator = (plan, claimSet) => evaluate(plan, claimSet, { trace: true });

/** One login as decided before the store is touched; the later steps only read it. */
export interface Login extends LoginSettings {
  plan: Plan;
  claimSet: ClaimSet;
  /** The evaluator's decision, with its trace. */
  decision: Decision;
  /** Profile field names of the decision, sorted, computed once (settle may run twice: a concurrent create, a link). */
  profileNames: string[];
  /** The verified email of this login (read once), the only unique value that may count as verified. */
  emailVerified: string | null;
  /** now + skew, in milliseconds: the latest issue instant accepted, and the bound of a genuine stored one. */
  bound: number;
  /** The claim set's issue instant, normalised to ISO 8601, when it has a valid one. */
  issuedIso: string | null;
  /** Why the claim set's issue instant is refused, or null. */
  issuedBad: Reason | null;
  /** The key audit events record: the durable key, or else the subject as claimed (for the record only). */
  auditKey: AccountKey;
  /** The ids of the rules that fired, sorted (from the trace: empty when the evaluator records none). */
  rules: string[];
  /** The mapping as audit events name it. */
  mapping: { name: string; version: string | null; digest: string };
}

/**
 * Decides one login: checks the key text as claimed, evaluates `claimSet` against `plan` (with a trace, or with
 * `evaluator`), checks the key the mapping derived, and reads the issue instant. Throws `runtime/invalid-key`
 * (before any store access) for an issuer or subject no store can keep apart.
 *
 * @example
 * ```ts
 * const login = decideLogin(plan, claimSet, { nowIso, maxClaimBytes: 16_384, skewMs: 300_000 });
 * if (login.decision.outcome !== 'allow') … // refused, audited by the write step
 * ```
 */
export function decideLogin(
  plan: Plan,
  claimSet: ClaimSet,
  settings: LoginSettings,
  evaluator: LoginEvaluator = traced,
): Login {
  // Key material every store must keep apart exactly: checked before evaluation and before any store access.
  if (claimSet && typeof claimSet === 'object') {
    checkKeyText(claimSet.issuer, 'issuer', '/issuer');
    const subject: unknown = claimSet.subject;
    if (subject && typeof subject === 'object')
      checkKeyText((subject as { id?: unknown }).id, 'subject', '/subject/id');
  }
  const decision = evaluator(plan, claimSet);
  if (decision.key) {
    checkKeyText(decision.key.issuer, 'issuer', '/issuer');
    checkKeyText(decision.key.subject, 'subject', '/subject/id');
  }
  const bound = Date.parse(settings.nowIso) + settings.skewMs;
  const issued = issueInstant(claimSet, settings, bound);
  // Every field written out (no spread): one object shape for every login, which the later steps read often.
  return {
    nowIso: settings.nowIso,
    maxClaimBytes: settings.maxClaimBytes,
    skewMs: settings.skewMs,
    snapshot: settings.snapshot !== false,
    plan,
    claimSet,
    decision,
    profileNames: Object.keys(decision.profile).sort(),
    emailVerified: verifiedEmail(claimSet),
    bound,
    issuedIso: issued.issuedIso,
    issuedBad: issued.issuedBad,
    auditKey: decision.key ?? {
      issuer: String(claimSet.issuer ?? ''),
      subject: String(claimSet.subject?.id ?? ''),
    },
    rules: firedRules(decision),
    mapping: { name: decision.mapping.name, version: decision.mapping.version, digest: decision.mapping.digest },
  };
}

/**
 * issuedAt: RFC 3339 only, and no later than now + skew (`bound`). `bound` also tells a stored lastIssuedAt that
 * cannot be genuine (written before this check existed): it is ignored rather than locking the account.
 */
function issueInstant(
  claimSet: ClaimSet,
  settings: LoginSettings,
  bound: number,
): { issuedIso: string | null; issuedBad: Reason | null } {
  if (claimSet.issuedAt === undefined) return { issuedIso: null, issuedBad: null };
  const ms = rfc3339Millis(claimSet.issuedAt);
  if (ms === null) {
    const message = 'The claim set has an issuedAt that is not an RFC 3339 date-time (such as 2026-11-01T09:00:00Z).';
    return { issuedIso: null, issuedBad: { code: 'runtime/invalid-issued-at', message } };
  }
  if (ms > bound) {
    const at = new Date(ms).toISOString();
    const message = `The assertion was issued at ${at}, more than ${settings.skewMs} ms after now (${settings.nowIso}).`;
    return { issuedIso: null, issuedBad: { code: 'runtime/issued-at-in-future', message } };
  }
  return { issuedIso: new Date(ms).toISOString(), issuedBad: null };
}

/**
 * Why an existing account may not log in now, or null: it is offboarded and the plan does not reactivate, or the
 * assertion is older than the last one applied.
 *
 * @example
 * ```ts
 * const blocked = checkExisting(login, existing);
 * if (blocked) return refuse(tx, login, 'refused', existing, blocked);
 * ```
 */
export function checkExisting(login: Login, existing: Account): Reason | null {
  if (existing.status !== 'active' && !login.plan.lifecycle.reactivate) {
    return existing.status === 'deprovisioned'
      ? {
          code: 'runtime/account-deprovisioned',
          message: 'The account was deprovisioned; the mapping does not reactivate it.',
        }
      : { code: 'runtime/account-suspended', message: 'The account is suspended; the mapping does not reactivate it.' };
  }
  const stored = storedIssuedMs(existing, login.bound);
  const issued = login.issuedIso;
  if (issued !== null && stored !== null && Date.parse(issued) < stored) {
    return {
      code: 'runtime/older-assertion',
      message: `The assertion was issued at ${issued}, before the last one applied (${existing.lastIssuedAt}).`,
    };
  }
  return null;
}

/**
 * The stored issue instant of the last applied assertion, in milliseconds, or null when there is none, or when it
 * is not a date-time or lies beyond `bound` (now + skew): such a value was never a genuine issue instant (it was
 * stored before issuedAt was bounded) and must not lock the account. The next login replaces it.
 *
 * @example
 * ```ts
 * storedIssuedMs(account, Date.parse(nowIso) + skewMs) // 1793523600000, or null
 * ```
 */
export function storedIssuedMs(existing: Account, bound: number): number | null {
  const ms = rfc3339Millis(existing.lastIssuedAt);
  return ms === null || ms > bound ? null : ms;
}

/** The ids of the rules that fired, sorted (provision always evaluates with a trace). */
function firedRules(decision: Decision): string[] {
  const ids = new Set<string>();
  for (const t of decision.trace ?? []) if (t.fired) ids.add(t.rule);
  return [...ids].sort();
}
