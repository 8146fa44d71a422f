/**
 * Scenario run reports: text like a test runner (✓ / ✗ per case, a per-field diff for each failure, and a final
 * `N passed, N failed` line), JSON, and JUnit XML for CI.
 */
import type { JsonValue } from '../../model/claim-set.js';
import type { CaseResult, FieldFailure, ScenarioRunResult } from './types.js';

const show = (v: JsonValue): string =>
  v === null
    ? '(unset)'
    : Array.isArray(v) && v.every((x) => typeof x === 'string')
      ? `[${v.join(', ')}]`
      : JSON.stringify(v);

/**
 * One failure as indented lines: `roles: expected [viewer], got [admin, viewer]` and, for sets, what is missing
 * or unexpected.
 *
 * @example
 * ```ts
 * formatFailure({ field: 'action', expected: 'created', actual: 'refused' }) // ['action: expected created, got refused']
 * ```
 */
export function formatFailure(f: FieldFailure): string[] {
  const plain = (v: JsonValue) =>
    typeof v === 'string' && (f.field === 'action' || f.field === 'refusal') ? v : show(v);
  const lines = [
    `${f.field}: expected ${plain(f.expected)}, got ` +
      `${f.field === 'refusal' && Array.isArray(f.actual) && f.actual.length === 0 ? '(no refusal)' : plain(f.actual)}`,
  ];
  if (f.field.endsWith('_exclude')) {
    if (f.extra?.length) lines.push(`  present: ${f.extra.join(', ')}`);
  } else {
    if (f.missing?.length) lines.push(`  missing: ${f.missing.join(', ')}`);
    if (f.extra?.length) lines.push(`  unexpected: ${f.extra.join(', ')}`);
  }
  return lines;
}

/** The detail lines of a failed or errored case. */
function caseDetail(c: CaseResult): string[] {
  if (c.error) return [`error ${c.error.code}: ${c.error.message}`];
  const lines = c.failures.flatMap(formatFailure);
  if (c.actual && c.failures.some((f) => f.field === 'action' || f.field === 'refusal')) {
    if (c.actual.refusals.length && !c.failures.some((f) => f.field === 'refusal'))
      lines.push(`refusals: ${c.actual.refusals.join(', ')}`);
    if (c.actual.changes.length) lines.push(`changes: ${c.actual.changes.join('; ')}`);
  }
  return lines;
}

const ms = (n: number) => `${n < 10 ? n.toFixed(1) : Math.round(n)} ms`;

/**
 * The text report of one or more runs, ending with the line `N passed, N failed`.
 *
 * @example
 * ```ts
 * io.stdout(formatScenarioText([await runScenarios(plan, file)]));
 * ```
 */
export function formatScenarioText(runs: readonly ScenarioRunResult[], options: { color?: boolean } = {}): string {
  const c = options.color ?? false;
  const paint = (code: string, s: string) => (c ? `\x1b[${code}m${s}\x1b[0m` : s);
  const out: string[] = [];
  let passed = 0;
  let failed = 0;
  for (const run of runs) {
    const m = run.mapping;
    out.push(`${paint('1', run.file)}  (${m.name}${m.version ? ` version ${m.version}` : ''})`);
    for (const r of run.cases) {
      if (r.status === 'passed') {
        out.push(`  ${paint('32', '✓')} ${r.name} ${paint('2', `(${ms(r.durationMs)})`)}`);
        continue;
      }
      out.push(`  ${paint('31', '✗')} ${r.name} ${paint('2', `(${run.file}:${r.line})`)}`);
      for (const line of caseDetail(r)) out.push(`      ${line}`);
    }
    passed += run.passed;
    failed += run.failed;
    out.push('');
  }
  out.push(`${passed} passed, ${failed} failed`);
  return `${out.join('\n')}\n`;
}

