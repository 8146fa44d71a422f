/**
 * jsonEqual decides `updated` vs `unchanged` in provision() and every profile finding of the simulator, impact
 * preview and scenario runner. Table cases for each JSON shape, a fast-check property against a reference (canonical
 * JSON text of both sides), and one test per call site that decides a write or a finding (see the end of the file).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { JsonValue } from '../../src/model/claim-set.js';
import { jsonEqual } from '../../src/json/equal.js';
import { MemoryStore, provision } from '../../src/runtime/index.js';
import { withClaim } from '../../src/simulate/claim-edit.js';
import { planImpact } from '../../src/simulate/impact/impact.js';
import { subjectsFromClaimSets } from '../../src/simulate/impact/subjects.js';
import { compareOutcome } from '../../src/simulate/scenarios/run.js';
import type { ActualOutcome } from '../../src/simulate/scenarios/types.js';
import { simulate, simulateDecisions } from '../../src/simulate/simulate.js';
import type { MutationOperator, SimulationResult } from '../../src/simulate/types.js';
import { at, makeClaims, T0, teamsPlan } from '../runtime/fixtures.js';
import { ISSUER, NOW, oidc, plan } from '../simulate/fixtures.js';

/** The reference: JSON text with object keys sorted at every level. Only for JSON-representable values. */
function canonical(v: JsonValue): string {
  const sort = (x: JsonValue): unknown =>
    Array.isArray(x)
      ? x.map(sort)
      : x !== null && typeof x === 'object'
        ? Object.fromEntries(
            Object.keys(x)
              .sort()
              .map((k) => [k, sort(x[k]!)]),
          )
        : x;
  return JSON.stringify(sort(v));
}

const nullProto = (o: Record<string, JsonValue>): Record<string, JsonValue> =>
  Object.assign(Object.create(null) as Record<string, JsonValue>, o);

/** `depth` arrays around an object around `leaf`: [[[…{ k: leaf }…]]]. */
function nested(depth: number, leaf: JsonValue): JsonValue {
  let v: JsonValue = { k: leaf };
  for (let i = 0; i < depth; i++) v = i % 2 ? [v] : { [`k${i}`]: v, same: [1, 2] };
  return v;
}

type Case = [name: string, a: JsonValue | undefined, b: JsonValue | undefined, equal: boolean];

