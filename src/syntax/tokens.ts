/**
 * Tokens of the claimmap language (grammar/claimmap.ebnf, section "Tokens").
 *
 * Statement keywords are *soft*: they belong to the `Name` category, so a claim may be called `sub`, `key` or
 * `version`. Keywords that can appear inside conditions (`and`, `or`, `not`, `in`, `any`, `all`, `matches`,
 * `starts_with`, `ends_with`, `when`, `true`, `false`) are reserved, so conditions stay LL(1) and readable.
 */
import { createToken, type ILexingResult, Lexer, type TokenType } from 'chevrotain';
import { defined } from '../model/invariant.js';

const tokens: TokenType[] = [];
const t = (config: Parameters<typeof createToken>[0]): TokenType => {
  const tok = createToken(config);
  tokens.push(tok);
  return tok;
};

// Trivia. The BOM is white space wherever it appears at the start.
export const WhiteSpace = t({
  name: 'WhiteSpace',
  pattern: /[ \t\r\n\uFEFF]+/,
  group: Lexer.SKIPPED,
  line_breaks: true,
});
// Comments go to their own group: the parser never sees them, the formatter keeps them.
export const LineComment = t({ name: 'LineComment', pattern: /\/\/[^\n\r]*/, group: 'comments' });
export const BlockComment = t({
  name: 'BlockComment',
  pattern: /\/\*[\s\S]*?\*\//,
  group: 'comments',
  line_breaks: true,
});
/** An unclosed `/*`: kept as a token so the parser step can report it with its position. */
export const UnterminatedComment = t({ name: 'UnterminatedComment', pattern: /\/\*[\s\S]*/, line_breaks: true });

/** The category of every token that can stand where a name is expected. */
export const Name = createToken({ name: 'Name', pattern: Lexer.NA, label: 'a name' });

export const StringLiteral = t({ name: 'StringLiteral', pattern: /"(?:[^"\\\n\r]|\\[^\n\r])*"/, label: 'a string' });
export const UnterminatedString = t({ name: 'UnterminatedString', pattern: /"(?:[^"\\\n\r]|\\[^\n\r])*\\?/ });
/** `/RE2 pattern/flags`. A regex never starts with `/` or `*`, so comments win. */
export const RegexLiteral = t({
  name: 'RegexLiteral',
  pattern:
    /\/(?:\\[^\n\r]|\[(?:\\[^\n\r]|[^\]\\\n\r])*\]|[^\\/[\n\r*])(?:\\[^\n\r]|\[(?:\\[^\n\r]|[^\]\\\n\r])*\]|[^\\/[\n\r])*\/[A-Za-z]*/,
  label: 'a regular expression',
});
export const Duration = t({ name: 'Duration', pattern: /[0-9]+[A-Za-z]+/, label: 'a duration (90d)' });
export const IntegerLiteral = t({ name: 'IntegerLiteral', pattern: /[0-9]+/, label: 'a number' });

export const Identifier = createToken({
  name: 'Identifier',
  pattern: /[A-Za-z_][A-Za-z0-9_-]*/,
  categories: [Name],
  label: 'a name',
});

/**
 * Keywords are not lexed by patterns of their own: the lexer reads every word as an Identifier and {@link lex} then
 * looks the word up in the keyword map (one map lookup instead of trying up to seven keyword patterns, each with
 * an Identifier `longer_alt`, per word). Same tokens: a keyword is exactly a whole word, `rolesX` stays a name.
 */
const keywordTypes = new Map<string, TokenType>();
const reservedWords = new Set<string>();
const keyword = (word: string, soft: boolean): TokenType => {
  if (!soft) reservedWords.add(word);
  // The pattern documents the token (grammar diagrams); the lexer is built without keyword tokens.
  const tok = t({
    name: `Kw_${word}`,
    pattern: new RegExp(word),
    label: `'${word}'`,
    ...(soft ? { categories: [Name] } : {}),
  });
  keywordTypes.set(word, tok);
  return tok;
};

