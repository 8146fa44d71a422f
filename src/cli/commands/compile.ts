import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseCommandArgs } from '../args.js';
import { UsageError, type Command } from '../command.js';
import { loadMapping, Reported } from '../load.js';
import { defined } from '../../model/invariant.js';

export const command: Command = {
  name: 'compile',
  summary: 'compile a mapping to a JSON plan the runtime loads without the parser',
  help: `Usage: claimmap compile MAPPING.claimmap [-o PLAN.json]

Compiles a mapping to its immutable JSON plan (schema: claimmap/schemas/plan.schema.json).
An app can then load the plan with loadPlan() and never load the parser. Prints the plan to
stdout unless -o is given. Exit 1 when the mapping has errors (printed to stderr).
`,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs(args, { output: { type: 'string', short: 'o' } });
    if (positionals.length !== 1) throw new UsageError('expected one mapping file');
    try {
      const plan = loadMapping(defined(positionals[0]), io);
      const json = `${JSON.stringify(plan, null, 2)}\n`;
      if (values.output) {
        try {
          writeFileSync(resolve(io.cwd, values.output), json);
        } catch (e) {
          io.stderr(`claimmap compile: cannot write ${values.output}: ${(e as Error).message}\n`);
          return 2;
        }
        io.stderr(`wrote ${values.output} (${plan.name}, digest ${plan.digest.slice(0, 12)})\n`);
      } else io.stdout(json);
      return 0;
    } catch (e) {
      if (e instanceof Reported) return e.exitCode;
      throw e;
    }
  },
};
