/**
 * `npm run vscode:package` packs editors/vscode offline into a .vsix that holds everything the extension needs:
 * the manifest, the grammar (the same bytes as grammar/claimmap.tmLanguage.json), the language configuration,
 * the snippets and the bundled client, with no node_modules; every file package.json's `contributes` names is in
 * it. The npm package of claimmap holds nothing of editors/.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { builtinModules, createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { posix } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildVscodeExtension, packVscodeExtension } from '../../scripts/vscode-package.js';

const require = createRequire(import.meta.url);
const ROOT = new URL('../../', import.meta.url);

interface ZipEntry {
  fileName: string;
}
interface ZipFile {
  readEntry(): void;
  close(): void;
  on(event: 'entry', cb: (entry: ZipEntry) => void): void;
  on(event: 'end', cb: () => void): void;
  on(event: 'error', cb: (error: Error) => void): void;
  openReadStream(entry: ZipEntry, cb: (error: Error | null, stream: NodeJS.ReadableStream) => void): void;
}
/** yauzl (installed with @vscode/vsce, which reads .vsix files with it); it has no types of its own. */
const yauzl = require('yauzl') as {
  open(path: string, options: { lazyEntries: boolean }, cb: (error: Error | null, zip: ZipFile) => void): void;
};

/** Every file of a zip archive, by name. */
function readZip(path: string): Promise<Map<string, Buffer>> {
  return new Promise((resolve, reject) => {
    yauzl.open(path, { lazyEntries: true }, (openError, zip) => {
      if (openError) return reject(openError);
      const files = new Map<string, Buffer>();
      zip.on('error', reject);
      zip.on('end', () => resolve(files));
      zip.on('entry', (entry) => {
        if (entry.fileName.endsWith('/')) return zip.readEntry();
        zip.openReadStream(entry, (streamError, stream) => {
          if (streamError) return reject(streamError);
          const chunks: Buffer[] = [];
          stream.on('data', (c: Buffer) => chunks.push(c));
          stream.on('error', reject);
          stream.on('end', () => {
            files.set(entry.fileName, Buffer.concat(chunks));
            zip.readEntry();
          });
        });
      });
      zip.readEntry();
    });
  });
}

interface Manifest {
  name: string;
  publisher: string;
  version: string;
  main: string;
  engines: { vscode: string };
  contributes: {
    languages: { id: string; extensions: string[]; configuration: string }[];
    grammars: { language: string; scopeName: string; path: string }[];
    snippets: { language: string; path: string }[];
    configuration: { properties: Record<string, unknown> };
    commands: { command: string }[];
  };
  activationEvents: string[];
}

let vsix = '';
let files = new Map<string, Buffer>();

beforeAll(async () => {
  await buildVscodeExtension();
  vsix = packVscodeExtension();
  files = await readZip(vsix);
}, 120_000);

