/**
 * The profile part of provision()'s decide step: the profile a login would store, with one change per field it
 * adds, changes or removes. Whether a stored value changed is {@link jsonEqual}'s answer: what makes a returning
 * login `updated` (written, audited with the change) rather than `unchanged`.
 */
import type { Decision } from '../../evaluate/decision.js';
import { jsonEqual } from '../../json/equal.js';
import type { JsonValue } from '../../model/claim-set.js';
import { defined } from '../../model/invariant.js';
import { isEmptyValue } from '../normalise.js';
import type { Account, Change } from '../types.js';

/** A profile to store and the changes that lead to it, in field name order. */
export interface ProposedProfile {
  profile: Record<string, JsonValue>;
  changes: Change[];
}

/**
 * The profile a login stores on `existing` (null: a new account): {@link createProfile} or {@link updateProfile}.
 *
 * @example
 * ```ts
 * const { profile, changes } = proposeProfile(decision, Object.keys(decision.profile).sort(), existing);
 * ```
 */
export function proposeProfile(
  decision: Decision,
  names: readonly string[],
  existing: Account | null,
): ProposedProfile {
  const changes: Change[] = [];
  const profile = existing
    ? updateProfile(existing.profile, decision, names, changes)
    : createProfile(decision, names, changes);
  return { profile, changes };
}

/**
 * The profile of a new account: every present value, each recorded as an `add` change.
 *
 * @example
 * ```ts
 * const changes: Change[] = [];
 * createProfile(decision, ['email'], changes); // { email: 'jane@example.com' }, changes: [{ op: 'add', … }]
 * ```
 */
export function createProfile(
  decision: Decision,
  names: readonly string[],
  changes: Change[],
): Record<string, JsonValue> {
  const profile = Object.create(null) as Record<string, JsonValue>;
  for (const name of names) {
    const pv = defined(decision.profile[name]);
    if (pv.state !== 'present') continue;
    profile[name] = pv.value;
    changes.push({ field: 'profile', op: 'add', name, to: pv.value });
  }
  return profile;
}

/**
 * The profile after an update: `always` writes a present value, `create` never changes, `fill` writes only into an
 * empty field. When the source is absent, `clear: true` removes the stored value (for `always` and `fill`).
 * A malformed source never changes the stored value. A present value {@link jsonEqual} to the stored one is no
 * change; any difference (one array element, one nested key) is.
 *
 * @example
 * ```ts
 * const changes: Change[] = [];
 * updateProfile({ teams: ['eng', 'qa'] }, decision, ['teams'], changes);
 * // with teams = ['eng', 'sec'] (sync always): changes [{ op: 'change', name: 'teams', from: [...], to: [...] }]
 * ```
 */
export function updateProfile(
  stored: Record<string, JsonValue>,
  decision: Decision,
  names: readonly string[],
  changes: Change[],
): Record<string, JsonValue> {
  // Copied at the first change. A login that changes nothing returns the stored record itself when it is already a
  // null-prototype record (as the simulator's scratch store keeps them); any other record is copied into one.
  let profile: Record<string, JsonValue> | null = Object.getPrototypeOf(stored) === null ? null : copyOf(stored);
  const out = (): Record<string, JsonValue> => {
    profile ??= copyOf(stored);
    return profile;
  };
  for (const name of names) {
    const pv = defined(decision.profile[name]);
    const has = Object.hasOwn(stored, name);
    const old = has ? stored[name] : undefined;
    if (pv.sync === 'create') continue;
    if (pv.state === 'present') {
      if (pv.sync === 'fill' && !isEmptyValue(old)) continue;
      if (has && jsonEqual(old, pv.value)) continue;
      out()[name] = pv.value;
      changes.push(
        has
          ? { field: 'profile', op: 'change', name, from: defined(old), to: pv.value }
          : { field: 'profile', op: 'add', name, to: pv.value },
      );
    } else if (pv.state === 'absent' && pv.clear && has) {
      delete out()[name];
      changes.push({ field: 'profile', op: 'remove', name, from: defined(old) });
    }
  }
  return profile ?? stored;
}

/** A null-prototype copy of a profile record. */
function copyOf(stored: Record<string, JsonValue>): Record<string, JsonValue> {
  return Object.assign(Object.create(null) as Record<string, JsonValue>, stored);
}
