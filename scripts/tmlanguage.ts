/**
 * Writes grammar/claimmap.tmLanguage.json: the TextMate grammar of the claimmap language (scope `source.claimmap`),
 * used by the VS Code extension (editors/vscode), GitHub Linguist, shiki, Sublime Text and the playground.
 * Run with `npm run grammar` (`tsx scripts/tmlanguage.ts`); test/grammar/tmlanguage.test.ts fails when the file is
 * stale, and test/editors/textmate.test.ts checks it against the lexer on every example.
 *
 * The grammar follows the lexer (src/syntax/tokens.ts), which is context-free: every token is recognised wherever it
 * appears, so the grammar is a flat list of `match` rules (plus one begin/end rule for block comments, which span
 * lines). A broken half-typed file never leaves the highlighter stuck in a state. Context is used only to tell names
 * apart: a name before `:` is a claim declaration, before `=` a profile attribute, after `grant` a role, after `idp`,
 * `sync`, `on`, ... a value of a closed list. The keyword list comes from the lexer: a keyword without a role in
 * KEYWORD_ROLES below fails the generation (and the test), so a new keyword cannot go unhighlighted.
 *
 * Plain tmLanguage JSON only (no VS Code-specific keys, no `injections`), so every TextMate engine reads it.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { allTokens, RESERVED_WORDS } from '../src/syntax/tokens.js';

/** Where the grammar is written. Other tools (the playground, Linguist) read it from here: keep the path. */
export const TMLANGUAGE_JSON = fileURLToPath(new URL('../grammar/claimmap.tmLanguage.json', import.meta.url));

/** The scope every keyword of one role gets. */
export const KEYWORD_ROLE_SCOPES = {
  section: 'keyword.other.section.claimmap',
  clause: 'keyword.other.clause.claimmap',
  effect: 'keyword.other.effect.claimmap',
  modifier: 'storage.modifier.claimmap',
  type: 'storage.type.enum.claimmap',
  loop: 'keyword.control.loop.claimmap',
  conditional: 'keyword.control.conditional.claimmap',
  logical: 'keyword.operator.logical.claimmap',
  test: 'keyword.operator.word.claimmap',
  quantifier: 'keyword.operator.quantifier.claimmap',
  boolean: 'constant.language.boolean.claimmap',
} as const;

export type KeywordRole = keyof typeof KEYWORD_ROLE_SCOPES;

/** Every keyword of the lexer and its role. */
export const KEYWORD_ROLES: Readonly<Record<string, KeywordRole>> = {
  // A top-level statement of the mapping: starts a section.
  mapping: 'section',
  idp: 'section',
  key: 'section',
  require: 'section',
  claims: 'section',
  profile: 'section',
  roles: 'section',
  entitlements: 'section',
  accounts: 'section',
  lifecycle: 'section',
  scim: 'section',
  // A word inside a statement that introduces its next part.
  version: 'clause',
  alias: 'clause',
  nameid: 'clause',
  sub: 'clause',
  claim: 'clause',
  from: 'clause',
  normalize: 'clause',
  absent: 'clause',
  sync: 'clause',
  on: 'clause',
  unique: 'clause',
  offboarding: 'clause',
  runbook: 'clause',
  dormant_after: 'clause',
  reactivate: 'clause',
  groups: 'clause',
  deactivate: 'clause',
  // What a rule does.
  grant: 'effect',
  deny: 'effect',
  // A word that qualifies a claim, a rule, a section or a profile attribute.
  required: 'modifier',
  optional: 'modifier',
  trusted: 'modifier',
  unsafe: 'modifier',
  privileged: 'modifier',
  replace: 'modifier',
  add: 'modifier',
  clear: 'modifier',
  // A type constructor.
  enum: 'type',
  // An entitlement template's iteration.
  for: 'loop',
  each: 'loop',
  matching: 'loop',
  // Conditions.
  when: 'conditional',
  and: 'logical',
  or: 'logical',
  not: 'logical',
  in: 'test',
  matches: 'test',
  starts_with: 'test',
  ends_with: 'test',
  any: 'quantifier',
  all: 'quantifier',
  true: 'boolean',
  false: 'boolean',
};

