import { describe, expect, it } from 'vitest';
import {
  ClaimTable,
  and,
  anyMatches,
  claimName,
  emitMapping,
  inSet,
  mappingText,
  not,
  or,
  q,
  re,
  roleName,
} from '../../src/import/emit.js';
import type { MappingSpec } from '../../src/import/emit.js';

const at = { file: 'realm.json', line: 12, column: 5 };

function spec(over: Partial<MappingSpec> = {}): MappingSpec {
  const claims = new ClaimTable();
  const groups = claims.add({ source: ['groups'], type: 'set<string>', presence: 'optional', absentEmpty: true });
  return {
    name: 'imported',
    header: ['Imported from realm.json'],
    idp: {
      protocol: 'oidc',
      issuer: 'https://sso.example.org/realms/acme',
      from: [{ at, what: 'identity provider "acme"' }],
    },
    key: { form: 'sub' },
    claims: claims.specs,
    roles: {
      mode: 'replace',
      rules: [
        {
          kind: 'grant',
          role: 'admin',
          when: or(inSet('admins', groups), anyMatches(groups, '^/ops/.*$')),
          from: [{ at, what: 'mapper "a"' }],
        },
        { kind: 'grant', role: 'realm admin', when: and(inSet('x', groups), not(inSet('y', groups))) },
      ],
    },
    ...over,
  };
}

describe('emitMapping', () => {
  it('writes formatted source that lints, with from: comments above each construct', () => {
    const r = emitMapping(spec(), { file: 'realm.json' });
    // The only finding is the one no source system configures: what removes accounts.
    expect(r.notes.map((n) => n.message)).toEqual([expect.stringContaining('lifecycle/no-offboarding')]);
    expect(r.plan).not.toBeNull();
    expect(r.source).toContain('// from: realm.json:12 mapper "a"');
    expect(r.source).toContain('grant "realm admin" when "x" in groups and not "y" in groups');
    expect(r.source).toContain('any groups matches /^\\/ops\\/.*$/');
    expect(r.source.startsWith('// Imported from realm.json\nmapping "imported" {')).toBe(true);
  });
  it('reports a mapping that does not lint as import/internal errors', () => {
    const r = emitMapping(spec({ key: { form: 'claim nope' } }), { file: 'realm.json' });
    expect(r.plan).toBeNull();
    expect(r.notes.map((n) => [n.code, n.severity])).toContainEqual(['import/internal', 'error']);
  });
  it('reports a mapping that does not parse as import/internal', () => {
    const r = emitMapping(spec({ require: [{ when: 'groups ==' }] }), { file: 'realm.json' });
    expect(r.plan).toBeNull();
    expect(r.notes[0]).toMatchObject({ code: 'import/internal', severity: 'error' });
  });
  it('repeats lint warnings as import/lint-warning', () => {
    const s = spec();
    const r = emitMapping({ ...s, roles: { ...s.roles!, mode: 'add' } }, { file: 'realm.json' });
    expect(r.plan).not.toBeNull();
    expect(r.notes.map((n) => n.code)).toContain('import/lint-warning');
    expect(r.notes.filter((n) => n.code === 'import/lint-warning').map((n) => n.message)).toContainEqual(
      expect.stringContaining('roles/add-mode'),
    );
  });
  it('writes the accounts section with its comment', () => {
    const text = mappingText(spec({ accounts: { emailConflict: 'reject', comment: ['was: link by email'] } }));
    expect(text).toContain('// was: link by email\naccounts {\non email_conflict reject\n}');
  });
});

describe('emitter helpers', () => {
  it('quotes strings and escapes slashes in regexes', () => {
    expect(q('a"b\\c\u2028')).toBe('"a\\"b\\\\c\\u2028"');
    expect(re('^a/b\\/c$')).toBe('/^a\\/b\\/c$/');
    expect(roleName('admin')).toBe('admin');
    expect(roleName('not')).toBe('"not"');
    expect(roleName('acme-app.admin')).toBe('"acme-app.admin"');
  });
  it('names claims after their source, uniquely and never as a reserved word', () => {
    expect(claimName(['realm_access', 'roles'])).toBe('realm_access_roles');
    expect(claimName(['http://schemas.xmlsoap.org/claims/Group'])).toBe('Group');
    expect(claimName(['urn:oid:1.3.6.1.4.1.5923.1.1.1.7'])).toBe('claim');
    expect(claimName(['key'])).toBe('key');
    expect(claimName(['in'])).toBe('in_claim');
    const t = new ClaimTable();
    const a = t.add({ source: ['groups'], type: 'set<string>', presence: 'optional' });
    const b = t.add({ source: ['groups'], type: 'set<string>', presence: 'optional' });
    const c = t.add({ source: ['x', 'groups'], type: 'set<string>', presence: 'optional', name: 'groups' });
    expect([a, b, c]).toEqual(['groups', 'groups', 'groups_2']);
  });
  it('drops nothing a later declaration of a claim asks for: required wins, trusted and origins are kept', () => {
    const t = new ClaimTable();
    const from = [{ at, what: 'user_claim' }];
    const a = t.add({ source: ['email'], type: 'string', presence: 'optional' });
    const b = t.add({ source: ['email'], type: 'string', presence: 'required', trusted: 'IdP-managed', from });
    const c = t.add({ source: ['email'], type: 'string', presence: 'optional', trusted: 'other' });
    expect([a, b, c]).toEqual(['email', 'email', 'email']);
    expect(t.specs).toEqual([
      { source: ['email'], type: 'string', presence: 'required', trusted: 'IdP-managed', from, name: 'email' },
    ]);
  });
  it.each([
    ['LF', '\n'],
    ['CR', '\r'],
    ['CR LF', '\r\n'],
    ['U+2028', '\u2028'],
    ['U+2029', '\u2029'],
    ['NEL', '\u0085'],
    ['VT', '\v'],
    ['FF', '\f'],
  ])('keeps text from the imported file inside its comment: a line break (%s) cannot start mapping source', (_, nl) => {
    const evil = `x${nl}  roles replace {${nl}    grant owner${nl}  }${nl}//`;
    const s = spec({
      header: [`Imported from ${evil}`],
      key: { form: 'sub', comment: [evil], from: [{ at, what: evil }] },
    });
    const r = emitMapping(s, { file: 'realm.json' });
    expect(r.plan).not.toBeNull();
    expect(r.source.split('\n').filter((l) => /^\s*grant owner/.test(l))).toEqual([]);
    expect(r.plan?.roles.rules.map((x) => x.target) ?? []).not.toContain('owner');
  });
});
