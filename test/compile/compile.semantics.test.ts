/**
 * The semantics the language issue requires, end to end: mapping text → compile → evaluate.
 */
import { describe, expect, it } from 'vitest';
import { compile } from '../../src/compile/compile.js';
import { evaluate } from '../../src/evaluate/index.js';
import type { ClaimSet, JsonValue } from '../../src/model/claim-set.js';
import type { Plan } from '../../src/model/plan.js';

const ISS = 'https://idp.example.com';
function mapping(body: string, head = `idp oidc "${ISS}" key sub`): Plan {
  const src = `mapping "t" { ${head}\n${body}\nlifecycle { offboarding scim } }`;
  const r = compile(src, { filename: 't.claimmap' });
  const errors = r.diagnostics.filter((d) => d.severity === 'error');
  if (!r.plan) throw new Error(errors.map((d) => `${d.code}: ${d.message}`).join('\n'));
  return r.plan;
}
const codesOf = (src: string) =>
  compile(src, { filename: 't.claimmap' }).diagnostics.map((d) => `${d.severity} ${d.code}`);
const oidc = (claims: Record<string, JsonValue>, extra: Partial<ClaimSet> = {}): ClaimSet => ({
  protocol: 'oidc',
  issuer: ISS,
  subject: { id: 'u-1' },
  claims: { sub: 'u-1', ...claims },
  verified: true,
  ...extra,
});

describe('1. durable key', () => {
  it('is scoped by issuer and is never an email', () => {
    const p = mapping('claims { email : email from "email" optional } profile { email = email sync always }');
    const d = evaluate(p, oidc({ email: 'a@b.c' }));
    expect(d.key).toEqual({ issuer: ISS, subject: 'u-1' });
  });
  it.each([
    ['email', 'key claim e', 'e : string from "email" required'],
    ['upn', 'key claim e', 'e : string from "upn" required'],
    ['preferred_username', 'key claim e', 'e : string from "preferred_username" required'],
    ['urn:oid mail', 'key claim e', 'e : string from "urn:oid:0.9.2342.19200300.100.1.3" required'],
    [
      'Entra upn URI',
      'key claim e',
      'e : string from "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/upn" required',
    ],
  ])('a key from %s is an error (key/mutable-claim)', (_n, key, decl) => {
    expect(
      codesOf(`mapping "t" { idp oidc "${ISS}" ${key} claims { ${decl} } lifecycle { offboarding scim } }`),
    ).toContain('error key/mutable-claim');
  });
  it('a key from a claim typed email is an error', () => {
    expect(
      codesOf(
        `mapping "t" { idp oidc "${ISS}" key claim e claims { e : email from "contact" required } lifecycle { offboarding scim } }`,
      ),
    ).toContain('error key/email-claim');
  });
  it.each(['transient', 'emailAddress', 'unspecified'])(
    'a %s NameID is an error, and unsafe turns it into a repeated warning',
    (fmt) => {
      const head = `idp saml "urn:idp" key nameid ${fmt}`;
      expect(codesOf(`mapping "t" { ${head} lifecycle { offboarding scim } }`)).toContain(
        'error key/non-durable-format',
      );
      const withUnsafe = compile(`mapping "t" { ${head} unsafe "legacy IdP, SEC-1" lifecycle { offboarding scim } }`);
      expect(withUnsafe.diagnostics.map((d) => `${d.severity} ${d.code}`)).toEqual(
        expect.arrayContaining(['warning key/non-durable-format', 'warning unsafe/override']),
      );
      expect(withUnsafe.plan!.unsafe).toEqual([
        { code: 'key/non-durable-format', reason: 'legacy IdP, SEC-1', loc: expect.any(Object) },
      ]);
      const d = evaluate(withUnsafe.plan!, {
        protocol: 'saml',
        issuer: 'urn:idp',
        subject: {
          id: 'x',
          format: `urn:oasis:names:tc:SAML:${fmt === 'transient' ? '2.0' : '1.1'}:nameid-format:${fmt}`,
        },
        claims: {},
        verified: true,
      });
      expect(d.warnings.join(' ')).toContain('legacy IdP, SEC-1');
    },
  );
  it('tid + oid keys join both values', () => {
    const p = mapping(
      'claims { tid : uuid from "tid" required  oid : uuid from "oid" required }',
      `idp oidc "${ISS}" key claim tid, oid`,
    );
    const d = evaluate(
      p,
      oidc({ tid: '72f988bf-86f1-41af-91ab-2d7cd011db47', oid: '00000000-0000-0000-0000-000000000001' }),
    );
    expect(d.key?.subject).toBe('72f988bf-86f1-41af-91ab-2d7cd011db47:00000000-0000-0000-0000-000000000001');
  });
  it('an issuer alias is accepted at login, and the key always uses the canonical issuer', () => {
    const p = mapping('', `idp oidc "${ISS}" alias "idp.example.com" key sub`);
    const d = evaluate(p, oidc({}, { issuer: 'idp.example.com' }));
    expect(d.outcome).toBe('allow');
    expect(d.key).toEqual({ issuer: ISS, subject: 'u-1' });
    expect(evaluate(p, oidc({}, { issuer: 'https://evil.example.com' })).refusals.map((r) => r.code)).toEqual([
      'issuer-mismatch',
    ]);
  });
  it('a claim set from another issuer is refused', () => {
    const p = mapping('');
    expect(evaluate(p, oidc({}, { issuer: 'https://evil.example.com' })).refusals.map((r) => r.code)).toEqual([
      'issuer-mismatch',
    ]);
  });
});

