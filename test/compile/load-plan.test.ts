import { describe, expect, it } from 'vitest';
import { ClaimmapError } from '../../src/errors.js';
import { planDigest } from '../../src/compile/digest.js';
import { LOAD_PLAN_LIMITS, loadPlan } from '../../src/compile/load-plan.js';
import type { PlanErrorCode } from '../../src/compile/plan-errors.js';
import { PLAN_FORMAT, type Plan } from '../../src/model/plan.js';

const LOC = { line: 1, column: 1 };

/** A plan using every construct of the format. */
function body(): Omit<Plan, 'digest'> {
  return {
    format: PLAN_FORMAT,
    name: 'okta',
    version: '2026-11',
    idp: { protocol: 'saml', issuer: 'http://www.okta.com/exk1', aliases: [] },
    key: {
      kind: 'nameid',
      format: 'persistent',
      formatUri: 'urn:oasis:names:tc:SAML:2.0:nameid-format:persistent',
      loc: { ...LOC },
    },
    require: [],
    claims: [
      {
        name: 'email',
        type: { kind: 'email' },
        source: ['email'],
        required: true,
        normalize: ['trim', 'lower'],
        loc: { ...LOC },
      },
      {
        name: 'groups',
        type: { kind: 'set', element: { kind: 'string' } },
        source: ['groups'],
        required: false,
        normalize: [],
        loc: { ...LOC },
      },
      {
        name: 'kind',
        type: { kind: 'enum', values: ['FTE', 'Intern'] },
        source: ['kind'],
        required: false,
        normalize: [],
        loc: { ...LOC },
      },
      { name: 'active', type: { kind: 'bool' }, source: ['active'], required: false, normalize: [], loc: { ...LOC } },
    ],
    profile: [
      {
        name: 'email',
        expr: { op: 'call', fn: 'lower', args: [{ op: 'claim', claim: 'email' }] },
        sync: 'always',
        clear: false,
        loc: { ...LOC },
      },
      {
        name: 'display',
        expr: {
          op: 'coalesce',
          args: [
            {
              op: 'concat',
              args: [
                { op: 'claim', claim: 'kind' },
                { op: 'literal', value: '-' },
              ],
            },
            { op: 'literal', value: 'x' },
          ],
        },
        sync: 'create',
        clear: true,
        loc: { ...LOC },
      },
    ],
    roles: {
      mode: 'replace',
      declared: ['admin', 'viewer'],
      privileged: ['admin'],
      rules: [
        {
          id: 'roles[0]',
          effect: 'grant',
          target: 'viewer',
          when: {
            op: 'and',
            args: [
              { op: 'contains', claim: 'groups', value: 'okta-admins' },
              {
                op: 'not',
                arg: {
                  op: 'matches',
                  quantifier: 'any',
                  claim: 'groups',
                  regex: { source: '^eng(-leads)?$', flags: '', engine: 'native', groups: 1, names: [] },
                },
              },
              { op: 'one_of', claim: 'kind', values: ['FTE', 'Intern'] },
              {
                op: 'or',
                args: [
                  { op: 'truthy', claim: 'active' },
                  { op: 'eq', claim: 'kind', value: 'FTE' },
                  { op: 'ends_with', quantifier: 'one', claim: 'email', value: '@example.com' },
                ],
              },
            ],
          },
          text: 'grant admin when ...',
          loc: { ...LOC },
        },
        {
          id: 'roles[1]',
          effect: 'deny',
          target: 'admin',
          when: { op: 'ne', claim: 'kind', value: 'FTE' },
          text: 'deny admin ...',
          loc: { ...LOC },
        },
        {
          id: 'roles[2]',
          effect: 'grant',
          target: 'admin',
          when: { op: 'contains', claim: 'groups', value: 'okta-admins' },
          text: 'grant admin ...',
          loc: { ...LOC },
        },
      ],
    },
    entitlements: {
      mode: 'add',
      rules: [
        {
          id: 'entitlements[0]',
          effect: 'grant',
          target: 'team:{team}',
          template: ['team:', { group: 'team' }, '/', { group: 1 }],
          forEach: {
            claim: 'groups',
            regex: { source: '^(?<team>[a-z]+)-(\\s*)$', flags: 'i', engine: 're2', groups: 2, names: ['team'] },
          },
          text: 'grant "team:{team}" for each groups matching ...',
          loc: { ...LOC },
        },
      ],
    },
    accounts: { emailConflict: 'reject', unique: ['email'] },
    lifecycle: {
      offboarding: { kind: 'scim', runbook: 'https://wiki/runbook' },
      dormantAfterDays: 90,
      reactivate: false,
    },
    unsafe: [{ code: 'key/mutable-claim', reason: 'legacy', loc: { ...LOC } }],
  };
}

