/**
 * The checker: a named list of stages over the AST. `resolve` builds the model; `rules` runs every rule of
 * check/rules/. Never throws on user input; everything it finds is a diagnostic in the sink.
 */
import type { DiagnosticSink } from '../diagnostics/make.js';
import type { MappingNode } from '../syntax/ast.js';
import { buildModel, type CheckModel } from './model.js';
import { RULES } from './rules/index.js';

export interface Stage {
  name: string;
  run(model: CheckModel): void;
}

/** The stages after `resolve`, in order. */
export const STAGES: readonly Stage[] = [
  {
    name: 'rules',
    run: (m) => {
      for (const r of RULES) r.check(m);
    },
  },
];

/** Checks a parsed mapping; returns the model the compiler reads. */
export function check(ast: MappingNode, sink: DiagnosticSink): CheckModel {
  const model = buildModel(ast, sink);
  for (const s of STAGES) s.run(model);
  return model;
}
