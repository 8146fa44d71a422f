import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fromVerifiedClaims } from '../../src/claims/oidc/read-oidc.js';
import { compile } from '../../src/compile/compile.js';
import { evaluate } from '../../src/evaluate/index.js';
import { compareImport, renderCompareJson, renderCompareMarkdown } from '../../src/import/compare.js';
import { importer } from '../../src/import/grafana/index.js';
import { grafanaSemantics, type GrafanaRules } from '../../src/import/grafana/semantics.js';
import { formatNote, sortNotes } from '../../src/import/notes.js';
import { loadSamples } from '../../src/simulate/load-samples.js';

const FIXTURES = ['keycloak-generic.grafana.ini', 'okta.env', 'azuread.values.yaml'];
const read = (f: string): string => readFileSync(`test/import/fixtures/grafana/${f}`, 'utf8');

describe.each(FIXTURES)('grafana import of %s', (f) => {
  const r = importer(read(f), { file: f });
  it('writes the golden mapping and notes', async () => {
    await expect(r.source).toMatchFileSnapshot(`golden/grafana.${f}.claimmap`);
    await expect(sortNotes(r.notes).map(formatNote).join('')).toMatchFileSnapshot(`golden/grafana.${f}.notes.txt`);
  });
  it('compiles, with no import/internal note', () => {
    expect(compile(r.source).plan).not.toBeNull();
    expect(r.notes.filter((n) => n.code === 'import/internal')).toEqual([]);
  });
  it('drops no key of the imported section: each is named in the mapping or in a note', () => {
    const section = r.source.match(/\[(auth\.[a-z_]+)\]/)?.[1] as string;
    const keys = [...read(f).matchAll(/^\s*(?:GF_AUTH_[A-Z]+_)?([A-Za-z_]+)\s*[=:]/gm)].map((m) =>
      (m[1] as string).toLowerCase(),
    );
    expect(section).toBeDefined();
    for (const k of keys) {
      if (['server', 'root_url', 'replicas', 'auth', 'users'].includes(k) || k.startsWith('gf_server')) continue;
      const named = r.source.includes(k) || r.notes.some((n) => n.message.includes(k));
      const translatedSilently = [
        'role_attribute_strict',
        'allow_assign_grafana_admin',
        'skip_org_role_sync',
        'auto_assign_org_role',
      ];
      expect(named || translatedSilently.includes(k), k).toBe(true);
    }
  });
});

