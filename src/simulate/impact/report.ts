/**
 * Impact and drift reports: text for the terminal, JSON (the report objects), Markdown for a pull-request comment.
 */
import type { JsonValue } from '../../model/claim-set.js';
import { terminalSafe as safe } from '../../runtime/format.js';
import { mdCell as md } from '../report/markdown.js';
import type { AccountImpact, DriftReport, ImpactReport, MappingRef } from './types.js';
import { plural } from '../../diagnostics/plural.js';

const ref = (m: MappingRef) => `${m.name}${m.version ? ` ${m.version}` : ''} (digest ${m.digest.slice(0, 12)})`;
const val = (v: JsonValue) => (v === null ? '(unset)' : JSON.stringify(v));
const who = (a: { key: string; label?: string }) => (a.label ? `${a.key} (${a.label})` : a.key);

/** One line of account impact; the caller makes it terminal-safe (subjects, labels and values are untrusted). */
function accountLines(a: AccountImpact): string[] {
  const out: string[] = [];
  if (a.access === 'lost') out.push(`refused: ${a.new.refusal ?? a.new.action} (today: ${a.old.action})`);
  if (a.access === 'gained') out.push(`allowed: ${a.new.action} (today refused: ${a.old.refusal ?? a.old.action})`);
  if (a.newAccount) out.push('would create a second account (the key changed)');
  for (const n of a.roles.lost) out.push(`- role ${n}`);
  for (const n of a.roles.gained) out.push(`+ role ${n}`);
  for (const n of a.entitlements.lost) out.push(`- entitlement ${n}`);
  for (const n of a.entitlements.gained) out.push(`+ entitlement ${n}`);
  for (const p of a.profile) out.push(`~ ${p.field}: ${val(p.from)} → ${val(p.to)}`);
  for (const n of a.notes) out.push(`note: ${n}`);
  return out;
}

/**
 * The impact report as text: the totals on one line (`would remove admin from 12 accounts; would add editor to 3
 * accounts`), then each changed account.
 *
 * @example
 * ```ts
 * io.stdout(formatImpactText(await planImpact(oldPlan, newPlan, subjects), { source: 'sqlite:./claimmap.db' }));
 * ```
 */
export function formatImpactText(r: ImpactReport, options: { source?: string } = {}): string {
  const lines = [
    safe(
      `Impact of ${ref(r.old)} → ${ref(r.new)} on ` +
        `${plural(r.subjects, 'account')}${options.source ? ` from ${options.source}` : ''}`,
    ),
  ];
  lines.push(
    r.totals.text.length ? safe(r.totals.text.join('; ')) : 'no change: every previewed login gives the same access',
  );
  if (r.perAccount.length) {
    lines.push('', `Per account (${r.perAccount.length} changed, ${r.subjects - r.perAccount.length} unchanged):`);
    for (const a of r.perAccount) {
      lines.push(`  ${safe(who(a))}`);
      for (const l of accountLines(a)) lines.push(`    ${safe(l)}`);
    }
  }
  if (r.skipped.length)
    lines.push('', `Skipped ${r.skipped.length} (never logged in): ${safe(r.skipped.map((s) => s.key).join(', '))}`);
  return `${lines.join('\n')}\n`;
}

/**
 * The impact report as Markdown, for a pull-request comment: a summary list and a table of changed accounts.
 *
 * @example
 * ```ts
 * writeFileSync('impact.md', formatImpactMarkdown(report));
 * ```
 */