const CASES: Case[] = [
  // scalars
  ['equal strings', 'a', 'a', true],
  ['different strings', 'a', 'b', false],
  ['case matters', 'Admin', 'admin', false],
  ['a string is not the number it spells', '1', 1, false],
  ['a string is not the boolean it spells', 'true', true, false],
  ['0 and -0 are equal (JSON has one zero)', 0, -0, true],
  ['-0 and 0 are equal', -0, 0, true],
  ['different numbers', 1, 1.5, false],
  ['NaN is not equal to itself (not JSON; never "unchanged")', Number.NaN, Number.NaN, false],
  ['true and false', true, false, false],
  ['false is not 0', false, 0, false],
  ['the empty string is not null', '', null, false],
  ['null equals null', null, null, true],
  // missing values
  ['undefined equals undefined', undefined, undefined, true],
  ['null is not undefined', null, undefined, false],
  ['undefined is not null', undefined, null, false],
  ['undefined is not an empty array', undefined, [], false],
  ['an empty array is not undefined', [], undefined, false],
  ['undefined is not an empty object', undefined, {}, false],
  // arrays
  ['equal arrays', [1, 'a', null], [1, 'a', null], true],
  ['empty arrays', [], [], true],
  ['one element differs (last)', ['eng', 'ops', 'dev'], ['eng', 'ops', 'sec'], false],
  ['one element differs (first)', ['x', 'ops'], ['eng', 'ops'], false],
  ['one element differs in type', [1, 2], [1, '2'], false],
  ['element order matters', ['a', 'b'], ['b', 'a'], false],
  ['a longer array', [1, 2], [1, 2, 3], false],
  ['a shorter array', [1, 2, 3], [1, 2], false],
  ['a prefix is not equal', ['a'], ['a', 'a'], false],
  ['null element is not a missing element', [null], [], false],
  ['nested arrays equal', [[1, [2, 3]], []], [[1, [2, 3]], []], true],
  ['nested array element differs', [[1, [2, 3]]], [[1, [2, 4]]], false],
  ['nested array length differs', [[1, [2, 3]]], [[1, [2]]], false],
  ['arrays of objects with keys in another order', [{ a: 1, b: 2 }], [{ b: 2, a: 1 }], true],
  ['arrays of objects, one value differs', [{ a: 1 }, { a: 2 }], [{ a: 1 }, { a: 3 }], false],
  ['an array is not an object with index keys', ['x'], { 0: 'x' }, false],
  ['an object with index keys is not an array', { 0: 'x' }, ['x'], false],
  ['an empty array is not an empty object', [], {}, false],
  ['an empty object is not an empty array', {}, [], false],
  ['an array is not its string', ['a'], 'a', false],
  ['a string is not an array of it', 'a', ['a'], false],
  // objects
  ['key order is irrelevant', { a: 1, b: [1, 2], c: { d: null } }, { c: { d: null }, b: [1, 2], a: 1 }, true],
  ['empty objects', {}, {}, true],
  ['one value differs', { a: 1, b: 2 }, { a: 1, b: 3 }, false],
  ['an extra key on the right', { a: 1 }, { a: 1, b: 2 }, false],
  ['an extra key on the left', { a: 1, b: 2 }, { a: 1 }, false],
  ['same number of keys, different names', { a: 1 }, { b: 1 }, false],
  ['a null value is not a missing key', { a: null }, {}, false],
  ['a missing key is not a null value', {}, { a: null }, false],
  [
    'keys with undefined values (not JSON) are compared by name',
    { a: undefined } as unknown as JsonValue,
    { b: undefined } as unknown as JsonValue,
    false,
  ],
  [
    'a key with an undefined value (not JSON) is not a missing key',
    { a: undefined } as unknown as JsonValue,
    {},
    false,
  ],
  ['nested object value differs', { a: { b: { c: [1] } } }, { a: { b: { c: [2] } } }, false],
  ['an object is not null', {}, null, false],
  ['null is not an object', null, {}, false],
  // prototypes and special keys
  ['a null-prototype object equals a plain one', nullProto({ a: 1, b: ['x'] }), { b: ['x'], a: 1 }, true],
  ['a plain object equals a null-prototype one', { a: 1 }, nullProto({ a: 1 }), true],
  ['null-prototype objects with different values', nullProto({ a: 1 }), nullProto({ a: 2 }), false],
  ['a key named toString is compared as data', { toString: 1 } as JsonValue, { valueOf: 1 } as JsonValue, false],
  [
    'an own "__proto__" key is compared as data',
    JSON.parse('{"__proto__": 1}') as JsonValue,
    JSON.parse('{"__proto__": 2}') as JsonValue,
    false,
  ],
  ['an own "__proto__" key is not a missing key', JSON.parse('{"__proto__": {}}') as JsonValue, {}, false],
  [
    'equal own "__proto__" keys',
    JSON.parse('{"__proto__": [1]}') as JsonValue,
    JSON.parse('{"__proto__": [1]}') as JsonValue,
    true,
  ],
  ['"hasOwnProperty" as a key', { hasOwnProperty: 1 } as JsonValue, { hasOwnProperty: 1 } as JsonValue, true],
  // deep nesting
  ['deeply nested, equal', nested(200, 'x'), nested(200, 'x'), true],
  ['deeply nested, the leaf differs', nested(200, 'x'), nested(200, 'y'), false],
  ['deeply nested, the depth differs', nested(200, 'x'), nested(201, 'x'), false],
];