describe('2. typed claims: present, absent and malformed are never confused', () => {
  const p = mapping(`claims {
    n : int from "n" optional   b : bool from "b" optional   s : string from "s" optional
    r : list<string> from "realm_access"."roles" optional   d : string from "https://example.com/claims/dept" optional
  }
  roles { grant big when n == 3  grant yes when b  grant named when s == "x"  grant realm when "admin" in r  grant dept when d == "ops" }`);
  it('reads nested objects and keys containing dots, slashes and colons', () => {
    const d = evaluate(p, oidc({ realm_access: { roles: ['admin'] }, 'https://example.com/claims/dept': 'ops' }));
    expect(d.roles).toEqual(['dept', 'realm']);
  });
  it.each([
    [{ n: '3' }, 'n', 'wrong-type'],
    [{ b: 'true' }, 'b', 'wrong-type'],
    [{ s: { value: 'x' } }, 's', 'wrong-type'],
    [{ s: ['x'] }, 's', 'wrong-type'],
    [{ s: '' }, 's', 'empty'],
    [{ realm_access: { roles: 'admin' } }, 'r', 'wrong-type'],
    [{ realm_access: 'admin' }, 'r', 'wrong-type'],
  ])('%j: %s is malformed (%s), and grants nothing', (claims, name, reason) => {
    const d = evaluate(p, oidc(claims as Record<string, JsonValue>));
    expect(d.malformed).toEqual([expect.objectContaining({ claim: name, reason })]);
    expect(d.roles).toEqual([]);
  });
  it('null and missing are absent', () => {
    expect(evaluate(p, oidc({ s: null })).absent).toContain('s');
    expect(evaluate(p, oidc({})).absent).toContain('s');
  });
  it('a SAML scalar with two values is malformed (multiple-values)', () => {
    const sp = mapping(
      'claims { dept : string from "department" optional } roles { grant ops when dept == "ops" }',
      'idp saml "urn:idp" key nameid persistent',
    );
    const d = evaluate(sp, {
      protocol: 'saml',
      issuer: 'urn:idp',
      subject: { id: 'x', format: 'urn:oasis:names:tc:SAML:2.0:nameid-format:persistent' },
      claims: { department: ['ops', 'eng'] },
      verified: true,
    });
    expect(d.malformed).toEqual([expect.objectContaining({ claim: 'dept', reason: 'multiple-values' })]);
    expect(d.roles).toEqual([]);
  });
});

