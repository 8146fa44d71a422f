/**
 * test/ mirrors src/: the tests of `src/<dir>/<module>.ts` are in `test/<dir>/<module>.test.ts`, so a newcomer finds a
 * module's tests by its path. A test file may add aspects after the module's name (`<module>.<aspect>.test.ts`:
 * `load-plan.property.test.ts`, `sqlite.audit.test.ts`), and a module may be a folder (`test/simulate/report.test.ts`
 * tests src/simulate/report/). Helpers (a `.ts` that is not a test) may sit in any mirrored folder.
 *
 * Suites that test no single module live in the few top-level folders of CROSS_CUTTING; the list is short on purpose.
 */
import { readdirSync, statSync } from 'node:fs';
import { join, posix } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/** Top-level folders of test/ that mirror no folder of src/, and why. */
const CROSS_CUTTING: Readonly<Record<string, string>> = {
  api: 'the entry points: their pinned exports, an @example on each, the api/ reports (mirrors the top-level api/)',
  bench: 'the peers of bench/ return what claimmap returns (mirrors the top-level bench/)',
  dist: 'the built package and its bin',
  docs: 'the docs agree with the code',
  editors: 'the editor extension (mirrors the top-level editors/): its grammar on every example, its packaging',
  fixtures: 'input corpora (SAML, OIDC), no tests',
  golden: 'one golden case per diagnostic code, and the meta-test over them',
  grammar: 'grammar/claimmap.ebnf and its railroad diagrams agree with the parser (mirrors the top-level grammar/)',
  playground:
    'the web playground of playground/: its browser bundle and its page in headless Chromium (mirrors the top-level playground/)',
  scripts: 'the maintenance scripts of scripts/ (mirrors the top-level scripts/)',
};

/** Files directly in test/, which mirrors src/ itself. */
const TOP_LEVEL_FILES = new Set(['layout.test.ts']);

const ROOT = fileURLToPath(new URL('../', import.meta.url));

/** Every file under `dir`, as a posix path relative to `dir`. */
function listFiles(dir: string, prefix = ''): string[] {
  const out: string[] = [];
  for (const name of readdirSync(join(dir, prefix)).sort()) {
    const rel = prefix === '' ? name : `${prefix}/${name}`;
    if (statSync(join(dir, rel)).isDirectory()) out.push(...listFiles(dir, rel));
    else out.push(rel);
  }
  return out;
}

/** The folders (`''` for src/ itself) and modules (`dir/name`, without `.ts`; a folder is a module too) of src/. */
function srcLayout(srcFiles: readonly string[]): { dirs: Set<string>; modules: Set<string> } {
  const dirs = new Set<string>(['']);
  const modules = new Set<string>();
  for (const file of srcFiles) {
    const parts = file.split('/');
    for (let i = 1; i < parts.length; i++) {
      const dir = parts.slice(0, i).join('/');
      dirs.add(dir);
      modules.add(dir);
    }
    if (file.endsWith('.ts')) modules.add(file.slice(0, -'.ts'.length));
  }
  return { dirs, modules };
}

const ASPECT = /^[a-z0-9]+(-[a-z0-9]+)*$/;

/** What is out of place among `testFiles` (paths relative to test/), given the files of src/. */
function layoutProblems(testFiles: readonly string[], srcFiles: readonly string[]): string[] {
  const { dirs, modules } = srcLayout(srcFiles);
  const problems: string[] = [];
  for (const file of testFiles) {
    if (!file.endsWith('.ts')) continue;
    const top = file.includes('/') ? file.slice(0, file.indexOf('/')) : '';
    if (top !== '' && Object.hasOwn(CROSS_CUTTING, top)) continue;
    const dir = posix.dirname(file) === '.' ? '' : posix.dirname(file);
    const base = posix.basename(file);
    if (dir === '') {
      if (!TOP_LEVEL_FILES.has(base)) problems.push(`${file}: test/ holds only ${[...TOP_LEVEL_FILES].join(', ')}`);
      continue;
    }
    if (!dirs.has(dir)) {
      problems.push(`${file}: src/${dir}/ does not exist (a cross-cutting suite goes in one of CROSS_CUTTING)`);
      continue;
    }
    if (!base.endsWith('.test.ts')) continue;
    const [module = '', ...aspects] = base.slice(0, -'.test.ts'.length).split('.');
    if (!modules.has(`${dir}/${module}`)) {
      problems.push(`${file}: names no module of src/${dir}/ (${module}.ts or ${module}/)`);
    }
    for (const aspect of aspects) {
      if (!ASPECT.test(aspect)) problems.push(`${file}: the aspect "${aspect}" is not kebab-case`);
    }
  }
  return problems;
}

describe('test/ mirrors src/', () => {
  const src = listFiles(join(ROOT, 'src'));

  it('every test file is at the path of the module it tests, or in a cross-cutting folder', () => {
    expect(layoutProblems(listFiles(join(ROOT, 'test')), src)).toEqual([]);
  });

  it('every cross-cutting folder exists, and none shadows a folder of src/', () => {
    const { dirs } = srcLayout(src);
    for (const name of Object.keys(CROSS_CUTTING)) {
      expect(statSync(join(ROOT, 'test', name)).isDirectory(), name).toBe(true);
      expect(dirs.has(name), name).toBe(false);
    }
  });

  it.each([
    ['runtime/sqlite-store.test.ts', 'runtime/sqlite-store.test.ts: names no module of src/runtime/'],
    ['properties/load-plan.property.test.ts', 'properties/load-plan.property.test.ts: src/properties/ does not exist'],
    ['stray.test.ts', 'stray.test.ts: test/ holds only layout.test.ts'],
    [
      'runtime/stores/sqlite.Audit.test.ts',
      'runtime/stores/sqlite.Audit.test.ts: the aspect "Audit" is not kebab-case',
    ],
    ['runtime/store/helper.ts', 'runtime/store/helper.ts: src/runtime/store/ does not exist'],
  ])('refuses %s', (file, problem) => {
    const problems = layoutProblems([file], src);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain(problem);
  });

  it.each([
    'runtime/stores/sqlite.test.ts',
    'runtime/stores/sqlite.audit.test.ts',
    'compile/load-plan.property.test.ts',
    'simulate/report.test.ts',
    'runtime/stores/store-suite.ts',
    'golden/anything/at-all.ts',
    'fixtures/claims/saml/okta.response.xml',
  ])('accepts %s', (file) => {
    expect(layoutProblems([file], src)).toEqual([]);
  });
});
