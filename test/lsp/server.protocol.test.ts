/**
 * The language server through the real protocol: `claimmap lsp` is spawned (from source, under tsx) and a client
 * speaks JSON-RPC to it over stdio with vscode-jsonrpc's message connection.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createMessageConnection,
  type MessageConnection,
  StreamMessageReader,
  StreamMessageWriter,
} from 'vscode-jsonrpc/node';
import type {
  CodeAction,
  CompletionItem,
  Diagnostic,
  DocumentSymbol,
  Hover,
  Location,
  PublishDiagnosticsParams,
  TextEdit,
  WorkspaceEdit,
} from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { diagnosticHelpUri } from '../../src/diagnostics/docs-link.js';

const root = join(import.meta.dirname, '..', '..');
const KEYCLOAK = readFileSync(join(root, 'examples/keycloak-oidc/acme.claimmap'), 'utf8');

let child: ChildProcess;
let conn: MessageConnection;
const published = new Map<string, PublishDiagnosticsParams[]>();
const waiters: (() => void)[] = [];

beforeAll(async () => {
  // CLAIMMAP_LSP_DIST=1 runs the built CLI (dist/cli/main.js, `npx tsup` first) instead of the sources.
  const cli = process.env.CLAIMMAP_LSP_DIST ? ['dist/cli/main.js'] : ['--import', 'tsx', 'src/cli/main.ts'];
  child = spawn(process.execPath, [...cli, 'lsp', '--stdio'], {
    cwd: root,
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  conn = createMessageConnection(
    new StreamMessageReader(child.stdout as NodeJS.ReadableStream),
    new StreamMessageWriter(child.stdin as NodeJS.WritableStream),
  );
  conn.onNotification('textDocument/publishDiagnostics', (p: PublishDiagnosticsParams) => {
    published.set(p.uri, [...(published.get(p.uri) ?? []), p]);
    for (const w of waiters.splice(0)) w();
  });
  conn.onNotification('window/showMessage', () => {});
  conn.listen();
  const init = await conn.sendRequest('initialize', { processId: process.pid, rootUri: null, capabilities: {} });
  expect((init as { capabilities: Record<string, unknown> }).capabilities).toMatchObject({
    documentFormattingProvider: true,
    hoverProvider: true,
    renameProvider: { prepareProvider: true },
  });
  await conn.sendNotification('initialized', {});
}, 60_000);

afterAll(async () => {
  await conn.sendRequest('shutdown');
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  await conn.sendNotification('exit');
  expect(await exited).toBe(0);
  conn.dispose();
});

async function diagnosticsFor(uri: string, version: number): Promise<Diagnostic[]> {
  for (;;) {
    const hit = published.get(uri)?.find((p) => p.version === version);
    if (hit) return hit.diagnostics;
    await new Promise<void>((r) => waiters.push(r));
  }
}

let n = 0;
async function open(text: string): Promise<{ uri: string; doc: TextDocument; diagnostics: Diagnostic[] }> {
  const uri = pathToFileURL(join(root, `test-${n++}.claimmap`)).href;
  await conn.sendNotification('textDocument/didOpen', {
    textDocument: { uri, languageId: 'claimmap', version: 1, text },
  });
  return { uri, doc: TextDocument.create(uri, 'claimmap', 1, text), diagnostics: await diagnosticsFor(uri, 1) };
}

const at = (doc: TextDocument, needle: string, delta = 0) => doc.positionAt(doc.getText().indexOf(needle) + delta);

describe('claimmap lsp over stdio', () => {
  it('publishes no diagnostics for a clean example', async () => {
    const { diagnostics } = await open(KEYCLOAK);
    expect(diagnostics).toEqual([]);
  });

  it('publishes a broken mapping’s diagnostics with code, docs link, range in UTF-16 (after a non-BMP character) and related information', async () => {
    const text = KEYCLOAK.replace('grant user', 'grant user // 👩‍💻 team 𝒳\n    grant auditor when "a" in realm_role');
    const { doc, diagnostics } = await open(text);
    const unknown = diagnostics.find((d) => d.code === 'claim/unknown');
    expect(unknown).toBeDefined();
    expect(unknown?.codeDescription?.href).toBe(diagnosticHelpUri('claim/unknown'));
    expect(unknown?.severity).toBe(1);
    const offset = text.indexOf('realm_role\n');
    expect(unknown?.range).toEqual({
      start: doc.positionAt(offset),
      end: doc.positionAt(offset + 'realm_role'.length),
    });
    expect(unknown?.message).toContain("did you mean 'realm_roles'?");
    // A key claim declared optional: the related information points at `optional`.
    const key = await open(KEYCLOAK.replace('key sub', 'key claim username'));
    const optional = key.diagnostics.find((d) => d.code === 'key/optional-claim');
    expect(optional?.relatedInformation?.[0]?.location.uri).toBe(key.uri);
    const line = key.doc
      .getText()
      .split('\n')
      .findIndex((l) => l.includes('username       : string'));
    expect(optional?.relatedInformation?.[0]?.location.range.start.line).toBe(line);
  });

  it('a non-BMP character before an error on the same line shifts the character by two UTF-16 units', async () => {
    const base =
      'mapping "x" {\n  idp oidc "https://id.example.com"\n  key sub\n  claims { e : string from "e" optional }\n  roles { grant "𝒳" when nope }\n}\n';
    const { diagnostics } = await open(base);
    const d = diagnostics.find((x) => x.code === 'claim/unknown');
    expect(d?.range.start).toEqual({ line: 4, character: '  roles { grant "𝒳" when '.length });
    expect('  roles { grant "𝒳" when '.length).toBe(26); // 𝒳 counts 2
  });

  it('debounces changes: a burst of edits gets one diagnostics run, for the last version', async () => {
    const { uri } = await open(KEYCLOAK);
    for (let v = 2; v <= 6; v++)
      await conn.sendNotification('textDocument/didChange', {
        textDocument: { uri, version: v },
        contentChanges: [{ text: KEYCLOAK.replace('grant user', `grant user${v}`) }],
      });
    await diagnosticsFor(uri, 6);
    expect(published.get(uri)?.map((p) => p.version)).toEqual([1, 6]);
  });

  it('formats, and refuses (no edits) a document with syntax errors', async () => {
    const messy = KEYCLOAK.replace('  key sub', '     key    sub');
    const { uri, doc } = await open(messy);
    const edits = (await conn.sendRequest('textDocument/formatting', {
      textDocument: { uri },
      options: { tabSize: 2, insertSpaces: true },
    })) as TextEdit[];
    expect(TextDocument.applyEdits(doc, edits)).toBe(KEYCLOAK);
    const broken = await open('mapping "x" { idp oidc ');
    expect(
      await conn.sendRequest('textDocument/formatting', {
        textDocument: { uri: broken.uri },
        options: { tabSize: 2, insertSpaces: true },
      }),
    ).toEqual([]);
  });

  it('hovers a claim, a role and a diagnostic', async () => {
    const { uri, doc } = await open(KEYCLOAK);
    const claim = (await conn.sendRequest('textDocument/hover', {
      textDocument: { uri },
      position: at(doc, 'in app_roles', 4),
    })) as Hover;
    const c = JSON.stringify(claim.contents);
    expect(c).toContain('set<string>');
    expect(c).toContain('resource_access');
    expect(c).toContain('optional');
    const role = (await conn.sendRequest('textDocument/hover', {
      textDocument: { uri },
      position: at(doc, 'grant admin', 7),
    })) as Hover;
    const r = JSON.stringify(role.contents);
    expect(r).toContain('privileged');
    expect(r).toContain('\\"admin\\" in app_roles');
    expect(r).toContain('denied when');
    const broken = await open(KEYCLOAK.replace('sync create', 'sync creat'));
    const h = (await conn.sendRequest('textDocument/hover', {
      textDocument: { uri: broken.uri },
      position: at(broken.doc, 'creat ', 2),
    })) as Hover;
    expect(JSON.stringify(h.contents)).toContain('profile/unknown-sync');
  });

  it('completes types after a colon, normalisers, roles and the IdP’s well-known claims', async () => {
    const text = KEYCLOAK.replace('  claims {\n', '  claims {\n    x : \n');
    const { uri, doc } = await open(text);
    const labels = async (pos: { line: number; character: number }) =>
      (
        (await conn.sendRequest('textDocument/completion', {
          textDocument: { uri },
          position: pos,
        })) as CompletionItem[]
      ).map((i) => i.label);
    expect(await labels(at(doc, 'x : ', 4))).toEqual(
      expect.arrayContaining(['string', 'email', 'set<string>', 'enum(...)']),
    );
    const kc = await open(KEYCLOAK.replace('  claims {\n', '  claims {\n    \n'));
    const fresh = (await conn.sendRequest('textDocument/completion', {
      textDocument: { uri: kc.uri },
      position: { line: at(kc.doc, 'claims {').line + 1, character: 4 },
    })) as CompletionItem[];
    // Keycloak's own claims first; what the mapping already declares (realm_access.roles) is not offered again.
    expect(fresh.map((i) => i.label).slice(0, 2)).toEqual(['client_roles', 'sid']);
    expect(fresh.map((i) => i.label)).not.toContain('realm_roles');
    expect(await labels({ line: 1, character: 0 })).toEqual(['mapping']);
    const top = await labels({ line: at(doc, '  claims {').line - 1, character: 2 });
    expect(top).toEqual(expect.arrayContaining(['claims', 'roles', 'lifecycle']));
  });

  it('goes to definition, finds references and renames a claim', async () => {
    const { uri, doc } = await open(KEYCLOAK);
    const use = at(doc, 'in app_roles', 4);
    const def = (await conn.sendRequest('textDocument/definition', {
      textDocument: { uri },
      position: use,
    })) as Location[];
    expect(def).toEqual([{ uri, range: { start: at(doc, 'app_roles      :'), end: at(doc, 'app_roles      :', 9) } }]);
    const refs = (await conn.sendRequest('textDocument/references', {
      textDocument: { uri },
      position: use,
      context: { includeDeclaration: true },
    })) as Location[];
    expect(refs).toHaveLength(3);
    const edit = (await conn.sendRequest('textDocument/rename', {
      textDocument: { uri },
      position: use,
      newName: 'client_roles',
    })) as WorkspaceEdit;
    const renamed = TextDocument.applyEdits(doc, edit.changes?.[uri] ?? []);
    expect(renamed).not.toContain('app_roles');
    expect(renamed.match(/client_roles/g)).toHaveLength(3);
    await expect(
      conn.sendRequest('textDocument/rename', { textDocument: { uri }, position: use, newName: 'groups' }),
    ).rejects.toThrow(/already exists/);
    await expect(
      conn.sendRequest('textDocument/rename', { textDocument: { uri }, position: use, newName: 'not ok' }),
    ).rejects.toThrow(/not a claim name/);
  });

  it('offers quick fixes', async () => {
    const { uri, doc } = await open(
      KEYCLOAK.replace('sync create', 'sync creat').replace('roles replace', 'roles add'),
    );
    const actions = (await conn.sendRequest('textDocument/codeAction', {
      textDocument: { uri },
      range: { start: { line: 0, character: 0 }, end: doc.positionAt(doc.getText().length) },
      context: { diagnostics: [] },
    })) as CodeAction[];
    expect(actions.map((a) => a.title)).toEqual(expect.arrayContaining(["Change to 'create'", 'Use replace']));
    let fixed = doc.getText();
    for (const a of actions)
      fixed = TextDocument.applyEdits(TextDocument.create(uri, 'claimmap', 1, fixed), a.edit?.changes?.[uri] ?? []);
    expect(fixed).toBe(KEYCLOAK);
  });

  it('lists document symbols and semantic tokens', async () => {
    const { uri } = await open(KEYCLOAK);
    const symbols = (await conn.sendRequest('textDocument/documentSymbol', {
      textDocument: { uri },
    })) as DocumentSymbol[];
    expect(symbols[0]?.name).toBe('acme-keycloak');
    expect(symbols[0]?.children?.map((s) => s.name)).toEqual([
      'idp',
      'key',
      'claims',
      'profile',
      'roles',
      'entitlements',
      'accounts',
      'lifecycle',
    ]);
    const tokens = (await conn.sendRequest('textDocument/semanticTokens/full', { textDocument: { uri } })) as {
      data: number[];
    };
    expect(tokens.data.length % 5).toBe(0);
    expect(tokens.data.length).toBeGreaterThan(5 * 100);
  });
});
