/**
 * Differential harness against a real signature verifier: an IdP key signs the attacker's own Assertion, an attack
 * generator mutates the signed Response (XML signature wrapping, name-character tricks, namespace redefinition,
 * comments, CDATA, processing instructions, character references, line separators), and @node-saml/node-saml
 * (xmldom + xml-crypto) verifies each result. Whenever node-saml accepts, claimmap must read the subject, issuer and
 * attributes node-saml verified, or refuse with a ClaimsError: `readSaml(body)` and
 * `fromVerifiedSamlXml(profile.getAssertionXml())` alike. `fromVerifiedSamlXml(body)` is always refused.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ClaimsError,
  type ClaimSet,
  type ClaimsErrorCode,
  fromVerifiedSamlXml,
  readSaml,
} from '../../../src/claims/index.js';
import {
  A,
  type Identity,
  type Verified,
  assertionXml,
  nodeSamlVerify,
  responseXml,
  signAssertion,
} from './signed-saml.js';

const DS = 'http://www.w3.org/2000/09/xmldsig#';
const MALLORY: Identity = {
  nameId: 'mallory@example.com',
  attributes: { groups: ['users'], note: ['line one\nline two'] },
};
const VICTIM: Identity = { nameId: 'victim@example.com', attributes: { groups: ['admins'] } };

/** Characters JavaScript's `\s` matches (what fast-xml-parser splits names on), computed, not listed. */
const JS_SPACES = Array.from({ length: 0x10000 }, (_, c) => String.fromCharCode(c)).filter((ch) => /\s/.test(ch));
/** Of those, the ones XML 1.0 allows in names (today U+1680 and U+FEFF). */
const NAME_SPACES = JS_SPACES.filter((ch) =>
  /^[A-Za-z_\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u02FF\u0370-\u037D\u037F-\u1FFF\u200C-\u200D\u2070-\u218F\u2C00-\u2FEF\u3001-\uD7FF\uF900-\uFDCF\uFDF0-\uFFFD]$/.test(
    ch,
  ),
);

type Outcome = ClaimSet | ClaimsErrorCode;
function attempt(f: () => ClaimSet): Outcome {
  try {
    return f();
  } catch (e) {
    if (e instanceof ClaimsError) return e.code;
    throw e;
  }
}

/** node-saml's attribute values as lists (one value is a string, several an array). */
function profileClaims(v: Verified): Record<string, unknown[]> {
  const out: Record<string, unknown[]> = {};
  for (const [k, val] of Object.entries(v.attributes)) out[k] = Array.isArray(val) ? val : [val];
  return out;
}

/** The invariant: claimmap reads exactly what node-saml verified, or refuses. */
function expectSameOrRefused(outcome: Outcome, v: Verified, label: string): void {
  if (typeof outcome === 'string') return;
  expect({ issuer: outcome.issuer, subject: outcome.subject.id, claims: { ...outcome.claims } }, label).toEqual({
    issuer: v.issuer,
    subject: v.nameID,
    claims: profileClaims(v),
  });
}

/** Checks one Response end to end and returns what node-saml and readSaml did. */
async function check(body: string): Promise<{ verified: Verified | undefined; read: Outcome }> {
  const verified = await nodeSamlVerify(body);
  const read = attempt(() => readSaml(body));
  expect(
    attempt(() => fromVerifiedSamlXml(body)),
    'fromVerifiedSamlXml(body)',
  ).toBeTypeOf('string');
  if (verified !== undefined) {
    expectSameOrRefused(read, verified, 'readSaml(body)');
    expectSameOrRefused(
      attempt(() => fromVerifiedSamlXml(verified.assertionXml)),
      verified,
      'fromVerifiedSamlXml(profile.getAssertionXml())',
    );
  }
  return { verified, read };
}

const signed = signAssertion(assertionXml(MALLORY));
/** The victim's Assertion, unsigned, with its own ID. */
const forged = assertionXml(VICTIM, '_forged');
/** The signed Assertion's start tag up to its namespace declaration, where c14n-invisible declarations can go. */
const SIGNED_NS = `xmlns:saml="${A}"`;

