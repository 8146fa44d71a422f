import { defineConfig } from 'tsup';

/**
 * `npm run bench` measures the code as it ships: built by tsup/esbuild the way dist/ is. (Run from the sources under
 * tsx, esbuild's keepNames wraps every closure in a `__name(...)` call, which costs the parser and the simulator
 * ~10% that no user pays.) Packages stay in node_modules, as they do for an app.
 */
export default defineConfig({
  entry: { run: 'bench/run.ts' },
  outDir: 'bench/.build',
  format: ['esm'],
  platform: 'node',
  target: 'node20',
  sourcemap: true,
  clean: true,
  dts: false,
  skipNodeModulesBundle: true,
  silent: true,
});
