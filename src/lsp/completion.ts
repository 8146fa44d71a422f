/**
 * Completion from the tokens before the cursor: which block the cursor is in (brace nesting and the keyword that
 * opened each block), and what the statement so far asks for next. Offers the keywords valid there, the declared
 * claims and roles, the vocabularies the checker knows (types, normalisers, sync modes, NameID formats, offboarding
 * methods, profile functions) and, for new claim declarations and `from`, the claim and attribute names of the
 * mapping's IdP (well-known-claims.ts), each annotated with the checker's verdict on whether users can edit it.
 */
import type { IToken } from 'chevrotain';
import { type CompletionItem, CompletionItemKind, InsertTextFormat } from 'vscode-languageserver';
import { isUserEditable, modelIdpKind } from '../check/identity-claims.js';
import { IDP_KIND_NAMES } from '../check/idp-kind.js';
import { type CheckModel, COLLECTION_TYPES, describeType, SCALAR_TYPES } from '../check/model.js';
import { CONFLICT_ACTIONS } from '../check/rules/accounts.js';
import { NORMALIZERS } from '../check/rules/claim-normalize.js';
import { OFFBOARDING } from '../check/rules/lifecycle.js';
import { PROFILE_FUNCTIONS, SYNC_MODES } from '../check/rules/profile.js';
import { NAMEID_FORMATS } from '../model/claim-set.js';
import { lex } from '../syntax/tokens.js';
import type { Analysis } from './analysis.js';
import { isBareName, stringLiteral } from './rename.js';
import { occurrences } from './symbols.js';
import { wellKnownClaims } from './well-known-claims.js';

const SECTIONS = ['idp', 'key', 'require', 'claims', 'profile', 'roles', 'entitlements', 'accounts', 'lifecycle'];
const BLOCK_SECTIONS = new Set(['claims', 'profile', 'roles', 'entitlements', 'accounts', 'lifecycle']);
const CONDITION_OPENERS = new Set(['when', 'and', 'or', 'not', '(', 'require']);
const OPERATORS = ['==', '!=', 'in', 'matches', 'starts_with', 'ends_with'];

/** The token as the completion rules read it: a keyword or punctuation by its text, else its class. */
function word(t: IToken | undefined): string {
  if (!t) return '';
  const n = t.tokenType.name;
  if (n.startsWith('Kw_')) return t.image;
  if (n === 'Identifier') return 'NAME';
  if (n === 'StringLiteral' || n === 'UnterminatedString') return 'STRING';
  if (n === 'RegexLiteral') return 'REGEX';
  if (n === 'IntegerLiteral' || n === 'Duration') return 'NUMBER';
  return t.image;
}

interface Context {
  /** The block the cursor is in: '' outside the mapping, 'mapping' at its top level, else the section keyword. */
  block: string;
  /** The tokens of the current statement, up to the cursor (without a word being typed at the cursor). */
  stmt: IToken[];
  /** Inside a string being typed (`from "ema|`). */
  inString: boolean;
  /** The cursor is on a later line than the statement's last token: a new statement may start here. */
  newLine: boolean;
}

/** Where the cursor is: the enclosing block and the statement typed so far. Null inside a comment. */
function contextAt(text: string, offset: number): Context | null {
  const prefix = text.slice(0, offset);
  const lexed = lex(prefix);
  const lastComment = lexed.groups.comments?.at(-1);
  if (lastComment && lastComment.startOffset + lastComment.image.length >= offset && !/\*\/$/.test(lastComment.image))
    return null;
  if (lastComment?.image.startsWith('//') && lastComment.startOffset + lastComment.image.length === offset) return null;
  const tokens = lexed.tokens.filter((t) => t.tokenType.name !== 'UnterminatedComment');
  const last = tokens.at(-1);
  const inString = last?.tokenType.name === 'UnterminatedString' && last.startOffset + last.image.length === offset;
  // A word being typed at the cursor is what completion replaces: the context is what comes before it.
  if (last && last.startOffset + last.image.length === offset && /^[A-Za-z_]/.test(last.image)) tokens.pop();
  if (inString) tokens.pop();
  const stack: string[] = [];
  let opener = '';
  let stmtStart = 0;
  tokens.forEach((t, i) => {
    const w = word(t);
    if (w === '{') {
      stack.push(opener || 'block');
      opener = '';
      stmtStart = i + 1;
    } else if (w === '}') {
      stack.pop();
      stmtStart = i + 1;
    } else if (stack.length === 0 && w === 'mapping') opener = 'mapping';
    else if (stack.length === 1 && SECTIONS.includes(w)) {
      opener = BLOCK_SECTIONS.has(w) ? w : '';
      stmtStart = i;
    } else if (stack.length === 2 && startsStatement(stack[1] ?? '', tokens, i)) stmtStart = i;
  });
  const end = tokens.at(-1);
  const from = end ? end.startOffset + end.image.length : 0;
  const newLine = /[\r\n]/.test(prefix.slice(from, inString && last ? last.startOffset : offset));
  const block = stack.length === 0 ? '' : (stack[stack.length === 1 ? 0 : 1] ?? '');
  return { block, stmt: tokens.slice(stmtStart), inString, newLine };
}

