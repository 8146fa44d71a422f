/**
 * The timing harness shared by every benchmark group. Each candidate is wrapped in a batch of `iterations` calls
 * (calibrated to about `sampleMs` of CPU time) and measured with mitata's `measure()` on a CPU-time clock
 * (process.cpuUsage, user + system): on a shared, noisy machine the wall clock also counts time spent waiting for
 * a core. Candidates of one group are measured in interleaved rounds (A B C, B C A, ...) so that background load
 * hits all of them alike; the samples of all rounds are pooled and summarised as median, min and max per operation.
 */
import { measure } from 'mitata';
import { defined } from '../../src/model/invariant.js';

export interface Candidate {
  name: string;
  /** One operation. Its return value is kept alive (so the work cannot be optimised away). */
  run: () => unknown;
  /** Extra text for the table (e.g. "trace on"). */
  note?: string;
  /** `run` returns a promise: each call is awaited before the next. */
  async?: boolean;
}

export interface Stats {
  name: string;
  note?: string;
  /** Nanoseconds of CPU time per operation. */
  medianNs: number;
  minNs: number;
  maxNs: number;
  /** Operations per second at the median. */
  opsPerSec: number;
  samples: number;
  iterationsPerSample: number;
}

export interface MeasureOptions {
  /** Rounds of interleaving. Default 5. */
  rounds?: number;
  /** CPU time per candidate per round, in ms. Default 250. */
  budgetMs?: number;
  /** CPU time of one sample (one batch), in ms. Default 4. */
  sampleMs?: number;
  /**
   * `cpu` (default): this process's CPU time. `wall`: performance.now(), for work done partly in another process
   * (a PostgreSQL server), which CPU time would not count.
   */
  clock?: 'cpu' | 'wall';
}

/** A module-level slot: V8 cannot prove a store to it dead, so the call producing the value is never dropped. */
let _sink: unknown = null;
/** Keeps a value reachable so that the optimiser cannot drop the call producing it. */
export function keep(v: unknown): void {
  _sink = v;
}

/** CPU time of this process in nanoseconds (microsecond resolution). */
export function cpuNowNs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) * 1000;
}

/** Wall-clock time in nanoseconds. */
export function wallNowNs(): number {
  return performance.now() * 1e6;
}

async function calibrate(c: Candidate, sampleMs: number, now: () => number): Promise<number> {
  // Warm up (reach optimised code), then grow the batch until it takes sampleMs of CPU time.
  const run = c.run;
  // Warm-up: about 100 ms (at least 3 calls) so that the first, unoptimised calls do not set the batch size.
  const w0 = now();
  for (let i = 0; i < 3 || now() - w0 < 100e6; i++) keep(c.async === true ? await run() : run());
  let n = 1;
  for (;;) {
    const t0 = now();
    if (c.async === true) for (let i = 0; i < n; i++) keep(await run());
    else for (let i = 0; i < n; i++) keep(run());
    const dt = now() - t0;
    if (dt >= (sampleMs * 1e6) / 4 || n >= 1 << 24) {
      return Math.max(1, Math.round((n * sampleMs * 1e6) / Math.max(dt, 1)));
    }
    n *= 2;
  }
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? defined(s[m]) : (defined(s[m - 1]) + defined(s[m])) / 2;
};

/**
 * Measures every candidate of a group in interleaved rounds and returns per-candidate statistics.
 *
 * @example
 * ```ts
 * const stats = await measureGroup([{ name: 'JSON.parse', run: () => JSON.parse(text) }]);
 * ```
 */
export async function measureGroup(candidates: readonly Candidate[], options: MeasureOptions = {}): Promise<Stats[]> {
  const rounds = options.rounds ?? 5;
  const budgetMs = options.budgetMs ?? 250;
  const sampleMs = options.sampleMs ?? 4;
  const now = options.clock === 'wall' ? wallNowNs : cpuNowNs;
  const batches: { c: Candidate; iterations: number; batch: () => unknown; samples: number[] }[] = [];
  for (const c of candidates) {
    const iterations = await calibrate(c, sampleMs, now);
    const run = c.run;
    const batch =
      c.async === true
        ? async (): Promise<void> => {
            for (let i = 0; i < iterations; i++) keep(await run());
          }
        : (): void => {
            for (let i = 0; i < iterations; i++) keep(run());
          };
    batches.push({ c, iterations, batch, samples: [] });
  }
  for (let r = 0; r < rounds; r++) {
    for (let k = 0; k < batches.length; k++) {
      const b = defined(batches[(k + r) % batches.length]);
      const stats = await measure(b.batch, {
        now,
        gc: false,
        batch_threshold: 0, //  the batch is ours: mitata times one call of it per sample
        min_samples: 3,
        max_samples: 1e6,
        min_cpu_time: budgetMs * 1e6,
        warmup_samples: 1,
      } as Parameters<typeof measure>[1]);
      for (const s of stats.samples) b.samples.push(s / b.iterations);
    }
  }
  return batches.map((b) => {
    const med = median(b.samples);
    const out: Stats = {
      name: b.c.name,
      medianNs: med,
      minNs: Math.min(...b.samples),
      maxNs: Math.max(...b.samples),
      opsPerSec: 1e9 / med,
      samples: b.samples.length,
      iterationsPerSample: b.iterations,
    };
    if (b.c.note !== undefined) out.note = b.c.note;
    return out;
  });
}