/** A digest-correct plan after `edit` (the edit happens before the digest is computed). */
function validPlan(edit: (p: any) => void = () => {}): Plan {
  const b = body();
  edit(b);
  return { ...b, digest: planDigest(b) };
}

function codeOf(f: () => unknown): { code: PlanErrorCode; path: string | undefined; message: string } {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(ClaimmapError);
    const err = e as ClaimmapError<PlanErrorCode>;
    return { code: err.code, path: err.position?.path, message: err.message };
  }
  throw new Error('expected loadPlan to throw');
}

describe('loadPlan: valid plans', () => {
  it('loads a hand-written plan from text and from a value, deep-frozen', () => {
    const plan = validPlan();
    for (const input of [JSON.stringify(plan, null, 2), plan]) {
      const loaded = loadPlan(input);
      expect(loaded).toEqual(plan);
      expect(Object.isFrozen(loaded)).toBe(true);
      expect(Object.isFrozen(loaded.roles.rules[0]!.when)).toBe(true);
      expect(Object.isFrozen(loaded.entitlements.rules[0]!.template![1])).toBe(true);
    }
    expect(Object.isFrozen(plan)).toBe(false); // the caller's value is copied, never frozen in place
  });

  it('accepts a leading byte-order mark', () => {
    expect(loadPlan(`\ufeff${JSON.stringify(validPlan())}`).name).toBe('okta');
  });

  it.each([
    [
      'version null, OIDC, sub key',
      (p: any) => {
        p.version = null;
        p.idp.protocol = 'oidc';
        p.key = { kind: 'sub', loc: { ...LOC } };
      },
    ],
    [
      'claims key with unsafe',
      (p: any) => (p.key = { kind: 'claims', claims: ['email'], unsafe: 'legacy', loc: { ...LOC } }),
    ],
    [
      'dormantAfterDays null, no runbook',
      (p: any) => (p.lifecycle = { offboarding: { kind: 'none' }, dormantAfterDays: null, reactivate: true }),
    ],
    ['list of enum', (p: any) => (p.claims[0].type = { kind: 'list', element: { kind: 'enum', values: ['a'] } })],
  ])('%s', (_name, edit) => {
    expect(() => loadPlan(validPlan(edit))).not.toThrow();
  });
});