describe('3. fail closed: three-valued logic', () => {
  const p =
    mapping(`claims { groups : set<string> from "groups" optional  kind : string from "kind" optional  email : email from "email" required }
    profile { email = email sync always }
    roles { grant admin when "admins" in groups  deny admin when kind == "Contractor"  grant viewer when not "banned" in groups }`);
  it('grant needs true; deny fires on unknown', () => {
    expect(evaluate(p, oidc({ email: 'a@b.c', groups: ['admins'], kind: 'FTE' })).roles).toEqual(['admin', 'viewer']);
    const d = evaluate(p, oidc({ email: 'a@b.c', groups: ['admins'] }));
    expect(d.roles).toEqual(['viewer']);
    expect(d.denied).toEqual([{ kind: 'role', name: 'admin', rule: 'roles[1]', result: 'unknown' }]);
  });
  it('not over an absent claim is unknown, not true', () => {
    expect(evaluate(p, oidc({ email: 'a@b.c' })).roles).toEqual([]);
  });
  it('a required claim absent or malformed refuses the login with a coded reason', () => {
    expect(evaluate(p, oidc({})).refusals.map((r) => r.code)).toEqual(['required-claim-absent']);
    const d = evaluate(p, oidc({ email: 'not-an-email', groups: ['admins'] }));
    expect(d.outcome).toBe('refuse');
    expect(d.refusals.map((r) => r.code)).toEqual(['required-claim-malformed']);
    expect(d.roles).toEqual([]);
  });
});

describe('4. normalisation is declared and checked', () => {
  it('lower is NFKC then toLowerCase, locale-independent', () => {
    const p = mapping(
      'claims { g : set<string> from "g" optional normalize lower } roles { grant c when "finance" in g grant t when "i̇stanbul" in g }',
    );
    expect(evaluate(p, oidc({ g: ['ＦＩＮＡＮＣＥ'] })).roles).toEqual(['c']);
    expect(evaluate(p, oidc({ g: ['ﬁnance'] })).roles).toEqual(['c']);
    // İ (U+0130) lower-cases to i + combining dot in every locale: no Turkish special case.
    expect(evaluate(p, oidc({ g: ['İSTANBUL'] })).roles).toEqual(['t']);
  });
  it('comparing a lower-cased claim with an upper-case literal is an error', () => {
    expect(
      codesOf(
        `mapping "t" { idp oidc "${ISS}" key sub claims { g : set<string> from "groups" optional normalize lower } roles { grant a when "Okta-Admins" in g } lifecycle { offboarding scim } }`,
      ),
    ).toContain('error literal/never-matches');
  });
});

describe('5. profile sync modes', () => {
  it('carries sync and clear per field, and absent sources are reported as absent', () => {
    const p = mapping(`claims { t : string from "title" optional  d : string from "dept" optional }
      profile { title = t sync always clear  dept = d ?? "Unassigned" sync fill  raw = d sync always }`);
    const d = evaluate(p, oidc({}));
    expect(d.profile.title).toEqual({ state: 'absent', sync: 'always', clear: true });
    expect(d.profile.dept).toEqual({ state: 'present', value: 'Unassigned', sync: 'fill', clear: false });
    expect(d.profile.raw).toEqual({ state: 'absent', sync: 'always', clear: false });
  });
});

describe('6. roles and entitlements', () => {
  it('entitlements are templated from regex captures', () => {
    const p = mapping(
      'claims { g : set<string> from "g" optional } entitlements { grant "github:team/{1}" for each g matching /^gh-([a-z0-9-]+)$/ }',
    );
    const d = evaluate(p, oidc({ g: ['gh-platform', 'gh-', 'gh-SRE', 'eng', 'gh-sre'] }));
    expect(d.entitlements).toEqual(['github:team/platform', 'github:team/sre']);
    expect(d.grantedBy.entitlements['github:team/sre']).toEqual(['entitlements[0]']);
  });
  it('roles add warns about stale roles', () => {
    expect(
      codesOf(`mapping "t" { idp oidc "${ISS}" key sub roles add { grant a } lifecycle { offboarding scim } }`),
    ).toContain('warning roles/add-mode');
  });
});

