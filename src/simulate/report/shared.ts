/**
 * What every report shares: the order findings are shown in, and one-line descriptions of findings and outcomes.
 */
import type { JsonValue } from '../../model/claim-set.js';
import { asciiJson } from '../claim-edit.js';
import {
  OUTCOME_CLASSES,
  OUTCOME_RANK,
  type Finding,
  type MutationOutcome,
  type OutcomeClass,
  type SimulationResult,
} from '../types.js';

/**
 * The outcomes that are not `unchanged`, most severe first: critical escalations, then by class, then run order.
 *
 * @example
 * ```ts
 * const top = rankedFindings(result).slice(0, 10);
 * ```
 */
export function rankedFindings(result: SimulationResult): MutationOutcome[] {
  return result.outcomes
    .map((o, i) => ({ o, i }))
    .filter(({ o }) => o.class !== 'unchanged')
    .sort(
      (a, b) =>
        Number(b.o.critical) - Number(a.o.critical) || OUTCOME_RANK[a.o.class] - OUTCOME_RANK[b.o.class] || a.i - b.i,
    )
    .map(({ o }) => o);
}

/** A value clipped for a report line. */
export function clipValue(v: JsonValue | undefined, max = 48): string {
  if (v === undefined) return '(none)';
  const s = asciiJson(v);
  return s.length <= max ? s : `${s.slice(0, max - 12)}…(${typeof v === 'string' ? v.length : s.length} chars)`;
}

/**
 * One finding as a short phrase: `gains privileged role admin`, `profile email overwritten "a" → "b"`.
 *
 * @example
 * ```ts
 * describeFinding(outcome.findings[0]!)
 * ```
 */
export function describeFinding(f: Finding): string {
  if (f.subject === 'profile') {
    return `${f.message} ${clipValue(f.from)} → ${f.to === undefined ? '(removed)' : clipValue(f.to)}`;
  }
  return f.message;
}

/** Every distinct finding of an outcome, in severity order, joined with `; `. */
export function describeOutcome(o: MutationOutcome): string {
  const seen = new Set<string>();
  const parts: string[] = [];
  for (const f of o.findings) {
    const d = describeFinding(f);
    if (seen.has(d)) continue;
    seen.add(d);
    parts.push(d);
  }
  return parts.join('; ');
}

/** The mutated-login count: all outcomes except the baseline errors. */
export function mutationCount(result: SimulationResult): number {
  return result.outcomes.filter((o) => o.operator !== '(baseline)').length;
}

/** `acme-okta version 2026-11-29 (digest 96d1f5aa7ff7)` */
export function mappingLine(result: SimulationResult): string {
  const m = result.mapping;
  return `${m.name}${m.version ? ` version ${m.version}` : ''} (digest ${m.digest.slice(0, 12)})`;
}

/** The classes in report order, with their count. */
export function classCounts(result: SimulationResult): [OutcomeClass, number][] {
  return OUTCOME_CLASSES.map((c) => [c, result.counts[c]]);
}

/** A one-line legend entry per class. */
export const CLASS_MEANING: Readonly<Record<OutcomeClass, string>> = Object.freeze({
  error: 'an exception: a bug, the run fails',
  escalation: 'gains a role or entitlement, or a refused login is allowed (critical: a privileged one)',
  'duplicate-account': 'a second account for the same person',
  'profile-loss': 'a stored profile attribute blanked or overwritten',
  loss: 'loses a role or entitlement',
  refused: 'refused or conflict where the baseline was allowed (fails closed)',
  unchanged: 'same access and profile as the baseline',
});
