import { check } from '../../check/check.js';
import { compile } from '../../compile/compile.js';
import {
  explainPrivileged,
  explainRoles,
  explainText,
  modelSource,
  planSource,
  type PrivilegedSource,
  privilegedText,
} from '../../compile/explain.js';
import type { Cond } from '../../model/plan.js';
import { DiagnosticSink } from '../../diagnostics/make.js';
import { renderTextReport } from '../../diagnostics/render.js';
import type { CondNode } from '../../syntax/ast.js';
import { parse } from '../../syntax/parse.js';
import { oneOf, parseCommandArgs } from '../args.js';
import { UsageError, type CliIO, type Command } from '../command.js';
import { loadMapping, readInput, Reported } from '../load.js';
import { defined, present } from '../../model/invariant.js';

/**
 * `explain --privileged`: a plan (`.json`) is explained as it is; a mapping is compiled, and when its only errors
 * are `privileged/*` (the inexact paths this command lists) it is explained from the checked mapping.
 */
function privilegedCommand(path: string, role: string | undefined, format: 'text' | 'json', io: CliIO): number {
  let source: PrivilegedSource<Cond> | PrivilegedSource<CondNode>;
  if (path.endsWith('.json')) source = planSource(loadMapping(path, io));
  else {
    const bytes = readInput(path, io);
    const { plan, diagnostics } = compile(bytes, { filename: path });
    const blocking = diagnostics.filter((d) => d.severity === 'error' && !d.code.startsWith('privileged/'));
    if (plan) source = planSource(plan);
    else if (blocking.length) {
      io.stderr(renderTextReport(blocking, { sources: new Map([[path, bytes.toString('utf8')]]) }));
      return 1;
    } else {
      const text = bytes.toString('utf8');
      const parsed = parse(text, { filename: path });
      const sink = new DiagnosticSink(path, parsed.lines);
      source = modelSource(check(present(parsed.value), sink), text, parsed.lines);
    }
  }
  if (role !== undefined && !source.privileged.includes(role)) {
    io.stderr(
      `claimmap explain: the role '${role}' is not privileged (privileged roles: ` +
        `${source.privileged.join(', ') || 'none'})\n`,
    );
    return 1;
  }
  const priv = explainPrivileged<unknown>(source as PrivilegedSource<unknown>, role);
  const unaccepted = priv.reduce((n, r) => n + r.unaccepted, 0);
  io.stdout(
    format === 'json'
      ? `${JSON.stringify({ mapping: source.name, privileged: priv, unaccepted }, null, 2)}\n`
      : privilegedText(source.name, priv),
  );
  return unaccepted ? 1 : 0;
}

export const command: Command = {
  name: 'explain',
  summary: 'explain, role by role, which claim conditions grant or deny it',
  help: `Usage: claimmap explain MAPPING [--role ROLE] [--privileged] [--format text|json]

For each role: the conditions that grant it, the conditions that deny it (a deny also fires
when an optional claim it reads is absent or malformed: fail closed), and the claims it reads.
Without --role, also lists entitlements, claims, profile, accounts and lifecycle.

--privileged  for each privileged role (or only --role), every path that can grant it, each
              test marked exact or inexact with its reason code (privileged/...), and the
              rule's unsafe reason. Exits 1 when a grant has an inexact path that is not
              marked unsafe "<reason>", 0 otherwise: usable in CI.
`,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs(args, {
      role: { type: 'string' },
      format: { type: 'string' },
      privileged: { type: 'boolean' },
    });
    const format = oneOf('format', values.format, ['text', 'json'] as const, 'text');
    if (positionals.length !== 1) throw new UsageError('expected one MAPPING');
    try {
      if (values.privileged) return privilegedCommand(defined(positionals[0]), values.role, format, io);
      const plan = loadMapping(defined(positionals[0]), io);
      if (values.role !== undefined && !plan.roles.declared.includes(values.role)) {
        io.stderr(
          `claimmap explain: the mapping has no role '${values.role}' (roles: ` +
            `${plan.roles.declared.join(', ') || 'none'})\n`,
        );
        return 1;
      }
      const roles = explainRoles(plan, values.role);
      io.stdout(
        format === 'json'
          ? `${JSON.stringify({ mapping: plan.name, roles }, null, 2)}\n`
          : explainText(plan, roles, values.role === undefined),
      );
      return 0;
    } catch (e) {
      if (e instanceof Reported) return e.exitCode;
      throw e;
    }
  },
};
