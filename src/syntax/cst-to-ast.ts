/**
 * CST → AST. Kept apart from the grammar (parser.ts). Tolerates the partial trees that chevrotain's error recovery
 * produces: a missing child becomes `null` (the parse error is already reported), never an exception.
 */
import type { CstNode, IToken } from 'chevrotain';
import type * as A from './ast.js';

type Children = Record<string, (CstNode | IToken)[] | undefined>;

/** Reports a problem found while building the AST (string escapes, bad numbers). */
export type AstProblem = (code: string, message: string, span: A.Span, hint?: string) => void;

const isToken = (x: CstNode | IToken | undefined): x is IToken => !!x && 'image' in x;

function tok(c: Children, key: string, i = 0): IToken | null {
  const x = c[key]?.[i];
  if (!isToken(x) || x.isInsertedInRecovery || Number.isNaN(x.startOffset)) return null;
  return x;
}
function toks(c: Children, key: string): IToken[] {
  return (c[key] ?? []).filter((x): x is IToken => isToken(x) && !x.isInsertedInRecovery && !Number.isNaN(x.startOffset));
}
function sub(c: Children, key: string, i = 0): CstNode | null {
  const x = c[key]?.[i];
  return x && !isToken(x) ? x : null;
}
function subs(c: Children, key: string): CstNode[] {
  return (c[key] ?? []).filter((x): x is CstNode => !isToken(x));
}
const kids = (n: CstNode): Children => n.children as Children;

export function tokenSpan(t: IToken): A.Span {
  return { start: t.startOffset, end: t.startOffset + t.image.length };
}
function nodeSpan(n: CstNode): A.Span {
  const s = n.location?.startOffset;
  const e = n.location?.endOffset;
  if (s === undefined || Number.isNaN(s)) return { start: 0, end: 0 };
  return { start: s, end: e === undefined || Number.isNaN(e) ? s : e + 1 };
}

/** True when a string token ends with a closing quote: one preceded by an even number of backslashes. */
function isClosedString(image: string): boolean {
  if (image.length < 2 || !image.endsWith('"')) return false;
  let slashes = 0;
  for (let i = image.length - 2; i > 0 && image.charCodeAt(i) === 0x5c; i--) slashes++;
  return slashes % 2 === 0;
}

/** The one-character escapes of a string literal and what they stand for. */
const SIMPLE_ESCAPES: Readonly<Record<string, string>> = { '"': '"', '\\': '\\', '/': '/', n: '\n', r: '\r', t: '\t' };

export class AstBuilder {
  constructor(private readonly problem: AstProblem) {}

  name(t: IToken | null): A.NameNode | null {
    return t ? { name: t.image, span: tokenSpan(t) } : null;
  }

  /** Decodes a string literal's escapes: \" \\ \/ \n \r \t \uXXXX. */
  string(t: IToken | null): A.StringNode | null {
    if (!t) return null;
    // An unterminated string (already reported) has no closing quote.
    const raw = isClosedString(t.image) ? t.image : `${t.image}"`;
    // Most strings have no escape: one slice, no character loop.
    if (!raw.includes('\\')) return { kind: 'string', value: raw.slice(1, -1), span: tokenSpan(t) };
    let out = '';
    for (let i = 1; i < raw.length - 1; i++) {
      const ch = raw[i]!;
      if (ch !== '\\') {
        out += ch;
        continue;
      }
      const e = raw[i + 1] ?? '';
      const simple = SIMPLE_ESCAPES[e];
      if (simple !== undefined) {
        out += simple;
        i++;
      } else if (e === 'u' && /^[0-9A-Fa-f]{4}$/.test(raw.slice(i + 2, i + 6))) {
        out += String.fromCharCode(parseInt(raw.slice(i + 2, i + 6), 16));
        i += 5;
      } else {
        const start = t.startOffset + i;
        this.problem('syntax/invalid-escape', `invalid escape sequence '\\${e}' in a string`, { start, end: start + 2 },
          'use \\" \\\\ \\/ \\n \\r \\t or \\uXXXX');
        out += e;
        i++;
      }
    }
    return { kind: 'string', value: out, span: tokenSpan(t) };
  }

  regex(t: IToken | null): A.RegexNode | null {
    if (!t) return null;
    const last = t.image.lastIndexOf('/');
    return { kind: 'regex', source: t.image.slice(1, last), flags: t.image.slice(last + 1), span: tokenSpan(t) };
  }

  mapping(n: CstNode): A.MappingNode {
    const c = kids(n);
    return {
      kind: 'mapping',
      name: this.string(tok(c, 'StringLiteral')),
      version: this.string(tok(c, 'version')),
      sections: subs(c, 'section').map((s) => this.section(s)).filter((s): s is A.SectionNode => s !== null),
      span: nodeSpan(n),
    };
  }

