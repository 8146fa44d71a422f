/**
 * `accounts list` and `accounts dormant` print their text table from account summaries (listAccountSummaries),
 * not from full accounts. The text must be byte-identical to the table of the full accounts as it was printed before
 * summaries existed: `legacyTable` below is that formatter, kept verbatim (role grants of the sorted grants, each
 * name through showValue, joined by commas), fed the full accounts of eachAccount / eachDormant a page at a time.
 * Over accounts with odd names (test/runtime/stores/odd-accounts.ts) plus enough plain ones for a second page with
 * a wider column; MemoryStore through the library (the CLI cannot reach a memory store's data), SqliteStore and,
 * when CLAIMMAP_TEST_PG is set, PostgresStore through the command. And a store with a malformed row gives a coded
 * error and exit 2, never a stack trace.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { command as accounts } from '../../../src/cli/commands/accounts.js';
import { AccountTable } from '../../../src/cli/format.js';
import { showValue } from '../../../src/runtime/format.js';
import {
  accountSummary,
  eachAccount,
  eachAccountSummary,
  eachDormant,
  eachDormantSummary,
  MemoryStore,
  PostgresStore,
  SqliteStore,
  type Account,
  type Store,
} from '../../../src/runtime/index.js';
import { defined } from '../../../src/model/invariant.js';
import { ODD_ISSUER, ODD_T0, seedOddAccounts } from '../../runtime/stores/odd-accounts.js';
import { runCommand } from '../run-command.js';

const NOW = '2026-06-15T00:00:00Z';
/** Plain accounts after the odd ones: the second page of 1000 holds the widest subject. */
const PLAIN = 1200;

const root = mkdtempSync(join(tmpdir(), 'claimmap-cli-summary-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** The account table as `accounts list` printed it from full accounts before summaries (verbatim). */
function legacyTable(pages: Account[][]): string {
  const head = ['SUBJECT', 'STATUS', 'LAST LOGIN', 'ROLES', 'ISSUER'];
  const w = head.map((h) => h.length);
  let out = '';
  let started = false;
  for (const accounts of pages) {
    if (accounts.length === 0) continue;
    const rows = accounts.map((a) => [
      showValue(a.subject),
      a.status,
      a.lastLoginAt ?? '(never)',
      a.grants
        .filter((g) => g.kind === 'role')
        .map((g) => showValue(g.name))
        .join(',') || '-',
      showValue(a.issuer),
    ]);
    for (const r of rows) for (let i = 0; i < r.length; i++) w[i] = Math.max(defined(w[i]), defined(r[i]).length);
    const line = (r: string[]) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(defined(w[i])))).join('  ');
    if (!started) out += `${line(head)}\n`;
    started = true;
    for (const r of rows) out += `${line(r)}\n`;
  }
  return started ? out : '(no accounts)\n';
}

async function pagesOf<T>(items: AsyncIterable<T>): Promise<T[][]> {
  const pages: T[][] = [[]];
  for await (const x of items) {
    if (defined(pages.at(-1)).length === 1000) pages.push([]);
    defined(pages.at(-1)).push(x);
  }
  return pages;
}

async function seed(store: Store): Promise<void> {
  await seedOddAccounts(store);
  await store.transaction(async (tx) => {
    for (let i = 0; i < PLAIN; i++) {
      const id = `plain-${i}`;
      await tx.insertAccount({
        id,
        issuer: ODD_ISSUER,
        subject:
          i === PLAIN - 1 ? `u${i}-a-subject-wider-than-any-of-the-first-page` : `u${String(i).padStart(5, '0')}`,
        status: i % 11 === 0 ? 'suspended' : 'active',
        profile: {},
        lastSeenClaims: null,
        mappingDigest: null,
        mappingVersion: null,
        lastLoginAt: i % 3 === 0 ? '2026-06-01T00:00:00.000Z' : null,
        lastIssuedAt: null,
        createdAt: ODD_T0,
        updatedAt: ODD_T0,
        version: 1,
      });
      await tx.replaceGrants(id, [
        { kind: 'role', name: i % 2 ? 'dev' : 'ops', grantedAt: ODD_T0, source: 'manual' },
        { kind: 'entitlement', name: 'repo:read', grantedAt: ODD_T0, source: 'manual' },
      ]);
    }
  });
}

/** The listings compared: CLI arguments and the full accounts the table was printed from before. */
const LISTINGS: { args: string[]; full: (store: Store) => AsyncIterable<Account> }[] = [
  { args: ['list', '--all'], full: (store) => eachAccount(store) },
  { args: ['list', '--status', 'suspended', '--all'], full: (store) => eachAccount(store, { status: 'suspended' }) },
  {
    args: ['list', '--issuer', ODD_ISSUER, '--limit', '1005'],
    full: (store) => eachAccount(store, { issuer: ODD_ISSUER }),
  },
  { args: ['list', '--status', 'deprovisioned'], full: (store) => eachAccount(store, { status: 'deprovisioned' }) },
  {
    args: ['dormant', '--after', '90d', '--now', NOW, '--all'],
    full: (store) => eachDormant(store, { after: '90d', now: NOW }),
  },
  {
    args: ['dormant', '--after', '9000d', '--now', NOW],
    full: (store) => eachDormant(store, { after: '9000d', now: NOW }),
  },
];

