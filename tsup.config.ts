import { defineConfig } from 'tsup';
import { cpSync } from 'node:fs';

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
    },
    format: ['esm', 'cjs'],
    dts: true,
    // No source maps: they doubled the package (sourcesContent), and maps without it point at src/ files the package
    // does not ship. The output is not minified and keeps esbuild's `// src/<path>.ts` comments, so it reads as is.
    sourcemap: false,
    clean: true,
    splitting: true,
    target: 'node20',
    onSuccess: async () => {
      cpSync('src/schemas', 'dist/schemas', { recursive: true });
    },
  },
  {
    entry: { 'cli/main': 'src/cli/main.ts' },
    format: ['esm'],
    sourcemap: false,
    target: 'node20',
    banner: { js: '#!/usr/bin/env node' },
  },
]);
