/**
 * The TextMate grammar (grammar/claimmap.tmLanguage.json) tokenised by vscode-textmate, VS Code's engine: specific
 * scopes on a mapping that uses every construct; every example and every golden mapping; and a differential test
 * against the real lexer (src/syntax/tokens.ts): both tokenise the same text, and every lexer token must get the
 * scope of its class in the grammar, with the same boundaries (keywords, names, strings, regexes, comments,
 * numbers, operators, punctuation), and the grammar marks as invalid exactly what the lexer cannot read.
 */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import * as tinyglobby from 'tinyglobby';
import { describe, expect, it } from 'vitest';
import { keywordScope } from '../../scripts/tmlanguage.js';
import { lex, RESERVED_WORDS } from '../../src/syntax/tokens.js';
import { scopesAt, type TmToken, tokenize } from './tokenize.js';

const ROOT = new URL('../../', import.meta.url);
const read = (rel: string) => readFileSync(new URL(rel, ROOT), 'utf8');
const EXAMPLES = tinyglobby.globSync(['examples/**/*.claimmap'], { cwd: ROOT.pathname }).sort();
const GOLDEN = tinyglobby.globSync(['test/golden/**/*.claimmap'], { cwd: ROOT.pathname }).sort();

/** The scope each single-token kind of the lexer must get (innermost scope, whole token). */
const TOKEN_SCOPES: Readonly<Record<string, string>> = {
  EqEq: 'keyword.operator.comparison.claimmap',
  NotEq: 'keyword.operator.comparison.claimmap',
  Coalesce: 'keyword.operator.coalesce.claimmap',
  Equals: 'keyword.operator.assignment.claimmap',
  Plus: 'keyword.operator.concatenation.claimmap',
  Colon: 'punctuation.separator.colon.claimmap',
  Comma: 'punctuation.separator.comma.claimmap',
  Dot: 'punctuation.accessor.claimmap',
  LParen: 'punctuation.section.parens.begin.bracket.round.claimmap',
  RParen: 'punctuation.section.parens.end.bracket.round.claimmap',
  LCurly: 'punctuation.section.block.begin.bracket.curly.claimmap',
  RCurly: 'punctuation.section.block.end.bracket.curly.claimmap',
  LBracket: 'punctuation.section.brackets.begin.bracket.square.claimmap',
  RBracket: 'punctuation.section.brackets.end.bracket.square.claimmap',
  LAngle: 'punctuation.definition.typeparameters.begin.claimmap',
  RAngle: 'punctuation.definition.typeparameters.end.claimmap',
  IntegerLiteral: 'constant.numeric.integer.claimmap',
};
/** The scope every character of a multi-part token must carry (its parts get inner scopes too). */
const SPAN_SCOPES: Readonly<Record<string, string>> = {
  LineComment: 'comment.line.double-slash.claimmap',
  BlockComment: 'comment.block.claimmap',
  UnterminatedComment: 'comment.block.claimmap',
  StringLiteral: 'string.quoted.double.claimmap',
  UnterminatedString: 'invalid.illegal.unterminated-string.claimmap',
  RegexLiteral: 'string.regexp.claimmap',
  Duration: 'constant.numeric.duration.claimmap',
};
/** A name: a claim (declared or referenced), a type, a role, a function, a value of a closed list. */
const NAME_SCOPE = /^(?:variable\.|entity\.name\.|support\.)/;

interface Comparison {
  problems: string[];
  /**
   * Soft keywords the grammar read as names, where the parser reads a name too (`sub : string from "sub"`,
   * `grant claims`, `idp mapping`): the grammar uses the same context as the parser there.
   */
  softNames: number;
  /** Lexer tokens compared. */
  tokens: number;
}