describe('7. regexes are linear-time and anchoring is checked', () => {
  it('rejects backreferences and lookaround, and chooses a linear engine for risky patterns', () => {
    const bad = (re: string) =>
      codesOf(
        `mapping "t" { idp oidc "${ISS}" key sub claims { g : set<string> from "g" optional } roles { grant a when any g matches ${re} } lifecycle { offboarding scim } }`,
      );
    expect(bad('/^(a)\\1$/')).toContain('error regex/backreference');
    expect(bad('/^(?=a)a$/')).toContain('error regex/lookaround');
    expect(bad('/admin/')).toContain('warning regex/unanchored');
    const p = mapping(
      'claims { g : set<string> from "g" optional } roles { grant a when any g matches /^(a+)+$/ grant b when any g matches /^eng(-leads)?$/ }',
    );
    const engines = p.roles.rules.map((r) => (r.when?.op === 'matches' ? r.when.regex.engine : null));
    expect(engines).toEqual(['re2', 'native']);
    // The pathological input that makes a backtracking engine take minutes returns at once.
    const d = evaluate(p, oidc({ g: [`${'a'.repeat(5000)}!`] }));
    expect(d.roles).toEqual([]);
  });
});

describe('8. accounts and lifecycle', () => {
  it('defaults: reject email conflicts; a mapping without offboarding gets a warning', () => {
    const p = mapping('claims { e : email from "email" optional } profile { email = e sync always }');
    expect(p.accounts).toEqual({ emailConflict: 'reject', unique: ['email'] });
    expect(codesOf(`mapping "t" { idp oidc "${ISS}" key sub }`)).toContain('warning lifecycle/no-offboarding');
  });
  it('link_verified is opt-in and warned about', () => {
    expect(
      codesOf(
        `mapping "t" { idp oidc "${ISS}" key sub accounts { on email_conflict link_verified } lifecycle { offboarding scim } }`,
      ),
    ).toContain('warning accounts/email-link');
  });
});

describe('9. privileged roles', () => {
  const wrap = (roles: string, claims = 'g : set<string> from "groups" optional  t : string from "title" optional') =>
    codesOf(
      `mapping "t" { idp oidc "${ISS}" key sub claims { ${claims} } roles { privileged admin ${roles} } lifecycle { offboarding scim } }`,
    );
  it('requires exact or anchored matches on non-user-editable claims', () => {
    expect(wrap('grant admin when "admins" in g')).not.toContain('error privileged/inexact-match');
    expect(wrap('grant admin when any g starts_with "adm"')).toContain('error privileged/inexact-match');
    expect(wrap('grant admin when any g matches /admin/')).toContain('error privileged/inexact-match');
    expect(wrap('grant admin when t == "CTO"')).toContain('error privileged/user-editable-claim');
    expect(wrap('grant admin')).toContain('error privileged/unconditional-grant');
  });
});

describe('plan', () => {
  it('is immutable, JSON-serialisable and identified by a digest', () => {
    const p = mapping('claims { g : set<string> from "g" optional } roles { grant a when "x" in g }');
    expect(Object.isFrozen(p)).toBe(true);
    expect(Object.isFrozen(p.roles.rules[0])).toBe(true);
    expect(JSON.parse(JSON.stringify(p))).toEqual(p);
    expect(p.digest).toMatch(/^[0-9a-f]{64}$/);
    const p2 = mapping('claims { g : set<string> from "g" optional } roles { grant a when "y" in g }');
    expect(p2.digest).not.toBe(p.digest);
  });
});