describe('loadPlan: corrupted plans', () => {
  const text = (p: unknown) => JSON.stringify(p);
  const cases: [string, () => unknown, PlanErrorCode, string | undefined][] = [
    ['not JSON', () => '{"format": ', 'plan/invalid-json', '/format'],
    ['trailing garbage', () => `${text(validPlan())}x`, 'plan/invalid-json', ''],
    [
      'duplicate key',
      () => text(validPlan()).replace('"name":"okta"', '"name":"okta","name":"evil"'),
      'plan/invalid-json',
      '/name',
    ],
    [
      '__proto__ key (prototype pollution)',
      () => text(validPlan()).replace('{"format"', '{"__proto__":{"admin":true},"format"'),
      'plan/invalid-json',
      '/__proto__',
    ],
    ['__proto__ key in a value', () => JSON.parse('{"__proto__": 1}'), 'plan/invalid-json', '/__proto__'],
    [
      'cyclic value',
      () => {
        const p: any = validPlan();
        p.self = p;
        return p;
      },
      'plan/invalid-json',
      '/self',
    ],
    ['NaN in a value', () => ({ ...validPlan(), x: NaN }), 'plan/invalid-json', '/x'],
    [
      'deeply nested JSON (stack exhaustion)',
      () => '['.repeat(100_000) + ']'.repeat(100_000),
      'plan/limit-exceeded',
      undefined,
    ],
    ['oversized text', () => ' '.repeat(LOAD_PLAN_LIMITS.maxLength + 1), 'plan/limit-exceeded', undefined],
    ['wrong format', () => text({ ...validPlan(), format: 'claimmap/plan@2' }), 'plan/unsupported-format', '/format'],
    ['not an object', () => '[]', 'plan/schema', ''],
    [
      'missing field',
      () => {
        const { unsafe: _u, ...p } = validPlan();
        return p;
      },
      'plan/schema',
      '',
    ],
    ['extra field', () => ({ ...validPlan(), extra: 1 }), 'plan/schema', '/extra'],
    [
      'bad enum deep in a cond',
      () => validPlan((p) => (p.roles.rules[0].when.args[3].args[0].op = 'truthyish')),
      'plan/schema',
      '/roles/rules/0/when/args/3/args/0/op',
    ],
    [
      'bad regex engine',
      () => validPlan((p) => (p.entitlements.rules[0].forEach.regex.engine = 'pcre')),
      'plan/schema',
      '/entitlements/rules/0/forEach/regex/engine',
    ],
    ['bad loc', () => validPlan((p) => (p.claims[1].loc.line = 0)), 'plan/schema', '/claims/1/loc/line'],
    ['digest not hex', () => ({ ...validPlan(), digest: 'abc' }), 'plan/schema', '/digest'],
    ['digest mismatch (edited by hand)', () => ({ ...validPlan(), name: 'edited' }), 'plan/digest-mismatch', '/digest'],
    [
      'privilege escalation by editing a rule',
      () => {
        const p: any = validPlan();
        p.roles.rules[1].effect = 'grant';
        return p;
      },
      'plan/digest-mismatch',
      '/digest',
    ],
    [
      'regex refused by the analyser',
      () => validPlan((p) => (p.roles.rules[0].when.args[1].arg.regex.source = '(a)\\1')),
      'plan/invalid-regex',
      '/roles/rules/0/when/args/1/arg/regex/source',
    ],
    [
      'regex groups recorded wrong',
      () => validPlan((p) => (p.entitlements.rules[0].forEach.regex.groups = 1)),
      'plan/invalid-regex',
      '/entitlements/rules/0/forEach/regex',
    ],
    [
      'regex names recorded wrong',
      () => validPlan((p) => (p.entitlements.rules[0].forEach.regex.names = ['x'])),
      'plan/invalid-regex',
      '/entitlements/rules/0/forEach/regex',
    ],
    [
      'ReDoS regex marked native',
      () =>
        validPlan((p) =>
          Object.assign(p.roles.rules[0].when.args[1].arg.regex, { source: '^(a+)+$', engine: 'native' }),
        ),
      'plan/unsafe-regex',
      '/roles/rules/0/when/args/1/arg/regex/engine',
    ],
    [
      '\\s regex marked native',
      () => validPlan((p) => Object.assign(p.entitlements.rules[0].forEach.regex, { engine: 'native' })),
      'plan/unsafe-regex',
      '/entitlements/rules/0/forEach/regex/engine',
    ],
    [
      'ReDoS regex marked native in a require gate',
      () =>
        validPlan(
          (p) =>
            (p.require = [
              {
                id: 'require[0]',
                when: {
                  op: 'matches',
                  quantifier: 'one',
                  claim: 'email',
                  regex: { source: '^(a+)+$', flags: '', engine: 'native', groups: 1, names: [] },
                },
                text: 'require email matches /^(a+)+$/',
                loc: { ...LOC },
              },
            ]),
        ),
      'plan/unsafe-regex',
      '/require/0/when/regex/engine',
    ],
  ];
  it.each(cases)('%s → %s', (_name, make, code, path) => {
    const input = make();
    const err = codeOf(() => loadPlan(input));
    expect(err.code).toBe(code);
    if (path !== undefined) expect(err.path).toBe(path);
  });

  it('lists every schema error in the message, capped', () => {
    const broken = validPlan((p) => {
      for (const c of p.claims) c.required = 'yes';
      p.roles.mode = 'sometimes';
    });
    const err = codeOf(() => loadPlan(broken, { maxReportedErrors: 3 }));
    expect(err.code).toBe('plan/schema');
    expect(err.path).toBe('/claims/0/required');
    expect(err.message).toContain('/claims/2/required');
    expect(err.message).toContain('and 2 more');
    expect(err.message).not.toContain('/roles/mode');
  });

  it('gives line and column for invalid JSON text', () => {
    try {
      loadPlan('{\n  "a": tru\n}');
      expect.unreachable();
    } catch (e) {
      expect((e as ClaimmapError).position).toMatchObject({ offset: 9, line: 2, column: 8 });
    }
  });

  it('honours maxDepth and maxLength options', () => {
    expect(codeOf(() => loadPlan(JSON.stringify(validPlan()), { maxDepth: 3 })).code).toBe('plan/limit-exceeded');
    expect(codeOf(() => loadPlan(JSON.stringify(validPlan()), { maxLength: 100 })).code).toBe('plan/limit-exceeded');
  });

  it('applies the regex limits option', () => {
    expect(codeOf(() => loadPlan(validPlan(), { regex: { maxLength: 5 } })).code).toBe('plan/invalid-regex');
  });
});

