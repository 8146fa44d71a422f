/**
 * The README and docs are executable: every code block marked to run is run against the built package, and what it
 * prints must be exactly what the page shows. Markers (HTML comments, invisible on GitHub) go right before a block:
 *
 *   <!-- run: file NAME -->            the block is written to NAME in the page's scratch directory
 *   <!-- run: console [before: SH] --> a transcript: each `$ command` runs in sh (claimmap is the built CLI), and the
 *                                      lines after it, up to the next `$`, are its stdout and stderr, exactly
 *   <!-- run: esm cjs [before: SH] --> a library snippet (ts or js), run as an ES module and, with its imports
 *                                      turned into require(), as CommonJS; what it prints is the next block,
 *   <!-- output -->                    marked `output`
 *
 * `before:` is a shell command run first, in the scratch directory ($CLAIMMAP_ROOT is this repository), to set up
 * what the page assumes (a compiled plan, an edited mapping). Each page gets one scratch directory where
 * node_modules/claimmap is this package, so its blocks build on one another in order.
 *
 * CLAIMMAP_UPDATE_DOCS=1 rewrites the shown outputs with what the blocks print; review the diff.
 * Needs dist/ (`npm run build`; npm ci builds it through `prepare`); without it the tests are skipped with a warning.
 */
import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import ts from 'typescript';
import { afterAll, describe, expect, it } from 'vitest';
import { notice } from '../runtime/notice.js';
import { type MarkedBlock, markedBlocks } from './marked-blocks.js';

const root = join(import.meta.dirname, '..', '..');
const update = process.env.CLAIMMAP_UPDATE_DOCS === '1';
const built = existsSync(join(root, 'dist', 'cli', 'main.js')) && existsSync(join(root, 'dist', 'runtime.cjs'));
if (!built) notice('test/docs/doc-blocks: dist/ is not built (run `npm run build`); SKIPPING the runnable doc blocks');

