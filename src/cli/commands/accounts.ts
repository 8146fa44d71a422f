/**
 * `claimmap accounts list | show KEY | dormant --after 90d | deprovision KEY --reason ... | suspend KEY --reason ...
 * | reactivate KEY --reason ...`: inspect and offboard accounts in a store. Also holds the store and key helpers that
 * `login` and `audit` share.
 */
import { ClaimmapError } from '../../errors.js';
import {
  DEFAULT_STORE_SPEC,
  deprovision,
  dormant,
  formatAccount,
  formatAccountTable,
  getAccount,
  listAccounts,
  openStore,
  reactivate,
  redactStoreSpec,
  suspend,
  type Account,
  type AccountKey,
  type AccountStatus,
  type Store,
} from '../../runtime/index.js';
import { oneOf, parseCommandArgs } from '../args.js';
import { UsageError, type CliIO, type Command } from '../command.js';

/** The `--store` option, shared by login, accounts and audit. */
export const STORE_HELP = `  --store <spec>  sqlite:PATH (default ${DEFAULT_STORE_SPEC}, relative to the working directory),
                  postgres://USER:PASSWORD@HOST/DB, or memory: (empty, for dry runs). Also read from
                  the CLAIMMAP_STORE environment variable.`;

/** A store failure already printed; the command exits with `exitCode`. */
export class StoreFailure extends Error {
  constructor(readonly exitCode: number) {
    super('store failure');
  }
}

/**
 * Prints a typed error as `error <code>: <message>` and returns the exit code (2 for store/I/O, 1 otherwise).
 *
 * @example
 * ```ts
 * try { await provision(plan, claims, { store }) } catch (e) { return reportRuntimeError(e, io) }
 * ```
 */
export function reportRuntimeError(e: unknown, io: CliIO): number {
  if (e instanceof ClaimmapError) {
    io.stderr(`error ${e.code}: ${e.message}${e.position?.path ? ` (at ${e.position.path})` : ''}\n`);
    if (e.hint) io.stderr(`  hint: ${e.hint}\n`);
    return e.code.startsWith('store/') ? 2 : 1;
  }
  throw e;
}

/**
 * Opens the store named by `--store`, `CLAIMMAP_STORE` or the default.
 *
 * @example
 * ```ts
 * const store = await openCliStore(values.store, io); // sqlite:./claimmap.db in io.cwd by default
 * ```
 */
export async function openCliStore(spec: string | undefined, io: CliIO): Promise<Store> {
  const chosen = spec ?? io.env.CLAIMMAP_STORE ?? DEFAULT_STORE_SPEC;
  try {
    return await openStore(chosen, { cwd: io.cwd });
  } catch (e) {
    if (e instanceof TypeError) throw new UsageError(e.message);
    io.stderr(`claimmap: cannot open store ${redactStoreSpec(chosen)}\n`);
    throw new StoreFailure(reportRuntimeError(e, io));
  }
}

/**
 * Resolves KEY (a subject) to an account key: with `--issuer` directly; without, the one account with that subject
 * (a usage error when several issuers have it). Returns null when no account has it.
 *
 * @example
 * ```ts
 * const key = await resolveKey(store, '00u1', values.issuer); // { issuer, subject: '00u1' } | null
 * ```
 */
export async function resolveKey(store: Store, subject: string, issuer: string | undefined): Promise<AccountKey | null> {
  if (issuer !== undefined) return { issuer, subject };
  const found = await listAccounts(store, { subject, limit: 100 });
  if (found.length === 0) return null;
  const issuers = [...new Set(found.map((a) => a.issuer))];
  if (issuers.length > 1) {
    throw new UsageError(`subject "${subject}" exists at several issuers; choose one with --issuer: ${issuers.join(', ')}`);
  }
  return { issuer: issuers[0]!, subject };
}

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
    let store: Store;
    try {
      store = await openCliStore(values.store, io);
    } catch (e) {
      if (e instanceof StoreFailure) return e.exitCode;
      throw e;
    }
    try {
      return await run(store);
    } catch (e) {
      if (e instanceof UsageError) throw e;
      if (e instanceof ClaimmapError && e.code === 'runtime/account-not-found') {
        io.stderr(`claimmap: ${e.message}\n`);
        return 1;
      }
      return reportRuntimeError(e, io);
    } finally {
      await store.close();
    }
  },
};
