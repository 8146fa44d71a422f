/**
 * `claimmap import grafana`: one `[auth.*]` section of grafana.ini (or the same keys as `GF_*` environment variables
 * or Helm `grafana.ini:` values) → a claimmap mapping, with the original semantics for `--compare`.
 *
 * Translated: role_attribute_path (the JMESPath subset in role-path.ts), role_attribute_strict (a `require`),
 * auto_assign_org_role (the default grant), allow_assign_grafana_admin (the GrafanaAdmin role), groups_attribute_path
 * with allowed_groups (a `require`), allowed_domains (a `require` on the email, noted), org_mapping (entitlements
 * `grafana-org:<org>:<role>`), Azure AD app roles and allowed_organizations, Google hosted_domain.
 * Noted: the email/login keying (the import keys on `sub`), skip_org_role_sync (no role is imported), the issuer
 * (Grafana has none: derived from auth_url), every other key.
 */
import { compile } from '../../compile/compile.js';
import type { ImportNote, ImportOptions, ImportResult, Importer, SourceLocation } from '../types.js';
import { ClaimTable, type Cond, or, printCond, quote } from '../condition.js';
import { oneLine, verifyMapping } from '../emit.js';
import { failedImport, guardImporter } from '../failure.js';
import { note } from '../notes.js';
import { type GrafanaConfig, type GrafanaSetting, readGrafanaConfig } from './config.js';
import { type Alternative, alternatives, parseRolePath, roleRules, Unsupported } from './role-path.js';
import { grafanaSemantics } from './semantics.js';

const CONNECTORS = ['generic_oauth', 'azuread', 'okta', 'google', 'gitlab'] as const;

/** Keys that configure the OAuth client or the login page, not who gets which role. */
const CLIENT_KEYS = new Set([
  'enabled',
  'name',
  'icon',
  'client_id',
  'client_secret',
  'client_authentication',
  'scopes',
  'empty_scopes',
  'auth_url',
  'token_url',
  'api_url',
  'signout_redirect_url',
  'allow_sign_up',
  'auto_login',
  'use_pkce',
  'use_refresh_token',
  'tls_skip_verify_insecure',
  'tls_client_cert',
  'tls_client_key',
  'tls_client_ca',
  'team_ids',
  'team_ids_attribute_path',
  'teams_url',
  'id_token_attribute_name',
  'name_attribute_path',
  'auth_style',
  'token_url_params',
  'force_use_graph_api',
  'workload_identity_token_file',
  'managed_identity_client_id',
  'federated_credential_audience',
  'org_attribute_path',
  'allowed_groups_attribute_path',
]);

export const importer: Importer = guardImporter('grafana', 'Grafana', importGrafana);

/** Where in the file a character of a setting's value is. */
function inValue(setting: GrafanaSetting, offset: number): SourceLocation {
  if (setting.valueColumn === 0 || setting.value.includes('\n')) return setting.location;
  return { ...setting.location, column: setting.valueColumn + offset };
}

function where(s: GrafanaSetting): string {
  return `line ${s.location.line}`;
}

function pickSection(config: GrafanaConfig, options: ImportOptions, notes: ImportNote[]): string | null {
  const present = CONNECTORS.filter((c) => config.sections.has(`auth.${c}`));
  const file = { file: options.file, line: 0, column: 0 };
  if (options.idp !== undefined) {
    const wanted = options.idp.replace(/^auth\./, '');
    if (present.includes(wanted as (typeof CONNECTORS)[number])) return `auth.${wanted}`;
    notes.push(
      note(
        'import/no-idp',
        `There is no [auth.${wanted}] section; the file has ${present.length === 0 ? 'none' : present.map((p) => `[auth.${p}]`).join(', ')}.`,
        file,
      ),
    );
    return null;
  }
  if (present.length === 0) {
    notes.push(
      note(
        'import/no-idp',
        'There is no [auth.generic_oauth], [auth.azuread], [auth.okta], [auth.google] or [auth.gitlab] section.',
        file,
      ),
    );
    return null;
  }
  const enabled = present.filter((c) => config.sections.get(`auth.${c}`)?.get('enabled')?.value === 'true');
  const candidates = present.length === 1 ? present : enabled;
  if (candidates.length !== 1) {
    notes.push(
      note(
        'import/choose-idp',
        `The file configures ${present.map((o) => `[auth.${o}]`).join(', ')}${enabled.length > 1 ? ', several enabled' : ', none enabled'}: name one with --idp.`,
        file,
        { hint: `claimmap import grafana FILE --idp ${present[0]}` },
      ),
    );
    return null;
  }
  const chosen = candidates[0] as string;
  const others = present.filter((c) => c !== chosen);
  if (others.length > 0) {
    notes.push(
      note(
        'import/disabled',
        `Imported the enabled [auth.${chosen}]; ${others.map((o) => `[auth.${o}]`).join(', ')} ${others.length === 1 ? 'is' : 'are'} not enabled.`,
        config.sectionLocations.get(`auth.${chosen}`) ?? file,
      ),
    );
  }
  return `auth.${chosen}`;
}