describe('loadPlan: references are checked, so a loaded plan never makes evaluate() throw', () => {
  const withDigest = (p: Omit<Plan, 'digest'>): string => JSON.stringify({ ...p, digest: planDigest(p) });
  it.each([
    [
      'an undeclared claim in a condition',
      (p: any) => {
        p.roles.rules = [
          {
            id: 'roles[0]',
            effect: 'grant',
            target: 'a',
            when: { op: 'truthy', claim: 'nope' },
            text: '',
            loc: p.key.loc,
          },
        ];
        p.roles.declared = ['a'];
      },
      '/roles/rules/0/when/claim',
    ],
    [
      'an undeclared key claim',
      (p: any) => {
        p.key = { kind: 'claims', claims: ['ghost'], loc: p.key.loc };
      },
      '/key/claims/0',
    ],
    [
      'a unique field that is not in the profile',
      (p: any) => {
        p.accounts.unique = ['email2'];
      },
      '/accounts/unique/0',
    ],
    [
      'a template capture the regex lacks',
      (p: any) => {
        p.claims.push({
          name: 'g',
          type: { kind: 'set', element: { kind: 'string' } },
          source: ['g'],
          required: false,
          normalize: [],
          loc: p.key.loc,
        });
        p.entitlements.rules = [
          {
            id: 'entitlements[0]',
            effect: 'grant',
            target: 't:{2}',
            template: ['t:', { group: 2 }],
            forEach: { claim: 'g', regex: { source: '^t-(.+)$', flags: '', engine: 're2', groups: 1, names: [] } },
            text: '',
            loc: p.key.loc,
          },
        ];
      },
      '/entitlements/rules/0/template',
    ],
    [
      'a SCIM groups claim that is not declared',
      (p: any) => (p.scim = { key: 'externalId', groups: 'teams', deactivate: 'suspend', loc: p.key.loc }),
      '/scim/groups',
    ],
    [
      'a SCIM groups claim that is not a set or list',
      (p: any) => (p.scim = { key: 'externalId', groups: 'kind', deactivate: 'suspend', loc: p.key.loc }),
      '/scim/groups',
    ],
    [
      'a SCIM section over a key joined from two claims',
      (p: any) => {
        p.key = { kind: 'claims', claims: ['kind', 'email'], loc: p.key.loc };
        p.scim = { key: 'externalId', groups: null, deactivate: 'suspend', loc: p.key.loc };
      },
      '/scim/key',
    ],
  ])('%s → plan/inconsistent', (_name, mutate, path) => {
    const p = JSON.parse(JSON.stringify(validPlan()));
    delete p.digest;
    mutate(p);
    try {
      loadPlan(withDigest(p));
      expect.unreachable('loadPlan accepted an inconsistent plan');
    } catch (e) {
      expect(e).toBeInstanceOf(ClaimmapError);
      expect((e as ClaimmapError).code).toBe('plan/inconsistent');
      expect((e as ClaimmapError).position?.path).toBe(path);
    }
  });
});

