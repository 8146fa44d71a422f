/**
 * Writes api/<entry>.api.md: the public surface of each package entry point (package.json `exports`), one section
 * per export with its declaration as TypeScript emits it in the published `.d.ts` (bodies dropped, comments
 * removed). Run with `npm run api` (`tsx scripts/api-report.ts`); test/api/public-api.test.ts fails when a committed
 * report is stale, so a change to the public surface shows in review as a diff of these files.
 *
 * A small script rather than @microsoft/api-extractor: it needs no build (TypeScript's own declaration emit, in
 * memory, is what tsup's dts bundler starts from), adds no dependency, and its output is stable text.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import ts from 'typescript';

/** The repository root. */
export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** Each public entry point: its report name, its import specifier and its source file (tsup.config.ts). */
export const ENTRIES = [
  { name: 'index', specifier: 'claimmap', file: 'src/index.ts' },
  { name: 'claims', specifier: 'claimmap/claims', file: 'src/claims/index.ts' },
  { name: 'runtime', specifier: 'claimmap/runtime', file: 'src/runtime/index.ts' },
  { name: 'simulate', specifier: 'claimmap/simulate', file: 'src/simulate/index.ts' },
  { name: 'testing', specifier: 'claimmap/testing', file: 'src/testing/index.ts' },
  { name: 'scim', specifier: 'claimmap/scim', file: 'src/scim/index.ts' },
] as const;

/** One export of an entry point, resolved through re-exports to where it is declared. */
export interface PublicExport {
  /** The name a user imports. */
  name: string;
  /** The declarations of the symbol (an interface may have several; a function has one per overload). */
  declarations: ts.Declaration[];
  /** The file that declares it, relative to the repository root. */
  file: string;
}

/**
 * A type-checked program over the entry files, with the compiler options of tsconfig.json.
 *
 * @example
 * ```ts
 * const program = createApiProgram();
 * program.getSourceFile(resolve(ROOT, 'src/index.ts'));
 * ```
 */
export function createApiProgram(): ts.Program {
  const configPath = resolve(ROOT, 'tsconfig.json');
  const config = ts.readConfigFile(configPath, (p) => ts.sys.readFile(p));
  const parsed = ts.parseJsonConfigFileContent(config.config, ts.sys, ROOT);
  return ts.createProgram({
    rootNames: ENTRIES.map((e) => resolve(ROOT, e.file)),
    options: { ...parsed.options, noEmit: false, declaration: true, emitDeclarationOnly: true, removeComments: false },
  });
}

/**
 * The exports of one entry file, sorted by name, each resolved through `export { … } from` to its declaration.
 *
 * @example
 * ```ts
 * publicExports(program, 'src/runtime/index.ts').map((e) => e.name) // ['Account', 'AccountKey', …]
 * ```
 */
