import { composeNormalizers } from '../../evaluate/normalize.js';
import { isEmail, isHttpUrl } from '../../evaluate/scalar.js';
import type { ClaimType, Normalizer, ScalarType } from '../../model/plan.js';
import type { LiteralNode, NameNode, StringNode } from '../../syntax/ast.js';
import { type CheckModel, type ClaimTest, isCollection } from '../model.js';
import type { Rule } from '../rule.js';
import { defined } from '../../model/invariant.js';

const UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

function normalizers(m: CheckModel, claim: string): Normalizer[] {
  return (m.claims
    .get(claim)
    ?.decl.normalize.map((n) => n.name)
    .filter((n) => n === 'lower' || n === 'trim' || n === 'nfkc') ?? []) as Normalizer[];
}

/** A claim's string normalisers, as a list (for messages) and composed (null when none). */
interface Norms {
  list: Normalizer[];
  f: ((s: string) => string) | null;
}

/** Why a string literal can never equal a value of the claim, or null. `partial` for prefix/suffix tests. */
function whyNever(
  lit: string,
  el: ScalarType,
  { list: norms, f }: Norms,
  partial: boolean,
): { why: string; fix?: string } | null {
  if (f) {
    const n = f(lit);
    // A prefix/suffix may legitimately end in spaces only if trim is not declared.
    if (n !== lit && !(partial && !norms.includes('lower') && !norms.includes('nfkc'))) {
      return { why: `its values are normalised (${norms.join(', ')})`, fix: JSON.stringify(n) };
    }
  }
  if (partial) return null;
  if (el.kind === 'enum' && !el.values.includes(lit))
    return { why: `it only takes ${el.values.map((v) => JSON.stringify(v)).join(', ')}` };
  if (el.kind === 'uuid' && !UUID.test(lit)) return { why: 'it holds UUIDs' };
  if (el.kind === 'uuid' && lit !== lit.toLowerCase())
    return { why: 'UUIDs are compared in their canonical lower-case form', fix: JSON.stringify(lit.toLowerCase()) };
  if (el.kind === 'email' && !isEmail(lit)) return { why: 'it holds email addresses' };
  if (el.kind === 'url' && !isHttpUrl(lit)) return { why: 'it holds http(s) URLs' };
  return null;
}

/** A literal compared with a claim must be able to match it: case, spacing, enum members, formats. */
export const literalNeverMatches: Rule = {
  name: 'literal-never-matches',
  codes: [
    {
      code: 'literal/never-matches',
      severity: 'error',
      summary:
        'A literal or regex can never match the claim it is compared with (case after `normalize lower`, an ' +
        'enum member that does not exist, a malformed uuid...).',
    },
  ],
  check(m) {
    const report = (lit: StringNode | LiteralNode, claim: NameNode, why: { why: string; fix?: string }) =>
      m.sink.error(
        'literal/never-matches',
        `${JSON.stringify(lit.value)} can never match '${claim.name}': ${why.why}`,
        lit.span,
        {
          hint: why.fix ? `write ${why.fix}` : undefined,
        },
      );
    // Each claim's normalisers are looked up and composed once, not at every condition that reads the claim.
    const byClaim = new Map<string, Norms>();
    const normsOf = (claim: string): Norms => {
      let n = byClaim.get(claim);
      if (n === undefined) {
        const list = normalizers(m, claim);
        n = { list, f: composeNormalizers(list) };
        byClaim.set(claim, n);
      }
      return n;
    };
    const checkTest = (c: ClaimTest['cond']): void => {
      const t: ClaimType | null = m.claims.get(c.claim.name)?.type ?? null;
      if (!t) return;
      const el = isCollection(t) ? t.element : (t as ScalarType);
      const norms = normsOf(c.claim.name);
      const lits: { lit: LiteralNode; partial: boolean }[] = [];
      if (c.kind === 'contains') lits.push({ lit: c.value, partial: false });
      else if (c.comparison.op === 'eq' || c.comparison.op === 'ne') {
        if (c.comparison.value) lits.push({ lit: c.comparison.value, partial: false });
      } else if (c.comparison.op === 'one_of')
        for (const v of c.comparison.values) lits.push({ lit: v, partial: false });
      else if (c.comparison.op === 'starts_with' || c.comparison.op === 'ends_with') {
        if (c.comparison.value) lits.push({ lit: c.comparison.value, partial: true });
      } else if (c.comparison.op === 'matches' && c.comparison.regex) {
        const a = m.regexes.get(c.comparison.regex);
        const re = c.comparison.regex;
        if (a?.ok && !re.flags.includes('i') && norms.list.includes('lower') && a.requiredUppercase.length) {
          const u = defined(a.requiredUppercase[0]);
          const at = re.span.start + 1 + u.offset;
          m.sink.error(
            'literal/never-matches',
            `this regex needs '${u.char}', but '${c.claim.name}' is normalised to lower case`,
            { start: at, end: at + u.char.length },
            {
              hint: 'write the pattern in lower case',
            },
          );
        } else if (a?.ok && a.exactLiteral !== null) {
          const w = whyNever(a.exactLiteral, el, norms, false);
          if (w)
            m.sink.error(
              'literal/never-matches',
              `this regex only matches ${JSON.stringify(a.exactLiteral)}, which can never be a value of ` +
                `'${c.claim.name}': ${w.why}`,
              re.span,
            );
        }
      }
      for (const { lit, partial } of lits) {
        if (lit.kind !== 'string') continue;
        const w = whyNever(lit.value, el, norms, partial);
        if (w) report(lit, c.claim, w);
      }
    };
    for (const { cond } of m.tests) checkTest(cond);
    // Enum members that the claim's own normalisation would change can never be produced.
    for (const { decl, type } of m.claims.values()) {
      const el = isCollection(type) ? type.element : type;
      if (el?.kind !== 'enum' || decl.type?.kind === undefined) continue;
      const node =
        decl.type.kind === 'enumType' ? decl.type : decl.type.argument?.kind === 'enumType' ? decl.type.argument : null;
      const f = composeNormalizers(normalizers(m, decl.name.name));
      if (!node || !f) continue;
      for (const v of node.values) {
        if (f(v.value) !== v.value) {
          m.sink.error(
            'literal/never-matches',
            `the enum value ${JSON.stringify(v.value)} can never occur: '${decl.name.name}' is normalised ` +
              `(${decl.normalize.map((n) => n.name).join(', ')})`,
            v.span,
            {
              hint: `write ${JSON.stringify(f(v.value))}`,
            },
          );
        }
      }
    }
  },
};
