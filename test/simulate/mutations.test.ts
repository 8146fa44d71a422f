import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { NAMEID_FORMATS, type ClaimSet, type JsonValue } from '../../src/model/claim-set.js';
import type { Plan } from '../../src/model/plan.js';
import {
  DEFAULT_OPERATORS,
  caseFoldVariants,
  compatibilityVariants,
  compose,
  cyrillicConfusable,
  fullwidth,
  nearMisses,
  operatorByName,
} from '../../src/simulate/mutations.js';
import { getRaw } from '../../src/simulate/claim-edit.js';
import type { MutatedClaims, MutationContext } from '../../src/simulate/types.js';
import { EXACT_GROUPS, NO_UNIQUE_EMAIL, oidc, plan, saml } from './fixtures.js';

const samlPlan = plan(EXACT_GROUPS);
const oidcPlan = plan(`mapping "oidc-types" {
  idp oidc "https://idp.example.com"
  key claim tid, oid
  claims {
    tid    : uuid        from "tid"    required
    oid    : uuid        from "oid"    required
    email  : email       from "email"  optional normalize lower
    level  : int         from "ext"."level" optional
    groups : set<string> from "groups" optional
  }
  profile { email = email sync always }
  roles replace {
    privileged admin
    grant admin when "admins" in groups
  }
  lifecycle { offboarding scim }
}`);

const samlSample = (): ClaimSet =>
  saml({ email: ['Jane@Example.com'], groups: ['eng', 'okta-admins'], department: ['Platform'] });
const oidcSample = (): ClaimSet =>
  oidc({
    tid: '3d2bdfff-fc17-425c-b63a-59248b76cf94',
    oid: 'b81e8092-b933-4358-bddb-b1c98c00ce27',
    email: 'jane@example.com',
    ext: { level: 3 },
    groups: ['eng'],
  });

function run(
  p: Plan,
  cs: ClaimSet,
  op: string,
  claim: string | null,
  literals: string[] = [],
  priv: Pick<MutationContext, 'privilegedLiterals' | 'negatedLiterals' | 'witnesses'> = {},
): MutatedClaims[] {
  const o = operatorByName(op)!;
  const c = claim === null ? null : p.claims.find((x) => x.name === claim)!;
  const ctx: MutationContext = { plan: p, literals, longLength: 10_000, maxSetValues: 32, ...priv };
  return o.appliesTo(c, p) ? o.apply(cs, c, ctx) : [];
}

function value(p: Plan, m: MutatedClaims, claim: string): JsonValue | undefined {
  return getRaw(m.claimSet, p.claims.find((x) => x.name === claim)!);
}

type Case = [
  op: string,
  protocol: 'saml' | 'oidc',
  claim: string | null,
  check: (ms: MutatedClaims[], p: Plan) => void,
];

const values = (p: Plan, ms: MutatedClaims[], claim: string) => ms.map((m) => value(p, m, claim));