/** Grafana has no issuer setting: the issuer is derived from the authorization URL (and said so). */
function issuerOf(connector: string, keys: Map<string, GrafanaSetting>): { issuer: string; how: string } | null {
  const authUrl = keys.get('auth_url')?.value ?? '';
  if (connector === 'google') return { issuer: 'https://accounts.google.com', how: 'Google' };
  if (connector === 'gitlab') {
    const origin = safeOrigin(authUrl) ?? 'https://gitlab.com';
    return { issuer: origin, how: 'the GitLab URL' };
  }
  const url = safeUrl(authUrl);
  if (!url) return null;
  if (connector === 'azuread' || url.hostname === 'login.microsoftonline.com') {
    const tenant = url.pathname.split('/').filter((s) => s !== '')[0];
    if (tenant) return { issuer: `https://login.microsoftonline.com/${tenant}/v2.0`, how: 'the tenant in auth_url' };
  }
  const keycloak = /^(.*\/realms\/[^/]+)\/protocol\/openid-connect\//.exec(url.href);
  if (keycloak?.[1]) return { issuer: keycloak[1], how: 'the Keycloak realm in auth_url' };
  const okta = /^(.*?)(\/oauth2\/(?!v1\/)[^/]+)?\/(oauth2\/)?v1\/authorize/.exec(url.href);
  if (okta?.[1]) return { issuer: `${okta[1]}${okta[2] ?? ''}`, how: 'the authorization server in auth_url' };
  return { issuer: url.origin, how: 'the origin of auth_url' };
}

function safeUrl(text: string): URL | null {
  try {
    return new URL(text);
  } catch {
    return null;
  }
}

function safeOrigin(text: string): string | null {
  return safeUrl(text)?.origin ?? null;
}

