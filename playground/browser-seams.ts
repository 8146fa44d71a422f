/**
 * The `*.browser.ts` seam: when a module of src/ resolves to `X.ts` and `X.browser.ts` exists beside it, a browser
 * build uses `X.browser.ts` instead. Only two files have one: src/claims/inflate.ts (node:zlib) and
 * src/compile/sha256.ts (node:crypto). The same rule for vite (the playground build) and esbuild (the bundle test).
 */
import { existsSync } from 'node:fs';
import type { Plugin as EsbuildPlugin } from 'esbuild';
import type { Plugin as VitePlugin } from 'vite';

/** The browser replacement of a resolved module path, or null. */
export function browserSeam(resolved: string): string | null {
  if (!resolved.endsWith('.ts') || resolved.endsWith('.browser.ts')) return null;
  const alt = `${resolved.slice(0, -'.ts'.length)}.browser.ts`;
  return existsSync(alt) ? alt : null;
}

/** The seam as a vite plugin. */
export function viteBrowserSeams(): VitePlugin {
  return {
    name: 'claimmap-browser-seams',
    enforce: 'pre',
    async resolveId(source, importer, options) {
      if (!importer || !source.startsWith('.')) return null;
      const r = await this.resolve(source, importer, { ...options, skipSelf: true });
      return r ? browserSeam(r.id) : null;
    },
  };
}

/** The seam as an esbuild plugin. */
export function esbuildBrowserSeams(): EsbuildPlugin {
  return {
    name: 'claimmap-browser-seams',
    setup(build) {
      build.onResolve({ filter: /^\.\.?\// }, async (args) => {
        if (args.pluginData === 'seam') return undefined;
        const r = await build.resolve(args.path, {
          resolveDir: args.resolveDir,
          kind: args.kind,
          importer: args.importer,
          pluginData: 'seam',
        });
        if (r.errors.length) return undefined;
        const alt = browserSeam(r.path);
        return alt ? { path: alt } : undefined;
      });
    },
  };
}
