/**
 * The differential report of an import: the source system's semantics (`ImportResult.semantics.decide`) and the
 * imported mapping (`evaluate` of its compiled plan) run side by side on each sample login and on every simulator
 * mutation of it (the operators of `claimmap simulate`, src/simulate/mutations.ts), and each login on which they
 * disagree is reported with its class:
 *
 * | class | meaning |
 * |---|---|
 * | `imported-grants-more` | the imported mapping grants a role (or admits a login) the original does not: a bug of the import |
 * | `original-grants-on-missing-claim` | the original grants more when a claim is absent or empty |
 * | `original-case-insensitive` | the original grants more on a value whose case (or Unicode folding) changed |
 * | `original-keyed-on-email` | the original would use another account key: it keys on the email |
 * | `original-substring-match` | the original grants more on a look-alike value (a prefix, substring or padded value) |
 * | `original-grants-more` | the original grants more, for another reason |
 * | `refusal-differs` | one refuses the login and the other admits it with the same roles (or none) |
 * | `key-differs` | both admit the login, with different account keys |
 *
 * What `decide()` is given: the claim set's `claims` (OIDC: the token's claims; SAML: attribute name → values), with
 * `sub` set to the claim set's subject (the OIDC sub or the SAML NameID) and `iss` to its issuer (the reader's, which
 * the login-scope mutations change). Role names are compared
 * through `ImportResult.roleNames` (original name → imported name; identity when absent).
 */
import { compile } from '../compile/compile.js';
import { evaluate } from '../evaluate/evaluate.js';
import type { ClaimSet, JsonValue } from '../model/claim-set.js';
import type { Plan } from '../model/plan.js';
import { prepare, setup } from '../simulate/run.js';
import type { Sample } from '../simulate/types.js';
import type { ImportResult, OriginalDecision } from './types.js';

/** The classes of a difference, most severe first. */
export const DIFFERENCE_CLASSES = [
  'imported-grants-more',
  'original-grants-on-missing-claim',
  'original-case-insensitive',
  'original-keyed-on-email',
  'original-substring-match',
  'original-grants-more',
  'refusal-differs',
  'key-differs',
] as const;

/** One class of {@link DIFFERENCE_CLASSES}. */
export type DifferenceClass = (typeof DIFFERENCE_CLASSES)[number];

/** One side of a difference. */
export interface SideOutcome {
  refused: boolean;
  /** Why, when refused: the original's reason, or the imported decision's refusal codes. */
  reason?: string;
  key: string | null;
  /** Roles, in the original's names, sorted. */
  roles: string[];
}

/** One login on which the original and the imported mapping disagree. */
export interface Difference {
  class: DifferenceClass;
  sample: string;
  /** `(baseline)` for the sample itself, else the mutation operator. */
  operator: string;
  /** The claim the operator mutated, or `(login)`. */
  claim: string;
  /** What the mutation changed. */
  label: string;
  original: SideOutcome;
  imported: SideOutcome;
  /** One sentence. */
  message: string;
}

/** The whole report. */
export interface CompareReport {
  kind: string;
  /** The engine of the original semantics. */
  engine: string;
  samples: string[];
  /** Logins compared: samples and their mutations. */
  logins: number;
  counts: Record<DifferenceClass, number>;
  differences: Difference[];
}

/** Why a report could not be made. */
export type CompareProblem = 'no-semantics' | 'no-plan';

/** What `decide()` reads of a claim set (see the module comment). */
export function originalClaims(cs: ClaimSet): { [name: string]: JsonValue } {
  const out: { [name: string]: JsonValue } = { ...cs.claims };
  if (typeof cs.subject?.id === 'string') out.sub = cs.subject.id;
  if (typeof cs.issuer === 'string') out.iss = cs.issuer;
  return out;
}

const MISSING_OPERATORS = new Set(['absent', 'empty', 'value-removed', 'lost-values', 'key-absent', 'overage']);
const CASE_OPERATORS = new Set(['case-changed', 'case-fold', 'nfkc-look-alike', 'unicode-confusable']);
const EMAIL_OPERATORS = new Set(['new-subject-same-email', 'same-subject-new-email']);
const LOOKALIKE_OPERATORS = new Set([
  'near-privileged',
  'regex-witness',
  'whitespace-padded',
  'very-long',
  'user-edited',
]);

function importedSide(
  plan: Plan,
  cs: ClaimSet,
  toOriginal: (r: string) => string,
  withEntitlements: boolean,
): SideOutcome {
  const d = evaluate(plan, cs);
  const granted = withEntitlements ? [...d.roles, ...d.entitlements] : d.roles;
  const refused = d.outcome === 'refuse';
  return {
    refused,
    ...(refused ? { reason: [...new Set(d.refusals.map((r) => r.code))].join(', ') } : {}),
    key: d.key?.subject ?? null,
    roles: refused ? [] : [...new Set(granted.map(toOriginal))].sort(),
  };
}