function list(value: string): string[] {
  return value
    .split(/[\s,]+/)
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

function importGrafana(text: string, options: ImportOptions): ImportResult {
  const { config, notes } = readGrafanaConfig(text, options.file);
  const empty = failedImport('grafana', notes);
  if (!config) return empty;
  const section = pickSection(config, options, notes);
  if (!section) return empty;
  const connector = section.slice('auth.'.length);
  const keys = config.sections.get(section) as Map<string, GrafanaSetting>;
  const sectionAt = config.sectionLocations.get(section) ?? { file: options.file, line: 0, column: 0 };
  const get = (k: string): GrafanaSetting | undefined => keys.get(k);
  const flag = (k: string): boolean => get(k)?.value.trim().toLowerCase() === 'true';
  const claims = new ClaimTable();
  const requires: { cond: Cond; comment: string }[] = [];
  const roleLines: string[] = [];
  const entitlementLines: string[] = [];
  const handled = new Set<string>();
  const use = (k: string): GrafanaSetting | undefined => {
    handled.add(k);
    return get(k);
  };

  // The issuer.
  const derived = issuerOf(connector, keys);
  handled.add('auth_url');
  const issuer = derived?.issuer ?? 'https://issuer.invalid';
  notes.push(
    derived
      ? note(
          'import/issuer-derived',
          `Grafana does not check the token issuer; the mapping accepts ${derived.issuer}, derived from ${derived.how}.`,
          get('auth_url')?.location ?? sectionAt,
          { hint: 'Check it against the iss claim of a real token.' },
        )
      : note(
          'import/issuer-missing',
          'No issuer can be derived (no auth_url): the mapping names https://issuer.invalid, which accepts no login.',
          sectionAt,
          { hint: 'Replace the idp line with your IdP issuer.', severity: 'error' },
        ),
  );

  // The key: Grafana finds users by email, then login.
  const emailSetting = use('email_attribute_path') ?? use('email_attribute_name');
  const loginSetting = use('login_attribute_path');
  notes.push(
    note(
      'import/keyed-on-email',
      `Grafana looks users up by email${emailSetting ? ` (${emailSetting === get('email_attribute_path') ? 'email_attribute_path' : 'email_attribute_name'})` : ''}${loginSetting ? ' and by login (login_attribute_path)' : ''}: whoever gets an address (a rename, a recycled mailbox, an IdP that lets users edit it) gets that Grafana account. The import keys accounts on sub.`,
      emailSetting?.location ?? loginSetting?.location ?? sectionAt,
      {
        hint: 'Existing Grafana users must be linked to their sub once (the migration guide shows how); never key on email.',
      },
    ),
  );

  // Groups: the claim allowed_groups and org_mapping read.
  const groupsSetting = use('groups_attribute_path');
  let groupsClaim: string | null = null;
  let groupsPathText: string | null = null;
  if (groupsSetting) {
    try {
      const node = parseRolePath(groupsSetting.value);
      if (node.k !== 'path') throw new Unsupported(0, 'groups_attribute_path must be a claim path like groups[*]');
      groupsClaim = claims.use(node.segs, 'set<string>', {
        required: false,
        comment: `groups_attribute_path, ${where(groupsSetting)}`,
      });
      groupsPathText = groupsSetting.value;
    } catch (e) {
      if (!(e instanceof Unsupported)) throw e;
      notes.push(note('import/untranslated', `groups_attribute_path: ${e.message}.`, inValue(groupsSetting, e.offset)));
    }
  } else if (connector === 'azuread' || connector === 'okta' || connector === 'gitlab') {
    groupsClaim = claims.use(['groups'], 'set<string>', { required: false });
    groupsPathText = 'groups';
  }

  const allowedGroups = use('allowed_groups');
  const allowedGroupList = allowedGroups ? list(allowedGroups.value) : [];
  if (allowedGroups && allowedGroupList.length > 0) {
    if (groupsClaim === null) {
      notes.push(
        note(
          'import/untranslated',
          'allowed_groups needs groups_attribute_path, which is missing or not translated: no login gate is imported.',
          allowedGroups.location,
        ),
      );
    } else {
      const g = groupsClaim;
      requires.push({
        cond: or(...allowedGroupList.map((v) => ({ t: 'in', value: v, claim: g }) as Cond)),
        comment: `allowed_groups, ${where(allowedGroups)}`,
      });
    }
  }

  const allowedDomains = use('allowed_domains');
  const domainList = allowedDomains ? list(allowedDomains.value) : [];
  if (allowedDomains && domainList.length > 0) {
    const email = claims.use(['email'], 'email', { required: false, normalize: ['lower'] });
    requires.push({
      cond: or(
        ...domainList.map((d) => ({ t: 'affix', op: 'ends_with', value: `@${d.toLowerCase()}`, claim: email }) as Cond),
      ),
      comment: `allowed_domains, ${where(allowedDomains)}`,
    });
    notes.push(
      note(
        'import/gate',
        'allowed_domains admits anyone whose email has one of these domains: an IdP that lets users set their email (or shares one issuer between companies) admits outsiders.',
        allowedDomains.location,
        { hint: 'Gate on an IdP-controlled claim instead (Google hd, Entra tid, a group).', severity: 'warning' },
      ),
    );
  }

  const hostedDomain = use('hosted_domain');
  if (hostedDomain && hostedDomain.value.trim() !== '') {
    const hd = claims.use(['hd'], 'string', { required: false });
    requires.push({
      cond: { t: 'cmp', op: '==', claim: hd, value: hostedDomain.value.trim() },
      comment: `hosted_domain, ${where(hostedDomain)}`,
    });
  }
  const allowedOrgs = use('allowed_organizations');
  if (allowedOrgs && list(allowedOrgs.value).length > 0) {
    if (connector === 'azuread') {
      const tid = claims.use(['tid'], 'string', { required: false });
      requires.push({
        cond: { t: 'one-of', claim: tid, values: list(allowedOrgs.value) },
        comment: `allowed_organizations, ${where(allowedOrgs)}`,
      });
    } else {
      notes.push(
        note(
          'import/untranslated',
          `allowed_organizations of [${section}] is checked against the provider's API, which claims do not carry.`,
          allowedOrgs.location,
        ),
      );
    }
  }

  // Roles.
  const usersDefault = config.sections.get('users')?.get('auto_assign_org_role');
  const defaultRole = usersDefault?.value.trim() || 'Viewer';
  const strictSetting = use('role_attribute_strict');
  const strict = flag('role_attribute_strict');
  const grafanaAdmin = flag('allow_assign_grafana_admin');
  use('allow_assign_grafana_admin');
  const skipSetting = use('skip_org_role_sync');
  const skip = flag('skip_org_role_sync');
  const pathSetting = use('role_attribute_path');
  let rolesTranslated = false;
  const privileged: string[] = [];

  if (skip) {
    notes.push(
      note(
        'import/untranslated',
        'skip_org_role_sync: Grafana takes no role from the IdP (roles are managed in Grafana), so no role is imported; a new user gets the default role.',
        (skipSetting as GrafanaSetting).location,
        { severity: 'warning' },
      ),
    );
    roleLines.push(
      `    // skip_org_role_sync, ${where(skipSetting as GrafanaSetting)}: new users get ${defaultRole}, roles are managed in Grafana`,
    );
    roleLines.push(`    grant ${defaultRole}`);
    rolesTranslated = true;
  } else {
    let alts: Alternative[] | null = null;
    let origin = '';
    if (pathSetting && pathSetting.value.trim() !== '') {
      try {
        alts = alternatives(parseRolePath(pathSetting.value), claims);
        origin = `role_attribute_path, ${where(pathSetting)}`;
        for (const a of alts) {
          const picked = a.pick.kind === 'literal' ? a.pick.role : null;
          if (picked !== null && !['None', 'Viewer', 'Editor', 'Admin', 'GrafanaAdmin'].includes(picked)) {
            const fix = ['None', 'Viewer', 'Editor', 'Admin', 'GrafanaAdmin'].find(
              (r) => r.toLowerCase() === picked.toLowerCase(),
            );
            notes.push(
              note(
                'import/invalid-role',
                `'${picked}' is not a Grafana role (None, Viewer, Editor, Admin, GrafanaAdmin, case-sensitive): Grafana ${strict ? 'refuses the login' : `gives ${defaultRole}`} when it is picked, and so does the import.`,
                inValue(pathSetting, a.offset),
                { hint: fix ? `Write '${fix}'.` : undefined },
              ),
            );
          }
        }
      } catch (e) {
        if (!(e instanceof Unsupported)) throw e;
        notes.push(
          note(
            'import/untranslated',
            `role_attribute_path: ${e.message} (offset ${e.offset}); only the default role is imported.`,
            inValue(pathSetting, e.offset),
            { hint: "Rewrite it as contains(...) && 'Role' || ... chains, or write the grants by hand." },
          ),
        );
        alts = [];
        origin = `the default role (role_attribute_path, ${where(pathSetting)}, is not translated)`;
      }
    } else if (connector === 'azuread') {
      const roles = claims.use(['roles'], 'set<string>', {
        required: false,
        absentEmpty: true,
        comment: 'Entra ID app roles',
      });
      alts = ['GrafanaAdmin', 'Admin', 'Editor', 'Viewer', 'None'].map((r) => ({
        cond: { t: 'in', value: r, claim: roles } as Cond,
        pick: { kind: 'literal', role: r },
        offset: 0,
      }));
      origin = 'Azure AD app roles in the roles claim (no role_attribute_path)';
      notes.push(
        note(
          'import/case-insensitive',
          'Grafana matches Azure AD app role values case-insensitively (admin, ADMIN); the import matches them exactly.',
          sectionAt,
        ),
      );
    } else {
      origin = `no role_attribute_path in [${section}]`;
      alts = [];
    }
    if (alts !== null) {
      const rules = roleRules(alts, strict ? null : defaultRole, grafanaAdmin);
      for (const g of rules.grants) {
        if (g.role === 'Admin' || g.role === 'GrafanaAdmin') privileged.push(g.role);
        roleLines.push(`    grant ${g.role}${g.when.t === 'const' ? '' : ` when ${printCond(g.when)}`}  // ${origin}`);
      }
      if (rules.require) {
        if (rules.require.t === 'const' && !rules.require.value) {
          notes.push(
            note(
              'import/untranslated',
              'role_attribute_strict with no role that can be picked: Grafana refuses every login.',
              (strictSetting as GrafanaSetting).location,
            ),
          );
        }
        requires.push({
          cond: rules.require,
          comment: `role_attribute_strict, ${where(strictSetting as GrafanaSetting)}: refused unless a valid role is picked`,
        });
      }
      rolesTranslated = true;
    }
  }

  // org_mapping → entitlements.
  const orgMapping = use('org_mapping');
  if (orgMapping && orgMapping.value.trim() !== '') {
    for (const entry of list(orgMapping.value)) {
      const m = /^(.+):([^:]+):([^:]+)$/.exec(entry);
      if (!m || groupsClaim === null) {
        notes.push(
          note(
            'import/untranslated',
            m
              ? `org_mapping needs groups_attribute_path: '${entry}' is not imported.`
              : `org_mapping entry '${entry}' is not group:org:role.`,
            orgMapping.location,
          ),
        );
        continue;
      }
      const [, group, org, role] = m as unknown as [string, string, string, string];
      const cond: Cond = group === '*' ? { t: 'const', value: true } : { t: 'in', value: group, claim: groupsClaim };
      entitlementLines.push(
        `    grant ${quote(`grafana-org:${org}:${role}`)}${cond.t === 'const' ? '' : ` when ${printCond(cond)}`}  // org_mapping, ${where(orgMapping)}`,
      );
    }
    notes.push(
      note(
        'import/as-entitlement',
        'org_mapping becomes entitlements grafana-org:<org>:<role>; your app applies them per organisation (the differential report compares the default organisation role only).',
        orgMapping.location,
      ),
    );
  }

  // Every other key: client configuration (info) or not understood (warning).
  const clientKeys: string[] = [];
  for (const [k, s] of keys) {
    if (handled.has(k)) continue;
    if (CLIENT_KEYS.has(k)) clientKeys.push(k);
    else
      notes.push(
        note('import/unknown-construct', `${k} is not a setting the import knows; it is not translated.`, s.location, {
          severity: 'warning',
        }),
      );
  }
  if (clientKeys.length > 0) {
    notes.push(
      note('import/ignored', `${clientKeys.join(', ')} configure the OAuth client, not the mapping.`, sectionAt),
    );
  }
  if (usersDefault) {
    notes.push(
      note('import/hardcoded', `auto_assign_org_role = ${defaultRole} is the default role.`, usersDefault.location),
    );
  }

  // The mapping text.
  const emailForProfile = claims.declarations.find((d) => d.source.length === 1 && d.source[0] === 'email');
  const lines: string[] = [];
  lines.push(oneLine(`// Imported by claimmap import grafana from ${options.file}, [${section}] (${config.format}).`));
  lines.push(`mapping ${quote(`grafana-${connector.replace(/_/g, '-')}`)} {`);
  lines.push(`  idp oidc ${quote(issuer)}`);
  lines.push('  key sub  // Grafana keyed on email: see the import notes');
  for (const r of requires) {
    if (r.cond.t === 'const') continue;
    lines.push(`  require ${printCond(r.cond)}  // ${oneLine(r.comment)}`);
  }
  lines.push('');
  if (claims.declarations.length > 0) {
    lines.push(...claims.print('  '));
    lines.push('');
  }
  if (emailForProfile) {
    lines.push('  profile {', `    email = ${emailForProfile.name} sync always`, '  }', '');
  }
  if (rolesTranslated && roleLines.length > 0) {
    lines.push('  roles replace {');
    if (privileged.length > 0) lines.push(`    privileged ${privileged.join(', ')}`);
    lines.push(...roleLines);
    lines.push('  }');
  }
  if (entitlementLines.length > 0) {
    lines.push('', '  entitlements replace {', ...entitlementLines, '  }');
  }
  lines.push('}');

  // A privileged role the chain gives on a negated or otherwise inexact path (`... && 'None' || 'Admin'`: Admin for
  // everyone not in a group) is what Grafana did: keep it, marked unsafe with why, so lint and every decision say so.
  const inexact = new Set(
    compile(`${lines.join('\n')}\n`)
      .diagnostics.filter((d) => d.code.startsWith('privileged/') && d.severity === 'error')
      .map((d) => d.range.start.line - 1),
  );
  for (const i of inexact) {
    const line = lines[i] as string;
    const cut = line.lastIndexOf('  // ');
    lines[i] =
      `${line.slice(0, cut)} unsafe ${quote('imported from Grafana: role_attribute_path gives this role on an inexact path')}${line.slice(cut)}`;
    notes.push(
      note(
        'import/grants-on-missing-claim',
        `role_attribute_path gives ${/grant (\S+)/.exec(line)?.[1] ?? 'a privileged role'} on a path with no exact test (a negation: everyone outside a group); translated as is and marked unsafe.`,
        pathSetting?.location ?? sectionAt,
        { hint: 'Order the chain highest role first, with a positive test for each privileged role.' },
      ),
    );
  }
  const emitted = verifyMapping(`${lines.join('\n')}\n`, { file: options.file });
  return {
    kind: 'grafana',
    source: emitted.source,
    notes: [...notes, ...emitted.notes],
    semantics: grafanaSemantics({
      connector,
      rolePath: pathSetting?.value ?? null,
      strict,
      defaultRole,
      allowGrafanaAdmin: grafanaAdmin,
      skipOrgRoleSync: skip,
      groupsPath: groupsPathText,
      allowedGroups: allowedGroupList,
      allowedDomains: domainList,
      emailPath: get('email_attribute_path')?.value ?? null,
      loginPath: loginSetting?.value ?? null,
    }),
  };
}