describe('privileged guardrails: every inexact class is a coded error, and the escalation it names is real', () => {
  const GROUPS = 'groups : set<string> from "groups" optional';
  // [class, claims, condition, code, claims a user should not be admin with, which the condition grants]
  const classes: [string, string, string, string, Record<string, JsonValue>][] = [
    ['negated test', GROUPS, 'not "Contractors" in groups', 'privileged/negated-test', { groups: [] }],
    [
      'regex i flag (U+017F long s folds to s)',
      GROUPS,
      'any groups matches /^vault-admins$/i',
      'privileged/regex-flags',
      { groups: ['vault-admin\u017F'] },
    ],
    [
      'folded claim (fullwidth look-alike)',
      `${GROUPS} normalize nfkc, lower`,
      '"vault-admins" in groups',
      'privileged/folded-claim',
      { groups: ['ＶＡＵＬＴ-ＡＤＭＩＮＳ'] },
    ],
    [
      'user-editable claim',
      'title : string from "title" optional',
      'title == "CTO"',
      'privileged/user-editable-claim',
      { title: 'CTO' },
    ],
    [
      'all over a one-value list',
      GROUPS,
      'all groups matches /^(vault-admins|vault-ops)$/',
      'privileged/all-quantifier',
      { groups: ['vault-ops'] },
    ],
    [
      '!=',
      'kind : string from "employeeType" optional',
      'kind != "Contractor"',
      'privileged/not-equal',
      { employeeType: 'Intern' },
    ],
    [
      'prefix regex',
      GROUPS,
      'any groups matches /^admins.*$/',
      'privileged/inexact-match',
      { groups: ['admins-of-my-own-team'] },
    ],
    [
      'leaf-name match on a group path',
      GROUPS,
      'any groups matches /^.*\\/admins$/',
      'privileged/leaf-name-match',
      { groups: ['/my-sandbox/admins'] },
    ],
  ];
  it.each(classes)('%s', (_n, claims, cond, code, attack) => {
    const src = `mapping "t" { idp oidc "${ISS}" key sub claims { ${claims} } roles { privileged admin grant admin when ${cond} } lifecycle { offboarding scim } }`;
    const r = compile(src, { filename: 't.claimmap' });
    expect(r.diagnostics.filter((d) => d.severity === 'error').map((d) => d.code)).toEqual([code]);
    // With a reasoned unsafe, it compiles; the plan and every decision repeat the override.
    const overridden = compile(src.replace(`when ${cond}`, `when ${cond} unsafe "SEC-7: accepted"`), {
      filename: 't.claimmap',
    });
    expect(overridden.plan, overridden.diagnostics.map((d) => d.code).join()).not.toBeNull();
    const plan = overridden.plan!;
    expect(plan.roles.rules[0]!.unsafe).toBe('SEC-7: accepted');
    expect(plan.unsafe.map((u) => u.code)).toEqual([code]);
    const d = evaluate(plan, oidc(attack));
    expect(d.roles).toContain('admin'); // the path the checker calls inexact does grant the attacker
    expect(d.warnings.join('\n')).toContain('SEC-7: accepted');
  });

  it('several unsafe rules: each repeats the privileged warnings inside its own span, in rule order', () => {
    const rules = [
      'grant admin when any groups starts_with "adm" unsafe "SEC-1"',
      'grant admin when "admins" in groups unsafe "SEC-2"',
      'grant admin when any groups matches /^.*\\/admins$/ unsafe "SEC-3"',
    ].join(' ');
    const src = `mapping "t" { idp oidc "${ISS}" key sub claims { ${GROUPS} } roles { privileged admin ${rules} } lifecycle { offboarding scim } }`;
    const r = compile(src, { filename: 't.claimmap' });
    expect(r.plan, r.diagnostics.map((d) => d.code).join()).not.toBeNull();
    expect(r.plan!.unsafe.map((u) => [u.code, u.reason])).toEqual([
      ['privileged/inexact-match', 'SEC-1'],
      ['unsafe/override', 'SEC-2'],
      ['privileged/leaf-name-match', 'SEC-3'],
    ]);
  });

  it('an exact path narrowed by a negated test is not an escalation path, and needs no unsafe', () => {
    const src = `mapping "t" { idp oidc "${ISS}" key sub claims { ${GROUPS} } roles { privileged admin grant admin when "admins" in groups and not "contractors" in groups } lifecycle { offboarding scim } }`;
    const r = compile(src);
    expect(r.diagnostics).toEqual([]);
    expect(evaluate(r.plan!, oidc({ groups: [] })).roles).not.toContain('admin');
  });

  it('all over an empty set is unknown: groups: [] grants nothing, fires a deny and fails a require', () => {
    const p = mapping(
      `claims { ${GROUPS} } roles { grant viewer when all groups matches /^eng-/ grant ops deny ops when all groups matches /^x$/ }`,
    );
    const d = evaluate(p, oidc({ groups: [] }));
    expect(d.roles).not.toContain('viewer');
    expect(d.roles).not.toContain('ops');
    expect(evaluate(p, oidc({ groups: ['eng-a'] })).roles).toEqual(['ops', 'viewer']);
    const gate = mapping(`claims { ${GROUPS} } require all groups matches /^eng-/`);
    expect(evaluate(gate, oidc({ groups: [] })).outcome).toBe('refuse');
  });
});
