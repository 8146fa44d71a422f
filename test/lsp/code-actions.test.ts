import { describe, expect, it } from 'vitest';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { analyze } from '../../src/lsp/analysis.js';
import { codeActions } from '../../src/lsp/code-actions.js';

const mapping = (body: string) => `mapping "x" {
  idp oidc "https://id.example.com"
  key sub
  claims {
    groups : set<string> from "groups" optional
    dept   : string      from "dept"   optional normalize trim, trim
  }
${body}
  lifecycle { offboarding scim }
}
`;

/** Applies every preferred fix of the document's diagnostics, one at a time. */
function fixAll(text: string): { text: string; titles: string[] } {
  const titles: string[] = [];
  for (let i = 0; i < 10; i++) {
    const doc = TextDocument.create('file:///x.claimmap', 'claimmap', i, text);
    const a = analyze(text, doc.uri, i);
    const action = codeActions(a, doc, 0, text.length).find((x) => x.isPreferred);
    if (!action) break;
    titles.push(action.title);
    text = TextDocument.applyEdits(doc, action.edit?.changes?.[doc.uri] ?? []);
  }
  return { text, titles };
}

describe('quick fixes', () => {
  it('anchor a regex keeping its flags, remove a repeated normaliser and an unneeded unsafe, add a quantifier', () => {
    const broken = mapping(`  roles {
    grant eng when any groups matches /eng/i unsafe "why"
    grant ops when groups starts_with "ops"
  }`);
    const { text, titles } = fixAll(broken);
    expect(titles).toEqual(
      expect.arrayContaining([
        'Remove the repeated trim',
        'Anchor the regex with ^...$',
        'Remove unsafe "..."',
        'Match any of the values',
      ]),
    );
    expect(text).toBe(
      mapping(`  roles {
    grant eng when any groups matches /^eng$/i
    grant ops when any groups starts_with "ops"
  }`).replace('normalize trim, trim', 'normalize trim'),
    );
    // What is left has no mechanical fix (dept is declared only to carry the repeated normaliser).
    expect(analyze(text, 'x', 1).diagnostics.map((d) => d.code)).toEqual(['claim/unused']);
  });
});
