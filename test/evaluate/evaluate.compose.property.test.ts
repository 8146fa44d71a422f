/**
 * Differential properties of the evaluation without a trace (the login hot path) against references built from the
 * trace of the same evaluation: random plans (random Kleene conditions over every claim type, roles and fixed
 * entitlements with colliding targets, `__proto__`-like names) and random claims. The trace path composes
 * entitlements through the EntitlementSet; the hot path composes fixed entitlements from a per-plan table, shares
 * frozen provenance lists and builds the decision once: both must give the same decision, and the same decision as
 * a plain reading of the language's rules applied to the trace's per-rule results.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { JsonValue } from '../../src/model/claim-set.js';
import type { Plan } from '../../src/model/plan.js';
import type { Decision, TraceEntry } from '../../src/evaluate/decision.js';
import { evaluate } from '../../src/evaluate/index.js';
import { claimsArb, planArb } from './arbitraries.js';
import { oidc } from './plan-builder.js';

function present(o: Record<string, JsonValue | undefined>): Record<string, JsonValue> {
  const out = Object.create(null) as Record<string, JsonValue>;
  for (const [k, v] of Object.entries(o)) if (v !== undefined) out[k] = v;
  return out;
}

type Composed = Pick<Decision, 'roles' | 'entitlements' | 'grantedBy' | 'denied'>;

/**
 * The language's composition rules applied to the traced per-rule results, written plainly: a name with a deny
 * that is not false is blocked (or removed), every such deny is listed (roles by name then rule order, then
 * entitlement denies in rule order); a name is granted by its true grants (their ids in rule order).
 */
function composeFromTrace(p: Plan, trace: readonly TraceEntry[]): Composed {
  const denied: Decision['denied'] = [];
  const section = (kind: 'roles' | 'entitlements') => trace.filter((t) => t.section === kind);
  const roleEntries = section('roles');
  const roles: string[] = [];
  const byRole = Object.create(null) as Record<string, string[]>;
  for (const name of [...new Set([...p.roles.declared, ...roleEntries.map((t) => t.target)])].sort()) {
    const denies = roleEntries.filter((t) => t.target === name && t.effect === 'deny' && t.result !== 'false');
    for (const t of denies) denied.push({ kind: 'role', name, rule: t.rule, result: t.result });
    const ids = roleEntries.filter((t) => t.target === name && t.effect === 'grant' && t.result === 'true');
    if (denies.length === 0 && ids.length > 0) {
      roles.push(name);
      byRole[name] = ids.map((t) => t.rule);
    }
  }
  const entEntries = section('entitlements');
  const removed = new Set<string>();
  for (const t of entEntries) {
    if (t.effect !== 'deny') continue;
    for (const name of t.produced ?? (t.result !== 'false' ? [t.target] : [])) {
      denied.push({ kind: 'entitlement', name, rule: t.rule, result: t.result });
      removed.add(name);
    }
  }
  const byEnt = Object.create(null) as Record<string, string[]>;
  for (const t of entEntries) {
    if (t.effect !== 'grant') continue;
    for (const name of t.produced ?? (t.result === 'true' ? [t.target] : [])) {
      if (removed.has(name)) continue;
      const ids = byEnt[name] ?? [];
      if (ids[ids.length - 1] !== t.rule) ids.push(t.rule);
      byEnt[name] = ids;
    }
  }
  const entitlements = Object.keys(byEnt).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return { roles, entitlements, grantedBy: { roles: byRole, entitlements: byEnt }, denied };
}

const json = (x: unknown): unknown => JSON.parse(JSON.stringify(x));

describe('properties: the hot path (no trace) against the trace', () => {
  it('random plans and claims: the same decision as with a trace, and as the rules applied to the trace', () => {
    let allowed = 0;
    let granted = 0;
    fc.assert(
      fc.property(planArb(), claimsArb(), (p, claims) => {
        const cs = oidc({ sub: 's', ...present(claims) });
        const fast = evaluate(p, cs);
        const traced = evaluate(p, cs, { trace: true });
        const { trace, ...rest } = traced;
        expect(json(fast)).toEqual(json(rest));
        expect(Object.keys(fast)).toEqual(Object.keys(rest));
        if (fast.outcome !== 'allow') return;
        allowed++;
        if (fast.roles.length + fast.entitlements.length > 0) granted++;
        const { roles, entitlements, grantedBy, denied } = fast;
        expect(json({ roles, entitlements, grantedBy, denied })).toEqual(json(composeFromTrace(p, trace ?? [])));
        // Provenance records stay null-prototype: a `__proto__` name is an own key, nothing inherited shows.
        expect(Object.getPrototypeOf(fast.grantedBy.roles)).toBeNull();
        expect(Object.getPrototypeOf(fast.grantedBy.entitlements)).toBeNull();
        expect(Object.getPrototypeOf(fast.profile)).toBeNull();
      }),
      { numRuns: 600 },
    );
    expect(allowed).toBeGreaterThan(400);
    expect(granted).toBeGreaterThan(200);
  });
});
