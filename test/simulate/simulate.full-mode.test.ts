/**
 * Full mode (simulate()) shares work across the mutations of a sample: one evaluation base per sample, one
 * incremental evaluation and one decided login per mutation for both paths, one seeded ScratchStore per sample whose
 * forks discard their writes. These tests check that it gives exactly the result of the straightforward driver it
 * replaced (below): every login through provision() with a trace, the update path in a fresh MemoryStore seeded by
 * the baseline login again for each mutation, the JIT path in a fresh empty MemoryStore, coverage from traces. On
 * every example and on random mappings (profile sync modes, unique fields, link_verified, add/replace modes,
 * reactivation, issue instants) with random claim sets (fast-check).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { simulateMapping, simulateSamples } from '../../bench/fixtures/generate.js';
import { compile } from '../../src/compile/compile.js';
import type { ClaimSet, JsonValue } from '../../src/model/claim-set.js';
import type { Plan } from '../../src/model/plan.js';
import { provision } from '../../src/runtime/provision/login.js';
import { MemoryStore } from '../../src/runtime/stores/memory.js';
import { errorFinding } from '../../src/simulate/classify.js';
import { Coverage } from '../../src/simulate/coverage.js';
import {
  type Baseline,
  baselineOf,
  baselineSummary,
  loginFindings,
  mergePaths,
} from '../../src/simulate/drive-store.js';
import { loadSamples } from '../../src/simulate/load-samples.js';
import {
  baselineFailed,
  finish,
  newTally,
  operatorFailed,
  type Prepared,
  prepare,
  record,
  type Run,
  setup,
  type Tally,
} from '../../src/simulate/run.js';
import { simulate } from '../../src/simulate/simulate.js';
import type { Finding, Sample, SimulateOptions, SimulationResult } from '../../src/simulate/types.js';

const ROOT = join(import.meta.dirname, '..', '..');

// ---- the straightforward driver (the full mode before work was shared) ----

async function straightforward(plan: Plan, samples: Sample[], options: SimulateOptions): Promise<SimulationResult> {
  const run = setup(plan, samples, options);
  const coverage = new Coverage(plan);
  const prepared = samples.map((s) => prepare(run, s));
  const tally = newTally(prepared);
  for (const [i, sample] of samples.entries()) await sampleOf(run, sample, prepared[i]!, coverage, tally);
  return finish(run, 'provision', tally, coverage, 0);
}

async function sampleOf(run: Run, sample: Sample, mutations: Prepared[], coverage: Coverage, tally: Tally) {
  let baseline: Baseline;
  try {
    baseline = baselineOf(await provision(run.plan, sample.claimSet, { store: new MemoryStore(), now: run.now }));
    tally.evaluations++;
  } catch (e) {
    baselineFailed(tally, sample.name, mutations.length, 'update', e);
    return;
  }
  coverage.add(baseline.result.decision);
  tally.summaries.push(baselineSummary(sample.name, baseline));
  for (const p of mutations) {
    const findings =
      p.claimSet === null ? [operatorFailed('update', p)] : await mutationOf(run, sample, baseline, p.claimSet);
    record(run, tally, sample.name, p, findings);
  }

  async function mutationOf(run: Run, sample: Sample, baseline: Baseline, mutated: ClaimSet) {
    const update: Finding[] = [];
    const jit: Finding[] = [];
    try {
      const store = new MemoryStore();
      if (baseline.result.action === 'created') {
        await provision(run.plan, sample.claimSet, { store, now: run.now });
        tally.evaluations++;
      }
      const r = await provision(run.plan, mutated, { store, now: run.later });
      tally.evaluations++;
      coverage.add(r.decision);
      loginFindings(baseline, r, 'update', run.privileged, update);
    } catch (e) {
      update.push(errorFinding('update', e));
    }
    try {
      const r = await provision(run.plan, mutated, { store: new MemoryStore(), now: run.later });
      tally.evaluations++;
      loginFindings(baseline, r, 'jit', run.privileged, jit);
    } catch (e) {
      jit.push(errorFinding('jit', e));
    }
    return mergePaths(update, jit);
  }
}

/** Both drivers on the same input: the same result, timing aside. */
async function expectSameResult(
  plan: Plan,
  samples: Sample[],
  options: SimulateOptions = {},
): Promise<SimulationResult> {
  const opts = { now: '2026-12-15T00:00:00Z', ...options };
  const fast = await simulate(plan, samples, opts);
  const slow = await straightforward(plan, samples, opts);
  expect({ ...fast, elapsedMs: 0 }).toEqual({ ...slow, elapsedMs: 0 });
  return fast;
}

// ---- examples ----

