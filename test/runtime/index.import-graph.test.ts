/**
 * `claimmap/runtime` must not load the parser or the XML reader: an app that provisions from a precompiled plan
 * loads neither chevrotain nor fast-xml-parser. Checked on the built import graph (esbuild metafile, type-only
 * imports erased, packages left external), so a re-export or an indirect import is caught too.
 */
import { fileURLToPath } from 'node:url';
import { relative } from 'node:path';
import { build, type Metafile } from 'esbuild';
import { beforeAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));
let meta: Metafile;
/** The same graph for the main entry (`claimmap`: compile, evaluate, types). */
let indexMeta: Metafile;
/**
 * Checker files the runtime may load: the knowledge and the exact-path analysis loadPlan shares with the checker.
 * They import only each other, the regex analyser and (as types) the plan.
 */
const SHARED_LEAVES = ['src/check/identity-claims.ts', 'src/check/idp-kind.ts', 'src/check/exact-path.ts'];

const graph = async (entry: string) =>
  (
    await build({
      entryPoints: [`${root}${entry}`],
      bundle: true,
      write: false,
      metafile: true,
      platform: 'node',
      format: 'esm',
      packages: 'external',
      logLevel: 'silent',
    })
  ).metafile;

beforeAll(async () => {
  [meta, indexMeta] = await Promise.all([graph('src/runtime/index.ts'), graph('src/index.ts')]);
});

/** Each package imported by the graph, with how: 'import-statement' (at load time) or 'dynamic-import'. */
const packageImports = (m: Metafile) =>
  Object.values(m.inputs).flatMap((i) =>
    i.imports.filter((x) => x.external).map((x) => ({ path: x.path, kind: x.kind })),
  );

const files = () => Object.keys(meta.inputs).map((f) => relative(root, `${root}${f}`).replace(/\\/g, '/'));
const packages = () =>
  [
    ...new Set(Object.values(meta.inputs).flatMap((i) => i.imports.filter((x) => x.external).map((x) => x.path))),
  ].sort();

describe('runtime import graph', () => {
  it('reaches neither chevrotain nor fast-xml-parser', () => {
    expect(packages().filter((p) => /chevrotain|fast-xml-parser|@xmldom/.test(p))).toEqual([]);
  });

  it('loads only runtime, evaluate, regex, model (the shared contracts) and shared checker files of src/', () => {
    const forbidden = files().filter(
      (f) => (/^src\/(syntax|check|simulate|cli)\//.test(f) && !SHARED_LEAVES.includes(f)) || /^src\/claims\//.test(f),
    );
    expect(forbidden).toEqual([]);
    expect(files()).toContain('src/runtime/provision/login.ts');
  });

  it('loads the checker only through the shared modules, which reach nothing else of the checker', () => {
    // loadPlan re-checks the checker's key and privileged invariants with the checker's own predicates.
    for (const leaf of SHARED_LEAVES) {
      const input = Object.entries(meta.inputs).find(
        ([f]) => relative(root, `${root}${f}`).replace(/\\/g, '/') === leaf,
      );
      expect(input, leaf).toBeDefined();
      const imports = input![1].imports
        .filter((x) => !x.external)
        .map((x) => relative(root, `${root}${x.path}`).replace(/\\/g, '/'));
      expect(
        imports.filter((f) => !SHARED_LEAVES.includes(f) && !f.startsWith('src/regex/')),
        leaf,
      ).toEqual([]);
    }
  });

  it('imports the database drivers only on demand: better-sqlite3 and pg are dynamic imports of driver.ts', () => {
    // Optional peer dependencies: loading claimmap/runtime must work when neither is installed.
    for (const m of [meta, indexMeta]) {
      const drivers = packageImports(m).filter((x) => x.path === 'better-sqlite3' || x.path === 'pg');
      expect(drivers.filter((x) => x.kind !== 'dynamic-import')).toEqual([]);
    }
    expect(
      packageImports(meta)
        .filter((x) => x.kind === 'dynamic-import')
        .map((x) => x.path)
        .sort(),
    ).toEqual(['better-sqlite3', 'pg']);
    const importers = Object.entries(meta.inputs)
      .filter(([, i]) => i.imports.some((x) => x.path === 'better-sqlite3' || x.path === 'pg'))
      .map(([f]) => relative(root, `${root}${f}`).replace(/\\/g, '/'));
    expect(importers).toEqual(['src/runtime/stores/driver.ts']);
  });

  it('uses only the expected packages', () => {
    // ajv validates plans in loadPlan; never chevrotain or fast-xml-parser.
    const allowed = new Set(['ajv', 'better-sqlite3', 'pg', 're2js']);
    expect(packages().filter((p) => !p.startsWith('node:') && !allowed.has(p))).toEqual([]);
  });
});
