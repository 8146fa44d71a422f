/**
 * The playground's core (playground/src/core.ts: syntax, check, compile, evaluate, the claims readers, simulate's
 * in-memory run, explain) bundles for the browser and reaches no Node builtin: esbuild, platform 'browser', with the
 * `*.browser.ts` seams of playground/browser-seams.ts. A control bundle without the seams must reach exactly the
 * two Node-only files, so the guard is known to see builtins.
 */
import { builtinModules } from 'node:module';
import { build, type Plugin } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { esbuildBrowserSeams } from '../../playground/browser-seams.js';

const BUILTINS = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));

/** Records every import of a Node builtin (and marks it external so the bundle completes). */
function builtinGuard(found: { path: string; importer: string }[]): Plugin {
  return {
    name: 'node-builtin-guard',
    setup(b) {
      b.onResolve({ filter: /.*/ }, (args) => {
        if (!BUILTINS.has(args.path) && !args.path.startsWith('node:')) return undefined;
        found.push({ path: args.path, importer: args.importer.replace(`${process.cwd()}/`, '') });
        return { path: args.path, external: true };
      });
    },
  };
}

async function bundle(seams: boolean) {
  const found: { path: string; importer: string }[] = [];
  const result = await build({
    entryPoints: ['playground/src/core.ts'],
    bundle: true,
    platform: 'browser',
    format: 'esm',
    target: 'es2022',
    write: false,
    metafile: true,
    minify: true,
    logLevel: 'silent',
    plugins: [...(seams ? [esbuildBrowserSeams()] : []), builtinGuard(found)],
  });
  return { found, inputs: Object.keys(result.metafile.inputs), bytes: result.outputFiles[0]?.contents.length ?? 0 };
}

describe('the playground core bundles for the browser', () => {
  it('reaches no node: import nor Node builtin, and uses both browser seams', async () => {
    const { found, inputs, bytes } = await bundle(true);
    expect(found).toEqual([]);
    expect(inputs).toContain('src/claims/inflate.browser.ts');
    expect(inputs).toContain('src/compile/sha256.browser.ts');
    expect(inputs).not.toContain('src/claims/inflate.ts');
    expect(inputs).not.toContain('src/compile/sha256.ts');
    for (const stage of [
      'src/syntax/parse.ts',
      'src/check/check.ts',
      'src/evaluate/evaluate.ts',
      'src/simulate/run.ts',
    ])
      expect(inputs).toContain(stage);
    expect(bytes).toBeGreaterThan(0);
  });

  it('control: without the seams the guard sees exactly node:zlib and node:crypto', async () => {
    const { found } = await bundle(false);
    expect(found.map((f) => `${f.path} <- ${f.importer}`).sort()).toEqual([
      'node:crypto <- src/compile/sha256.ts',
      'node:zlib <- src/claims/inflate.ts',
    ]);
  });
});