// Soft (statement) keywords.
export const Mapping = keyword('mapping', true);
export const Version = keyword('version', true);
export const Idp = keyword('idp', true);
export const Alias = keyword('alias', true);
export const Key = keyword('key', true);
export const NameId = keyword('nameid', true);
export const Sub = keyword('sub', true);
export const Claims = keyword('claims', true);
export const Claim = keyword('claim', true);
export const Unsafe = keyword('unsafe', true);
export const From = keyword('from', true);
export const Required = keyword('required', true);
export const Optional = keyword('optional', true);
export const Normalize = keyword('normalize', true);
export const Absent = keyword('absent', true);
export const Trusted = keyword('trusted', true);
export const Enum = keyword('enum', true);
export const Profile = keyword('profile', true);
export const Sync = keyword('sync', true);
export const Clear = keyword('clear', true);
export const Roles = keyword('roles', true);
export const Replace = keyword('replace', true);
export const Add = keyword('add', true);
export const Privileged = keyword('privileged', true);
export const Grant = keyword('grant', true);
export const Deny = keyword('deny', true);
export const Entitlements = keyword('entitlements', true);
export const For = keyword('for', true);
export const Each = keyword('each', true);
export const Matching = keyword('matching', true);
export const Accounts = keyword('accounts', true);
export const On = keyword('on', true);
export const Unique = keyword('unique', true);
export const Lifecycle = keyword('lifecycle', true);
export const Offboarding = keyword('offboarding', true);
export const Runbook = keyword('runbook', true);
export const DormantAfter = keyword('dormant_after', true);
export const Reactivate = keyword('reactivate', true);
export const Scim = keyword('scim', true);
export const Groups = keyword('groups', true);
export const Deactivate = keyword('deactivate', true);
export const Require = keyword('require', true);

// Reserved (condition) keywords.
export const When = keyword('when', false);
export const And = keyword('and', false);
export const Or = keyword('or', false);
export const Not = keyword('not', false);
export const In = keyword('in', false);
export const Any = keyword('any', false);
export const All = keyword('all', false);
export const Matches = keyword('matches', false);
export const StartsWith = keyword('starts_with', false);
export const EndsWith = keyword('ends_with', false);
export const True = keyword('true', false);
export const False = keyword('false', false);

tokens.push(Identifier);

const punct = (name: string, pattern: RegExp, label: string): TokenType => t({ name, pattern, label });
export const EqEq = punct('EqEq', /==/, "'=='");
export const NotEq = punct('NotEq', /!=/, "'!='");
export const Coalesce = punct('Coalesce', /\?\?/, "'??'");
export const Equals = punct('Equals', /=/, "'='");
export const Plus = punct('Plus', /\+/, "'+'");
export const Colon = punct('Colon', /:/, "':'");
export const Comma = punct('Comma', /,/, "','");
export const Dot = punct('Dot', /\./, "'.'");
export const LParen = punct('LParen', /\(/, "'('");
export const RParen = punct('RParen', /\)/, "')'");
export const LCurly = punct('LCurly', /\{/, "'{'");
export const RCurly = punct('RCurly', /\}/, "'}'");
export const LBracket = punct('LBracket', /\[/, "'['");
export const RBracket = punct('RBracket', /\]/, "']'");
export const LAngle = punct('LAngle', /</, "'<'");
export const RAngle = punct('RAngle', />/, "'>'");

/** Every token type, in lexing priority order, plus the `Name` category. */
export const allTokens: TokenType[] = [...tokens, Name];

/** Words that can never be used as names. */
export const RESERVED_WORDS: ReadonlySet<string> = reservedWords;

const keywordSet: ReadonlySet<TokenType> = new Set(keywordTypes.values());
let claimmapLexer: Lexer | undefined;

/**
 * The chevrotain lexer, built once, on first use (building it analyses every token pattern, which a module that only
 * needs the token types should not pay for). Only offsets are tracked: lines and columns are derived by LineCounter
 * where a diagnostic needs them. `ensureOptimizations`: every pattern must allow chevrotain's first-character dispatch.
 */
function getLexer(): Lexer {
  claimmapLexer ??= new Lexer(
    allTokens.filter((tok) => !keywordSet.has(tok)),
    {
      positionTracking: 'onlyOffset',
      ensureOptimizations: true,
      skipValidations: true,
    },
  );
  return claimmapLexer;
}

/**
 * Lexes a mapping: the chevrotain lexer, then each Identifier that is a keyword gets the keyword's token type.
 *
 * @example
 * ```ts
 * lex('roles { grant a }').tokens.map((t) => t.tokenType.name); // ['Kw_roles', 'LCurly', 'Kw_grant', 'Identifier', 'RCurly']
 * ```
 */
export function lex(text: string): ILexingResult {
  const result = getLexer().tokenize(text);
  for (const tok of result.tokens) {
    if (tok.tokenType !== Identifier) continue;
    const kw = keywordTypes.get(tok.image);
    if (kw !== undefined) {
      tok.tokenType = kw;
      tok.tokenTypeIdx = defined(kw.tokenTypeIdx);
    }
  }
  return result;
}
