/**
 * The canonical formatter: AST → text. Two-space indentation, one declaration per line, columns of claims and
 * profile fields aligned. Comments are not in the AST: they are placed back by their source spans (before the
 * construct they precede, or trailing the line they trailed). Parsing the output gives back the same AST (modulo
 * spans) and the same comments; `formatSource` checks it before returning, and a property test checks it too.
 */
import type * as A from './ast.js';
import { parse } from './parse.js';
import { RESERVED_WORDS } from './tokens.js';
import { defined, present } from '../model/invariant.js';

const str = (s: string): string =>
  `"${s
    .replace(/\\/g, '\\\\')
    .replace(/"/g, '\\"')
    .replace(/\n/g, '\\n')
    .replace(/\r/g, '\\r')
    .replace(/\t/g, '\\t')
    // biome-ignore lint/suspicious/noControlCharactersInRegex: the other C0 controls and DEL are written as \u escapes
    .replace(/[\u0000-\u001f\u007f\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)}"`;

const IDENT = /^[A-Za-z_][A-Za-z0-9_-]*$/;
const roleName = (r: A.RoleNameNode): string =>
  !r.quoted && IDENT.test(r.value) && !RESERVED_WORDS.has(r.value) ? r.value : str(r.value);

function literal(l: A.LiteralNode): string {
  return l.kind === 'string' ? str(l.value) : l.kind === 'int' ? l.raw : String(l.value);
}

function type(t: A.TypeNode | null): string {
  if (!t) return '';
  if (t.kind === 'enumType') return `enum(${t.values.map((v) => str(v.value)).join(', ')})`;
  return t.argument ? `${t.name.name}<${type(t.argument)}>` : t.name.name;
}

function expr(e: A.ExprNode | null, parent: 'coalesce' | 'concat' | null = null): string {
  if (!e) return '';
  switch (e.kind) {
    case 'string':
    case 'int':
    case 'bool':
      return literal(e);
    case 'ref':
      return e.name.name;
    case 'call':
      return `${e.fn.name}(${e.args.map((a) => expr(a)).join(', ')})`;
    case 'concat': {
      const s = e.args.map((a) => expr(a, 'concat')).join(' + ');
      return parent === 'concat' ? `(${s})` : s;
    }
    case 'coalesce': {
      const s = e.args.map((a) => expr(a, 'coalesce')).join(' ?? ');
      return parent ? `(${s})` : s;
    }
  }
}

const regex = (r: A.RegexNode | null): string => (r ? `/${r.source}/${r.flags}` : '');

function cond(c: A.CondNode | null, parent: 'and' | 'or' | 'not' | null = null): string {
  if (!c) return '';
  switch (c.kind) {
    case 'or': {
      const s = c.args.map((a) => cond(a, 'or')).join(' or ');
      return parent ? `(${s})` : s;
    }
    case 'and': {
      const s = c.args.map((a) => cond(a, 'and')).join(' and ');
      return parent === 'or' || parent === null ? s : `(${s})`;
    }
    case 'not':
      return `not ${cond(c.arg, 'not')}`;
    case 'contains':
      return `${literal(c.value)} in ${c.claim.name}`;
    case 'test': {
      const q = c.quantifier ? `${c.quantifier.value} ` : '';
      const cmp = c.comparison;
      const tail =
        cmp.op === 'truthy'
          ? ''
          : cmp.op === 'eq'
            ? ` == ${cmp.value ? literal(cmp.value) : ''}`
            : cmp.op === 'ne'
              ? ` != ${cmp.value ? literal(cmp.value) : ''}`
              : cmp.op === 'one_of'
                ? ` in [${cmp.values.map(literal).join(', ')}]`
                : cmp.op === 'matches'
                  ? ` matches ${regex(cmp.regex)}`
                  : ` ${cmp.op} ${cmp.value ? literal(cmp.value) : ''}`;
      return `${q}${c.claim.name}${tail}`;
    }
  }
}

