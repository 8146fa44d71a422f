import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { verifyMapping } from '../../src/import/emit.js';
import { failedImport, guardImporter } from '../../src/import/failure.js';
import { IMPORTERS } from '../../src/import/index.js';
import type { ImportKind, ImportOptions } from '../../src/import/types.js';

const FIXTURES: Record<ImportKind, string> = {
  keycloak: 'test/import/fixtures/keycloak/corp-realm.json',
  grafana: 'test/import/fixtures/grafana/keycloak-generic.grafana.ini',
  vault: 'test/import/fixtures/vault/engineering-bundle.json',
  argocd: 'test/import/fixtures/argocd/okta-teams.argocd.yaml',
  kubernetes: 'test/import/fixtures/kubernetes/dex-staff.authentication-config.yaml',
};

/** Options whose `file` throws the first time the importer reads it: a stand-in for a bug inside an importer. */
function throwingOptions(file: string, thrown: unknown): ImportOptions {
  let reads = 0;
  return Object.defineProperty({}, 'file', {
    enumerable: true,
    get() {
      if (reads++ === 0) throw thrown;
      return file;
    },
  }) as ImportOptions;
}

describe('the shared importer guard', () => {
  it('turns what the body throws into one import/internal error on the file, with no mapping', () => {
    const boom = guardImporter('vault', 'Vault', () => {
      throw new RangeError('index 7');
    });
    expect(boom('{}', { file: 'roles.json' })).toEqual({
      kind: 'vault',
      source: '',
      semantics: null,
      notes: [
        {
          code: 'import/internal',
          severity: 'error',
          message: 'the Vault importer failed: index 7',
          location: { file: 'roles.json', line: 0, column: 0 },
          hint: 'This is a bug of the importer: please report it with the input file.',
        },
      ],
    });
    const odd = guardImporter('argocd', 'Argo CD', () => {
      // A dependency may throw a non-Error value.
      // biome-ignore lint/style/useThrowOnlyError: the guard must handle it
      throw 42;
    });
    expect(odd('', { file: 'x' }).notes[0]?.message).toBe('the Argo CD importer failed: 42');
  });
  it('passes a result through unchanged', () => {
    const result = failedImport('grafana', []);
    expect(guardImporter('grafana', 'Grafana', () => result)('', { file: 'x' })).toBe(result);
  });
  it.each(Object.keys(FIXTURES) as ImportKind[])('guards the %s importer', async (kind) => {
    const importer = await IMPORTERS[kind].load();
    if (!importer) throw new Error(`no ${kind} importer in this build`);
    const file = FIXTURES[kind];
    const r = importer(readFileSync(file, 'utf8'), throwingOptions(file, new Error('boom')));
    expect(r.source).toBe('');
    expect(r.semantics).toBeNull();
    expect(r.notes.map((n) => [n.code, n.severity, n.location.file])).toEqual([['import/internal', 'error', file]]);
    expect(r.notes[0]?.message).toMatch(/^the .+ importer failed: boom$/);
  });
});

describe('verifyMapping (the last step of every importer)', () => {
  it('formats and compiles a mapping, repeating lint warnings', () => {
    const r = verifyMapping('mapping "x" {\nidp oidc "https://a.example"\nkey sub\n}\n', { file: 'cfg.yaml' });
    expect(r.plan).not.toBeNull();
    expect(r.source).toBe('mapping "x" {\n  idp oidc "https://a.example"\n  key sub\n}\n');
    expect(r.notes.every((n) => n.code === 'import/lint-warning' && n.location.file === 'cfg.yaml')).toBe(true);
  });
  it('reports text that does not parse as import/internal, keeping the raw text', () => {
    const r = verifyMapping('mapping "x" {', { file: 'cfg.yaml' });
    expect(r.plan).toBeNull();
    expect(r.source).toBe('mapping "x" {');
    expect(r.notes.length).toBeGreaterThan(0);
    expect(r.notes.every((n) => n.code === 'import/internal' && n.severity === 'error')).toBe(true);
  });
});
