/**
 * compile(): source → parse → check → immutable plan. Returns `{ plan, diagnostics }` and never throws on user
 * input. The plan is null when any error was found.
 */
import { check } from '../check/check.js';
import { parseTemplate } from '../model/entitlement-template.js';
import type { CheckModel } from '../check/model.js';
import { NAMEID_FORMATS, type NameIdFormatName } from '../model/claim-set.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { LineCounter } from '../diagnostics/line-counter.js';
import { DiagnosticSink } from '../diagnostics/make.js';
import { DEFAULT_MAX_DIAGNOSTICS, sortDiagnostics } from '../diagnostics/sort.js';
import { analyzeRegex } from '../regex/index.js';
import type * as A from '../syntax/ast.js';
import { parse, type ParseOptions } from '../syntax/parse.js';
import { decodeSource } from '../syntax/source.js';
import { planDigest } from './digest.js';
import {
  deepFreeze,
  PLAN_FORMAT,
  type ClaimPlan,
  type Cond,
  type Expr,
  type KeyPlan,
  type Literal,
  type Normalizer,
  type Plan,
  type ProfilePlan,
  type RegexPlan,
  type RequirePlan,
  type RulePlan,
  type ScimPlan,
  type SourceLoc,
  type TemplatePart,
  type UnsafeOverride,
} from '../model/plan.js';
import { defined, present } from '../model/invariant.js';
import { plural } from '../diagnostics/plural.js';

/**
 * Options of {@link compile} and {@link lint}: the file name for diagnostics and the input limits.
 *
 * @example
 * ```ts
 * const options: CompileOptions = { filename: 'acme.claimmap', maxDiagnostics: 20 };
 * const { plan } = compile(text, options);
 * ```
 */
export interface CompileOptions extends ParseOptions {
  /** At most this many diagnostics are returned (sorted); when cut, the last one is an info saying how many. Default 100. */
  maxDiagnostics?: number;
}

/**
 * What {@link compile} returns: the plan (null when there is an error) and every diagnostic, sorted.
 *
 * @example
 * ```ts
 * const { plan, diagnostics }: CompileResult = compile(text, { filename: 'acme.claimmap' });
 * if (!plan) process.stderr.write(renderTextReport(diagnostics));
 * ```
 */
export interface CompileResult {
  /** The plan, or null when there are errors. */
  plan: Plan | null;
  /** Every diagnostic, sorted by file, offset and code, capped at maxDiagnostics. */
  diagnostics: Diagnostic[];
}

/** Sorts and caps diagnostics (cel-go caps at 100): the cut is itself reported. The language server uses it too. */
export function finishDiagnostics(ds: Diagnostic[], max = DEFAULT_MAX_DIAGNOSTICS): Diagnostic[] {
  const sorted = sortDiagnostics(ds);
  if (sorted.length <= max) return sorted;
  const kept = sorted.slice(0, Math.max(0, max - 1));
  const first = defined(sorted[kept.length]);
  const rest = sorted.length - kept.length;
  const errors = sorted.slice(kept.length).filter((d) => d.severity === 'error').length;
  kept.push({
    code: 'diagnostics/too-many',
    severity: 'info',
    message: `${plural(rest, 'more diagnostic')} (${plural(errors, 'error')}) from here on are not shown`,
    file: first.file,
    range: first.range,
    hint: 'fix these first, or raise maxDiagnostics (--max-diagnostics)',
  });
  return kept;
}

class PlanBuilder {
  constructor(
    private readonly m: CheckModel,
    private readonly lines: LineCounter,
    private readonly text: string,
  ) {}

  loc(span: A.Span): SourceLoc {
    const p = this.lines.position(span.start);
    return { line: p.line, column: p.column };
  }

  regex(re: A.RegexNode): RegexPlan {
    const a = this.m.regexes.get(re) ?? analyzeRegex(re.source, re.flags === 'i' ? 'i' : '');
    return {
      source: re.source,
      flags: re.flags === 'i' ? 'i' : '',
      engine: a.nativeSafe ? 'native' : 're2',
      groups: a.groups,
      names: [...a.names],
    };
  }

  literal(l: A.LiteralNode): Literal {
    return l.value;
  }