function rule(r: A.RuleNode): string {
  const target = r.target ? (r.section === 'roles' ? roleName(r.target) : str(r.target.value)) : '';
  const each = r.forEach ? ` for each ${r.forEach.claim.name} matching ${regex(r.forEach.regex)}` : '';
  return (
    `${r.effect} ` +
    `${target}${each}${r.when ? ` when ${cond(r.when)}` : ''}${r.unsafe ? ` unsafe ${str(r.unsafe.value)}` : ''}`
  );
}

function table(rows: string[][]): string[] {
  const widths: number[] = [];
  for (const r of rows)
    r.forEach((c, i) => {
      if (i < r.length - 1) widths[i] = Math.max(widths[i] ?? 0, c.length);
    });
  return rows.map((r) =>
    r
      .map((c, i) => (i < r.length - 1 ? c.padEnd(defined(widths[i])) : c))
      .join(' ')
      .trimEnd(),
  );
}

/** One output line and the source span it came from (comments are placed by these spans). */
interface Line {
  text: string;
  span: A.Span | null;
  /** On a block's closing line: the whole block's span (a comment trailing a one-line block goes to its head). */
  block?: A.Span;
}

const line = (text: string, span: A.Span | null): Line => ({ text, span });
const indented = (l: Line): Line => ({ ...l, text: `  ${l.text}` });

/** `head {`, the items indented, `}`: the closing line carries the block's last offset so comments stay inside. */
function block(head: string, node: { span: A.Span }, items: Line[]): Line[] {
  const open = line(`${head} {`, { start: node.span.start, end: node.span.start });
  if (!items.length) return [line(`${head} {}`, node.span)];
  const close: Line = { text: '}', span: { start: node.span.end - 1, end: node.span.end }, block: node.span };
  return [open, ...items.map(indented), close];
}

function withSpans<T extends { span: A.Span }>(nodes: T[], texts: string[]): Line[] {
  return texts.map((t, i) => line(t, defined(nodes[i]).span));
}

function section(s: A.SectionNode): Line[] {
  switch (s.kind) {
    case 'idp':
      return [
        line(
          `idp ${s.protocol.name} ` +
            `${s.issuer ? str(s.issuer.value) : ''}${s.aliases.map((a) => ` alias ${str(a.value)}`).join('')}`,
          s.span,
        ),
      ];
    case 'key': {
      const form =
        s.form === 'nameid'
          ? `nameid ${s.format?.name ?? ''}`
          : s.form === 'sub'
            ? 'sub'
            : `claim ${s.claims.map((c) => c.name).join(', ')}`;
      return [line(`key ${form}${s.unsafe ? ` unsafe ${str(s.unsafe.value)}` : ''}`, s.span)];
    }
    case 'require':
      return [line(`require ${cond(s.rule.when)}`, s.span)];
    case 'claims':
      return block(
        'claims',
        s,
        withSpans(
          s.claims,
          table(
            s.claims.map((c) => [
              c.name.name,
              ':',
              type(c.type),
              'from',
              c.source.map((x) => str(x.value)).join('.'),
              `${c.presence?.value ?? ''}${c.absent ? ` absent ${c.absent.value?.name ?? ''}` : ''}${c.normalize.length ? ` normalize ${c.normalize.map((n) => n.name).join(', ')}` : ''}${c.trusted ? ` trusted ${str(c.trusted.value)}` : ''}`,
            ]),
          ),
        ),
      );
    case 'profile':
      return block(
        'profile',
        s,
        withSpans(
          s.fields,
          table(
            s.fields.map((f) => [
              f.name.name,
              '=',
              expr(f.expr),
              `sync ${f.sync?.name ?? ''}${f.clear ? ' clear' : ''}`,
            ]),
          ),
        ),
      );
    case 'roles': {
      const first = s.privileged[0];
      const items = [
        ...(first
          ? [
              line(`privileged ${s.privileged.map(roleName).join(', ')}`, {
                start: first.span.start,
                end: defined(s.privileged[s.privileged.length - 1]).span.end,
              }),
            ]
          : []),
        ...s.rules.map((r) => line(rule(r), r.span)),
      ].sort((a, b) => present(a.span).start - present(b.span).start);
      return block(`roles${s.mode ? ` ${s.mode.value}` : ''}`, s, items);
    }
    case 'entitlements':
      return block(
        `entitlements${s.mode ? ` ${s.mode.value}` : ''}`,
        s,
        s.rules.map((r) => line(rule(r), r.span)),
      );
    case 'accounts':
      return block(
        'accounts',
        s,
        s.items.map((i) =>
          line(
            i.kind === 'on'
              ? `on ${i.event.name} ${i.action?.name ?? ''}`
              : `unique ${i.fields.map((f) => f.name).join(', ')}`,
            i.span,
          ),
        ),
      );
    case 'lifecycle':
      return block(
        'lifecycle',
        s,
        s.items.map((i) =>
          line(
            i.kind === 'offboarding'
              ? `offboarding ${i.method.name}${i.runbook ? ` runbook ${str(i.runbook.value)}` : ''}`
              : i.kind === 'dormant_after'
                ? `dormant_after ${i.duration?.raw ?? ''}${i.action ? ` ${i.action.name}` : ''}`
                : `reactivate ${i.value?.name ?? ''}`,
            i.span,
          ),
        ),
      );
    case 'scim':
      return block(
        'scim',
        s,
        s.items.map((i) => line(`${i.kind} ${i.value?.name ?? ''}`, i.span)),
      );
  }
}

