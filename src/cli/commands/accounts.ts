/**
 * `claimmap accounts list | show KEY | dormant --after 90d | deprovision KEY --reason ... | suspend KEY --reason ...
 * | reactivate KEY --reason ...`: inspect and offboard accounts in a store.
 */
import { ClaimmapError } from '../../errors.js';
import {
  deprovision,
  dormant,
  formatAccount,
  formatAccountTable,
  getAccount,
  listAccounts,
  reactivate,
  suspend,
  type Account,
  type AccountStatus,
  type Store,
} from '../../runtime/index.js';
import { oneOf, parseCommandArgs } from '../args.js';
import { UsageError, type Command } from '../command.js';
import { resolveKey, STORE_HELP, withStore } from '../store.js';

const STATUSES = ['active', 'suspended', 'deprovisioned'] as const;

function json(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

export const command: Command = {
  name: 'accounts',
  summary: 'list, show, find dormant, suspend or deprovision provisioned accounts',
  help: `Usage: claimmap accounts list [--status S] [--issuer I] [--limit N]
       claimmap accounts show KEY [--issuer I]
       claimmap accounts dormant --after DURATION [--now ISO]
       claimmap accounts deprovision KEY --reason TEXT [--actor WHO] [--issuer I]
       claimmap accounts suspend KEY --reason TEXT [--actor WHO] [--issuer I]
       claimmap accounts reactivate KEY --reason TEXT [--actor WHO] [--issuer I]

KEY is the account's subject (NameID or sub) as stored. Accounts are keyed by (issuer, subject); when the
subject exists at several issuers, --issuer chooses one. DURATION is a number and a unit: 90d, 12h, 2w.
deprovision and suspend are what a SCIM delete or an offboarding runbook call; both are audited, and later
logins are refused unless the mapping sets reactivate.

Options:
${STORE_HELP}
  --format <f>    text (default) or json
  --issuer <i>    the issuer of KEY, or a filter for list
  --status <s>    list only active, suspended or deprovisioned accounts
  --limit <n>     at most n accounts (default 1000, at most 10000)
  --after <d>     dormant: no login for this long
  --now <iso>     dormant: the reference time (default: now)
  --reason <t>    why (recorded in the audit event; required)
  --actor <who>   who (default cli)

Exit codes: 0 done, 1 no such account, 2 usage error or store failure.
`,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs(args, {
      store: { type: 'string' },
      format: { type: 'string' },
      issuer: { type: 'string' },
      status: { type: 'string' },
      limit: { type: 'string' },
      after: { type: 'string' },
      now: { type: 'string' },
      reason: { type: 'string' },
      actor: { type: 'string' },
    });
    const format = oneOf('format', values.format, ['text', 'json'] as const, 'text');
    const [sub, ...rest] = positionals;
    if (!sub) throw new UsageError('expected a subcommand: list, show, dormant, deprovision, suspend or reactivate');
    const limit = values.limit === undefined ? undefined : Number(values.limit);
    if (limit !== undefined && (!Number.isSafeInteger(limit) || limit < 1 || limit > 10_000)) {
      throw new UsageError('--limit must be an integer from 1 to 10000');
    }
    const needArgs = (n: number, what: string) => {
      if (rest.length !== n) throw new UsageError(`accounts ${sub}: expected ${what}`);
    };
    // Validate everything before opening (and possibly creating) the store.
    let run: (store: Store) => Promise<number>;
    switch (sub) {
      case 'list': {
        needArgs(0, 'no arguments');
        const status = values.status === undefined ? undefined : (oneOf('status', values.status, STATUSES, 'active') as AccountStatus);
        run = async (store) => {
          const list = await listAccounts(store, {
            ...(status ? { status } : {}),
            ...(values.issuer === undefined ? {} : { issuer: values.issuer }),
            ...(limit === undefined ? {} : { limit }),
          });
          io.stdout(format === 'json' ? json(list) : formatAccountTable(list));
          return 0;
        };
        break;
      }
      case 'show': {
        needArgs(1, 'KEY');
        run = async (store) => {
          const key = await resolveKey(store, rest[0]!, values.issuer);
          const account = key ? await getAccount(store, key) : null;
          if (!account) {
            io.stderr(`claimmap: no account has the subject "${rest[0]!}"${values.issuer ? ` at ${values.issuer}` : ''}\n`);
            return 1;
          }
          io.stdout(format === 'json' ? json(account) : formatAccount(account));
          return 0;
        };
        break;
      }
      case 'dormant': {
        needArgs(0, 'no arguments');
        if (values.after === undefined) throw new UsageError('accounts dormant: --after is required (e.g. --after 90d)');
        if (values.now !== undefined && Number.isNaN(Date.parse(values.now))) throw new UsageError('--now must be an ISO 8601 instant');
        const after = values.after;
        run = async (store) => {
          let list: Account[];
          try {
            list = await dormant(store, {
              after,
              ...(values.now === undefined ? {} : { now: values.now }),
              ...(limit === undefined ? {} : { limit }),
            });
          } catch (e) {
            if (e instanceof TypeError) throw new UsageError(`--after: ${e.message}`);
            throw e;
          }
          io.stdout(format === 'json' ? json(list) : formatAccountTable(list));
          return 0;
        };
        break;
      }
      case 'deprovision':
      case 'suspend':
      case 'reactivate': {
        needArgs(1, 'KEY');
        const reason = values.reason?.trim();
        if (!reason) throw new UsageError(`accounts ${sub}: --reason is required`);
        const op = sub === 'deprovision' ? deprovision : sub === 'suspend' ? suspend : reactivate;
        run = async (store) => {
          const key = await resolveKey(store, rest[0]!, values.issuer);
          if (!key) {
            io.stderr(`claimmap: no account has the subject "${rest[0]!}"\n`);
            return 1;
          }
          const r = await op(store, key, { reason, actor: values.actor ?? 'cli' });
          if (format === 'json') io.stdout(json(r));
          else {
            const verb = sub === 'deprovision' ? 'deprovisioned' : sub === 'suspend' ? 'suspended' : 'reactivated';
            io.stdout(`${r.changed ? verb : `already ${r.account.status}`}  ${r.account.issuer} | ${r.account.subject}  (audit ${r.eventId})\n`);
          }
          return 0;
        };
        break;
      }
      default:
        throw new UsageError(`unknown subcommand "${sub}": expected list, show, dormant, deprovision, suspend or reactivate`);
    }
    return withStore(values.store, io, run, (e) => {
      if (!(e instanceof ClaimmapError && e.code === 'runtime/account-not-found')) return undefined;
      io.stderr(`claimmap: ${e.message}\n`);
      return 1;
    });
  },
};
