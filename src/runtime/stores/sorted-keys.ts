/**
 * The (issuer, subject) order of MemoryStore's accounts, kept sorted as accounts are created and re-keyed, so a page
 * of listAccounts is a binary search and a slice instead of a sort of every account (a walk of n accounts in pages
 * of p was O(n² log n / p) comparisons; it is now O(n log n)).
 */

/** An account's durable key and its id. */
export interface KeyEntry {
  readonly issuer: string;
  readonly subject: string;
  readonly id: string;
}

/**
 * The order of account keys: by issuer, then subject, each by UTF-16 code units (`<` on strings), what MemoryStore
 * sorted by before this index and what the SQL stores' `ORDER BY issuer, subject` gives for well-formed text.
 *
 * @example
 * ```ts
 * compareKeys({ issuer: 'a', subject: 'z' }, { issuer: 'b', subject: 'a' }) // -1
 * ```
 */
export function compareKeys(
  a: { readonly issuer: string; readonly subject: string },
  b: { readonly issuer: string; readonly subject: string },
): number {
  if (a.issuer !== b.issuer) return a.issuer < b.issuer ? -1 : 1;
  return a.subject < b.subject ? -1 : a.subject > b.subject ? 1 : 0;
}

/**
 * Account keys in {@link compareKeys} order, with no two equal (the store's key index refuses a duplicate first).
 * Immutable once shared: {@link SortedKeys.writable} gives a transaction its own copy on its first write, so a
 * transaction that only reads copies nothing. Internal to the runtime.
 *
 * @example
 * ```ts
 * const keys = new SortedKeys();
 * keys.insert({ issuer: 'https://idp', subject: '00u1', id: 'a1' });
 * keys.from({ issuer: 'https://idp', subject: '' }) // 0: the first key at or after it
 * ```
 */
export class SortedKeys {
  /**
   * @param entries sorted by `compare`, no two equal; owned by this instance.
   * @param compare the order (tests count its calls); {@link compareKeys} unless testing.
   */
  constructor(
    private entries: KeyEntry[] = [],
    readonly compare: typeof compareKeys = compareKeys,
  ) {}

  /** The number of keys. */
  get size(): number {
    return this.entries.length;
  }

  /** The key at position `i` (0 ≤ i < size). */
  at(i: number): KeyEntry | undefined {
    return this.entries[i];
  }

  /** The position of the first key not below `key` (strictly above it with `after`): a binary search. */
  from(key: { readonly issuer: string; readonly subject: string }, after = false): number {
    let lo = 0;
    let hi = this.entries.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const c = this.compare(this.entries[mid] as KeyEntry, key);
      if (c < 0 || (after && c === 0)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Adds `entry`, whose key is not in the index. */
  insert(entry: KeyEntry): void {
    this.entries.splice(this.from(entry), 0, entry);
  }

  /** Removes the entry of `key` when there is one. */
  remove(key: { readonly issuer: string; readonly subject: string }): void {
    const i = this.from(key);
    const e = this.entries[i];
    if (e !== undefined && this.compare(e, key) === 0) this.entries.splice(i, 1);
  }

  /** A copy to write to, leaving this one as it is (a transaction's, until it commits). */
  writable(): SortedKeys {
    return new SortedKeys(this.entries.slice(), this.compare);
  }
}
