import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatSource } from '../../src/syntax/format.js';
import { cli } from '../cli/fake-io.js';

const fmt = (text: string) => {
  const r = formatSource(text, { filename: 't.claimmap' });
  if (r.text === null) throw new Error(r.diagnostics.map((d) => `${d.code}: ${d.message}`).join('\n'));
  return r.text;
};

describe('formatSource keeps every comment where it belongs', () => {
  it.each([
    [
      'a comment above the mapping',
      '// head\nmapping "m" { idp oidc "https://x" key sub }',
      '// head\nmapping "m" {\n  idp oidc "https://x"\n  key sub\n}\n',
    ],
    [
      'a trailing comment',
      'mapping "m" {\n idp oidc "https://x"   // the IdP\n key sub }',
      '  idp oidc "https://x"  // the IdP\n',
    ],
    [
      "a comment after a block's {",
      'mapping "m" { idp oidc "https://x" key sub\n roles {   // owned\n grant a } }',
      '  roles {  // owned\n    grant a\n  }\n',
    ],
    [
      'a comment before a rule',
      'mapping "m" { idp oidc "https://x" key sub\n roles {\n // why\n grant a } }',
      '  roles {\n    // why\n    grant a\n  }\n',
    ],
    [
      'a comment after the last item of a block',
      'mapping "m" { idp oidc "https://x" key sub\n roles { grant a\n // later: b\n } }',
      '    grant a\n    // later: b\n  }\n',
    ],
    [
      'a multi-line block comment',
      'mapping "m" {\n /* one\n    two */\n idp oidc "https://x" key sub }',
      '  /* one\n    two */\n  idp oidc "https://x"\n',
    ],
    ['a comment after the mapping', 'mapping "m" { idp oidc "https://x" key sub }\n// end', '}\n// end\n'],
    [
      'a comment trailing a one-line block goes to its head',
      'mapping "m" { idp oidc "https://x" key sub\n accounts { on email_conflict reject }  // why\n}',
      '  accounts {  // why\n    on email_conflict reject\n  }\n',
    ],
    [
      'trailing comments of consecutive lines, aligned',
      'mapping "m" { idp oidc "https://x" key sub\n lifecycle {\n offboarding scim // a\n dormant_after 90d    // b\n reactivate allow // c\n } }',
      '    offboarding scim   // a\n    dormant_after 90d  // b\n    reactivate allow   // c\n',
    ],
    [
      'a comment line breaks the alignment run',
      'mapping "m" { idp oidc "https://x" key sub\n roles {\n grant a // a\n // next\n grant abcdef // b\n } }',
      '    grant a  // a\n    // next\n    grant abcdef  // b\n',
    ],
  ])('%s', (_name, src, expected) => {
    expect(fmt(src)).toContain(expected);
  });

  it('the examples are formatted (the claimmap-fmt pre-commit hook passes on them)', () => {
    for (const f of [
      'okta-saml/acme',
      'entra-oidc/contoso',
      'keycloak-oidc/acme',
      'google-oidc/example',
      'shibboleth-saml/lms',
    ]) {
      expect(formatSource(readFileSync(`examples/${f}.claimmap`, 'utf8')).changed, f).toBe(false);
    }
  });

  it('is idempotent and keeps the meaning and every comment of every example', () => {
    for (const f of [
      'okta-saml/acme',
      'entra-oidc/contoso',
      'keycloak-oidc/acme',
      'google-oidc/example',
      'shibboleth-saml/lms',
    ]) {
      const path = `examples/${f}.claimmap`;
      const src = readFileSync(path, 'utf8');
      const once = fmt(src);
      expect(fmt(once), path).toBe(once);
      const comments = (t: string) => (t.match(/\/\/[^\n]*/g) ?? []).map((c) => c.trim()).sort();
      expect(comments(once), path).toEqual(comments(src));
    }
  });

  it('keeps CRLF line endings', () => {
    const out = fmt('mapping "m" {\r\n  idp oidc "https://x"\r\n  key sub // k\r\n}\r\n');
    expect(out).toBe('mapping "m" {\r\n  idp oidc "https://x"\r\n  key sub  // k\r\n}\r\n');
  });

  it('refuses a file with syntax errors and returns its diagnostics', () => {
    const r = formatSource('mapping "m" { roles { grant } }');
    expect(r.text).toBeNull();
    expect(r.diagnostics.map((d) => d.code)).toContain('syntax/unexpected-token');
  });

  it('reports unchanged when the file is already formatted', () => {
    const once = fmt('mapping "m" { idp oidc "https://x" key sub }');
    expect(formatSource(once).changed).toBe(false);
  });
});

describe('claimmap fmt', () => {
  const messy =
    'mapping "m" {   idp oidc "https://id.example.com"   key sub  // durable\n lifecycle { offboarding scim } }\n';
  it('--check lists what would change and exits 1; --write rewrites; then --check passes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'claimmap-fmt-'));
    writeFileSync(join(dir, 'a.claimmap'), messy);
    const check = await cli(['fmt', '--check', '.'], { cwd: dir });
    expect(check.code).toBe(1);
    expect(check.stdout).toContain('would reformat a.claimmap');
    expect(readFileSync(join(dir, 'a.claimmap'), 'utf8')).toBe(messy);
    expect((await cli(['fmt', '--write', 'a.claimmap'], { cwd: dir })).code).toBe(0);
    expect(readFileSync(join(dir, 'a.claimmap'), 'utf8')).toContain('  key sub  // durable\n');
    const again = await cli(['fmt', '--check', '.'], { cwd: dir });
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('1 file already formatted');
  });

  it('prints one file to stdout; leaves a broken file alone and exits 1; usage errors exit 2', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'claimmap-fmt-'));
    writeFileSync(join(dir, 'a.claimmap'), messy);
    writeFileSync(join(dir, 'bad.claimmap'), 'mapping "m" { roles { grant } }');
    const one = await cli(['fmt', 'a.claimmap'], { cwd: dir });
    expect(one.code).toBe(0);
    expect(one.stdout).toMatch(/^mapping "m" \{\n {2}idp oidc/);
    const bad = await cli(['fmt', '--write', 'bad.claimmap'], { cwd: dir });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('syntax/unexpected-token');
    expect(readFileSync(join(dir, 'bad.claimmap'), 'utf8')).toBe('mapping "m" { roles { grant } }');
    expect((await cli(['fmt', '--check', '--write', 'a.claimmap'], { cwd: dir })).code).toBe(2);
    expect((await cli(['fmt', 'a.claimmap', 'bad.claimmap'], { cwd: dir })).code).toBe(2);
  });
});
