/**
 * `claimmap accounts list` and `accounts dormant` stream: they read the store a page at a time and print each page
 * before reading the next. Counted, not timed: a spy on SqliteStore's transactions records every `listAccounts` and
 * `listAccountSummaries` read (which, its limit, its row count, and how much had been printed when it ran), for N and
 * 2N accounts. The text table reads summaries only, the JSON output full accounts only.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { UsageError, type CliIO } from '../../../src/cli/command.js';
import { command as accounts } from '../../../src/cli/commands/accounts.js';
import { formatAccountTable } from '../../../src/cli/format.js';
import { eachAccount } from '../../../src/runtime/lifecycle.js';
import type { ListAccountsQuery, StoreTx } from '../../../src/runtime/store.js';
import { SqliteStore } from '../../../src/runtime/stores/sqlite.js';
import type { Account, Grant } from '../../../src/runtime/types.js';
import { stdinOf } from '../fake-io.js';

const ISSUER = 'https://idp.example.com';
const OLD = '2026-01-01T00:00:00.000Z';
const RECENT = '2026-06-01T00:00:00.000Z';
const NOW = ['--now', '2026-06-15T00:00:00Z'];

const root = mkdtempSync(join(tmpdir(), 'claimmap-cli-list-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
afterEach(() => {
  vi.restoreAllMocks();
});
/** The unspied method (run() spies on the prototype once per call and restores it). */
const transaction = SqliteStore.prototype.transaction;

/** A store file of `n` accounts: every third has logged in recently (not dormant), one subject is long. */
async function storeOf(n: number): Promise<string> {
  const file = join(root, `s${n}.db`);
  const store = await SqliteStore.open(file);
  await store.transaction(async (tx) => {
    for (let i = 0; i < n; i++) {
      const id = `acc-${i}`;
      const at = i % 3 === 0 ? RECENT : OLD;
      await tx.insertAccount({
        id,
        issuer: ISSUER,
        subject:
          i === n - 1
            ? `user-${String(i).padStart(6, '0')}-with-a-longer-subject`
            : `user-${String(i).padStart(6, '0')}`,
        status: 'active',
        profile: { email: `u${i}@example.com` },
        lastSeenClaims: null,
        mappingDigest: 'd',
        mappingVersion: null,
        lastLoginAt: at,
        lastIssuedAt: null,
        createdAt: OLD,
        updatedAt: at,
        version: 1,
      });
      const grants: Grant[] = [
        { kind: 'role', name: i % 2 ? 'admin' : 'viewer', grantedAt: OLD, source: 'manual', actor: 'test' },
      ];
      await tx.replaceGrants(id, grants);
    }
  });
  await store.close();
  return `sqlite:${file}`;
}

interface Read {
  method: 'listAccounts' | 'listAccountSummaries';
  limit: number;
  rows: number;
  /** stdout writes before this read. */
  printedBefore: number;
}

/** Runs `accounts ARGS` with every listAccounts read recorded against the stdout writes so far. */
async function run(args: string[]): Promise<{ code: number; out: string; writes: number; reads: Read[] }> {
  const out: string[] = [];
  const reads: Read[] = [];
  const spy = vi.spyOn(SqliteStore.prototype, 'transaction').mockImplementation(function <T>(
    this: SqliteStore,
    fn: (tx: StoreTx) => Promise<T>,
  ) {
    return transaction.call(this, (tx) => {
      const counting: StoreTx = {
        ...tx,
        listAccounts: async (q: ListAccountsQuery) => {
          const printedBefore = out.length;
          const rows = await tx.listAccounts(q);
          reads.push({ method: 'listAccounts', limit: q.limit, rows: rows.length, printedBefore });
          return rows;
        },
        listAccountSummaries: async (q: ListAccountsQuery) => {
          const printedBefore = out.length;
          const rows = await tx.listAccountSummaries(q);
          reads.push({ method: 'listAccountSummaries', limit: q.limit, rows: rows.length, printedBefore });
          return rows;
        },
      };
      return fn(counting);
    }) as Promise<T>;
  });
  const io: CliIO = {
    stdout: (t) => out.push(t),
    stderr: (t) => out.push(`stderr: ${t}`),
    cwd: root,
    env: {},
    isTTY: false,
    stdin: stdinOf(),
  };
  try {
    const code = await accounts.run(args, io);
    return { code, out: out.join(''), writes: out.length, reads };
  } finally {
    spy.mockRestore();
  }
}

async function all(spec: string): Promise<Account[]> {
  const store = await SqliteStore.open(spec.slice('sqlite:'.length), { readOnly: true });
  try {
    const list: Account[] = [];
    for await (const a of eachAccount(store)) list.push(a);
    return list;
  } finally {
    await store.close();
  }
}