describe('grafana role_attribute_path translation', () => {
  it('keys on sub and says loudly that Grafana keyed on email, at email_attribute_path', () => {
    const r = importer(read(FIXTURES[0] as string), { file: 'g.ini' });
    expect(r.source).toContain('key sub');
    expect(r.notes.find((n) => n.code === 'import/keyed-on-email')).toMatchObject({
      severity: 'error',
      location: { line: 18 },
    });
  });
  it('reports a construct outside the subset at its column in the file', () => {
    const r = importer(read('azuread.values.yaml'), { file: 'v.yaml' });
    const n = r.notes.find((x) => x.code === 'import/untranslated' && x.message.includes('role_attribute_path'));
    // role_attribute_path: "contains(groups[*] && groups[?@ ..." : the value starts at column 27 (after the quote).
    expect(n?.location).toMatchObject({ line: 17, column: 27 + 28 });
    expect(n?.message).toContain("'[?'");
  });
  it.each([
    ["length(groups) > `1` && 'Admin'", 'function length()'],
    ["groups[0] == 'a' && 'Admin'", "'['"],
    ["a | b && 'Admin'", "'|'"],
    ["contains(groups, 'x') && `true`", 'literal true'],
    ["contains(groups, 'x')", 'a test where a role name is expected'],
  ])('refuses %s', (expr, what) => {
    const r = importer(
      `[auth.generic_oauth]\nauth_url = https://id.example.com/authorize\nrole_attribute_path = ${expr}\n`,
      { file: 'x.ini' },
    );
    const n = r.notes.find((x) => x.code === 'import/untranslated');
    expect(n?.message).toContain(what);
    expect(n?.location.line).toBe(3);
  });
  it('the same keys as GF_* variables and as Helm values give the same grants', () => {
    const expr = "contains(groups[*], 'admins') && 'Admin' || contains(groups[*], 'eds') && 'Editor' || 'Viewer'";
    const ini = importer(
      `[auth.generic_oauth]\nauth_url = https://id.example.com/authorize\nrole_attribute_path = ${expr}\n`,
      { file: 'a' },
    );
    const env = importer(
      `GF_AUTH_GENERIC_OAUTH_AUTH_URL=https://id.example.com/authorize\nGF_AUTH_GENERIC_OAUTH_ROLE_ATTRIBUTE_PATH="${expr}"\n`,
      { file: 'b' },
    );
    const helm = importer(
      `grafana.ini:\n  auth.generic_oauth:\n    auth_url: https://id.example.com/authorize\n    role_attribute_path: "${expr}"\n`,
      { file: 'c' },
    );
    const grants = (s: string) =>
      s
        .split('\n')
        .filter((l) => l.includes('grant'))
        .map((l) => l.replace(/\s+\/\/.*$/, '').trim());
    expect(grants(ini.source)).toEqual([
      'grant Viewer',
      'grant Editor when "admins" in groups or "eds" in groups',
      'grant Admin when "admins" in groups',
    ]);
    expect(grants(env.source)).toEqual(grants(ini.source));
    expect(grants(helm.source)).toEqual(grants(ini.source));
  });

  // The property the translation is built on: the highest role the mapping grants is the role Grafana's chain picks.
  const order = ['None', 'Viewer', 'Editor', 'Admin', 'GrafanaAdmin'];
  const highest = (roles: readonly string[]): string =>
    roles.reduce((a, r) => (order.indexOf(r) > order.indexOf(a) ? r : a), 'None');
  const role = fc.constantFrom('None', 'Viewer', 'Editor', 'Admin', 'GrafanaAdmin', 'admin');
  const group = fc.constantFrom('a', 'b', 'c');
  it('grants a downward-closed set whose highest role is the one the chain picks, in any order of alternatives', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(group, role), { minLength: 1, maxLength: 4 }),
        fc.option(role, { nil: undefined }),
        fc.subarray(['a', 'b', 'c']),
        fc.boolean(),
        (chain, last, groups, strict) => {
          const expr = [
            ...chain.map(([g, r]) => `contains(groups[*], '${g}') && '${r}'`),
            ...(last ? [`'${last}'`] : []),
          ].join(' || ');
          const text = `[auth.generic_oauth]\nauth_url = https://id.example.com/authorize\nallow_assign_grafana_admin = true\nrole_attribute_strict = ${strict}\nrole_attribute_path = ${expr}\n`;
          const r = importer(text, { file: 'p.ini' });
          // Strict with no valid role anywhere: Grafana refuses everyone; claimmap has no always-false gate, so the
          // import says so with an error note (tested below) instead of writing one.
          fc.pre(!r.notes.some((n) => n.message.includes('refuses every login')));
          const plan = compile(r.source).plan;
          expect(plan, r.source).not.toBeNull();
          const claims = { iss: 'https://id.example.com', sub: 's-1', groups };
          const original = r.semantics?.decide(claims);
          const d = evaluate(plan as NonNullable<typeof plan>, fromVerifiedClaims(claims));
          expect(d.outcome === 'refuse', r.source).toBe(original?.refused);
          if (original?.refused) return;
          expect([...d.roles].sort(), r.source).toEqual(original?.roles);
          expect(highest(d.roles)).toBe(highest(original?.roles ?? []));
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('grafana strict with no valid role', () => {
  it('says that Grafana refuses every login', () => {
    const r = importer(
      "[auth.generic_oauth]\nauth_url = https://id.example.com/a\nrole_attribute_strict = true\nrole_attribute_path = 'admin'\n",
      { file: 's.ini' },
    );
    expect(r.notes.find((n) => n.message.includes('refuses every login'))).toMatchObject({
      severity: 'error',
      location: { line: 3 },
    });
  });
});

describe("Grafana's semantics (documented role mapping rules)", () => {
  const rules = (over: Partial<GrafanaRules>): GrafanaRules => ({
    connector: 'generic_oauth',
    rolePath: "contains(groups[*], 'admins') && 'Admin' || 'Viewer'",
    strict: false,
    defaultRole: 'Viewer',
    allowGrafanaAdmin: false,
    skipOrgRoleSync: false,
    groupsPath: null,
    allowedGroups: [],
    allowedDomains: [],
    emailPath: null,
    loginPath: null,
    ...over,
  });
  const decide = (over: Partial<GrafanaRules>, claims: Record<string, unknown>) =>
    grafanaSemantics(rules(over)).decide(claims as never);
  it('picks the first alternative whose condition holds; Admin includes Editor and Viewer', () => {
    expect(decide({}, { groups: ['admins'], email: 'a@x.io' })).toMatchObject({
      refused: false,
      roles: ['Admin', 'Editor', 'Viewer'],
      key: 'a@x.io',
      keySource: 'email',
    });
    expect(decide({}, { groups: [] }).roles).toEqual(['Viewer']);
  });
  it('an invalid role (role names are case-sensitive) gives auto_assign_org_role, or refuses when strict', () => {
    expect(decide({ rolePath: "'admin'" }, {}).roles).toEqual(['Viewer']);
    expect(decide({ rolePath: "'admin'", defaultRole: 'Editor' }, {}).roles).toEqual(['Editor', 'Viewer']);
    expect(decide({ rolePath: "'admin'", strict: true }, {})).toMatchObject({ refused: true });
  });
  it('no role (an evaluation error on a missing claim, a non-string, an empty string) is the default, or refused when strict', () => {
    expect(decide({ rolePath: "contains(groups[*], 'admins') && 'Admin'" }, {}).roles).toEqual(['Viewer']);
    expect(decide({ rolePath: 'groups', strict: true }, { groups: ['x'] }).refused).toBe(true);
    expect(decide({ rolePath: 'role', strict: true }, { role: '' }).refused).toBe(true);
  });
  it('GrafanaAdmin is Admin, and server admin only with allow_assign_grafana_admin', () => {
    expect(decide({ rolePath: "'GrafanaAdmin'" }, {}).roles).toEqual(['Admin', 'Editor', 'Viewer']);
    expect(decide({ rolePath: "'GrafanaAdmin'", allowGrafanaAdmin: true }, {}).roles).toEqual([
      'Admin',
      'Editor',
      'GrafanaAdmin',
      'Viewer',
    ]);
  });
  it('None is a valid role with no permissions', () => {
    expect(decide({ rolePath: "'None'", strict: true }, {})).toMatchObject({ refused: false, roles: [] });
  });
  it('allowed_groups and allowed_domains gate the login (domains compared in lower case)', () => {
    expect(decide({ groupsPath: 'groups', allowedGroups: ['staff'] }, { groups: ['x'] }).refused).toBe(true);
    expect(decide({ groupsPath: 'groups', allowedGroups: ['staff'] }, { groups: ['staff'] }).refused).toBe(false);
    expect(decide({ allowedDomains: ['example.com'] }, { email: 'A@EXAMPLE.COM' }).refused).toBe(false);
    expect(decide({ allowedDomains: ['example.com'] }, { email: 'a@example.com.evil.io' }).refused).toBe(true);
  });
  it('Azure AD app roles without role_attribute_path: the highest, compared case-insensitively', () => {
    expect(decide({ connector: 'azuread', rolePath: null }, { roles: ['viewer', 'EDITOR'] }).roles).toEqual([
      'Editor',
      'Viewer',
    ]);
  });
});

describe('grafana differential report', () => {
  const f = FIXTURES[0] as string;
  const r = importer(read(f), { file: f });
  const report = compareImport(r, loadSamples(['test/import/samples/grafana'], process.cwd()));
  it('matches the golden reports and never grants more than Grafana', async () => {
    if (typeof report === 'string') throw new Error(report);
    await expect(renderCompareMarkdown(report)).toMatchFileSnapshot('golden/grafana.keycloak-generic.report.md');
    await expect(renderCompareJson(report)).toMatchFileSnapshot('golden/grafana.keycloak-generic.report.json');
    expect(report.counts['imported-grants-more']).toBe(0);
    expect(report.counts['original-keyed-on-email']).toBeGreaterThan(0);
  });
});

describe('grafana import never throws', () => {
  it.each([
    '',
    '[',
    '=',
    'GF_AUTH_OKTA_ROLE_ATTRIBUTE_PATH=',
    'grafana.ini: 3',
    '[auth.generic_oauth]\nrole_attribute_path = (((',
  ])('%j', (bad) => {
    const r = importer(bad, { file: 'bad' });
    expect(r.notes.some((n) => n.code === 'import/internal')).toBe(false);
  });
});

describe('grafana section keys beyond role_attribute_path', () => {
  const run = (body: string, section = 'generic_oauth') =>
    importer(`[auth.${section}]\nauth_url = https://id.example.com/authorize\n${body}\n`, { file: 'k.ini' });
  it('skip_org_role_sync imports no role from the IdP, only the default, and says so', () => {
    const r = run("skip_org_role_sync = true\nrole_attribute_path = 'Admin'");
    expect(r.source).not.toContain('Admin');
    expect(r.source).toMatch(/grant Viewer/);
    expect(r.notes.find((n) => n.message.startsWith('skip_org_role_sync'))).toMatchObject({
      severity: 'warning',
      location: { line: 3 },
    });
    expect(r.semantics?.decide({ email: 'a@x.io' }).roles).toEqual(['Viewer']);
  });
  it('Google hosted_domain is a require on hd', () => {
    const r = run('hosted_domain = example.com', 'google');
    expect(r.source).toContain('require hd == "example.com"');
    expect(r.source).toContain('idp oidc "https://accounts.google.com"');
  });
  it('Azure AD app roles without role_attribute_path: highest first, exact in the mapping, noted as case-insensitive in Grafana', () => {
    const r = run('', 'azuread');
    const plan = compile(r.source).plan;
    expect(plan).not.toBeNull();
    const iss = /idp oidc "([^"]+)"/.exec(r.source)?.[1] as string;
    const claims = { iss, sub: 'o1', roles: ['Editor', 'Viewer'] };
    expect([...evaluate(plan as NonNullable<typeof plan>, fromVerifiedClaims(claims)).roles].sort()).toEqual(
      r.semantics?.decide(claims).roles,
    );
    expect(r.notes.some((n) => n.code === 'import/case-insensitive')).toBe(true);
    expect(r.semantics?.decide({ roles: ['admin'] }).roles).toEqual(['Admin', 'Editor', 'Viewer']);
  });
  it('several enabled sections need --idp', () => {
    const two = importer('[auth.okta]\nenabled = true\n[auth.gitlab]\nenabled = true\n', { file: 't.ini' });
    expect(two.notes.map((n) => n.code)).toEqual(['import/choose-idp']);
    expect(
      importer('[auth.okta]\nenabled = true\n[auth.gitlab]\nenabled = true\n', { file: 't.ini', idp: 'gitlab' }).source,
    ).toContain('grafana-gitlab');
  });
});