  expr(e: A.ExprNode): Expr {
    switch (e.kind) {
      case 'string':
      case 'int':
      case 'bool':
        return { op: 'literal', value: e.value };
      case 'ref':
        return { op: 'claim', claim: e.name.name };
      case 'concat':
        return { op: 'concat', args: e.args.map((a) => this.expr(a)) };
      case 'coalesce':
        return { op: 'coalesce', args: e.args.map((a) => this.expr(a)) };
      case 'call':
        return {
          op: 'call',
          fn: e.fn.name as Extract<Expr, { op: 'call' }>['fn'],
          args: e.args.map((a) => this.expr(a)),
        };
    }
  }

  cond(c: A.CondNode): Cond {
    switch (c.kind) {
      case 'and':
      case 'or':
        return { op: c.kind, args: c.args.map((a) => this.cond(a)) };
      case 'not':
        return { op: 'not', arg: this.cond(c.arg) };
      case 'contains':
        return { op: 'contains', claim: c.claim.name, value: this.literal(c.value) };
      case 'test': {
        const claim = c.claim.name;
        const quantifier = c.quantifier?.value ?? 'one';
        const cmp = c.comparison;
        switch (cmp.op) {
          case 'truthy':
            return { op: 'truthy', claim };
          case 'eq':
          case 'ne':
            return { op: cmp.op, claim, value: this.literal(present(cmp.value)) };
          case 'one_of':
            return { op: 'one_of', claim, values: cmp.values.map((v) => this.literal(v)) };
          case 'matches':
            return { op: 'matches', quantifier, claim, regex: this.regex(present(cmp.regex)) };
          case 'starts_with':
          case 'ends_with':
            return { op: cmp.op, quantifier, claim, value: present(cmp.value).value };
        }
      }
    }
  }

  ruleText(r: A.RuleNode): string {
    return this.text.slice(r.span.start, r.span.end).replace(/\s+/g, ' ').trim();
  }

  rule(r: A.RuleNode, id: string): RulePlan {
    const out: RulePlan = {
      id,
      effect: r.effect as RulePlan['effect'],
      target: present(r.target).value,
      text: this.ruleText(r),
      loc: this.loc(r.span),
    };
    if (r.forEach) {
      out.forEach = { claim: r.forEach.claim.name, regex: this.regex(present(r.forEach.regex)) };
      const t = parseTemplate(present(r.target).value);
      if (t) out.template = t.parts.map((p): TemplatePart => (typeof p === 'string' ? p : { group: p.group }));
    }
    if (r.when) out.when = this.cond(r.when);
    if (r.unsafe) out.unsafe = r.unsafe.value;
    return out;
  }

