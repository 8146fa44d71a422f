/** `claimmap audit [KEY]`: the append-only audit trail of logins and lifecycle calls, newest first. */
import { listAudit } from '../../runtime/index.js';
import { formatAuditEvents } from '../format.js';
import { intOption, oneOf, parseCommandArgs } from '../args.js';
import { UsageError, type Command } from '../command.js';
import { resolveKey, STORE_HELP, withStore } from '../store.js';
import { defined } from '../../model/invariant.js';

export const command: Command = {
  name: 'audit',
  summary: 'show the audit trail of logins, refusals, conflicts and lifecycle changes',
  help: `Usage: claimmap audit [KEY] [--issuer I] [--limit N] [--format text|json] [--store SPEC]

Prints audit events newest first: every login attempt (created, updated, unchanged, refused, conflict) with its
changes, the rules that fired and the mapping version, and every deprovision, suspend and reactivate.
KEY is a subject (as in 'claimmap accounts'); without it, events of all accounts are shown. A KEY that never
got an account (a refused first login) needs --issuer.

Options:
${STORE_HELP}
  --issuer <i>    the issuer of KEY
  --limit <n>     at most n events (default 100, at most 10000)
  --format <f>    text (default) or json

Exit codes: 0 done, 2 usage error or store failure.
`,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs(args, {
      store: { type: 'string' },
      issuer: { type: 'string' },
      limit: { type: 'string' },
      format: { type: 'string' },
    });
    const format = oneOf('format', values.format, ['text', 'json'] as const, 'text');
    if (positionals.length > 1) throw new UsageError('expected at most one KEY');
    const limit = intOption('limit', values.limit, { min: 1, max: 10_000, dflt: 100 });
    return withStore(
      values.store,
      io,
      async (store) => {
        const subject = positionals[0];
        const key = subject === undefined ? undefined : await resolveKey(store, subject, values.issuer);
        if (key === null) {
          io.stderr(
            `claimmap: no account has the subject "${defined(subject)}"; pass --issuer to see refused attempts for it\n`,
          );
          return 0;
        }
        const events = await listAudit(store, { limit, ...(key ? { key } : {}) });
        io.stdout(format === 'json' ? `${JSON.stringify(events, null, 2)}\n` : formatAuditEvents(events));
        return 0;
        // Read-only: never creates, migrates or writes the store.
      },
      undefined,
      { readOnly: true },
    );
  },
};
