import { describe, expect, it } from 'vitest';
import type { JsonValue } from '../../src/model/claim-set.js';
import type { RulePlan } from '../../src/model/plan.js';
import { evaluate } from '../../src/evaluate/index.js';
import { c, claim, deny, forEach, grant, listOf, oidc, plan, regex, saml, scalar, setOf } from './plan-builder.js';

const claims = [
  claim('groups', setOf(scalar('string')), { normalize: ['lower'] }),
  claim('contractor', scalar('bool')),
  claim('dept', scalar('string')),
];

function run(rules: RulePlan[], input: Record<string, JsonValue>, entitlements: RulePlan[] = []) {
  return evaluate(plan({ claims, roles: rules, entitlements }), oidc({ sub: 'u1', ...input }));
}

describe('roles: deny beats grant, and fires on unknown', () => {
  const rules = [
    grant('admin', c.contains('groups', 'admins'), 'roles[0]'),
    deny('admin', c.truthy('contractor'), 'roles[1]'),
    grant('viewer', undefined, 'roles[2]'),
  ];
  // [case, claims, roles granted, denied entries]
  const cases: [string, Record<string, JsonValue>, string[], { rule: string; result: string }[]][] = [
    ['grant true, deny false', { groups: ['Admins'], contractor: false }, ['admin', 'viewer'], []],
    [
      'grant true, deny true',
      { groups: ['admins'], contractor: true },
      ['viewer'],
      [{ rule: 'roles[1]', result: 'true' }],
    ],
    [
      'grant true, deny unknown (absent)',
      { groups: ['admins'] },
      ['viewer'],
      [{ rule: 'roles[1]', result: 'unknown' }],
    ],
    [
      'grant true, deny unknown (malformed)',
      { groups: ['admins'], contractor: 'no' },
      ['viewer'],
      [{ rule: 'roles[1]', result: 'unknown' }],
    ],
    ['grant false', { groups: ['eng'], contractor: false }, ['viewer'], []],
    ['grant unknown does not grant', { contractor: false }, ['viewer'], []],
  ];
  it.each(cases)('%s', (_name, input, roles, denied) => {
    const d = run(rules, input);
    expect(d.outcome).toBe('allow');
    expect(d.roles).toEqual(roles);
    expect(d.denied.map(({ rule, result }) => ({ rule, result }))).toEqual(denied);
  });

  it('records provenance of every granting rule, and roles sorted', () => {
    const d = run(
      [
        grant('zeta', undefined, 'roles[0]'),
        grant('alpha', c.contains('groups', 'eng'), 'roles[1]'),
        grant('alpha', c.eq('dept', 'R&D'), 'roles[2]'),
        grant('alpha', c.eq('dept', 'Sales'), 'roles[3]'),
      ],
      { groups: ['eng'], dept: 'R&D' },
    );
    expect(d.roles).toEqual(['alpha', 'zeta']);
    expect({ ...d.grantedBy.roles }).toEqual({ alpha: ['roles[1]', 'roles[2]'], zeta: ['roles[0]'] });
  });

  it('a deny that comes before the grant in the plan still wins', () => {
    const d = run([deny('admin', c.eq('dept', 'x'), 'r0'), grant('admin', undefined, 'r1')], {});
    expect(d.roles).toEqual([]);
    expect(d.denied).toEqual([{ kind: 'role', name: 'admin', rule: 'r0', result: 'unknown' }]);
  });

  it('a role named __proto__ is ordinary data', () => {
    const d = run([grant('__proto__', undefined, 'r0')], {});
    expect(d.roles).toEqual(['__proto__']);
    expect(Object.hasOwn(d.grantedBy.roles, '__proto__')).toBe(true);
    expect(Object.getOwnPropertyDescriptor(d.grantedBy.roles, '__proto__')?.value).toEqual(['r0']);
  });
});