describe('loadPlan is as strict as evaluate and provision assume (issue #10, item 6)', () => {
  // Each class was accepted by loadPlan before, and evaluate() then threw an uncoded TypeError.
  const forEachOf = (p: any) => p.entitlements.rules[0].forEach;
  it.each<[string, (p: any) => void, PlanErrorCode, string]>([
    [
      'an entitlement for each without its template',
      (p) => delete p.entitlements.rules[0].template,
      'plan/schema',
      '/entitlements/rules/0',
    ],
    [
      'a template without its for each',
      (p) => delete p.entitlements.rules[0].forEach,
      'plan/schema',
      '/entitlements/rules/0',
    ],
    [
      'a role rule with a for each',
      (p) => (p.roles.rules[0].forEach = forEachOf(p)),
      'plan/schema',
      '/roles/rules/0/forEach',
    ],
    [
      'a role rule with a template',
      (p) => (p.roles.rules[0].template = ['x']),
      'plan/schema',
      '/roles/rules/0/template',
    ],
    [
      'an empty template',
      (p) => (p.entitlements.rules[0].template = []),
      'plan/schema',
      '/entitlements/rules/0/template',
    ],
    [
      'an empty literal template part',
      (p) => p.entitlements.rules[0].template.push(''),
      'plan/schema',
      '/entitlements/rules/0/template/4',
    ],
    [
      'join() with one argument',
      (p) => (p.profile[0].expr = { op: 'call', fn: 'join', args: [{ op: 'claim', claim: 'groups' }] }),
      'plan/schema',
      '/profile/0/expr/args',
    ],
    [
      'lower() with two arguments',
      (p) => p.profile[0].expr.args.push({ op: 'literal', value: 'x' }),
      'plan/schema',
      '/profile/0/expr/args',
    ],
    [
      'an and without operands (true: a grant for everyone)',
      (p) => (p.roles.rules[0].when = { op: 'and', args: [] }),
      'plan/schema',
      '/roles/rules/0/when/args',
    ],
    ['a privileged role listed twice', (p) => p.roles.privileged.push('admin'), 'plan/schema', '/roles/privileged'],
    ['an empty NameID format URI', (p) => (p.key.formatUri = ''), 'plan/inconsistent', '/key/formatUri'],
    [
      "another format's NameID URI",
      (p) => (p.key.formatUri = 'urn:oasis:names:tc:SAML:2.0:nameid-format:transient'),
      'plan/inconsistent',
      '/key/formatUri',
    ],
  ])('%s → %s', (_name, edit, code, path) => {
    const err = codeOf(() => loadPlan(validPlan(edit)));
    expect([err.code, err.path]).toEqual([code, path]);
  });
});

