/**
 * What Grafana decides for one login, by its documented rules, running the configured JMESPath with
 * @jmespath-community/jmespath (the library implementing the JMESPath specification Grafana's go-jmespath follows).
 *
 * Rules (Grafana docs, "Configure generic OAuth authentication" → "Configure role mapping"; the same keys in the
 * Azure AD, Okta, Google and GitLab pages):
 * - `role_attribute_path` is evaluated on the login's claims; "the result of the evaluation should be a valid
 *   Grafana role": `None`, `Viewer`, `Editor`, `Admin` or `GrafanaAdmin`, compared as written (case-sensitive).
 *   A result that is not a string, an evaluation error and an empty string all mean no role.
 * - No role or an invalid one: the user gets `auto_assign_org_role` (`[users]`, default `Viewer`); with
 *   `role_attribute_strict = true` "Grafana denies user access if no role or an invalid role is returned".
 * - `GrafanaAdmin` gives the org role `Admin`, and makes the user a Grafana server admin only with
 *   `allow_assign_grafana_admin = true`.
 * - `skip_org_role_sync = true`: the role is not taken from the IdP at all (a new user gets the default role).
 * - `allowed_groups`: the user must be in one of them (groups from `groups_attribute_path`, compared exactly).
 * - `allowed_domains`: the email's domain must be one of them (Grafana compares in lower case).
 * - Azure AD without `role_attribute_path`: the app roles in the `roles` claim, the highest of GrafanaAdmin, Admin,
 *   Editor, Viewer, None; Grafana's connector compares them case-insensitively (`strings.EqualFold`).
 * - Users are looked up by email (then login), not by `sub`: the key reported is the email.
 *
 * `roles` lists the role and the roles below it (Admin: Admin, Editor, Viewer; a server admin also GrafanaAdmin),
 * the same downward-closed set the imported mapping grants, so the two compare as sets.
 */
import { compile, TreeInterpreter } from '@jmespath-community/jmespath';
import type { JsonValue } from '../../model/claim-set.js';
import type { OriginalDecision, OriginalSemantics } from '../types.js';

export interface GrafanaRules {
  connector: string;
  rolePath: string | null;
  strict: boolean;
  defaultRole: string;
  allowGrafanaAdmin: boolean;
  skipOrgRoleSync: boolean;
  groupsPath: string | null;
  allowedGroups: string[];
  allowedDomains: string[];
  emailPath: string | null;
  loginPath: string | null;
}

const ORG_ROLES = ['None', 'Viewer', 'Editor', 'Admin'];

type Search = (data: JsonValue) => JsonValue;

function searcher(expression: string | null): Search | null {
  if (expression === null || expression.trim() === '') return null;
  try {
    const ast = compile(expression);
    return (data) => TreeInterpreter.search(ast, data) as JsonValue;
  } catch {
    return () => null;
  }
}

function tryString(search: Search | null, data: JsonValue): string | null {
  if (!search) return null;
  try {
    const v = search(data);
    return typeof v === 'string' && v !== '' ? v : null;
  } catch {
    return null;
  }
}

/** Org role and the roles it includes, lowest first. */
export function roleClosure(role: string): string[] {
  const r = ORG_ROLES.indexOf(role);
  return r <= 0 ? [] : ORG_ROLES.slice(1, r + 1);
}

export function grafanaSemantics(rules: GrafanaRules): OriginalSemantics {
  const rolePath = searcher(rules.rolePath);
  const groupsPath = searcher(rules.groupsPath);
  const emailPath = searcher(rules.emailPath);
  const loginPath = searcher(rules.loginPath);
  return {
    engine: '@jmespath-community/jmespath with Grafana role mapping rules',
    decide(claims): OriginalDecision {
      const email =
        tryString(emailPath, claims) ?? (typeof claims.email === 'string' && claims.email !== '' ? claims.email : null);
      const login = tryString(loginPath, claims) ?? (typeof claims.login === 'string' ? claims.login : null);
      const key = email ?? login;
      const keySource = email !== null ? 'email' : 'login';
      const refuse = (reason: string): OriginalDecision => ({ refused: true, reason, key, keySource, roles: [] });

      if (rules.allowedDomains.length > 0) {
        const lower = email?.toLowerCase() ?? '';
        if (!rules.allowedDomains.some((d) => lower.endsWith(`@${d.toLowerCase()}`))) {
          return refuse('allowed_domains: the email domain is not allowed');
        }
      }
      if (rules.allowedGroups.length > 0) {
        let groups: JsonValue = null;
        try {
          groups = groupsPath ? groupsPath(claims) : null;
        } catch {
          groups = null;
        }
        const list = Array.isArray(groups) ? groups.filter((g): g is string => typeof g === 'string') : [];
        if (!list.some((g) => rules.allowedGroups.includes(g))) return refuse('allowed_groups: not a member');
      }
      if (rules.skipOrgRoleSync) return { refused: false, key, keySource, roles: roleClosure(rules.defaultRole) };

      let picked: string | null;
      if (rules.rolePath !== null) picked = tryString(rolePath, claims);
      else if (rules.connector === 'azuread') picked = azureAppRole(claims.roles);
      else picked = null;

      let role = picked;
      let serverAdmin = false;
      if (role === 'GrafanaAdmin') {
        role = 'Admin';
        serverAdmin = rules.allowGrafanaAdmin;
      }
      if (role === null || !ORG_ROLES.includes(role)) {
        if (rules.strict) {
          return refuse(
            picked === null
              ? 'role_attribute_strict: no role was returned'
              : `role_attribute_strict: "${picked}" is not a Grafana role`,
          );
        }
        role = rules.defaultRole;
      }
      const roles = roleClosure(role);
      if (serverAdmin) roles.push('GrafanaAdmin');
      return { refused: false, key, keySource, roles: roles.sort() };
    },
  };
}

/** Grafana's Azure AD connector: the highest app role present, compared case-insensitively. */
function azureAppRole(roles: JsonValue | undefined): string | null {
  if (!Array.isArray(roles)) return null;
  const values = roles.filter((r): r is string => typeof r === 'string').map((r) => r.toLowerCase());
  for (const role of ['GrafanaAdmin', 'Admin', 'Editor', 'Viewer', 'None']) {
    if (values.includes(role.toLowerCase())) return role;
  }
  return null;
}
