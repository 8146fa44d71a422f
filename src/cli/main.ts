#!/usr/bin/env node
/**
 * The claimmap CLI. The only module that touches process.argv, process.stdout and process.exit.
 */
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { COMMANDS } from './commands/index.js';
import { resolveColor, takeColorFlags } from './color.js';
import { EXIT_USAGE, Reported, UsageError, type CliIO } from './command.js';
import { didYouMean } from './suggest.js';
import { VERSION } from '../version.js';

function usage(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return [
    'claimmap: safe just-in-time provisioning from SAML and OIDC claims',
    '',
    'Usage: claimmap <command> [options]',
    '',
    'Commands:',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    "Run `claimmap <command> --help` for a command's options.",
    'Global options: --color / --no-color (default: colour on a terminal; FORCE_COLOR, NO_COLOR).',
    'Exit codes: 0 ok, 1 findings or refused input, 2 usage or I/O error.',
    '',
  ].join('\n');
}

/** `claimmap: unknown command 'lnit'. Did you mean 'lint'?`, then the usage when there is nothing to suggest. */
function unknownCommand(name: string): string {
  const hint = didYouMean(
    name,
    COMMANDS.map((c) => c.name),
  );
  return `claimmap: unknown command '${name}'${hint}\n${hint ? "Run 'claimmap --help' for the list of commands.\n" : `\n${usage()}`}`;
}

/** Runs the CLI with `argv` (without node and script) and returns the exit code. */
export async function run(argv: string[], cliIO: CliIO): Promise<number> {
  // --color / --no-color are global: taken out wherever they are, decided once, carried in io.color.
  const global = takeColorFlags(argv);
  const io: CliIO = { ...cliIO, color: resolveColor(global.flag, cliIO.env, cliIO.isTTY) };
  const [name, ...rest] = global.argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    if (name === 'help' && rest[0] !== undefined) {
      const topic = COMMANDS.find((c) => c.name === rest[0]);
      if (!topic) {
        io.stderr(unknownCommand(rest[0]));
        return EXIT_USAGE;
      }
      io.stdout((await topic.load()).help);
      return 0;
    }
    io.stdout(usage());
    return name ? 0 : EXIT_USAGE;
  }
  if (name === '--version' || name === '-v') {
    io.stdout(`${VERSION}\n`);
    return 0;
  }
  const entry = COMMANDS.find((c) => c.name === name);
  if (!entry) {
    if (name.startsWith('-')) {
      io.stderr(
        `claimmap: unknown option '${name}'${didYouMean(name, ['--help', '--version', '--color', '--no-color'])}\nRun 'claimmap --help' for usage.\n`,
      );
      return EXIT_USAGE;
    }
    io.stderr(unknownCommand(name));
    return EXIT_USAGE;
  }
  // Only now is the command's module loaded, with what it imports (parser, checker, stores...).
  const cmd = await entry.load();
  if (rest.includes('--help') || rest.includes('-h')) {
    io.stdout(cmd.help);
    return 0;
  }
  try {
    return await cmd.run(rest, io);
  } catch (e) {
    if (e instanceof Reported) return e.exitCode;
    if (e instanceof UsageError) {
      io.stderr(`claimmap ${cmd.name}: ${e.message}\nRun 'claimmap ${cmd.name} --help' for usage.\n`);
      return EXIT_USAGE;
    }
    // A bug, not user input: report it without a stack trace unless asked.
    const msg = e instanceof Error ? e.message : String(e);
    io.stderr(
      `claimmap ${cmd.name}: internal error: ` +
        `${msg}\n${io.env.CLAIMMAP_DEBUG && e instanceof Error ? `${e.stack}\n` : 'Set CLAIMMAP_DEBUG=1 for details, and please report it.\n'}`,
    );
    return EXIT_USAGE;
  }
}

function isMain(): boolean {
  try {
    return !!process.argv[1] && realpathSync(process.argv[1]) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (isMain()) {
  const io: CliIO = {
    stdout: (t) => void process.stdout.write(t),
    stderr: (t) => void process.stderr.write(t),
    cwd: process.cwd(),
    env: process.env,
    isTTY: !!process.stdout.isTTY,
    stdin: process.stdin,
  };
  run(process.argv.slice(2), io).then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      process.stderr.write(`claimmap: ${e instanceof Error ? e.message : String(e)}\n`);
      process.exitCode = EXIT_USAGE;
    },
  );
}
