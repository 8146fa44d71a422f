/**
 * The command registry holds each command's name and summary so that `claimmap --help` needs no command module;
 * they must be the loaded command's own.
 */
import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../../../src/cli/commands/index.js';
import { cli } from '../fake-io.js';

describe('command registry', () => {
  it('names are unique', () => {
    const names = COMMANDS.map((c) => c.name);
    expect(new Set(names).size).toBe(names.length);
  });

  it.each(COMMANDS.map((c) => [c.name, c] as const))(
    '%s: load() gives the command of that name and summary',
    async (_, entry) => {
      const cmd = await entry.load();
      expect(cmd.name).toBe(entry.name);
      expect(cmd.summary).toBe(entry.summary);
      expect(cmd.help.length).toBeGreaterThan(entry.summary.length);
    },
  );

  it('`help <command>` and `<command> --help` print the loaded help text', async () => {
    const lint = await COMMANDS.find((c) => c.name === 'lint')!.load();
    expect((await cli(['help', 'lint'])).stdout).toBe(lint.help);
    expect((await cli(['lint', '--help'])).stdout).toBe(lint.help);
    const top = await cli(['--help']);
    for (const c of COMMANDS) expect(top.stdout).toContain(`  ${c.summary}`);
  });
});