describe('the harness itself', () => {
  it('node-saml accepts the signed Response and claimmap reads the same', async () => {
    const { verified, read } = await check(responseXml(signed));
    expect(verified?.nameID).toBe('mallory@example.com');
    expect(typeof read === 'string' ? read : read.subject.id).toBe('mallory@example.com');
    expect(fromVerifiedSamlXml(verified!.assertionXml).verified).toBe(true);
  });

  it('node-saml refuses a forged Assertion and a tampered signed one', async () => {
    expect((await check(responseXml(forged))).verified).toBeUndefined();
    expect((await check(responseXml(signed.replace('mallory@', 'victim@')))).verified).toBeUndefined();
  });

  it('knows which white-space characters XML allows in names', () => {
    expect(NAME_SPACES.map((c) => c.charCodeAt(0).toString(16))).toEqual(['1680', 'feff']);
  });
});

/**
 * Named attacks, each built from the attacker's own signed Assertion, with the code claimmap refuses it with and
 * whether node-saml (which verifies the signature) accepts it. Every one of the node-saml-accepted attacks here made
 * claimmap read the victim (or another subject or attribute set) before the fix.
 */
const ATTACKS: [name: string, body: string, nodeSamlAccepts: boolean, code: ClaimsErrorCode][] = [
  ...NAME_SPACES.flatMap((c): [string, string, boolean, ClaimsErrorCode][] => {
    const u = `u${c.charCodeAt(0).toString(16)}`;
    // An unused namespace declaration is invisible to exclusive c14n: the signature still verifies.
    const hideSigned = signed.replace(SIGNED_NS, `${SIGNED_NS} xmlns:saml${c}="urn:evil"`);
    return [
      [
        `signed-assertion.xmlns-saml-${u}.rebinds-prefix + forged Assertion-${u}`,
        responseXml(hideSigned + forged.replace(/saml:Assertion/g, `saml:Assertion${c}`)),
        true,
        'saml/ambiguous-xml',
      ],
      [
        `forged Assertion-${u} beside the signed one`,
        responseXml(signed + forged.replace(/saml:Assertion/g, `saml:Assertion${c}`)),
        true,
        'saml/ambiguous-xml',
      ],
      [
        `forged NameID-${u} in an Extensions Assertion`,
        responseXml(
          signed,
          `<samlp:Extensions>${forged.replace(/saml:NameID/g, `saml:NameID${c}`)}</samlp:Extensions>`,
        ),
        true,
        'saml/ambiguous-xml',
      ],
      [
        `signed NameID.xmlns-saml-${u}.drops-subject`,
        responseXml(signed.replace('<saml:NameID ', `<saml:NameID xmlns:saml${c}="urn:evil" `)),
        true,
        'saml/ambiguous-xml',
      ],
      [
        `signed Attribute.xmlns-saml-${u}.drops-attribute`,
        responseXml(signed.replace('<saml:Attribute ', `<saml:Attribute xmlns:saml${c}="urn:evil" `)),
        true,
        'saml/ambiguous-xml',
      ],
      [
        `Status.attribute Name-${u}`,
        responseXml(signed).replace('<samlp:StatusCode ', `<samlp:StatusCode Name${c}="x" `),
        true,
        'saml/ambiguous-xml',
      ],
      [
        `Response.PI target-${u}`,
        responseXml(signed).replace('<samlp:Status>', `<?pi${c} x?><samlp:Status>`),
        true,
        'saml/ambiguous-xml',
      ],
    ];
  }),
  // xmldom (0.8 under node-saml) reads U+2028 and U+0085 as LF, so the signed LF may be rewritten as either; xmldom
  // 0.9 also reads U+2029 as LF. node-saml itself turns CR U+0085 into two line feeds, which breaks the digest.
  ...(
    [
      ['\u2028', true],
      ['\u0085', true],
      ['\u2029', false],
      ['\r\u0085', false],
    ] as const
  ).map(([sep, accepted]): [string, string, boolean, ClaimsErrorCode] => [
    `signed value line end rewritten as ${[...sep].map((c) => `U+${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`).join(' ')}`,
    responseXml(signed.replace('line one\nline two', `line one${sep}line two`)),
    accepted,
    'saml/ambiguous-xml',
  ]),
  [
    'PI with an unclosed quote hides the signed Assertion from fast-xml-parser',
    responseXml(`<?pi "?>${signed}<?pi "?>`, `<samlp:Extensions>${forged}</samlp:Extensions>`),
    true, // the PIs are outside the signed Assertion, and node-saml only counts Assertions that are Response children
    'saml/ambiguous-xml',
  ],
  [
    'PI with an unclosed quote in the Response prolog',
    responseXml(signed).replace('<samlp:Status>', `<?x '?><samlp:Status>`),
    true,
    'saml/ambiguous-xml',
  ],
  [
    'malformed XML declaration that fast-xml-parser reads past',
    `<?xml version="1.0" encoding="?>${responseXml(signed)}"?><a/>`,
    false,
    'saml/malformed-xml',
  ],
  ['XML declaration without a version', `<?xml encoding="UTF-8"?>${responseXml(signed)}`, true, 'saml/malformed-xml'],
  [
    'XML declaration with standalone before encoding',
    `<?xml version="1.0" standalone="yes" encoding="UTF-8"?>${responseXml(signed)}`,
    true,
    'saml/malformed-xml',
  ],
  [
    'XML declaration with mismatched quotes',
    `<?xml version="1.0' encoding="UTF-8"?>${responseXml(signed)}`,
    true,
    'saml/malformed-xml',
  ],
  [
    'two Status elements, the second a failure',
    responseXml(signed).replace(
      '</samlp:Status>',
      '</samlp:Status><samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Responder"/></samlp:Status>',
    ),
    true,
    'saml/duplicate-element',
  ],
  [
    'two Status elements, the first a failure',
    responseXml(signed).replace(
      '<samlp:Status>',
      '<samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Responder"/></samlp:Status><samlp:Status>',
    ),
    true,
    'saml/duplicate-element',
  ],
  [
    'forged Assertion in Extensions',
    responseXml(signed, `<samlp:Extensions>${forged}</samlp:Extensions>`),
    true,
    'saml/multiple-assertions',
  ],
  [
    'forged Assertion in the signed Signature Object',
    responseXml(signed.replace('</Signature>', `<Object>${forged}</Object></Signature>`)),
    true,
    'saml/multiple-assertions',
  ],
  [
    'forged Assertion in the signed Assertion Advice',
    responseXml(signed.replace('</saml:Subject>', `</saml:Subject><saml:Advice>${forged}</saml:Advice>`)),
    false,
    'saml/multiple-assertions',
  ],
  [
    'signed Assertion in a wrapper, forged one in its place',
    responseXml(forged, `<samlp:Extensions>${signed}</samlp:Extensions>`),
    false,
    'saml/multiple-assertions',
  ],
  [
    'Response in Response',
    responseXml(signed).replace('</samlp:Response>', `${responseXml(forged)}</samlp:Response>`),
    true,
    'saml/multiple-assertions',
  ],
];

describe('named attacks on a signed Response', () => {
  it.each(ATTACKS)('%s', async (_name, body, nodeSamlAccepts, code) => {
    const { verified, read } = await check(body);
    expect(verified !== undefined, 'node-saml accepts').toBe(nodeSamlAccepts);
    if (verified !== undefined) expect(verified.nameID).toBe('mallory@example.com');
    expect(read).toBe(code);
  });

  it('has a name-character attack for every XML name character JavaScript reads as white space', () => {
    expect(ATTACKS.filter(([n]) => n.includes('ufeff')).length).toBeGreaterThanOrEqual(7);
    expect(ATTACKS.filter(([n]) => n.includes('u1680')).length).toBeGreaterThanOrEqual(7);
  });
});

describe('text tricks that keep the signature valid are read as the verifier reads them', () => {
  const cases: [string, string, string][] = [
    ['comment inside the NameID', 'mallory@example.com', 'mallory@example<!---->.com'],
    ['CDATA inside the NameID', 'mallory@example.com', 'mallory@<![CDATA[example]]>.com'],
    ['character references inside the NameID', 'mallory@example.com', '&#109;allory&#x40;example.com'],
    ['CRLF for LF in a value', 'line one\nline two', 'line one\r\nline two'],
    ['CR for LF in a value', 'line one\nline two', 'line one\rline two'],
  ];
  it.each(cases)('%s', async (_name, from, to) => {
    const { verified, read } = await check(responseXml(signed.replace(from, to)));
    expect(verified?.nameID).toBe('mallory@example.com');
    expect(typeof read === 'string' ? read : read.subject.id).toBe('mallory@example.com');
  });
});

describe('values an IdP may sign are read as node-saml reads them, through both safe calls', () => {
  // Written into the signed XML as is (they are XML already): references, white space, markup characters.
  it.each([
    'a&#13;b',
    'a&#13;\nb',
    'a\r\nb',
    'a\tb',
    'a&#9;b',
    ' x ',
    'a&gt;b',
    'a]]&gt;b',
    'a&amp;lt;b',
    '&#x1F600;',
    'a&#xFEFF;b',
    '\uFEFFa',
  ])('%j', async (value) => {
    const xml = assertionXml({ nameId: `n${value}`, attributes: { g: [value] } }).replace(/&amp;/g, '&');
    const { verified, read } = await check(responseXml(signAssertion(xml)));
    expect(verified, 'node-saml accepts').toBeDefined();
    expect(typeof read === 'string' ? read : read.subject.id).toBe(verified!.nameID);
    const fromVerified = fromVerifiedSamlXml(verified!.assertionXml);
    expect([fromVerified.subject.id, fromVerified.claims.g]).toEqual([verified!.nameID, [verified!.attributes.g]]);
  });
});

/** One mutation of the Response text. */
type Mutation = (xml: string) => string;

/** A mutation that fast-check prints by what it does (counterexamples then read as a list of attacks). */
function labeled(label: string, f: Mutation): Mutation {
  return Object.assign(f, { [fc.toStringMethod]: () => JSON.stringify(label) });
}

const at = (pos: number, xml: string, insert: string): string => {
  // Insert at a '<' (between two pieces of markup) so that the result stays close to well-formed.
  const lts: number[] = [];
  for (let i = xml.indexOf('<', 1); i !== -1; i = xml.indexOf('<', i + 1)) lts.push(i);
  const i = lts[pos % lts.length]!;
  return xml.slice(0, i) + insert + xml.slice(i);
};

const victimAssertion = fc.constantFrom(forged, forged.replace('ID="_forged"', 'ID="_a1"'));
const anySpace = fc.constantFrom(...JS_SPACES, ' ', '\t');
const lineEnd = fc.constantFrom('\r\n', '\r', '\u2028', '\u0085', '\u2029', '\r\u0085', '\n');

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  // XSW: a forged Assertion anywhere (Extensions, Advice, Object, wrapper, nested Response), signed one moved or not.
  fc
    .tuple(
      fc.nat(),
      victimAssertion,
      fc.constantFrom(
        '',
        '<samlp:Extensions>#</samlp:Extensions>',
        '<saml:Advice>#</saml:Advice>',
        `<ds:Object xmlns:ds="${DS}">#</ds:Object>`,
        `<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol">#</samlp:Response>`,
        '<w xmlns="urn:w">#</w>',
      ),
    )
    .map(([pos, v, wrap]) =>
      labeled(`forged Assertion in '${wrap}' at markup #${pos}`, (xml) =>
        at(pos, xml, wrap === '' ? v : wrap.replace('#', v)),
      ),
    ),
  fc.tuple(fc.constantFrom('<samlp:Extensions>#</samlp:Extensions>', '<w xmlns="urn:w">#</w>')).map(([wrap]) =>
    labeled(`first Assertion wrapped in '${wrap}'`, (xml) => {
      const s = xml.indexOf('<saml:Assertion'),
        e = xml.indexOf('</saml:Assertion>') + '</saml:Assertion>'.length;
      return s < 0 || e < s ? xml : xml.slice(0, s) + wrap.replace('#', xml.slice(s, e)) + xml.slice(e);
    }),
  ),
  // Name-character tricks: a white-space character appended to or inside a name.
  fc
    .tuple(
      fc.constantFrom(
        'saml:Assertion',
        'saml:NameID',
        'saml:Attribute',
        'Name=',
        'xmlns:saml=',
        'saml:Issuer',
        'ID=',
        'samlp:Status',
      ),
      anySpace,
      fc.boolean(),
    )
    .map(([name, c, all]) =>
      labeled(`U+${c.charCodeAt(0).toString(16)} after ${all ? 'every' : 'the first'} ${name}`, (xml) => {
        const bare = name.endsWith('=') ? name.slice(0, -1) : name;
        const repl = name.endsWith('=') ? `${bare}${c}=` : `${bare}${c}`;
        return all ? xml.split(name).join(repl) : xml.replace(name, repl);
      }),
    ),
  // An unused (c14n-invisible) or a rebinding namespace declaration on some start tag.
  fc
    .tuple(
      fc.nat(),
      fc.constantFrom('saml', 'samlp', 'ds', 'x', ''),
      anySpace,
      fc.constantFrom('urn:evil', A, 'urn:oasis:names:tc:SAML:2.0:protocol'),
    )
    .map(([pos, prefix, c, uri]) =>
      labeled(`xmlns:${prefix}+U+${c.charCodeAt(0).toString(16)}="${uri}" on start tag #${pos}`, (xml) => {
        const tags: number[] = [];
        for (let i = xml.indexOf('<'); i !== -1; i = xml.indexOf('<', i + 1))
          if (/[A-Za-z]/.test(xml[i + 1] ?? '')) tags.push(i);
        const i = tags[pos % tags.length]!;
        const end = xml.slice(i).search(/[\s/>]/) + i;
        const decl = prefix === '' ? ` xmlns="${uri}"` : ` xmlns:${prefix}${c === ' ' ? '' : c}="${uri}"`;
        return xml.slice(0, end) + decl + xml.slice(end);
      }),
    ),
  // Comments, CDATA and character references inside text (c14n-invisible).
  fc
    .tuple(
      fc.constantFrom('mallory@example.com', 'users', 'https://idp.example.com', 'line one'),
      fc.nat(),
      fc.constantFrom('<!---->', '<!-- x -->', 'cdata', 'ref'),
    )
    .map(([text, k, how]) =>
      labeled(`${how} in '${text}' (cut ${k})`, (xml) => {
        const cut = 1 + (k % (text.length - 1));
        const [a, b] = [text.slice(0, cut), text.slice(cut)];
        const mid =
          how === 'cdata'
            ? `<![CDATA[${b}]]>`
            : how === 'ref'
              ? `&#x${b.codePointAt(0)!.toString(16)};${b.slice(1)}`
              : `${how}${b}`;
        return xml.replace(`>${text}`, `>${a}${mid}`).replace(`${text}<`, `${a}${mid}<`);
      }),
    ),
  // Processing instructions, with or without an unclosed quote, anywhere between markup.
  fc
    .tuple(
      fc.nat(),
      fc.constantFrom('<?pi x?>', '<?pi "?>', "<?pi '?>", '<?pi a="1"?>', '<?xml version="1.0"?>', '<?pi\u00a0x?>'),
    )
    .map(([pos, pi]) => labeled(`${pi} at markup #${pos}`, (xml) => at(pos, xml, pi))),
  // Line ends in the signed multi-line value.
  lineEnd.map((sep) =>
    labeled(`line end ${JSON.stringify(sep)} in the signed value`, (xml) =>
      xml.replace('line one\nline two', `line one${sep}line two`),
    ),
  ),
  // XML declarations, well-formed or not.
  fc
    .constantFrom(
      '<?xml version="1.0"?>',
      '<?xml version="1.0" encoding="UTF-8" standalone="no"?>',
      '<?xml version="1.1"?>',
      '<?xml version="1.0" encoding="?><a/>"?>',
      '<?xml?>',
      '<?xml version=\'1.0"?>',
    )
    .map((decl) => labeled(`declaration ${decl}`, (xml) => decl + xml)),
  // White space between attributes of a start tag (XML allows only space, tab, CR, LF).
  fc
    .tuple(anySpace, fc.constantFrom(' ID=', ' Version=', ' Format=', ' Value='))
    .map(([c, attr]) =>
      labeled(`U+${c.charCodeAt(0).toString(16)} before ${attr.trim()}`, (xml) =>
        xml.replace(attr, `${c}${attr.slice(1)}`),
      ),
    ),
);

describe('generated attacks (fast-check): node-saml accepts ⇒ claimmap reads the same or refuses', () => {
  it('holds for every mutation sequence', async () => {
    let accepted = 0;
    let readBoth = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(mutation, { minLength: 1, maxLength: 3 }), async (mutations) => {
        const body = mutations.reduce((xml, m) => m(xml), responseXml(signed));
        const { verified, read } = await check(body);
        if (verified !== undefined) {
          accepted++;
          if (typeof read !== 'string') readBoth++;
        }
      }),
      { seed: 0x5a41, numRuns: 300 },
    );
    // The property is not vacuous: many mutations keep the signature valid, and claimmap reads many of them.
    expect(accepted).toBeGreaterThan(60);
    expect(readBoth).toBeGreaterThan(20);
  });
});
