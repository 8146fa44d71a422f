import { describe, expect, it } from 'vitest';
import {
  ClaimsError,
  type ClaimsErrorCode,
  type JsonReadOptions,
  detectClaimsFormat,
  fromVerifiedClaims,
  readClaims,
  readJwt,
  readOidcClaims,
} from '../../../src/claims/index.js';

const b64u = (o: unknown) => Buffer.from(typeof o === 'string' ? o : JSON.stringify(o)).toString('base64url');
const jwt = (payload: unknown, header: unknown = { alg: 'RS256' }) => `${b64u(header)}.${b64u(payload)}.c2ln`;
const BASE = '"iss":"https://idp","sub":"u1"';

function codeOf(f: () => unknown): ClaimsErrorCode | 'no error' {
  try {
    f();
    return 'no error';
  } catch (e) {
    if (e instanceof ClaimsError) return e.code;
    throw e;
  }
}

describe('readOidcClaims: refused JSON (invalid table)', () => {
  const cases: [string, string, ClaimsErrorCode, JsonReadOptions?][] = [
    ['empty', '  ', 'input/empty'],
    ['not JSON', '{iss: 1}', 'json/malformed'],
    ['a trailing comma', `{${BASE},}`, 'json/malformed'],
    ['a single-quoted string', `{${BASE},'a':1}`, 'json/malformed'],
    ['a raw control character in a string', `{${BASE},"a":"x\ny"}`, 'json/malformed'],
    ['a bad escape', `{${BASE},"a":"\\x"}`, 'json/malformed'],
    ['a bad unicode escape', `{${BASE},"a":"\\u12"}`, 'json/malformed'],
    ['a leading zero', `{${BASE},"a":01}`, 'json/malformed'],
    ['NaN', `{${BASE},"a":NaN}`, 'json/malformed'],
    ['an unclosed object', `{${BASE}`, 'json/malformed'],
    ['an unclosed string', `{${BASE},"a":"x`, 'json/malformed'],
    ['a duplicate top-level key', `{${BASE},"sub":"u2"}`, 'json/duplicate-key'],
    ['a duplicate __proto__ key', `{${BASE},"__proto__":1,"__proto__":2}`, 'json/duplicate-key'],
    ['a duplicate nested key', `{${BASE},"a":{"b":1,"b":2}}`, 'json/duplicate-key'],
    ['an array at top level', '[1]', 'json/not-an-object'],
    ['a string at top level', '"x"', 'json/not-an-object'],
    ['over maxDepth', `{${BASE},"a":{"b":{"c":{}}}}`, 'json/too-deep', { maxDepth: 3 }],
    ['arrays over maxDepth', `{${BASE},"a":[[[]]]}`, 'json/too-deep', { maxDepth: 3 }],
    ['over maxClaims', `{${BASE},"a":1}`, 'json/too-many-claims', { maxClaims: 2 }],
    ['over maxArrayLength', `{${BASE},"g":[1,2,3]}`, 'json/array-too-long', { maxArrayLength: 2 }],
    [
      'a string over maxStringLength',
      `{${BASE},"a":"${'x'.repeat(20)}"}`,
      'json/string-too-long',
      { maxStringLength: 19 },
    ],
    ['a key over maxStringLength', `{${BASE},"${'k'.repeat(20)}":1}`, 'json/string-too-long', { maxStringLength: 19 }],
    ['over maxBytes', `{${BASE}}`, 'input/too-large', { maxBytes: 10 }],
    ['no iss', '{"sub":"u1"}', 'oidc/missing-issuer'],
    ['a numeric iss', '{"iss":1,"sub":"u1"}', 'oidc/invalid-issuer'],
    ['no sub', '{"iss":"x"}', 'oidc/missing-subject'],
    ['a null sub', '{"iss":"x","sub":null}', 'oidc/invalid-subject'],
    ['an array sub', '{"iss":"x","sub":["a"]}', 'oidc/invalid-subject'],
    ['_claim_names not an object', `{${BASE},"_claim_names":"groups"}`, 'oidc/invalid-distributed-claims'],
    [
      '_claim_names with a non-string source',
      `{${BASE},"_claim_names":{"groups":1}}`,
      'oidc/invalid-distributed-claims',
    ],
  ];
  it.each(cases)('%s', (_name, text, code, options) => {
    expect(codeOf(() => readOidcClaims(text, options))).toBe(code);
  });

  it('reports the offset and the JSON pointer of a duplicate key', () => {
    try {
      readOidcClaims('{"iss":"x",\n "sub":"a", "sub":"b"}');
      expect.unreachable();
    } catch (e) {
      expect((e as ClaimsError).position).toEqual({ offset: 24, line: 2, column: 13, path: '/sub' });
    }
  });
});

