import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from './fake-io.js';

const OKTA = 'examples/okta-saml/acme.claimmap';
const JANE = 'examples/okta-saml/jane.saml.xml';
const tmp = () => mkdtempSync(join(tmpdir(), 'claimmap-cli-'));
const BAD =
  'mapping "bad" {\n  idp saml "urn:idp"\n  key nameid emailAddress\n  claims { groups : set<string> from "groups" optional normalize lower }\n  roles { grant admin when "Admins" in groups }\n}\n';

describe('claimmap (no command)', () => {
  it('prints usage and exits 2', async () => {
    const r = await cli([]);
    expect(r.code).toBe(2);
    expect(r.stdout).toMatch(/Usage: claimmap <command>/);
  });
  it('unknown commands exit 2', async () => {
    const r = await cli(['frobnicate']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/unknown command 'frobnicate'/);
  });

  it('suggests the closest command for a typo, also after help', async () => {
    for (const args of [
      ['lnit', 'x.claimmap'],
      ['help', 'lnit'],
    ]) {
      const r = await cli(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toBe(
        "claimmap: unknown command 'lnit'. Did you mean 'lint'?\nRun 'claimmap --help' for the list of commands.\n",
      );
    }
    expect((await cli(['simualte'])).stderr).toContain("Did you mean 'simulate'?");
    // Nothing close: the usage instead.
    expect((await cli(['frobnicate'])).stderr).toContain('Usage: claimmap <command>');
    expect((await cli(['help', 'frobnicate'])).code).toBe(2);
    expect((await cli(['help', 'lint'])).stdout).toMatch(/^Usage: claimmap lint/);
  });

  it('suggests the closest global option', async () => {
    const r = await cli(['--verison']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      "claimmap: unknown option '--verison'. Did you mean '--version'?\nRun 'claimmap --help' for usage.\n",
    );
  });
});

describe('claimmap lint', () => {
  it('exits 0 on the examples', async () => {
    const r = await cli(['lint', 'examples/']);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/no problems in \d+ files?/);
    expect(r.code).toBe(0);
  });

  it('prints file:line:col: severity code: message, the source line and a caret; exits 1 on errors', async () => {
    const dir = tmp();
    writeFileSync(join(dir, 'bad.claimmap'), BAD);
    const r = await cli(['lint', 'bad.claimmap'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('bad.claimmap:3:14: error key/non-durable-format: ');
    expect(r.stdout).toContain('bad.claimmap:5:28: error literal/never-matches: ');
    expect(r.stdout).toContain(
      '\n      roles { grant admin when "Admins" in groups }\n                               ^~~~~~~~\n',
    );
    expect(r.stdout).toMatch(/hint: write "admins"/);
    expect(r.stdout).toMatch(/\d+ errors?, \d+ warnings?/);
  });

  it('finds files by directory and by glob', async () => {
    const dir = tmp();
    writeFileSync(join(dir, 'bad.claimmap'), BAD);
    expect((await cli(['lint', '*.claimmap', '--format', 'json'], { cwd: dir })).code).toBe(1);
    expect((await cli(['lint', '**/*.claimmap', '--format', 'json'], { cwd: dir })).code).toBe(1);
    expect((await cli(['lint', '--format', 'json'], { cwd: dir })).code).toBe(1);
  });

  it('--format json / sarif / github', async () => {
    const dir = tmp();
    writeFileSync(join(dir, 'bad.claimmap'), BAD);
    const json = JSON.parse((await cli(['lint', 'bad.claimmap', '--format', 'json'], { cwd: dir })).stdout) as {
      code: string;
    }[];
    expect(json.map((d) => d.code)).toContain('literal/never-matches');
    const sarif = JSON.parse((await cli(['lint', 'bad.claimmap', '--format', 'sarif'], { cwd: dir })).stdout) as {
      version: string;
      runs: { results: { ruleId: string; locations: { physicalLocation: { region: { startLine: number } } }[] }[] }[];
    };
    expect(sarif.version).toBe('2.1.0');
    expect(
      sarif.runs[0]!.results.find((x) => x.ruleId === 'literal/never-matches')!.locations[0]!.physicalLocation.region
        .startLine,
    ).toBe(5);
    const gh = (await cli(['lint', 'bad.claimmap', '--format', 'github'], { cwd: dir })).stdout;
    expect(gh).toMatch(
      /^::error file=bad\.claimmap,line=5,col=28,endLine=5,endColumn=36,title=literal\/never-matches::/m,
    );
  });

  it('--max-warnings turns warnings into a failure', async () => {
    const dir = tmp();
    writeFileSync(join(dir, 'w.claimmap'), 'mapping "w" { idp oidc "https://id.example.com" key sub }\n');
    expect((await cli(['lint', 'w.claimmap'], { cwd: dir })).code).toBe(0);
    const r = await cli(['lint', 'w.claimmap', '--max-warnings', '0'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/over --max-warnings 0/);
  });

  it('usage and I/O errors exit 2 without a stack trace', async () => {
    for (const args of [
      ['lint', '--format', 'xml'],
      ['lint', '--max-warnings', 'many'],
      ['lint', '--bogus'],
      ['lint', 'no/such/file.claimmap'],
    ]) {
      const r = await cli(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).not.toMatch(/\bat .*\(.*:\d+:\d+\)/);
    }
  });
});

describe('claimmap compile / eval / explain', () => {
  it('compiles to a plan that eval then accepts without the parser', async () => {
    const dir = tmp();
    const out = join(dir, 'acme.plan.json');
    const c = await cli(['compile', OKTA, '-o', out]);
    expect(c.code).toBe(0);
    const plan = JSON.parse(readFileSync(out, 'utf8')) as { format: string; digest: string };
    expect(plan.format).toBe('claimmap/plan@1');
    const fromPlan = await cli(['eval', out, JANE, '--format', 'json']);
    const fromSource = await cli(['eval', OKTA, JANE, '--format', 'json']);
    expect(fromPlan.code).toBe(0);
    expect(JSON.parse(fromPlan.stdout)).toEqual(JSON.parse(fromSource.stdout));
  });

  it('eval prints a readable decision and exits 1 when refused', async () => {
    const ok = await cli(['eval', OKTA, JANE]);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/^ALLOW {2}acme-okta/);
    expect(ok.stdout).toContain('roles     admin (roles[1]), editor (roles[2]), viewer (roles[0])');
    const dir = tmp();
    const cs = { protocol: 'saml', issuer: 'http://evil.example', subject: { id: 'x' }, claims: {}, verified: false };
    writeFileSync(join(dir, 'cs.json'), JSON.stringify(cs));
    const bad = await cli(['eval', join(process.cwd(), OKTA), 'cs.json'], { cwd: dir });
    expect(bad.code).toBe(1);
    expect(bad.stdout).toMatch(/^REFUSE/);
    expect(bad.stdout).toContain('issuer-mismatch');
  });

  it('eval reports unreadable claims with a code on stderr', async () => {
    const dir = tmp();
    writeFileSync(join(dir, 'x.xml'), '<!DOCTYPE x [<!ENTITY a "b">]><x/>');
    const r = await cli(['eval', join(process.cwd(), OKTA), 'x.xml'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error saml\/[a-z-]+: /);
  });

  it('a claim-set JSON file is parsed strictly and validated, with coded errors', async () => {
    const dir = tmp();
    writeFileSync(
      join(dir, 'dup.json'),
      '{"protocol":"saml","issuer":"i","subject":{"id":"a","id":"b"},"claims":{},"verified":false}',
    );
    writeFileSync(
      join(dir, 'bad.json'),
      '{"protocol":"ldap","issuer":"i","subject":{"id":"a"},"claims":{},"verified":false}',
    );
    const dup = await cli(['eval', join(process.cwd(), OKTA), 'dup.json'], { cwd: dir });
    expect(dup.code).toBe(1);
    expect(dup.stderr).toMatch(/^error json\/duplicate-key: /);
    const bad = await cli(['eval', join(process.cwd(), OKTA), 'bad.json'], { cwd: dir });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/^error input\/invalid-claim-set: .*\/protocol/);
  });

  it('compile prints diagnostics and exits 1 on a broken mapping', async () => {
    const dir = tmp();
    writeFileSync(join(dir, 'bad.claimmap'), BAD);
    const r = await cli(['compile', 'bad.claimmap'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('error key/non-durable-format');
    expect(r.stdout).toBe('');
  });

  it('explain lists, per role, what grants and denies it', async () => {
    const r = await cli(['explain', OKTA, '--role', 'admin']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('admin  (privileged)');
    expect(r.stdout).toContain('granted when "Okta-Admins" in groups');
    expect(r.stdout).toContain('denied  when kind == "Contractor"');
    const all = await cli(['explain', OKTA]);
    expect(all.stdout).toContain('entitlements replace:');
    expect((await cli(['explain', OKTA, '--role', 'root'])).code).toBe(1);
  });
});

describe('claimmap explain --privileged', () => {
  const GUARD = [
    'mapping "guard" {',
    '  idp oidc "https://id.example.com"',
    '  key sub',
    '  claims {',
    '    groups : set<string> from "groups" optional',
    '    folded : set<string> from "groups" optional normalize nfkc, lower',
    '    kind   : string from "employeeType" optional',
    '    title  : string from "title" optional',
    '  }',
    '  roles {',
    '    privileged admin, ops',
    '    grant admin when "admins" in groups and not "contractors" in groups',
    '    grant admin when not "Contractors" in groups',
    '    grant admin when any groups matches /^vault-admins$/i',
    '    grant admin when "vault-admins" in folded',
    '    grant admin when title == "CTO"',
    '    grant admin when all groups matches /^(a|b)$/',
    '    grant admin when kind != "Contractor"',
    '    grant admin when any groups matches /^admin.*$/',
    '    grant admin when any groups matches /^.*\\/admins$/',
    '    grant ops when any groups starts_with "ops-" unsafe "SEC-4: ops groups are created by IT only"',
    '  }',
    '  lifecycle { offboarding scim }',
    '}',
    '',
  ].join('\n');

  it('exits 0 on every example: their privileged paths are exact', async () => {
    for (const f of [
      'okta-saml/acme',
      'entra-oidc/contoso',
      'google-oidc/example',
      'keycloak-oidc/acme',
      'shibboleth-saml/lms',
    ]) {
      const r = await cli(['explain', '--privileged', `examples/${f}.claimmap`]);
      expect(r.stderr).toBe('');
      expect(r.stdout).toContain('every path to a privileged role is exact or marked unsafe');
      expect(r.code, f).toBe(0);
    }
  });

  it('lists every path and each test with its reason; exits 1 while an inexact path is not marked unsafe', async () => {
    const dir = tmp();
    writeFileSync(join(dir, 'guard.claimmap'), GUARD);
    const r = await cli(['explain', '--privileged', 'guard.claimmap'], { cwd: dir });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1);
    for (const line of [
      'exact   "admins" in groups',
      'narrows not "contractors" in groups   privileged/negated-test',
      'INEXACT not "Contractors" in groups   privileged/negated-test',
      'INEXACT any groups matches /^vault-admins$/i   privileged/regex-flags',
      'INEXACT "vault-admins" in folded   privileged/folded-claim',
      'INEXACT title == "CTO"   privileged/user-editable-claim',
      'INEXACT all groups matches /^(a|b)$/   privileged/all-quantifier',
      'INEXACT kind != "Contractor"   privileged/not-equal',
      'INEXACT any groups matches /^admin.*$/   privileged/inexact-match',
      'INEXACT any groups matches /^.*\\/admins$/   privileged/leaf-name-match',
      'INEXACT any groups starts_with "ops-"   privileged/inexact-match',
      'INEXACT, accepted: unsafe "SEC-4: ops groups are created by IT only"',
      '8 grants of a privileged role have an inexact path not marked unsafe',
    ])
      expect(r.stdout).toContain(line);

    const json = await cli(['explain', '--privileged', 'guard.claimmap', '--role', 'ops', '--format', 'json'], {
      cwd: dir,
    });
    expect(json.code).toBe(0);
    const data = JSON.parse(json.stdout);
    expect(data.unaccepted).toBe(0);
    expect(data.privileged[0].grants[0]).toMatchObject({
      rule: 'roles[9]',
      exact: false,
      unsafe: 'SEC-4: ops groups are created by IT only',
    });
    expect(data.privileged[0].grants[0].paths[0].tests[0]).toMatchObject({
      exact: false,
      reasons: ['privileged/inexact-match'],
    });

    expect((await cli(['explain', '--privileged', 'guard.claimmap', '--role', 'nobody'], { cwd: dir })).code).toBe(1);
  });

  it('reads a compiled plan too, and exits 0 once every inexact path carries a reason', async () => {
    const dir = tmp();
    writeFileSync(
      join(dir, 'ok.claimmap'),
      GUARD.replace(/^( {4}grant admin when (?!"admins").*)$/gm, '$1 unsafe "SEC-5: reviewed"'),
    );
    const lint = await cli(['lint', 'ok.claimmap'], { cwd: dir });
    expect(lint.code).toBe(0);
    const c = await cli(['compile', 'ok.claimmap', '-o', 'ok.plan.json'], { cwd: dir });
    expect(c.code).toBe(0);
    const plan = JSON.parse(readFileSync(join(dir, 'ok.plan.json'), 'utf8'));
    expect(plan.unsafe.map((u: { code: string }) => u.code)).toContain('privileged/negated-test');
    for (const file of ['ok.claimmap', 'ok.plan.json']) {
      const r = await cli(['explain', '--privileged', file], { cwd: dir });
      expect(r.code, r.stdout + r.stderr).toBe(0);
      expect(r.stdout).toContain('INEXACT, accepted: unsafe "SEC-5: reviewed"');
    }
    // The plain explanation repeats every override.
    const plain = (await cli(['explain', 'ok.plan.json'], { cwd: dir })).stdout;
    expect(plain).toContain('UNSAFE privileged/negated-test (line 13): SEC-5: reviewed');
    expect(plain).toContain('granted when not "Contractors" in groups   [roles[1], line 13]  UNSAFE: SEC-5: reviewed');
  });

  it('does not explain a mapping that fails for other reasons', async () => {
    const dir = tmp();
    writeFileSync(join(dir, 'bad.claimmap'), GUARD.replace('key sub', 'key nameid transient'));
    const r = await cli(['explain', '--privileged', 'bad.claimmap'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('key/');
    expect(r.stdout).toBe('');
  });
});
