/**
 * Loads a built extension bundle (argv[2]) with a stub `vscode` module and activates it in a workspace with no
 * claimmap CLI (claimmap.path = argv[3]); prints, as JSON, the commands it registered and the messages it showed.
 * Run in its own process by test/editors/vscode-package.test.ts.
 */
const Module = require('node:module');

const calls = [];
const disposable = { dispose() {} };
const api = {
  window: {
    showWarningMessage: (message) => {
      calls.push(['warning', message]);
      return Promise.resolve(undefined);
    },
    showErrorMessage: (message) => {
      calls.push(['error', message]);
      return Promise.resolve(undefined);
    },
    createOutputChannel: () => ({ info() {}, show() {}, dispose() {} }),
  },
  workspace: {
    workspaceFolders: [{ uri: { scheme: 'file', fsPath: process.cwd() } }],
    isTrusted: true,
    getConfiguration: () => ({ get: () => process.argv[3] }),
    onDidChangeConfiguration: () => disposable,
    onDidGrantWorkspaceTrust: () => disposable,
  },
  commands: {
    registerCommand: (id) => {
      calls.push(['command', id]);
      return disposable;
    },
    executeCommand() {},
  },
};
// vscode-languageclient extends a few vscode classes (CodeLens, ...) when it loads: any other name is a class.
const vscode = new Proxy(api, { get: (target, key) => (key in target ? target[key] : class {}) });
const load = Module._load;
Module._load = function (request, ...rest) {
  return request === 'vscode' ? vscode : load.call(this, request, ...rest);
};

const extension = require(process.argv[2]);
const context = { subscriptions: [] };
extension.activate(context).then(
  () => process.stdout.write(JSON.stringify({ calls, subscriptions: context.subscriptions.length })),
  (error) => process.stdout.write(JSON.stringify({ error: String(error) })),
);