/** Whether token `i` starts a statement inside a block of the given section. */
function startsStatement(block: string, tokens: IToken[], i: number): boolean {
  const w = word(tokens[i]);
  switch (block) {
    case 'claims':
    case 'profile':
      return (
        (w === 'NAME' || /^[a-z_]+$/.test(w)) &&
        [':', '='].includes(word(tokens[i + 1])) &&
        word(tokens[i - 1]) !== 'from'
      );
    case 'roles':
      return w === 'grant' || w === 'deny' || w === 'privileged';
    case 'entitlements':
      return w === 'grant' || w === 'deny';
    case 'accounts':
      return w === 'on' || w === 'unique';
    case 'lifecycle':
      return w === 'offboarding' || w === 'dormant_after' || w === 'reactivate';
    default:
      return false;
  }
}

const kw = (label: string, detail?: string): CompletionItem => ({
  label,
  kind: CompletionItemKind.Keyword,
  ...(detail ? { detail } : {}),
});
const values = (labels: readonly string[], detail: string): CompletionItem[] =>
  labels.map((label) => ({ label, kind: CompletionItemKind.EnumMember, detail }));

/**
 * The completion items at `offset`.
 *
 * @example
 * ```ts
 * const items = completionsAt(analyses.get(doc), doc.offsetAt(params.position));
 * ```
 */
export function completionsAt(a: Analysis, offset: number): CompletionItem[] {
  const ctx = contextAt(a.text, offset);
  if (!ctx) return [];
  const m = a.model;
  const s = ctx.stmt.map(word);
  const prev = s.at(-1) ?? '';
  if (ctx.block === '') return prev === '' ? [mappingSnippet()] : [];
  if (ctx.inString) return prev === 'from' || s.at(-2) === 'from' ? sourceItems(m, ctx.inString) : [];
  const starters = ctx.newLine ? (STARTERS[ctx.block] ?? []) : [];
  const items = inBlock(ctx, m, s, prev);
  return [...items, ...starters.filter((x) => !items.some((i) => i.label === x)).map((x) => kw(x))];
}

/** The keywords that start a statement in each block. */
const STARTERS: Readonly<Record<string, readonly string[]>> = {
  mapping: SECTIONS,
  roles: ['grant', 'deny', 'privileged'],
  entitlements: ['grant', 'deny'],
  accounts: ['on', 'unique'],
  lifecycle: ['offboarding', 'dormant_after', 'reactivate'],
};

function inBlock(ctx: Context, m: CheckModel | null, s: string[], prev: string): CompletionItem[] {
  switch (ctx.block) {
    case 'mapping':
      return topLevel(m, s, prev);
    case 'claims':
      return claimsBlock(m, s, prev);
    case 'profile':
      return profileBlock(m, s, prev);
    case 'roles':
      return roleRule(m, s, prev);
    case 'entitlements':
      return entitlementRule(m, s, prev);
    case 'accounts':
      return accountsBlock(m, s, prev);
    case 'lifecycle':
      return lifecycleBlock(s, prev);
    default:
      return [];
  }
}

function mappingSnippet(): CompletionItem {
  return {
    label: 'mapping',
    kind: CompletionItemKind.Snippet,
    detail: 'a new mapping',
    insertTextFormat: InsertTextFormat.Snippet,
    // biome-ignore lint/suspicious/noTemplateCurlyInString: an LSP snippet, not a template
    insertText: 'mapping "${1:name}" {\n  idp ${2|oidc,saml|} "${3:issuer}"\n  key ${4:sub}\n  $0\n}',
  };
}

function claimItems(m: CheckModel | null, filter: (t: string) => boolean = () => true): CompletionItem[] {
  if (!m) return [];
  return [...m.claims.values()]
    .filter((c) => filter(describeType(c.type)))
    .map((c) => ({
      label: c.decl.name.name,
      kind: CompletionItemKind.Variable,
      detail: `claim: ${describeType(c.type)}`,
    }));
}

function roleItems(m: CheckModel | null): CompletionItem[] {
  if (!m) return [];
  const names = [
    ...new Set(
      occurrences(m)
        .filter((o) => o.kind === 'role')
        .map((o) => o.name),
    ),
  ];
  return names.map((n) => ({
    label: n,
    kind: CompletionItemKind.EnumMember,
    detail: 'role',
    insertText: isBareName(n) ? n : stringLiteral(n),
  }));
}

