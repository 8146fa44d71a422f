import { describe, expect, it } from 'vitest';
import { type ClaimSet, type JsonValue, NAMEID_FORMATS } from '../../src/model/claim-set.js';
import type { KeyPlan } from '../../src/model/plan.js';
import { type RefusalCode, evaluate } from '../../src/evaluate/index.js';
import {
  OIDC_ISSUER,
  SAML_ISSUER,
  c,
  claim,
  e,
  forEach,
  grant,
  listOf,
  loc,
  oidc,
  plan,
  profileField,
  regex,
  requirement,
  saml,
  scalar,
  setOf,
} from './plan-builder.js';

describe('refusals', () => {
  const p = plan({
    claims: [
      claim('email', scalar('email'), { required: true }),
      claim('name', scalar('string'), { required: true }),
      claim('groups', setOf(scalar('string'))),
    ],
    roles: [grant('user', undefined, 'roles[0]')],
    entitlements: [grant('wiki', undefined, 'ents[0]')],
    profile: [profileField('mail', e.claim('email'))],
  });
  const good = oidc({ sub: 'u1', email: 'a@example.com', name: 'A' });

  const cases: [string, Partial<ClaimSet>, Record<string, JsonValue> | undefined, RefusalCode[]][] = [
    ['nothing wrong', {}, undefined, []],
    ['protocol mismatch', { protocol: 'saml' }, undefined, ['protocol-mismatch']],
    ['issuer mismatch', { issuer: 'https://evil.example.com' }, undefined, ['issuer-mismatch']],
    ['issuer with a trailing slash is another issuer', { issuer: `${OIDC_ISSUER}/` }, undefined, ['issuer-mismatch']],
    // Not strings (a claim set parsed from untrusted JSON): refused like any other mismatch, never a TypeError.
    [
      'protocol and issuer that are objects',
      { protocol: Object.create(null), issuer: Object.create(null) } as Partial<ClaimSet>,
      undefined,
      ['protocol-mismatch', 'issuer-mismatch'],
    ],
    ['empty sub', { subject: { id: '' } }, undefined, ['key-absent']],
    ['required claim absent', {}, { sub: 'u1', name: 'A' }, ['required-claim-absent']],
    ['required claim malformed', {}, { sub: 'u1', email: 'nope', name: 'A' }, ['required-claim-malformed']],
    [
      'all of them at once',
      { protocol: 'saml', issuer: 'x', subject: { id: '' } },
      { email: ['a@example.com'], name: 42 },
      ['protocol-mismatch', 'issuer-mismatch', 'key-absent', 'required-claim-malformed', 'required-claim-malformed'],
    ],
  ];
  it.each(cases)('%s', (_name, patch, claims, codes) => {
    const cs: ClaimSet = { ...good, ...patch, ...(claims ? { claims } : {}) };
    const d = evaluate(p, cs);
    expect(d.refusals.map((r) => r.code)).toEqual(codes);
    if (codes.length === 0) {
      expect(d.outcome).toBe('allow');
      expect(d.roles).toEqual(['user']);
      expect(d.entitlements).toEqual(['wiki']);
      expect(d.key).toEqual({ issuer: OIDC_ISSUER, subject: 'u1' });
    } else {
      expect(d.outcome).toBe('refuse');
      expect(d.roles).toEqual([]);
      expect(d.entitlements).toEqual([]);
      expect(d.key).toBeNull();
      expect(Object.keys(d.grantedBy.roles)).toEqual([]);
    }
  });

  it('names the claim of a required-claim refusal', () => {
    const d = evaluate(p, oidc({ sub: 'u1', email: 'a@example.com' }));
    expect(d.refusals).toEqual([expect.objectContaining({ code: 'required-claim-absent', claim: 'name' })]);
  });

  it('still reports the profile when refused', () => {
    const d = evaluate(p, { ...good, issuer: 'x' });
    expect(d.profile.mail).toEqual({ sync: 'always', clear: false, state: 'present', value: 'a@example.com' });
  });
});

