import { describe, expect, it } from 'vitest';
import { validateClaimSet } from '../../src/compile/validate-claimset.js';

const base = () => ({
  protocol: 'oidc',
  issuer: 'https://login.example.com',
  subject: { id: '248289761001' },
  claims: { sub: '248289761001', email: 'jane@example.com', groups: ['eng'], nested: { a: [1, null, true] } },
  verified: true,
});

describe('validateClaimSet', () => {
  it.each([
    ['minimal OIDC', base()],
    [
      'SAML with every optional field',
      {
        ...base(),
        protocol: 'saml',
        subject: {
          id: 'x',
          format: 'urn:oasis:names:tc:SAML:2.0:nameid-format:persistent',
          nameQualifier: 'a',
          spNameQualifier: 'b',
        },
        claims: { 'urn:oid:0.9.2342.19200300.100.1.3': ['jane@example.com'] },
        aliases: { mail: 'urn:oid:0.9.2342.19200300.100.1.3' },
        attributes: { 'urn:oid:0.9.2342.19200300.100.1.3': { friendlyName: 'mail', nameFormat: 'uri' } },
        indeterminate: ['groups'],
        issuedAt: '2026-01-01T00:00:00Z',
        warnings: [{ code: 'claims/group-overage', message: 'overage', claim: 'groups' }],
      },
    ],
  ])('accepts %s and returns a copy with null-prototype claims', (_name, value) => {
    const r = validateClaimSet(value);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value).toEqual(value);
    expect(r.value).not.toBe(value);
    expect(Object.getPrototypeOf(r.value.claims)).toBeNull();
  });

  it.each([
    ['not an object', 'x', ''],
    ['missing verified', (({ verified: _v, ...rest }) => rest)(base()), ''],
    ['wrong protocol', { ...base(), protocol: 'ldap' }, '/protocol'],
    ['subject id not a string', { ...base(), subject: { id: 42 } }, '/subject/id'],
    ['unknown top-level field', { ...base(), extra: 1 }, ''],
    ['alias to a non-string', { ...base(), aliases: { a: 1 } }, '/aliases/a'],
    ['indeterminate not a list', { ...base(), indeterminate: 'groups' }, '/indeterminate'],
    [
      '__proto__ key (prototype pollution)',
      JSON.parse('{"claims": {"__proto__": {"isAdmin": true}}}'),
      '/claims/__proto__',
    ],
    [
      'cyclic claims',
      (() => {
        const v: any = base();
        v.claims.self = v.claims;
        return v;
      })(),
      '/claims/self',
    ],
    ['function value', { ...base(), claims: { f: () => 1 } }, '/claims/f'],
    [
      'deep nesting (stack exhaustion)',
      { ...base(), claims: { deep: JSON.parse('['.repeat(1000) + ']'.repeat(1000)) } },
      undefined,
    ],
  ] as [string, unknown, string | undefined][])('refuses %s', (_name, value, path) => {
    const r = validateClaimSet(value);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors.length).toBeGreaterThan(0);
    if (path !== undefined) expect(r.errors[0]!.path).toBe(path);
  });

  it('reports every error, capped by maxErrors', () => {
    const value = { ...base(), protocol: 'x', issuer: 1, verified: 'yes' };
    const all = validateClaimSet(value);
    expect(all.ok === false && all.errors.map((e) => e.path)).toEqual(['/protocol', '/issuer', '/verified']);
    const capped = validateClaimSet(value, { maxErrors: 2 });
    expect(capped.ok === false && capped.errors.length).toBe(2);
  });

  it('honours maxDepth', () => {
    expect(validateClaimSet(base(), { maxDepth: 2 }).ok).toBe(false);
    expect(validateClaimSet(base(), { maxDepth: 4 }).ok).toBe(true);
  });
});
