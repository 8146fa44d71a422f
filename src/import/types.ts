/**
 * The contract every importer (`src/import/<kind>/`) implements: read a source system's configuration, translate it
 * into claimmap source text, report every construct it could not translate (never drop one silently), and give the
 * source system's own semantics as a function, so `--compare` can run the original and the imported mapping side by
 * side on samples and on every simulator mutation of them.
 */
import type { JsonValue } from '../model/claim-set.js';

/** The source systems `claimmap import` reads. */
export type ImportKind = 'keycloak' | 'grafana' | 'vault' | 'argocd' | 'kubernetes';

/** A place in the source configuration: a file position and, for JSON/YAML, a JSON pointer. */
export interface SourceLocation {
  file: string;
  /** 1-based; 0 when unknown. */
  line: number;
  column: number;
  pointer?: string;
}

/**
 * One finding of an import: a construct translated with a caveat (`warning`), translated as-is (`info`), or not
 * translated (`error`, with why). Codes are stable and kebab-case, prefixed `import/`.
 */
export interface ImportNote {
  code: string;
  severity: 'error' | 'warning' | 'info';
  message: string;
  location: SourceLocation;
  hint?: string;
}

/** What the source system would decide for one login, by its own documented rules (cited where implemented). */
export interface OriginalDecision {
  /** The login is refused (Grafana role_attribute_strict, Vault bound_claims, Kubernetes claimValidationRules). */
  refused: boolean;
  /** Why, in the source system's terms, when refused. */
  reason?: string;
  /** The account key the source system would use (Keycloak's brokered user id, Vault's user_claim value, ...). */
  key: string | null;
  /** What the key is derived from, in the source system's terms (`email`, `sub`, `preferred_username`). */
  keySource: string;
  /** Roles (or Grafana org roles, Argo CD roles, Vault policies, Kubernetes groups) it grants, sorted. */
  roles: string[];
}

/** The source system's semantics: a pure function of one login's claims (as the JSON object an IdP sends). */
export interface OriginalSemantics {
  /** Which engine runs: the product's own library (`@jmespath-community/jmespath`) or the documented rules. */
  engine: string;
  decide(claims: { [name: string]: JsonValue }): OriginalDecision;
}

/** The result of one importer on one file. */
export interface ImportResult {
  kind: ImportKind;
  /** The claimmap mapping source, formatted, with comments naming where each rule came from. Empty if none. */
  source: string;
  notes: ImportNote[];
  /** Null when nothing could be translated. */
  semantics: OriginalSemantics | null;
  /** How the imported mapping's role names correspond to the original's (identity when absent). */
  roleNames?: Record<string, string>;
  /**
   * The original's `roles` are what the imported mapping emits as entitlements (Kubernetes groups): the report
   * compares them with the imported roles and entitlements together. Roles only when absent.
   */
  compareEntitlements?: boolean;
}

/** Options every importer takes. */
export interface ImportOptions {
  /** The file name used in locations. */
  file: string;
  /** Which identity provider / connection / role to import when the file holds several. */
  idp?: string;
}

/** An importer: pure (no I/O); throws nothing on any input text (a broken file is an `error` note). */
export type Importer = (text: string, options: ImportOptions) => ImportResult;