describe('entitlements', () => {
  const team = regex('^gh-(?<team>[a-z]+)-(admin|write)$');

  it('static grants, with when', () => {
    const d = run([], { groups: ['eng'] }, [
      grant('wiki:read', undefined, 'e0'),
      grant('repo:eng', c.contains('groups', 'eng'), 'e1'),
      grant('repo:ops', c.contains('groups', 'ops'), 'e2'),
    ]);
    expect(d.entitlements).toEqual(['repo:eng', 'wiki:read']);
    expect({ ...d.grantedBy.entitlements }).toEqual({ 'repo:eng': ['e1'], 'wiki:read': ['e0'] });
  });

  it('for each: one entitlement per matching value, numbered and named captures', () => {
    const d = run([], { groups: ['gh-web-admin', 'gh-api-write', 'ops', 'GH-DB-WRITE'] }, [
      forEach('grant', ['github:', { group: 'team' }, ':', { group: 2 }], 'groups', team, undefined, 'e0'),
    ]);
    // groups are lowered by the claim's normaliser before matching
    expect(d.entitlements).toEqual(['github:api:write', 'github:db:write', 'github:web:admin']);
    expect(d.grantedBy.entitlements['github:web:admin']).toEqual(['e0']);
  });

  it('for each: a capture that did not participate skips the value', () => {
    const re = regex('^(?:team-(\\w+)|other-\\w+)$');
    const d = run([], { groups: ['team-a', 'other-b'] }, [forEach('grant', ['t:', { group: 1 }], 'groups', re)]);
    expect(d.entitlements).toEqual(['t:a']);
  });

  it('for each: a missing group number or name skips the value', () => {
    const d = run([], { groups: ['gh-web-admin'] }, [
      forEach('grant', ['x:', { group: 7 }], 'groups', team),
      forEach('grant', ['y:', { group: 'nope' }], 'groups', team),
    ]);
    expect(d.entitlements).toEqual([]);
  });

  it('for each: when must also be true', () => {
    const rules = [forEach('grant', ['t:', { group: 'team' }], 'groups', team, c.eq('dept', 'eng'))];
    expect(run([], { groups: ['gh-web-admin'], dept: 'eng' }, rules).entitlements).toEqual(['t:web']);
    expect(run([], { groups: ['gh-web-admin'], dept: 'ops' }, rules).entitlements).toEqual([]);
    expect(run([], { groups: ['gh-web-admin'] }, rules).entitlements).toEqual([]);
  });

  it('for each: an absent or malformed claim yields nothing, and the rule is unknown', () => {
    const rules = [forEach('grant', ['t:', { group: 'team' }], 'groups', team, undefined, 'e0')];
    for (const input of [{}, { groups: 'gh-web-admin' }, { groups: [1] }] as Record<string, JsonValue>[]) {
      const d = evaluate(plan({ claims, entitlements: rules }), oidc(input), { trace: true });
      expect(d.entitlements).toEqual([]);
      expect(d.trace?.[0]).toMatchObject({ rule: 'e0', result: 'unknown', fired: false, produced: [] });
    }
  });

  it('two rules producing the same entitlement record both ids', () => {
    const d = run([], { groups: ['gh-web-admin'] }, [
      forEach('grant', ['t:', { group: 'team' }], 'groups', team, undefined, 'e0'),
      grant('t:web', undefined, 'e1'),
    ]);
    expect(d.grantedBy.entitlements['t:web']).toEqual(['e0', 'e1']);
  });

  it('deny removes the exact entitlement, on true and on unknown', () => {
    const grants = [grant('db:write', undefined, 'e0'), grant('db:read', undefined, 'e1')];
    const onTrue = run([], { contractor: true }, [...grants, deny('db:write', c.truthy('contractor'), 'e2')]);
    expect(onTrue.entitlements).toEqual(['db:read']);
    expect(onTrue.denied).toEqual([{ kind: 'entitlement', name: 'db:write', rule: 'e2', result: 'true' }]);
    const onUnknown = run([], {}, [...grants, deny('db:write', c.truthy('contractor'), 'e2')]);
    expect(onUnknown.entitlements).toEqual(['db:read']);
    expect(onUnknown.denied[0]?.result).toBe('unknown');
    const onFalse = run([], { contractor: false }, [...grants, deny('db:write', c.truthy('contractor'), 'e2')]);
    expect(onFalse.entitlements).toEqual(['db:read', 'db:write']);
    expect(onFalse.denied).toEqual([]);
  });

  it('templated deny removes the entitlements it names', () => {
    const d = run([], { groups: ['gh-web-admin', 'gh-api-admin', 'frozen-web'] }, [
      forEach('grant', ['repo:', { group: 'team' }], 'groups', team, undefined, 'e0'),
      forEach('deny', ['repo:', { group: 1 }], 'groups', regex('^frozen-([a-z]+)$'), undefined, 'e1'),
    ]);
    expect(d.entitlements).toEqual(['repo:api']);
    expect(d.denied).toEqual([{ kind: 'entitlement', name: 'repo:web', rule: 'e1', result: 'true' }]);
  });

  it('templated deny over an unknown claim removes every entitlement of its shape (fail closed)', () => {
    const p = plan({
      claims: [...claims, claim('frozen', setOf(scalar('string')))],
      entitlements: [
        forEach('grant', ['repo:', { group: 'team' }, ':rw'], 'groups', team, undefined, 'e0'),
        grant('wiki:read', undefined, 'e1'),
        forEach('deny', ['repo:', { group: 1 }, ':rw'], 'frozen', regex('^(.+)$'), undefined, 'e2'),
      ],
    });
    const d = evaluate(p, oidc({ sub: 'u', groups: ['gh-web-admin', 'gh-api-write'] }));
    expect(d.entitlements).toEqual(['wiki:read']);
    expect(d.denied.map((x) => [x.name, x.result])).toEqual([
      ['repo:api:rw', 'unknown'],
      ['repo:web:rw', 'unknown'],
    ]);
    const known = evaluate(p, oidc({ sub: 'u', groups: ['gh-web-admin', 'gh-api-write'], frozen: ['web'] }));
    expect(known.entitlements).toEqual(['repo:api:rw', 'wiki:read']);
  });

  it('templated deny whose when is false does nothing even if its claim is absent', () => {
    const d = run([], { groups: ['gh-web-admin'], contractor: false }, [
      forEach('grant', ['repo:', { group: 'team' }], 'groups', team),
      forEach('deny', ['repo:', { group: 1 }], 'dept', regex('^(.+)$'), c.truthy('contractor')),
    ]);
    expect(d.entitlements).toEqual(['repo:web']);
  });

  it('an entitlement from a hostile group name "__proto__" is ordinary data', () => {
    const d = run([], { groups: ['__proto__', 'constructor'] }, [
      forEach('grant', [{ group: 1 }], 'groups', regex('^(.+)$'), undefined, 'e0'),
    ]);
    expect(d.entitlements).toEqual(['__proto__', 'constructor']);
    expect(Object.hasOwn(d.grantedBy.entitlements, '__proto__')).toBe(true);
    expect(d.grantedBy.entitlements.constructor).toEqual(['e0']);
  });

  it('for each over many values produces each entitlement once (list with duplicates past the Set threshold)', () => {
    const p = plan({
      claims: [claim('tags', listOf(scalar('string')))],
      entitlements: [forEach('grant', ['t:', { group: 1 }], 'tags', regex('^x-(\\d)'), undefined, 'e0')],
    });
    const tags = Array.from({ length: 200 }, (_, i) => `x-${i % 10}-${i}`);
    const d = evaluate(p, oidc({ sub: 's', tags }), { trace: true });
    expect(d.entitlements).toEqual(Array.from({ length: 10 }, (_, i) => `t:${i}`));
    expect(d.trace?.[0]?.produced).toEqual(Array.from({ length: 10 }, (_, i) => `t:${i}`));
  });
});

