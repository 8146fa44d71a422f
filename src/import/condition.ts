/**
 * The claimmap conditions an importer writes, as a small tree with constant folding, printed in claimmap syntax;
 * and the table of claims the conditions read (one declaration per source path and type). Shared by the Grafana,
 * Argo CD and Kubernetes importers: each translates its source expressions into `Cond` and lets this module spell
 * them, so every importer quotes strings and parenthesises the same way.
 */
import { oneLine } from './emit.js';

/** A claimmap condition (grammar/claimmap.ebnf `condition`), plus the constants `true` and `false` for folding. */
export type Cond =
  | { t: 'const'; value: boolean }
  | { t: 'in'; value: string; claim: string }
  | { t: 'cmp'; claim: string; op: '==' | '!='; value: string | number | boolean }
  | { t: 'one-of'; claim: string; values: string[] }
  | { t: 'affix'; claim: string; op: 'starts_with' | 'ends_with'; value: string; quantifier?: 'any' }
  | { t: 'matches'; claim: string; regex: string; quantifier?: 'any' }
  | { t: 'bool'; claim: string }
  | { t: 'not'; operand: Cond }
  | { t: 'and'; operands: Cond[] }
  | { t: 'or'; operands: Cond[] };

export const TRUE: Cond = { t: 'const', value: true };
export const FALSE: Cond = { t: 'const', value: false };

/** `a and b and ...`, folding constants and flattening nested conjunctions. */
export function and(...operands: Cond[]): Cond {
  const out: Cond[] = [];
  for (const c of operands) {
    if (c.t === 'const') {
      if (!c.value) return FALSE;
      continue;
    }
    if (c.t === 'and') out.push(...c.operands);
    else out.push(c);
  }
  const unique = dedupe(out);
  if (unique.length === 0) return TRUE;
  return unique.length === 1 ? (unique[0] as Cond) : { t: 'and', operands: unique };
}

/** `a or b or ...`, folding constants and flattening nested disjunctions. */
export function or(...operands: Cond[]): Cond {
  const out: Cond[] = [];
  for (const c of operands) {
    if (c.t === 'const') {
      if (c.value) return TRUE;
      continue;
    }
    if (c.t === 'or') out.push(...c.operands);
    else out.push(c);
  }
  const unique = dedupe(out);
  if (unique.length === 0) return FALSE;
  return unique.length === 1 ? (unique[0] as Cond) : { t: 'or', operands: unique };
}