  /**
   * One entry per `privileged/*` warning a rule's `unsafe` accepted (an unsafe/unneeded override repeats as
   * `unsafe/override`), so every report repeats what the override lets through.
   */
  ruleOverrides(diagnostics: Diagnostic[]): UnsafeOverride[] {
    // The privileged/* warnings by start offset (each with its index: diagnostics order decides the codes' order),
    // so each rule finds those inside its span by a binary search instead of filtering every diagnostic per rule.
    const warnings: { d: Diagnostic; i: number }[] = [];
    diagnostics.forEach((d, i) => {
      if (d.severity === 'warning' && d.code.startsWith('privileged/')) warnings.push({ d, i });
    });
    warnings.sort((a, b) => a.d.range.start.offset - b.d.range.start.offset || a.i - b.i);
    const out: UnsafeOverride[] = [];
    for (const r of this.m.rules) {
      const u = r.unsafe;
      if (!u) continue;
      let lo = 0;
      let hi = warnings.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (defined(warnings[mid]).d.range.start.offset < r.span.start) lo = mid + 1;
        else hi = mid;
      }
      const inside: { d: Diagnostic; i: number }[] = [];
      for (let k = lo; k < warnings.length; k++) {
        const w = defined(warnings[k]);
        if (w.d.range.start.offset > r.span.end) break;
        if (w.d.range.end.offset <= r.span.end) inside.push(w);
      }
      inside.sort((a, b) => a.i - b.i);
      const codes = inside.length ? [...new Set(inside.map((w) => w.d.code))] : ['unsafe/override'];
      for (const code of codes) out.push({ code, reason: u.value, loc: this.loc(u.span) });
    }
    return out;
  }

  key(k: A.KeyNode): KeyPlan {
    const extra = k.unsafe ? { unsafe: k.unsafe.value } : {};
    const loc = this.loc(k.span);
    if (k.form === 'nameid') {
      const format = present(k.format).name as NameIdFormatName;
      return { kind: 'nameid', format, formatUri: NAMEID_FORMATS[format], ...extra, loc };
    }
    if (k.form === 'sub') return { kind: 'sub', ...extra, loc };
    return { kind: 'claims', claims: k.claims.map((c) => c.name), ...extra, loc };
  }

  /** Every `trusted "<why>"` lint repeats as `trusted/override`, for reports to repeat too. */
  /** `scim { ... }` (checked: the key is externalId, groups a set or list claim, deactivate suspend or deprovision). */
  scim(s: A.ScimNode): ScimPlan {
    const item = (kind: A.ScimItemNode['kind']) => s.items.find((i) => i.kind === kind)?.value?.name;
    return {
      key: 'externalId',
      groups: item('groups') ?? null,
      deactivate: item('deactivate') === 'deprovision' ? 'deprovision' : 'suspend',
      loc: this.loc(s.span),
    };
  }

  trustedOverrides(diagnostics: readonly Diagnostic[]): UnsafeOverride[] {
    const repeated = new Set(diagnostics.filter((d) => d.code === 'trusted/override').map((d) => d.range.start.offset));
    return [...this.m.claims.values()]
      .map(({ decl }) => decl.trusted)
      .filter((t): t is A.StringNode => t !== null && repeated.has(t.span.start))
      .map((t) => ({ code: 'trusted/override', reason: t.value, loc: this.loc(t.span) }));
  }

  build(diagnostics: Diagnostic[]): Plan {
    const m = this.m;
    const claims: ClaimPlan[] = [...m.claims.values()].map(({ decl, type }) => ({
      name: decl.name.name,
      type: present(type),
      source: decl.source.map((s) => s.value),
      required: decl.presence?.value === 'required',
      normalize: decl.normalize.map((n) => n.name as Normalizer),
      ...(decl.absent ? { absentEmpty: true as const } : {}),
      ...(decl.trusted ? { trusted: decl.trusted.value } : {}),
      loc: this.loc(decl.span),
    }));
    const profile: ProfilePlan[] = (m.profile?.fields ?? []).map((f) => ({
      name: f.name.name,
      expr: this.expr(present(f.expr)),
      sync: present(f.sync).name as ProfilePlan['sync'],
      clear: f.clear !== null,
      loc: this.loc(f.span),
    }));
    const requires: RequirePlan[] = m.rules
      .filter((r) => r.section === 'require')
      .map((r, i) => ({
        id: `require[${i}]`,
        when: this.cond(present(r.when)),
        text: this.ruleText(r),
        loc: this.loc(r.span),
      }));
    const roleRules = (m.roles?.rules ?? []).map((r, i) => this.rule(r, `roles[${i}]`));
    const entRules = (m.entitlements?.rules ?? []).map((r, i) => this.rule(r, `entitlements[${i}]`));
    const privileged = [...new Set((m.roles?.privileged ?? []).map((p) => p.value))].sort();
    const declared = [...new Set([...roleRules.map((r) => r.target), ...privileged])].sort();
    const on = m.accounts?.items.find((i) => i.kind === 'on');
    const unique = m.accounts?.items
      .filter((i) => i.kind === 'unique')
      .flatMap((i) => (i.kind === 'unique' ? i.fields.map((f) => f.name) : []));
    const lc = m.lifecycle?.items ?? [];
    const off = lc.find((i) => i.kind === 'offboarding');
    const dormant = lc.find((i) => i.kind === 'dormant_after');
    const react = lc.find((i) => i.kind === 'reactivate');
    const unsafeWarnings = diagnostics.filter((d) => d.severity === 'warning' && d.code.startsWith('key/'));
    const u = present(m.key).unsafe;
    const body: Omit<Plan, 'digest'> = {
      format: PLAN_FORMAT,
      name: present(m.ast.name).value,
      version: m.ast.version?.value ?? null,
      idp: {
        protocol: present(m.protocol),
        issuer: present(present(m.idp).issuer).value,
        aliases: [...new Set(present(m.idp).aliases.map((a) => a.value))],
      },
      key: this.key(present(m.key)),
      require: requires,
      claims,
      profile,
      roles: { mode: m.roles?.mode?.value ?? 'replace', declared, privileged, rules: roleRules },
      entitlements: { mode: m.entitlements?.mode?.value ?? 'replace', rules: entRules },
      accounts: {
        emailConflict: on?.kind === 'on' && on.action?.name === 'link_verified' ? 'link_verified' : 'reject',
        unique: unique?.length ? [...new Set(unique)] : profile.some((p) => p.name === 'email') ? ['email'] : [],
      },
      lifecycle: {
        offboarding:
          off?.kind === 'offboarding'
            ? {
                kind: off.method.name as Plan['lifecycle']['offboarding']['kind'],
                ...(off.runbook ? { runbook: off.runbook.value } : {}),
              }
            : { kind: 'none' },
        dormantAfterDays:
          dormant?.kind === 'dormant_after' && dormant.duration
            ? dormant.duration.amount * (dormant.duration.unit === 'w' ? 7 : 1)
            : null,
        reactivate: react?.kind === 'reactivate' && react.value?.name === 'allow',
        ...(dormant?.kind === 'dormant_after' && dormant.action
          ? { dormantAction: dormant.action.name as 'suspend' | 'deprovision' }
          : {}),
      },
      ...(m.scim ? { scim: this.scim(m.scim) } : {}),
      unsafe: [
        ...(u
          ? (unsafeWarnings.length ? unsafeWarnings : [null]).map((d) => ({
              code: d?.code ?? 'unsafe/override',
              reason: u.value,
              loc: this.loc(u.span),
            }))
          : []),
        ...this.trustedOverrides(diagnostics),
        ...this.ruleOverrides(diagnostics),
      ],
    };
    return { ...body, digest: planDigest(body) } as Plan;
  }
}