const CASES: Case[] = [
  ['absent', 'saml', 'email', (ms, p) => expect(values(p, ms, 'email')).toEqual([undefined])],
  ['absent', 'oidc', 'level', (ms, p) => expect(values(p, ms, 'level')).toEqual([undefined])],
  ['empty', 'saml', 'groups', (ms, p) => expect(values(p, ms, 'groups')).toEqual([[''], []])], // [] : an Attribute with no AttributeValue
  ['empty', 'saml', 'email', (ms, p) => expect(values(p, ms, 'email')).toEqual([['']])],
  ['empty', 'oidc', 'email', (ms, p) => expect(values(p, ms, 'email')).toEqual([''])],
  ['empty', 'oidc', 'groups', (ms, p) => expect(values(p, ms, 'groups')).toEqual([[]])],
  ['whitespace-padded', 'saml', 'email', (ms, p) => expect(values(p, ms, 'email')).toEqual([[' Jane@Example.com ']])],
  [
    'case-changed',
    'saml',
    'email',
    (ms, p) => expect(values(p, ms, 'email')).toEqual([['JANE@EXAMPLE.COM'], ['Jane@Example.Com']]),
  ],
  [
    'wrong-type',
    'saml',
    'email',
    (ms, p) => expect(values(p, ms, 'email')).toEqual([['Jane@Example.com', 'Jane@Example.com-2'], ['not-an-email']]),
  ],
  ['wrong-type', 'saml', 'groups', (ms) => expect(ms).toEqual([])], // SAML cannot send a non-text set
  ['wrong-type', 'oidc', 'level', (ms, p) => expect(values(p, ms, 'level')).toEqual(['42', {}, ['x']])],
  ['wrong-type', 'oidc', 'groups', (ms, p) => expect(values(p, ms, 'groups')).toEqual(['eng', [{}], [42]])],
  [
    'duplicated-value',
    'saml',
    'groups',
    (ms, p) => expect(values(p, ms, 'groups')).toEqual([['eng', 'okta-admins', 'eng']]),
  ],
  ['duplicated-value', 'oidc', 'email', (ms) => expect(ms).toEqual([])],
  [
    'very-long',
    'saml',
    'department',
    (ms, p) => {
      const v = values(p, ms, 'department')[0] as string[];
      expect(v[0]).toHaveLength(10_000);
      expect(v[0]!.startsWith('Platform')).toBe(true);
    },
  ],
  [
    'unicode-confusable',
    'saml',
    'department',
    (ms, p) =>
      expect(values(p, ms, 'department')).toEqual([
        ['\u0420latform'],
        ['\uff30\uff4c\uff41\uff54\uff46\uff4f\uff52\uff4d'],
      ]),
  ],
  ['value-removed', 'saml', 'groups', (ms, p) => expect(values(p, ms, 'groups')).toEqual([['okta-admins'], ['eng']])],
  ['value-removed', 'saml', 'email', (ms) => expect(ms).toEqual([])], // scalars have no values to remove
  ['overage', 'saml', 'groups', (ms) => expect(ms.map((m) => m.claimSet.indeterminate)).toEqual([['groups']])],
  ['overage', 'oidc', 'groups', (ms) => expect(ms.map((m) => m.claimSet.indeterminate)).toEqual([['groups']])],
  ['key-absent', 'saml', null, (ms) => expect(ms.map((m) => m.claimSet.subject.id)).toEqual([''])],
  [
    'key-absent',
    'oidc',
    null,
    (ms, p) => expect([values(p, ms, 'tid'), values(p, ms, 'oid')]).toEqual([[undefined], [undefined]]),
  ],
  [
    'key-transient',
    'saml',
    null,
    (ms) => expect(ms.map((m) => m.claimSet.subject.format)).toEqual([NAMEID_FORMATS.transient]),
  ],
  ['key-transient', 'oidc', null, (ms) => expect(ms).toEqual([])],
  [
    'new-subject-same-email',
    'saml',
    null,
    (ms, p) => {
      expect(ms.map((m) => m.claimSet.subject.id)).toEqual(['u-100-2']);
      expect(values(p, ms, 'email')).toEqual([['Jane@Example.com']]);
    },
  ],
  [
    'new-subject-same-email',
    'oidc',
    null,
    (ms, p) => {
      expect(values(p, ms, 'oid')).toEqual(['b81e8092-b933-4358-bddb-b1c98c00ce20']);
      expect(values(p, ms, 'email')).toEqual(['jane@example.com']);
    },
  ],
  [
    'same-subject-new-email',
    'saml',
    null,
    (ms, p) => {
      expect(ms.map((m) => m.claimSet.subject.id)).toEqual(['u-100']);
      expect(values(p, ms, 'email')).toEqual([['renamed.Jane@Example.com']]);
    },
  ],
  [
    'another-issuer',
    'oidc',
    null,
    (ms) => expect(ms.map((m) => m.claimSet.issuer)).toEqual(['https://idp.example.com/other-tenant']),
  ],
];

