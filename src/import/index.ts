/**
 * The importers `claimmap import KIND` runs, by kind. Each lives in `src/import/<kind>/index.ts` and exports
 * `importer: Importer` (the contract in types.ts); it is loaded only when that kind is imported, so an import of
 * Keycloak never loads the JMESPath or CEL engines. The module path is the convention: adding a kind is adding its
 * folder and its line here.
 */
import type { ImportKind, Importer } from './types.js';

/** One importer of the registry: its kind, a one-line summary for `--help`, and how to load it. */
export interface ImporterEntry {
  kind: ImportKind;
  /** What the importer reads, for `claimmap import --help`. */
  reads: string;
  /** The importer, or null when this build has none for the kind. */
  load(): Promise<Importer | null>;
}

/** The module `src/import/<kind>/index.ts` must export. */
interface ImporterModule {
  importer?: unknown;
}

/**
 * Loads `./<kind>/index.js`. The path is built from the kind (one of {@link IMPORTERS}' closed keys), so a bundler
 * includes every `src/import/<kind>/index.ts` present at build time.
 */
async function loadKind(kind: ImportKind): Promise<Importer | null> {
  let mod: ImporterModule;
  try {
    mod = (await import(`./${kind}/index.ts`)) as ImporterModule;
  } catch (e) {
    // Only a missing module means "not in this build"; an error inside one is a bug and propagates.
    const code = (e as { code?: unknown } | null)?.code;
    if (
      code === 'ERR_MODULE_NOT_FOUND' ||
      (e instanceof Error && /Module not found in bundle|Cannot find module|Failed to load url/.test(e.message))
    )
      return null;
    throw e;
  }
  if (typeof mod.importer !== 'function')
    throw new TypeError(`src/import/${kind}/index.ts does not export an importer`);
  return mod.importer as Importer;
}

/** Every import kind, in `--help` order. */
export const IMPORTERS: Readonly<Record<ImportKind, ImporterEntry>> = Object.freeze({
  keycloak: {
    kind: 'keycloak',
    reads: 'a realm export (JSON): identity providers, their mappers, the first-broker-login flow',
    load: () => loadKind('keycloak'),
  },
  grafana: {
    kind: 'grafana',
    reads: 'grafana.ini [auth.*] sections (or GF_AUTH_* variables, Helm values): role_attribute_path, org_mapping, ...',
    load: () => loadKind('grafana'),
  },
  vault: {
    kind: 'vault',
    reads:
      'JWT/OIDC auth roles as `vault read -format=json auth/<path>/role/<name>` prints them (one, a list, or a bundle)',
    load: () => loadKind('vault'),
  },
  argocd: {
    kind: 'argocd',
    reads: 'argocd-cm oidc.config and argocd-rbac-cm policy.csv (ConfigMap YAML)',
    load: () => loadKind('argocd'),
  },
  kubernetes: {
    kind: 'kubernetes',
    reads: 'an AuthenticationConfiguration (YAML): jwt[].claimMappings and claimValidationRules',
    load: () => loadKind('kubernetes'),
  },
});

/** The import kinds, in `--help` order. */
export const IMPORT_KINDS: readonly ImportKind[] = Object.freeze(Object.keys(IMPORTERS) as ImportKind[]);

/** Whether `s` names an import kind. */
export const isImportKind = (s: string): s is ImportKind => Object.hasOwn(IMPORTERS, s);