describe('the .vsix from npm run vscode:package', () => {
  it('is written as editors/vscode/claimmap-<version>.vsix', () => {
    const manifest = JSON.parse(readFileSync(new URL('editors/vscode/package.json', ROOT), 'utf8')) as Manifest;
    expect(posix.basename(vsix.replaceAll('\\', '/'))).toBe(`claimmap-${manifest.version}.vsix`);
    expect(files.has('extension.vsixmanifest')).toBe(true);
  });

  it('holds the manifest, grammar, language configuration, snippets, bundle, readme, changelog and license', () => {
    for (const name of [
      'extension/package.json',
      'extension/syntaxes/claimmap.tmLanguage.json',
      'extension/language-configuration.json',
      'extension/snippets/claimmap.code-snippets',
      'extension/dist/extension.js',
      'extension/readme.md',
      'extension/changelog.md',
      'extension/LICENSE.txt',
    ]) {
      expect(files.has(name), name).toBe(true);
    }
    // No sources, no node_modules, no build configuration: the bundle is the extension.
    expect([...files.keys()].filter((f) => /node_modules|\/src\/|tsconfig|\.ts$|\.vsix$/.test(f))).toEqual([]);
  });

  it('ships the grammar of grammar/claimmap.tmLanguage.json byte for byte', () => {
    expect(files.get('extension/syntaxes/claimmap.tmLanguage.json')?.toString('utf8')).toBe(
      readFileSync(new URL('grammar/claimmap.tmLanguage.json', ROOT), 'utf8'),
    );
  });

  it('has a manifest whose contributes and main point at files in the package', () => {
    const manifest = JSON.parse(files.get('extension/package.json')!.toString('utf8')) as Manifest;
    expect([manifest.name, manifest.publisher, manifest.engines.vscode]).toEqual(['claimmap', 'claimmap', '^1.91.0']);
    const inPackage = (rel: string) => files.has(posix.join('extension', posix.normalize(rel)));
    const referenced = [
      manifest.main,
      ...manifest.contributes.languages.map((l) => l.configuration),
      ...manifest.contributes.grammars.map((g) => g.path),
      ...manifest.contributes.snippets.map((s) => s.path),
    ];
    expect(referenced.filter((rel) => !inPackage(rel))).toEqual([]);
    expect(manifest.contributes.languages).toEqual([
      expect.objectContaining({ id: 'claimmap', extensions: ['.claimmap'] }),
    ]);
    expect(manifest.contributes.grammars).toEqual([
      { language: 'claimmap', scopeName: 'source.claimmap', path: './syntaxes/claimmap.tmLanguage.json' },
    ]);
    expect(Object.keys(manifest.contributes.configuration.properties).sort()).toEqual([
      'claimmap.path',
      'claimmap.trace.server',
    ]);
  });

  it('declares every command the bundle registers', () => {
    const manifest = JSON.parse(files.get('extension/package.json')!.toString('utf8')) as Manifest;
    const source = readFileSync(new URL('editors/vscode/src/extension.ts', ROOT), 'utf8');
    const registered = [...source.matchAll(/registerCommand\('([^']+)'/g)].map((m) => m[1]).sort();
    expect(manifest.contributes.commands.map((c) => c.command).sort()).toEqual(registered);
  });

  it('has a bundle that loads nothing but vscode and Node built-ins', () => {
    const bundle = files.get('extension/dist/extension.js')!.toString('utf8');
    const required = new Set([...bundle.matchAll(/\brequire\("([^"]+)"\)/g)].map((m) => m[1]!));
    const builtins = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));
    expect([...required].filter((m) => m !== 'vscode' && !builtins.has(m))).toEqual([]);
    expect(required.has('vscode')).toBe(true);
    // The language client and its protocol are in the bundle itself.
    expect(bundle).toContain('textDocument/didOpen');
  });
});

describe('the bundled extension', () => {
  it('loads and activates (stub vscode): registers its commands, and says what to do when there is no CLI', () => {
    const bundle = fileURLToPath(new URL('editors/vscode/dist/extension.js', ROOT));
    const stub = fileURLToPath(new URL('activate-with-stub.cjs', import.meta.url));
    const out = execFileSync(process.execPath, [stub, bundle, '/nonexistent/claimmap'], {
      cwd: tmpdir(),
      encoding: 'utf8',
    });
    const result = JSON.parse(out) as { calls: [string, string][]; subscriptions: number };
    expect(result.calls.filter(([kind]) => kind === 'command').map(([, id]) => id)).toEqual([
      'claimmap.restartServer',
      'claimmap.showOutput',
    ]);
    const warnings = result.calls.filter(([kind]) => kind === 'warning').map(([, m]) => m);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('"/nonexistent/claimmap" was not found');
    expect(warnings[0]).toContain('claimmap.path');
    expect(result.subscriptions).toBe(4);
  });
});

describe('the npm package of claimmap', () => {
  it('holds nothing of editors/ (package.json files)', () => {
    const out = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
      cwd: ROOT,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const [pack] = JSON.parse(out) as { files: { path: string }[] }[];
    const paths = pack!.files.map((f) => f.path);
    expect(paths).toContain('package.json');
    expect(paths.filter((p) => p.startsWith('editors/') || p.endsWith('.vsix'))).toEqual([]);
  });
});