describe('mutation operators', () => {
  it.each(CASES)('%s on %s %s', (op, protocol, claim, check) => {
    const p = protocol === 'saml' ? samlPlan : oidcPlan;
    const cs = protocol === 'saml' ? samlSample() : oidcSample();
    check(run(p, cs, op, claim), p);
  });

  it('near-privileged adds near misses of the literals to a set and replaces a scalar', () => {
    const ms = run(samlPlan, saml({ email: ['a@b.c'], groups: ['eng'] }), 'near-privileged', 'groups', ['okta-admins']);
    expect(values(samlPlan, ms, 'groups')).toEqual(nearMisses('okta-admins').map((v) => ['eng', v]));
    expect(nearMisses('okta-admins')).toEqual(expect.arrayContaining(['okta-admins-x', 'OKTA-ADMINS', ' okta-admins']));
    const scalar = run(samlPlan, saml({ email: ['a@b.c'], department: ['Eng'] }), 'near-privileged', 'department', [
      'Finance',
    ]);
    expect(values(samlPlan, scalar, 'department')).toContainEqual(['FINANCE']);
    expect(run(samlPlan, samlSample(), 'near-privileged', 'groups', [])).toEqual([]);
  });

  it('case-fold plants case variants and case-fold look-alikes of the privileged literals only', () => {
    const ms = run(samlPlan, saml({ email: ['a@b.c'], groups: ['eng'] }), 'case-fold', 'groups', ['Finance'], {
      privilegedLiterals: ['okta-admins'],
    });
    expect(values(samlPlan, ms, 'groups')).toEqual(caseFoldVariants('okta-admins').map((v) => ['eng', v]));
    expect(caseFoldVariants('okta-admins')).toEqual([
      'OKTA-ADMINS',
      'Okta-Admins',
      'okta-admiNS',
      'okta-admin\u017f',
      'o\u212ata-admins',
      'okta-adm\u0131ns',
    ]);
    expect(caseFoldVariants('IT')).toEqual(['it', 'It', '\u0130T']); // the mixed case of IT is it
    const scalar = run(samlPlan, saml({ email: ['a@b.c'], department: ['Eng'] }), 'case-fold', 'department', [], {
      privilegedLiterals: ['Finance'],
    });
    expect(values(samlPlan, scalar, 'department')).toContainEqual(['FINANCE']);
    expect(run(samlPlan, samlSample(), 'case-fold', 'groups', ['okta-admins'])).toEqual([]); // no privileged literal
    expect(
      run(oidcPlan, oidcSample(), 'case-fold', 'tid', [], {
        privilegedLiterals: ['3d2bdfff-fc17-425c-b63a-59248b76cf94'],
      }),
    ).toEqual([]); // a uuid is not text
  });

  it('regex-witness adds witnesses to a set (as its only value for an all test) and replaces a scalar', () => {
    const witnesses = [
      { value: 'x/admins', all: false },
      { value: 'gh-xx', all: true },
    ];
    const ms = run(samlPlan, saml({ email: ['a@b.c'], groups: ['eng'] }), 'regex-witness', 'groups', [], { witnesses });
    expect(ms.map((m) => m.label)).toEqual(['+ "x/admins"', 'only "gh-xx"']);
    expect(values(samlPlan, ms, 'groups')).toEqual([['eng', 'x/admins'], ['gh-xx']]);
    const scalar = run(samlPlan, saml({ email: ['a@b.c'], department: ['Eng'] }), 'regex-witness', 'department', [], {
      witnesses: [{ value: 'ops-xx', all: false }],
    });
    expect(values(samlPlan, scalar, 'department')).toEqual([['ops-xx']]);
    const json = run(oidcPlan, oidcSample(), 'regex-witness', 'groups', [], { witnesses });
    expect(values(oidcPlan, json, 'groups')).toEqual([['eng', 'x/admins'], ['gh-xx']]);
    expect(run(samlPlan, samlSample(), 'regex-witness', 'groups', ['okta-admins'])).toEqual([]); // no witness in the context
    // a set already holding only the witness is not mutated again
    expect(
      run(oidcPlan, oidc({ groups: ['gh-xx'] }), 'regex-witness', 'groups', [], {
        witnesses: [{ value: 'gh-xx', all: true }],
      }),
    ).toEqual([]);
  });

  it('nfkc-look-alike plants fullwidth and ligature forms that NFKC maps back', () => {
    for (const lit of ['okta-admins', 'staff', 'office-floor']) {
      for (const v of compatibilityVariants(lit)) {
        expect(v).not.toBe(lit);
        expect(v.normalize('NFKC')).toBe(lit);
      }
    }
    expect(compatibilityVariants('staff')).toEqual([fullwidth('staff'), 'sta\ufb00']);
    expect(compatibilityVariants('office')).toEqual([fullwidth('office'), 'o\ufb03ce']);
    const ms = run(oidcPlan, oidcSample(), 'nfkc-look-alike', 'groups', [], { privilegedLiterals: ['admins'] });
    expect(values(oidcPlan, ms, 'groups')).toEqual([['eng', fullwidth('admins')]]);
  });

  it('case-fold look-alikes are what Unicode simple case folding and NFKC + lower case equate with the literal', () => {
    const lit = 'okta-admins';
    const folded = caseFoldVariants(lit).filter((v) => /^okta-admins$/iu.test(v));
    expect(folded).toEqual(caseFoldVariants(lit).filter((v) => !v.includes('\u0131'))); // all but the dotless i
    for (const v of folded) expect(v.normalize('NFKC').toLowerCase()).toBe(lit);
  });

  it('lost-values removes the negated literals a sample holds (each, then all), compared after normalisation', () => {
    const p = plan(`mapping "lost" {
  idp oidc "https://idp.example.com"
  key sub
  claims { groups : set<string> from "groups" optional normalize lower }
  roles replace {
    grant admin when not "contractors" in groups and not "interns" in groups  // not declared privileged: lint would reject it; the literals come from the context
  }
  lifecycle { offboarding scim }
}`);
    const cs = oidc({ groups: ['Contractors', 'eng', 'INTERNS'] });
    const ms = run(p, cs, 'lost-values', 'groups', [], { negatedLiterals: ['contractors', 'interns', 'vendors'] });
    expect(ms.map((m) => m.label)).toEqual(['- "contractors"', '- "interns"', '- "contractors", "interns"']);
    expect(values(p, ms, 'groups')).toEqual([['eng', 'INTERNS'], ['Contractors', 'eng'], ['eng']]);
    expect(
      run(p, oidc({ groups: ['eng'] }), 'lost-values', 'groups', [], { negatedLiterals: ['contractors'] }),
    ).toEqual([]);
    expect(run(samlPlan, samlSample(), 'lost-values', 'email', [], { negatedLiterals: ['Jane@Example.com'] })).toEqual(
      [],
    ); // sets and lists only
  });

  it('user-edited sets only claims users can edit to the privileged literals', () => {
    const p = plan(`mapping "edit" {
  idp saml "https://idp.example.com"
  key nameid persistent
  claims {
    title  : string      from "title"  optional
    groups : set<string> from "groups" optional
  }
  roles replace {
    grant admin when title == "CTO" or "admins" in groups  // not declared privileged: lint would reject it; the literals come from the context
  }
  lifecycle { offboarding scim }
}`);
    const cs = saml({ title: ['Engineer'], groups: ['eng'] });
    expect(values(p, run(p, cs, 'user-edited', 'title', [], { privilegedLiterals: ['CTO'] }), 'title')).toEqual([
      ['CTO'],
    ]);
    expect(
      values(
        p,
        run(p, saml({ groups: ['eng'] }), 'user-edited', 'title', [], { privilegedLiterals: ['CTO'] }),
        'title',
      ),
    ).toEqual([['CTO']]);
    expect(run(p, cs, 'user-edited', 'groups', [], { privilegedLiterals: ['admins'] })).toEqual([]); // groups are IdP-managed
  });

  it('has a documented, uniquely named registry', () => {
    const names = DEFAULT_OPERATORS.map((o) => o.name);
    expect(new Set(names).size).toBe(names.length);
    for (const o of DEFAULT_OPERATORS) expect(o.description.length).toBeGreaterThan(20);
    expect(Object.isFrozen(DEFAULT_OPERATORS)).toBe(true);
  });

  it('look-alike helpers change the code points but not the appearance class', () => {
    expect(cyrillicConfusable('admin')).toBe('\u0430dmin');
    expect(cyrillicConfusable('123')).toBeNull();
    expect(fullwidth('ab c').normalize('NFKC')).toBe('ab c');
  });

  it('compose chains two operators on the same claim', () => {
    const both = compose(operatorByName('whitespace-padded')!, operatorByName('case-changed')!);
    expect(both.name).toBe('whitespace-padded+case-changed');
    const c = samlPlan.claims.find((x) => x.name === 'department')!;
    const ms = both.apply(samlSample(), c, { plan: samlPlan, literals: [], longLength: 10, maxSetValues: 4 });
    expect(values(samlPlan, ms, 'department')).toEqual([[' PLATFORM ']]); // Title Case of ' Platform ' is itself: dropped
    expect(ms[0]!.label).toContain(', then ');
  });
});