describe('loadPlan re-checks the safety invariants the checker enforces (issue #10, item 6)', () => {
  const oidc = (p: any) => {
    p.idp.protocol = 'oidc';
    p.key = { kind: 'sub', loc: { ...LOC } };
  };
  const claimKey =
    (name: string, extra: object = {}) =>
    (p: any) =>
      (p.key = { kind: 'claims', claims: [name], ...extra, loc: { ...LOC } });
  const addClaim = (p: any, name: string, source: string, type: object, required = true) =>
    p.claims.push({ name, type, source: [source], required, normalize: [], loc: { ...LOC } });
  const grantAdmin = (when: unknown) => (p: any) => (p.roles.rules[2].when = when);
  const regex = (source: string) => ({ source, flags: '', engine: 're2', groups: 0, names: [] });
  it.each<[string, (p: any) => void, PlanErrorCode, string]>([
    // key: never email, mutable identifiers or a transient NameID, unless an unsafe reason is given and repeated.
    [
      'a transient NameID key',
      (p) =>
        Object.assign(p.key, { format: 'transient', formatUri: 'urn:oasis:names:tc:SAML:2.0:nameid-format:transient' }),
      'plan/unsafe-key',
      '/key/format',
    ],
    [
      'an emailAddress NameID key',
      (p) =>
        Object.assign(p.key, {
          format: 'emailAddress',
          formatUri: 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress',
        }),
      'plan/unsafe-key',
      '/key/format',
    ],
    ['a key on the email claim', claimKey('email'), 'plan/unsafe-key', '/key/claims/0'],
    [
      'a key on a mutable identifier (upn)',
      (p) => {
        addClaim(p, 'upn', 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/upn', { kind: 'string' });
        claimKey('upn')(p);
      },
      'plan/unsafe-key',
      '/key/claims/0',
    ],
    [
      'a key on a claim typed email',
      (p) => {
        addClaim(p, 'oid', 'oid', { kind: 'email' });
        claimKey('oid')(p);
      },
      'plan/unsafe-key',
      '/key/claims/0',
    ],
    [
      'a key on an optional claim',
      (p) => {
        addClaim(p, 'oid', 'oid', { kind: 'uuid' }, false);
        claimKey('oid')(p);
      },
      'plan/unsafe-key',
      '/key/claims/0',
    ],
    ['a key on a multi-valued claim', claimKey('groups'), 'plan/unsafe-key', '/key/claims/0'],
    ['a sub key in a SAML plan', (p) => (p.key = { kind: 'sub', loc: { ...LOC } }), 'plan/unsafe-key', '/key/kind'],
    ['a NameID key in an OIDC plan', (p) => (p.idp.protocol = 'oidc'), 'plan/unsafe-key', '/key/kind'],
    ['an unsafe key with a blank reason', claimKey('email', { unsafe: '  ' }), 'plan/unsafe-key', '/key/unsafe'],
    [
      'an unsafe reason the decisions would not repeat',
      claimKey('email', { unsafe: 'not listed' }),
      'plan/unsafe-key',
      '/unsafe',
    ],
    [
      'an unsafe key with its reason removed from unsafe',
      (p) => {
        claimKey('email', { unsafe: 'legacy' })(p);
        p.unsafe = [];
      },
      'plan/unsafe-key',
      '/unsafe',
    ],
    // privileged roles: never unconditional, never by an inexact test, never from a user-editable claim.
    [
      'a privileged role granted to everyone',
      (p) => delete p.roles.rules[2].when,
      'plan/privileged-rule',
      '/roles/rules/2',
    ],
    [
      'a privileged role granted by starts_with',
      grantAdmin({ op: 'starts_with', quantifier: 'any', claim: 'groups', value: 'okta-adm' }),
      'plan/privileged-rule',
      '/roles/rules/2/when/op',
    ],
    [
      'a privileged role granted by an unanchored regex',
      grantAdmin({ op: 'matches', quantifier: 'any', claim: 'groups', regex: regex('admins') }),
      'plan/privileged-rule',
      '/roles/rules/2/when/regex',
    ],
    [
      'a privileged role granted by a half-anchored regex under not/or',
      grantAdmin({
        op: 'or',
        args: [
          { op: 'contains', claim: 'groups', value: 'x' },
          { op: 'not', arg: { op: 'matches', quantifier: 'all', claim: 'groups', regex: regex('^admins') } },
        ],
      }),
      'plan/privileged-rule',
      '/roles/rules/2/when/args/1/arg',
    ],
    [
      'a privileged role granted from the email claim',
      grantAdmin({ op: 'eq', claim: 'email', value: 'boss@example.com' }),
      'plan/privileged-rule',
      '/roles/rules/2/when/claim',
    ],
    [
      'a privileged role granted by a negated test',
      grantAdmin({ op: 'not', arg: { op: 'contains', claim: 'groups', value: 'Contractors' } }),
      'plan/privileged-rule',
      '/roles/rules/2/when/arg',
    ],
    [
      'a privileged role granted by a case-insensitive regex',
      grantAdmin({
        op: 'matches',
        quantifier: 'any',
        claim: 'groups',
        regex: { ...regex('^okta-admins$'), flags: 'i' },
      }),
      'plan/privileged-rule',
      '/roles/rules/2/when/regex',
    ],
    [
      'an inexact privileged grant whose unsafe reason the plan does not list',
      (p) => {
        grantAdmin({ op: 'not', arg: { op: 'contains', claim: 'groups', value: 'Contractors' } })(p);
        p.roles.rules[2].unsafe = 'SEC-1';
      },
      'plan/privileged-rule',
      '/roles/rules/2/unsafe',
    ],
    [
      'a privileged role granted from a title attribute',
      (p) => {
        addClaim(p, 'title', 'urn:oid:2.5.4.12', { kind: 'string' });
        grantAdmin({ op: 'eq', claim: 'title', value: 'CTO' })(p);
      },
      'plan/privileged-rule',
      '/roles/rules/2/when/claim',
    ],
  ])('%s → %s', (_name, edit, code, path) => {
    const err = codeOf(() => loadPlan(validPlan(edit)));
    expect([err.code, err.path]).toEqual([code, path]);
  });

  it.each<[string, (p: any) => void]>([
    [
      'a transient NameID key with an unsafe reason it repeats',
      (p) =>
        Object.assign(p.key, {
          format: 'transient',
          formatUri: 'urn:oasis:names:tc:SAML:2.0:nameid-format:transient',
          unsafe: 'legacy',
        }),
    ],
    ['an OIDC sub key', oidc],
    [
      'a privileged role granted by an anchored regex',
      grantAdmin({ op: 'matches', quantifier: 'any', claim: 'groups', regex: regex('^(?:okta-admins|root)$') }),
    ],
    [
      'an inexact privileged grant kept by its listed unsafe reason',
      (p) => {
        grantAdmin({ op: 'not', arg: { op: 'contains', claim: 'groups', value: 'Contractors' } })(p);
        p.roles.rules[2].unsafe = 'SEC-1: legacy';
        p.unsafe.push({ code: 'privileged/negated-test', reason: 'SEC-1: legacy', loc: p.roles.rules[2].loc });
      },
    ],
    // the fixture's IdP lets users edit custom profile attributes (identity-claims.ts), unless the claim is trusted
    [
      'a privileged role granted from a trusted enum claim',
      (p) => {
        p.claims.find((c: { name: string }) => c.name === 'kind').trusted = 'HR feed only';
        grantAdmin({ op: 'one_of', claim: 'kind', values: ['FTE'] })(p);
      },
    ],
    [
      'a non-privileged role granted by starts_with',
      (p) => (p.roles.rules[0].when = { op: 'starts_with', quantifier: 'any', claim: 'groups', value: 'x' }),
    ],
  ])('accepts %s', (_name, edit) => {
    expect(() => loadPlan(validPlan(edit))).not.toThrow();
  });
});

describe('loadPlan applies the name rules to role and entitlement names (issue #10, item 4)', () => {
  const role = (name: string) => (p: any) => (p.roles.rules[0].target = name);
  it.each<[string, (p: any) => void, PlanErrorCode, string]>([
    ['an empty role', role(''), 'plan/invalid-name', '/roles/rules/0/target'],
    ['a padded role', role('viewer '), 'plan/invalid-name', '/roles/rules/0/target'],
    ['a role with a zero-width space', role('vie\u200bwer'), 'plan/invalid-name', '/roles/rules/0/target'],
    ['a role with a bidi override', role('\u202eviewer'), 'plan/invalid-name', '/roles/rules/0/target'],
    ['a role with a Hangul filler', role('viewer\u3164'), 'plan/invalid-name', '/roles/rules/0/target'],
    [
      'a declared role with a control character',
      (p) => (p.roles.declared = ['admin', 'viewer', 'x\u0007']),
      'plan/invalid-name',
      '/roles/declared/2',
    ],
    ['a padded privileged role', (p) => (p.roles.privileged = [' admin']), 'plan/invalid-name', '/roles/privileged/0'],
    [
      'a padded static entitlement',
      (p) =>
        p.entitlements.rules.push({
          id: 'entitlements[1]',
          effect: 'grant',
          target: ' wiki',
          text: '',
          loc: { ...LOC },
        }),
      'plan/invalid-name',
      '/entitlements/rules/1/target',
    ],
    [
      'a template with a bidi control',
      (p) => (p.entitlements.rules[0].template[0] = 'team:\u2066'),
      'plan/invalid-name',
      '/entitlements/rules/0/template',
    ],
    [
      'a template with leading white space',
      (p) => (p.entitlements.rules[0].template[0] = ' team:'),
      'plan/invalid-name',
      '/entitlements/rules/0/template',
    ],
    [
      'a role that differs from a privileged one by case',
      role('Admin'),
      'plan/confusable-name',
      '/roles/rules/0/target',
    ],
    ['a role with a Cyrillic а for a', role('\u0430dmin'), 'plan/confusable-name', '/roles/rules/0/target'],
    ['a role in fullwidth forms', role('ａｄｍｉｎ'), 'plan/confusable-name', '/roles/rules/0/target'],
    ['a role with a Greek capital alpha', role('\u0391DMIN'), 'plan/confusable-name', '/roles/rules/0/target'],
    [
      'a static entitlement named like a privileged role',
      (p) =>
        p.entitlements.rules.push({
          id: 'entitlements[1]',
          effect: 'grant',
          target: 'ADMIN',
          text: '',
          loc: { ...LOC },
        }),
      'plan/confusable-name',
      '/entitlements/rules/1/target',
    ],
  ])('%s → %s', (_name, edit, code, path) => {
    const err = codeOf(() => loadPlan(validPlan(edit)));
    expect([err.code, err.path]).toEqual([code, path]);
  });

  it('accepts the privileged name itself, and names with inner spaces and non-Latin letters', () => {
    expect(() =>
      loadPlan(
        validPlan((p) =>
          p.entitlements.rules.push({
            id: 'entitlements[1]',
            effect: 'grant',
            target: 'admin',
            text: '',
            loc: { ...LOC },
          }),
        ),
      ),
    ).not.toThrow();
    expect(() => loadPlan(validPlan(role('read only')))).not.toThrow();
    expect(() => loadPlan(validPlan(role('администратор')))).not.toThrow();
  });
});

describe('loadPlan: a for each rule whose template has no capture grants that one name', () => {
  const fixed = (text: string) => (p: any) =>
    Object.assign(p.entitlements.rules[0], { target: text, template: [text] });
  it.each<[string, (p: any) => void, PlanErrorCode, string]>([
    ['padded', fixed('wiki '), 'plan/invalid-name', '/entitlements/rules/0/template'],
    ['a look-alike of a privileged role', fixed('Admin'), 'plan/confusable-name', '/entitlements/rules/0/template'],
  ])('%s → %s', (_name, edit, code, path) => {
    const err = codeOf(() => loadPlan(validPlan(edit)));
    expect([err.code, err.path]).toEqual([code, path]);
  });
});

describe('loadPlan accepts what compile() builds with overrides (rule-level unsafe, trusted claims)', () => {
  it('a negated privileged grant kept by unsafe, from a trusted attribute, round-trips', async () => {
    const { compile } = await import('../../src/compile/compile.js');
    const src = `mapping "m" {
  idp oidc "https://sso.example.org/realms/acme"
  key sub
  claims {
    groups : set<string> from "groups" optional
    dept   : string from "department" optional trusted "HR feed only (SEC-7)"
  }
  roles {
    privileged admin
    grant admin when not "Contractors" in groups unsafe "SEC-9: legacy tenant"
    grant admin when dept == "Security"
  }
  lifecycle { offboarding scim }
}`;
    const r = compile(src);
    expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const plan = loadPlan(JSON.stringify(r.plan));
    expect(plan.roles.rules.find((x) => x.unsafe !== undefined)?.unsafe).toBe('SEC-9: legacy tenant');
    // Without the rule's reason the same plan is refused: the override is what keeps it.
    const stripped = JSON.parse(JSON.stringify(r.plan)) as Record<string, any>;
    delete stripped.roles.rules.find((x: { unsafe?: string }) => x.unsafe !== undefined).unsafe;
    delete stripped.digest;
    expect(
      codeOf(() => loadPlan(JSON.stringify({ ...stripped, digest: planDigest(stripped as Omit<Plan, 'digest'>) })))
        .code,
    ).toBe('plan/privileged-rule');
  });
});

describe('loadPlan and the scim section', () => {
  const withDigest = (p: Omit<Plan, 'digest'>): string => JSON.stringify({ ...p, digest: planDigest(p) });
  it('loads a plan with a scim section and a dormant action, and refuses an unknown deactivate (plan/schema)', () => {
    const p = JSON.parse(JSON.stringify(validPlan()));
    delete p.digest;
    p.scim = { key: 'externalId', groups: 'groups', deactivate: 'deprovision', loc: { line: 1, column: 1 } };
    p.lifecycle.dormantAction = 'deprovision';
    const plan = loadPlan(withDigest(p));
    expect(plan.scim).toEqual(p.scim);
    expect(plan.lifecycle.dormantAction).toBe('deprovision');
    p.scim.deactivate = 'delete';
    expect(() => loadPlan(withDigest(p))).toThrow(expect.objectContaining({ code: 'plan/schema' }));
  });
});