  section(n: CstNode): A.SectionNode | null {
    const c = kids(n);
    const [key] = Object.keys(c);
    const inner = key ? sub(c, key) : null;
    if (!inner) return null;
    switch (inner.name) {
      case 'idp': return this.idp(inner);
      case 'key': return this.key(inner);
      case 'require': {
        const cond = sub(kids(inner), 'condition');
        const span = nodeSpan(inner);
        const rule: A.RuleNode = {
          kind: 'rule', section: 'require', effect: 'require', target: null, forEach: null,
          when: cond ? this.condition(cond) : null, span,
        };
        return { kind: 'require', rule, span };
      }
      case 'claims': return this.claims(inner);
      case 'profile': return this.profile(inner);
      case 'roles': return this.roles(inner);
      case 'entitlements': return this.entitlements(inner);
      case 'accounts': return this.accounts(inner);
      case 'lifecycle': return this.lifecycle(inner);
      default: return null;
    }
  }

  idp(n: CstNode): A.IdpNode | null {
    const c = kids(n);
    const protocol = this.name(tok(c, 'Name'));
    if (!protocol) return null;
    const aliases = toks(c, 'aliases').map((t) => this.string(t)!);
    return { kind: 'idp', protocol, issuer: this.string(tok(c, 'StringLiteral')), aliases, span: nodeSpan(n) };
  }

  key(n: CstNode): A.KeyNode {
    const c = kids(n);
    const form = tok(c, 'Kw_nameid') ? 'nameid' : tok(c, 'Kw_sub') ? 'sub' : 'claim';
    const unsafe = sub(c, 'unsafe');
    return {
      kind: 'key',
      form,
      format: this.name(tok(c, 'format')),
      claims: toks(c, 'claims').map((t) => this.name(t)!),
      unsafe: unsafe ? this.string(tok(kids(unsafe), 'StringLiteral')) : null,
      span: nodeSpan(n),
    };
  }

  claims(n: CstNode): A.ClaimsNode {
    const claims = subs(kids(n), 'claimDecl')
      .map((d) => this.claimDecl(d))
      .filter((d): d is A.ClaimDeclNode => d !== null);
    return { kind: 'claims', claims, span: nodeSpan(n) };
  }

  claimDecl(n: CstNode): A.ClaimDeclNode | null {
    const c = kids(n);
    const name = this.name(tok(c, 'Name'));
    if (!name) return null;
    const typeNode = sub(c, 'type');
    const sourceNode = sub(c, 'source');
    const req = tok(c, 'Kw_required');
    const opt = tok(c, 'Kw_optional');
    const presenceTok = req ?? opt;
    return {
      kind: 'claimDecl',
      name,
      type: typeNode ? this.type(typeNode) : null,
      source: sourceNode ? toks(kids(sourceNode), 'StringLiteral').map((t) => this.string(t)!) : [],
      presence: presenceTok ? { value: req ? 'required' : 'optional', span: tokenSpan(presenceTok) } : null,
      normalize: toks(c, 'normalizers').map((t) => this.name(t)!),
      span: nodeSpan(n),
    };
  }

  type(n: CstNode): A.TypeNode | null {
    const c = kids(n);
    if (tok(c, 'Kw_enum') && c['LParen']) {
      return { kind: 'enumType', values: toks(c, 'StringLiteral').map((t) => this.string(t)!), span: nodeSpan(n) };
    }
    const name = this.name(tok(c, 'Name'));
    if (!name) return null;
    const arg = sub(c, 'type');
    return { kind: 'namedType', name, argument: arg ? this.type(arg) : null, span: nodeSpan(n) };
  }

  profile(n: CstNode): A.ProfileNode {
    const fields = subs(kids(n), 'profileDecl')
      .map((d) => this.profileDecl(d))
      .filter((d): d is A.ProfileDeclNode => d !== null);
    return { kind: 'profile', fields, span: nodeSpan(n) };
  }

  profileDecl(n: CstNode): A.ProfileDeclNode | null {
    const c = kids(n);
    const name = this.name(tok(c, 'Name'));
    if (!name) return null;
    const e = sub(c, 'expr');
    const clear = tok(c, 'Kw_clear');
    return {
      kind: 'profileDecl',
      name,
      expr: e ? this.expr(e) : null,
      sync: this.name(tok(c, 'mode')),
      clear: clear ? tokenSpan(clear) : null,
      span: nodeSpan(n),
    };
  }

  expr(n: CstNode): A.ExprNode | null {
    const parts = subs(kids(n), 'concatExpr').map((x) => this.concatExpr(x)).filter((x): x is A.ExprNode => x !== null);
    if (parts.length === 0) return null;
    return parts.length === 1 ? parts[0]! : { kind: 'coalesce', args: parts, span: nodeSpan(n) };
  }

