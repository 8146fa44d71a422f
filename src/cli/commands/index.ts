import type { Command } from '../command.js';
import { command as accounts } from './accounts.js';
import { command as audit } from './audit.js';
import { command as claims } from './claims.js';
import { command as compile } from './compile.js';
import { command as evalCmd } from './eval.js';
import { command as explain } from './explain.js';
import { command as fmt } from './fmt.js';
import { command as lint } from './lint.js';
import { command as login } from './login.js';
import { command as plan } from './plan.js';
import { command as simulate } from './simulate.js';
import { command as test } from './test.js';

/** Every CLI command, in the order `claimmap --help` lists them. */
export const COMMANDS: readonly Command[] = [
  lint,
  fmt,
  compile,
  evalCmd,
  explain,
  claims,
  login,
  accounts,
  audit,
  simulate,
  test,
  plan,
];