const EXAMPLES = readdirSync(join(ROOT, 'examples'), { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => d.name)
  .sort();

describe('full mode gives the straightforward driver’s result', () => {
  it.each(EXAMPLES)('examples/%s', async (name) => {
    const dir = join('examples', name);
    const mapping = readdirSync(join(ROOT, dir)).find((f) => f.endsWith('.claimmap'))!;
    const { plan } = compile(readFileSync(join(ROOT, dir, mapping)), { filename: mapping });
    const r = await expectSameResult(plan!, loadSamples([dir], ROOT));
    expect(r.outcomes.length).toBeGreaterThan(50);
  });

  it('the simulate benchmark mapping, 4 samples', async () => {
    const { plan } = compile(simulateMapping(), { filename: 'sim.claimmap' });
    const r = await expectSameResult(plan!, simulateSamples(4));
    expect(r.counts.escalation).toBeGreaterThan(0);
  });

  it('a baseline that throws, and an operator that throws', async () => {
    const { plan } = compile(simulateMapping(), { filename: 'sim.claimmap' });
    const [good, other] = simulateSamples(2);
    const bad: Sample = { name: 'nul', claimSet: { ...other!.claimSet, subject: { id: 'a\u0000b' } } };
    const r = await expectSameResult(plan!, [good!, bad], {
      extraOperators: [
        {
          name: 'boom',
          description: 'throws',
          scope: 'login',
          appliesTo: () => true,
          apply: () => {
            throw new Error('boom');
          },
        },
        {
          name: 'nul-subject',
          description: 'a subject no store can keep apart',
          scope: 'login',
          appliesTo: () => true,
          apply: (cs) => [{ label: 'NUL', claimSet: { ...cs, subject: { id: 'x\u0000' } } }],
        },
      ],
    });
    expect(r.samples[1]!.action).toBe('error');
    expect(r.counts.error).toBeGreaterThan(1);
  });
});

// ---- random mappings and claim sets ----

interface MappingSpec {
  sync: 'always' | 'fill' | 'create';
  clear: boolean;
  unique: boolean;
  conflict: 'reject' | 'link_verified';
  rolesMode: 'replace' | 'add';
  entsMode: 'replace' | 'add';
  reactivate: 'allow' | 'refuse';
  denyUnverified: boolean;
}

function mappingText(s: MappingSpec): string {
  return [
    'mapping "random" version "1" {',
    '  idp oidc "https://idp.example.com"',
    '  key sub',
    '  claims {',
    '    email    : email       from "email"          optional normalize lower',
    '    verified : bool        from "email_verified" optional',
    '    groups   : set<string> from "groups"         optional normalize lower',
    '    dept     : string      from "department"     optional',
    '  }',
    '  profile {',
    `    email = email sync ${s.sync}${s.clear && s.sync === 'always' ? ' clear' : ''}`,
    '    dept  = dept ?? "none" sync always',
    '  }',
    `  roles ${s.rolesMode} {`,
    '    privileged admin',
    '    grant admin when "admins" in groups and verified',
    `    ${s.denyUnverified ? 'deny admin when not verified' : 'grant staff when dept == "eng"'}`,
    '    grant member',
    '  }',
    `  entitlements ${s.entsMode} {`,
    '    grant "g:{1}" for each groups matching /^g-([a-z]+)$/',
    '    grant "wiki" when dept != "sales"',
    '  }',
    '  accounts {',
    `    on email_conflict ${s.conflict}`,
    ...(s.unique ? ['    unique email'] : []),
    '  }',
    '  lifecycle {',
    `    reactivate ${s.reactivate}`,
    '  }',
    '}',
  ].join('\n');
}

const specArb: fc.Arbitrary<MappingSpec> = fc.record({
  sync: fc.constantFrom('always', 'fill', 'create'),
  clear: fc.boolean(),
  unique: fc.boolean(),
  conflict: fc.constantFrom('reject', 'link_verified'),
  rolesMode: fc.constantFrom('replace', 'add'),
  entsMode: fc.constantFrom('replace', 'add'),
  reactivate: fc.constantFrom('allow', 'refuse'),
  denyUnverified: fc.boolean(),
});

const claimValue = (values: fc.Arbitrary<JsonValue>) =>
  fc.oneof({ arbitrary: values, weight: 5 }, { arbitrary: fc.constantFrom<JsonValue>(null, '', 7, [], {}), weight: 1 });
const claimsArb = fc.record(
  {
    sub: claimValue(fc.constantFrom('u-1', 'u-2', ' u-1')),
    email: claimValue(fc.constantFrom('jane@example.com', 'JANE@example.com', 'joe@example.com', 'not-an-email')),
    email_verified: claimValue(fc.boolean()),
    groups: claimValue(
      fc.array(fc.constantFrom('admins', 'Admins', 'g-web', 'g-api', 'g-', 'users'), { maxLength: 4 }),
    ),
    department: claimValue(fc.constantFrom('eng', 'sales', 'Eng')),
  },
  { requiredKeys: ['sub'] },
);
const sampleArb = fc.record({
  claims: claimsArb,
  issuedAt: fc.constantFrom(undefined, '2026-12-14T23:00:00Z', '2026-12-16T00:00:00Z', 'yesterday'),
  verified: fc.boolean(),
});

describe('property: full mode gives the straightforward driver’s result on random mappings and logins', () => {
  it('random mappings × 1-3 random samples', async () => {
    let created = 0;
    await fc.assert(
      fc.asyncProperty(specArb, fc.array(sampleArb, { minLength: 1, maxLength: 3 }), async (spec, raw) => {
        const { plan, diagnostics } = compile(mappingText(spec), { filename: 'random.claimmap' });
        expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
        const samples: Sample[] = raw.map((r, i) => ({
          name: `s${i}`,
          claimSet: {
            protocol: 'oidc',
            issuer: 'https://idp.example.com',
            subject: { id: typeof r.claims.sub === 'string' ? r.claims.sub : 'u-0' },
            claims: r.claims,
            verified: r.verified,
            ...(r.issuedAt === undefined ? {} : { issuedAt: r.issuedAt }),
          },
        }));
        const r = await expectSameResult(plan!, samples, { maxSetValues: 4, longLength: 64 });
        created += r.samples.filter((s) => s.action === 'created').length;
      }),
      { numRuns: 60 },
    );
    expect(created).toBeGreaterThan(20); // most baselines created an account: the update path was exercised
  });
});