function dedupe(cs: Cond[]): Cond[] {
  const seen = new Set<string>();
  return cs.filter((c) => {
    const k = JSON.stringify(c);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/** `not a`, folding constants and double negation. */
export function not(operand: Cond): Cond {
  if (operand.t === 'const') return operand.value ? FALSE : TRUE;
  if (operand.t === 'not') return operand.operand;
  return { t: 'not', operand };
}

/** A claimmap string literal: the grammar's escapes, and `\uXXXX` for every other control or format character. */
export function quote(text: string): string {
  let out = '"';
  for (const ch of text) {
    const code = ch.codePointAt(0) ?? 0;
    if (ch === '"') out += '\\"';
    else if (ch === '\\') out += '\\\\';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (code < 0x20 || (code >= 0x7f && code < 0xa0) || /\p{Cf}/u.test(ch)) {
      out += `\\u${code.toString(16).padStart(4, '0')}`;
    } else out += ch;
  }
  return `${out}"`;
}

/** A claimmap regex literal `/.../` for a regex body (slashes escaped). */
export function regexLiteral(body: string): string {
  return `/${body.replace(/\\.|\//g, (m) => (m === '/' ? '\\/' : m))}/`;
}

/** Escapes a literal string for a RE2 regex. */
export function escapeRegex(text: string): string {
  return text.replace(/[\\^$.|?*+()[\]{}]/g, '\\$&');
}

function literal(value: string | number | boolean): string {
  return typeof value === 'string' ? quote(value) : String(value);
}

const PRECEDENCE: Record<Cond['t'], number> = {
  or: 0,
  and: 1,
  not: 2,
  const: 3,
  in: 3,
  cmp: 3,
  'one-of': 3,
  affix: 3,
  matches: 3,
  bool: 3,
};

/**
 * The claimmap spelling of a condition. Constants have no claimmap spelling: a `true` condition is written by
 * leaving `when` out, and a `false` one by not writing the rule, so printing one is a caller mistake.
 */
export function printCond(c: Cond): string {
  const sub = (child: Cond, min: number): string => {
    const text = printCond(child);
    return PRECEDENCE[child.t] < min ? `(${text})` : text;
  };
  switch (c.t) {
    case 'const':
      throw new TypeError('printCond: a constant condition has no claimmap spelling');
    case 'in':
      return `${quote(c.value)} in ${c.claim}`;
    case 'cmp':
      return `${c.claim} ${c.op} ${literal(c.value)}`;
    case 'one-of':
      return `${c.claim} in [${c.values.map(quote).join(', ')}]`;
    case 'affix':
      return `${c.quantifier ? `${c.quantifier} ` : ''}${c.claim} ${c.op} ${quote(c.value)}`;
    case 'matches':
      return `${c.quantifier ? `${c.quantifier} ` : ''}${c.claim} matches ${regexLiteral(c.regex)}`;
    case 'bool':
      return c.claim;
    case 'not':
      // `not` binds tighter than `and`; an atom under it needs no parentheses, a comparison reads better with them.
      return `not ${c.operand.t === 'bool' || c.operand.t === 'not' ? printCond(c.operand) : `(${printCond(c.operand)})`}`;
    case 'and':
      return c.operands.map((o) => sub(o, 2)).join(' and ');
    case 'or':
      return c.operands.map((o) => sub(o, 1)).join(' or ');
  }
}

/** A claim declaration the conditions need. */
export interface ClaimDecl {
  name: string;
  /** OIDC path of literal object keys. */
  source: string[];
  type: string;
  required: boolean;
  absentEmpty?: boolean;
  normalize?: string[];
  /** A trailing comment (where the claim came from). */
  comment?: string;
}

const RESERVED = new Set([
  'when',
  'and',
  'or',
  'not',
  'in',
  'any',
  'all',
  'matches',
  'starts_with',
  'ends_with',
  'true',
  'false',
]);

/** The claims a translated mapping reads: one name per (source path, type, normalisation), stable in first-use order. */
export class ClaimTable {
  private readonly decls: ClaimDecl[] = [];

  /**
   * Declares (or finds) the claim at `source` with `type`, and returns its name. A use that reads an absent claim
   * differently (`absentEmpty`) gets its own declaration; a later use of the same declaration makes it required when
   * it asks so, and adds its comment: nothing a use asks for is dropped.
   */
  use(
    source: string[],
    type: string,
    options: Omit<ClaimDecl, 'name' | 'source' | 'type'> = { required: false },
  ): string {
    const norm = (options.normalize ?? []).join(',');
    const found = this.decls.find(
      (d) =>
        d.type === type &&
        d.source.join('\u0000') === source.join('\u0000') &&
        (d.normalize ?? []).join(',') === norm &&
        (d.absentEmpty ?? false) === (options.absentEmpty ?? false),
    );
    if (found) {
      if (options.required) found.required = true;
      if (options.comment !== undefined && found.comment !== options.comment)
        found.comment = found.comment === undefined ? options.comment : `${found.comment}; ${options.comment}`;
      return found.name;
    }
    const base = claimName(source);
    let name = base;
    for (let n = 2; this.decls.some((d) => d.name === name); n++) name = `${base}_${n}`;
    this.decls.push({ name, source: [...source], type, ...options });
    return name;
  }

  get declarations(): readonly ClaimDecl[] {
    return this.decls;
  }

  /** The `claims { ... }` section, or nothing when no claim is read. */
  print(indent = '  '): string[] {
    if (this.decls.length === 0) return [];
    const rows = this.decls.map((d) => {
      const parts = [
        `${d.name} : ${d.type} from ${d.source.map(quote).join('.')}`,
        d.required ? 'required' : 'optional',
        d.absentEmpty ? 'absent empty' : '',
        d.normalize && d.normalize.length > 0 ? `normalize ${d.normalize.join(', ')}` : '',
      ].filter((p) => p !== '');
      return { text: parts.join(' '), comment: d.comment };
    });
    return [
      `${indent}claims {`,
      ...rows.map((r) => `${indent}  ${r.text}${r.comment ? `  // ${oneLine(r.comment)}` : ''}`),
      `${indent}}`,
    ];
  }
}

/** A claimmap identifier for a claim path: its last segment, non-identifier characters replaced by `_`. */
export function claimName(source: readonly string[]): string {
  const last = source[source.length - 1] ?? 'claim';
  const tail = last.includes('/')
    ? (last
        .split('/')
        .filter((s) => s !== '')
        .pop() ?? last)
    : last;
  let name = tail.replace(/[^A-Za-z0-9_-]/g, '_');
  if (!/^[A-Za-z_]/.test(name)) name = `c_${name}`;
  if (RESERVED.has(name)) name = `${name}_claim`;
  return name;
}
