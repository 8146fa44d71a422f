/**
 * `claimmap scim token create NAME | revoke NAME | list`: the bearer tokens the SCIM endpoint accepts, one per IdP
 * connection. The token is printed once, at creation; the store keeps only its SHA-256.
 */
import { isRuntimeError } from '../../runtime/index.js';
import {
  createScimToken,
  isScimTokenName,
  listScimTokens,
  MAX_SCIM_TOKEN_NAME_LENGTH,
  revokeScimToken,
} from '../../runtime/scim/tokens.js';
import { oneOf, parseCommandArgs } from '../args.js';
import { UsageError, type Command } from '../command.js';
import { didYouMean } from '../suggest.js';
import { STORE_HELP, withStore } from '../store.js';
import { defined } from '../../model/invariant.js';

const ACTIONS = ['create', 'revoke', 'list'] as const;

export const command: Command = {
  name: 'scim',
  summary: 'create, revoke or list the bearer tokens of the SCIM endpoint (one per IdP connection)',
  help: `Usage: claimmap scim token create NAME [--store SPEC] [--actor WHO]
       claimmap scim token revoke NAME [--store SPEC] [--actor WHO]
       claimmap scim token list [--store SPEC] [--format text|json]

A token authenticates one IdP connection (Okta, Entra ID...) to 'claimmap serve scim' or an app's
createScimHandler. NAME (1 to ${MAX_SCIM_TOKEN_NAME_LENGTH} characters of A-Z a-z 0-9 . _ -) is what the audit trail records as
the actor scim:NAME. create prints the token once on standard output: paste it into the IdP's SCIM
connection; the store keeps only its SHA-256, so it cannot be shown again. revoke refuses the token from the
next request on (401). A name is never reused, even after revocation. Creating and revoking are audited.

Options:
${STORE_HELP}
  --actor <who>   who created or revoked it (default cli), recorded in the audit event
  --format <f>    list: text (default) or json

Exit codes: 0 done; 1 revoke of a name with no live token, or create of a name already used; 2 usage error
or store failure.
`,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs(args, {
      store: { type: 'string' },
      actor: { type: 'string' },
      format: { type: 'string' },
    });
    const format = oneOf('format', values.format, ['text', 'json'] as const, 'text');
    const [noun, action, ...rest] = positionals;
    if (noun !== 'token') {
      throw new UsageError(
        noun === undefined
          ? 'expected: scim token create|revoke|list'
          : `unknown subcommand '${noun}'${didYouMean(noun, ['token']) || '; expected: scim token create|revoke|list'}`,
      );
    }
    if (action === undefined || !(ACTIONS as readonly string[]).includes(action)) {
      throw new UsageError(
        action === undefined
          ? `expected an action: ${ACTIONS.join(', ')}`
          : `unknown action '${action}'${didYouMean(action, ACTIONS) || `; expected ${ACTIONS.join(', ')}`}`,
      );
    }
    const actor = values.actor ?? 'cli';
    if (action === 'list') {
      if (rest.length !== 0) throw new UsageError('scim token list: expected no arguments');
      return withStore(
        values.store,
        io,
        async (store) => {
          const tokens = await listScimTokens(store);
          if (format === 'json')
            io.stdout(
              `${JSON.stringify(
                tokens.map(({ hash: _h, ...t }) => t),
                null,
                2,
              )}\n`,
            );
          else if (tokens.length === 0) io.stdout('(no SCIM tokens)\n');
          else {
            const width = Math.max(4, ...tokens.map((t) => t.name.length));
            io.stdout(`${'NAME'.padEnd(width)}  CREATED                   REVOKED\n`);
            for (const t of tokens) io.stdout(`${t.name.padEnd(width)}  ${t.createdAt}  ${t.revokedAt ?? '-'}\n`);
          }
          return 0;
        },
        undefined,
        { readOnly: true },
      );
    }
    if (rest.length !== 1) throw new UsageError(`scim token ${action}: expected NAME`);
    const name = defined(rest[0]);
    if (!isScimTokenName(name)) {
      throw new UsageError(
        `NAME must be 1 to ${MAX_SCIM_TOKEN_NAME_LENGTH} characters of A-Z a-z 0-9 . _ - starting with a letter or digit (got ${JSON.stringify(name)})`,
      );
    }
    if (action === 'create') {
      return withStore(
        values.store,
        io,
        async (store) => {
          const created = await createScimToken(store, name, { actor });
          io.stdout(`${created.token}\n`);
          io.stderr(
            `Created SCIM token '${name}'. It is shown only now: give it to the IdP as the bearer token (secret token).\n`,
          );
          return 0;
        },
        (e) => {
          if (!isRuntimeError(e, 'store/conflict')) return undefined;
          io.stderr(`claimmap: a SCIM token named '${name}' already exists (names are never reused); pick another\n`);
          return 1;
        },
      );
    }
    return withStore(values.store, io, async (store) => {
      if (!(await revokeScimToken(store, name, { actor }))) {
        io.stderr(`claimmap: no live SCIM token named '${name}' (see 'claimmap scim token list')\n`);
        return 1;
      }
      io.stdout(`Revoked SCIM token '${name}'.\n`);
      return 0;
    });
  },
};
