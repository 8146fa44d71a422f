/**
 * MemoryStore's sorted key index: a page is a binary search and a slice, so a walk's comparisons grow as n log n
 * (counted, never timed); and listAccounts gives what the old sort-every-account-per-page code gave, over random
 * creates, re-keys, status changes and rolled-back transactions.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MemoryStore, RuntimeError, type AccountRecord, type ListAccountsQuery } from '../../../src/runtime/index.js';
import { compareKeys, SortedKeys } from '../../../src/runtime/stores/sorted-keys.js';

/** The comparisons of inserting `n` keys in a scrambled order, then of a walk of every page of `pageSize`. */
function counts(n: number, pageSize: number): { build: number; walk: number; walked: number } {
  let calls = 0;
  const keys = new SortedKeys([], (a, b) => {
    calls++;
    return compareKeys(a, b);
  });
  for (let i = 0; i < n; i++) {
    const k = (i * 7919) % n;
    keys.insert({ issuer: `https://idp${k % 3}.example.com`, subject: `00u${k}`, id: `a${k}` });
  }
  const build = calls;
  calls = 0;
  // The walk as MemoryStore's listAccounts runs it: a binary search after the last key of the previous page.
  let walked = 0;
  let i = 0;
  for (;;) {
    const end = Math.min(i + pageSize, keys.size);
    walked += end - i;
    if (end - i < pageSize) break;
    i = keys.from(keys.at(end - 1)!, true);
  }
  return { build, walk: calls, walked };
}

describe('SortedKeys', () => {
  it('walks n keys in pages with one binary search a page: comparisons grow as n log n, not n² log n', () => {
    const n = counts(2000, 10);
    const n2 = counts(4000, 10);
    expect(n.walked).toBe(2000);
    expect(n2.walked).toBe(4000);
    // One search of at most ceil(log2 n) + 1 comparisons per page.
    expect(n.walk).toBeLessThanOrEqual((2000 / 10 + 1) * 12);
    expect(n2.walk).toBeLessThanOrEqual((4000 / 10 + 1) * 13);
    // Twice the keys: a little more than twice the work (n log n), where a sort per page was about four times.
    expect(n2.walk / n.walk).toBeLessThan(2.5);
    expect(n2.build / n.build).toBeLessThan(2.5);
  });

  it('keeps keys in compareKeys order: by issuer, then subject, by UTF-16 code units', () => {
    const keys = new SortedKeys();
    const input = [
      ['b', '1'],
      ['a', '\uFF21'],
      ['a', '\u{1F600}'],
      ['a', ''],
      ['a\u0000', 'x'],
      ['a', 'a\u0000'],
      ['A', 'z'],
    ];
    for (const [i, [issuer, subject]] of input.entries())
      keys.insert({ issuer: issuer!, subject: subject!, id: `${i}` });
    const order = Array.from({ length: keys.size }, (_, i) => `${keys.at(i)!.issuer}|${keys.at(i)!.subject}`);
    expect(order).toEqual(['A|z', 'a|', 'a|a\u0000', 'a|\u{1F600}', 'a|\uFF21', 'a\u0000|x', 'b|1']);
    keys.remove({ issuer: 'a', subject: '\u{1F600}' });
    keys.remove({ issuer: 'a', subject: 'missing' });
    expect(keys.size).toBe(6);
    const copy = keys.writable();
    copy.insert({ issuer: 'c', subject: '', id: 'c' });
    expect([keys.size, copy.size]).toEqual([6, 7]);
  });
});

/** The old MemoryStore listing (every account sorted per page, then filtered), the reference. */
function oldMatching(accounts: Iterable<AccountRecord>, q: ListAccountsQuery): string[] {
  const out: string[] = [];
  const sorted = [...accounts].sort((a, b) =>
    a.issuer !== b.issuer ? (a.issuer < b.issuer ? -1 : 1) : a.subject < b.subject ? -1 : a.subject > b.subject ? 1 : 0,
  );
  for (const rec of sorted) {
    if (out.length >= q.limit) break;
    if (q.issuer !== undefined && rec.issuer !== q.issuer) continue;
    if (q.subject !== undefined && rec.subject !== q.subject) continue;
    if (q.status !== undefined && rec.status !== q.status) continue;
    if (q.lastActiveBefore !== undefined && !((rec.lastLoginAt ?? rec.createdAt) < q.lastActiveBefore)) continue;
    if (
      q.after !== undefined &&
      (rec.issuer < q.after.issuer || (rec.issuer === q.after.issuer && rec.subject <= q.after.subject))
    )
      continue;
    out.push(rec.id);
  }
  return out;
}