describe('require gates', () => {
  const p = plan({
    require: [requirement('require[0]', c.eq('hd', 'example.com')), requirement('require[1]', c.truthy('verified'))],
    claims: [claim('hd', scalar('string')), claim('verified', scalar('bool'))],
    roles: [grant('user', undefined, 'roles[0]')],
  });
  // [case, claims, refusals (code, claim)]
  const cases: [string, Record<string, JsonValue>, [RefusalCode, string][]][] = [
    ['both true', { hd: 'example.com', verified: true }, []],
    ['first false', { hd: 'evil.example', verified: true }, [['requirement-not-met', 'hd']]],
    ['first unknown (absent) refuses too', { verified: true }, [['requirement-not-met', 'hd']]],
    ['first unknown (malformed) refuses too', { hd: 7, verified: true }, [['requirement-not-met', 'hd']]],
    [
      'both fail, both reported',
      { hd: 'x', verified: false },
      [
        ['requirement-not-met', 'hd'],
        ['requirement-not-met', 'verified'],
      ],
    ],
  ];
  it.each(cases)('%s', (_name, claims, want) => {
    const d = evaluate(p, oidc({ sub: 's', ...claims }));
    expect(d.refusals.map((r) => [r.code, r.claim])).toEqual(want);
    expect(d.outcome).toBe(want.length === 0 ? 'allow' : 'refuse');
    expect(d.roles).toEqual(want.length === 0 ? ['user'] : []);
  });

  it('comes after issuer and before key refusals', () => {
    const d = evaluate(p, { ...oidc({ sub: '' }), issuer: 'x', subject: { id: '' } });
    expect(d.refusals.map((r) => r.code)).toEqual([
      'issuer-mismatch',
      'requirement-not-met',
      'requirement-not-met',
      'key-absent',
    ]);
  });

  it('a plan without the require field (older plan objects) has no gates', () => {
    const { require: _omit, ...rest } = plan({ roles: [grant('user')] });
    const d = evaluate(rest as unknown as ReturnType<typeof plan>, oidc({ sub: 's' }));
    expect(d.outcome).toBe('allow');
  });
});

describe('key derivation', () => {
  const persistent: KeyPlan = { kind: 'nameid', format: 'persistent', formatUri: NAMEID_FORMATS.persistent, loc };
  const unspecified: KeyPlan = { kind: 'nameid', format: 'unspecified', formatUri: NAMEID_FORMATS.unspecified, loc };

  it('nameid: the NameID, scoped by the plan issuer', () => {
    const d = evaluate(plan({ protocol: 'saml', key: persistent }), saml({}));
    expect(d.key).toEqual({ issuer: SAML_ISSUER, subject: 'nameid-1' });
  });

  it('nameid: the NameID is used exactly as sent (no trim, no case folding)', () => {
    const cs = saml({}, { subject: { id: ' AbC ', format: NAMEID_FORMATS.persistent } });
    expect(evaluate(plan({ protocol: 'saml', key: persistent }), cs).key?.subject).toBe(' AbC ');
  });

  const formatCases: [string, KeyPlan, string | undefined, RefusalCode[]][] = [
    ['persistent wanted, emailAddress sent', persistent, NAMEID_FORMATS.emailAddress, ['key-format-mismatch']],
    ['persistent wanted, transient sent', persistent, NAMEID_FORMATS.transient, ['key-format-mismatch']],
    ['persistent wanted, no format sent (unspecified)', persistent, undefined, ['key-format-mismatch']],
    ['unspecified wanted, no format sent', unspecified, undefined, []],
    ['unspecified wanted, unspecified sent', unspecified, NAMEID_FORMATS.unspecified, []],
  ];
  it.each(formatCases)('%s', (_name, key, format, codes) => {
    const subject = format === undefined ? { id: 'n1' } : { id: 'n1', format };
    const d = evaluate(plan({ protocol: 'saml', key }), saml({}, { subject }));
    expect(d.refusals.map((r) => r.code)).toEqual(codes);
  });

  it('nameid: empty NameID and wrong format are both reported', () => {
    const d = evaluate(plan({ protocol: 'saml', key: persistent }), saml({}, { subject: { id: '' } }));
    expect(d.refusals.map((r) => r.code)).toEqual(['key-absent', 'key-format-mismatch']);
  });

  it('sub: subject.id, never the email', () => {
    const p = plan({ claims: [claim('email', scalar('email'))] });
    const d = evaluate(p, oidc({ sub: '248289761001', email: 'jane@example.com' }));
    expect(d.key).toEqual({ issuer: OIDC_ISSUER, subject: '248289761001' });
  });

  const entra = plan({
    key: { kind: 'claims', claims: ['tid', 'oid'], loc },
    claims: [claim('tid', scalar('uuid')), claim('oid', scalar('uuid')), claim('upn', scalar('string'))],
  });
  const TID = '72f988bf-86f1-41af-91ab-2d7cd011db47';
  const OID = '00000000-0000-0000-66f3-3332eca7ea81';
  it('claims: tid + oid joined with ":"', () => {
    expect(evaluate(entra, oidc({ sub: 's', tid: TID, oid: OID })).key).toEqual({
      issuer: OIDC_ISSUER,
      subject: `${TID}:${OID}`,
    });
  });
  it('claims: each value is URI-encoded so ":" inside a value cannot collide', () => {
    const p = plan({
      key: { kind: 'claims', claims: ['a', 'b'], loc },
      claims: [claim('a', scalar('string')), claim('b', scalar('string'))],
    });
    const k1 = evaluate(p, oidc({ sub: 's', a: 'x:y', b: 'z' })).key?.subject;
    const k2 = evaluate(p, oidc({ sub: 's', a: 'x', b: 'y:z' })).key?.subject;
    expect(k1).toBe('x%3Ay:z');
    expect(k2).toBe('x:y%3Az');
  });
  const keyClaimCases: [string, Record<string, JsonValue>, { code: RefusalCode; claim: string }[]][] = [
    ['tid absent', { oid: OID }, [{ code: 'key-absent', claim: 'tid' }]],
    ['oid malformed', { tid: TID, oid: 'not-a-uuid' }, [{ code: 'key-malformed', claim: 'oid' }]],
    [
      'both bad',
      { tid: 7 },
      [
        { code: 'key-malformed', claim: 'tid' },
        { code: 'key-absent', claim: 'oid' },
      ],
    ],
  ];
  it.each(keyClaimCases)('claims: %s', (_name, claims, want) => {
    const d = evaluate(entra, oidc({ sub: 's', ...claims }));
    expect(d.refusals.map(({ code, claim }) => ({ code, claim }))).toEqual(want);
    expect(d.key).toBeNull();
  });
});

