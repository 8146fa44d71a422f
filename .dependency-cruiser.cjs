/**
 * The allowed import graph of src/ (ARCHITECTURE.md, "Layers"), checked by `npm test` (`npm run layers`).
 * Type-only imports count too: a layer must not even name another layer's types unless the graph allows it.
 * Runtime loading (what the built `claimmap/runtime` bundle really reaches) is checked on the bundle by
 * test/runtime/index.import-graph.test.ts.
 */
// The checker files loadPlan (compile/plan-safety, compile/key-durability) and the simulator share: IdP knowledge
// and the exact-path analysis. They import only each other, regex/ and model/ (plus syntax/ AST types), so reaching
// them does not load the checker.
const SHARED_CHECK = '^src/check/(identity-claims|idp-kind|exact-path)[.]ts$';
const CLAIMS_READERS = '^src/claims/(saml|oidc|xml)/';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment:
        'No import cycles that load code. Type-only cycles are erased at build and allowed: src/errors.ts names the ' +
        "stages' closed code unions, and check/identity-claims names check/model's CheckModel type.",
      from: {},
      to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only'] } },
    },
    {
      name: 'model-is-a-leaf',
      severity: 'error',
      comment: 'src/model/ holds the shared contracts: it imports nothing outside itself, not even packages.',
      from: { path: '^src/model/' },
      to: { pathNot: '^src/model/' },
    },
    {
      name: 'syntax-imports-diagnostics-and-model-only',
      severity: 'error',
      from: { path: '^src/syntax/' },
      to: { path: '^src/', pathNot: '^src/(syntax|diagnostics|model)/' },
    },
    {
      name: 'check-imports-lower-layers-only',
      severity: 'error',
      comment: 'check/ may import syntax, diagnostics, regex, model, names, evaluate (pure helpers) and the key-durability knowledge of compile.',
      from: { path: '^src/check/' },
      to: { path: '^src/', pathNot: '^src/(check|syntax|diagnostics|regex|model|names|evaluate)/|^src/compile/key-durability[.]ts$' },
    },
    {
      name: 'compile-not-above',
      severity: 'error',
      comment: 'compile/ sits below runtime, simulate and cli and never reads claims.',
      from: { path: '^src/compile/' },
      to: { path: '^src/(claims|runtime|simulate|cli|testing)/' },
    },
    {
      name: 'evaluate-stays-lean',
      severity: 'error',
      comment:
        'evaluate/ runs a precompiled plan: it imports only itself, model/ and the regex matcher (so no parser, checker, ' +
        'claims readers, compiler, simulator, runtime or CLI).',
      from: { path: '^src/evaluate/' },
      to: { pathNot: '^src/(evaluate|model)/|^src/regex/matcher[.]ts$' },
    },
    {
      name: 'runtime-stays-lean',
      severity: 'error',
      comment: 'runtime/ loads a plan with compile/load-plan and nothing else of compile; no parser, checker (bar the shared knowledge), claims readers, simulator or CLI.',
      from: { path: '^src/runtime/' },
      to: { path: `^src/(syntax|check|simulate|cli)/|^src/compile/(?!load-plan[.]ts$)|${CLAIMS_READERS}`, pathNot: SHARED_CHECK },
    },
    {
      name: 'scim-stays-lean',
      comment:
        'scim/ (the SCIM HTTP layer) sits on runtime/: it imports runtime, model, json and errors, never the parser, ' +
        'checker, compiler, claims readers, simulator or CLI; nothing below it imports it.',
      from: { path: '^src/scim/' },
      to: { path: `^src/(syntax|check|compile|simulate|cli|claims|testing)/`, pathNot: SHARED_CHECK },
    },
    {
      name: 'scim-is-a-top-layer',
      comment: 'Only the CLI (serve) imports the SCIM HTTP layer.',
      from: { path: '^src/', pathNot: '^src/(scim|cli)/' },
      to: { path: '^src/scim/' },
    },
    {
      name: 'import-sits-above-the-pipeline',
      severity: 'error',
      comment:
        'src/import/ (claimmap import: other systems\' configurations → mapping source) uses the pipeline (syntax, compile, ' +
        'evaluate, simulate); only the CLI uses it, and it never reaches the runtime or its stores.',
      from: { pathNot: '^src/(import|cli)/' },
      to: { path: '^src/import/' },
    },
    {
      name: 'import-not-to-runtime',
      severity: 'error',
      from: { path: '^src/import/' },
      to: { path: '^src/(runtime|cli)/' },
    },
    {
      name: 'lsp-imports-the-front-end-only',
      severity: 'error',
      comment:
        'lsp/ (the language server) reads mappings: it may import syntax, check, compile, diagnostics, names, model, regex and evaluate; never runtime, claims, simulate, testing or cli.',
      from: { path: '^src/lsp/' },
      to: { path: '^src/', pathNot: '^src/(lsp|syntax|check|compile|diagnostics|names|model|regex|evaluate)/|^src/version[.]ts$' },
    },
    {
      name: 'only-cli-imports-lsp',
      severity: 'error',
      comment: 'The language server is started by `claimmap lsp`; no library entry or other stage loads it.',
      from: { pathNot: '^src/(lsp|cli)/' },
      to: { path: '^src/lsp/' },
    },
    {
      name: 'nothing-imports-cli',
      severity: 'error',
      from: { pathNot: '^src/cli/' },
      to: { path: '^src/cli/' },
    },
    {
      name: 'no-parser-packages-in-lean-layers',
      severity: 'error',
      comment: 'evaluate, runtime, scim and model never load chevrotain or fast-xml-parser.',
      from: { path: '^src/(evaluate|runtime|scim|model)/' },
      to: { dependencyTypes: ['npm', 'npm-dev', 'npm-optional', 'npm-peer', 'npm-no-pkg', 'npm-unknown'], path: '(^|/)node_modules/(chevrotain|fast-xml-parser)/' },
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      comment: 'Every import resolves (so no rule above is dodged by a path depcruise cannot follow).',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default', 'types'], extensions: ['.ts', '.js', '.json'] },
  },
};