function conditionItems(m: CheckModel | null, s: string[], prev: string): CompletionItem[] | null {
  if (!s.includes('when') && s[0] !== 'require') return null;
  if (CONDITION_OPENERS.has(prev)) return [...claimItems(m), kw('not'), kw('any'), kw('all')];
  if (prev === 'any' || prev === 'all') return claimItems(m, (t) => t.startsWith('set') || t.startsWith('list'));
  if (prev === 'in') return claimItems(m, (t) => t.startsWith('set') || t.startsWith('list'));
  if (prev === 'NAME' && !['in'].includes(s.at(-2) ?? ''))
    return OPERATORS.map((o) => kw(o, 'comparison')).concat(kw('and'), kw('or'));
  if (['STRING', 'NUMBER', 'REGEX', 'true', 'false', ']', ')'].includes(prev) || prev === 'NAME')
    return [kw('and'), kw('or'), kw('unsafe')];
  return null;
}

function topLevel(m: CheckModel | null, s: string[], prev: string): CompletionItem[] {
  const head = s[0] ?? '';
  if (head === 'idp') {
    if (prev === 'idp') return values(['oidc', 'saml'], 'protocol');
    if (prev === 'STRING') return [kw('alias', 'another spelling of the issuer'), ...sectionItems()];
  }
  if (head === 'key') {
    if (prev === 'key') return [kw('sub', 'OIDC sub'), kw('nameid', 'SAML NameID'), kw('claim', 'declared claims')];
    if (prev === 'nameid') return values(Object.keys(NAMEID_FORMATS), 'NameID format');
    if (prev === 'claim' || (prev === ',' && s.includes('claim'))) return claimItems(m);
    if (prev !== 'unsafe') return [kw('unsafe', 'an override, with its reason'), ...sectionItems()];
  }
  if (head === 'roles' || head === 'entitlements') {
    if (prev === head) return values(['replace', 'add'], 'mode');
  }
  const cond = conditionItems(m, s, prev);
  if (cond) return cond;
  return sectionItems();
}

function sectionItems(): CompletionItem[] {
  return SECTIONS.map((x) => kw(x, 'section'));
}

function claimsBlock(m: CheckModel | null, s: string[], prev: string): CompletionItem[] {
  if (s[1] !== ':') return newClaimItems(m);
  if (prev === ':') return typeItems(true);
  if (prev === '<') return typeItems(false);
  if (!s.includes('from')) return prev === '>' || prev === 'NAME' || prev === ')' ? [kw('from')] : [];
  if (prev === 'from') return sourceItems(m, false);
  const presence = s.includes('required') || s.includes('optional');
  if (!presence) return prev === 'STRING' ? [kw('required'), kw('optional')] : [];
  if (prev === 'normalize' || (prev === ',' && s.includes('normalize'))) return values(NORMALIZERS, 'normaliser');
  if (prev === 'absent') return [kw('empty', 'an absent set or list claim reads as the empty set')];
  if (prev === 'trusted') return [];
  return [
    ...(s.includes('absent') ? [] : [kw('absent', 'absent empty')]),
    ...(s.includes('normalize') ? [] : [kw('normalize')]),
    ...(s.includes('trusted') ? [] : [kw('trusted', 'users cannot edit this claim: say why')]),
    ...newClaimItems(m),
  ];
}

function typeItems(withCollections: boolean): CompletionItem[] {
  const scalar = SCALAR_TYPES.map((t) => ({ label: t, kind: CompletionItemKind.TypeParameter, detail: 'type' }));
  if (!withCollections) return scalar;
  return [
    ...scalar,
    ...COLLECTION_TYPES.map((t) => ({
      label: `${t}<string>`,
      kind: CompletionItemKind.TypeParameter,
      detail: 'type',
      insertTextFormat: InsertTextFormat.Snippet,
      insertText: `${t}<\${1:string}>`,
    })),
    {
      label: 'enum(...)',
      kind: CompletionItemKind.TypeParameter,
      detail: 'type',
      insertTextFormat: InsertTextFormat.Snippet,
      // biome-ignore lint/suspicious/noTemplateCurlyInString: an LSP snippet, not a template
      insertText: 'enum("${1:value}")',
    },
  ];
}

function editableNote(m: CheckModel | null, source: readonly string[]): string {
  if (!m) return '';
  const kind = modelIdpKind(m);
  const e = isUserEditable(source, kind);
  return e
    ? `\n\nUser-editable at ${IDP_KIND_NAMES[kind]}: ${e.reason} (${e.source}). Never base a privileged role on it.`
    : '';
}

function known(m: CheckModel | null) {
  return wellKnownClaims(m ? modelIdpKind(m) : 'generic', m?.protocol ?? null);
}

