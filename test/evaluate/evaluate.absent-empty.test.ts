/**
 * `absent empty` (ClaimPlan.absentEmpty): an absent set or list claim reads as the empty set, in evaluate(), in the
 * simulator's incremental path (evaluationBase / evaluateFrom) and in readClaim; a present but malformed or
 * indeterminate value stays malformed. And the lint's absent/changes-outcome report is sound: whenever the
 * declaration changes a decision on a token without the claim, lint reported the rule.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ClaimSet, JsonValue } from '../../src/model/claim-set.js';
import { compile, lint } from '../../src/compile/compile.js';
import type { Plan } from '../../src/model/plan.js';
import { evaluate, evaluateFrom, evaluationBase } from '../../src/evaluate/evaluate.js';
import { readClaim } from '../../src/evaluate/index.js';
import { claim, listOf, oidc, plan, saml, scalar, setOf } from './plan-builder.js';

const S = scalar('string');
const withAbsentEmpty = (p: Plan): Plan => ({
  ...p,
  claims: p.claims.map((c) => ({ ...c, absentEmpty: true as const })),
});

describe('reading an absent empty claim', () => {
  const oidcPlan = withAbsentEmpty(
    plan({ claims: [claim('groups', setOf(S)), claim('tags', listOf(S), { source: ['ext', 'tags'] })] }),
  );
  const samlPlan = withAbsentEmpty(plan({ protocol: 'saml', claims: [claim('groups', setOf(S))] }));

  it.each<[string, Plan, ClaimSet, string, unknown]>([
    ['OIDC claim missing → the empty set', oidcPlan, oidc({}), 'groups', { state: 'present', value: [] }],
    ['OIDC claim null → the empty set', oidcPlan, oidc({ groups: null }), 'groups', { state: 'present', value: [] }],
    ['OIDC path missing half-way → the empty set', oidcPlan, oidc({}), 'tags', { state: 'present', value: [] }],
    ['OIDC empty array (present anyway)', oidcPlan, oidc({ groups: [] }), 'groups', { state: 'present', value: [] }],
    [
      'OIDC values → read as usual',
      oidcPlan,
      oidc({ groups: ['b', 'a'] }),
      'groups',
      { state: 'present', value: ['a', 'b'] },
    ],
    ['SAML attribute missing → the empty set', samlPlan, saml({}), 'groups', { state: 'present', value: [] }],
    [
      'SAML attribute with zero values → the empty set',
      samlPlan,
      saml({ groups: [] }),
      'groups',
      { state: 'present', value: [] },
    ],
  ])('%s', (_name, p, cs, name, want) => {
    expect(readClaim(p, cs, name)).toEqual(want);
  });

  it.each<[string, ClaimSet, string, string]>([
    ['a string where a set was declared', oidc({ groups: 'admins' }), 'groups', 'wrong-type'],
    ['a path crossing a non-object', oidc({ ext: 'x' }), 'tags', 'wrong-type'],
    ['a null element', oidc({ groups: ['a', null] as JsonValue }), 'groups', 'wrong-type'],
    ['indeterminate (Entra ID group overage)', oidc({}, { indeterminate: ['groups'] }), 'groups', 'indeterminate'],
  ])('%s stays malformed', (_name, cs, name, reason) => {
    expect(readClaim(oidcPlan, cs, name)).toMatchObject({ state: 'malformed', reason });
  });

  it('is off unless declared, and means nothing on a scalar (a hand-edited plan)', () => {
    expect(readClaim(plan({ claims: [claim('groups', setOf(S))] }), oidc({}), 'groups')).toEqual({ state: 'absent' });
    expect(readClaim(withAbsentEmpty(plan({ claims: [claim('dept', S)] })), oidc({}), 'dept')).toEqual({
      state: 'absent',
    });
  });
});

const ISSUER = 'https://id.example.com';
const mapping = (decl: string, body: string) => `mapping "m" {
  idp oidc "${ISSUER}"
  key sub
  claims {
    groups : set<string> from "groups" optional ${decl}
    ok     : bool        from "ok"     optional
  }
  ${body}
  lifecycle { offboarding scim }
}`;
const token = (claims: Record<string, JsonValue>): ClaimSet => ({
  protocol: 'oidc',
  issuer: ISSUER,
  subject: { id: 'u1' },
  claims: { sub: 'u1', ...claims },
  verified: true,
});
function compiled(src: string): Plan {
  const r = compile(src);
  if (!r.plan) throw new Error(r.diagnostics.map((d) => `${d.code} ${d.message}`).join('\n'));
  return r.plan;
}

describe('evaluate with absent empty', () => {
  const body = `require not "blocked" in groups
  roles { privileged admin grant admin when not "contractors" in groups unsafe "the issue's negated grant" deny admin when "interns" in groups }
  entitlements { grant "wiki" deny "wiki" for each groups matching /^banned-/ }`;

  it('a token without groups: the require passes, the grant is true, the denies do not fire', () => {
    const before = evaluate(compiled(mapping('', body)), token({}));
    const after = evaluate(compiled(mapping('absent empty', body)), token({}));
    expect(before).toMatchObject({ outcome: 'refuse', refusals: [{ code: 'requirement-not-met' }] });
    expect(after).toMatchObject({ outcome: 'allow', roles: ['admin'], entitlements: ['wiki'], absent: ['ok'] });
  });

  it("the incremental path (evaluationBase / evaluateFrom) gives evaluate()'s decision, both ways", () => {
    const p = compiled(mapping('absent empty', body));
    const withGroups = token({ groups: ['contractors', 'banned-x'] });
    const without = token({});
    for (const [from, to] of [
      [withGroups, without],
      [without, withGroups],
      [without, token({ groups: null })],
    ] as const) {
      expect(evaluateFrom(evaluationBase(p, from), to)).toEqual(evaluate(p, to));
    }
  });
});

describe('absent/changes-outcome is sound', () => {
  const atom = fc.constantFrom('"a" in groups', 'any groups matches /^a$/', 'all groups matches /^a$/', 'ok', 'not ok');
  const cond: fc.Arbitrary<string> = fc.letrec<{ c: string }>((tie) => ({
    c: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      atom,
      fc.tuple(tie('c'), fc.constantFrom('and', 'or'), tie('c')).map(([a, op, b]) => `(${a}) ${op} (${b})`),
      tie('c').map((c) => `not (${c})`),
    ),
  })).c;

  it('every decision the declaration changes on a token without groups belongs to a reported rule', () => {
    fc.assert(
      fc.property(cond, fc.constantFrom('grant admin', 'deny admin', 'require'), (c, kind) => {
        const body =
          kind === 'require'
            ? `require ${c}\n  roles { privileged admin grant admin when ok or not ok unsafe "property" }`
            : `roles { privileged admin grant admin when ok or not ok unsafe "property" ${kind} when ${c}${kind === 'grant admin' ? ' unsafe "property"' : ''} }`;
        const plain = compiled(mapping('', body));
        const declared = mapping('absent empty', body);
        const reported = lint(declared).some((d) => d.code === 'absent/changes-outcome');
        for (const ok of [true, false, undefined]) {
          const cs = token(ok === undefined ? {} : { ok });
          const a = evaluate(plain, cs);
          const b = evaluate(compiled(declared), cs);
          if (a.outcome !== b.outcome || a.roles.join() !== b.roles.join())
            expect(reported, `${kind} ${c} (ok=${String(ok)})`).toBe(true);
        }
      }),
      { numRuns: 150 },
    );
  });

  it('reports nothing when no decision can change (one test on groups, nothing else)', () => {
    for (const [kind, c] of [
      ['grant admin', '"a" in groups'],
      ['deny admin', 'all groups matches /^a$/'],
      ['deny admin', 'not "a" in groups'],
    ]) {
      const body = `roles { privileged admin grant admin when ok ${kind} when ${c} }`;
      expect(
        lint(mapping('absent empty', body)).filter((d) => d.code === 'absent/changes-outcome'),
        `${kind} ${c}`,
      ).toEqual([]);
    }
  });
});
