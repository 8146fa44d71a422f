import type { Command } from '../command.js';

export const command: Command = {
  name: 'lsp',
  summary: 'run the language server over stdio (diagnostics, formatting, hover, completion, rename...)',
  help: `Usage: claimmap lsp [--stdio]

Runs the claimmap language server, speaking the Language Server Protocol over stdin and
stdout, for editors: diagnostics as you type (the checks of claimmap lint), formatting
(claimmap fmt), hover, completion, go to definition, references, rename, quick fixes,
document symbols and semantic tokens. See docs/editors.md for VS Code, Neovim, Helix and
Emacs. --stdio is accepted (and is the default) for clients that pass it.

Exit codes: 0 after the client's shutdown and exit, 1 when the client exits without shutdown.
`,
  async run(args, io) {
    const extra = args.filter((a) => a !== '--stdio');
    if (extra.length) {
      io.stderr(`claimmap lsp: unexpected argument '${extra[0]}'\nRun 'claimmap lsp --help' for usage.\n`);
      return 2;
    }
    const [node, { startServer }] = await Promise.all([
      import('vscode-languageserver/node'),
      import('../../lsp/server.js'),
    ]);
    // A CommonJS package: bundled, its exports arrive as the default export.
    const { createConnection, ProposedFeatures } = typeof node.createConnection === 'function' ? node : node.default;
    // The connection exits the process itself on the client's `exit` notification (0 after shutdown, else 1).
    startServer(createConnection(ProposedFeatures.all, process.stdin, process.stdout));
    return new Promise<number>(() => {});
  },
};