function originalSide(o: OriginalDecision): SideOutcome {
  return {
    refused: o.refused,
    ...(o.refused && o.reason !== undefined ? { reason: o.reason } : {}),
    key: o.key,
    roles: o.refused ? [] : [...new Set(o.roles)].sort(),
  };
}

/** The class of a disagreement, or null when both agree. */
function classify(
  operator: string,
  loginScope: boolean,
  keySource: string,
  orig: SideOutcome,
  imp: SideOutcome,
  baselineExtra: ReadonlySet<string>,
  baselineRefusal: string | null,
): { cls: DifferenceClass; message: string } | null {
  // The import refusing, for the reason it refused the recorded login, is reported once, on that login.
  if (operator !== '(baseline)' && imp.refused && !orig.refused && imp.reason === baselineRefusal) return null;
  const email = /mail|upn|username/i.test(keySource);
  const keyRefusal = imp.refused && /(^|, )key-/.test(imp.reason ?? '');
  const impExtra = imp.roles.filter((r) => !orig.roles.includes(r));
  // A role the original grants on the recorded login and the import does not is reported once, on the baseline;
  // a mutation is reported for what it changes beyond that.
  const origExtra = orig.roles.filter((r) => !imp.roles.includes(r) && !baselineExtra.has(r));
  if (impExtra.length || (orig.refused && !imp.refused && imp.roles.length > 0)) {
    return {
      cls: 'imported-grants-more',
      message: impExtra.length
        ? `the imported mapping grants ${impExtra.join(', ')}, the original does not`
        : `the imported mapping admits a login the original refuses (${orig.reason ?? 'refused'})`,
    };
  }
  if (origExtra.length) {
    const what = `the original grants ${origExtra.join(', ')}${imp.refused ? ` (the imported mapping refuses: ${imp.reason})` : ''}`;
    if (keyRefusal && email)
      return { cls: 'original-keyed-on-email', message: `${what}: the original keys on ${keySource}` };
    if (MISSING_OPERATORS.has(operator))
      return { cls: 'original-grants-on-missing-claim', message: `${what} with the claim missing` };
    if (CASE_OPERATORS.has(operator))
      return { cls: 'original-case-insensitive', message: `${what} on a case-changed or folded value` };
    if (EMAIL_OPERATORS.has(operator))
      return { cls: 'original-keyed-on-email', message: `${what} after an email change` };
    if (LOOKALIKE_OPERATORS.has(operator))
      return { cls: 'original-substring-match', message: `${what} on a look-alike value` };
    return { cls: 'original-grants-more', message: what };
  }
  if (orig.refused !== imp.refused) {
    if (keyRefusal && email)
      return {
        cls: 'original-keyed-on-email',
        message: `the imported mapping refuses (${imp.reason}): the original keys on ${keySource}`,
      };
    return {
      cls: 'refusal-differs',
      message: orig.refused
        ? `the original refuses (${orig.reason ?? 'refused'}), the imported mapping admits the login with no role the original would grant`
        : `the imported mapping refuses (${imp.reason}), the original admits the login with no role`,
    };
  }
  // A key difference shows on the recorded login and on the login-scope mutations (subject, email, issuer); on a
  // claim mutation it would only repeat the baseline's.
  if (!orig.refused && orig.key !== imp.key && (operator === '(baseline)' || loginScope)) {
    return {
      cls: email ? 'original-keyed-on-email' : 'key-differs',
      message: `the original keys the account on ${keySource} (${JSON.stringify(orig.key)}), the imported mapping on ${JSON.stringify(imp.key)}`,
    };
  }
  return null;
}

/**
 * Runs the original semantics and the imported mapping on every sample and every mutation of it, and reports each
 * difference. Returns a problem when the import has no semantics or its source does not compile.
 *
 * @example
 * ```ts
 * const result = importer(text, { file: 'realm.json' });
 * const report = compareImport(result, loadSamples(['samples/'], process.cwd()));
 * ```
 */
