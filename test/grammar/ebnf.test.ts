/**
 * grammar/claimmap.ebnf (normative) and src/syntax/parser.ts agree: every parser production is an EBNF rule of the
 * same name, every EBNF rule is a production, and each production's annotation comment (`// name = ...`) is the
 * EBNF rule's right-hand side verbatim (white space and EBNF comments aside). Known differences are listed, and the
 * lists must stay minimal.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { getParser } from '../../src/syntax/parser.js';

/** Parser productions the EBNF writes inline. */
const HELPER_PRODUCTIONS: Record<string, string> = {
  effect: 'the EBNF inlines ( "grant" | "deny" ) in roleItem and entitlementRule',
};
/** EBNF rules the parser inlines. */
const INLINED_RULES: Record<string, string> = {
  presence: 'the parser inlines "required" | "optional" in claimDecl',
};

const ebnfText = readFileSync(new URL('../../grammar/claimmap.ebnf', import.meta.url), 'utf8');
const parserText = readFileSync(new URL('../../src/syntax/parser.ts', import.meta.url), 'utf8');

const normalize = (s: string) => s.replace(/\s+/g, ' ').trim();

/** EBNF rules (`name = rhs ;`), comments removed; token rules (UPPER_CASE) kept apart; names defined more than once. */
function ebnfRules(): { rules: Map<string, string>; tokens: Set<string>; repeated: string[] } {
  const text = ebnfText.replace(/\(\*[\s\S]*?\*\)/g, ' ');
  const rules = new Map<string, string>();
  const tokens = new Set<string>();
  const repeated: string[] = [];
  for (const m of text.matchAll(/^([A-Za-z][A-Za-z_]*)\s*=([\s\S]*?);\s*$/gm)) {
    const [, name, rhs] = m as unknown as [string, string, string];
    if (rules.has(name) || tokens.has(name)) repeated.push(name);
    if (/^[A-Z_]+$/.test(name)) tokens.add(name);
    else rules.set(name, normalize(rhs));
  }
  return { rules, tokens, repeated };
}

/** Each `x = this.RULE('x', ...)` of parser.ts with the comment lines right above it. */
function annotations(): Map<string, string> {
  const lines = parserText.split('\n');
  const out = new Map<string, string>();
  lines.forEach((line, i) => {
    // `x = this.RULE('x', …)`, or with the name on the next line once the formatter wraps the call.
    if (!/^\s*\w+ = this\.RULE\(/.test(line)) return;
    const m = /^\s*\w+ = this\.RULE\(\s*'(\w+)'/.exec(line) ?? /^\s*'(\w+)'/.exec(lines[i + 1] ?? '');
    if (!m) return;
    const comment: string[] = [];
    for (let j = i - 1; j >= 0 && /^\s*\/\//.test(lines[j]!); j--)
      comment.unshift(lines[j]!.replace(/^\s*\/\/\s?/, ''));
    out.set(m[1]!, normalize(comment.join(' ')));
  });
  return out;
}

const { rules, tokens, repeated } = ebnfRules();
const productions = Object.keys(getParser().getGAstProductions());

describe('grammar/claimmap.ebnf and the parser', () => {
  it('finds the rules and productions it compares', () => {
    expect(rules.size).toBeGreaterThan(20);
    expect(productions).toContain('mapping');
    expect([...annotations().keys()].sort()).toEqual([...productions].sort());
  });

  it('defines every rule and token once (a second definition would silently replace the first)', () => {
    expect(repeated).toEqual([]);
  });

  it('has an EBNF rule for every parser production (but the listed helpers)', () => {
    expect(productions.filter((p) => !rules.has(p) && !Object.hasOwn(HELPER_PRODUCTIONS, p))).toEqual([]);
  });

  it('has a parser production for every EBNF rule (but the listed inlined rules)', () => {
    expect([...rules.keys()].filter((r) => !productions.includes(r) && !Object.hasOwn(INLINED_RULES, r))).toEqual([]);
  });

  it('keeps the lists of known differences minimal', () => {
    expect(Object.keys(HELPER_PRODUCTIONS).filter((p) => rules.has(p) || !productions.includes(p))).toEqual([]);
    expect(Object.keys(INLINED_RULES).filter((r) => productions.includes(r) || !rules.has(r))).toEqual([]);
  });

  it('annotates every production with its EBNF rule, verbatim', () => {
    const drift = [...annotations()]
      .filter(([name]) => rules.has(name))
      .filter(([name, comment]) => comment !== `${name} = ${rules.get(name)!}`)
      .map(([name, comment]) => ({ name, parser: comment, ebnf: `${name} = ${rules.get(name)!}` }));
    expect(drift).toEqual([]);
  });

  it('defines every rule and token the EBNF refers to', () => {
    const undefinedRefs = new Set<string>();
    for (const rhs of rules.values()) {
      for (const word of rhs.replace(/"[^"]*"|'[^']*'/g, ' ').match(/[A-Za-z_][A-Za-z_]*/g) ?? []) {
        if (!rules.has(word) && !tokens.has(word)) undefinedRefs.add(word);
      }
    }
    expect([...undefinedRefs]).toEqual([]);
  });
});