const pages = [
  'README.md',
  ...readdirSync(join(root, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .map((f) => `docs/${f}`),
];

const temps: string[] = [];
/** Per page, the rewrites CLAIMMAP_UPDATE_DOCS=1 applies once all its blocks ran. */
const rewrites = new Map<string, { start: number; end: number; text: string }[]>();
afterAll(() => {
  for (const dir of temps) rmSync(dir, { recursive: true, force: true });
  for (const [page, edits] of rewrites) {
    let text = readFileSync(join(root, page), 'utf8');
    for (const e of [...edits].sort((a, b) => b.start - a.start))
      text = text.slice(0, e.start) + e.text + text.slice(e.end);
    writeFileSync(join(root, page), text);
  }
});

/** A scratch directory where `claimmap` is the built CLI and `import 'claimmap'` the built package. */
function scratch() {
  const dir = mkdtempSync(join(tmpdir(), 'claimmap-doc-'));
  temps.push(dir);
  mkdirSync(join(dir, 'node_modules', '.bin'), { recursive: true });
  symlinkSync(root, join(dir, 'node_modules', 'claimmap'), 'dir');
  const shim = join(dir, 'node_modules', '.bin', 'claimmap');
  writeFileSync(shim, `#!/bin/sh\nexec "${process.execPath}" "${join(root, 'dist', 'cli', 'main.js')}" "$@"\n`);
  chmodSync(shim, 0o755);
  const env: NodeJS.ProcessEnv = {
    PATH: `${join(dir, 'node_modules', '.bin')}${delimiter}${process.env.PATH}`,
    HOME: dir,
    CLAIMMAP_ROOT: root,
    NO_COLOR: '1',
    LC_ALL: 'C',
    TZ: 'UTC',
  };
  /** stdout and stderr of `sh -c script`, interleaved as a terminal shows them. */
  const sh = (script: string) => {
    const r = spawnSync('sh', ['-c', `exec 2>&1\n${script}`], { cwd: dir, env, encoding: 'utf8' });
    return { status: r.status, output: r.stdout };
  };
  return { dir, env, sh };
}

type Scratch = ReturnType<typeof scratch>;

/** `before: SH` of a marker, run in the scratch directory; it must succeed. */
function runBefore(args: string, s: Scratch) {
  const m = /\bbefore:\s*(.*)$/.exec(args);
  if (!m) return;
  const r = s.sh(m[1]!);
  if (r.status !== 0) throw new Error(`before: ${m[1]} failed:\n${r.output}`);
}

/** A transcript's commands and the output shown after each. */
function transcript(body: string): { command: string; shown: string }[] {
  const steps: { command: string; shown: string }[] = [];
  for (const line of body.split('\n').slice(0, -1)) {
    if (line.startsWith('$ ')) steps.push({ command: line.slice(2), shown: '' });
    else if (steps.length === 0) throw new Error(`a console block must start with "$ command", not: ${line}`);
    else steps[steps.length - 1]!.shown += `${line}\n`;
  }
  return steps;
}

/** The snippet as an ES module (types removed). */
function asEsm(source: string): string {
  return ts.transpileModule(source, {
    compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
  }).outputText;
}

/** The snippet as CommonJS: `import { a, b as c } from 'x'` becomes require(), top-level await runs in an async function. */
function asCjs(source: string): string {
  const body = source.replace(
    /^import\s*\{([^}]*)\}\s*from\s*(['"][^'"]+['"]);?$/gm,
    (_, names: string, from: string) => `const {${names.replace(/\bas\b/g, ':')}} = require(${from});`,
  );
  if (/^import\s/m.test(body)) throw new Error('asCjs: only named imports (import { ... } from ...) are supported');
  const wrapped = `(async () => {\n${body}\n})().catch((error) => {\n  console.error(error);\n  process.exitCode = 1;\n});\n`;
  return ts.transpileModule(wrapped, {
    compilerOptions: { module: ts.ModuleKind.None, target: ts.ScriptTarget.ES2022 },
  }).outputText;
}

function runPage(page: string) {
  const text = readFileSync(join(root, page), 'utf8');
  const blocks = markedBlocks(text, page).filter((b) => b.kind !== 'recipe');
  return { blocks };
}

const withRuns = pages.filter((page) => runPage(page).blocks.length > 0);

describe('runnable doc blocks', () => {
  it('README.md has runnable blocks (the mapping, a lint transcript, the library snippet)', () => {
    const kinds = runPage('README.md').blocks.map((b) => `${b.kind}: ${b.args.split(' before:')[0]}`);
    expect(kinds).toEqual(
      expect.arrayContaining(['run: file acme.claimmap', 'run: console', 'run: esm cjs', 'output: ']),
    );
  });

  it.each(pages)('%s: every block showing a `$ command` transcript is marked to run', (page) => {
    const text = readFileSync(join(root, page), 'utf8');
    const marked = new Set(markedBlocks(text, page).map((b) => b.bodyStart));
    const unmarked: number[] = [];
    for (const m of text.matchAll(/^(`{3,})[^\n`]*\n(?=\$ )/gm)) {
      if (!marked.has(m.index + m[0].length)) unmarked.push(text.slice(0, m.index).split('\n').length);
    }
    expect(unmarked, `${page}: transcripts at these lines have no <!-- run: console --> marker`).toEqual([]);
  });

  describe.skipIf(!built).each(withRuns)('%s', (page) => {
    const { blocks } = runPage(page);
    const s = built ? scratch() : (undefined as unknown as Scratch);
    const edit = (b: MarkedBlock, textNow: string) => {
      if (!update || textNow === b.body) return;
      const list = rewrites.get(page) ?? [];
      list.push({ start: b.bodyStart, end: b.bodyEnd, text: textNow });
      rewrites.set(page, list);
    };
    blocks.forEach((b, i) => {
      if (b.kind === 'output') {
        const prev = blocks[i - 1];
        if (prev?.kind !== 'run' || !/^(esm|cjs)\b/.test(prev.args)) {
          it(`line ${b.line}: an output block follows a snippet`, () => {
            expect.fail(`${page}:${b.line}: <!-- output --> must follow a <!-- run: esm|cjs --> block`);
          });
        }
        return;
      }
      const [mode, ...rest] = b.args.split(/\s+/);
      if (mode === 'file') {
        it(`line ${b.line}: writes ${rest[0]}`, () => {
          expect(rest[0]).toMatch(/^[\w.-]+$/);
          writeFileSync(join(s.dir, rest[0]!), b.body);
        });
      } else if (mode === 'console') {
        it(`line ${b.line}: the transcript prints what it shows`, () => {
          runBefore(b.args, s);
          const steps = transcript(b.body);
          expect(steps.length).toBeGreaterThan(0);
          const actual = steps.map((step) => `$ ${step.command}\n${s.sh(step.command).output}`).join('');
          edit(b, actual);
          if (!update) expect(actual).toBe(b.body);
        });
      } else if (mode === 'esm' || mode === 'cjs') {
        const output = blocks[i + 1];
        const formats = b.args.split(/\s+before:/)[0]!.split(/\s+/);
        it(`line ${b.line}: the snippet runs as ${formats.join(' and ')} and prints what it shows`, () => {
          expect(output?.kind, `${page}:${b.line}: a <!-- output --> block must follow the snippet`).toBe('output');
          expect(formats.every((f) => f === 'esm' || f === 'cjs')).toBe(true);
          const printed = new Map<string, string>();
          for (const format of formats) {
            runBefore(b.args, s);
            const file = join(s.dir, `snippet-${b.line}.${format === 'esm' ? 'mjs' : 'cjs'}`);
            writeFileSync(file, format === 'esm' ? asEsm(b.body) : asCjs(b.body));
            const r = s.sh(`"${process.execPath}" "${file}"`);
            expect(r.status, `${format}: ${r.output}`).toBe(0);
            printed.set(format, r.output);
          }
          const [first] = printed.values();
          for (const [format, out] of printed) expect(out, `${format} prints what ${formats[0]} prints`).toBe(first);
          edit(output!, first!);
          if (!update) expect(first).toBe(output!.body);
        });
      } else {
        it(`line ${b.line}: a known marker`, () => {
          expect.fail(`${page}:${b.line}: unknown marker "run: ${b.args}" (file, console, esm, cjs)`);
        });
      }
    });
  });
});