/** The source text the formatter needs to keep comments: the file and its comment spans (from `parse`). */
export interface FormatSource {
  text: string;
  comments: readonly A.Span[];
}

/**
 * Places each comment: on the same line as the construct it follows when it was written there (trailing), else on
 * its own line(s) before the first construct after it, at that construct's indentation. A comment trailing a block
 * written on one line (`accounts { on email_conflict reject }  // why`) trails the block's head once it is expanded.
 * Trailing comments of consecutive lines are aligned in one column, as gofmt does.
 */
function placeComments(lines: Line[], src: FormatSource): string[] {
  const leading = new Map<number, string[]>();
  const trailing = new Map<number, string[]>();
  const tail: string[] = [];
  const add = (m: Map<number, string[]>, i: number, text: string): void => {
    const list = m.get(i);
    if (list) list.push(text);
    else m.set(i, [text]);
  };
  for (const c of src.comments) {
    const text = src.text.slice(c.start, c.end);
    // Trailing: written on the source line where the previous construct ends (after it, or after its block's `{`).
    let prev = -1;
    for (let i = 0; i < lines.length; i++)
      if (defined(lines[i]).span && present(defined(lines[i]).span).end <= c.start) prev = i;
    if (
      prev >= 0 &&
      !/[\r\n]/.test(src.text.slice(present(defined(lines[prev]).span).end, c.start)) &&
      !/[\r\n]/.test(text)
    ) {
      const b = defined(lines[prev]).block;
      const head =
        b && !/[\r\n]/.test(src.text.slice(b.start, b.end)) ? lines.findIndex((l) => l.span?.start === b.start) : -1;
      add(trailing, head >= 0 ? head : prev, text);
      continue;
    }
    const next = lines.findIndex((l) => l.span !== null && l.span.start >= c.end);
    if (next < 0) tail.push(text);
    else add(leading, next, text);
  }
  const out: string[] = [];
  lines.forEach((l, i) => {
    const indent = present(/^ */.exec(l.text))[0] + (l.text.trim() === '}' ? '  ' : '');
    for (const c of leading.get(i) ?? []) out.push(...c.split(/\r\n|\r|\n/).map((x, k) => (k === 0 ? indent + x : x)));
    const comments = trailing.get(i);
    if (!comments) {
      out.push(l.text);
      return;
    }
    // Align with the trailing comments of the lines just before (a run of consecutive commented lines).
    let run = i;
    while (run > 0 && trailing.has(run - 1) && !leading.has(run)) run--;
    let column = 0;
    for (let k = run; k < lines.length && trailing.has(k) && (k === run || !leading.has(k)); k++)
      column = Math.max(column, defined(lines[k]).text.trimEnd().length);
    out.push(`${l.text.trimEnd().padEnd(column)}  ${comments.join('  ')}`);
  });
  return [...out, ...tail];
}