describe('jsonEqual', () => {
  it.each(CASES)('%s', (_name, a, b, equal) => {
    expect(jsonEqual(a, b)).toBe(equal);
    expect(jsonEqual(b, a), 'symmetric').toBe(equal);
  });

  it('does not change its arguments', () => {
    const a = { b: [1, { c: 2 }] };
    const b = { b: [1, { c: 3 }] };
    jsonEqual(a, b);
    expect(a).toEqual({ b: [1, { c: 2 }] });
    expect(b).toEqual({ b: [1, { c: 3 }] });
  });
});

/** A deep copy with every object's keys inserted in reverse order, as a null-prototype object at odd depths. */
function reordered(v: JsonValue, depth = 0): JsonValue {
  if (Array.isArray(v)) return v.map((x) => reordered(x, depth + 1));
  if (v === null || typeof v !== 'object') return v;
  const out: Record<string, JsonValue> = depth % 2 ? Object.create(null) : {};
  for (const k of Object.keys(v).reverse())
    Object.defineProperty(out, k, {
      value: reordered(v[k]!, depth + 1),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  return out;
}

/** A deep copy with the `pick`-th node (pre-order) replaced by `by`. */
function replaced(v: JsonValue, pick: number, by: JsonValue): JsonValue {
  let n = 0;
  const go = (x: JsonValue): JsonValue => {
    if (n++ === pick) return by;
    if (Array.isArray(x)) return x.map(go);
    if (x === null || typeof x !== 'object') return x;
    const out: Record<string, JsonValue> = {};
    for (const k of Object.keys(x))
      Object.defineProperty(out, k, { value: go(x[k]!), enumerable: true, writable: true, configurable: true });
    return out;
  };
  return go(v);
}

describe('jsonEqual against canonical JSON (fast-check)', () => {
  const json = fc.jsonValue({ maxDepth: 4 }) as fc.Arbitrary<JsonValue>;

  it('agrees with the reference on independent values', () => {
    fc.assert(
      fc.property(json, json, (a, b) => jsonEqual(a, b) === (canonical(a) === canonical(b))),
      { numRuns: 500 },
    );
  });

  it('agrees with the reference on a value and a one-node edit of it (arrays, objects, leaves)', () => {
    fc.assert(
      fc.property(json, fc.nat(), json, (a, pick, by) => {
        const b = replaced(a, pick % 64, by);
        return jsonEqual(a, b) === (canonical(a) === canonical(b)) && jsonEqual(b, a) === jsonEqual(a, b);
      }),
      { numRuns: 1000 },
    );
  });

  it('finds a value equal to a copy with every key order reversed', () => {
    fc.assert(
      fc.property(json, (a) => jsonEqual(a, reordered(a)) && jsonEqual(reordered(a), a)),
      { numRuns: 300 },
    );
  });

  it('tells a value from the same value with one array element changed', () => {
    const arrays = fc.array(json, { minLength: 1, maxLength: 6 });
    fc.assert(
      fc.property(arrays, fc.nat(), json, (a, i, by) => {
        const b = [...a];
        b[i % a.length] = by;
        return (
          jsonEqual(a, b) === (canonical(a[i % a.length]!) === canonical(by)) &&
          jsonEqual({ v: a }, { v: b }) === jsonEqual(a, b)
        );
      }),
      { numRuns: 500 },
    );
  });
});

// Every call site of jsonEqual that decides a write or a finding: a profile list that differs in one element only
// must count as changed, the same list as unchanged.

describe('provision(): jsonEqual decides updated vs unchanged (src/runtime/provision/profile.ts updateProfile)', () => {
  it('a profile list with one element changed is updated, with a change from the old list to the new', async () => {
    const store = new MemoryStore();
    const p = teamsPlan();
    await provision(p, makeClaims({ groups: ['eng', 'ops', 'qa'] }), { store, now: T0 });
    const r = await provision(p, makeClaims({ groups: ['eng', 'ops', 'sec'] }), { store, now: at(1) });
    expect(r.action).toBe('updated');
    expect(r.changes).toEqual([
      { field: 'profile', op: 'change', name: 'teams', from: ['eng', 'ops', 'qa'], to: ['eng', 'ops', 'sec'] },
    ]);
    expect(r.account!.profile.teams).toEqual(['eng', 'ops', 'sec']);
  });

  it('the same profile list is unchanged, with no change and no write', async () => {
    const store = new MemoryStore();
    const p = teamsPlan();
    const first = await provision(p, makeClaims({ groups: ['eng', 'ops', 'qa'] }), { store, now: T0 });
    const r = await provision(p, makeClaims({ groups: ['eng', 'ops', 'qa'] }), { store, now: at(1) });
    expect(r.action).toBe('unchanged');
    expect(r.changes).toEqual([]);
    expect(r.account!.updatedAt).toBe(first.account!.updatedAt);
  });

  it('a profile list one element longer is updated', async () => {
    const store = new MemoryStore();
    const p = teamsPlan();
    await provision(p, makeClaims({ groups: ['eng'] }), { store, now: T0 });
    expect((await provision(p, makeClaims({ groups: ['eng', 'ops'] }), { store, now: at(1) })).action).toBe('updated');
  });
});

/** A mapping whose profile holds a list claim (order kept) next to the email. */
const TEAMS = (normalize = '') => `mapping "teams" {
  idp oidc "${ISSUER}"
  key sub
  claims {
    email : email        from "email" required normalize lower
    teams : list<string> from "teams" optional${normalize}
  }
  profile {
    email = email sync always
    teams = teams sync always
  }
  roles replace { grant viewer }
  accounts { on email_conflict reject }
  lifecycle { offboarding scim }
}`;

const sample = () => oidc({ email: 'jane@example.com', teams: ['eng', 'ops', 'qa'] });

/** Claim operators that set `teams` to a given list. */
const setTeams = (name: string, teams: string[]): MutationOperator => ({
  name,
  description: `Sets teams to ${JSON.stringify(teams)} (test operator).`,
  scope: 'claim',
  appliesTo: (c) => c?.name === 'teams',
  apply: (cs, c) => [{ label: name, claimSet: withClaim(cs, c!, teams) }],
});
const TEAM_OPERATORS = [
  setTeams('one-team-changed', ['eng', 'ops', 'sec']),
  setTeams('same-teams', ['eng', 'ops', 'qa']),
];

const outcome = (r: SimulationResult, operator: string) => {
  const o = r.outcomes.find((x) => x.operator === operator);
  if (!o) throw new Error(`no outcome of ${operator}`);
  return { class: o.class, findings: o.findings.map((f) => [f.class, f.subject, f.name]) };
};

describe('simulateDecisions(): jsonEqual decides a profile-loss finding (src/simulate/classify.ts decisionFindings)', () => {
  it('a list with one element changed is profile-loss; the same list is unchanged', () => {
    const r = simulateDecisions(plan(TEAMS()), [{ name: 's', claimSet: sample() }], {
      now: NOW,
      extraOperators: TEAM_OPERATORS,
    });
    expect(outcome(r, 'one-team-changed')).toEqual({
      class: 'profile-loss',
      findings: [['profile-loss', 'profile', 'teams']],
    });
    expect(outcome(r, 'same-teams')).toEqual({ class: 'unchanged', findings: [] });
  });
});

describe('simulate(): jsonEqual decides a profile-loss finding on the update path (src/simulate/drive-store.ts loginFindings)', () => {
  it('a list with one element changed is profile-loss; the same list is unchanged', async () => {
    const r = await simulate(plan(TEAMS()), [{ name: 's', claimSet: sample() }], {
      now: NOW,
      extraOperators: TEAM_OPERATORS,
    });
    const changed = r.outcomes.find((o) => o.operator === 'one-team-changed')!;
    expect(changed.class).toBe('profile-loss');
    expect(changed.findings).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          class: 'profile-loss',
          path: 'update',
          name: 'teams',
          from: ['eng', 'ops', 'qa'],
          to: ['eng', 'ops', 'sec'],
        }),
      ]),
    );
    expect(outcome(r, 'same-teams')).toEqual({ class: 'unchanged', findings: [] });
  });
});