/** What the legacy table printed for a listing (its --limit applied). */
async function expected(args: string[], full: AsyncIterable<Account>): Promise<string> {
  const at = args.indexOf('--limit');
  const limit = at < 0 ? (args.includes('--all') ? Number.POSITIVE_INFINITY : 1000) : Number(args[at + 1]);
  const list: Account[] = [];
  for await (const a of full) {
    if (list.length === limit) break;
    list.push(a);
  }
  const pages: Account[][] = [];
  for (let i = 0; i < list.length; i += 1000) pages.push(list.slice(i, i + 1000));
  return legacyTable(pages);
}

async function runCli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const r = await runCommand(accounts, args, { cwd: root });
  return { code: r.code, out: r.stdout, err: r.stderr };
}

describe('MemoryStore: the table of summaries is the table of full accounts', () => {
  it('for every listing, page by page', async () => {
    const store = new MemoryStore();
    await seed(store);
    const summaries = [
      eachAccountSummary(store),
      eachAccountSummary(store, { status: 'suspended' }),
      eachDormantSummary(store, { after: '90d', now: NOW }),
    ];
    const full = [
      eachAccount(store),
      eachAccount(store, { status: 'suspended' }),
      eachDormant(store, { after: '90d', now: NOW }),
    ];
    for (const [i, s] of summaries.entries()) {
      const table = new AccountTable();
      let text = '';
      for (const page of await pagesOf(s)) text += table.page(page);
      text += table.end();
      const want = legacyTable(await pagesOf(defined(full[i])));
      expect(text).toBe(want);
      expect(want.split('\n').length).toBeGreaterThan(2);
    }
  });
});

describe('AccountTable: the escapes it keeps for repeated issuers and role names', () => {
  it('prints what the table of full accounts prints, past the 4,096 values it keeps at a time', () => {
    // 6,000 accounts in 6 pages: role names and issuers that repeat, that never repeat, and that need escaping.
    const accounts: Account[] = [];
    for (let i = 0; i < 6000; i++) {
      const roles = [`role-${i}`, i % 2 ? 'viewer' : 'edit\u001b[31mor', `team-${i % 700}\n`].sort();
      accounts.push({
        id: `id-${i}`,
        issuer: i % 3 ? 'https://idp.example.com' : `https://idp-${i}.example.com/\u0007`,
        subject: `user-${i}`,
        status: 'active',
        profile: {},
        lastSeenClaims: null,
        mappingDigest: null,
        mappingVersion: null,
        lastLoginAt: null,
        lastIssuedAt: null,
        createdAt: ODD_T0,
        updatedAt: ODD_T0,
        version: 1,
        grants: roles.map((name) => ({ kind: 'role' as const, name, grantedAt: ODD_T0, source: 'manual' as const })),
      });
    }
    const pages = [0, 1, 2, 3, 4, 5].map((p) => accounts.slice(p * 1000, (p + 1) * 1000));
    const table = new AccountTable();
    let text = '';
    for (const page of pages) text += table.page(page.map(accountSummary));
    text += table.end();
    expect(text).toBe(legacyTable(pages));
    expect(text).toContain('edit\\u001b[31mor');
  });
});

describe('SqliteStore: accounts list and dormant print the table of full accounts, byte for byte', () => {
  const file = join(root, 'odd.db');
  const ready = (async () => {
    const store = await SqliteStore.open(file);
    await seed(store);
    await store.close();
  })();

  for (const l of LISTINGS) {
    it(l.args.join(' '), async () => {
      await ready;
      const r = await runCli([...l.args, '--store', `sqlite:${file}`]);
      expect(r.err).toBe('');
      expect(r.code).toBe(0);
      const store = await SqliteStore.open(file, { readOnly: true });
      try {
        expect(r.out).toBe(await expected(l.args, l.full(store)));
      } finally {
        await store.close();
      }
    });
  }

  it('the odd rows print as they always did (escaped, roles sorted, entitlements left out)', async () => {
    await ready;
    const out = (await runCli(['list', '--issuer', ODD_ISSUER, '--limit', '7', '--store', `sqlite:${file}`])).out;
    const jane = defined(out.split('\n').find((l) => l.startsWith('jane')));
    expect(jane).toMatch(/ {2}\\u0007bell,"q",a,b,admin,admin,line\\u000abreak,é,😀,Ａ +https:\/\/idp\.example\.com$/);
    expect(out).not.toContain('repo:write');
    expect(out).toContain('never\\u0009logged\\u001b[31m  active');
  });
});