export function compareImport(result: ImportResult, samples: readonly Sample[]): CompareReport | CompareProblem {
  if (!result.semantics) return 'no-semantics';
  const { plan } = compile(result.source, { filename: 'imported.claimmap' });
  if (!plan) return 'no-plan';
  const semantics = result.semantics;
  const back = new Map(Object.entries(result.roleNames ?? {}).map(([o, i]) => [i, o]));
  const toOriginal = (r: string): string => back.get(r) ?? r;
  const run = setup(plan, samples, { now: '2026-01-01T00:00:00Z' });
  const counts = Object.fromEntries(DIFFERENCE_CLASSES.map((c) => [c, 0])) as Record<DifferenceClass, number>;
  const differences: Difference[] = [];
  let logins = 0;
  for (const sample of samples) {
    const logins1 = [
      { operator: '(baseline)', claim: '(login)', label: 'the sample as recorded', claimSet: sample.claimSet },
      ...prepare(run, sample),
    ];
    let baselineExtra: ReadonlySet<string> = new Set();
    let baselineRefusal: string | null = null;
    for (const m of logins1) {
      if (!m.claimSet) continue;
      logins++;
      const o = semantics.decide(originalClaims(m.claimSet));
      const orig = originalSide(o);
      const imp = importedSide(plan, m.claimSet, toOriginal, result.compareEntitlements === true);
      const c = classify(m.operator, m.claim === '(login)', o.keySource, orig, imp, baselineExtra, baselineRefusal);
      if (m.operator === '(baseline)') {
        baselineExtra = new Set(orig.roles.filter((r) => !imp.roles.includes(r)));
        baselineRefusal = imp.refused && !orig.refused ? (imp.reason ?? '') : null;
      }
      if (!c) continue;
      counts[c.cls]++;
      differences.push({
        class: c.cls,
        sample: sample.name,
        operator: m.operator,
        claim: m.claim,
        label: m.label,
        original: orig,
        imported: imp,
        message: c.message,
      });
    }
  }
  const rank = (c: DifferenceClass): number => DIFFERENCE_CLASSES.indexOf(c);
  differences.sort((a, b) => rank(a.class) - rank(b.class));
  return {
    kind: result.kind,
    engine: semantics.engine,
    samples: samples.map((s) => s.name),
    logins,
    counts,
    differences,
  };
}

const CLASS_TEXT: Record<DifferenceClass, string> = {
  'imported-grants-more':
    'The imported mapping grants more than the original. This should never happen: report it as a bug of the importer.',
  'original-grants-on-missing-claim':
    'The original grants a role when a claim is missing or empty; the import does not.',
  'original-case-insensitive':
    'The original matches a value whose case changed (or that folds to it); the import compares exactly.',
  'original-keyed-on-email':
    'The original keys the account on an email (or another mutable claim): a rename or a recycled address moves or merges accounts.',
  'original-substring-match':
    'The original accepts a look-alike value (prefix, substring, padded); the import matches whole values.',
  'original-grants-more': 'The original grants more than the import for another reason: review these logins.',
  'refusal-differs': 'One side refuses the login, the other admits it without a role the other grants.',
  'key-differs': 'Both admit the login with different account keys.',
};

const md = (s: string): string => s.replace(/[\\`*_[\]|<>]/g, (c) => `\\${c}`).replace(/\r?\n/g, ' ');
const roles = (s: SideOutcome): string => (s.refused ? `refused (${s.reason ?? ''})` : s.roles.join(', ') || '(none)');

/**
 * The report as Markdown for a migration pull request: a summary table, then each class with the logins that show
 * it (at most `maxPerClass`, default 25).
 *
 * @example
 * ```ts
 * writeFileSync('migration-report.md', renderCompareMarkdown(report));
 * ```
 */
export function renderCompareMarkdown(report: CompareReport, options: { maxPerClass?: number } = {}): string {
  const max = options.maxPerClass ?? 25;
  const out: string[] = [
    `# Import differential report: ${report.kind}`,
    '',
    `Original semantics: ${md(report.engine)}. Samples: ${report.samples.map(md).join(', ') || '(none)'}; ${report.logins} logins compared (the samples and every simulator mutation of them).`,
    '',
    '| class | logins |',
    '|---|---:|',
    ...DIFFERENCE_CLASSES.map((c) => `| \`${c}\` | ${report.counts[c]} |`),
    '',
  ];
  if (report.counts['imported-grants-more'] > 0)
    out.push(
      '**The imported mapping grants more than the original on some logins: do not merge; report the importer bug.**',
      '',
    );
  if (report.differences.length === 0)
    out.push('No differences: the import decides as the original on every login.', '');
  for (const c of DIFFERENCE_CLASSES) {
    const list = report.differences.filter((d) => d.class === c);
    if (!list.length) continue;
    out.push(
      `## \`${c}\` (${list.length})`,
      '',
      CLASS_TEXT[c],
      '',
      '| sample | mutation | original | imported |',
      '|---|---|---|---|',
    );
    for (const d of list.slice(0, max)) {
      const mutation = d.operator === '(baseline)' ? 'none' : `${d.operator} on ${d.claim}: ${d.label}`;
      out.push(`| ${md(d.sample)} | ${md(mutation)} | ${md(roles(d.original))} | ${md(roles(d.imported))} |`);
    }
    if (list.length > max) out.push('', `and ${list.length - max} more (see the JSON report).`);
    out.push('');
  }
  return `${out.join('\n').trimEnd()}\n`;
}

/**
 * The report as JSON (the {@link CompareReport} itself, two-space indented).
 *
 * @example
 * ```ts
 * writeFileSync('migration-report.json', renderCompareJson(report));
 * ```
 */
export function renderCompareJson(report: CompareReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}
