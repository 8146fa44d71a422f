/**
 * The generated rules function (src/evaluate/generate-rules.ts): no plan can put code into it, it gives every rule
 * the truth value the closures of conditions.ts give, and where `new Function` is refused evaluation falls back to
 * the closures.
 */
import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Cond, Plan } from '../../src/model/plan.js';
import { compiledPlan } from '../../src/evaluate/compile-closures.js';
import { aliasesObject, claimsObject, indeterminateSet } from '../../src/evaluate/claim-values.js';
import { MembershipIndex } from '../../src/evaluate/conditions.js';
import { evaluate } from '../../src/evaluate/index.js';
import { GENERATED_STRINGS, generateRules, generateRulesSource } from '../../src/evaluate/generate-rules.js';
import type { ClaimSet } from '../../src/model/claim-set.js';
import { CLAIMS, WORDS, claimsArb, condArb, planArb } from './arbitraries.js';
import { c, claim, grant, oidc, plan, regex, scalar, setOf } from './plan-builder.js';

/** Literals built to break out of a string, a comment, a template or a line, or to end a script element. */
const HOSTILE = [
  "'",
  '"',
  '`',
  '\\',
  "\\'",
  '*/',
  '/*',
  '//',
  '${',
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a template placeholder as plain text, on purpose
  '${globalThis.pwned = 1}',
  '\u2028',
  '\u2029',
  '\n',
  '\r\n',
  '</script>',
  "'); globalThis.pwned = 1; ('",
  '"; globalThis.pwned = 1; "',
  '}; globalThis.pwned = 1; {',
  '\u0000',
  '\ud800',
];
const hostile = fc.oneof(
  fc.constantFrom(...HOSTILE),
  fc.string({ unit: fc.constantFrom(...HOSTILE, 'a', ' ', ';', '(', ')', '{', '}') }),
  fc.string({ unit: 'binary', maxLength: 6 }),
);

/** The source with every string literal the generator may write removed; fails on any other string literal. */
function withoutStrings(source: string): string {
  return source.replace(/'([^'\\\n]*)'/g, (_, body: string) => {
    expect(GENERATED_STRINGS).toContain(body);
    return '';
  });
}

/** Names followed by `(`: the functions and methods the source calls. */
const CALLABLE = new Set([
  'has',
  'includes',
  'startsWith',
  'endsWith',
  'test',
  'isArray',
  'String',
  'rules',
  'for',
  'if',
  'c0', // the functions of 8 rules each (RULES_PER_FUNCTION): 3 rules here, one function
]);

function slots(p: Plan): (name: string) => number {
  const m = new Map(p.claims.map((cl, i) => [cl.name, i]));
  return (name) => {
    const i = m.get(name);
    if (i === undefined) throw new TypeError(`undeclared ${name}`);
    return i;
  };
}

function sourceOf(p: Plan): string {
  return generateRulesSource(
    p.roles.rules.map((r) => ({ when: r.when, where: r.id })),
    p.entitlements.rules.map((r) => ({ when: r.when, where: r.id })),
    slots(p),
    new MembershipIndex(),
  ).source;
}

/** Every rule's truth value by the plan's closures and by its generated function. */
function truths(p: Plan, cs: ClaimSet): { closures: number[]; generated: number[] } {
  const cp = compiledPlan(p);
  const states = cp.fastReaders.map((read) => read(claimsObject(cs), aliasesObject(cs), indeterminateSet(cs)));
  const closures = [...cp.roleRules.map((r) => r.cond(states)), ...cp.entRules.map((r) => r.cond(states))];
  const rt = new Uint8Array(cp.roleRules.length);
  const et = new Uint8Array(cp.entRules.length);
  expect(cp.rules).not.toBeNull();
  cp.rules?.(states, rt, et);
  return { closures, generated: [...rt, ...et] };
}