/** A store file of the odd accounts, then `sql` run on it (param: the id of the account it corrupts, `odd-7`). */
async function corrupted(name: string, sql: string): Promise<string> {
  const file = join(root, `${name}.db`);
  const store = await SqliteStore.open(file);
  await seedOddAccounts(store);
  await store.close();
  const raw = new Database(file);
  try {
    raw.prepare(sql).run('odd-7');
  } finally {
    raw.close();
  }
  return `sqlite:${file}`;
}

describe('SqliteStore: a malformed row is a coded error, exit 2, no stack trace', () => {
  const both = [['list'], ['dormant', '--after', '1d', '--now', NOW]];
  const cases = [
    {
      name: 'role-name.blob',
      sql: "UPDATE grants SET name = CAST(x'c3ff00' AS BLOB) WHERE account_id = ?",
      runs: both,
    },
    {
      name: 'role-name.nul',
      sql: "UPDATE grants SET name = 'ad' || char(0) || 'min' WHERE account_id = ?",
      runs: both,
    },
    // The SQLite summary joins role names with U+0000 before each: a stored name holding one must not read as two
    // roles (here 'admin' and 'root', both well-formed on their own), at the start or at the end of a name either.
    {
      name: 'role-name.nul-splits-into-two-roles',
      sql: "UPDATE grants SET name = 'admin' || char(0) || 'root' WHERE account_id = ?",
      runs: both,
    },
    {
      name: 'role-name.nul-first',
      sql: "UPDATE grants SET name = char(0) || 'root' WHERE account_id = ?",
      runs: both,
    },
    { name: 'role-name.nul-only', sql: 'UPDATE grants SET name = char(0) WHERE account_id = ?', runs: both },
    {
      name: 'role-name.nul-in-one-of-two',
      sql: "INSERT INTO grants SELECT account_id, kind, 'root' || char(0), source, provenance, granted_at FROM grants WHERE account_id = ?",
      runs: both,
    },
    // dormant selects active accounts only: an unknown status is not among them.
    { name: 'status.unknown', sql: "UPDATE accounts SET status = 'root' WHERE id = ?", runs: [['list']] },
    { name: 'subject.blob', sql: "UPDATE accounts SET subject = x'6a616e65' WHERE id = ?", runs: both },
    {
      name: 'last-login.escape',
      sql: "UPDATE accounts SET last_login_at = char(27) || '[2J' WHERE id = ?",
      runs: both,
    },
  ];
  for (const c of cases) {
    it(`accounts ${c.runs.map((r) => r[0]).join(', ')} over ${c.name}: error store/corrupt-record`, async () => {
      const spec = await corrupted(c.name, c.sql);
      for (const args of c.runs) {
        const r = await runCli([...args, '--store', spec]);
        expect(r.code).toBe(2);
        expect(r.err).toMatch(/^error store\/corrupt-record: Stored record (accounts|grants)\/odd-7\/\S+ is corrupt/);
        expect(r.err).not.toMatch(/\n\s+at /);
        expect(r.out).toBe('');
      }
    });
  }

  it('garbage grant provenance: the JSON output (full accounts) is store/corrupt-record; the table never reads it', async () => {
    const spec = await corrupted(
      'provenance.garbage',
      'UPDATE grants SET provenance = \'{"actor": \' WHERE account_id = ?',
    );
    const json = await runCli(['list', '--format', 'json', '--store', spec]);
    expect(json.code).toBe(2);
    expect(json.err).toContain('error store/corrupt-record: Stored record grants/odd-7/,/provenance is corrupt');
    const text = await runCli(['list', '--store', spec]);
    expect(text.code).toBe(0);
    expect(text.out).toMatch(/\n😀x +active +2026-01-01T00:00:00\.000Z +, +https:\/\/idp\.example\.com\n/);
  });
});

const url = process.env.CLAIMMAP_TEST_PG;
describe.skipIf(!url)(
  'PostgresStore: accounts list and dormant print the table of full accounts, byte for byte',
  () => {
    const schema = `cm_cli_sum_${randomBytes(4).toString('hex')}`;
    const admin = url ? new pg.Pool({ connectionString: url, max: 1 }) : undefined;
    afterAll(async () => {
      await admin?.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await admin?.end();
    });
    const spec = () => {
      const u = new URL(defined(url));
      u.searchParams.set('options', `-c search_path=${schema}`);
      return u.toString();
    };
    let ready: Promise<void> | undefined;
    const seeded = () => {
      ready ??= (async () => {
        const store = await PostgresStore.open(defined(url), { schema });
        await seed(store);
        await store.close();
      })();
      return ready;
    };

    for (const l of LISTINGS) {
      it(l.args.join(' '), async () => {
        await seeded();
        const r = await runCli([...l.args, '--store', spec()]);
        expect(r.err).toBe('');
        expect(r.code).toBe(0);
        const store = await PostgresStore.open(defined(url), { schema, readOnly: true });
        try {
          expect(r.out).toBe(await expected(l.args, l.full(store)));
        } finally {
          await store.close();
        }
      });
    }
  },
);
