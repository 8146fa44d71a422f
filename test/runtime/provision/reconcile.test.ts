/**
 * The reconcile step of provision(): reconcileGrants returns the grants in sortGrants order by construction (the
 * write step and SCIM compare them with the store's sorted grants and write them without sorting again). Checked
 * against the straightforward definition (keep manual grants, re-stamp or add the granted ones, keep or remove the
 * others by mode, then sortGrants) over random prior grants, granted names and modes.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Decision } from '../../../src/evaluate/decision.js';
import type { Plan } from '../../../src/model/plan.js';
import { reconcileGrants } from '../../../src/runtime/provision/reconcile.js';
import { sortGrants } from '../../../src/runtime/stores/codec.js';
import type { Change, Grant } from '../../../src/runtime/types.js';
import { makePlan, T0 } from '../fixtures.js';

const NOW = '2026-12-01T09:00:00.000Z';

/** The definition: what reconcileGrants returned before it built its result in order. */
function reference(plan: Plan, decision: Decision, prior: readonly Grant[]): { grants: Grant[]; changes: Change[] } {
  const grants: Grant[] = [];
  const changes: Change[] = [];
  for (const kind of ['role', 'entitlement'] as const) {
    const mode = kind === 'role' ? plan.roles.mode : plan.entitlements.mode;
    const desired = kind === 'role' ? decision.roles : decision.entitlements;
    const by = kind === 'role' ? decision.grantedBy.roles : decision.grantedBy.entitlements;
    const owned = new Map<string, Extract<Grant, { source: 'mapping' }>>();
    for (const g of prior) {
      if (g.kind !== kind) continue;
      if (g.source === 'manual') grants.push(g);
      else owned.set(g.name, g);
    }
    const want = [...new Set(desired)].sort();
    for (const name of want) {
      const rules = [...new Set(by[name] ?? [])].sort();
      const old = owned.get(name);
      grants.push({
        kind,
        name,
        grantedAt: old?.grantedAt ?? NOW,
        source: 'mapping',
        rules,
        mappingDigest: plan.digest,
        mappingVersion: plan.version,
      });
      if (!old) changes.push({ field: kind, op: 'add', name, rules });
      else if (old.rules.join('\0') !== rules.join('\0'))
        changes.push({ field: kind, op: 'change', name, from: old.rules, to: rules, rules });
    }
    for (const [name, old] of owned) {
      if (want.includes(name)) continue;
      if (mode === 'add') grants.push(old);
      else changes.push({ field: kind, op: 'remove', name, rules: old.rules });
    }
  }
  return { grants: sortGrants(grants), changes };
}

// Few distinct names, so that prior and granted names meet; names that sort differently by code unit and locale.
const NAME = fc.constantFrom('a', 'b', 'B', 'admin', 'Admin', 'z', 'é', 'e\u0301', '😀', 'ﬀ', '');
const RULES = fc.uniqueArray(fc.constantFrom('r1', 'r2', 'r10', 'roles[3]'), { maxLength: 3 });

const GRANT: fc.Arbitrary<Grant> = fc.oneof(
  fc.record({
    kind: fc.constantFrom('role' as const, 'entitlement' as const),
    name: NAME,
    grantedAt: fc.constant(T0),
    source: fc.constant('mapping' as const),
    rules: RULES.map((r) => [...r].sort()),
    mappingDigest: fc.constantFrom('sha256:old', 'sha256:x'),
    mappingVersion: fc.constantFrom(null, '1'),
  }),
  fc.record({
    kind: fc.constantFrom('role' as const, 'entitlement' as const),
    name: NAME,
    grantedAt: fc.constant(T0),
    source: fc.constant('manual' as const),
    actor: fc.constant('ops'),
  }),
);

/** Prior grants as a store holds them: one per kind, name and source, in sortGrants order. */
const PRIOR = fc
  .uniqueArray(GRANT, { selector: (g) => `${g.kind}\0${g.name}\0${g.source}`, maxLength: 8 })
  .map(sortGrants);

/** Granted names (repeated, unsorted, as a caller's hand-built decision may have them) and the rules of each. */
const GRANTED = fc.array(fc.tuple(NAME, RULES), { maxLength: 6 });

function decisionOf(roles: [string, string[]][], ents: [string, string[]][]): Decision {
  const by = (list: [string, string[]][]) => {
    const out = Object.create(null) as Record<string, string[]>;
    for (const [name, rules] of list) out[name] = [...(out[name] ?? []), ...rules];
    return out;
  };
  return {
    roles: roles.map(([n]) => n),
    entitlements: ents.map(([n]) => n),
    grantedBy: { roles: by(roles), entitlements: by(ents) },
  } as unknown as Decision;
}

describe('reconcileGrants', () => {
  it('returns the grants in sortGrants order and the changes of the definition, for every mode', () => {
    fc.assert(
      fc.property(
        PRIOR,
        GRANTED,
        GRANTED,
        fc.constantFrom('replace' as const, 'add' as const),
        fc.constantFrom('replace' as const, 'add' as const),
        (prior, roles, ents, roleMode, entMode) => {
          const base = makePlan();
          const plan = {
            ...base,
            roles: { ...base.roles, mode: roleMode },
            entitlements: { ...base.entitlements, mode: entMode },
          } as Plan;
          const decision = decisionOf(roles, ents);
          const got = reconcileGrants(plan, decision, prior, NOW);
          expect(got.grants).toEqual(sortGrants(got.grants));
          expect(got).toEqual(reference(plan, decision, prior));
        },
      ),
      { numRuns: 500 },
    );
  });

  it('sorts a kind that keeps manual or add-mode grants among the granted ones', () => {
    const plan = makePlan();
    const prior = sortGrants([
      { kind: 'role', name: 'm', grantedAt: T0, source: 'manual' },
      { kind: 'role', name: 'a', grantedAt: T0, source: 'manual' },
      { kind: 'entitlement', name: 'x', grantedAt: T0, source: 'manual' },
    ]);
    const decision = decisionOf(
      [
        ['z', ['r2']],
        ['b', ['r1']],
        ['m', ['r1']],
      ],
      [['a', ['r3']]],
    );
    const got = reconcileGrants(plan, decision, prior, NOW);
    expect(got.grants.map((g) => `${g.kind}:${g.name}:${g.source}`)).toEqual([
      'entitlement:a:mapping',
      'entitlement:x:manual',
      'role:a:manual',
      'role:b:mapping',
      'role:m:manual',
      'role:m:mapping',
      'role:z:mapping',
    ]);
    expect(got.changes.map((c) => `${c.field}:${c.op}:${c.name}`)).toEqual([
      'role:add:b',
      'role:add:m',
      'role:add:z',
      'entitlement:add:a',
    ]);
  });
});
