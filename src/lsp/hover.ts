/**
 * Hover: for a claim, its declaration (type, source attribute, presence, normalisers, trust) and whether users can
 * edit it at this IdP (the checker's knowledge); for a role, who can get it (the `claimmap explain` analysis of the
 * compiled plan, or the rules themselves while the mapping has errors), with the exact-path verdict of each grant of
 * a privileged role; for a position under a diagnostic, or a diagnostic code written in a comment, the code's
 * summary from the catalogue and its documentation link.
 */
import type { MarkupContent } from 'vscode-languageserver';
import { diagnosticCatalogue } from '../check/catalogue.js';
import { modelIdpKind, userEditable } from '../check/identity-claims.js';
import { IDP_KIND_NAMES } from '../check/idp-kind.js';
import { type CheckModel, describeType } from '../check/model.js';
import { ruleAnalysis } from '../check/privileged-paths.js';
import type { CodeInfo } from '../check/rule.js';
import { explainRoles } from '../compile/explain.js';
import { diagnosticHelpUri } from '../diagnostics/docs-link.js';
import { plural } from '../diagnostics/plural.js';
import type { Span } from '../syntax/ast.js';
import type { Analysis } from './analysis.js';
import { type Occurrence, occurrenceAt, occurrences, sameSymbol } from './symbols.js';

export interface HoverResult {
  contents: MarkupContent;
  span: Span;
}

let catalogue: Map<string, CodeInfo> | undefined;
function codeInfo(code: string): CodeInfo | undefined {
  catalogue ??= new Map(diagnosticCatalogue().map((c) => [c.code, c]));
  return catalogue.get(code);
}

const md = (value: string): MarkupContent => ({ kind: 'markdown', value });
const code = (s: string): string => `\`${s.replace(/`/g, "'")}\``;

/**
 * What to show when hovering at `offset`, or null.
 *
 * @example
 * ```ts
 * const h = hoverAt(analyses.get(doc), doc.offsetAt(params.position));
 * return h && { contents: h.contents, range: spanRange(doc, h.span) };
 * ```
 */
export function hoverAt(a: Analysis, offset: number): HoverResult | null {
  const parts: string[] = [];
  let span: Span | undefined;
  const m = a.model;
  if (m) {
    const o = occurrenceAt(occurrences(m), offset);
    if (o) {
      parts.push(o.kind === 'claim' ? claimHover(m, o) : roleHover(a, m, o));
      span = o.span;
    }
  }
  const word = codeInComment(a, offset);
  if (word) {
    const info = codeInfo(word.code);
    if (info) parts.push(codeSummary(info));
    span ??= word.span;
  }
  for (const d of a.diagnostics) {
    if (d.range.start.offset > offset || offset > d.range.end.offset) continue;
    const info = codeInfo(d.code);
    if (info && !parts.some((p) => p.includes(diagnosticHelpUri(d.code)))) parts.push(codeSummary(info));
    span ??= { start: d.range.start.offset, end: d.range.end.offset };
  }
  return parts.length && span ? { contents: md(parts.join('\n\n---\n\n')), span } : null;
}

function codeSummary(info: CodeInfo): string {
  return `${code(info.code)} (${info.severity}): ${info.summary} [docs](${diagnosticHelpUri(info.code)})`;
}

/** A catalogue code (`privileged/not-equal`) written in a comment under the cursor. */
function codeInComment(a: Analysis, offset: number): { code: string; span: Span } | undefined {
  const c = a.parsed.comments.find((s) => s.start <= offset && offset <= s.end);
  if (!c) return undefined;
  for (const mt of a.text.slice(c.start, c.end).matchAll(/[a-z]+\/[a-z0-9-]+/g)) {
    const start = c.start + (mt.index ?? 0);
    if (start <= offset && offset <= start + mt[0].length)
      return { code: mt[0], span: { start, end: start + mt[0].length } };
  }
  return undefined;
}

