/**
 * The canonical formatter: AST → text. Two-space indentation, one declaration per line, columns of claims and
 * profile fields aligned. Comments are not kept in the AST, so `claimmap fmt` refuses files with comments unless
 * told to drop them. Parsing the output gives back the same AST (modulo spans): a property test checks it.
 */
import type * as A from './ast.js';
import { RESERVED_WORDS } from './tokens.js';

const str = (s: string): string =>
  `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n').replace(/\r/g, '\\r').replace(/\t/g, '\\t')
    .replace(/[\u0000-\u001f\u007f\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)}"`;

const IDENT = /^[A-Za-z_][A-Za-z0-9_-]*$/;
const roleName = (r: A.RoleNameNode): string => (!r.quoted && IDENT.test(r.value) && !RESERVED_WORDS.has(r.value) ? r.value : str(r.value));

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
    case 'string': case 'int': case 'bool': return literal(e);
    case 'ref': return e.name.name;
    case 'call': return `${e.fn.name}(${e.args.map((a) => expr(a)).join(', ')})`;
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
    case 'not': return `not ${cond(c.arg, 'not')}`;
    case 'contains': return `${literal(c.value)} in ${c.claim.name}`;
    case 'test': {
      const q = c.quantifier ? `${c.quantifier.value} ` : '';
      const cmp = c.comparison;
      const tail =
        cmp.op === 'truthy' ? ''
          : cmp.op === 'eq' ? ` == ${cmp.value ? literal(cmp.value) : ''}`
            : cmp.op === 'ne' ? ` != ${cmp.value ? literal(cmp.value) : ''}`
              : cmp.op === 'one_of' ? ` in [${cmp.values.map(literal).join(', ')}]`
                : cmp.op === 'matches' ? ` matches ${regex(cmp.regex)}`
                  : ` ${cmp.op} ${cmp.value ? literal(cmp.value) : ''}`;
      return `${q}${c.claim.name}${tail}`;
    }
  }
}

function rule(r: A.RuleNode): string {
  const target = r.target ? (r.section === 'roles' ? roleName(r.target) : str(r.target.value)) : '';
  const each = r.forEach ? ` for each ${r.forEach.claim.name} matching ${regex(r.forEach.regex)}` : '';
  return `${r.effect} ${target}${each}${r.when ? ` when ${cond(r.when)}` : ''}`;
}

function table(rows: string[][]): string[] {
  const widths: number[] = [];
  for (const r of rows) r.forEach((c, i) => { if (i < r.length - 1) widths[i] = Math.max(widths[i] ?? 0, c.length); });
  return rows.map((r) => r.map((c, i) => (i < r.length - 1 ? c.padEnd(widths[i]!) : c)).join(' ').trimEnd());
}

function section(s: A.SectionNode): string[] {
  const block = (head: string, lines: string[]) => (lines.length ? [`${head} {`, ...lines.map((l) => `  ${l}`), '}'] : [`${head} {}`]);
  switch (s.kind) {
    case 'idp': return [`idp ${s.protocol.name} ${s.issuer ? str(s.issuer.value) : ''}${s.aliases.map((a) => ` alias ${str(a.value)}`).join('')}`];
    case 'key': {
      const form = s.form === 'nameid' ? `nameid ${s.format?.name ?? ''}` : s.form === 'sub' ? 'sub' : `claim ${s.claims.map((c) => c.name).join(', ')}`;
      return [`key ${form}${s.unsafe ? ` unsafe ${str(s.unsafe.value)}` : ''}`];
    }
    case 'require': return [`require ${cond(s.rule.when)}`];
    case 'claims':
      return block('claims', table(s.claims.map((c) => [
        c.name.name, ':', type(c.type), 'from', c.source.map((x) => str(x.value)).join('.'),
        `${c.presence?.value ?? ''}${c.normalize.length ? ` normalize ${c.normalize.map((n) => n.name).join(', ')}` : ''}`,
      ])));
    case 'profile':
      return block('profile', table(s.fields.map((f) => [f.name.name, '=', expr(f.expr), `sync ${f.sync?.name ?? ''}${f.clear ? ' clear' : ''}`])));
    case 'roles': {
      const lines = [...(s.privileged.length ? [`privileged ${s.privileged.map(roleName).join(', ')}`] : []), ...s.rules.map(rule)];
      return block(`roles${s.mode ? ` ${s.mode.value}` : ''}`, lines);
    }
    case 'entitlements': return block(`entitlements${s.mode ? ` ${s.mode.value}` : ''}`, s.rules.map(rule));
    case 'accounts':
      return block('accounts', s.items.map((i) => (i.kind === 'on' ? `on ${i.event.name} ${i.action?.name ?? ''}` : `unique ${i.fields.map((f) => f.name).join(', ')}`)));
    case 'lifecycle':
      return block('lifecycle', s.items.map((i) =>
        i.kind === 'offboarding' ? `offboarding ${i.method.name}${i.runbook ? ` runbook ${str(i.runbook.value)}` : ''}`
          : i.kind === 'dormant_after' ? `dormant_after ${i.duration?.raw ?? ''}`
            : `reactivate ${i.value?.name ?? ''}`));
  }
}

/**
 * Formats a parsed mapping canonically.
 *
 * @example
 * ```ts
 * const { value } = parse(text);
 * if (value) writeFileSync(file, formatMapping(value));
 * ```
 */
export function formatMapping(ast: A.MappingNode): string {
  const head = `mapping ${str(ast.name?.value ?? '')}${ast.version ? ` version ${str(ast.version.value)}` : ''} {`;
  const body: string[] = [];
  ast.sections.forEach((s, i) => {
    const lines = section(s);
    const prev = ast.sections[i - 1];
    if (i > 0 && (lines.length > 1 || (prev && section(prev).length > 1))) body.push('');
    body.push(...lines);
  });
  return `${head}\n${body.map((l) => (l ? `  ${l}` : '')).join('\n')}\n}\n`;
}
