/** The playground: a static page (`npm run playground:build` → playground/dist; `npm run playground` serves it). */
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import { viteBrowserSeams } from './browser-seams.js';

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: './',
  plugins: [viteBrowserSeams()],
  server: { host: '127.0.0.1', fs: { allow: ['..'] } },
  preview: { host: '127.0.0.1' },
  build: { outDir: 'dist', emptyOutDir: true, target: 'es2022', chunkSizeWarningLimit: 2000 },
});