/** What the front end (decode, parse, check) leaves for the plan stage. */
interface FrontEnd {
  text: string;
  sink: DiagnosticSink;
  lines: LineCounter;
  /** The checked model, or null when the source could not be parsed (too large, too deep, not UTF-8). */
  model: CheckModel | null;
}

function frontEnd(source: string | Uint8Array, options: ParseOptions): FrontEnd {
  const file = options.filename ?? '<input>';
  let text: string;
  if (typeof source === 'string') text = source;
  else if (source instanceof Uint8Array) {
    const dec = decodeSource(source);
    text = dec.text;
    if (dec.invalidAt >= 0) {
      // Positions are computed on the lossily decoded text, so line and column point at the bad byte.
      const lines = new LineCounter(text);
      const sink = new DiagnosticSink(file, lines);
      const byte = `0x${(dec.invalidByte ?? 0).toString(16).toUpperCase().padStart(2, '0')}`;
      sink.error(
        'syntax/invalid-utf8',
        `the file is not valid UTF-8 (byte ${byte})`,
        { start: dec.invalidAt, end: dec.invalidAt + 1 },
        {
          hint:
            (dec.invalidByte ?? 0) >= 0xa0
              ? 'the file looks like Latin-1 or Windows-1252: save it as UTF-8'
              : 'save the file as UTF-8',
        },
      );
      return { text, sink, lines, model: null };
    }
  } else throw new TypeError('compile(): source must be a string or a Uint8Array');

  const parsed = parse(text, options);
  const sink = new DiagnosticSink(file, parsed.lines);
  sink.diagnostics.push(...parsed.diagnostics);
  return { text, sink, lines: parsed.lines, model: parsed.value ? check(parsed.value, sink) : null };
}

/**
 * Compiles a `.claimmap` source into a plan.
 *
 * @example
 * ```ts
 * import { compile, evaluate } from 'claimmap';
 * const { plan, diagnostics } = compile(readFileSync('okta.claimmap', 'utf8'), { filename: 'okta.claimmap' });
 * if (!plan) throw new Error(diagnostics.map((d) => d.message).join('\n'));
 * ```
 */
export function compile(source: string | Uint8Array, options: CompileOptions = {}): CompileResult {
  const { text, sink, lines, model } = frontEnd(source, options);
  const plan =
    model && !sink.hasErrors ? deepFreeze(new PlanBuilder(model, lines, text).build(sink.diagnostics)) : null;
  return { plan, diagnostics: finishDiagnostics(sink.diagnostics, options.maxDiagnostics) };
}

/**
 * Checks a `.claimmap` source without building its plan: what `claimmap lint` runs. The diagnostics are exactly
 * those of {@link compile} (the plan stage reports nothing of its own), sorted and capped the same way.
 *
 * @example
 * ```ts
 * import { lint } from 'claimmap';
 * const errors = lint(readFileSync('okta.claimmap'), { filename: 'okta.claimmap' }).filter((d) => d.severity === 'error');
 * ```
 */
export function lint(source: string | Uint8Array, options: CompileOptions = {}): Diagnostic[] {
  return finishDiagnostics(frontEnd(source, options).sink.diagnostics, options.maxDiagnostics);
}