describe('profile', () => {
  const p = plan({
    claims: [
      claim('given', scalar('string')),
      claim('family', scalar('string')),
      claim('email', scalar('email')),
      claim('alt', scalar('email')),
      claim('groups', setOf(scalar('string'))),
      claim('tags', listOf(scalar('string'))),
      claim('age', scalar('int')),
    ],
    profile: [
      profileField('name', e.concat(e.claim('given'), e.lit(' '), e.claim('family')), 'always', true),
      profileField('mail', e.coalesce(e.claim('email'), e.claim('alt')), 'create'),
      profileField('org', e.call('domain', e.claim('email')), 'fill'),
      profileField('lowerName', e.call('lower', e.call('trim', e.claim('given')))),
      profileField('groupList', e.call('join', e.claim('groups'), e.lit(','))),
      profileField('tagList', e.call('join', e.claim('tags'), e.lit('|'))),
      profileField('label', e.concat(e.lit('age '), e.claim('age'))),
      profileField('raw', e.claim('groups')),
    ],
  });
  const val = (claims: Record<string, JsonValue>) => evaluate(p, oidc({ sub: 's', ...claims })).profile;

  it('computes present values and keeps sync/clear', () => {
    const prof = val({
      given: ' Ｊane',
      family: 'Doe',
      email: 'jane@corp.example.com',
      groups: ['b', 'a'],
      tags: ['y', 'x'],
      age: 30,
    });
    expect(prof.name).toEqual({ sync: 'always', clear: true, state: 'present', value: ' Ｊane Doe' });
    expect(prof.mail).toEqual({ sync: 'create', clear: false, state: 'present', value: 'jane@corp.example.com' });
    expect(prof.org).toMatchObject({ sync: 'fill', state: 'present', value: 'corp.example.com' });
    expect(prof.lowerName).toMatchObject({ state: 'present', value: 'jane' });
    expect(prof.groupList).toMatchObject({ state: 'present', value: 'a,b' });
    expect(prof.tagList).toMatchObject({ state: 'present', value: 'y|x' });
    expect(prof.label).toMatchObject({ state: 'present', value: 'age 30' });
    expect(prof.raw).toMatchObject({ state: 'present', value: ['a', 'b'] });
  });

  const cases: [string, string, Record<string, JsonValue>, string][] = [
    ['concat with an absent operand is absent', 'name', { given: 'J' }, 'absent'],
    ['concat with a malformed operand is malformed', 'name', { given: 'J', family: 3 }, 'malformed'],
    ['malformed wins over absent in concat', 'name', { family: 3 }, 'malformed'],
    ['coalesce takes the first present operand', 'mail', { email: 'bad', alt: 'b@x.io' }, 'present'],
    ['coalesce of nothing present with a malformed is malformed', 'mail', { email: 'bad' }, 'malformed'],
    ['coalesce of nothing is absent', 'mail', {}, 'absent'],
    ['domain of absent is absent', 'org', {}, 'absent'],
    ['lower of malformed is malformed', 'lowerName', { given: ['x'] }, 'malformed'],
    ['join of absent is absent', 'groupList', {}, 'absent'],
    ['join of malformed is malformed', 'groupList', { groups: 'x' }, 'malformed'],
  ];
  it.each(cases)('%s', (_name, field, claims, state) => {
    expect(val(claims)[field]?.state).toBe(state);
  });
});