describe('SAML end to end', () => {
  it('nameid key, groups by alias, roles and templated entitlements', () => {
    const uri = 'http://schemas.microsoft.com/ws/2008/06/identity/claims/groups';
    const p = plan({
      protocol: 'saml',
      claims: [
        claim('groups', setOf(scalar('string')), { source: ['groups'], normalize: ['trim', 'lower'] }),
        claim('mail', scalar('email'), { source: ['mail'], required: true }),
      ],
      roles: [
        grant('admin', c.contains('groups', 'admins'), 'roles[0]'),
        deny('admin', c.endsWith('one', 'mail', '@contractor.example'), 'roles[1]'),
      ],
      entitlements: [
        forEach('grant', ['team:', { group: 1 }], 'groups', regex('^team-([a-z]+)$'), undefined, 'ents[0]'),
      ],
    });
    const cs = saml(
      { [uri]: [' Admins', 'TEAM-Web', 'team-api '], mail: ['jane@example.com'] },
      { aliases: { groups: uri } },
    );
    const d = evaluate(p, cs);
    expect(d.outcome).toBe('allow');
    expect(d.key).toEqual({ issuer: 'https://idp.example.com/saml', subject: 'nameid-1' });
    expect(d.roles).toEqual(['admin']);
    expect(d.entitlements).toEqual(['team:api', 'team:web']);
    const contractor = evaluate(p, { ...cs, claims: { ...cs.claims, mail: ['bob@contractor.example'] } });
    expect(contractor.roles).toEqual([]);
    const twoMails = evaluate(p, { ...cs, claims: { ...cs.claims, mail: ['a@example.com', 'b@example.com'] } });
    expect(twoMails.refusals.map((r) => r.code)).toEqual(['required-claim-malformed']);
    expect(twoMails.malformed).toEqual([{ claim: 'mail', reason: 'multiple-values', detail: expect.any(String) }]);
  });
});

describe('decisions are independent', () => {
  it('a later evaluation does not change an earlier decision', () => {
    const p = plan({
      claims: [claim('groups', setOf(scalar('string')))],
      roles: [grant('a', c.contains('groups', 'a'), 'r0'), grant('b', c.contains('groups', 'b'), 'r1')],
      entitlements: [forEach('grant', ['e:', { group: 0 }], 'groups', regex('^.+$'), undefined, 'e0')],
    });
    const first = evaluate(p, oidc({ sub: 's', groups: ['a'] }));
    const snapshot = JSON.stringify(first);
    evaluate(p, oidc({ sub: 's', groups: ['b'] }));
    evaluate(p, oidc({ sub: 's', groups: [] }));
    expect(JSON.stringify(first)).toBe(snapshot);
  });
});