describe('readOidcClaims: accepted JSON', () => {
  it('keeps JSON values exactly and builds null-prototype objects at every level', () => {
    const cs = readOidcClaims(
      `{${BASE},"n":1.5e2,"s":"\\u00e9\\n","b":false,"z":null,"o":{"__proto__":{"polluted":true}},"a":[{"k":"v"}]}`,
    );
    expect(cs.claims.n).toBe(150);
    expect(cs.claims.s).toBe('é\n');
    expect(cs.claims.z).toBe(null);
    expect(Object.getPrototypeOf(cs.claims)).toBe(null);
    const o = cs.claims.o as Record<string, unknown>;
    expect(Object.getPrototypeOf(o)).toBe(null);
    expect(Object.keys(o)).toEqual(['__proto__']);
    expect(Object.getPrototypeOf((cs.claims.a as Record<string, unknown>[])[0])).toBe(null);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('never pollutes Object.prototype, whatever the keys', () => {
    readOidcClaims(`{${BASE},"__proto__":{"isAdmin":true},"constructor":{"prototype":{"isAdmin":true}}}`);
    fromVerifiedClaims(JSON.parse(`{${BASE},"__proto__":{"isAdmin":true}}`) as object);
    expect(({} as Record<string, unknown>).isAdmin).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty('isAdmin');
  });

  it('subject is sub, issuer is iss, issuedAt from iat; verified false', () => {
    const cs = readOidcClaims(`{${BASE},"iat":1700000000}`);
    expect(cs).toMatchObject({
      protocol: 'oidc',
      issuer: 'https://idp',
      subject: { id: 'u1' },
      issuedAt: '2023-11-14T22:13:20.000Z',
      verified: false,
    });
  });

  it.each([
    ['"true"', 'true', ['oidc/email-verified-not-boolean']],
    ['1', 1, ['oidc/email-verified-not-boolean']],
    ['null', null, ['oidc/email-verified-not-boolean']],
    ['true', true, []],
    ['false', false, []],
  ] as const)(
    'email_verified %s is kept as %s, and only JSON true counts (a warning otherwise)',
    (raw, expected, warnings) => {
      const cs = readOidcClaims(`{${BASE},"email_verified":${raw}}`);
      expect(cs.claims.email_verified).toBe(expected);
      expect(cs.warnings?.map((w) => w.code)).toEqual(warnings);
    },
  );

  it('marks Entra ID group overage and other distributed claims indeterminate, never empty', () => {
    const over = readOidcClaims(
      `{${BASE},"_claim_names":{"groups":"src1","roles":"src1"},"_claim_sources":{"src1":{"endpoint":"https://graph"}}}`,
    );
    expect(over.indeterminate).toEqual(['groups', 'roles']);
    expect(over.claims.groups).toBeUndefined();
    expect(over.warnings?.map((w) => w.code)).toEqual(['oidc/group-overage', 'oidc/distributed-claim']);
    const implicit = readOidcClaims(`{${BASE},"hasgroups":true}`);
    expect(implicit.indeterminate).toEqual(['groups']);
    expect(readOidcClaims(`{${BASE},"hasgroups":false}`).indeterminate).toBeUndefined();
  });

  it('warns about an iat that is not a NumericDate', () => {
    const cs = readOidcClaims(`{${BASE},"iat":"yesterday"}`);
    expect(cs.issuedAt).toBeUndefined();
    expect(cs.warnings?.map((w) => w.code)).toEqual(['oidc/invalid-iat']);
  });

  it('reads bytes and an already-parsed object the same way as text', () => {
    const text = `{${BASE},"g":["a"]}`;
    const a = readOidcClaims(text);
    expect(readOidcClaims(Buffer.from(`\uFEFF${text}`))).toEqual(a);
    expect(readOidcClaims({ iss: 'https://idp', sub: 'u1', g: ['a'] })).toEqual(a);
  });
});

describe('fromVerifiedClaims', () => {
  it('copies into null-prototype JSON and marks the claim set verified', () => {
    const payload = { iss: 'https://idp', sub: 'u1', nested: { roles: ['r'] } };
    const cs = fromVerifiedClaims(payload);
    expect(cs.verified).toBe(true);
    expect(Object.getPrototypeOf(cs.claims.nested)).toBe(null);
    (payload.nested.roles as string[]).push('mutated');
    expect(cs.claims.nested).toEqual(Object.assign(Object.create(null), { roles: ['r'] }));
  });

  const cyclic: Record<string, unknown> = { iss: 'i', sub: 's' };
  cyclic.self = cyclic;
  it.each([
    ['a function', { iss: 'i', sub: 's', f: () => 1 }, 'json/invalid-value'],
    ['undefined', { iss: 'i', sub: 's', u: undefined }, 'json/invalid-value'],
    ['NaN', { iss: 'i', sub: 's', n: Number.NaN }, 'json/invalid-value'],
    ['a bigint', { iss: 'i', sub: 's', b: 1n }, 'json/invalid-value'],
    ['a Date', { iss: 'i', sub: 's', d: new Date(0) }, 'json/invalid-value'],
    ['a cycle', cyclic, 'json/invalid-value'],
    ['an array payload', [1], 'json/not-an-object'],
    ['too deep', { iss: 'i', sub: 's', a: { b: { c: {} } } }, 'json/too-deep'],
    ['no sub', { iss: 'i' }, 'oidc/missing-subject'],
  ] as const)('refuses %s', (_name, payload, code) => {
    expect(codeOf(() => fromVerifiedClaims(payload as object, { maxDepth: 3 }))).toBe(code);
  });

  it('accepts the same object twice in a tree (shared, not cyclic)', () => {
    const shared = ['a'];
    expect(fromVerifiedClaims({ iss: 'i', sub: 's', x: shared, y: shared }).claims.y).toEqual(['a']);
  });
});

describe('readJwt', () => {
  it('decodes the payload, never verifies, and trims surrounding whitespace', () => {
    const cs = readJwt(`\n ${jwt({ iss: 'https://idp', sub: 'u1', groups: ['g'] })}\n`);
    expect(cs).toMatchObject({ protocol: 'oidc', subject: { id: 'u1' }, verified: false });
    expect(cs.claims.groups).toEqual(['g']);
  });

  it('warns that an alg "none" token was never signed', () => {
    const cs = readJwt(`${b64u({ alg: 'none' })}.${b64u({ iss: 'i', sub: 's' })}.`);
    expect(cs.warnings?.map((w) => w.code)).toEqual(['jwt/unsecured']);
  });

  it.each([
    ['five parts (JWE)', 'a.b.c.d.e', 'jwt/encrypted'],
    ['an enc header', jwt({ iss: 'i', sub: 's' }, { alg: 'dir', enc: 'A256GCM' }), 'jwt/encrypted'],
    ['two parts', 'a.b', 'jwt/malformed'],
    ['four parts', 'a.b.c.d', 'jwt/malformed'],
    ['an empty payload', `${b64u({ alg: 'RS256' })}..c2ln`, 'jwt/malformed'],
    ['a header that is not base64url', `a+b.${b64u({})}.c`, 'jwt/invalid-base64url'],
    [
      'a signature that is not base64url',
      `${b64u({ alg: 'RS256' })}.${b64u({ iss: 'i', sub: 's' })}.a/b`,
      'jwt/invalid-base64url',
    ],
    ['a header that is not JSON', `${b64u('nope')}.${b64u({})}.c`, 'json/malformed'],
    ['a header without alg', jwt({ iss: 'i', sub: 's' }, { typ: 'JWT' }), 'jwt/invalid-header'],
    [
      'a payload with a duplicate sub',
      `${b64u({ alg: 'RS256' })}.${b64u('{"iss":"i","sub":"a","sub":"b"}')}.c`,
      'json/duplicate-key',
    ],
    [
      'a payload that is not UTF-8',
      `${b64u({ alg: 'RS256' })}.${Buffer.from([0x7b, 0xff, 0x7d]).toString('base64url')}.c`,
      'input/invalid-utf8',
    ],
    ['an empty token', ' ', 'input/empty'],
  ] as const)('refuses %s', (_name, token, code) => {
    expect(codeOf(() => readJwt(token))).toBe(code);
  });

  describe('nested JWTs (cty "JWT", RFC 7519 5.2)', () => {
    const inner = jwt({ iss: 'https://idp', sub: 'inner', groups: ['g'] });
    const wrap = (token: string, cty = 'JWT', alg = 'RS256') => `${b64u({ alg, cty })}.${b64u(token)}.c2ln`;

    it.each([
      ['cty "JWT"', wrap(inner)],
      ['cty "application/jwt"', wrap(inner, 'application/jwt')],
      ['cty "jwt", any case', wrap(inner, 'jwt')],
    ])('reads the claims of the inner token: %s', (_name, token) => {
      const cs = readJwt(token);
      expect(cs).toMatchObject({ subject: { id: 'inner' }, verified: false });
      expect(cs.warnings?.map((w) => w.code)).toEqual(['jwt/nested']);
    });

    it('unwraps two levels and reports an unsecured level', () => {
      const cs = readJwt(wrap(wrap(inner), 'JWT', 'none'));
      expect(cs.subject.id).toBe('inner');
      expect(cs.warnings?.map((w) => w.code)).toEqual(['jwt/nested', 'jwt/unsecured']);
      expect(cs.warnings?.[0]?.message).toMatch(/2 levels/);
    });

    it.each([
      ['three levels', wrap(wrap(wrap(inner))), 'jwt/nested-too-deep'],
      ['an inner JWE', wrap('a.b.c.d.e'), 'jwt/encrypted'],
      ['an inner token that is not a JWT', wrap('{"iss":"i","sub":"s"}'), 'jwt/malformed'],
      [
        'an inner token with a duplicate sub',
        wrap(`${b64u({ alg: 'RS256' })}.${b64u('{"iss":"i","sub":"a","sub":"b"}')}.c`),
        'json/duplicate-key',
      ],
      ['a cty that is not JWT: the payload must be claims', wrap(inner, 'text/plain'), 'json/malformed'],
    ] as const)('refuses %s', (_name, token, code) => {
      expect(codeOf(() => readJwt(token))).toBe(code);
    });
  });
});

describe('readClaims detection', () => {
  it.each([
    ['<a/>', 'saml'],
    ['  \n<?xml version="1.0"?><a/>', 'saml'],
    ['PHNhbWxwOlJlc3BvbnNlLz4=', 'saml'],
    ['{"sub":"1"}', 'json'],
    ['[]', 'json'],
    ['eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxIn0.c2ln\n', 'jwt'],
  ] as const)('%s is %s', (input, format) => {
    expect(detectClaimsFormat(input)).toBe(format);
    expect(detectClaimsFormat(Buffer.from(input))).toBe(format);
  });

  it('refuses what it cannot tell apart, and honours `as`', () => {
    expect(codeOf(() => readClaims('hello, world'))).toBe('input/unrecognized');
    expect(codeOf(() => readClaims('', {}))).toBe('input/empty');
    expect(codeOf(() => readClaims('{"iss":"i","sub":"s"}', { as: 'jwt' }))).toBe('jwt/malformed');
    expect(readClaims('{"iss":"i","sub":"s"}', { as: 'json' }).protocol).toBe('oidc');
    expect(() => readClaims('{}', { as: 'xml' as 'saml' })).toThrow(TypeError);
  });

  it('applies maxBytes before detection, in UTF-8 bytes', () => {
    expect(codeOf(() => readClaims('x'.repeat(100), { maxBytes: 10 }))).toBe('input/too-large');
    expect(codeOf(() => readClaims('é'.repeat(6), { maxBytes: 10 }))).toBe('input/too-large');
  });

  it.each([-1, 0, 1.5, Number.NaN])(
    'refuses maxBytes %s as a caller mistake (TypeError), not as bad input',
    (maxBytes) => {
      expect(() => readClaims('{"iss":"i","sub":"s"}', { maxBytes })).toThrow(TypeError);
    },
  );
});