/**
 * Formats a parsed mapping canonically: two-space indentation, one declaration per line, claims and profile fields
 * aligned in columns. With `source`, every comment is kept (before the construct it precedes, or at the end of the
 * line it trailed); without it, comments are dropped.
 *
 * @example
 * ```ts
 * const r = parse(text);
 * if (r.value && !r.diagnostics.length) writeFileSync(file, formatMapping(r.value, { text, comments: r.comments }));
 * ```
 */
export function formatMapping(ast: A.MappingNode, source?: FormatSource): string {
  const head = `mapping ${str(ast.name?.value ?? '')}${ast.version ? ` version ${str(ast.version.value)}` : ''} {`;
  const lines: Line[] = [line(head, { start: ast.span.start, end: ast.span.start })];
  let previousLines = 0;
  for (const s of ast.sections) {
    const own = section(s);
    // A blank line around every multi-line section.
    if (previousLines > 0 && (own.length > 1 || previousLines > 1)) lines.push(line('', null));
    lines.push(...own.map(indented));
    previousLines = own.length;
  }
  lines.push(line('}', { start: ast.span.end - 1, end: ast.span.end }));
  const text = source ? placeComments(lines, source) : lines.map((l) => l.text);
  return `${text.map((t) => t.trimEnd()).join('\n')}\n`;
}

/** The AST without positions, for comparing the meaning of two texts. */
function shape(ast: A.MappingNode | null): string {
  return JSON.stringify(ast, (k, v: unknown) => (k === 'span' ? undefined : k === 'clear' ? v !== null : v));
}

/** The one code of the formatter's own diagnostic; parse diagnostics keep their `DiagnosticCode`. */
export type FormatCode = 'format/would-change-meaning';

export interface FormatResult {
  /** The formatted text, or null when the source has syntax errors (see `diagnostics`) or could not be formatted safely. */
  text: string | null;
  /** Whether `text` differs from the source. */
  changed: boolean;
  diagnostics: import('../diagnostics/diagnostic.js').Diagnostic<
    import('../diagnostics/diagnostic.js').DiagnosticCode | FormatCode
  >[];
}

/**
 * Formats mapping source text, keeping every comment and the line-ending style (CRLF stays CRLF). Refuses a file
 * with syntax errors. The result is re-parsed and compared with the source: a formatting that would change the AST
 * or lose a comment is never returned (`format/would-change-meaning`).
 *
 * @example
 * ```ts
 * const r = formatSource(readFileSync('acme.claimmap', 'utf8'), { filename: 'acme.claimmap' });
 * if (r.text !== null && r.changed) writeFileSync('acme.claimmap', r.text);
 * ```
 */
export function formatSource(text: string, options: { filename?: string } = {}): FormatResult {
  const parsed = parse(text, options);
  if (!parsed.value || parsed.diagnostics.length)
    return { text: null, changed: false, diagnostics: parsed.diagnostics };
  let out = formatMapping(parsed.value, { text, comments: parsed.comments });
  if (text.includes('\r\n')) out = out.replace(/\n/g, '\r\n');
  const again = parse(out, options);
  const commentsOf = (t: string, cs: readonly A.Span[]) =>
    cs
      .map((c) => t.slice(c.start, c.end))
      .sort()
      .join('\u0000');
  if (
    again.diagnostics.length ||
    shape(again.value) !== shape(parsed.value) ||
    commentsOf(out, again.comments) !== commentsOf(text, parsed.comments)
  ) {
    const d = {
      code: 'format/would-change-meaning' as const,
      severity: 'error' as const,
      message: 'formatting this file would change its meaning or lose a comment, so it is left as it is',
      hint: 'please report this file: it is a bug in the formatter',
      file: options.filename ?? '<input>',
      range: parsed.lines.range(0, 0),
    };
    return { text: null, changed: false, diagnostics: [d] };
  }
  const bomless = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  return { text: out, changed: out !== bomless, diagnostics: [] };
}
