import { defined } from '../model/invariant.js';
/**
 * The entitlements granted during one evaluation, with the ids of the rules that granted each. Built for the hot
 * path: entitlement names are fresh strings (rendered from templates), so instead of hashing every one into a
 * dictionary on each grant, a small set is searched linearly and only a large one (attacker-sized group lists)
 * switches to a Map, keeping the work linear. The provenance record is built once, in sorted order, at the end.
 */

const LINEAR_LIMIT = 16;

export class EntitlementSet {
  private readonly names: string[] = [];
  /** Granting rule ids per name; undefined once denied. */
  private readonly ids: (readonly string[] | undefined)[] = [];
  private index: Map<string, number> | null = null;
  private removed = 0;

  private find(name: string): number {
    if (this.index !== null) return this.index.get(name) ?? -1;
    const names = this.names;
    for (let i = 0; i < names.length; i++) if (names[i] === name) return i;
    return -1;
  }

  /**
   * Records that rule `id` granted `name`. `single` is the frozen `[id]`, shared when only this rule grants it.
   *
   * @example
   * ```ts
   * const s = new EntitlementSet(); s.add('wiki', 'ents[0]', Object.freeze(['ents[0]']));
   * ```
   */
  add(name: string, id: string, single: readonly string[]): void {
    const i = this.find(name);
    if (i < 0) {
      const n = this.names.push(name);
      this.ids.push(single);
      if (this.index !== null) this.index.set(name, n - 1);
      else if (n > LINEAR_LIMIT) this.index = new Map(this.names.map((x, k) => [x, k]));
      return;
    }
    const ids = this.ids[i];
    if (ids === undefined) return; // denials are applied after all grants; never re-granted
    if (ids[ids.length - 1] !== id) this.ids[i] = [...ids, id];
  }

  /**
   * Removes a granted entitlement; returns whether it was granted.
   *
   * @example
   * ```ts
   * s.remove('wiki') // true
   * ```
   */
  remove(name: string): boolean {
    const i = this.find(name);
    if (i < 0 || this.ids[i] === undefined) return false;
    this.ids[i] = undefined;
    this.removed++;
    return true;
  }

  /**
   * The granted names still present, in grant order.
   *
   * @example
   * ```ts
   * s.live() // ['wiki']
   * ```
   */
  live(): string[] {
    if (this.removed === 0) return this.names.slice();
    return this.names.filter((_, i) => this.ids[i] !== undefined);
  }

  /**
   * The sorted names and the provenance record (null-prototype), or null when nothing is granted.
   *
   * @example
   * ```ts
   * s.result() // { names: ['wiki'], grantedBy: { wiki: ['ents[0]'] } }
   * ```
   */
  result(): { names: string[]; grantedBy: Record<string, string[]> } | null {
    const count = this.names.length - this.removed;
    if (count === 0) return null;
    const order: number[] = [];
    for (let i = 0; i < this.names.length; i++) if (this.ids[i] !== undefined) order.push(i);
    // Sort indexes by name: insertion sort for the usual handful, the builtin sort beyond.
    const names = this.names;
    if (order.length <= 32) {
      for (let a = 1; a < order.length; a++) {
        const x = defined(order[a]);
        const nx = defined(names[x]);
        let b = a - 1;
        while (b >= 0 && defined(names[defined(order[b])]) > nx) {
          order[b + 1] = defined(order[b]);
          b--;
        }
        order[b + 1] = x;
      }
    } else {
      order.sort((p, q) =>
        defined(names[p]) < defined(names[q]) ? -1 : defined(names[p]) > defined(names[q]) ? 1 : 0,
      );
    }
    const sorted: string[] = new Array(order.length);
    const grantedBy = Object.create(null) as Record<string, string[]>;
    for (let k = 0; k < order.length; k++) {
      const i = defined(order[k]);
      const name = defined(names[i]);
      sorted[k] = name;
      grantedBy[name] = this.ids[i] as string[];
    }
    return { names: sorted, grantedBy };
  }
}