/** The lexer's keywords: its `Kw_<word>` token types. */
export function lexerKeywords(): string[] {
  return allTokens.filter((t) => t.name.startsWith('Kw_')).map((t) => t.name.slice('Kw_'.length));
}

/** The scope of one keyword. */
export function keywordScope(word: string): string {
  const role = KEYWORD_ROLES[word];
  if (role === undefined) throw new TypeError(`keyword '${word}' has no role in KEYWORD_ROLES (scripts/tmlanguage.ts)`);
  return KEYWORD_ROLE_SCOPES[role];
}

// Building blocks. The lexer is ASCII-only: `\w` would also take Unicode letters in Oniguruma, so classes are spelt out.
/** Not preceded / followed by a name character: a whole word. */
const WORD_START = '(?<![A-Za-z0-9_-])';
const WORD_END = '(?![A-Za-z0-9_-])';
/** An identifier (src/syntax/tokens.ts Identifier). */
const IDENT = '[A-Za-z_][A-Za-z0-9_-]*';
/** An identifier that is not a reserved word: where a name stands (the parser never reads `when` as a name). */
const NAME = `(?!(?:${[...RESERVED_WORDS].sort().join('|')})${'(?![A-Za-z0-9_-])'})${IDENT}`;
/** A name where the parser reads a claim. */
const REFERENCE_SCOPE = 'variable.other.claim.claimmap';
/** A comma-separated list of names on one line. */
const NAME_LIST = `${NAME}(?:\\s*,\\s*${NAME})*`;
const escapeRe = (word: string): string => word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

type Captures = Record<string, { name?: string; patterns?: Rule[] }>;
interface Rule {
  name?: string;
  comment?: string;
  match?: string;
  begin?: string;
  end?: string;
  captures?: Captures;
  beginCaptures?: Captures;
  endCaptures?: Captures;
  patterns?: Rule[];
  include?: string;
}

const names = (...scopes: (string | Rule[])[]): Captures => {
  const out: Captures = {};
  scopes.forEach((s, i) => {
    out[String(i + 1)] = typeof s === 'string' ? { name: s } : { patterns: s };
  });
  return out;
};

/** `<keyword> <value>` where the value is one of a closed list the checker knows (idp saml, sync always, ...). */
function keywordThenValue(word: string, valueScope: string, comment: string): Rule {
  return {
    comment,
    match: `${WORD_START}(${word})\\s+(${NAME})${WORD_END}`,
    captures: names(keywordScope(word), valueScope),
  };
}

/** `<keyword> a, b, c` where each name gets `itemScope`. */
function keywordThenList(word: string, itemScope: string, comment: string): Rule {
  return {
    comment,
    match: `${WORD_START}(${word})\\s+(${NAME_LIST})${WORD_END}`,
    captures: names(keywordScope(word), [
      { match: IDENT, name: itemScope },
      { match: ',', name: 'punctuation.separator.comma.claimmap' },
    ]),
  };
}

/** Keyword rules, one per role, in the order of KEYWORD_ROLE_SCOPES. */
function keywordRules(): Rule[] {
  const byRole = new Map<KeywordRole, string[]>();
  for (const word of lexerKeywords()) {
    const role = KEYWORD_ROLES[word];
    if (role === undefined)
      keywordScope(word); // throws with the message
    else byRole.set(role, [...(byRole.get(role) ?? []), word]);
  }
  return (Object.keys(KEYWORD_ROLE_SCOPES) as KeywordRole[])
    .filter((role) => byRole.has(role))
    .map((role) => {
      // Longest first, so that no word is cut at a shorter keyword that prefixes it.
      const words = [...(byRole.get(role) ?? [])].sort((a, b) => b.length - a.length || a.localeCompare(b));
      return { name: KEYWORD_ROLE_SCOPES[role], match: `${WORD_START}(?:${words.map(escapeRe).join('|')})${WORD_END}` };
    });
}

