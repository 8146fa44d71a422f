/**
 * `claimmap accounts list | show KEY | dormant --after 90d | sweep MAPPING [--dry-run] | deprovision KEY --reason ...
 * | suspend KEY --reason ... | reactivate KEY --reason ... | grant KEY --role NAME --actor WHO | revoke KEY --role
 * NAME --actor WHO`: inspect and offboard accounts in a store, and manage manual grants.
 */
import { ClaimmapError } from '../../errors.js';
import { terminalSafe } from '../../runtime/format.js';
import {
  deprovision,
  eachAccount,
  eachDormant,
  getAccount,
  grantManual,
  reactivate,
  revokeManual,
  suspend,
  sweep,
  validateManualGrant,
  type SweepResult,
  type Account,
  type AccountStatus,
  type AccountSummary,
  type Store,
} from '../../runtime/index.js';
import { accountSummaryPages, dormantSummaryPages } from '../../runtime/lifecycle.js';
import { intOption, oneOf, parseCommandArgs } from '../args.js';
import { AccountTable, formatAccount, JsonArrayWriter } from '../format.js';
import { UsageError, type CliIO, type Command } from '../command.js';
import { resolveKey, STORE_HELP, withStore } from '../store.js';
import { defined } from '../../model/invariant.js';
import { plural } from '../../diagnostics/plural.js';
import type { Plan } from '../../model/plan.js';
import { loadMapping, Reported } from '../load.js';

const STATUSES = ['active', 'suspended', 'deprovisioned'] as const;
const SUBCOMMANDS = 'list, show, dormant, sweep, deprovision, suspend, reactivate, grant or revoke';

/** A stored value for one line of text: control characters escaped (names are validated, subjects are not). */
const show = terminalSafe;

