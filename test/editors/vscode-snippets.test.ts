/**
 * The extension's snippets (editors/vscode/snippets/claimmap.code-snippets), expanded with their default choices,
 * are claimmap: the whole-mapping snippet lints without an error, and each section or line snippet parses without a
 * syntax error where it belongs in a mapping.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { lint } from '../../src/compile/compile.js';

interface Snippet {
  prefix: string | string[];
  description: string;
  body: string[];
}
const SNIPPETS = JSON.parse(
  readFileSync(new URL('../../editors/vscode/snippets/claimmap.code-snippets', import.meta.url), 'utf8'),
) as Record<string, Snippet>;

/** What VS Code inserts when the user accepts every default: `${1:x}` → x, `${1|a,b|}` → a, `$0` → nothing. */
function expand(body: readonly string[]): string {
  let text = body.join('\n').replaceAll('\t', '  ');
  text = text
    .replace(/\$CURRENT_YEAR/g, '2026')
    .replace(/\$CURRENT_MONTH/g, '12')
    .replace(/\$CURRENT_DATE/g, '05');
  for (let i = 0; i < 3; i++) {
    text = text.replace(/\$\{\d+:([^${}]*)\}/g, '$1').replace(/\$\{\d+\|([^,|]*)[^|]*\|\}/g, '$1');
  }
  return text.replace(/\\\$/g, '$').replace(/\$\d+/g, '');
}

/** Where a snippet goes: inside which block of a minimal mapping. */
function placed(name: string, text: string): string {
  const head = 'idp oidc "https://id.example.com"\nkey sub\n';
  const claims =
    'claims {\n  groups : set<string> from "groups" optional\n  email_verified : bool from "ev" required\n}\n';
  const inMapping = (body: string) => `mapping "m" {\n${body}\n}\n`;
  switch (name) {
    case 'Mapping':
      return text;
    case 'IdP (OIDC)':
    case 'IdP (SAML)':
      return inMapping(text);
    case 'Claim':
      return inMapping(`${head}claims {\n${text}\n}`);
    case 'Grant':
    case 'Deny':
      return inMapping(`${head}${claims}roles {\n${text}\n}`);
    default:
      return inMapping(`${head}${claims}${text}`);
  }
}

describe('the VS Code snippets', () => {
  it('cover the common sections', () => {
    expect(Object.keys(SNIPPETS).sort()).toEqual(
      [
        'Accounts block',
        'Claim',
        'Claims block',
        'Deny',
        'Entitlements for each',
        'Grant',
        'IdP (OIDC)',
        'IdP (SAML)',
        'Lifecycle block',
        'Mapping',
        'Profile block',
        'Require',
        'Roles block',
        'SCIM offboarding',
      ].sort(),
    );
    for (const [name, s] of Object.entries(SNIPPETS)) {
      expect(s.description.length, name).toBeGreaterThan(10);
      expect(s.body.length, name).toBeGreaterThan(0);
    }
  });

  it('the whole-mapping snippet lints without an error', () => {
    const text = expand(SNIPPETS.Mapping!.body);
    expect(text).toContain('mapping "name" version "2026-12-05"');
    expect(lint(text, { filename: 'snippet.claimmap' }).filter((d) => d.severity === 'error')).toEqual([]);
  });

  it.each(Object.keys(SNIPPETS))('%s parses where it belongs', (name) => {
    const text = placed(name, expand(SNIPPETS[name]!.body));
    const syntax = lint(text, { filename: 'snippet.claimmap' }).filter((d) => d.code.startsWith('syntax/'));
    expect(syntax, text).toEqual([]);
  });
});