export function formatImpactMarkdown(r: ImpactReport): string {
  const lines = [
    `### claimmap plan: ${md(ref(r.old))} → ${md(ref(r.new))}`,
    '',
    `${plural(r.subjects, 'account')} previewed, ${r.perAccount.length} would change.`,
    '',
  ];
  if (r.totals.text.length) for (const t of r.totals.text) lines.push(`- ${md(t)}`);
  else lines.push('- no change');
  if (r.perAccount.length) {
    lines.push('', '| account | login | roles | entitlements | profile |', '|---|---|---|---|---|');
    for (const a of r.perAccount) {
      const diff = (g: string[], l: string[]) =>
        [...l.map((n) => `−${md(n)}`), ...g.map((n) => `+${md(n)}`)].join(', ');
      const login =
        a.access === 'lost'
          ? `**refused** (${md(a.new.refusal ?? '')})`
          : a.access === 'gained'
            ? 'now allowed'
            : a.newAccount
              ? 'second account'
              : '';
      const profile = a.profile.map((p) => `${md(p.field)}: ${md(val(p.from))} → ${md(val(p.to))}`).join('<br>');
      lines.push(
        `| ${md(who(a))} | ${login} | ${diff(a.roles.gained, a.roles.lost)} | ` +
          `${diff(a.entitlements.gained, a.entitlements.lost)} | ${profile} |`,
      );
    }
  }
  if (r.skipped.length) lines.push('', `Skipped ${plural(r.skipped.length, 'account')} that never logged in.`);
  return `${lines.join('\n')}\n`;
}

const REASONS: Record<string, string> = {
  'not-granted': 'no longer granted',
  refused: 'login refused',
  'older-mapping': 'older mapping',
};

/**
 * The drift report as text: totals, then each drifted grant per account.
 *
 * @example
 * ```ts
 * io.stdout(formatDriftText(drift(plan, subjects)));
 * ```
 */
export function formatDriftText(r: DriftReport, options: { source?: string } = {}): string {
  const lines = [
    safe(
      `Drift of ${plural(r.subjects, 'account')}${options.source ? ` from ${options.source}` : ''} against ` +
        `${ref(r.mapping)}`,
    ),
  ];
  lines.push(
    r.totals.length
      ? safe(r.totals.map((t) => t.text).join('; '))
      : 'no drift: every mapping grant is what the mapping gives today',
  );
  if (r.entries.length) {
    lines.push('', 'Per account:');
    let last = '';
    for (const e of r.entries) {
      if (e.key !== last) lines.push(`  ${safe(who(e))}`);
      last = e.key;
      const version =
        e.mappingDigest === r.mapping.digest
          ? ''
          : `, granted by ${e.mappingVersion ?? 'unversioned'} (${e.mappingDigest.slice(0, 12)})`;
      lines.push(
        safe(
          `    ${e.kind} ${e.name}: ` +
            `${e.reasons.map((x) => REASONS[x]).join(', ')}${version}${e.rules.length ? ` [${e.rules.join(', ')}]` : ''}`,
        ),
      );
    }
  }
  if (r.unevaluated.length)
    lines.push('', `Not re-evaluated (never logged in): ${safe(r.unevaluated.map((u) => u.key).join(', '))}`);
  return `${lines.join('\n')}\n`;
}

/**
 * The drift report as Markdown: totals and a table of drifted grants.
 *
 * @example
 * ```ts
 * writeFileSync('drift.md', formatDriftMarkdown(report));
 * ```
 */
export function formatDriftMarkdown(r: DriftReport): string {
  const lines = [
    `### claimmap drift against ${md(ref(r.mapping))}`,
    '',
    `${plural(r.subjects, 'account')} examined, ${plural(r.entries.length, 'drifted grant')}.`,
    '',
  ];
  if (r.totals.length) for (const t of r.totals) lines.push(`- ${md(t.text)}`);
  else lines.push('- no drift');
  if (r.entries.length) {
    lines.push('', '| account | grant | why | granted by |', '|---|---|---|---|');
    for (const e of r.entries) {
      lines.push(
        `| ${md(who(e))} | ${e.kind} ${md(e.name)} | ${e.reasons.map((x) => REASONS[x]).join(', ')} | ` +
          `${md(e.mappingVersion ?? 'unversioned')} (${e.mappingDigest.slice(0, 12)}) |`,
      );
    }
  }
  return `${lines.join('\n')}\n`;
}

/**
 * Either report as JSON.
 *
 * @example
 * ```ts
 * JSON.parse(formatReportJson(report)).totals
 * ```
 */
export function formatReportJson(r: ImpactReport | DriftReport): string {
  return `${JSON.stringify(r, null, 2)}\n`;
}
