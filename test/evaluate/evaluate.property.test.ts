import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ClaimSet, JsonValue } from '../../src/model/claim-set.js';
import { evaluate } from '../../src/evaluate/index.js';
import {
  c,
  claim,
  deny,
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

const groupsPlan = plan({
  claims: [
    claim('groups', setOf(scalar('string')), { normalize: ['trim', 'lower'] }),
    claim('levels', setOf(scalar('int'))),
  ],
  roles: [
    grant('admin', c.contains('groups', 'admins')),
    grant('dev', c.matches('any', 'groups', regex('^eng-'))),
    grant('staff', c.startsWith('all', 'groups', 'eng-')),
    deny('admin', c.contains('groups', 'frozen')),
    grant('senior', c.contains('levels', 3)),
  ],
  entitlements: [
    forEach('grant', ['team:', { group: 1 }], 'groups', regex('^eng-([a-z]+)$')),
    forEach('deny', ['team:', { group: 1 }], 'groups', regex('^frozen-([a-z]+)$')),
  ],
  profile: [
    profileField('groups', e.call('join', e.claim('groups'), e.lit(','))),
    profileField('raw', e.claim('groups')),
  ],
});

const groupName = fc.oneof(
  fc.constantFrom('admins', 'frozen', 'eng-web', 'eng-api', 'frozen-web', ' Eng-Web ', 'ENG-OPS', 'ops'),
  fc.string({ maxLength: 8 }),
);

/** A permutation of `xs` driven by fast-check (so failures shrink). */
const withPermutation = <X>(xs: fc.Arbitrary<X[]>) =>
  xs.chain((arr) =>
    fc.array(fc.nat(), { minLength: arr.length, maxLength: arr.length }).map(
      (keys) =>
        [
          arr,
          arr
            .map((x, i) => [keys[i]!, x] as const)
            .sort((a, b) => a[0] - b[0])
            .map(([, x]) => x),
        ] as const,
    ),
  );

describe('properties', () => {
  it('evaluation ignores the order (and repetition) of set claim values', () => {
    fc.assert(
      fc.property(
        withPermutation(fc.array(groupName, { maxLength: 12 })),
        withPermutation(fc.array(fc.integer({ min: 0, max: 5 }), { maxLength: 6 })),
        fc.boolean(),
        ([groups, shuffled], [levels, levelsShuffled], dup) => {
          const a = evaluate(groupsPlan, oidc({ sub: 's', groups, levels }), { trace: true });
          const b = evaluate(
            groupsPlan,
            oidc({ sub: 's', groups: dup ? [...shuffled, ...shuffled] : shuffled, levels: levelsShuffled }),
            { trace: true },
          );
          expect(JSON.stringify(b)).toBe(JSON.stringify(a));
        },
      ),
      { numRuns: 500 },
    );
  });

  const richOidc = plan({
    key: { kind: 'claims', claims: ['tid', 'oid'], loc },
    require: [requirement('require[0]', c.or(c.ne('kind', 'Intern'), c.truthy('verified')))],
    claims: [
      claim('tid', scalar('uuid'), { required: true }),
      claim('oid', scalar('string')),
      claim('email', scalar('email'), { normalize: ['lower'] }),
      claim('verified', scalar('bool')),
      claim('age', scalar('int')),
      claim('site', scalar('url')),
      claim('at', scalar('datetime')),
      claim('kind', scalar('enum', ['FTE', 'Intern'])),
      claim('groups', setOf(scalar('string')), { normalize: ['nfkc', 'trim'] }),
      claim('tags', listOf(scalar('email'))),
      claim('roles', setOf(scalar('string')), { source: ['realm_access', 'roles'] }),
      claim('proto', scalar('string'), { source: ['__proto__'] }),
      claim('ctor', setOf(scalar('int')), { source: ['a', 'constructor'] }),
    ],
    roles: [
      grant('admin', c.or(c.contains('groups', 'admins'), c.contains('roles', 'admin'))),
      deny('admin', c.not(c.truthy('verified'))),
      grant('intern', c.and(c.oneOf('kind', ['Intern']), c.ne('age', 18))),
      grant('web', c.matches('one', 'site', regex('^https://', { engine: 're2' }))),
      grant('corp', c.endsWith('one', 'email', '@example.com')),
      grant('tagged', c.matches('all', 'tags', regex('@'))),
    ],
    entitlements: [
      forEach('grant', ['g:', { group: 'x' }], 'groups', regex('^(?<x>.+)$')),
      forEach('deny', ['g:', { group: 1 }], 'ctor', regex('^(\\d+)$')),
      grant('always'),
    ],
    profile: [
      profileField('name', e.concat(e.claim('oid'), e.lit('/'), e.claim('age'))),
      profileField('mail', e.coalesce(e.claim('email'), e.claim('proto'))),
      profileField('org', e.call('domain', e.claim('email'))),
      profileField('g', e.call('join', e.claim('groups'), e.lit(';'))),
      profileField('t', e.call('lower', e.call('trim', e.claim('oid')))),
    ],
  });

  const hostileKey = fc.oneof(
    fc.string(),
    fc.constantFrom(
      '__proto__',
      'constructor',
      'toString',
      'tid',
      'oid',
      'email',
      'groups',
      'realm_access',
      'a',
      'roles',
    ),
  );
  const json: fc.Arbitrary<JsonValue> = fc.jsonValue() as fc.Arbitrary<JsonValue>;
  const claimsObj = fc.dictionary(hostileKey, fc.oneof(json, fc.dictionary(hostileKey, json)));

  it('evaluate never throws for any JSON claims (OIDC)', () => {
    fc.assert(
      fc.property(fc.oneof(claimsObj, json, fc.object() as fc.Arbitrary<JsonValue>), fc.boolean(), (claims, trace) => {
        const d = evaluate(richOidc, { ...oidc({}), claims: claims as Record<string, JsonValue> }, { trace });
        expect(['allow', 'refuse']).toContain(d.outcome);
        JSON.stringify(d);
      }),
      { numRuns: 1000 },
    );
  });

  const samlPlan = plan({
    protocol: 'saml',
    claims: [
      claim('mail', scalar('email'), { source: ['mail'], required: true }),
      claim('groups', setOf(scalar('string')), { source: ['groups'] }),
      claim('n', scalar('int'), { source: ['n'] }),
      claim('flag', scalar('bool'), { source: ['constructor'] }),
    ],
    roles: [grant('a', c.and(c.contains('groups', 'x'), c.truthy('flag'))), deny('a', c.eq('n', 1))],
    profile: [profileField('d', e.call('domain', e.claim('mail')))],
  });

  it('evaluate never throws for any JSON claims, aliases and subject (SAML)', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.dictionary(hostileKey, fc.array(fc.string())), claimsObj),
        fc.oneof(fc.constant(undefined), fc.dictionary(hostileKey, fc.oneof(hostileKey, json))),
        fc.oneof(fc.constant(undefined), fc.array(hostileKey)),
        fc.anything(),
        (claims, aliases, indeterminate, subject) => {
          const cs = { ...saml({}), claims, aliases, indeterminate, subject } as unknown as ClaimSet;
          const d = evaluate(samlPlan, cs, { trace: true });
          expect(['allow', 'refuse']).toContain(d.outcome);
        },
      ),
      { numRuns: 1000 },
    );
  });
});