/** The body of a regex literal (RE2 syntax): escapes, classes, groups, quantifiers, anchors, alternation. */
const REGEX_BODY: Rule[] = [
  { name: 'constant.other.character-class.escape.backslash.regexp', match: '\\\\[dDsSwWbBpP]' },
  { name: 'constant.character.escape.backslash.regexp', match: '\\\\[^\\n\\r]' },
  {
    name: 'constant.other.character-class.set.regexp',
    match: '(\\[)(\\^)?((?:\\\\[^\\n\\r]|[^\\]\\\\\\n\\r])*)(\\])',
    captures: names('punctuation.definition.character-class.regexp', 'keyword.operator.negation.regexp', [
      { name: 'constant.character.escape.backslash.regexp', match: '\\\\[^\\n\\r]' },
      { name: 'constant.other.character-class.range.regexp', match: '-' },
    ]),
  },
  { name: 'storage.modifier.mode.regexp', match: '\\(\\?[A-Za-z-]+\\)' },
  { name: 'punctuation.definition.group.regexp', match: '\\((?:\\?(?:P?<[A-Za-z_][A-Za-z0-9_]*>|[A-Za-z-]*:))?' },
  { name: 'punctuation.definition.group.regexp', match: '\\)' },
  { name: 'keyword.operator.quantifier.regexp', match: '(?:[*+?]|\\{[0-9]+(?:,[0-9]*)?\\})\\??' },
  { name: 'keyword.control.anchor.regexp', match: '[\\^$]' },
  { name: 'keyword.operator.or.regexp', match: '\\|' },
  { name: 'constant.other.character-class.regexp', match: '\\.' },
];

/** The lexer's RegexLiteral, with the body, the slashes and the flags captured apart. */
const REGEX_ELEMENT = '(?:\\\\[^\\n\\r]|\\[(?:\\\\[^\\n\\r]|[^\\]\\\\\\n\\r])*\\]|[^\\\\/\\[\\n\\r])';
const REGEX_FIRST = '(?:\\\\[^\\n\\r]|\\[(?:\\\\[^\\n\\r]|[^\\]\\\\\\n\\r])*\\]|[^\\\\/\\[\\n\\r*])';

const STRING_ESCAPES: Rule[] = [
  { name: 'constant.character.escape.claimmap', match: '\\\\(?:["\\\\/nrt]|u[0-9A-Fa-f]{4})' },
  { name: 'invalid.illegal.unknown-escape.claimmap', match: '\\\\[^\\n\\r]?' },
  {
    comment: 'an entitlement template: {1} and {name} are filled from the regex captures, {{ and }} are braces',
    name: 'constant.other.placeholder.claimmap',
    match: '\\{\\{|\\}\\}|\\{[A-Za-z0-9_]+\\}',
  },
];

const TYPE_NAME: Rule[] = [
  {
    comment: 'the types the checker knows (src/check: string email bool int uuid url datetime set list)',
    name: 'support.type.primitive.claimmap',
    match: `${WORD_START}(?:string|email|bool|int|uuid|url|datetime|set|list)${WORD_END}`,
  },
  { name: 'entity.name.type.claimmap', match: IDENT },
];

