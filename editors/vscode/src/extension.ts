/**
 * The claimmap extension: the language (highlighting, snippets, comments and brackets come from package.json
 * contributions) and a client for the language server, `claimmap lsp` over stdio, which gives diagnostics as you
 * type, formatting, hover, completion, definitions, references, rename and quick fixes.
 *
 * Bundled by scripts/vscode-package.ts into dist/extension.js (CommonJS, `vscode` external), so the .vsix needs
 * no node_modules.
 */
import * as vscode from 'vscode';
import {
  type Executable,
  LanguageClient,
  type LanguageClientOptions,
  type ServerOptions,
  TransportKind,
} from 'vscode-languageclient/node';
import { resolveServerCommand } from './server-command';

const CLIENT_ID = 'claimmap';
const CLIENT_NAME = 'claimmap Language Server';

let client: LanguageClient | undefined;
let outputChannel: vscode.LogOutputChannel | undefined;

function serverOptionsFor(command: string, cwd: string | undefined): ServerOptions {
  // npm writes claimmap.cmd on Windows, and Node refuses to spawn a .cmd or .bat without a shell.
  const needsShell = /\.(?:cmd|bat)$/i.test(command);
  const executable: Executable = {
    command: needsShell ? `"${command}"` : command,
    args: ['lsp'],
    transport: TransportKind.stdio,
    options: { ...(cwd === undefined ? {} : { cwd }), shell: needsShell },
  };
  return { run: executable, debug: executable };
}

async function startClient(context: vscode.ExtensionContext): Promise<void> {
  const resolved = resolveServerCommand({
    workspaceFolders: (vscode.workspace.workspaceFolders ?? [])
      .filter((f) => f.uri.scheme === 'file')
      .map((f) => f.uri.fsPath),
    trusted: vscode.workspace.isTrusted,
    configuredPath: vscode.workspace.getConfiguration('claimmap').get<string>('path', 'claimmap'),
    env: process.env,
    platform: process.platform,
  });
  if (!resolved.ok) {
    const open = 'Open Settings';
    void vscode.window.showWarningMessage(resolved.message, open).then((choice) => {
      if (choice === open) void vscode.commands.executeCommand('workbench.action.openSettings', 'claimmap.path');
    });
    return;
  }
  outputChannel ??= vscode.window.createOutputChannel(CLIENT_NAME, { log: true });
  context.subscriptions.push(outputChannel);
  outputChannel.info(`starting ${resolved.command} lsp (${resolved.source})`);
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: 'file', language: 'claimmap' },
      { scheme: 'untitled', language: 'claimmap' },
    ],
    outputChannel,
    synchronize: { fileEvents: vscode.workspace.createFileSystemWatcher('**/*.claimmap') },
  };
  // The client reads `claimmap.trace.server` itself (its id is `claimmap`).
  client = new LanguageClient(CLIENT_ID, CLIENT_NAME, serverOptionsFor(resolved.command, resolved.cwd), clientOptions);
  try {
    await client.start();
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    void vscode.window.showErrorMessage(
      `claimmap: the language server (${resolved.command} lsp) did not start: ${message}. ` +
        'It needs a claimmap version with the lsp command.',
    );
  }
}

async function stopClient(): Promise<void> {
  const running = client;
  client = undefined;
  if (running?.isRunning()) await running.stop();
}

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  context.subscriptions.push(
    vscode.commands.registerCommand('claimmap.restartServer', async () => {
      await stopClient();
      await startClient(context);
    }),
    vscode.commands.registerCommand('claimmap.showOutput', () => outputChannel?.show()),
    vscode.workspace.onDidChangeConfiguration(async (event) => {
      if (event.affectsConfiguration('claimmap.path')) {
        await stopClient();
        await startClient(context);
      }
    }),
    vscode.workspace.onDidGrantWorkspaceTrust(async () => {
      await stopClient();
      await startClient(context);
    }),
  );
  await startClient(context);
}

export function deactivate(): Promise<void> {
  return stopClient();
}