/** Tokenises `text` with the lexer and with the grammar and lists where they disagree. */
async function compare(text: string): Promise<Comparison> {
  const tm = await tokenize(text);
  const lexed = lex(text);
  const problems: string[] = [];
  let softNames = 0;
  const at = (offset: number) => JSON.stringify(text.slice(Math.max(0, offset - 15), offset + 15));
  const tmAt = (offset: number): TmToken | undefined => tm.find((t) => t.start <= offset && offset < t.end);
  const all = [...lexed.tokens, ...(lexed.groups.comments ?? [])];
  for (const tok of all) {
    const type = tok.tokenType.name;
    const start = tok.startOffset;
    const end = start + tok.image.length;
    // The grammar tokenises line by line: a token that ends with a line break (a comment) ends before it there.
    let lastChar = end - 1;
    while (lastChar > start && /[\r\n]/.test(text[lastChar] ?? '')) lastChar--;
    const first = tmAt(start);
    const last = tmAt(lastChar);
    const where = `${type} ${JSON.stringify(tok.image)} at ${start} (${at(start)})`;
    if (first?.start !== start) problems.push(`${where}: the grammar starts no token there`);
    if (last?.end !== lastChar + 1) problems.push(`${where}: the grammar ends no token there`);
    const span = SPAN_SCOPES[type];
    if (span !== undefined) {
      for (let o = start; o < end; o++) {
        if (/\s/.test(text[o] ?? '') && type !== 'StringLiteral' && type !== 'RegexLiteral') continue;
        if (!scopesAt(tm, o).includes(span)) {
          problems.push(`${where}: offset ${o} lacks ${span} (${scopesAt(tm, o).join(' ')})`);
          break;
        }
      }
      continue;
    }
    const inner = first?.scopes.at(-1) ?? '(none)';
    if (first !== last) problems.push(`${where}: the grammar splits it`);
    if (type.startsWith('Kw_')) {
      const word = type.slice('Kw_'.length);
      if (inner === keywordScope(word)) continue;
      if (!RESERVED_WORDS.has(word) && NAME_SCOPE.test(inner)) softNames++;
      else problems.push(`${where}: ${inner}, not ${keywordScope(word)}`);
    } else if (type === 'Identifier') {
      if (!NAME_SCOPE.test(inner)) problems.push(`${where}: ${inner} is not a name scope`);
    } else if (TOKEN_SCOPES[type] !== inner) {
      problems.push(`${where}: ${inner}, not ${TOKEN_SCOPES[type] ?? '(unknown token type)'}`);
    }
  }
  // What the lexer cannot read, and only that, is an invalid character for the grammar.
  const errorAt = new Set<number>();
  for (const e of lexed.errors) for (let o = e.offset; o < e.offset + e.length; o++) errorAt.add(o);
  for (const o of errorAt) {
    if (/\s/.test(text[o] ?? '')) continue;
    if (!scopesAt(tm, o).includes('invalid.illegal.character.claimmap'))
      problems.push(`lexer error at ${o} (${at(o)}) not invalid in the grammar`);
  }
  for (const t of tm) {
    if (t.scopes.includes('invalid.illegal.character.claimmap') && !errorAt.has(t.start))
      problems.push(`grammar marks ${JSON.stringify(t.text)} at ${t.start} invalid, the lexer reads it`);
  }
  return { problems, softNames, tokens: all.length };
}

const invalidTokens = (tokens: readonly TmToken[]) =>
  tokens.filter((t) => t.scopes.some((s) => s.startsWith('invalid.'))).map((t) => `${t.line + 1}: ${t.text}`);

