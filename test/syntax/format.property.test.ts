import fc from 'fast-check';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatMapping } from '../../src/syntax/format.js';
import { parse } from '../../src/syntax/parse.js';
import type { MappingNode } from '../../src/syntax/ast.js';

/** The AST without positions. */
const shape = (ast: MappingNode | null): unknown =>
  JSON.parse(JSON.stringify(ast, (k, v: unknown) => (k === 'span' ? undefined : k === 'clear' ? v !== null : v)));

function examples(dir = 'examples'): string[] {
  return readdirSync(dir).flatMap((e) => {
    const p = join(dir, e);
    return statSync(p).isDirectory() ? examples(p) : p.endsWith('.claimmap') ? [p] : [];
  });
}

function roundTrips(text: string): void {
  const first = parse(text);
  if (!first.value || first.diagnostics.length) return;
  const out = formatMapping(first.value);
  const again = parse(out);
  expect(again.diagnostics).toEqual([]);
  expect(shape(again.value)).toEqual(shape(first.value));
  expect(formatMapping(again.value!)).toBe(out);
}

const atom = fc.constantFrom(
  '"a" in g',
  'g',
  'k == "x"',
  'k != 3',
  'k in ["a", "b"]',
  'any g matches /^a(b)?$/i',
  'all g starts_with "p"',
  'k ends_with "\\"q"',
  'b == true',
);
const cond: fc.Arbitrary<string> = fc.letrec<{ c: string }>((tie) => ({
  c: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    atom,
    fc.tuple(tie('c'), fc.constantFrom('and', 'or'), tie('c')).map(([a, op, b]) => `(${a}) ${op} (${b})`),
    tie('c').map((c) => `not (${c})`),
    tie('c').map((c) => `${c}`),
  ),
})).c;
const exprArb: fc.Arbitrary<string> = fc.letrec<{ e: string }>((tie) => ({
  e: fc.oneof(
    { depthSize: 'small' },
    fc.constantFrom('a', '"lit"', '7', 'true', 'lower(a)', 'join(g, ", ")'),
    fc.tuple(tie('e'), fc.constantFrom('+', '??'), tie('e')).map(([a, op, b]) => `(${a}) ${op} (${b})`),
  ),
})).e;

/** A claim declaration with any combination of its optional parts (absent, normalize, trusted), in grammar order. */
const claimDeclArb = fc
  .record({
    type: fc.constantFrom('string', 'set<string>', 'list<int>', 'enum("a", "b")'),
    presence: fc.constantFrom('required', 'optional'),
    absent: fc.option(fc.constantFrom('empty', 'zero'), { nil: undefined }),
    normalize: fc.option(fc.constantFrom('lower', 'trim, nfkc'), { nil: undefined }),
    trusted: fc.option(fc.string({ maxLength: 10 }), { nil: undefined }),
  })
  .map(
    (d) =>
      `${d.type} from "src" ${d.presence}${d.absent ? ` absent ${d.absent}` : ''}${d.normalize ? ` normalize ${d.normalize}` : ''}${d.trusted !== undefined ? ` trusted ${JSON.stringify(d.trusted)}` : ''}`,
  );

describe('format → parse is the identity', () => {
  it('on generated claim declarations (absent, normalize, trusted)', () => {
    fc.assert(
      fc.property(fc.array(claimDeclArb, { minLength: 1, maxLength: 4 }), (decls) => {
        const claims = decls.map((d, i) => `c${i} : ${d}`).join('\n');
        roundTrips(`mapping "m" { idp oidc "https://x" key sub claims {\n${claims}\n} }`);
      }),
      { numRuns: 200 },
    );
  });

  it('on generated lifecycle and scim sections (items in any order, optional dormant action)', () => {
    const word = fc.constantFrom('externalId', 'groups', 'suspend', 'deprovision', 'reactivate', 'x-1');
    const lifecycleItem = fc.oneof(
      fc.constantFrom('offboarding scim', 'reactivate allow', 'dormant_after 90d'),
      word.map((w) => `dormant_after 12w ${w === 'reactivate' ? 'suspend' : w}`),
    );
    const scimItem = fc.tuple(fc.constantFrom('key', 'groups', 'deactivate'), word).map(([k, w]) => `${k} ${w}`);
    fc.assert(
      fc.property(
        fc.array(lifecycleItem, { maxLength: 4 }),
        fc.array(scimItem, { maxLength: 4 }),
        fc.boolean(),
        (lc, sc, oneLine) => {
          const sep = oneLine ? ' ' : '\n';
          roundTrips(
            `mapping "m" { idp oidc "https://x" key sub lifecycle {${sep}${lc.join(sep)}${sep}} scim {${sep}${sc.join(sep)}${sep}} }`,
          );
        },
      ),
      { numRuns: 200 },
    );
  });

  it('on every example', () => {
    const files = examples();
    expect(files.length).toBeGreaterThan(0);
    for (const f of files) roundTrips(readFileSync(f, 'utf8'));
  });

  it('on generated conditions and expressions', () => {
    const reason = fc.option(fc.string({ maxLength: 8 }), { nil: undefined });
    fc.assert(
      fc.property(
        fc.array(fc.tuple(cond, reason), { minLength: 1, maxLength: 4 }),
        fc.array(exprArb, { minLength: 1, maxLength: 3 }),
        fc.string({ maxLength: 12 }),
        (rules, exprs, s) => {
          const conds = rules.map(([c]) => c);
          const why = (r: string | undefined) => (r === undefined ? '' : ` unsafe ${JSON.stringify(r)}`);
          const roles = rules.map(([c, r], i) => `${i % 2 ? 'deny' : 'grant'} r${i} when ${c}${why(r)}`).join('\n');
          const profile = exprs.map((e, i) => `f${i} = ${e} sync always`).join('\n');
          roundTrips(
            `mapping ${JSON.stringify(s)} { idp oidc "https://x" key sub profile { ${profile} } roles { ${roles} } entitlements { grant "t:{1}" for each g matching /^t-(.+)$/ when ${conds[0]}${why(rules[0]![1])} } }`,
          );
        },
      ),
      { numRuns: 300 },
    );
  });
});