/** Freezes a value and everything it reaches (a modification then throws in strict mode). */
function deepFreeze<T>(v: T): T {
  if (typeof v === 'object' && v !== null && !Object.isFrozen(v)) {
    Object.freeze(v);
    for (const k of Object.keys(v)) deepFreeze((v as Record<string, unknown>)[k]);
  }
  return v;
}

function applyAll(p: Plan, cs: ClaimSet): MutatedClaims[] {
  const out: MutatedClaims[] = [];
  const ctx: MutationContext = {
    plan: p,
    literals: ['okta-admins', 'Finance'],
    privilegedLiterals: ['okta-admins', 'Finance', 'Jane@Example.com'],
    negatedLiterals: ['eng', 'Contractors'],
    witnesses: [
      { value: 'x/admins', all: false },
      { value: 'gh-xx', all: true },
    ],
    longLength: 100,
    maxSetValues: 8,
  };
  for (const op of DEFAULT_OPERATORS) {
    const targets = op.scope === 'login' ? [null] : p.claims;
    for (const c of targets) if (op.appliesTo(c, p)) out.push(...op.apply(cs, c, ctx));
  }
  return out;
}

describe('operators never modify their input', () => {
  it.each([
    ['saml', samlPlan, samlSample],
    ['oidc', oidcPlan, oidcSample],
    ['oidc (no unique)', plan(NO_UNIQUE_EMAIL), () => oidc({ email: 'x@y.z' })],
  ] as const)('%s: a deep-frozen sample survives every operator', (_n, p, make) => {
    const cs = deepFreeze(make());
    const before = JSON.stringify(cs);
    const ms = applyAll(p, cs);
    expect(ms.length).toBeGreaterThan(5);
    expect(JSON.stringify(cs)).toBe(before);
    for (const m of ms) {
      expect(m.claimSet).not.toBe(cs);
      expect(Object.getPrototypeOf(m.claimSet.claims)).toBeNull();
    }
  });

  it('property: any SAML sample is left unchanged and every mutation differs from it', () => {
    const text = fc.string({ maxLength: 12 });
    fc.assert(
      fc.property(
        fc.record({
          email: fc.array(text, { maxLength: 2 }),
          groups: fc.array(text, { maxLength: 4 }),
          department: fc.array(text, { maxLength: 2 }),
        }),
        (claims) => {
          const cs = deepFreeze(saml(claims));
          const before = JSON.stringify(cs);
          for (const m of applyAll(samlPlan, cs)) expect(JSON.stringify(m.claimSet)).not.toBe(before);
          expect(JSON.stringify(cs)).toBe(before);
        },
      ),
      { numRuns: 150 },
    );
  });
});
