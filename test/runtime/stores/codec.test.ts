/** Store rows are untrusted: every malformed column is a store/corrupt-record with the row and column in its path. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RuntimeError } from '../../../src/runtime/index.js';
import {
  decodeAccountRow,
  decodeAuditRow,
  decodeGrantRow,
  decodeSummaryRow,
  decodeUniqueRow,
  isInstant,
  parseJsonColumn,
  type AccountRow,
  type AuditRow,
  type GrantRow,
} from '../../../src/runtime/stores/codec.js';

const account: AccountRow = {
  id: 'a1',
  issuer: 'i',
  subject: 's',
  status: 'active',
  profile: '{"email":"x@y"}',
  last_seen_claims: null,
  mapping_digest: 'd',
  mapping_version: null,
  last_login_at: null,
  last_issued_at: null,
  created_at: '2026-01-01T00:00:00.000Z',
  updated_at: '2026-01-01T00:00:00.000Z',
  version: 3,
};
const grant: GrantRow = {
  kind: 'role',
  name: 'admin',
  source: 'mapping',
  provenance: '{"rules":["roles[0]"],"mappingDigest":"d","mappingVersion":null}',
  granted_at: '2026-01-01T00:00:00.000Z',
};
const audit: AuditRow = {
  id: 'e1',
  at: '2026-01-01T00:00:00.000Z',
  action: 'created',
  issuer: 'i',
  subject: 's',
  account_id: 'a1',
  actor: 'login',
  data: '{"reason":null,"changes":[{"field":"role","op":"add","name":"admin","rules":["roles[0]"]}],"rules":["roles[0]"],"mapping":{"name":"m","version":null,"digest":"d"}}',
};

function corruptPath(f: () => unknown): string | undefined {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(RuntimeError);
    expect((e as RuntimeError).code).toBe('store/corrupt-record');
    return (e as RuntimeError).position?.path;
  }
  throw new Error('expected store/corrupt-record');
}

describe('decodeAccountRow', () => {
  it('decodes a valid row (bigint-as-string versions from pg too)', () => {
    expect(decodeAccountRow(account)).toMatchObject({ id: 'a1', version: 3, profile: { email: 'x@y' } });
    expect(decodeAccountRow({ ...account, version: '7' }).version).toBe(7);
  });
  const invalid: [string, Partial<AccountRow>, string][] = [
    ['truncated JSON profile', { profile: '{"email":' }, 'accounts/a1/profile'],
    ['array profile', { profile: '[]' }, 'accounts/a1/profile'],
    ['null profile', { profile: null }, 'accounts/a1/profile'],
    ['numeric profile column', { profile: 42 }, 'accounts/a1/profile'],
    ['unknown status', { status: 'root' }, 'accounts/a1/status'],
    ['negative version', { version: -1 }, 'accounts/a1/version'],
    ['fractional version', { version: 1.5 }, 'accounts/a1/version'],
    ['bad instant', { last_login_at: 'soon' }, 'accounts/a1/last_login_at'],
    [
      'snapshot without claims',
      { last_seen_claims: '{"protocol":"oidc","issuer":"i","subject":"s","issuedAt":null}' },
      'accounts/a1/last_seen_claims',
    ],
    ['id not a string', { id: 5 }, 'accounts/?/id'],
    [
      'snapshot with non-string aliases',
      {
        last_seen_claims:
          '{"protocol":"saml","issuer":"i","subject":"s","issuedAt":null,"claims":{},"aliases":{"mail":1}}',
      },
      'accounts/a1/last_seen_claims',
    ],
    [
      'snapshot with a numeric NameID format',
      {
        last_seen_claims:
          '{"protocol":"saml","issuer":"i","subject":"s","issuedAt":null,"claims":{},"subjectFormat":2}',
      },
      'accounts/a1/last_seen_claims',
    ],
  ];
  for (const [name, patch, path] of invalid)
    it(`rejects ${name}`, () => expect(corruptPath(() => decodeAccountRow({ ...account, ...patch }))).toBe(path));
});

describe('decodeGrantRow', () => {
  it('decodes mapping and manual provenance', () => {
    expect(decodeGrantRow(grant, 'a1')).toMatchObject({ source: 'mapping', rules: ['roles[0]'] });
    expect(decodeGrantRow({ ...grant, source: 'manual', provenance: '{"actor":"ops"}' }, 'a1')).toEqual({
      kind: 'role',
      name: 'admin',
      grantedAt: grant.granted_at,
      source: 'manual',
      actor: 'ops',
    });
  });
  const invalid: [string, Partial<GrantRow>][] = [
    ['an unknown kind', { kind: 'group' }],
    ['an unknown source', { source: 'magic' }],
    ['rules not an array', { provenance: '{"rules":"roles[0]","mappingDigest":"d","mappingVersion":null}' }],
    ['a manual actor that is not a string', { source: 'manual', provenance: '{"actor":1}' }],
    ['invalid JSON', { provenance: '{' }],
    ['a mapping provenance that is not an object', { provenance: '["roles[0]"]' }],
    ['a mapping provenance without a digest', { provenance: '{"rules":[],"mappingVersion":null}' }],
    ['a mapping provenance that is a number', { provenance: 7 }],
    ['a granted_at that is not an instant', { granted_at: 'yesterday' }],
  ];
  for (const [name, patch] of invalid)
    it(`rejects ${name}`, () =>
      expect(corruptPath(() => decodeGrantRow({ ...grant, ...patch }, 'a1'))).toMatch(/^grants\/a1\//));
  it('rejects a corrupt provenance every time, also after a valid text was decoded (cache)', () => {
    decodeGrantRow(grant, 'a1');
    for (let i = 0; i < 2; i++) {
      expect(
        corruptPath(() =>
          decodeGrantRow({ ...grant, provenance: '{"rules":[1],"mappingDigest":"d","mappingVersion":null}' }, 'a1'),
        ),
      ).toBe('grants/a1/admin/provenance');
    }
  });
  it('gives every decode of one provenance text its own rules array', () => {
    const a = decodeGrantRow(grant, 'a1');
    const b = decodeGrantRow({ ...grant, name: 'dev' }, 'a2');
    expect(a.source === 'mapping' && b.source === 'mapping').toBe(true);
    if (a.source !== 'mapping' || b.source !== 'mapping') return;
    expect(a.rules).not.toBe(b.rules);
    a.rules.push('mutated');
    expect(decodeGrantRow(grant, 'a1')).toMatchObject({ rules: ['roles[0]'] });
    expect(b.rules).toEqual(['roles[0]']);
  });
});

describe('decodeAuditRow and decodeUniqueRow', () => {
  it('decodes valid rows', () => {
    expect(decodeAuditRow(audit).changes).toHaveLength(1);
    expect(decodeUniqueRow({ account_id: 'a1', field: 'email', value: 'x', verified: 1 }).entry.verified).toBe(true);
  });
  const invalid: [string, Partial<AuditRow>][] = [
    ['an unknown action', { action: 'hacked' }],
    ['changes not an array', { data: '{"reason":null,"changes":{},"rules":[],"mapping":null}' }],
    [
      'a change with an unknown field',
      { data: '{"reason":null,"changes":[{"field":"x","op":"add","name":"n"}],"rules":[],"mapping":null}' },
    ],
    ['a reason without a code', { data: '{"reason":{"message":"m"},"changes":[],"rules":[],"mapping":null}' }],
  ];
  for (const [name, patch] of invalid)
    it(`rejects ${name}`, () =>
      expect(corruptPath(() => decodeAuditRow({ ...audit, ...patch }))).toMatch(/^audit_events\/e1\//));
  it('rejects a non-boolean verified flag', () => {
    expect(corruptPath(() => decodeUniqueRow({ account_id: 'a1', field: 'email', value: 'x', verified: 'yes' }))).toBe(
      'account_unique/a1/verified',
    );
  });
  it('parses JSON objects with a null prototype, so a stored __proto__ stays data', () => {
    const v = parseJsonColumn('{"__proto__":{"polluted":true}}', 'p') as Record<string, unknown>;
    expect(Object.getPrototypeOf(v)).toBeNull();
    expect(Object.keys(v)).toEqual(['__proto__']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
  it('gives nested objects, also inside arrays, a null prototype', () => {
    const v = parseJsonColumn('{"a":[{"__proto__":{"x":1}},[{"b":null}]],"c":{"d":{}}}', 'p') as {
      a: [Record<string, unknown>, Record<string, unknown>[]];
      c: { d: object };
    };
    for (const o of [v.a[0], v.a[1][0]!, v.c, v.c.d]) expect(Object.getPrototypeOf(o)).toBeNull();
    expect(Object.keys(v.a[0])).toEqual(['__proto__']);
    expect(JSON.stringify(v)).toBe('{"a":[{"__proto__":{"x":1}},[{"b":null}]],"c":{"d":{}}}');
  });
});

describe('decodeSummaryRow: role names as SQLite aggregates them (each after a U+0000) or as a PostgreSQL array', () => {
  const row = (roles: unknown) => ['a1', 'https://idp', '00u1', 'active', '2026-01-01T00:00:00.000Z', roles];
  const valid: [string, unknown, string[]][] = [
    ['no role', '', []],
    ['one role', '\u0000admin', ['admin']],
    ['one role named with the empty string', '\u0000', ['']],
    ['an empty name between two', '\u0000a\u0000\u0000b', ['', 'a', 'b']],
    ['names in UTF-8 byte order, sorted by UTF-16 code units', '\u0000\uFF21\u0000\u{1F600}', ['\u{1F600}', '\uFF21']],
    ['names out of order', '\u0000viewer\u0000admin\u0000admin', ['admin', 'admin', 'viewer']],
    [
      'separator-like characters kept in names',
      '\u0000a,b\u0000"q"\u0000\u0001\u001f\u007f\n',
      ['\u0001\u001f\u007f\n', '"q"', 'a,b'],
    ],
    ['a PostgreSQL array', ['viewer', 'admin'], ['admin', 'viewer']],
    ['an empty PostgreSQL array', [], []],
  ];
  for (const [name, stored, roles] of valid)
    it(`decodes ${name}`, () => expect(decodeSummaryRow(row(stored)).roles).toEqual(roles));
  const invalid: [string, unknown][] = [
    ['a NULL aggregate (SQLite found a name with U+0000 or not text)', null],
    ['text not starting with U+0000 (one role split in two otherwise)', 'admin\u0000root'],
    ['a JSON array as text', '["admin"]'],
    ['a number', 42],
    ['an array with a non-string', ['admin', 1]],
    ['an object', { 0: 'admin', length: 1 }],
  ];
  for (const [name, stored] of invalid)
    it(`rejects ${name}`, () => expect(corruptPath(() => decodeSummaryRow(row(stored)))).toBe('grants/a1/name'));
});

describe('isInstant: the canonical form is checked without Date.parse, with the same answer', () => {
  const two = (n: number) => String(n).padStart(2, '0');
  it('every canonical string (years 0000-9999, day 01-31 of every month) is one Date.parse reads (property)', () => {
    // year, month, day (to 31 in every month: Date.parse takes 02-31), hour, minute, second, millisecond
    const fields = [
      [0, 9999, 4],
      [1, 12, 2],
      [1, 31, 2],
      [0, 23, 2],
      [0, 59, 2],
      [0, 59, 2],
      [0, 999, 3],
    ] as const;
    fc.assert(
      fc.property(fc.tuple(...fields.map(([min, max]) => fc.integer({ min, max }))), (values) => {
        const [y, mo, d, h, mi, s, ms] = values.map((v, i) => String(v).padStart(fields[i]![2], '0'));
        const text = `${y}-${mo}-${d}T${h}:${mi}:${s}.${ms}Z`;
        expect(Number.isNaN(Date.parse(text))).toBe(false);
        expect(isInstant(text)).toBe(true);
      }),
      { numRuns: 2000 },
    );
    for (const y of ['0000', '1900', '2024', '2026', '9999'])
      for (let mo = 1; mo <= 12; mo++)
        for (let d = 1; d <= 31; d++) expect(Date.parse(`${y}-${two(mo)}-${two(d)}T23:59:59.999Z`)).not.toBeNaN();
  });
  it('answers as Date.parse for any other text (property), and for texts near the canonical form', () => {
    fc.assert(
      fc.property(fc.string(), (text) => {
        expect(isInstant(text)).toBe(!Number.isNaN(Date.parse(text)));
      }),
      { numRuns: 2000 },
    );
    for (const text of [
      '2026-13-01T00:00:00.000Z',
      '2026-00-01T00:00:00.000Z',
      '2026-01-00T00:00:00.000Z',
      '2026-01-32T00:00:00.000Z',
      '2026-01-01T24:00:00.000Z',
      '2026-01-01T23:60:00.000Z',
      '2026-01-01T23:59:60.000Z',
      '2026-01-01T00:00:00Z',
      '2026-01-01T00:00:00.000+01:00',
      '2026-01-01',
      '+002026-01-01T00:00:00.000Z',
      '2026-01-01T00:00:00.000Z\n',
      'yesterday\u001b[2J',
    ])
      expect(isInstant(text), text).toBe(!Number.isNaN(Date.parse(text)));
  });
});