/** Declarations of well-known claims not declared yet, at the start of a claim line. */
function newClaimItems(m: CheckModel | null): CompletionItem[] {
  const declared = new Set(m ? [...m.claims.values()].map((c) => c.decl.source.map((x) => x.value).join('.')) : []);
  return known(m)
    .filter((c) => !declared.has(c.source.join('.')))
    .map((c, i) => {
      const src = c.source.map(stringLiteral).join('.');
      return {
        label: c.name,
        kind: CompletionItemKind.Field,
        detail: `${c.type} from ${src}`,
        documentation: { kind: 'markdown' as const, value: c.doc + editableNote(m, c.source) },
        sortText: String(i).padStart(4, '0'),
        insertTextFormat: InsertTextFormat.Snippet,
        insertText: `\${1:${c.name}} : ${c.type} from ${src.replace(/[$}\\]/g, '\\$&')} \${2|optional,required|}`,
      };
    });
}

/** Attribute names after `from` (with their quotes, or inside the string being typed). */
function sourceItems(m: CheckModel | null, inString: boolean): CompletionItem[] {
  return known(m).map((c, i) => {
    const src = c.source.map(stringLiteral).join('.');
    return {
      label: c.source.join('.'),
      kind: CompletionItemKind.Value,
      detail: `${c.type}: ${c.doc}`,
      documentation: { kind: 'markdown' as const, value: c.doc + editableNote(m, c.source) },
      sortText: String(i).padStart(4, '0'),
      insertText: inString ? src.slice(1) : src,
      filterText: inString ? c.source.join('.') : src,
    };
  });
}

function profileBlock(m: CheckModel | null, s: string[], prev: string): CompletionItem[] {
  if (s[1] !== '=') return [];
  if (prev === 'sync') return values(SYNC_MODES, 'sync mode');
  if (s.at(-2) === 'sync') return [kw('clear')];
  if (['=', '+', '??', '(', ','].includes(prev))
    return [
      ...claimItems(m),
      ...Object.entries(PROFILE_FUNCTIONS).map(([name, f]) => ({
        label: name,
        kind: CompletionItemKind.Function,
        detail: f.doc,
      })),
    ];
  return [kw('sync'), kw('+', 'concatenate'), kw('??', 'fall back when absent')];
}

function roleRule(m: CheckModel | null, s: string[], prev: string): CompletionItem[] {
  if (s.length === 0 || (s.length > 0 && s[0] !== 'grant' && s[0] !== 'deny' && s[0] !== 'privileged'))
    return [kw('grant'), kw('deny'), kw('privileged', 'roles that need exact grants')];
  if (prev === 'grant' || prev === 'deny' || prev === 'privileged' || (prev === ',' && s[0] === 'privileged'))
    return roleItems(m);
  if (s[0] === 'privileged') return [kw('grant'), kw('deny')];
  const cond = conditionItems(m, s, prev);
  if (cond) return cond;
  if (s.length === 2) return [kw('when'), kw('unsafe'), kw('grant'), kw('deny')];
  return [kw('grant'), kw('deny')];
}

function entitlementRule(m: CheckModel | null, s: string[], prev: string): CompletionItem[] {
  if (s.length === 0 || (s[0] !== 'grant' && s[0] !== 'deny')) return [kw('grant'), kw('deny')];
  if (prev === 'for') return [kw('each')];
  if (prev === 'each') return claimItems(m, (t) => t.startsWith('set') || t.startsWith('list'));
  if (prev === 'NAME' && s.at(-2) === 'each') return [kw('matching')];
  const cond = conditionItems(m, s, prev);
  if (cond) return cond;
  if (prev === 'STRING' || prev === 'REGEX')
    return [...(s.includes('for') ? [] : [kw('for', 'for each <claim> matching /re/')]), kw('when'), kw('unsafe')];
  return [kw('grant'), kw('deny')];
}

function accountsBlock(m: CheckModel | null, s: string[], prev: string): CompletionItem[] {
  if (prev === 'on') return [kw('email_conflict')];
  if (s[0] === 'on' && s.length === 2) return values(CONFLICT_ACTIONS, 'on email_conflict');
  if (prev === 'unique' || (prev === ',' && s[0] === 'unique'))
    return (m?.profile?.fields ?? []).map((f) => ({
      label: f.name.name,
      kind: CompletionItemKind.Property,
      detail: 'profile field',
    }));
  return [kw('on'), kw('unique')];
}

function lifecycleBlock(s: string[], prev: string): CompletionItem[] {
  if (prev === 'offboarding') return values(OFFBOARDING, 'offboarding method');
  if (s[0] === 'offboarding' && s.length === 2) return [kw('runbook')];
  if (prev === 'reactivate') return values(['refuse', 'allow'], 'reactivate');
  if (prev === 'dormant_after')
    return [{ label: '90d', kind: CompletionItemKind.Value, detail: 'days (d) or weeks (w)' }];
  return [kw('offboarding'), kw('dormant_after'), kw('reactivate')];
}