describe('the TextMate grammar on a mapping with every construct', () => {
  const text = [
    '/* block',
    '   comment */ mapping "m\\"x\\u00e9" version "1" {',
    '  idp oidc "https://id.example.com" alias "id.example.com"',
    '  key claim tid, oid unsafe "migrating"',
    '  require hd == "example.com"',
    '  claims {',
    '    sub    : string           from "sub" required',
    '    groups : set<string>      from "realm_access"."roles" optional absent empty normalize lower, trim',
    '    kind   : enum("A", "B")   from "kind" optional trusted "HR only"',
    '    n      : int              from "n" optional',
    '  }',
    '  profile { name = lower(sub) + "@" ?? "x" sync fill clear }',
    '  roles add {',
    '    privileged admin, owner',
    '    grant "Quoted Role" when not (n != 3 or all groups starts_with "a") and kind in ["A", "B"]',
    '    deny admin when any groups matches /^a[b-c\\]]+(?P<x>\\d{2,3})|$/i // end',
    '  }',
    '  entitlements replace { grant "t/{1}/{{x}}" for each groups matching /^t-(.+)$/ when true }',
    '  accounts { on email_conflict link_verified  unique sub }',
    '  lifecycle { offboarding manual runbook "https://x" dormant_after 2w reactivate allow }',
    '  require version == "x" or not key and "a" in claim',
    '}',
  ].join('\n');
  /** The innermost scope of the `n`-th (0-based) occurrence of `word` in the text. */
  const scopeOf = async (word: string, n = 0): Promise<string> => {
    let offset = -1;
    for (let i = 0; i <= n; i++) offset = text.indexOf(word, offset + 1);
    expect(offset, word).toBeGreaterThanOrEqual(0);
    return scopesAt(await tokenize(text), offset).at(-1) ?? '';
  };

  it('scopes each construct', async () => {
    const expected: [string, number, string][] = [
      ['/*', 0, 'punctuation.definition.comment.begin.claimmap'],
      ['comment', 0, 'comment.block.claimmap'],
      ['mapping', 0, 'keyword.other.section.claimmap'],
      ['\\"', 0, 'constant.character.escape.claimmap'],
      ['\\u00e9', 0, 'constant.character.escape.claimmap'],
      ['version', 0, 'keyword.other.clause.claimmap'],
      ['oidc', 0, 'support.constant.idp-kind.claimmap'],
      ['alias', 0, 'keyword.other.clause.claimmap'],
      ['tid', 0, 'variable.other.claim.claimmap'],
      ['unsafe', 0, 'storage.modifier.claimmap'],
      ['==', 0, 'keyword.operator.comparison.claimmap'],
      ['sub', 0, 'entity.name.variable.claim.claimmap'], // a soft keyword declared as a claim
      ['string', 0, 'support.type.primitive.claimmap'],
      ['set', 0, 'support.type.primitive.claimmap'],
      ['<', 0, 'punctuation.definition.typeparameters.begin.claimmap'],
      ['"realm_access"."roles"', 0, 'punctuation.definition.string.begin.claimmap'],
      ['."roles"', 0, 'punctuation.accessor.claimmap'],
      ['empty', 0, 'support.constant.absent.claimmap'],
      ['lower', 0, 'support.function.normalizer.claimmap'],
      ['trim', 0, 'support.function.normalizer.claimmap'],
      ['enum', 0, 'storage.type.enum.claimmap'],
      ['trusted', 0, 'storage.modifier.claimmap'],
      ['int', 0, 'support.type.primitive.claimmap'],
      ['name', 0, 'variable.other.property.profile.claimmap'],
      ['lower', 1, 'support.function.claimmap'],
      ['+', 0, 'keyword.operator.concatenation.claimmap'],
      ['??', 0, 'keyword.operator.coalesce.claimmap'],
      ['fill', 0, 'support.constant.sync.claimmap'],
      ['clear', 0, 'storage.modifier.claimmap'],
      ['add', 0, 'storage.modifier.claimmap'],
      ['privileged', 0, 'storage.modifier.claimmap'],
      ['owner', 0, 'entity.name.type.role.claimmap'],
      ['grant', 0, 'keyword.other.effect.claimmap'],
      ['when', 0, 'keyword.control.conditional.claimmap'],
      ['not', 0, 'keyword.operator.logical.claimmap'],
      ['!=', 0, 'keyword.operator.comparison.claimmap'],
      ['3', 0, 'constant.numeric.integer.claimmap'],
      ['or', 1, 'keyword.operator.logical.claimmap'],
      ['all', 0, 'keyword.operator.quantifier.claimmap'],
      ['starts_with', 0, 'keyword.operator.word.claimmap'],
      ['in [', 0, 'keyword.operator.word.claimmap'],
      ['deny', 0, 'keyword.other.effect.claimmap'],
      ['any', 0, 'keyword.operator.quantifier.claimmap'],
      ['matches', 0, 'keyword.operator.word.claimmap'],
      ['/^a', 0, 'punctuation.definition.string.begin.claimmap'],
      ['^a', 0, 'keyword.control.anchor.regexp'],
      ['[b-c', 0, 'punctuation.definition.character-class.regexp'],
      ['-c', 0, 'constant.other.character-class.range.regexp'],
      ['\\]', 0, 'constant.character.escape.backslash.regexp'],
      ['+(?P', 0, 'keyword.operator.quantifier.regexp'],
      ['(?P<x>', 0, 'punctuation.definition.group.regexp'],
      ['\\d', 0, 'constant.other.character-class.escape.backslash.regexp'],
      ['{2,3}', 0, 'keyword.operator.quantifier.regexp'],
      ['|$', 0, 'keyword.operator.or.regexp'],
      ['i //', 0, 'keyword.other.flag.regexp.claimmap'],
      ['// end', 0, 'punctuation.definition.comment.claimmap'],
      ['{1}', 0, 'constant.other.placeholder.claimmap'],
      ['{{', 0, 'constant.other.placeholder.claimmap'],
      ['for', 0, 'keyword.control.loop.claimmap'],
      ['each', 0, 'keyword.control.loop.claimmap'],
      ['matching', 0, 'keyword.control.loop.claimmap'],
      ['.+', 0, 'constant.other.character-class.regexp'],
      ['true', 0, 'constant.language.boolean.claimmap'],
      ['email_conflict', 0, 'support.constant.accounts-event.claimmap'],
      ['link_verified', 0, 'support.constant.accounts-action.claimmap'],
      ['unique', 0, 'keyword.other.clause.claimmap'],
      ['manual', 0, 'support.constant.offboarding.claimmap'],
      ['runbook', 0, 'keyword.other.clause.claimmap'],
      ['dormant_after', 0, 'keyword.other.clause.claimmap'],
      ['2w', 0, 'constant.numeric.integer.claimmap'],
      ['w reactivate', 0, 'keyword.other.unit.claimmap'],
      ['allow', 0, 'support.constant.reactivate.claimmap'],
    ];
    const actual = await Promise.all(expected.map(async ([word, n]) => scopeOf(word, n)));
    expect(expected.map(([word, n], i) => [word, n, actual[i]])).toEqual(expected);
  });

  it('highlights a claim named like a statement keyword as a claim where the parser reads a claim', async () => {
    const tokens = await tokenize(text);
    const last = text.lastIndexOf('require');
    const at = (word: string) => scopesAt(tokens, text.indexOf(word, last)).at(-1);
    expect([at('version'), at('key'), at('claim')]).toEqual(Array(3).fill('variable.other.claim.claimmap'));
    expect(scopesAt(tokens, text.indexOf('sub)')).at(-1)).toBe('variable.other.claim.claimmap');
    expect(scopesAt(tokens, text.indexOf('sub }')).at(-1)).toBe('variable.other.claim.claimmap');
    expect([at('require'), at('or'), at('not'), at('in')]).toEqual([
      'keyword.other.section.claimmap',
      'keyword.operator.logical.claimmap',
      'keyword.operator.logical.claimmap',
      'keyword.operator.word.claimmap',
    ]);
  });

  it('agrees with the lexer and marks nothing invalid', async () => {
    const { problems, softNames } = await compare(text);
    expect(problems).toEqual([]);
    // `sub :` declared, `lower(sub)` and `unique sub` read, the last line's `version`, `key` and `claim`.
    // And the four uses of the claim `groups` (a keyword inside `scim { groups ... }` only).
    expect(softNames).toBe(10);
    expect(invalidTokens(await tokenize(text))).toEqual([]);
  });

  it('marks the mistakes a highlighter can see: unknown escape, unit, character, unterminated string', async () => {
    const bad = ['a == "x\\q"', 'dormant_after 9m', 'a # b', 'b == "open'].join('\n');
    expect(invalidTokens(await tokenize(bad))).toEqual(['1: \\q', '2: m', '3: #', '4: "open']);
  });

  it('keeps an unterminated block comment open to the end, as the lexer does', async () => {
    const tokens = await tokenize('grant a /* open\nroles {\n}');
    expect(tokens.filter((t) => t.line > 0).every((t) => t.scopes.includes('comment.block.claimmap'))).toBe(true);
    expect((await compare('grant a /* open\nroles {\n}')).problems).toEqual([]);
  });
});

