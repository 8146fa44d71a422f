/**
 * Error identity across the two builds of the published package. An app can load both: its own code imports
 * `claimmap` (ESM) while a CommonJS dependency requires it (dist/*.cjs), and the two builds hold two copies of every
 * class. An error thrown by one copy must still pass `instanceof` and the `is*Error` guards of the other: the classes
 * recognise each other's instances by the `Symbol.for('claimmap.error')` brand (src/errors.ts).
 *
 * Runs on the BUILT dist/ (skips and says so when it is missing, like test/dist/dist.test.ts).
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');
const dist = join(root, 'dist');
const built = ['index.js', 'index.cjs', 'claims.cjs', 'runtime.cjs', 'simulate.cjs'].every((f) =>
  existsSync(join(dist, f)),
);
if (!built) console.warn('test/dist: dist/ is not built (run `npm run build`); skipping the cross-build error tests');

type Index = typeof import('../../src/index.js');
type Claims = typeof import('../../src/claims/index.js');
type Runtime = typeof import('../../src/runtime/index.js');
type Simulate = typeof import('../../src/simulate/index.js');
interface Build {
  name: 'CJS' | 'ESM';
  index: Index;
  claims: Claims;
  runtime: Runtime;
  simulate: Simulate;
}

async function loadBuilds(): Promise<[Build, Build]> {
  const require = createRequire(join(dist, 'index.cjs'));
  const cjs: Build = {
    name: 'CJS',
    index: require('./index.cjs') as Index,
    claims: require('./claims.cjs') as Claims,
    runtime: require('./runtime.cjs') as Runtime,
    simulate: require('./simulate.cjs') as Simulate,
  };
  const esmOf = async <T>(file: string) => (await import(pathToFileURL(join(dist, file)).href)) as T;
  const esm: Build = {
    name: 'ESM',
    index: await esmOf<Index>('index.js'),
    claims: await esmOf<Claims>('claims.js'),
    runtime: await esmOf<Runtime>('runtime.js'),
    simulate: await esmOf<Simulate>('simulate.js'),
  };
  return [cjs, esm];
}

/** Runs `f` and returns what it threw (sync or async); fails when it throws nothing. */
async function thrown(f: () => unknown): Promise<unknown> {
  try {
    await f();
  } catch (e) {
    return e;
  }
  throw new Error('expected a throw');
}

/** One typed error of each class, thrown by the public API of `b` on bad input. */
async function errorsOf(b: Build) {
  return {
    plan: await thrown(() => b.index.loadPlan('{')),
    claims: await thrown(() => b.claims.readSaml('<!DOCTYPE x [<!ENTITY e "x">]><x/>')),
    runtime: await thrown(() =>
      b.runtime.deprovision(new b.runtime.MemoryStore(), { issuer: 'https://idp', subject: 'nobody' }, { reason: 'test' }),
    ),
    simulate: await thrown(() => b.simulate.loadSamples([], root)),
  };
}

describe.skipIf(!built)('typed errors across the CJS and ESM builds', async () => {
  const [cjs, esm] = built ? await loadBuilds() : ([] as unknown as [Build, Build]);

  it('the two builds are distinct copies (the premise of these tests)', () => {
    expect(cjs.index.ClaimmapError).not.toBe(esm.index.ClaimmapError);
    expect(cjs.runtime.RuntimeError).not.toBe(esm.runtime.RuntimeError);
  });

  for (const [from, to] of [
    ['CJS', 'ESM'],
    ['ESM', 'CJS'],
  ] as const) {
    describe(`thrown by ${from}, checked by ${to}`, () => {
      const source = from === 'CJS' ? () => cjs : () => esm;
      const target = from === 'CJS' ? () => esm : () => cjs;

      it('a plan error is a ClaimmapError', async () => {
        const { plan } = await errorsOf(source());
        const t = target();
        expect(plan).toBeInstanceOf(source().index.ClaimmapError);
        expect(plan instanceof t.index.ClaimmapError).toBe(true);
        expect((plan as { code: string }).code).toMatch(/^plan\//);
      });

      it('a claims error is a ClaimsError and a ClaimmapError, and isClaimsError says so', async () => {
        const { claims } = await errorsOf(source());
        const t = target();
        expect((claims as { code: string }).code).toBe('saml/doctype-forbidden');
        expect(claims instanceof t.claims.ClaimsError).toBe(true);
        expect(claims instanceof t.index.ClaimmapError).toBe(true);
        expect(t.claims.isClaimsError(claims)).toBe(true);
        expect(t.claims.isClaimsError(claims, 'saml/doctype-forbidden')).toBe(true);
        expect(t.claims.isClaimsError(claims, 'saml/malformed-xml')).toBe(false);
      });

      it('a runtime error is a RuntimeError and a ClaimmapError, and isRuntimeError says so', async () => {
        const { runtime } = await errorsOf(source());
        const t = target();
        expect((runtime as { code: string }).code).toBe('runtime/account-not-found');
        expect(runtime instanceof t.runtime.RuntimeError).toBe(true);
        expect(runtime instanceof t.index.ClaimmapError).toBe(true);
        expect(t.runtime.isRuntimeError(runtime)).toBe(true);
        expect(t.runtime.isRuntimeError(runtime, 'store/busy', 'runtime/account-not-found')).toBe(true);
        expect(t.runtime.isRuntimeError(runtime, 'store/busy')).toBe(false);
      });

      it('a simulate error is a SimulateError and a ClaimmapError, and isSimulateError says so', async () => {
        const { simulate } = await errorsOf(source());
        const t = target();
        expect((simulate as { code: string }).code).toBe('simulate/no-samples');
        expect(simulate instanceof t.simulate.SimulateError).toBe(true);
        expect(simulate instanceof t.index.ClaimmapError).toBe(true);
        expect(t.simulate.isSimulateError(simulate)).toBe(true);
        expect(t.simulate.isSimulateError(simulate, 'simulate/no-samples')).toBe(true);
      });

      it('the brand does not blur the classes: each error is an instance of its own class only', async () => {
        const e = await errorsOf(source());
        const t = target();
        expect(e.plan instanceof t.runtime.RuntimeError).toBe(false);
        expect(e.plan instanceof t.claims.ClaimsError).toBe(false);
        expect(e.claims instanceof t.runtime.RuntimeError).toBe(false);
        expect(e.runtime instanceof t.claims.ClaimsError).toBe(false);
        expect(e.runtime instanceof t.simulate.SimulateError).toBe(false);
        expect(e.simulate instanceof t.runtime.RuntimeError).toBe(false);
        expect(t.runtime.isRuntimeError(e.claims)).toBe(false);
        expect(t.claims.isClaimsError(e.runtime)).toBe(false);
        expect(t.simulate.isSimulateError(e.plan)).toBe(false);
      });
    });
  }

  it('look-alikes are not claimmap errors: a plain Error with a code, a plain object, a primitive', () => {
    const lookalike = Object.assign(new Error('x'), { name: 'RuntimeError', code: 'store/busy' });
    for (const b of [cjs, esm]) {
      for (const v of [lookalike, { code: 'store/busy', message: 'x' }, 'store/busy', null, undefined]) {
        expect(v instanceof b.index.ClaimmapError, b.name).toBe(false);
        expect(v instanceof b.runtime.RuntimeError, b.name).toBe(false);
        expect(b.runtime.isRuntimeError(v), b.name).toBe(false);
      }
    }
  });
});