describe('accounts list and dormant read a page at a time and print before the last page is read', () => {
  const N = 1500;
  const sizes = [N, 2 * N];
  const stores = new Map<number, Promise<string>>();
  const storeFor = (n: number) => {
    let s = stores.get(n);
    if (s === undefined) {
      s = storeOf(n);
      stores.set(n, s);
    }
    return s;
  };

  for (const sub of ['list', 'dormant'] as const) {
    const args = sub === 'list' ? ['list', '--all'] : ['dormant', '--after', '90d', ...NOW, '--all'];
    it(`${sub} --all: pages of at most 1000 rows for N and 2N accounts; the first line is out before the last read`, async () => {
      const counts: { reads: number; biggest: number; printed: number }[] = [];
      for (const n of sizes) {
        const r = await run([...args, '--store', await storeFor(n)]);
        expect(r.code).toBe(0);
        const expected =
          sub === 'list' ? n : (await all(await storeFor(n))).filter((a) => a.lastLoginAt === OLD).length;
        expect(r.out.split('\n').length - 2, `${n} accounts: one line each after the header`).toBe(expected);
        expect(r.reads.reduce((s, x) => s + x.rows, 0)).toBe(expected);
        for (const read of r.reads) expect(read.limit).toBeLessThanOrEqual(1000);
        // The table is printed from summaries: no full account (profile, claims, provenance) is read.
        expect(new Set(r.reads.map((x) => x.method))).toEqual(new Set(['listAccountSummaries']));
        // Streaming: something was printed before the last page was read, and the output came in several writes.
        expect(r.reads.at(-1)?.printedBefore).toBeGreaterThan(0);
        expect(r.reads[0]?.printedBefore).toBe(0);
        counts.push({ reads: r.reads.length, biggest: Math.max(...r.reads.map((x) => x.rows)), printed: r.writes });
      }
      const [small, big] = counts as [(typeof counts)[0], (typeof counts)[0]];
      // Twice the accounts: about twice the reads, each no bigger (memory holds one page, not the list).
      expect(big.biggest).toBe(small.biggest);
      expect(big.reads).toBeGreaterThanOrEqual(2 * small.reads - 1);
      expect(big.printed).toBeGreaterThan(small.printed);
    });

    it(`${sub} --format json --all: valid JSON, equal to the whole list printed at once`, async () => {
      const spec = await storeFor(N);
      const r = await run([...args, '--format', 'json', '--store', spec]);
      expect(r.code).toBe(0);
      expect(r.reads.length).toBeGreaterThan(1);
      expect(new Set(r.reads.map((x) => x.method))).toEqual(new Set(['listAccounts']));
      // Streaming: text was written before the last page was read.
      expect(r.reads.at(-1)?.printedBefore).toBeGreaterThan(0);
      const list = await all(spec);
      const want = sub === 'list' ? list : list.filter((a) => a.lastLoginAt === OLD);
      expect(r.out).toBe(`${JSON.stringify(want, null, 2)}\n`);
    });
  }

  it('a listing that fits in one page is byte-identical to the whole-list table and JSON', async () => {
    const spec = await storeOf(7);
    const list = await all(spec);
    expect((await run(['list', '--store', spec])).out).toBe(formatAccountTable(list));
    expect((await run(['list', '--format', 'json', '--store', spec])).out).toBe(`${JSON.stringify(list, null, 2)}\n`);
    const none = ['dormant', '--after', '900d', ...NOW, '--store', spec];
    expect((await run(none)).out).toBe('(no accounts)\n');
    expect((await run([...none, '--format', 'json'])).out).toBe('[]\n');
  });

  it('keeps the default limit of 1000 and reads no more than --limit asks for', async () => {
    const spec = await storeFor(N);
    const dflt = await run(['list', '--store', spec]);
    expect(dflt.out.split('\n').length - 2).toBe(1000);
    expect(dflt.reads.map((x) => x.limit)).toEqual([1000]);
    const five = await run(['list', '--limit', '5', '--store', spec]);
    expect(five.reads).toEqual([{ method: 'listAccountSummaries', limit: 5, rows: 5, printedBefore: 0 }]);
    expect(five.out).toBe(formatAccountTable((await all(spec)).slice(0, 5)));
  });

  it('a later page widens the columns it needs; the first page keeps its layout', async () => {
    const spec = await storeFor(N);
    const list = await all(spec);
    const out = (await run(['list', '--all', '--store', spec])).out;
    expect(out.startsWith(formatAccountTable(list.slice(0, 1000)))).toBe(true);
    const last = out.trimEnd().split('\n').at(-1) ?? '';
    expect(last.startsWith(`${list.at(-1)?.subject}  active`)).toBe(true);
  });

  it('refuses --all with --limit, and --all on other subcommands, as usage errors', async () => {
    const spec = await storeOf(1);
    await expect(run(['list', '--all', '--limit', '5', '--store', spec])).rejects.toBeInstanceOf(UsageError);
    await expect(run(['show', 'x', '--all', '--store', spec])).rejects.toBeInstanceOf(UsageError);
  });
});