const ISSUERS = ['https://a.example.com', 'https://b.example.com', 'https://\u00e9.example.com'];
const SUBJECTS = ['', '1', '10', '9', 'a', 'B', '\u00fc', '\u{1F600}', '\uFF21', 'z'];
const T = ['2026-01-01T00:00:00.000Z', '2026-03-01T00:00:00.000Z', null] as const;

const key = fc.record({ issuer: fc.constantFrom(...ISSUERS), subject: fc.constantFrom(...SUBJECTS) });
const op = fc.oneof(
  fc.record({ op: fc.constant('create' as const), key, last: fc.constantFrom(...T) }),
  fc.record({ op: fc.constant('rekey' as const), pick: fc.nat(), key }),
  fc.record({
    op: fc.constant('status' as const),
    pick: fc.nat(),
    status: fc.constantFrom('active', 'suspended', 'deprovisioned') as fc.Arbitrary<AccountRecord['status']>,
  }),
);
const query: fc.Arbitrary<ListAccountsQuery> = fc.record(
  {
    limit: fc.integer({ min: 1, max: 12 }),
    issuer: fc.constantFrom(...ISSUERS, 'https://none.example.com'),
    subject: fc.constantFrom(...SUBJECTS),
    status: fc.constantFrom('active', 'suspended', 'deprovisioned') as fc.Arbitrary<AccountRecord['status']>,
    lastActiveBefore: fc.constantFrom('2026-02-01T00:00:00.000Z'),
    after: key,
  },
  { requiredKeys: ['limit'] },
);

function record(id: string, k: { issuer: string; subject: string }, last: string | null): AccountRecord {
  return {
    id,
    ...k,
    status: 'active',
    profile: {},
    lastSeenClaims: null,
    mappingDigest: null,
    mappingVersion: null,
    lastLoginAt: last,
    lastIssuedAt: null,
    createdAt: '2026-01-15T00:00:00.000Z',
    updatedAt: '2026-01-15T00:00:00.000Z',
    version: 1,
  };
}

describe('MemoryStore.listAccounts over the sorted key index', () => {
  it('lists what sorting every account per page listed, after random creates, re-keys and rollbacks (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.array(op, { minLength: 1, maxLength: 4 }), fc.boolean()), { maxLength: 12 }),
        fc.array(query, { minLength: 1, maxLength: 8 }),
        async (txs, queries) => {
          const store = new MemoryStore();
          let model = new Map<string, AccountRecord>();
          let n = 0;
          for (const [ops, rollBack] of txs) {
            const next = new Map(model);
            try {
              await store.transaction(async (tx) => {
                for (const o of ops) {
                  const ids = [...next.keys()];
                  if (o.op === 'create') {
                    const rec = record(`acc-${++n}`, o.key, o.last);
                    await tx.insertAccount(rec);
                    next.set(rec.id, rec);
                  } else if (ids.length > 0) {
                    const cur = next.get(ids[o.pick % ids.length]!)!;
                    const changed =
                      o.op === 'rekey'
                        ? { ...cur, ...o.key, version: cur.version + 1 }
                        : { ...cur, status: o.status, version: cur.version + 1 };
                    await tx.updateAccount(changed, cur.version);
                    next.set(changed.id, changed);
                  }
                }
                if (rollBack) throw new RuntimeError('store/write-failed', 'rolled back');
              });
              model = next;
            } catch (e) {
              // A duplicate key (store/conflict) or the rollback: the transaction left nothing.
              expect((e as RuntimeError).code).toMatch(/^store\/(conflict|write-failed)$/);
            }
          }
          for (const q of queries) {
            const got = await store.transaction(async (tx) => (await tx.listAccounts(q)).map((a) => a.id));
            expect(got, JSON.stringify(q)).toEqual(oldMatching(model.values(), q));
            const summaries = await store.transaction(async (tx) =>
              (await tx.listAccountSummaries(q)).map((a) => a.id),
            );
            expect(summaries).toEqual(got);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
