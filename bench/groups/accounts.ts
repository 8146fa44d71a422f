/**
 * Group accounts: `claimmap accounts list --all` and `accounts dormant --all` over a SQLite store of 100,000 accounts
 * (3 role grants and a claim snapshot each), run in-process through the command (store opened read-only, output
 * counted, not kept), against a bare query script: one better-sqlite3 statement joining the role names, iterated
 * row by row, printing the same five columns (subject, status, last login, roles, issuer) one line each. Also the
 * time to the first line of each (wall clock, median of 5): the command streams pages, so it prints after reading
 * one page, not the whole store. `accounts list --all --format json` (every account whole) is measured against a
 * bare JSON export script that prints the same bytes (checked on 2,000 accounts before timing).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { CliIO } from '../../src/cli/command.js';
import { command as accounts } from '../../src/cli/commands/accounts.js';
import { SqliteStore } from '../../src/runtime/stores/sqlite.js';
import type { Grant } from '../../src/runtime/types.js';
import { type Candidate, type MeasureOptions, type Stats, cpuNowNs } from '../lib/measure.js';
import { type GroupResult, toRows } from '../lib/report.js';
import { defined } from '../../src/model/invariant.js';

const ACCOUNTS = 100_000;
const ISSUER = 'https://login.example.com';
const OLD = '2026-01-01T00:00:00.000Z';
const RECENT = '2026-06-01T00:00:00.000Z';
const NOW = '2026-06-15T00:00:00Z';

/** Writes the store: every third account logged in recently (not dormant). */
async function seed(file: string): Promise<void> {
  const store = await SqliteStore.open(file);
  try {
    await store.transaction(async (tx) => {
      for (let i = 0; i < ACCOUNTS; i++) {
        const id = `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
        const subject = `00u${String(i * 7919).padStart(12, '0')}`;
        const at = i % 3 === 0 ? RECENT : OLD;
        await tx.insertAccount({
          id,
          issuer: ISSUER,
          subject,
          status: 'active',
          profile: { email: `user${i}@example.com`, display_name: `User ${i}`, department: 'Engineering' },
          lastSeenClaims: {
            protocol: 'oidc',
            issuer: ISSUER,
            subject,
            issuedAt: null,
            claims: {
              sub: subject,
              email: `User${i}@Example.com`,
              email_verified: true,
              groups: ['Everyone', 'ENG-Web', 'eng-api', 'Jira-Core', 'vpn-users', 'Office-London'],
            },
          },
          mappingDigest: '8d25b3743cf6afa28e40766573675a28a9e918bd419dea23efb9ceeeea70bd52',
          mappingVersion: '1',
          lastLoginAt: at,
          lastIssuedAt: null,
          createdAt: OLD,
          updatedAt: at,
          version: 1,
        });
        const grants: Grant[] = ['developer', 'viewer', i % 5 === 0 ? 'admin' : 'billing'].map((name, k) => ({
          kind: 'role',
          name,
          grantedAt: OLD,
          source: 'mapping',
          rules: [`roles[${k}]`],
          mappingDigest: '8d25b3743cf6afa28e40766573675a28a9e918bd419dea23efb9ceeeea70bd52',
          mappingVersion: '1',
        }));
        await tx.replaceGrants(id, grants);
      }
    });
  } finally {
    await store.close();
  }
}

/** An io that counts what is printed (and when the first text came), keeping none of it. */
function countingIo(): { io: CliIO; bytes: () => number; first: () => number } {
  let bytes = 0;
  let first = 0;
  const io: CliIO = {
    stdout: (t) => {
      if (bytes === 0) first = performance.now();
      bytes += t.length;
    },
    stderr: (t) => {
      throw new Error(`bench accounts: ${t}`);
    },
    cwd: process.cwd(),
    env: {},
    isTTY: false,
    stdin: (async function* () {})(),
  };
  return { io, bytes: () => bytes, first: () => first };
}

/** The bare script: one statement, roles joined by SQLite, a line per row. Returns the bytes printed. */
function bareList(file: string, print: (t: string) => void, dormantBefore?: string): void {
  const db = new Database(file, { readonly: true });
  try {
    const where =
      dormantBefore === undefined ? '' : "WHERE a.status = 'active' AND COALESCE(a.last_login_at, a.created_at) < ?";
    const stmt = db
      .prepare(
        `SELECT a.subject, a.status, a.last_login_at, (SELECT group_concat(g.name, ',') FROM grants g ` +
          `WHERE g.account_id = a.id AND g.kind = 'role'), a.issuer FROM accounts a ${where} ORDER BY a.issuer, a.subject`,
      )
      .raw(true);
    print('SUBJECT  STATUS  LAST LOGIN  ROLES  ISSUER\n');
    const rows = dormantBefore === undefined ? stmt.iterate() : stmt.iterate(dormantBefore);
    for (const r of rows as Iterable<unknown[]>) {
      print(`${r[0]}  ${r[1]}  ${r[2] ?? '(never)'}  ${r[3] ?? '-'}  ${r[4]}\n`);
    }
  } finally {
    db.close();
  }
}

/**
 * The bare JSON export: what a developer writes to dump the accounts without claimmap (all rows, a grants query
 * per account, the JSON columns parsed, the objects printed as one indented JSON array element by element, each as
 * soon as it is built), in claimmap's field order so the output is byte-identical (checked before timing).
 */
function bareJson(file: string, print: (t: string) => void, limit = -1): void {
  const db = new Database(file, { readonly: true });
  try {
    const rows = db.prepare('SELECT * FROM accounts ORDER BY issuer, subject LIMIT ?').all(limit) as Record<
      string,
      string | number | null
    >[];
    const grants = db.prepare(
      'SELECT kind, name, source, provenance, granted_at FROM grants WHERE account_id = ? ORDER BY kind, name, source',
    );
    let n = 0;
    for (const a of rows) {
      const account = {
        id: a.id,
        issuer: a.issuer,
        subject: a.subject,
        status: a.status,
        profile: JSON.parse(a.profile as string),
        lastSeenClaims: a.last_seen_claims === null ? null : JSON.parse(a.last_seen_claims as string),
        mappingDigest: a.mapping_digest,
        mappingVersion: a.mapping_version,
        lastLoginAt: a.last_login_at,
        lastIssuedAt: a.last_issued_at,
        createdAt: a.created_at,
        updatedAt: a.updated_at,
        version: a.version,
        grants: (grants.all(a.id) as Record<string, string>[]).map((g) => ({
          kind: g.kind,
          name: g.name,
          grantedAt: g.granted_at,
          source: g.source,
          ...JSON.parse(g.provenance as string),
        })),
      };
      // Indented as an element of an array in one pass (no re-indentation of its lines), printed at once.
      print(`${n++ === 0 ? '[\n' : ',\n'}${JSON.stringify([account], null, 2).slice(2, -2)}`);
    }
    print(n === 0 ? '[]\n' : '\n]\n');
  } finally {
    db.close();
  }
}

/** What `print` receives, as one string. */
function captured(f: (print: (t: string) => void) => unknown): Promise<string> {
  let out = '';
  return Promise.resolve(f((t) => (out += t))).then(() => out);
}

export async function runAccounts(options: MeasureOptions): Promise<GroupResult> {
  const dir = mkdtempSync(join(tmpdir(), 'claimmap-bench-accounts-'));
  const file = join(dir, 'accounts.db');
  try {
    await seed(file);
    const spec = `sqlite:${file}`;
    const cutoff = new Date(Date.parse(NOW) - 90 * 86_400_000).toISOString();
    const cli = (args: string[]) => async () => {
      const { io, bytes } = countingIo();
      const code = await accounts.run([...args, '--store', spec], io);
      if (code !== 0) throw new Error(`bench accounts: exit ${code}`);
      return bytes();
    };
    const bare = (before?: string) => () => {
      let bytes = 0;
      bareList(file, (t) => (bytes += t.length), before);
      return bytes;
    };
    const LIST = 'claimmap accounts list --all';
    const BARE = 'bare query script (list)';
    const BARE_JSON = 'bare JSON export script';
    // The JSON pair prints the same bytes: checked on the first 2,000 accounts before anything is timed.
    const cliJson = await captured(async (print) => {
      const io: CliIO = { ...countingIo().io, stdout: print };
      await accounts.run(['list', '--limit', '2000', '--format', 'json', '--store', spec], io);
    });
    const bareJsonText = await captured((print) => bareJson(file, print, 2000));
    if (cliJson !== bareJsonText || !cliJson.startsWith('[\n  {')) {
      throw new Error('bench accounts: the bare JSON export does not print what accounts list --format json prints');
    }
    const candidates: Candidate[] = [
      { name: LIST, async: true, run: cli(['list', '--all']) },
      { name: `${LIST} --format json`, async: true, run: cli(['list', '--all', '--format', 'json']) },
      { name: BARE, run: bare() },
      {
        name: BARE_JSON,
        run: () => {
          let bytes = 0;
          bareJson(file, (t) => (bytes += t.length));
          return bytes;
        },
      },
      {
        name: 'claimmap accounts dormant --after 90d --all',
        async: true,
        run: cli(['dormant', '--after', '90d', '--now', NOW, '--all']),
      },
      { name: 'bare query script (dormant)', run: bare(cutoff) },
    ];
    // One listing takes ~0.1-5 s: no batches; each round runs every candidate once (after one warm-up call each),
    // interleaved, rotating the order, on this process's CPU time.
    const samples = candidates.map(() => [] as number[]);
    for (const c of candidates) await c.run();
    const rounds = Math.max(3, options.rounds ?? 5);
    for (let r = 0; r < rounds; r++) {
      for (let k = 0; k < candidates.length; k++) {
        const i = (k + r) % candidates.length;
        const t0 = cpuNowNs();
        await defined(candidates[i]).run();
        defined(samples[i]).push(cpuNowNs() - t0);
      }
    }
    const stats: Stats[] = candidates.map((c, i) => {
      const xs = [...defined(samples[i])].sort((a, b) => a - b);
      const med = defined(xs[xs.length >> 1]);
      return {
        name: c.name,
        medianNs: med,
        minNs: defined(xs[0]),
        maxNs: defined(xs[xs.length - 1]),
        opsPerSec: 1e9 / med,
        samples: xs.length,
        iterationsPerSample: 1,
      };
    });
    const rows = toRows('accounts', stats, BARE, 'accounts/s', ACCOUNTS);
    const dormantBare = defined(rows.find((r) => r.name === 'bare query script (dormant)'));
    const jsonBare = defined(rows.find((r) => r.name === BARE_JSON));
    for (const r of rows) {
      if (r.name.includes('json') || r.name === BARE_JSON) {
        r.ratio = r.medianNs / jsonBare.medianNs;
        r.baseline = jsonBare.name;
      }
      if (r.name.includes('dormant')) {
        r.ratio = r.medianNs / dormantBare.medianNs;
        r.baseline = dormantBare.name;
        r.throughput = (((ACCOUNTS * 2) / 3) * 1e9) / r.medianNs;
      }
    }
    // Time to the first line, wall clock: median of 5 of each.
    const firstLine = async (f: () => Promise<number>) => {
      const times: number[] = [];
      for (let i = 0; i < 5; i++) times.push(await f());
      return times.sort((a, b) => a - b)[2] ?? 0;
    };
    const cliFirst = await firstLine(async () => {
      const { io, first } = countingIo();
      const t0 = performance.now();
      await accounts.run(['list', '--all', '--store', spec], io);
      return first() - t0;
    });
    const bareFirst = await firstLine(async () => {
      let first = 0;
      const t0 = performance.now();
      bareList(file, () => {
        if (first === 0) first = performance.now();
      });
      return first - t0;
    });
    const list = defined(rows.find((r) => r.name === LIST));
    const json = defined(rows.find((r) => r.name === `${LIST} --format json`));
    const dormantCli = defined(rows.find((r) => r.name.startsWith('claimmap accounts dormant')));
    return {
      group: 'accounts',
      rows,
      notes: [
        `${ACCOUNTS} accounts in a SQLite file (3 role grants and a claim snapshot each; 2/3 dormant); CPU time per whole listing (median of ${rounds} interleaved rounds), output counted`,
        `time to the first line (wall clock, median of 5): claimmap accounts list --all ${cliFirst.toFixed(1)} ms (store open, first page), bare script ${bareFirst.toFixed(1)} ms`,
      ],
      targets: [
        {
          name: 'accounts list --all / bare query script',
          value: list.ratio,
          target: '<= 1.50x',
          met: list.ratio <= 1.5,
        },
        {
          name: 'accounts list --all --format json / bare JSON export script',
          value: json.ratio,
          target: '<= 1.50x',
          met: json.ratio <= 1.5,
        },
        {
          name: 'accounts dormant --all / bare query script (dormant)',
          value: dormantCli.ratio,
          target: '<= 1.50x',
          met: dormantCli.ratio <= 1.5,
        },
        { name: 'accounts list: time to first line (ms)', value: cliFirst, target: '< 100 ms', met: cliFirst < 100 },
      ],
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
