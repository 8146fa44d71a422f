/** Rule coverage of a simulation: truth counts per rule, from traces or from the evaluator's counters (split out of simulate.ts). */
import type { Plan } from '../model/plan.js';
import type { Decision } from '../evaluate/decision.js';
import type { CoverageReport, RuleCoverage } from './types.js';
import { defined } from '../model/invariant.js';

export class Coverage {
  private readonly byId = new Map<string, RuleCoverage>();
  constructor(plan: Plan) {
    for (const [section, rules] of [
      ['roles', plan.roles.rules],
      ['entitlements', plan.entitlements.rules],
    ] as const) {
      for (const r of rules) {
        this.byId.set(r.id, {
          rule: r.id,
          section,
          effect: r.effect,
          target: r.target,
          text: r.text,
          conditional: r.when !== undefined || r.forEach !== undefined,
          true: 0,
          false: 0,
          unknown: 0,
        });
      }
    }
  }
  add(d: Decision): void {
    if (!d.trace) return;
    for (const t of d.trace) {
      const c = this.byId.get(t.rule);
      if (c) c[t.result]++;
    }
  }
  report(): CoverageReport {
    return Coverage.summarise([...this.byId.values()]);
  }
  static summarise(rules: RuleCoverage[]): CoverageReport {
    return {
      rules,
      neverTrue: rules.filter((r) => r.true === 0).map((r) => r.rule),
      neverFalse: rules.filter((r) => r.conditional && r.false === 0).map((r) => r.rule),
      neverUnknown: rules.filter((r) => r.conditional && r.unknown === 0).map((r) => r.rule),
      neverEvaluated: rules.filter((r) => r.true + r.false + r.unknown === 0).map((r) => r.rule),
    };
  }
}

/** Rule truth counts (see EvaluateInternals.truthCounts) → the coverage report, rules in plan order. */
export function coverageOf(plan: Plan, counts: Uint32Array): CoverageReport {
  const rules: RuleCoverage[] = [];
  let i = 0;
  for (const [section, list] of [
    ['roles', plan.roles.rules],
    ['entitlements', plan.entitlements.rules],
  ] as const) {
    for (const r of list) {
      rules.push({
        rule: r.id,
        section,
        effect: r.effect,
        target: r.target,
        text: r.text,
        conditional: r.when !== undefined || r.forEach !== undefined,
        true: defined(counts[3 * i + 2]),
        false: defined(counts[3 * i]),
        unknown: defined(counts[3 * i + 1]),
      });
      i++;
    }
  }
  return Coverage.summarise(rules);
}