describe('simulate(): jsonEqual decides which profile fields a duplicate account shares (src/simulate/drive-store.ts loginFindings)', () => {
  /** No email; a list of mail addresses is the only profile field, so `to` is set only when that list is shared. */
  const MAILS = `mapping "mails" {
  idp oidc "${ISSUER}"
  key sub
  claims {
    email : email        from "email" required normalize lower
    mails : list<string> from "mails" optional
  }
  profile { mails = mails sync always }
  roles replace { grant viewer }
  accounts { on email_conflict reject }
  lifecycle { offboarding scim }
}`;
  /** A second subject, same email, whose `mails` are `mails`. */
  const twin = (name: string, mails: string[]): MutationOperator => ({
    name,
    description: 'Another subject with the given mails (test operator).',
    scope: 'login',
    appliesTo: (c) => c === null,
    apply: () => [{ label: name, claimSet: oidc({ email: 'jane@example.com', mails }, 'twin') }],
  });

  it('names the shared list when it is equal, and not when one element differs', async () => {
    const s = oidc({ email: 'jane@example.com', mails: ['jane@example.com', 'j.doe@example.com'] });
    const r = await simulate(plan(MAILS), [{ name: 's', claimSet: s }], {
      now: NOW,
      extraOperators: [
        twin('twin-same', ['jane@example.com', 'j.doe@example.com']),
        twin('twin-one-differs', ['jane@example.com', 'jd@example.com']),
      ],
    });
    const dup = (op: string) =>
      r.outcomes.find((o) => o.operator === op)!.findings.find((f) => f.class === 'duplicate-account')!;
    expect(dup('twin-same')).toMatchObject({ to: ['jane@example.com', 'j.doe@example.com'] });
    expect(dup('twin-one-differs')).toBeDefined();
    expect(dup('twin-one-differs')).not.toHaveProperty('to');
  });
});

