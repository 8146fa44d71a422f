import { compile } from '../compile/compile.js';
import { loadPlan } from '../compile/load-plan.js';
import type { Plan } from '../model/plan.js';
import { renderTextReport } from '../diagnostics/render.js';
import { ClaimmapError } from '../errors.js';
import { parse } from '../syntax/parse.js';
import { type CliIO, Reported } from './command.js';
import { readInput } from './read-input.js';

export { Reported } from './command.js';
export { readInput };

/** Prints a typed error about input `what` as `error CODE: what: message` and throws {@link Reported} (exit 1). */
export function reportError(e: unknown, what: string, io: CliIO): never {
  if (e instanceof ClaimmapError) {
    const where = e.position?.path
      ? ` (at ${e.position.path})`
      : e.position?.line
        ? ` (line ${e.position.line}${e.position.column ? `, column ${e.position.column}` : ''})`
        : '';
    io.stderr(`error ${e.code}: ${what}: ${e.message}${where}\n${e.hint ? `  hint: ${e.hint}\n` : ''}`);
    throw new Reported(1);
  }
  throw e;
}

/** Compiles a `.claimmap` or loads a `.json` plan; prints diagnostics on failure. */
export function loadMapping(path: string, io: CliIO): Plan {
  const bytes = readInput(path, io);
  if (path.endsWith('.json')) {
    try {
      return loadPlan(bytes.toString('utf8'));
    } catch (e) {
      reportError(e, path, io);
    }
  }
  const { plan, diagnostics } = compile(bytes, { filename: path });
  if (!plan) {
    io.stderr(
      renderTextReport(
        diagnostics.filter((d) => d.severity === 'error'),
        { sources: new Map([[path, bytes.toString('utf8')]]) },
      ),
    );
    throw new Reported(1);
  }
  return plan;
}

/** The reason `simulate` gives the grants it simulates despite their `privileged/*` errors; every report repeats it. */
export const SIMULATED_UNSAFE =
  'claimmap simulate: an inexact privileged grant lint refuses, simulated to show what it lets through';

/**
 * {@link loadMapping} for `simulate`: a mapping whose only errors are `privileged/*` (inexact paths to a privileged
 * role) is compiled as if each flagged grant ended in `unsafe "<SIMULATED_UNSAFE>"`, so the report shows who those
 * paths let in (the confirmation lint's prediction needs). The errors are printed first; `refused` counts them, and
 * the command fails whatever the findings. Any other error stops it as in {@link loadMapping}.
 */
export function loadMappingToSimulate(path: string, io: CliIO): { plan: Plan; refused: number } {
  if (path.endsWith('.json')) return { plan: loadMapping(path, io), refused: 0 };
  const bytes = readInput(path, io);
  const first = compile(bytes, { filename: path });
  if (first.plan) return { plan: first.plan, refused: 0 };
  const text = bytes.toString('utf8');
  const errors = first.diagnostics.filter((d) => d.severity === 'error');
  const report = renderTextReport(errors, { sources: new Map([[path, text]]) });
  const rules =
    parse(text, { filename: path }).value?.sections.flatMap((s) => (s.kind === 'roles' ? s.rules : [])) ?? [];
  const flagged = new Set<number>();
  for (const d of errors) {
    const rule = d.code.startsWith('privileged/')
      ? rules.find((r) => r.unsafe === null && d.range.start.offset >= r.span.start && d.range.end.offset <= r.span.end)
      : undefined;
    if (rule === undefined) {
      io.stderr(report);
      throw new Reported(1);
    }
    flagged.add(rule.span.end);
  }
  let patched = text;
  for (const end of [...flagged].sort((a, b) => b - a))
    patched = `${patched.slice(0, end)} unsafe ${JSON.stringify(SIMULATED_UNSAFE)}${patched.slice(end)}`;
  const second = compile(patched, { filename: path });
  if (second.plan === null) {
    io.stderr(report);
    throw new Reported(1);
  }
  io.stderr(
    `${report}claimmap simulate: lint refuses ${path} for the ` +
      `${flagged.size === 1 ? 'grant' : `${flagged.size} grants`} above; ` +
      'simulating as if each said unsafe, to show what it lets through (exit code 1 whatever the findings)\n',
  );
  return { plan: second.plan, refused: errors.length };
}
