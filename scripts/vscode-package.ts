/**
 * Builds and packs the VS Code extension (editors/vscode) into editors/vscode/claimmap-<version>.vsix, offline:
 * `npm run vscode:package`.
 *
 * 1. Copies the TextMate grammar (grammar/claimmap.tmLanguage.json, the one source) and the repository's LICENSE
 *    into the extension folder, which packs only what is inside it.
 * 2. Bundles src/extension.ts with vscode-languageclient into dist/extension.js (CommonJS, `vscode` external), so
 *    the package needs no node_modules.
 * 3. Runs the root's @vscode/vsce (`vsce package --no-dependencies`): no npm/yarn dependency listing, and the
 *    README's relative links are rewritten from the given base URLs rather than from a git remote. Packing reads
 *    and writes local files only; `vsce publish` is what talks to the Marketplace, and it is never run here.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'tsup';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
/** The extension's folder. */
export const VSCODE_DIR = join(ROOT, 'editors', 'vscode');
const REPO_URL = 'https://github.com/claimmap/claimmap';

/** Where `npm run vscode:package` writes the extension for the version in editors/vscode/package.json. */
export function vsixPath(): string {
  const manifest = JSON.parse(readFileSync(join(VSCODE_DIR, 'package.json'), 'utf8')) as { version: string };
  return join(VSCODE_DIR, `claimmap-${manifest.version}.vsix`);
}

/** Steps 1 and 2: the files the package holds besides those committed in editors/vscode. */
export async function buildVscodeExtension(): Promise<void> {
  mkdirSync(join(VSCODE_DIR, 'syntaxes'), { recursive: true });
  copyFileSync(
    join(ROOT, 'grammar', 'claimmap.tmLanguage.json'),
    join(VSCODE_DIR, 'syntaxes', 'claimmap.tmLanguage.json'),
  );
  copyFileSync(join(ROOT, 'LICENSE'), join(VSCODE_DIR, 'LICENSE'));
  rmSync(join(VSCODE_DIR, 'dist'), { recursive: true, force: true });
  await build({
    config: false,
    entry: { extension: join(VSCODE_DIR, 'src', 'extension.ts') },
    outDir: join(VSCODE_DIR, 'dist'),
    format: ['cjs'],
    platform: 'node',
    // VS Code 1.91's extension host runs Node 20.
    target: 'node20',
    external: ['vscode'],
    noExternal: [
      /^vscode-languageclient/,
      /^vscode-languageserver-protocol/,
      /^vscode-languageserver-textdocument/,
      /^vscode-jsonrpc/,
      /^semver/,
      /^minimatch/,
    ],
    minify: true,
    sourcemap: false,
    dts: false,
    splitting: false,
    clean: false,
    silent: true,
    outExtension: () => ({ js: '.js' }),
    tsconfig: join(VSCODE_DIR, 'tsconfig.json'),
  });
}

/** Step 3: packs; returns the .vsix path. */
export function packVscodeExtension(): string {
  const out = vsixPath();
  rmSync(out, { force: true });
  const vsce = join(ROOT, 'node_modules', '.bin', process.platform === 'win32' ? 'vsce.cmd' : 'vsce');
  try {
    execFileSync(
      vsce,
      [
        'package',
        '--no-dependencies',
        '--no-yarn',
        '--out',
        out,
        '--baseContentUrl',
        `${REPO_URL}/blob/main/editors/vscode`,
        '--baseImagesUrl',
        `${REPO_URL}/raw/main/editors/vscode`,
      ],
      { cwd: VSCODE_DIR, stdio: ['ignore', 'pipe', 'pipe'], shell: process.platform === 'win32' },
    );
  } catch (error) {
    const e = error as { stderr?: Buffer; stdout?: Buffer; status?: number };
    throw new Error(
      `vsce package failed (exit ${e.status}):\n${e.stderr?.toString() ?? ''}${e.stdout?.toString() ?? ''}`,
    );
  }
  return out;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await buildVscodeExtension();
  console.log(`wrote ${packVscodeExtension()}`);
}