function claimHover(m: CheckModel, o: Occurrence): string {
  const c = m.claims.get(o.name);
  if (!c) return `**claim** ${code(o.name)}: not declared`;
  const d = c.decl;
  const lines = [`**claim** ${code(d.name.name)}: ${code(describeType(c.type))}`];
  const source = d.source.map((s) => JSON.stringify(s.value)).join('.');
  lines.push(`- from ${source ? code(source) : '(no source)'}`);
  lines.push(
    `- ${d.presence?.value === 'required' ? 'required: a login without it is refused' : 'optional: absent means unknown (a deny fires, a grant does not)'}`,
  );
  if (d.absent) lines.push('- absent empty: an absent claim reads as the empty set');
  lines.push(`- normalize: ${d.normalize.length ? d.normalize.map((n) => n.name).join(', ') : 'none'}`);
  if (d.trusted) lines.push(`- trusted: ${d.trusted.value}`);
  const editable = userEditable(m, d);
  if (editable)
    lines.push(
      `- user-editable at ${IDP_KIND_NAMES[modelIdpKind(m)]}: ${editable.reason} ([source](${editable.source}))`,
    );
  const uses = m.refs.filter((r) => r.name.name === d.name.name).length;
  lines.push(`- ${uses ? plural(uses, 'use') : 'unused'}`);
  return lines.join('\n');
}

function roleHover(a: Analysis, m: CheckModel, o: Occurrence): string {
  const privileged = (m.roles?.privileged ?? []).some((p) => p.value === o.name);
  const head = `**role** ${code(o.name)}${privileged ? ' (privileged)' : ''}`;
  const plan = a.compiled().plan;
  const lines = [head];
  if (plan?.roles.declared.includes(o.name)) {
    const [r] = explainRoles(plan, o.name);
    if (r) {
      if (!r.grants.length) lines.push('- never granted by this mapping');
      for (const g of r.grants)
        lines.push(
          `- granted ${g.when ? `when ${code(g.when)}` : 'to everyone who logs in'} (line ${g.line})${g.unsafe !== undefined ? `, unsafe: ${g.unsafe}` : ''}`,
        );
      for (const d of r.denies) {
        const unknown = d.alsoWhenUnknown.length
          ? ` (also when ${d.alsoWhenUnknown.join(' or ')} is absent or malformed)`
          : '';
        lines.push(`- denied ${d.when ? `when ${code(d.when)}${unknown}` : 'always'} (line ${d.line})`);
      }
      if (r.grants.length && r.denies.length) lines.push('- a deny beats any grant');
      if (r.reads.length) lines.push(`- reads: ${r.reads.map(code).join(', ')}`);
    }
  } else {
    // The mapping has errors: no plan. The rules as written.
    const rules = (m.roles?.rules ?? []).filter((r) => r.target?.value === o.name);
    if (!rules.some((r) => r.effect === 'grant')) lines.push('- never granted by this mapping');
    for (const r of rules) {
      const line = a.parsed.lines.position(r.span.start).line;
      const when = r.when ? a.text.slice(r.when.span.start, r.when.span.end).replace(/\s+/g, ' ') : null;
      lines.push(
        `- ${r.effect === 'grant' ? 'granted' : 'denied'} ${when ? `when ${code(when)}` : r.effect === 'grant' ? 'to everyone who logs in' : 'always'} (line ${line})`,
      );
    }
    lines.push('- (from the rules as written: the mapping has errors, so it does not compile)');
  }
  if (privileged) lines.push(...privilegedVerdicts(a, m, o.name));
  const uses = sameSymbol(occurrences(m), o).length;
  lines.push(`- written ${plural(uses, 'time')}`);
  return lines.join('\n');
}

/** For each grant of a privileged role: exact, or inexact (with `unsafe`, accepted). As `explain --privileged`. */
function privilegedVerdicts(a: Analysis, m: CheckModel, role: string): string[] {
  return (m.roles?.rules ?? [])
    .filter((r) => r.effect === 'grant' && r.target?.value === role)
    .map((r) => {
      const analysis = ruleAnalysis(m, r);
      const line = a.parsed.lines.position(r.span.start).line;
      const verdict = analysis.exact
        ? 'exact'
        : r.unsafe && r.unsafe.value.trim() !== ''
          ? `INEXACT, accepted: unsafe ${JSON.stringify(r.unsafe.value)}`
          : 'INEXACT (see `claimmap explain --privileged`)';
      return `- grant on line ${line}: ${verdict}`;
    });
}