  concatExpr(n: CstNode): A.ExprNode | null {
    const parts = subs(kids(n), 'atomExpr').map((x) => this.atomExpr(x)).filter((x): x is A.ExprNode => x !== null);
    if (parts.length === 0) return null;
    return parts.length === 1 ? parts[0]! : { kind: 'concat', args: parts, span: nodeSpan(n) };
  }

  atomExpr(n: CstNode): A.ExprNode | null {
    const c = kids(n);
    const lit = sub(c, 'literal');
    if (lit) return this.literal(lit);
    const inner = sub(c, 'inner');
    if (inner) return this.expr(inner);
    const name = this.name(tok(c, 'Name'));
    if (!name) return null;
    if (c['LParen']) {
      const args = subs(c, 'args').map((a) => this.expr(a)).filter((a): a is A.ExprNode => a !== null);
      return { kind: 'call', fn: name, args, span: nodeSpan(n) };
    }
    return { kind: 'ref', name, span: name.span };
  }

  literal(n: CstNode): A.LiteralNode | null {
    const c = kids(n);
    const s = tok(c, 'StringLiteral');
    if (s) return this.string(s);
    const i = tok(c, 'IntegerLiteral');
    if (i) {
      const value = Number(i.image);
      if (!Number.isSafeInteger(value)) {
        this.problem('syntax/number-out-of-range', `the number ${i.image} is too large`, tokenSpan(i),
          `numbers must be at most ${Number.MAX_SAFE_INTEGER}`);
      }
      return { kind: 'int', value, raw: i.image, span: tokenSpan(i) };
    }
    const t = tok(c, 'Kw_true') ?? tok(c, 'Kw_false');
    if (t) return { kind: 'bool', value: t.image === 'true', span: tokenSpan(t) };
    return null;
  }

  mode(n: CstNode | null): A.ModeNode | null {
    if (!n) return null;
    const t = tok(kids(n), 'Kw_replace') ?? tok(kids(n), 'Kw_add');
    return t ? { value: t.image as 'replace' | 'add', span: tokenSpan(t) } : null;
  }

  roleName(n: CstNode | null): A.RoleNameNode | null {
    if (!n) return null;
    const c = kids(n);
    const s = tok(c, 'StringLiteral');
    if (s) {
      const str = this.string(s)!;
      return { value: str.value, quoted: true, span: str.span };
    }
    const t = tok(c, 'Name');
    return t ? { value: t.image, quoted: false, span: tokenSpan(t) } : null;
  }

  effect(n: CstNode | null): 'grant' | 'deny' {
    return n && tok(kids(n), 'Kw_deny') ? 'deny' : 'grant';
  }

  roles(n: CstNode): A.RolesNode {
    const c = kids(n);
    const privileged: A.RoleNameNode[] = [];
    const rules: A.RuleNode[] = [];
    for (const item of subs(c, 'roleItem')) {
      const ic = kids(item);
      if (tok(ic, 'Kw_privileged')) {
        for (const r of subs(ic, 'privileged')) {
          const rn = this.roleName(r);
          if (rn) privileged.push(rn);
        }
        continue;
      }
      const cond = sub(ic, 'condition');
      rules.push({
        kind: 'rule',
        section: 'roles',
        effect: this.effect(sub(ic, 'effect')),
        target: this.roleName(sub(ic, 'roleName')),
        forEach: null,
        when: cond ? this.condition(cond) : null,
        span: nodeSpan(item),
      });
    }
    return { kind: 'roles', mode: this.mode(sub(c, 'mode')), privileged, rules, span: nodeSpan(n) };
  }

  entitlements(n: CstNode): A.EntitlementsNode {
    const c = kids(n);
    const rules = subs(c, 'entitlementRule').map((r): A.RuleNode => {
      const rc = kids(r);
      const target = this.string(tok(rc, 'StringLiteral'));
      const claim = this.name(tok(rc, 'Name'));
      const forTok = tok(rc, 'Kw_for');
      const regex = this.regex(tok(rc, 'RegexLiteral'));
      const cond = sub(rc, 'condition');
      return {
        kind: 'rule',
        section: 'entitlements',
        effect: this.effect(sub(rc, 'effect')),
        target: target ? { value: target.value, quoted: true, span: target.span } : null,
        forEach:
          forTok && claim ? { claim, regex, span: { start: forTok.startOffset, end: (regex ?? claim).span.end } } : null,
        when: cond ? this.condition(cond) : null,
        span: nodeSpan(r),
      };
    });
    return { kind: 'entitlements', mode: this.mode(sub(c, 'mode')), rules, span: nodeSpan(n) };
  }

  condition(n: CstNode): A.CondNode | null {
    const parts = subs(kids(n), 'andCondition').map((x) => this.andCondition(x)).filter((x): x is A.CondNode => x !== null);
    if (parts.length === 0) return null;
    return parts.length === 1 ? parts[0]! : { kind: 'or', args: parts, span: nodeSpan(n) };
  }