describe('planImpact(): jsonEqual decides a profile change (src/simulate/impact/impact.ts)', () => {
  it('lists a list that changes in one element, and not a list that stays the same', async () => {
    const oldPlan = plan(TEAMS());
    const newPlan = plan(TEAMS(' normalize lower'));
    const subjects = subjectsFromClaimSets([
      { name: 'one-upper', claimSet: oidc({ email: 'a@example.com', teams: ['eng', 'OPS', 'qa'] }, 'a') },
      { name: 'all-lower', claimSet: oidc({ email: 'b@example.com', teams: ['eng', 'ops', 'qa'] }, 'b') },
    ]);
    const r = await planImpact(oldPlan, newPlan, subjects, { now: NOW });
    const profileOf = (key: string) => r.perAccount.find((a) => a.key === key)?.profile ?? [];
    expect(profileOf('one-upper')).toEqual([{ field: 'teams', from: ['eng', 'OPS', 'qa'], to: ['eng', 'ops', 'qa'] }]);
    expect(profileOf('all-lower')).toEqual([]);
  });
});

describe('compareOutcome(): jsonEqual decides a scenario profile failure (src/simulate/scenarios/run.ts)', () => {
  const actual = (teams: JsonValue): ActualOutcome => ({
    action: 'created',
    refusals: [],
    roles: [],
    entitlements: [],
    profile: { teams },
    changes: [],
  });

  it('fails on a list that differs in one element, passes on the same list', () => {
    const expect_ = { action: 'created' as const, profile: { teams: ['eng', 'ops', 'qa'] } };
    expect(compareOutcome(expect_, actual(['eng', 'ops', 'sec']))).toEqual([
      { field: 'profile.teams', expected: ['eng', 'ops', 'qa'], actual: ['eng', 'ops', 'sec'] },
    ]);
    expect(compareOutcome(expect_, actual(['eng', 'ops', 'qa']))).toEqual([]);
    expect(compareOutcome(expect_, actual(['qa', 'ops', 'eng']))).toHaveLength(1);
  });
});
