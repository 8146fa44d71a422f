import { describe, expect, it } from 'vitest';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { analyze } from '../../src/lsp/analysis.js';
import { renameSymbol } from '../../src/lsp/rename.js';

const TEXT = `mapping "x" {
  idp oidc "https://id.example.com"
  key sub
  claims { groups : set<string> from "groups" optional }
  roles {
    privileged admin
    grant admin when "a" in groups
    grant viewer
  }
  lifecycle { offboarding scim }
}
`;

function rename(at: string, newName: string) {
  const doc = TextDocument.create('file:///x.claimmap', 'claimmap', 1, TEXT);
  const r = renameSymbol(analyze(TEXT, doc.uri, 1), doc, TEXT.indexOf(at), newName);
  return 'refused' in r ? r : { text: TextDocument.applyEdits(doc, r.edits) };
}

describe('rename', () => {
  it('renames a role everywhere, quoting a name that needs quotes', () => {
    const r = rename('admin', 'Org Admin');
    expect(r).toEqual({ text: TEXT.replaceAll('admin', '"Org Admin"') });
  });

  it('refuses a name that is already a role, an invalid name, and one that introduces an error', () => {
    expect(rename('viewer', 'admin')).toEqual({ refused: expect.stringMatching(/already exists/) });
    expect(rename('viewer', ' padded')).toEqual({ refused: expect.stringMatching(/role name/) });
    // A role that looks like the privileged 'admin' without being it: name/confusable-privileged.
    expect(rename('viewer', 'Admin')).toEqual({ refused: expect.stringMatching(/name\/confusable-privileged/) });
    expect(rename('groups :', 'when')).toEqual({ refused: expect.stringMatching(/reserved/) });
  });
});