/**
 * The JSON report: the runs as returned by `runScenarios`, and totals.
 *
 * @example
 * ```ts
 * JSON.parse(formatScenarioJson(runs)).totals // { passed: 3, failed: 0 }
 * ```
 */
export function formatScenarioJson(runs: readonly ScenarioRunResult[]): string {
  const totals = { passed: runs.reduce((n, r) => n + r.passed, 0), failed: runs.reduce((n, r) => n + r.failed, 0) };
  return `${JSON.stringify({ runs, totals }, null, 2)}\n`;
}

/**
 * Escapes text for XML 1.0 content and attributes, dropping characters XML 1.0 cannot hold.
 *
 * @example
 * ```ts
 * xmlEscape('a & <b>\u0000') // 'a &amp; &lt;b&gt;'
 * ```
 */
export function xmlEscape(s: string): string {
  return (
    s
      // biome-ignore lint/suspicious/noControlCharactersInRegex: XML 1.0 forbids these C0 controls
      .replace(/[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]/g, '')
      .replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '')
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      .replace(/"/g, '&quot;')
      .replace(/'/g, '&apos;')
  );
}

const seconds = (msTotal: number) => (msTotal / 1000).toFixed(3);

/**
 * JUnit XML (the Ant / Jenkins / GitLab dialect): one `<testsuite>` per scenario file, one `<testcase>` per case;
 * expectation failures are `<failure type="expectation">`, cases that could not run are `<error>`.
 *
 * @example
 * ```ts
 * writeFileSync('scenarios.junit.xml', formatScenarioJunit(runs));
 * ```
 */
export function formatScenarioJunit(runs: readonly ScenarioRunResult[]): string {
  const count = (r: ScenarioRunResult, s: CaseResult['status']) => r.cases.filter((c) => c.status === s).length;
  const total = (f: (r: ScenarioRunResult) => number) => runs.reduce((n, r) => n + f(r), 0);
  const time = (r: ScenarioRunResult) => r.cases.reduce((n, c) => n + c.durationMs, 0);
  const a = xmlEscape;
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="claimmap test" tests="${total((r) => r.cases.length)}" ` +
      `failures="${total((r) => count(r, 'failed'))}" errors="${total((r) => count(r, 'error'))}" ` +
      `time="${seconds(total(time))}">`,
  ];
  for (const r of runs) {
    lines.push(
      `  <testsuite name="${a(r.file)}" tests="${r.cases.length}" failures="${count(r, 'failed')}" ` +
        `errors="${count(r, 'error')}" skipped="0" time="${seconds(time(r))}">`,
    );
    lines.push('    <properties>');
    lines.push(`      <property name="mapping" value="${a(r.mapping.name)}"/>`);
    lines.push(`      <property name="mapping.version" value="${a(r.mapping.version ?? '')}"/>`);
    lines.push(`      <property name="mapping.digest" value="${a(r.mapping.digest)}"/>`);
    lines.push('    </properties>');
    for (const c of r.cases) {
      const open =
        `    <testcase name="${a(c.name)}" classname="${a(r.mapping.name)}" file="${a(r.file)}" ` +
        `line="${c.line}" time="${seconds(c.durationMs)}"`;
      if (c.status === 'passed') {
        lines.push(`${open}/>`);
        continue;
      }
      lines.push(`${open}>`);
      const detail = a(caseDetail(c).join('\n'));
      if (c.status === 'error') {
        lines.push(
          `      <error message="${a(c.error?.message ?? 'error')}" ` +
            `type="${a(c.error?.code ?? 'error')}">${detail}</error>`,
        );
      } else {
        const summary = c.failures.map((f) => f.field).join(', ');
        lines.push(
          `      <failure message="${a(`expectation failed: ${summary}`)}" type="expectation">${detail}</failure>`,
        );
      }
      lines.push('    </testcase>');
    }
    lines.push('  </testsuite>');
  }
  lines.push('</testsuites>');
  return `${lines.join('\n')}\n`;
}