function json(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

/**
 * Accounts read and printed per page by `list` and `dormant` (also the default --limit): the table is laid out per
 * page, so a listing of up to this many accounts prints exactly as one table; memory holds one page.
 */
const PAGE = 1000;

/** The JSON output is written in pieces of at least this many characters. */
const JSON_PIECE = 64 * 1024;

/**
 * What `accounts list` and `accounts dormant` print: pages of summaries for the text table (no JSON column decoded,
 * no await per account), or full accounts for JSON.
 */
type Listing =
  | { format: 'text'; pages: AsyncIterable<AccountSummary[]> }
  | { format: 'json'; accounts: AsyncIterable<Account> };

/**
 * Prints accounts as they are read, a page at a time: the first lines are out before the second page is read, and
 * at most `limit` accounts (all of them when undefined) are printed. Text is an {@link AccountTable}, JSON a
 * {@link JsonArrayWriter} array (valid JSON, identical to printing the whole list at once).
 */
async function printAccounts(listing: Listing, limit: number | undefined, io: CliIO): Promise<void> {
  if (listing.format === 'text') {
    const table = new AccountTable();
    let left = limit ?? Number.POSITIVE_INFINITY;
    for await (const page of listing.pages) {
      io.stdout(table.page(page.length > left ? page.slice(0, left) : page));
      left -= page.length;
      if (left <= 0) break;
    }
    io.stdout(table.end());
    return;
  }
  const array = new JsonArrayWriter();
  // Written in pieces of ~64 KiB: few writes, and no page of text kept alive for the collector to copy.
  let text = '';
  let n = 0;
  for await (const a of listing.accounts) {
    text += array.item(a);
    n++;
    if (n === limit) break;
    if (text.length >= JSON_PIECE) {
      io.stdout(text);
      text = '';
    }
  }
  if (text !== '') io.stdout(text);
  io.stdout(array.end());
}

export const command: Command = {
  name: 'accounts',
  summary: 'list, show, find or sweep dormant, suspend or deprovision accounts; grant or revoke manual grants',
  help: `Usage: claimmap accounts list [--status S] [--issuer I] [--limit N | --all]
       claimmap accounts show KEY [--issuer I]
       claimmap accounts dormant --after DURATION [--now ISO] [--limit N | --all]
       claimmap accounts sweep MAPPING [--dry-run] [--now ISO] [--actor WHO]
       claimmap accounts deprovision KEY --reason TEXT [--actor WHO] [--issuer I]
       claimmap accounts suspend KEY --reason TEXT [--actor WHO] [--issuer I]
       claimmap accounts reactivate KEY --reason TEXT [--actor WHO] [--issuer I]
       claimmap accounts grant KEY --role NAME|--entitlement NAME --actor WHO [--note TEXT] [--issuer I]
       claimmap accounts revoke KEY --role NAME|--entitlement NAME --actor WHO [--note TEXT] [--issuer I]

KEY is the account's subject (NameID or sub) as stored. Accounts are keyed by (issuer, subject); when the
subject exists at several issuers, --issuer chooses one. DURATION is a number and a unit: 90d, 12h, 2w.
deprovision and suspend are what a SCIM delete or an offboarding runbook call; both are audited, and later
logins are refused unless the mapping sets reactivate.
sweep applies the mapping's lifecycle { dormant_after 90d [suspend|deprovision] } to every account of its
issuer: one audited change per account, idempotent, an account that logs in meanwhile is left alone. Run it
from cron or a Kubernetes CronJob (docs/offboarding.md); --dry-run lists what it would change.
list and dormant print as they read, a page of 1000 accounts at a time; the text table's columns are
sized by the first page and widen for a later page that needs it.
grant and revoke add or remove a manual grant (source manual): logins never change it, and a mapping grant
of the same name is a separate grant. Granting what is already granted by hand changes nothing (reported as
"already granted", still audited). A deprovisioned account cannot be granted to; revoking always works.

Options:
${STORE_HELP}
  --format <f>    text (default) or json
  --issuer <i>    the issuer of KEY, or a filter for list
  --status <s>    list only active, suspended or deprovisioned accounts
  --limit <n>     list, dormant: at most n accounts (default 1000, at most 10000)
  --all           list, dormant: every matching account, however many
  --after <d>     dormant: no login for this long
  --now <iso>     dormant, sweep: the reference time (default: now)
  --dry-run       sweep: list what would change, write nothing
  --reason <t>    why (recorded in the audit event; required)
  --actor <who>   who (default cli; required for grant and revoke)
  --role <name>   grant, revoke: the role
  --entitlement <name>
                  grant, revoke: the entitlement
  --note <text>   grant, revoke: why (stored on the grant and in the audit event)

Exit codes: 0 done; 1 no such account, no such manual grant, or a deprovisioned account (grant); 2 usage
error or store failure.
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
      role: { type: 'string' },
      entitlement: { type: 'string' },
      note: { type: 'string' },
      'dry-run': { type: 'boolean' },
      all: { type: 'boolean' },
    });
    const format = oneOf('format', values.format, ['text', 'json'] as const, 'text');
    const [sub, ...rest] = positionals;
    if (!sub) throw new UsageError(`expected a subcommand: ${SUBCOMMANDS}`);
    const limit = intOption('limit', values.limit, { min: 1, max: 10_000, dflt: undefined });
    if (values.all === true && limit !== undefined) throw new UsageError('give --limit N or --all, not both');
    if (values.all === true && sub !== 'list' && sub !== 'dormant')
      throw new UsageError(`accounts ${sub}: --all is for list and dormant`);
    /** How many accounts list and dormant print: --limit, all with --all, else the default 1000. */
    const count = values.all === true ? undefined : (limit ?? PAGE);
    const needArgs = (n: number, what: string) => {
      if (rest.length !== n) throw new UsageError(`accounts ${sub}: expected ${what}`);
    };
    // Validate everything before opening (and possibly creating) the store.
    let run: (store: Store) => Promise<number>;
    switch (sub) {
      case 'list': {
        needArgs(0, 'no arguments');
        const status =
          values.status === undefined
            ? undefined
            : (oneOf('status', values.status, STATUSES, 'active') as AccountStatus);
        const options = {
          ...(status ? { status } : {}),
          ...(values.issuer === undefined ? {} : { issuer: values.issuer }),
          pageSize: Math.min(count ?? PAGE, PAGE),
        };
        run = async (store) => {
          const listing: Listing =
            format === 'text'
              ? { format, pages: accountSummaryPages(store, options) }
              : { format, accounts: eachAccount(store, options) };
          await printAccounts(listing, count, io);
          return 0;
        };
        break;
      }
      case 'show': {
        needArgs(1, 'KEY');
        run = async (store) => {
          const key = await resolveKey(store, defined(rest[0]), values.issuer);
          const account = key ? await getAccount(store, key) : null;
          if (!account) {
            io.stderr(
              `claimmap: no account has the subject ` +
                `"${defined(rest[0])}"${values.issuer ? ` at ${values.issuer}` : ''}\n`,
            );
            return 1;
          }
          io.stdout(format === 'json' ? json(account) : formatAccount(account));
          return 0;
        };
        break;
      }
      case 'dormant': {
        needArgs(0, 'no arguments');
        if (values.after === undefined)
          throw new UsageError('accounts dormant: --after is required (e.g. --after 90d)');
        if (values.now !== undefined && Number.isNaN(Date.parse(values.now)))
          throw new UsageError('--now must be an ISO 8601 instant');
        const after = values.after;
        const options = {
          after,
          ...(values.now === undefined ? {} : { now: values.now }),
          pageSize: Math.min(count ?? PAGE, PAGE),
        };
        run = async (store) => {
          let listing: Listing;
          try {
            // Checks the options now (TypeError), before anything is read or printed.
            listing =
              format === 'text'
                ? { format, pages: dormantSummaryPages(store, options) }
                : { format, accounts: eachDormant(store, options) };
          } catch (e) {
            if (e instanceof TypeError) throw new UsageError(`--after: ${e.message}`);
            throw e;
          }
          await printAccounts(listing, count, io);
          return 0;
        };
        break;
      }
      case 'sweep': {
        needArgs(1, 'MAPPING (the .claimmap or .plan.json that declares dormant_after)');
        if (values.now !== undefined && Number.isNaN(Date.parse(values.now)))
          throw new UsageError('--now must be an ISO 8601 instant');
        let plan: Plan;
        try {
          plan = loadMapping(defined(rest[0]), io);
        } catch (e) {
          if (e instanceof Reported) return e.exitCode;
          throw e;
        }
        if (plan.lifecycle.dormantAfterDays === null)
          throw new UsageError(
            `accounts sweep: ${defined(rest[0])} declares no lifecycle { dormant_after ... }: nothing to sweep`,
          );
        run = async (store) => {
          const r = await sweep(store, plan, {
            dryRun: values['dry-run'] === true,
            actor: values.actor ?? 'cli:sweep',
            ...(values.now === undefined ? {} : { now: values.now }),
          });
          io.stdout(format === 'json' ? json(r) : formatSweep(r));
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
          const key = await resolveKey(store, defined(rest[0]), values.issuer);
          if (!key) {
            io.stderr(`claimmap: no account has the subject "${defined(rest[0])}"\n`);
            return 1;
          }
          const r = await op(store, key, { reason, actor: values.actor ?? 'cli' });
          if (format === 'json') io.stdout(json(r));
          else {
            const verb = sub === 'deprovision' ? 'deprovisioned' : sub === 'suspend' ? 'suspended' : 'reactivated';
            io.stdout(
              `${r.changed ? verb : `already ${r.account.status}`}  ${r.account.issuer} | ${r.account.subject}  ` +
                `(audit ${r.eventId})\n`,
            );
          }
          return 0;
        };
        break;
      }
      case 'grant':
      case 'revoke': {
        needArgs(1, 'KEY');
        if ((values.role === undefined) === (values.entitlement === undefined)) {
          throw new UsageError(`accounts ${sub}: give exactly one of --role NAME or --entitlement NAME`);
        }
        if (values.actor === undefined) throw new UsageError(`accounts ${sub}: --actor is required`);
        const input = {
          kind: values.role === undefined ? ('entitlement' as const) : ('role' as const),
          name: values.role ?? defined(values.entitlement),
          actor: values.actor,
          ...(values.note === undefined ? {} : { note: values.note }),
        };
        // Bad names, actors and notes are usage errors, reported with their code before the store is opened.
        try {
          validateManualGrant(input);
        } catch (e) {
          if (e instanceof ClaimmapError) throw new UsageError(`${e.code}: ${e.message}`);
          throw e;
        }
        run = async (store) => {
          const key = await resolveKey(store, defined(rest[0]), values.issuer);
          if (!key) {
            io.stderr(`claimmap: no account has the subject "${defined(rest[0])}"\n`);
            return 1;
          }
          const r = await (sub === 'grant' ? grantManual : revokeManual)(store, key, input);
          if (format === 'json') io.stdout(json(r));
          else {
            const verb = r.action === 'unchanged' ? 'already granted' : r.action;
            io.stdout(
              `${verb}  ${r.grant.kind} ${show(r.grant.name)}  ${show(r.account.issuer)} | ` +
                `${show(r.account.subject)}  (audit ${r.eventId})\n`,
            );
          }
          return 0;
        };
        break;
      }
      default:
        throw new UsageError(`unknown subcommand "${sub}": expected ${SUBCOMMANDS}`);
    }
    // list, show and dormant only read: they open the store read-only and never create or migrate it; so does a
    // dry-run sweep.
    const readOnly =
      sub === 'list' || sub === 'show' || sub === 'dormant' || (sub === 'sweep' && values['dry-run'] === true);
    return withStore(
      values.store,
      io,
      run,
      (e) => {
        if (!(e instanceof ClaimmapError && e.code === 'runtime/account-not-found')) return undefined;
        io.stderr(`claimmap: ${e.message}\n`);
        return 1;
      },
      { readOnly },
    );
  },
};

/** The text summary of a sweep: one line per account, then the counts. */
function formatSweep(r: SweepResult): string {
  const verb = r.action === 'suspend' ? 'suspended' : 'deprovisioned';
  const lines = [
    `sweep ${show(r.issuer)}: dormant_after ${r.dormantAfterDays}d, ${r.action} accounts with no login since ` +
      `${r.cutoff}${r.dryRun ? ' (dry run)' : ''}`,
  ];
  for (const c of r.changed) {
    lines.push(
      `  ${r.dryRun ? `would be ${verb}` : verb}  ${show(c.subject)}  ${c.from} → ${c.to}, last active ` +
        `${c.lastActiveAt}${c.eventId ? `  (audit ${c.eventId})` : ''}`,
    );
  }
  const n = plural(r.changed.length, 'account');
  lines.push(
    r.dryRun
      ? `${n} would be ${verb}; nothing was written.`
      : `${n} ${verb}${r.skipped ? `, ${plural(r.skipped, 'account')} skipped (logged in or changed during the sweep)` : ''}.`,
  );
  return `${lines.join('\n')}\n`;
}
