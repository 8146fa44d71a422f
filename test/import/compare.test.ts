import { describe, expect, it } from 'vitest';
import { compareImport, DIFFERENCE_CLASSES, renderCompareMarkdown } from '../../src/import/compare.js';
import type { ImportResult } from '../../src/import/types.js';
import { readOidcClaims } from '../../src/claims/index.js';

const source = `mapping "t" {
  idp oidc "https://idp.example.com"
  key sub
  claims {
    groups : set<string> from "groups" optional
  }
  roles replace {
    grant admin when "admins" in groups
  }
  lifecycle { offboarding scim }
}
`;
const sample = {
  name: 'ann',
  claimSet: readOidcClaims(JSON.stringify({ iss: 'https://idp.example.com', sub: 'u1', groups: ['admins'] })),
};

function result(decide: NonNullable<ImportResult['semantics']>['decide']): ImportResult {
  return { kind: 'keycloak', source, notes: [], semantics: { engine: 'test', decide } };
}

describe('compareImport', () => {
  it('finds no difference when the original decides as the import (bar the overage marker it cannot see)', () => {
    const r = compareImport(
      result((c) => ({
        refused: c.iss !== 'https://idp.example.com' || typeof c.sub !== 'string' || c.sub === '',
        key: typeof c.sub === 'string' ? c.sub : null,
        keySource: 'sub',
        roles:
          Array.isArray(c.groups) && c.groups.includes('admins') && c.iss === 'https://idp.example.com'
            ? ['admin']
            : [],
      })),
      [sample],
    );
    if (typeof r === 'string') throw new Error(r);
    expect(r.logins).toBeGreaterThan(5);
    expect(r.differences.map((d) => `${d.operator}: ${d.class}`)).toEqual([
      'overage: original-grants-on-missing-claim',
    ]);
  });
  it('flags an import that grants more, loudly', () => {
    const r = compareImport(
      result(() => ({ refused: false, key: 'u1', keySource: 'sub', roles: [] })),
      [sample],
    );
    if (typeof r === 'string') throw new Error(r);
    expect(r.counts['imported-grants-more']).toBeGreaterThan(0);
    expect(renderCompareMarkdown(r)).toContain('do not merge');
  });
  it('classifies a case-insensitive original and a key on email', () => {
    const r = compareImport(
      result((c) => ({
        refused: false,
        key: 'ann@example.com',
        keySource: 'email',
        roles:
          Array.isArray(c.groups) && c.groups.some((g) => typeof g === 'string' && g.toLowerCase() === 'admins')
            ? ['admin']
            : [],
      })),
      [sample],
    );
    if (typeof r === 'string') throw new Error(r);
    expect(r.counts['original-case-insensitive']).toBeGreaterThan(0);
    expect(r.counts['original-keyed-on-email']).toBeGreaterThan(0);
    expect(Object.keys(r.counts)).toEqual([...DIFFERENCE_CLASSES]);
  });
  it('reports why it cannot compare', () => {
    expect(compareImport({ kind: 'vault', source: '', notes: [], semantics: null }, [sample])).toBe('no-semantics');
    expect(
      compareImport({ ...result(() => ({ refused: true, key: null, keySource: 'sub', roles: [] })), source: 'x' }, [
        sample,
      ]),
    ).toBe('no-plan');
  });
});