  andCondition(n: CstNode): A.CondNode | null {
    const parts = subs(kids(n), 'notCondition').map((x) => this.notCondition(x)).filter((x): x is A.CondNode => x !== null);
    if (parts.length === 0) return null;
    return parts.length === 1 ? parts[0]! : { kind: 'and', args: parts, span: nodeSpan(n) };
  }

  notCondition(n: CstNode): A.CondNode | null {
    const c = kids(n);
    if (tok(c, 'Kw_not')) {
      const inner = sub(c, 'notCondition');
      const arg = inner ? this.notCondition(inner) : null;
      return arg ? { kind: 'not', arg, span: nodeSpan(n) } : null;
    }
    const atom = sub(c, 'atomCondition');
    return atom ? this.atomCondition(atom) : null;
  }

  atomCondition(n: CstNode): A.CondNode | null {
    const c = kids(n);
    const inner = sub(c, 'condition');
    if (inner) return this.condition(inner);
    const lt = sub(c, 'literalTest');
    if (lt) {
      const lc = kids(lt);
      const litNode = sub(lc, 'literal');
      const value = litNode ? this.literal(litNode) : null;
      const claim = this.name(tok(lc, 'Name'));
      return value && claim ? { kind: 'contains', value, claim, span: nodeSpan(lt) } : null;
    }
    const ct = sub(c, 'claimTest');
    return ct ? this.claimTest(ct) : null;
  }

  claimTest(n: CstNode): A.CondNode | null {
    const c = kids(n);
    const claim = this.name(tok(c, 'Name'));
    if (!claim) return null;
    const q = tok(c, 'Kw_any') ?? tok(c, 'Kw_all');
    const cmp = sub(c, 'comparison');
    return {
      kind: 'test',
      quantifier: q ? { value: q.image as A.Quantifier, span: tokenSpan(q) } : null,
      claim,
      comparison: cmp ? this.comparison(cmp) : { op: 'truthy' },
      span: nodeSpan(n),
    };
  }

  comparison(n: CstNode): A.ComparisonNode {
    const c = kids(n);
    const lit = sub(c, 'literal');
    if (tok(c, 'EqEq')) return { op: 'eq', value: lit ? this.literal(lit) : null };
    if (tok(c, 'NotEq')) return { op: 'ne', value: lit ? this.literal(lit) : null };
    if (tok(c, 'Kw_in')) {
      return { op: 'one_of', values: subs(c, 'values').map((v) => this.literal(v)).filter((v): v is A.LiteralNode => v !== null) };
    }
    if (tok(c, 'Kw_matches')) return { op: 'matches', regex: this.regex(tok(c, 'RegexLiteral')) };
    if (tok(c, 'Kw_starts_with')) return { op: 'starts_with', value: this.string(tok(c, 'StringLiteral')) };
    return { op: 'ends_with', value: this.string(tok(c, 'StringLiteral')) };
  }

  accounts(n: CstNode): A.AccountsNode {
    const items: A.AccountsItemNode[] = [];
    for (const item of subs(kids(n), 'accountsItem')) {
      const c = kids(item);
      if (tok(c, 'Kw_on')) {
        const event = this.name(tok(c, 'event'));
        if (event) items.push({ kind: 'on', event, action: this.name(tok(c, 'action')), span: nodeSpan(item) });
      } else {
        items.push({ kind: 'unique', fields: toks(c, 'fields').map((t) => this.name(t)!), span: nodeSpan(item) });
      }
    }
    return { kind: 'accounts', items, span: nodeSpan(n) };
  }

  lifecycle(n: CstNode): A.LifecycleNode {
    const items: A.LifecycleItemNode[] = [];
    for (const item of subs(kids(n), 'lifecycleItem')) {
      const c = kids(item);
      if (tok(c, 'Kw_offboarding')) {
        const method = this.name(tok(c, 'method'));
        if (method) items.push({ kind: 'offboarding', method, runbook: this.string(tok(c, 'StringLiteral')), span: nodeSpan(item) });
      } else if (tok(c, 'Kw_dormant_after')) {
        const d = tok(c, 'Duration');
        const m = d ? /^([0-9]+)([A-Za-z]+)$/.exec(d.image) : null;
        items.push({
          kind: 'dormant_after',
          duration: d && m ? { raw: d.image, amount: Number(m[1]), unit: m[2]!, span: tokenSpan(d) } : null,
          span: nodeSpan(item),
        });
      } else {
        items.push({ kind: 'reactivate', value: this.name(tok(c, 'value')), span: nodeSpan(item) });
      }
    }
    return { kind: 'lifecycle', items, span: nodeSpan(n) };
  }
}
