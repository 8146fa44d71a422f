import type { CommandEntry } from '../command.js';

/**
 * Every CLI command, in the order `claimmap --help` lists them. Only the name and the one-line summary live here;
 * the command itself (its help text, its options and everything it imports: the parser, the checker, ajv, the
 * stores...) is loaded by `load()` when that command runs, so `claimmap --version` and `claimmap --help` load no
 * command module. A test checks that each summary equals the loaded command's.
 */
export const COMMANDS: readonly CommandEntry[] = [
  {
    name: 'lint',
    summary: 'check mapping files (file:line:col diagnostics; for pre-commit and CI)',
    load: async () => (await import('./lint.js')).command,
  },
  {
    name: 'fmt',
    summary: 'format mapping files canonically, keeping every comment (--check for CI, --write to rewrite)',
    load: async () => (await import('./fmt.js')).command,
  },
  {
    name: 'compile',
    summary: 'compile a mapping to a JSON plan the runtime loads without the parser',
    load: async () => (await import('./compile.js')).command,
  },
  {
    name: 'eval',
    summary: 'evaluate a mapping against one claim set and print the decision',
    load: async () => (await import('./eval.js')).command,
  },
  {
    name: 'explain',
    summary: 'explain, role by role, which claim conditions grant or deny it',
    load: async () => (await import('./explain.js')).command,
  },
  {
    name: 'claims',
    summary: 'read SAML XML/base64, a JWT or OIDC JSON and print the claim set (no signature check)',
    load: async () => (await import('./claims.js')).command,
  },
  {
    name: 'login',
    summary: 'provision one login (JIT create, update or refuse) through a store, and print the diff',
    load: async () => (await import('./login.js')).command,
  },
  {
    name: 'accounts',
    summary: 'list, show, find or sweep dormant, suspend or deprovision accounts; grant or revoke manual grants',
    load: async () => (await import('./accounts.js')).command,
  },
  {
    name: 'audit',
    summary: 'show the audit trail of logins, refusals, conflicts and lifecycle changes',
    load: async () => (await import('./audit.js')).command,
  },
  {
    name: 'scim',
    summary: 'create, revoke or list the bearer tokens of the SCIM endpoint (one per IdP connection)',
    load: async () => (await import('./scim.js')).command,
  },
  {
    name: 'serve',
    summary: 'serve the SCIM 2.0 endpoint (users, groups, deactivation) over a store and a mapping',
    load: async () => (await import('./serve.js')).command,
  },
  {
    name: 'simulate',
    summary: 'mutate sample logins and report escalations, losses and duplicate accounts',
    load: async () => (await import('./simulate.js')).command,
  },
  {
    name: 'test',
    summary: 'run scenario files: expected action, roles and profile for given claims',
    load: async () => (await import('./test.js')).command,
  },
  {
    name: 'import',
    summary:
      'translate a Keycloak, Grafana, Vault, Argo CD or Kubernetes mapping into claimmap, with a differential report',
    load: async () => (await import('./import.js')).command,
  },
  {
    name: 'plan',
    summary: 'preview a mapping change on real accounts (or samples), or list drifted grants',
    load: async () => (await import('./plan.js')).command,
  },
  {
    name: 'lsp',
    summary: 'run the language server over stdio (diagnostics, formatting, hover, completion, rename...)',
    load: async () => (await import('./lsp.js')).command,
  },
];
