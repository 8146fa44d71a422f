import { describe, expect, it } from 'vitest';
import type { ClaimSet } from '../../../src/model/claim-set.js';
import type { Plan } from '../../../src/model/plan.js';
import { decideScimGrants, withClaim } from '../../../src/runtime/scim/evaluate-groups.js';
import type { Account } from '../../../src/runtime/types.js';
import { ISSUER, T0, makeClaims, makePlan } from '../fixtures.js';

const loc = { line: 1, column: 1 };

function account(over: Partial<Account> = {}): Account {
  return {
    id: 'a1',
    issuer: ISSUER,
    subject: '00u1',
    status: 'active',
    profile: {},
    grants: [],
    lastSeenClaims: null,
    mappingDigest: null,
    mappingVersion: null,
    lastLoginAt: null,
    lastIssuedAt: null,
    createdAt: T0,
    updatedAt: T0,
    version: 1,
    ...over,
  };
}

describe('withClaim', () => {
  it('replaces an OIDC claim at its nested path without touching the input', () => {
    const base = makePlan();
    const plan: Plan = {
      ...base,
      claims: base.claims.map((c) => (c.name === 'groups' ? { ...c, source: ['realm_access', 'roles'] } : c)),
    };
    const cs = makeClaims({ extra: { realm_access: { roles: ['admins'], other: 1 } } });
    const out = withClaim(plan, cs, 'groups', ['eng']);
    expect(out.claims.realm_access).toEqual({ roles: ['eng'], other: 1 });
    expect((cs.claims.realm_access as { roles: string[] }).roles).toEqual(['admins']);
  });

  it('replaces a SAML attribute, drops an alias of that name and its indeterminate mark', () => {
    const plan: Plan = { ...makePlan(), idp: { protocol: 'saml', issuer: ISSUER, aliases: [] } };
    const cs: ClaimSet = {
      protocol: 'saml',
      issuer: ISSUER,
      subject: { id: '00u1' },
      claims: { 'http://schemas/groups': ['admins'] },
      aliases: { groups: 'http://schemas/groups' },
      indeterminate: ['groups'],
      verified: true,
    };
    const out = withClaim(plan, cs, 'groups', ['eng']);
    expect(out.claims.groups).toEqual(['eng']);
    expect(out.aliases).toEqual({});
    expect(out.indeterminate).toEqual([]);
  });

  it('leaves the claim set as it is for an undeclared claim', () => {
    const cs = makeClaims();
    expect(withClaim(makePlan(), cs, 'nope', ['x'])).toBe(cs);
  });
});

describe('decideScimGrants', () => {
  it('grants from the SCIM groups alone for a pre-provisioned account (no snapshot, required claims not needed)', () => {
    const d = decideScimGrants(makePlan(), account(), 'groups', ['admins', 'eng']);
    expect(d.roles).toEqual(['admin', 'dev']);
    expect(d.entitlements).toEqual(['repo:write']);
  });

  it('fails closed: a deny on an absent claim fires, a grant needing it does not', () => {
    const base = makePlan();
    const plan: Plan = {
      ...base,
      roles: {
        ...base.roles,
        rules: [
          ...base.roles.rules,
          {
            id: 'roles[2]',
            effect: 'deny',
            target: 'dev',
            when: { op: 'ne', claim: 'department', value: 'R&D' },
            text: '',
            loc,
          },
        ],
      },
    };
    expect(decideScimGrants(plan, account(), 'groups', ['eng']).roles).toEqual([]);
    const seen = account({
      lastSeenClaims: {
        protocol: 'oidc',
        issuer: ISSUER,
        subject: '00u1',
        issuedAt: null,
        claims: { department: 'R&D' },
      },
    });
    expect(decideScimGrants(plan, seen, 'groups', ['eng']).roles).toEqual(['dev']);
  });
});
