/** Classification of a mutation's outcome against its baseline: findings per grant, profile field and key (split out of simulate.ts). */
import type { JsonValue } from '../model/claim-set.js';
import type { Plan } from '../model/plan.js';
import type { Decision } from '../evaluate/decision.js';
import { jsonEqual } from '../json/equal.js';
import { isEmptyValue, uniqueEntries } from '../runtime/normalise.js';
import { OUTCOME_CLASSES, OUTCOME_RANK as RANK } from './types.js';
import type { Finding, LoginPath, OutcomeClass } from './types.js';
import { defined } from '../model/invariant.js';

/** The more severe of two classes. */
export function worse(a: OutcomeClass, b: OutcomeClass): OutcomeClass {
  return RANK[a] <= RANK[b] ? a : b;
}

export function errorText(e: unknown): string {
  if (e instanceof Error)
    return `${(e as { code?: unknown }).code ? `${String((e as { code?: unknown }).code)}: ` : ''}${e.message}`;
  return String(e);
}

export function sameList(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

export function grantFindings(
  kind: 'role' | 'entitlement',
  before: readonly string[],
  after: readonly string[],
  path: LoginPath,
  privileged: ReadonlySet<string>,
  out: Finding[],
): void {
  if (sameList(before, after)) return;
  const had = new Set(before);
  const has = new Set(after);
  for (const name of after) {
    if (had.has(name)) continue;
    const critical = privileged.has(name);
    out.push({
      class: 'escalation',
      path,
      critical,
      subject: kind,
      name,
      message: `gains ${critical ? 'privileged ' : ''}${kind} ${name}`,
    });
  }
  for (const name of before) {
    if (!has.has(name))
      out.push({ class: 'loss', path, critical: false, subject: kind, name, message: `loses ${kind} ${name}` });
  }
}

export function profileFinding(name: string, from: JsonValue, to: JsonValue | undefined, path: LoginPath): Finding {
  const blank = isEmptyValue(to);
  return {
    class: 'profile-loss',
    path,
    critical: false,
    subject: 'profile',
    name,
    from,
    ...(to === undefined ? {} : { to }),
    message: blank ? `profile ${name} blanked` : `profile ${name} overwritten`,
  };
}

export function errorFinding(path: LoginPath, e: unknown): Finding {
  return { class: 'error', path, critical: false, subject: 'login', name: 'exception', message: errorText(e) };
}

export function emptyCounts(): Record<OutcomeClass, number> {
  return Object.fromEntries(OUTCOME_CLASSES.map((c) => [c, 0])) as Record<OutcomeClass, number>;
}

/** The unique values (`accounts.unique`) a decision's profile would store, normalised. */
export function uniqueValues(plan: Plan, d: Decision): Map<string, string> {
  const profile = Object.create(null) as Record<string, JsonValue>;
  for (const [field, p] of Object.entries(d.profile)) if (p.state === 'present') profile[field] = p.value;
  return new Map(uniqueEntries(plan, profile, () => true).map((e) => [e.field, e.value]));
}

export function decisionFindings(
  plan: Plan,
  d0: Decision,
  d1: Decision,
  privileged: ReadonlySet<string>,
  out: Finding[],
): void {
  const path: LoginPath = 'decision';
  if (d1.outcome === 'refuse') {
    if (d0.outcome === 'allow') {
      out.push({
        class: 'refused',
        path,
        critical: false,
        subject: 'login',
        name: d1.refusals[0]?.code ?? 'refused',
        message: `refused: ${d1.refusals.map((r) => r.code).join(', ')}`,
      });
    }
    return;
  }
  if (d0.outcome === 'refuse') {
    out.push({
      class: 'escalation',
      path,
      critical: false,
      subject: 'login',
      name: 'allowed',
      message: 'allowed where the baseline was refused',
    });
    grantFindings('role', [], d1.roles, path, privileged, out);
    grantFindings('entitlement', [], d1.entitlements, path, privileged, out);
    return;
  }
  const sameKey =
    d0.key !== null && d1.key !== null && d0.key.issuer === d1.key.issuer && d0.key.subject === d1.key.subject;
  if (!sameKey) {
    const finding = newKeyFinding(plan, d0, d1);
    out.push(finding);
    if (finding.name === 'conflict') return;
  }
  grantFindings('role', d0.roles, d1.roles, path, privileged, out);
  grantFindings('entitlement', d0.entitlements, d1.entitlements, path, privileged, out);
  if (sameKey) decisionProfileFindings(d0, d1, out);
}

/** A new key would create a second account, unless a unique value the baseline holds makes it a conflict. */
function newKeyFinding(plan: Plan, d0: Decision, d1: Decision): Finding {
  const held = uniqueValues(plan, d0);
  const clash = [...uniqueValues(plan, d1)].find(([f, v]) => held.get(f) === v);
  if (clash) {
    return {
      class: 'refused',
      path: 'decision',
      critical: false,
      subject: 'login',
      name: 'conflict',
      message: `conflict: ${clash[0]} already held by the baseline account`,
    };
  }
  return {
    class: 'duplicate-account',
    path: 'decision',
    critical: false,
    subject: 'account',
    name: 'created',
    message: 'a second account for the same person',
  };
}

/** The profile values an update with `d1` would overwrite (`sync always`, not jsonEqual) or clear. */
function decisionProfileFindings(d0: Decision, d1: Decision, out: Finding[]): void {
  for (const name in d1.profile) {
    const p1 = defined(d1.profile[name]);
    const p0 = d0.profile[name];
    if (p1.sync === 'create' || p0 === undefined || p0.state !== 'present') continue;
    if (p1.state === 'present') {
      if (p1.sync === 'always' && !jsonEqual(p0.value, p1.value))
        out.push(profileFinding(name, p0.value, p1.value, 'decision'));
    } else if (p1.state === 'absent' && p1.clear) out.push(profileFinding(name, p0.value, undefined, 'decision'));
  }
}
