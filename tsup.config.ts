import { cpSync, readFileSync } from 'node:fs';
import { defineConfig } from 'tsup';

const pkg = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8')) as {
  dependencies?: Record<string, string>;
};

/**
 * Database drivers stay out of the CLI bundle: `better-sqlite3` is a native addon and `pg` an optional peer, and both
 * are loaded only when a command opens a store of that kind.
 */
const CLI_EXTERNAL = ['better-sqlite3', 'pg'];
/** Every other runtime dependency is pure JS and bundled into the CLI, so a command loads a few files, not hundreds. */
const CLI_BUNDLED = Object.keys(pkg.dependencies ?? {}).filter((d) => !CLI_EXTERNAL.includes(d));

export default defineConfig([
  {
    // The library: one entry per public subpath. `runtime` and `claims` are split so an app that only
    // evaluates a precompiled plan never loads chevrotain or fast-xml-parser.
    entry: {
      index: 'src/index.ts',
      claims: 'src/claims/index.ts',
      runtime: 'src/runtime/index.ts',
      simulate: 'src/simulate/index.ts',
      testing: 'src/testing/index.ts',
      scim: 'src/scim/index.ts',
    },
    format: ['esm', 'cjs'],
    dts: true,
    // No source maps: they doubled the package (sourcesContent), and maps without it point at src/ files the package
    // does not ship. The output is not minified and keeps esbuild's `// src/<path>.ts` comments, so it reads as is.
    sourcemap: false,
    // Both builds write below dist/ at the same time: the library's clean spares dist/cli, which the CLI build owns.
    clean: ['!cli/**'],
    splitting: true,
    target: 'node20',
    onSuccess: async () => {
      cpSync('src/schemas', 'dist/schemas', { recursive: true });
    },
  },
  {
    // The CLI: a native-feeling start. One minified entry (dist/cli/main.js: argument dispatch, the command list and
    // the version) and one chunk per command, loaded by `import()` when that command runs, with the code it shares
    // with other commands in dist/cli/chunks/. Dependencies are bundled (one file each instead of a module graph:
    // chevrotain alone is ~300 lodash-es files), except the database drivers.
    entry: { main: 'src/cli/main.ts' },
    outDir: 'dist/cli',
    format: ['esm'],
    platform: 'node',
    target: 'node20',
    splitting: true,
    minify: true,
    // Maps (without sourcesContent) stay in the build for test/dist/cli-startup.test.ts, which reads which sources a
    // command loaded; package.json `files` leaves them out of the package.
    sourcemap: true,
    clean: true,
    dts: false,
    noExternal: CLI_BUNDLED,
    external: CLI_EXTERNAL,
    banner: {
      // Bundled CommonJS dependencies call `require()` for Node built-ins, and ESM has no `require`: give each file
      // one (esbuild's `__require` uses it). The entry's `#!/usr/bin/env node` stays on the first line.
      js: "import{createRequire as __cmCreateRequire}from'node:module';const require=__cmCreateRequire(import.meta.url);",
    },
    esbuildOptions(options) {
      options.chunkNames = 'chunks/[name]-[hash]';
      options.sourcesContent = false;
    },
  },
]);