describe('generated rules: no plan can inject code', () => {
  const benignExtra: Cond = c.and(
    c.contains('xq', 'w'),
    c.oneOf('d', ['w']),
    c.startsWith('any', 'g', 'w'),
    c.endsWith('one', 'd', 'w'),
  );
  it('hostile literals, claim names and rule ids never reach the source, which holds only its own tokens', () => {
    const pwned = (globalThis as { pwned?: unknown }).pwned;
    fc.assert(
      fc.property(condArb(hostile), hostile, hostile, fc.array(hostile, { maxLength: 3 }), (when, name, id, words) => {
        // A claim whose name is hostile, tested by hostile literals; the rule id (only ever in error text) too.
        const cls = [...CLAIMS, claim(name === '' ? 'n0' : `x${name}`, setOf(scalar('string')))];
        const extra: Cond = c.and(
          c.contains(cls[cls.length - 1]!.name, words[0] ?? name),
          c.oneOf('d', words),
          c.startsWith('any', 'g', name),
          c.endsWith('one', 'd', name),
        );
        const p = plan({
          claims: cls,
          roles: [grant('r', when, id), grant('s', extra, `${id}-2`)],
          entitlements: [grant('e', c.not(extra))],
        });
        const source = sourceOf(p);
        // A literal must not appear in the source, unless it is part of the generator's own text (`gth` is in
        // `length`): that text is the source of the same shapes of plan with benign literals.
        const template = sourceOf(
          plan({
            claims: [...CLAIMS, claim('xq', setOf(scalar('string')))],
            roles: [grant('r', when, 'r1'), grant('s', benignExtra, 'r2')],
            entitlements: [grant('e', c.not(benignExtra))],
          }),
        );
        for (const lit of [name, id, ...words]) {
          if (lit.length > 2 && !template.includes(lit)) expect(source).not.toContain(lit);
        }
        const bare = withoutStrings(source);
        // Only identifiers, integers, operators and punctuation are left: no quote, backslash, comment or template.
        expect(bare).toMatch(/^[A-Za-z0-9_\s{}()[\];=!<>?:.,|&+-]*$/);
        expect(bare).not.toMatch(/\/\/|\/\*/);
        for (const m of bare.matchAll(/([A-Za-z_][A-Za-z0-9_]*)\s*\(/g)) expect(CALLABLE).toContain(m[1]);
        // One assignment per rule, in order.
        expect([...bare.matchAll(/\b(rt|et)\[(\d+)\] =/g)].map((m) => `${m[1]}${m[2]}`)).toEqual(['rt0', 'rt1', 'et0']);
        // It compiles, runs and agrees with the closures on claims that hold the hostile literals.
        const cs = oidc({
          sub: 's',
          d: name === '' ? 'a' : name,
          g: [name, ...words],
          [cls[cls.length - 1]!.name]: words,
        });
        const { closures, generated } = truths(p, cs);
        expect(generated).toEqual(closures);
      }),
      { numRuns: 300 },
    );
    expect((globalThis as { pwned?: unknown }).pwned).toBe(pwned);
  });

  it('regex sources are compiled to matchers passed as constants, never written into the source', () => {
    const p = plan({
      claims: CLAIMS,
      roles: [grant('r', c.matches('any', 'g', regex("'\\)\\}\\n`\\$\\{x\\}")))],
    });
    const source = sourceOf(p);
    expect(source).not.toContain('\\)');
    expect(source).toContain('k0.test(y)');
  });
});

describe('generated rules: the same truth values as the closures', () => {
  it('random plans and claims (every condition kind, Kleene junctions, wrong types, absent and malformed)', () => {
    fc.assert(
      fc.property(planArb(), claimsArb(), (p, claims) => {
        const present = Object.fromEntries(Object.entries(claims).filter(([, v]) => v !== undefined));
        const { closures, generated } = truths(p, oidc({ sub: 's', ...present }));
        expect(generated).toEqual(closures);
      }),
      { numRuns: 800 },
    );
  });

  it('more than SCANS_BEFORE_INDEX membership tests of one value: the shared index answers as the scans did', () => {
    const words = WORDS.filter((w) => w !== '');
    const tests = words.flatMap((w) => [c.contains('g', w), c.contains('l', w)]);
    const p = plan({ claims: CLAIMS, roles: tests.map((t, i) => grant(`r${i}`, t)) });
    for (const g of [[], ['a'], ['ab', 'b', '__proto__', 'x-1'], words]) {
      const { closures, generated } = truths(p, oidc({ sub: 's', g, l: g.slice().reverse() }));
      expect(generated).toEqual(closures);
      expect(generated.filter((t) => t === 2)).toHaveLength(2 * g.length);
    }
    // An empty string makes the set malformed: every test is unknown, by both.
    const { closures, generated } = truths(p, oidc({ sub: 's', g: WORDS, l: [] }));
    expect(generated).toEqual(closures);
    expect(generated.slice(0, 2)).toEqual([1, 0]);
  });
});

describe('generated rules: fallback', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it('where new Function is refused (a strict CSP), the plan evaluates with its closures to the same decision', () => {
    const make = (): Plan =>
      plan({
        claims: CLAIMS,
        roles: [
          grant('a', c.contains('g', 'a'), 'ra'),
          grant('b', c.or(c.eq('d', 'x'), c.startsWith('all', 'l', 'a')), 'rb'),
        ],
        entitlements: [grant('e', c.truthy('b'), 'e0')],
      });
    const cs = oidc({ sub: 's', g: ['a'], d: 'x', l: ['ab', 'a'], b: true });
    const expected = evaluate(make(), cs);
    vi.stubGlobal('Function', () => {
      throw new EvalError('Refused to evaluate a string as JavaScript (unsafe-eval)');
    });
    expect(generateRules([{ when: c.truthy('b'), where: 'r' }], [], () => 5, new MembershipIndex())).toBeNull();
    const p = make();
    expect(compiledPlan(p).rules).toBeNull();
    expect(evaluate(p, cs)).toEqual(expected);
    expect(expected.roles).toEqual(['a', 'b']);
  });
});
