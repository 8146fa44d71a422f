/**
 * One document's analysis: parse + check, the same front end as `lint()` (so the editor shows exactly what
 * `claimmap lint` prints), keeping the AST and the checked model for hover, completion, navigation and quick
 * fixes. Built once per document version; every feature of the server reads it from the cache.
 */
import { check } from '../check/check.js';
import type { CheckModel } from '../check/model.js';
import { type CompileResult, compile, finishDiagnostics } from '../compile/compile.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { DiagnosticSink } from '../diagnostics/make.js';
import { type ParseResult, parse } from '../syntax/parse.js';

export interface Analysis {
  /** The document version the analysis is of. */
  version: number;
  text: string;
  parsed: ParseResult;
  /** The checked model, or null when the text did not parse into a mapping at all. */
  model: CheckModel | null;
  /** Every diagnostic, sorted and capped as `lint()` does. */
  diagnostics: Diagnostic[];
  /** The compiled plan, built on first use (hover on a role) and kept with the analysis. */
  compiled(): CompileResult;
}

/** How many analyses (each one parse and one check) ran in this process: the regression guard of the debounce. */
let runs = 0;

/** The number of analyses run so far (each is one parse of a document). */
export function analysisRuns(): number {
  return runs;
}

/**
 * Parses and checks `text`.
 *
 * @example
 * ```ts
 * const a = analyze('mapping "x" { idp oidc "https://id.example.com" key sub }', 'x.claimmap', 1);
 * a.diagnostics.map((d) => d.code); // ['lifecycle/no-offboarding']
 * ```
 */
export function analyze(text: string, filename: string, version: number): Analysis {
  runs++;
  const parsed = parse(text, { filename });
  const sink = new DiagnosticSink(filename, parsed.lines);
  sink.diagnostics.push(...parsed.diagnostics);
  const model = parsed.value ? check(parsed.value, sink) : null;
  const diagnostics = finishDiagnostics(sink.diagnostics);
  let plan: CompileResult | undefined;
  return {
    version,
    text,
    parsed,
    model,
    diagnostics,
    compiled: () => {
      plan ??= compile(text, { filename });
      return plan;
    },
  };
}