describe('decision metadata', () => {
  it('repeats unsafe overrides, reports the mapping, and lists absent and malformed claims', () => {
    const p = plan({
      unsafe: [{ code: 'key/mutable-claim', reason: 'legacy accounts keyed by upn', loc }],
      claims: [claim('a', scalar('string')), claim('b', scalar('int')), claim('c', scalar('string'))],
    });
    const d = evaluate(p, oidc({ sub: 's', b: 'x', c: 'ok' }));
    expect(d.warnings).toEqual(['unsafe key/mutable-claim: legacy accounts keyed by upn']);
    expect(d.mapping).toEqual({ name: 'test-mapping', version: '2026-11', digest: 'ab'.repeat(32) });
    expect(d.absent).toEqual(['a']);
    expect(d.malformed).toEqual([{ claim: 'b', reason: 'wrong-type', detail: expect.any(String) }]);
    expect(d.trace).toBeUndefined();
  });

  it('the decision is JSON-serialisable and round-trips', () => {
    const p = plan({
      claims: [claim('groups', setOf(scalar('string')))],
      roles: [grant('admin', c.contains('groups', 'admins'))],
      profile: [profileField('g', e.claim('groups'))],
    });
    const d = evaluate(p, oidc({ sub: 's', groups: ['admins'] }), { trace: true });
    expect(JSON.parse(JSON.stringify(d))).toEqual(JSON.parse(JSON.stringify({ ...d })));
    expect(JSON.parse(JSON.stringify(d)).roles).toEqual(['admin']);
  });

  it('claims that are not a JSON object count as no claims', () => {
    const p = plan({ claims: [claim('length', scalar('int'))] });
    for (const claims of [null, [1, 2, 3], 'str', 5] as unknown as Record<string, JsonValue>[]) {
      const d = evaluate(p, { ...oidc({}), claims });
      expect(d.absent).toEqual(['length']);
    }
  });

  it('caller mistakes throw TypeError', () => {
    expect(() => evaluate(plan(), null as unknown as ClaimSet)).toThrow(TypeError);
    expect(() => evaluate(null as never, oidc({}))).toThrow(TypeError);
  });
});

describe('trace', () => {
  const team = regex('^gh-(?<team>[a-z]+)$');
  const p = plan({
    claims: [claim('groups', setOf(scalar('string'))), claim('contractor', scalar('bool'))],
    roles: [
      grant('admin', c.and(c.contains('groups', 'admins'), c.not(c.truthy('contractor'))), 'roles[0]'),
      grant('user', undefined, 'roles[1]'),
    ],
    entitlements: [forEach('grant', ['repo:', { group: 'team' }], 'groups', team, undefined, 'ents[0]')],
  });

  it('one entry per rule with truth, fired, inputs and produced', () => {
    const d = evaluate(p, oidc({ sub: 's', groups: ['admins', 'gh-web'] }), { trace: true });
    expect(d.trace).toHaveLength(3);
    const [admin, user, ent] = d.trace!;
    expect(admin).toMatchObject({
      rule: 'roles[0]',
      section: 'roles',
      effect: 'grant',
      result: 'unknown',
      fired: false,
    });
    expect({ ...admin!.inputs }).toEqual({
      groups: { state: 'present', value: ['admins', 'gh-web'] },
      contractor: { state: 'absent' },
    });
    expect(user).toMatchObject({ rule: 'roles[1]', result: 'true', fired: true });
    expect({ ...user!.inputs }).toEqual({});
    expect(ent).toMatchObject({
      rule: 'ents[0]',
      section: 'entitlements',
      result: 'true',
      fired: true,
      produced: ['repo:web'],
    });
    expect(d.roles).toEqual(['user']);
  });

  it('is an empty list when refused', () => {
    const d = evaluate(p, { ...oidc({ sub: 's' }), issuer: 'x' }, { trace: true });
    expect(d.trace).toEqual([]);
  });
});
