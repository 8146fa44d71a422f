/**
 * Accounts whose table row is easy to get wrong: role names with commas, quotes, newlines, control characters,
 * non-ASCII and characters above U+FFFF (which sort differently by UTF-16 code units than by UTF-8 bytes), no roles,
 * a role granted both by hand and by the mapping, entitlements (never roles), every status, never logged in, two
 * issuers. Written straight through StoreTx, so every store holds exactly these rows.
 */
import type { AccountRecord, Grant, Store } from '../../../src/runtime/index.js';

export const ODD_T0 = '2026-01-01T00:00:00.000Z';
const T1 = '2026-03-01T00:00:00.000Z';
export const ODD_ISSUER = 'https://idp.example.com';
export const OTHER_ISSUER = 'https://other.example.com/\u00e9';

const manual = (name: string, kind: Grant['kind'] = 'role'): Grant => ({
  kind,
  name,
  grantedAt: ODD_T0,
  source: 'manual',
  actor: 'ops',
});
const mapped = (name: string, kind: Grant['kind'] = 'role'): Grant => ({
  kind,
  name,
  grantedAt: ODD_T0,
  source: 'mapping',
  rules: ['roles[0]'],
  mappingDigest: 'd1',
  mappingVersion: 'v1',
});

/** The role names of `odd-1`, as the table shows them: sorted by UTF-16 code units, the duplicate kept. */
export const ODD_ROLES = ['\u0007bell', '"q"', 'a,b', 'admin', 'admin', 'line\nbreak', '\u00e9', '\u{1F600}', '\uFF21'];

function rec(i: number, over: Partial<AccountRecord>): AccountRecord {
  return {
    id: `odd-${i}`,
    issuer: ODD_ISSUER,
    subject: `s${i}`,
    status: 'active',
    profile: { email: `s${i}@example.com` },
    lastSeenClaims: null,
    mappingDigest: 'd1',
    mappingVersion: 'v1',
    lastLoginAt: ODD_T0,
    lastIssuedAt: null,
    createdAt: ODD_T0,
    updatedAt: ODD_T0,
    version: 1,
    ...over,
  };
}

export const ODD_ACCOUNTS: { record: AccountRecord; grants: Grant[] }[] = [
  {
    record: rec(1, { subject: 'jane, "the admin"' }),
    grants: [
      mapped('\uFF21'),
      mapped('\u{1F600}'),
      manual('admin'),
      mapped('admin'),
      mapped('line\nbreak'),
      manual('\u0007bell'),
      mapped('a,b'),
      manual('"q"'),
      mapped('\u00e9'),
      mapped('repo:write', 'entitlement'),
      manual('zz-entitlement', 'entitlement'),
    ],
  },
  { record: rec(2, { subject: 'never\tlogged\u001b[31m', lastLoginAt: null }), grants: [] },
  { record: rec(3, { subject: 'S3', status: 'suspended' }), grants: [manual('x'.repeat(300))] },
  {
    record: rec(4, { subject: '\u00fcber', status: 'deprovisioned', lastLoginAt: T1 }),
    grants: [mapped('entitled-only', 'entitlement')],
  },
  { record: rec(5, { issuer: OTHER_ISSUER, subject: '10' }), grants: [mapped('viewer'), mapped('Viewer')] },
  { record: rec(6, { issuer: OTHER_ISSUER, subject: '9', lastLoginAt: null, createdAt: T1 }), grants: [] },
  { record: rec(7, { subject: '\u{1F600}x' }), grants: [manual(',')] },
];

/** Writes {@link ODD_ACCOUNTS} into an empty store. */
export async function seedOddAccounts(store: Store): Promise<void> {
  await store.transaction(async (tx) => {
    for (const a of ODD_ACCOUNTS) {
      await tx.insertAccount(a.record);
      await tx.replaceGrants(a.record.id, a.grants);
    }
  });
}