/** The grammar, as the JSON object written to grammar/claimmap.tmLanguage.json. */
export function buildTmLanguage(): Record<string, unknown> {
  for (const word of Object.keys(KEYWORD_ROLES)) {
    if (!lexerKeywords().includes(word)) throw new TypeError(`KEYWORD_ROLES lists '${word}', which the lexer lacks`);
  }
  const repository: Record<string, Rule> = {
    comments: {
      patterns: [
        {
          name: 'comment.block.claimmap',
          begin: '/\\*',
          end: '\\*/',
          beginCaptures: { '0': { name: 'punctuation.definition.comment.begin.claimmap' } },
          endCaptures: { '0': { name: 'punctuation.definition.comment.end.claimmap' } },
        },
        {
          name: 'comment.line.double-slash.claimmap',
          match: '(//)[^\\n\\r]*',
          captures: names('punctuation.definition.comment.claimmap'),
        },
      ],
    },
    strings: {
      patterns: [
        {
          name: 'string.quoted.double.claimmap',
          match: '(")((?:[^"\\\\\\n\\r]|\\\\[^\\n\\r])*)(")',
          captures: names(
            'punctuation.definition.string.begin.claimmap',
            STRING_ESCAPES,
            'punctuation.definition.string.end.claimmap',
          ),
        },
        {
          comment: 'a string with no closing quote on its line (the lexer reads it as UnterminatedString)',
          name: 'invalid.illegal.unterminated-string.claimmap',
          match: '"(?:[^"\\\\\\n\\r]|\\\\[^\\n\\r])*\\\\?',
        },
      ],
    },
    regex: {
      comment: 'a RegexLiteral: /RE2 pattern/flags; never starts with / or * (those are comments)',
      name: 'string.regexp.claimmap',
      match: `(/)(${REGEX_FIRST}${REGEX_ELEMENT}*)(/)([A-Za-z]*)`,
      captures: names(
        'punctuation.definition.string.begin.claimmap',
        [{ include: '#regex-body' }],
        'punctuation.definition.string.end.claimmap',
        'keyword.other.flag.regexp.claimmap',
      ),
    },
    'regex-body': { patterns: REGEX_BODY },
    declarations: {
      patterns: [
        {
          comment: 'claimDecl: `name : type` (a colon appears nowhere else). set<string>, enum("A", "B")',
          match: `${WORD_START}(${NAME})\\s*(:)\\s*(?:(enum)${WORD_END}|(${NAME})(?:\\s*(<)\\s*(${NAME})\\s*(>))?)?`,
          captures: names(
            'entity.name.variable.claim.claimmap',
            'punctuation.separator.colon.claimmap',
            keywordScope('enum'),
            TYPE_NAME,
            'punctuation.definition.typeparameters.begin.claimmap',
            TYPE_NAME,
            'punctuation.definition.typeparameters.end.claimmap',
          ),
        },
        {
          comment: 'profileDecl: `attribute = expr` (not ==), and the claim the expression starts with',
          match: `${WORD_START}(${NAME})\\s*(=)(?!=)(?:\\s*(${NAME})${WORD_END}(?!\\s*\\())?`,
          captures: names(
            'variable.other.property.profile.claimmap',
            'keyword.operator.assignment.claimmap',
            REFERENCE_SCOPE,
          ),
        },
      ],
    },
    'keyword-values': {
      patterns: [
        keywordThenValue('idp', 'support.constant.idp-kind.claimmap', 'idp saml | oidc'),
        keywordThenValue('nameid', 'support.constant.nameid-format.claimmap', 'key nameid persistent'),
        keywordThenValue('absent', 'support.constant.absent.claimmap', 'absent empty'),
        keywordThenValue('sync', 'support.constant.sync.claimmap', 'sync always | create | fill'),
        keywordThenValue('offboarding', 'support.constant.offboarding.claimmap', 'offboarding scim | ... | none'),
        keywordThenValue('reactivate', 'support.constant.reactivate.claimmap', 'reactivate allow | refuse'),
        {
          comment: 'on email_conflict reject | link_verified',
          match: `${WORD_START}(on)\\s+(${NAME})(?:\\s+(${NAME}))?${WORD_END}`,
          captures: names(
            keywordScope('on'),
            'support.constant.accounts-event.claimmap',
            'support.constant.accounts-action.claimmap',
          ),
        },
        keywordThenList('normalize', 'support.function.normalizer.claimmap', 'normalize lower, trim'),
        keywordThenList('privileged', 'entity.name.type.role.claimmap', 'privileged admin, approver'),
        {
          comment: 'grant / deny <role> (a quoted role or an entitlement is a string)',
          match: `${WORD_START}(grant|deny)\\s+(${NAME})${WORD_END}`,
          captures: names(keywordScope('grant'), 'entity.name.type.role.claimmap'),
        },
      ],
    },
    references: {
      comment:
        'where the parser reads a name as a claim, so that a claim called like a statement keyword (sub, version, key) is highlighted as a claim there too',
      patterns: [
        {
          comment: 'after a condition keyword, or `for each`: when sub, not email_verified, any groups, "x" in claims',
          match: `${WORD_START}(when|and|or|not|in|any|all|each)\\s+(${NAME})${WORD_END}(?!\\s*\\()`,
          captures: names([{ include: '#keywords' }], REFERENCE_SCOPE),
        },
        {
          comment: 'before a comparison or an operator: sub == "x", sub matches /re/, sub ?? "y", sub + "z"',
          match: `${WORD_START}(${NAME})${WORD_END}(?=\\s*(?:==|!=|\\?\\?|\\+|(?:matches|starts_with|ends_with|in)${WORD_END}))`,
          captures: names(REFERENCE_SCOPE),
        },
        {
          comment: 'after ?? or +, or as an argument: email ?? sub, first + last, lower(sub)',
          match: `(\\?\\?|\\+|\\(|,)\\s*(${NAME})${WORD_END}(?!\\s*\\()(?=\\s*(?:[),]|\\?\\?|\\+|sync${WORD_END}|$))`,
          captures: names([{ include: '#operators' }, { include: '#punctuation' }], REFERENCE_SCOPE),
        },
        keywordThenList('claim', REFERENCE_SCOPE, 'key claim tid, oid'),
        keywordThenList('unique', REFERENCE_SCOPE, 'unique email, username'),
      ],
    },
    keywords: { patterns: keywordRules() },
    calls: {
      comment: 'a function call in a profile expression: lower(x), join(a, ", ")',
      match: `${WORD_START}(${NAME})(?=\\s*\\()`,
      captures: names('support.function.claimmap'),
    },
    numbers: {
      patterns: [
        {
          comment: 'a Duration (90d, 2w); the checker accepts the units d and w only',
          name: 'constant.numeric.duration.claimmap',
          match: '([0-9]+)(?:([dw])(?![A-Za-z])|([A-Za-z]+))',
          captures: names(
            'constant.numeric.integer.claimmap',
            'keyword.other.unit.claimmap',
            'invalid.illegal.unit.claimmap',
          ),
        },
        { name: 'constant.numeric.integer.claimmap', match: '[0-9]+' },
      ],
    },
    operators: {
      patterns: [
        { name: 'keyword.operator.comparison.claimmap', match: '==|!=' },
        { name: 'keyword.operator.coalesce.claimmap', match: '\\?\\?' },
        { name: 'keyword.operator.assignment.claimmap', match: '=' },
        { name: 'keyword.operator.concatenation.claimmap', match: '\\+' },
      ],
    },
    punctuation: {
      patterns: [
        { name: 'punctuation.section.block.begin.bracket.curly.claimmap', match: '\\{' },
        { name: 'punctuation.section.block.end.bracket.curly.claimmap', match: '\\}' },
        { name: 'punctuation.section.parens.begin.bracket.round.claimmap', match: '\\(' },
        { name: 'punctuation.section.parens.end.bracket.round.claimmap', match: '\\)' },
        { name: 'punctuation.section.brackets.begin.bracket.square.claimmap', match: '\\[' },
        { name: 'punctuation.section.brackets.end.bracket.square.claimmap', match: '\\]' },
        { name: 'punctuation.definition.typeparameters.begin.claimmap', match: '<' },
        { name: 'punctuation.definition.typeparameters.end.claimmap', match: '>' },
        { name: 'punctuation.separator.comma.claimmap', match: ',' },
        { name: 'punctuation.accessor.claimmap', match: '\\.' },
        { name: 'punctuation.separator.colon.claimmap', match: ':' },
      ],
    },
    identifiers: {
      comment: 'any other name: a reference to a claim',
      name: 'variable.other.claim.claimmap',
      match: IDENT,
    },
    invalid: {
      comment: 'a character the lexer does not accept',
      name: 'invalid.illegal.character.claimmap',
      match: '[^ \\t\\r\\n\\x{FEFF}]',
    },
  };
  const order = [
    'comments',
    'strings',
    'regex',
    'declarations',
    'keyword-values',
    'references',
    'keywords',
    'calls',
    'numbers',
    'operators',
    'punctuation',
    'identifiers',
    'invalid',
  ];
  return {
    $schema: 'https://raw.githubusercontent.com/martinring/tmlanguage/master/tmlanguage.json',
    information_for_contributors: [
      'Generated by scripts/tmlanguage.ts from the lexer (src/syntax/tokens.ts): edit the script, then run `npm run grammar`.',
    ],
    name: 'claimmap',
    scopeName: 'source.claimmap',
    fileTypes: ['claimmap'],
    patterns: order.map((key) => ({ include: `#${key}` })),
    repository,
  };
}

/** The file's text: the grammar as JSON, two-space indented, with a final newline. */
export function renderTmLanguage(): string {
  return `${JSON.stringify(buildTmLanguage(), null, 2)}\n`;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  writeFileSync(TMLANGUAGE_JSON, renderTmLanguage());
  console.log(`wrote ${TMLANGUAGE_JSON}`);
}