describe('the TextMate grammar on every example', () => {
  it('finds the examples', () => {
    expect(EXAMPLES.length).toBeGreaterThanOrEqual(5);
  });

  it.each(EXAMPLES)('%s: no invalid scope, and the same tokens as the lexer', async (file) => {
    const text = read(file);
    expect(invalidTokens(await tokenize(text))).toEqual([]);
    const { problems, tokens } = await compare(text);
    expect(problems).toEqual([]);
    expect(tokens).toBeGreaterThan(100);
  });
});

describe('the TextMate grammar on every golden mapping (broken on purpose)', () => {
  it('finds the golden mappings', () => {
    expect(GOLDEN.length).toBeGreaterThanOrEqual(50);
  });

  it('agrees with the lexer on each, lexer errors included', async () => {
    const problems: string[] = [];
    for (const file of GOLDEN) {
      for (const p of (await compare(read(file))).problems) problems.push(`${file}: ${p}`);
    }
    expect(problems).toEqual([]);
  });
});

describe('the TextMate grammar against the lexer on generated text', () => {
  /** Pieces of claimmap text, valid and not, so that the generated text hits every token and error the lexer has. */
  const PIECES = [
    ...['mapping', 'sub', 'claims', 'when', 'and', 'not', 'in', 'enum', 'true', 'grant', 'deny', 'privileged'],
    ...['normalize', 'sync', 'idp', 'on', 'offboarding', 'for', 'each', 'matching', 'dormant_after', 'version'],
    ...['groups', 'x-1', '_a', 'set', 'string', 'lower', 'a9'],
    ...['"s"', '"a\\"b"', '"\\q"', '"open', '"{1}"', '/re/i', '/[/]x/', '/a\\/b/', '/', '/*c*/', '/* open', '// c'],
    ...['90d', '9m', '12', '0', '==', '!=', '??', '=', '+', ':', ',', '.', '(', ')', '{', '}', '[', ']', '<', '>'],
    ...['#', '@', ';', '!', '?', '\\', '*', 'é', ' ', ' ', ' ', '\n', '\r\n', '\t', '\uFEFF'],
  ];

  it('the grammar reads every generated text as the lexer does', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.constantFrom(...PIECES), { maxLength: 40 }), async (pieces) => {
        const text = pieces.join('');
        const { problems } = await compare(text);
        expect(problems, JSON.stringify(text)).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });
});