export function publicExports(program: ts.Program, entryFile: string): PublicExport[] {
  const checker = program.getTypeChecker();
  const source = program.getSourceFile(resolve(ROOT, entryFile));
  if (!source) throw new TypeError(`${entryFile} is not in the program`);
  const moduleSymbol = checker.getSymbolAtLocation(source);
  if (!moduleSymbol) throw new TypeError(`${entryFile} is not a module`);
  return checker
    .getExportsOfModule(moduleSymbol)
    .map((s) => {
      const target = s.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(s) : s;
      const declarations = target.declarations ?? [];
      const first = declarations[0];
      const file = first ? relative(ROOT, first.getSourceFile().fileName) : '(unknown)';
      return { name: s.getName(), declarations, file };
    })
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/**
 * The node a doc comment belongs to: a `const` is documented on its statement, not its declarator.
 *
 * @example
 * ```ts
 * ts.getJSDocTags(documentedNode(declaration)).some((t) => t.tagName.text === 'example')
 * ```
 */
export function documentedNode(decl: ts.Declaration): ts.Node {
  if (ts.isVariableDeclaration(decl) && ts.isVariableDeclarationList(decl.parent)) return decl.parent.parent;
  return decl;
}

/**
 * Whether any declaration of an export carries an `@example` tag.
 *
 * @example
 * ```ts
 * publicExports(program, 'src/index.ts').filter((e) => !hasExample(e)) // [] when every export is documented
 * ```
 */
export function hasExample(e: PublicExport): boolean {
  return e.declarations.some((d) => ts.getJSDocTags(documentedNode(d)).some((t) => t.tagName.text === 'example'));
}

function declaredName(statement: ts.Statement): string[] {
  if (ts.isVariableStatement(statement)) {
    return statement.declarationList.declarations.flatMap((d) => (ts.isIdentifier(d.name) ? [d.name.text] : []));
  }
  const name = (statement as { name?: ts.Node }).name;
  return name && ts.isIdentifier(name) ? [name.text] : [];
}

/**
 * The text of api/<entry>.api.md for every entry, from TypeScript's declaration emit (in memory).
 *
 * @example
 * ```ts
 * for (const [name, text] of renderApiReports()) writeFileSync(`api/${name}.api.md`, text);
 * ```
 */
export function renderApiReports(program: ts.Program = createApiProgram()): Map<string, string> {
  const dts = new Map<string, ts.SourceFile>();
  const result = program.emit(
    undefined,
    (fileName, text) => {
      if (fileName.endsWith('.d.ts')) {
        const key = relative(ROOT, fileName).replace(/\.d\.ts$/, '.ts');
        dts.set(key, ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS));
      }
    },
    undefined,
    true,
  );
  const error = result.diagnostics.find((d) => d.category === ts.DiagnosticCategory.Error);
  if (error)
    throw new TypeError(`declaration emit failed: ${ts.flattenDiagnosticMessageText(error.messageText, '\n')}`);
  // Exported top-level declarations of the library, by name, and every name some entry point exports.
  const declaredIn = new Map<string, string[]>();
  for (const [file, sf] of dts) {
    for (const st of sf.statements) {
      if (!ts.canHaveModifiers(st) || !ts.getModifiers(st)?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword))
        continue;
      for (const n of declaredName(st)) declaredIn.set(n, [...(declaredIn.get(n) ?? []), file]);
    }
  }
  const anyEntry = new Set(ENTRIES.flatMap((entry) => publicExports(program, entry.file).map((e) => e.name)));
  const printer = ts.createPrinter({ removeComments: true, newLine: ts.NewLineKind.LineFeed });
  const reports = new Map<string, string>();
  for (const entry of ENTRIES) {
    const lines = [
      `# API report: \`${entry.specifier}\``,
      '',
      `Generated by \`npm run api\` (scripts/api-report.ts) from the declarations of ${entry.file}. Do not edit:`,
      'a change here is a change to the public API (see ARCHITECTURE.md, "Public API").',
      '',
    ];
    const exported = publicExports(program, entry.file);
    const unexported = new Map<string, string[]>();
    for (const e of exported) {
      const declFile = dts.get(e.file);
      if (!declFile) throw new TypeError(`no declarations emitted for ${e.file} (export ${e.name})`);
      const statements = declFile.statements.filter((s) =>
        declaredName(s).includes(e.declarations[0] ? localName(e.declarations[0]) : e.name),
      );
      lines.push(`## ${e.name}`, '', `From ${e.file}.`, '', '```ts');
      for (const s of statements) {
        lines.push(printer.printNode(ts.EmitHint.Unspecified, s, declFile));
        for (const n of referencedNames(s)) {
          const files = declaredIn.get(n);
          if (files && !anyEntry.has(n)) unexported.set(n, files);
        }
      }
      lines.push('```', '');
    }
    if (unexported.size) {
      // What api-extractor calls a forgotten export: a user sees these names in the types but no entry exports them.
      lines.push('## Used by these exports, exported by no entry point', '');
      for (const [n, files] of [...unexported].sort(([a], [b]) => (a < b ? -1 : 1))) {
        lines.push(`- \`${n}\` (${files.join(', ')})`);
      }
      lines.push('');
    }
    reports.set(entry.name, `${lines.join('\n').trimEnd()}\n`);
  }
  return reports;
}

/**
 * The names a declaration refers to as types or heritage (`Foo`, `x.Foo`, `import('./x').Foo`, `typeof Foo`), less
 * its own type parameters.
 */
function referencedNames(node: ts.Node): Set<string> {
  const out = new Set<string>();
  const rightmost = (n: ts.EntityName | ts.Expression): string | undefined =>
    ts.isIdentifier(n)
      ? n.text
      : ts.isQualifiedName(n)
        ? n.right.text
        : ts.isPropertyAccessExpression(n)
          ? n.name.text
          : undefined;
  const visit = (n: ts.Node): void => {
    let name: string | undefined;
    if (ts.isTypeReferenceNode(n)) name = rightmost(n.typeName);
    else if (ts.isExpressionWithTypeArguments(n)) name = rightmost(n.expression);
    else if (ts.isImportTypeNode(n) && n.qualifier) name = rightmost(n.qualifier);
    else if (ts.isTypeQueryNode(n)) name = rightmost(n.exprName);
    if (name) out.add(name);
    if (ts.isTypeParameterDeclaration(n)) typeParameters.add(n.name.text);
    ts.forEachChild(n, visit);
  };
  const typeParameters = new Set<string>();
  visit(node);
  for (const t of typeParameters) out.delete(t);
  return out;
}

function localName(decl: ts.Declaration): string {
  const name = ts.getNameOfDeclaration(decl);
  return name && ts.isIdentifier(name) ? name.text : '';
}

/** Where the reports are written. */
export const API_DIR = resolve(ROOT, 'api');

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  mkdirSync(API_DIR, { recursive: true });
  for (const [name, text] of renderApiReports()) writeFileSync(resolve(API_DIR, `${name}.api.md`), text);
  console.log(`wrote ${ENTRIES.length} API reports to api/`);
}
