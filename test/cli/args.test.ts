import { describe, expect, it } from 'vitest';
import { intOption, parseCommandArgs, type IntRange } from '../../src/cli/args.js';
import { UsageError, type Command } from '../../src/cli/command.js';
import { command as accounts } from '../../src/cli/commands/accounts.js';
import { command as audit } from '../../src/cli/commands/audit.js';
import { command as claims } from '../../src/cli/commands/claims.js';
import { command as login } from '../../src/cli/commands/login.js';
import { command as plan } from '../../src/cli/commands/plan.js';
import { cli, stdinOf } from './fake-io.js';

describe('intOption', () => {
  const limit: IntRange<number> = { min: 1, max: 10_000, dflt: 100 };
  const valid: [string | undefined, IntRange, number | undefined][] = [
    [undefined, limit, 100],
    [undefined, { min: 0, dflt: undefined }, undefined],
    ['1', limit, 1],
    ['10000', limit, 10_000],
    ['007', limit, 7],
    ['0', { min: 0, dflt: undefined }, 0],
  ];
  it.each(valid)('%j in %j is %j', (value, range, expected) => {
    expect(intOption('limit', value, range)).toBe(expected);
  });

  const invalid: [string, IntRange][] = [
    ['', limit],
    ['0x10', limit],
    ['1e3', limit],
    ['-1', { min: 0, dflt: undefined }],
    ['+5', limit],
    [' 5', limit],
    ['1.5', limit],
    ['0', limit],
    ['10001', limit],
    ['99999999999999999999', { min: 1, dflt: Infinity }],
  ];
  it.each(invalid)('%j is a usage error', (value, range) => {
    expect(() => intOption('limit', value, range)).toThrow(UsageError);
  });
});

describe('every integer flag refuses "" and "0x10" (usage error)', () => {
  const io = { stdout: () => {}, stderr: () => {}, cwd: process.cwd(), env: {}, isTTY: false, stdin: stdinOf() };
  const flags: [string, Command, (v: string) => string[]][] = [
    ['claims --max-bytes', claims, (v) => ['x.xml', '--max-bytes', v]],
    ['accounts --limit', accounts, (v) => ['list', '--limit', v]],
    ['audit --limit', audit, (v) => ['--limit', v]],
    ['login --max-claim-bytes', login, (v) => ['m.claimmap', 'c.json', '--max-claim-bytes', v]],
    ['plan --limit', plan, (v) => ['old.claimmap', 'new.claimmap', '--samples', 'd', '--limit', v]],
  ];
  for (const [name, command, args] of flags) {
    for (const v of ['', '0x10']) {
      it(`${name} ${JSON.stringify(v)}`, async () => {
        await expect(command.run(args(v), io)).rejects.toBeInstanceOf(UsageError);
      });
    }
  }

  it('exits 2 through main', async () => {
    expect((await cli(['audit', '--limit', '0x10'])).code).toBe(2);
  });
});

describe('parseCommandArgs: unknown options', () => {
  const options = { format: { type: 'string' }, quiet: { type: 'boolean', short: 'q' } } as const;
  it('suggests the closest option of the command', () => {
    expect(() => parseCommandArgs(['--fromat', 'json'], options)).toThrow(
      new UsageError("Unknown option '--fromat'. Did you mean '--format'?"),
    );
    expect(() => parseCommandArgs(['--quite'], options)).toThrow(
      new UsageError("Unknown option '--quite'. Did you mean '--quiet'?"),
    );
  });
  it('says nothing more when no option is close', () => {
    expect(() => parseCommandArgs(['--frobnicate'], options)).toThrow(new UsageError("Unknown option '--frobnicate'"));
  });
});
