/**
 * fast-check properties: no input string or byte sequence makes a reader throw anything but ClaimsError, reading is
 * deterministic, the strict JSON parser agrees with JSON.parse on valid JSON, and SAML value order is kept.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ClaimsError, readClaims, readJwt, readOidcClaims, readSaml } from '../../src/claims/index.js';
import { parseJsonObject } from '../../src/claims/json/parse-json.js';
import { jsonLimits } from '../../src/claims/options.js';
import { FIXTURES, FIXTURE_ROOT } from './fixture-list.js';

const READERS = { readSaml, readJwt, readOidcClaims, readClaims } as const;

/** The outcome of one read, as comparable data; anything but a ClaimsError is rethrown (and fails the property). */
function outcome(read: (i: string | Uint8Array) => unknown, input: string | Uint8Array): string {
  try {
    return JSON.stringify(read(input));
  } catch (e) {
    if (e instanceof ClaimsError) return `error ${e.code} ${JSON.stringify(e.position)}`;
    throw e;
  }
}

const xmlFixtures = FIXTURES.filter((f) => f.startsWith('saml/') && f.endsWith('.xml')).map((f) =>
  readFileSync(join(FIXTURE_ROOT, f), 'utf8'),
);

/** Valid fixtures with random edits: splices of markup-heavy fragments at random places. */
const mutatedXml = fc
  .tuple(
    fc.constantFrom(...xmlFixtures),
    fc.array(
      fc.tuple(
        fc.nat(),
        fc.nat({ max: 20 }),
        fc.oneof(
          fc.string({ maxLength: 8 }),
          fc.constantFrom(
            '<',
            '>',
            '&',
            '&amp;',
            '<!--',
            '-->',
            '<![CDATA[',
            ']]>',
            '"',
            "'",
            '<!DOCTYPE x>',
            'xmlns:saml="urn:x"',
            '</saml:Assertion>',
            '<saml:Assertion>',
            '&#0;',
            '\uD800',
            'xsi:nil="true"',
          ),
        ),
      ),
      { maxLength: 4 },
    ),
  )
  .map(([xml, edits]) => {
    let s = xml;
    for (const [at, del, ins] of edits) {
      const i = at % (s.length + 1);
      s = s.slice(0, i) + ins + s.slice(i + del);
    }
    return s;
  });

const PARAMS = { numRuns: Number(process.env.FC_RUNS ?? 300) };

describe('no input makes a reader throw anything but ClaimsError', () => {
  for (const [name, read] of Object.entries(READERS)) {
    it(`${name}: any string`, () => {
      fc.assert(
        fc.property(fc.string({ unit: 'binary', maxLength: 200 }), (s) => void outcome(read, s)),
        PARAMS,
      );
    });
    it(`${name}: any bytes`, () => {
      fc.assert(
        fc.property(fc.uint8Array({ maxLength: 200 }), (b) => void outcome(read, b)),
        PARAMS,
      );
    });
  }
  it('readSaml and readClaims: mutated real-world XML', () => {
    fc.assert(
      fc.property(mutatedXml, (s) => {
        outcome(readSaml, s);
        outcome(readClaims, Buffer.from(s));
      }),
      PARAMS,
    );
  });
  it('readSaml: mutated XML sent as base64', () => {
    fc.assert(
      fc.property(mutatedXml, (s) => void outcome(readSaml, Buffer.from(s).toString('base64'))),
      { numRuns: 100 },
    );
  });
  it('readOidcClaims and readJwt: arbitrary JSON', () => {
    fc.assert(
      fc.property(fc.json({ maxDepth: 4 }), (j) => {
        outcome(readOidcClaims, j);
        outcome(
          readJwt,
          `${Buffer.from('{"alg":"RS256"}').toString('base64url')}.${Buffer.from(j).toString('base64url')}.c2ln`,
        );
      }),
      PARAMS,
    );
  });
});

describe('reading is deterministic', () => {
  it('same input, same outcome (claims or error), for every reader', () => {
    fc.assert(
      fc.property(fc.oneof(mutatedXml, fc.json({ maxDepth: 3 }), fc.string({ maxLength: 100 })), (s) => {
        for (const read of Object.values(READERS)) expect(outcome(read, s)).toBe(outcome(read, s));
      }),
      PARAMS,
    );
  });
});

describe('strict JSON parser', () => {
  const limits = jsonLimits({ maxDepth: 64 });
  it('agrees with JSON.parse on every valid JSON object without duplicate keys', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue({ maxDepth: 4 })), (obj) => {
        const text = JSON.stringify(obj);
        expect(JSON.stringify(parseJsonObject(text, limits, 'x'))).toBe(JSON.stringify(JSON.parse(text)));
      }),
      PARAMS,
    );
  });
  it('refuses what JSON.parse refuses', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), (s) => {
        const text = `{"a":${s}}`;
        let native = true;
        try {
          JSON.parse(text);
        } catch {
          native = false;
        }
        if (!native) expect(() => parseJsonObject(text, limits, 'x')).toThrow(ClaimsError);
      }),
      PARAMS,
    );
  });
});

describe('SAML values keep document order', () => {
  it('any list of values reads back in the same order, duplicates kept', () => {
    const value = fc.string({ unit: fc.constantFrom('a', 'b', ' ', '&', '<', 'é', '0'), maxLength: 6 });
    fc.assert(
      fc.property(fc.array(value, { maxLength: 12 }), (values) => {
        const esc = (v: string) => v.replace(/&/g, '&amp;').replace(/</g, '&lt;');
        const xml = `<saml:Assertion xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion"><saml:Issuer>i</saml:Issuer><saml:Subject><saml:NameID>n</saml:NameID></saml:Subject><saml:AttributeStatement><saml:Attribute Name="v">${values.map((v) => `<saml:AttributeValue>${esc(v)}</saml:AttributeValue>`).join('')}</saml:Attribute></saml:AttributeStatement></saml:Assertion>`;
        expect(readSaml(xml).claims.v).toEqual(values);
      }),
      PARAMS,
    );
  });
});
