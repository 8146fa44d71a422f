/**
 * Lists the long functions of src/: every function declaration, function expression, arrow function, method,
 * constructor and accessor (closures included) longer than a limit, with `file:line`, its length in lines and its
 * nesting (`provision > body > settle`). Nested functions (closures) have a limit of their own, lower by default: a
 * long closure hides state a reader must track across its whole parent. Run with `npm run long-functions`
 * (`tsx scripts/long-functions.ts`):
 *
 *   npm run long-functions                      # functions over 60 lines, closures over 30
 *   npm run long-functions -- --max 80          # functions over 80 lines
 *   npm run long-functions -- --max 80 --max-nested 80 --fail   # exit 1 when any is found
 *
 * Length counts lines from the function's first token (after its doc comment) to its closing brace, blank lines and
 * comments inside included: what a reader scrolls through.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import ts from 'typescript';

/** One function over its limit. */
export interface LongFunction {
  /** Path relative to the scanned root's parent, posix separators (`src/runtime/provision.ts`). */
  file: string;
  /** 1-based line of the function's first token. */
  line: number;
  /** Lines from the first token to the last. */
  lines: number;
  /** The names of the enclosing functions and this one, outermost first (`provision > body > settle`). */
  name: string;
  /** Whether the function is inside another function (a closure). */
  nested: boolean;
}

/** Limits of {@link longFunctions}: a function is listed when it has more lines than its limit. */
export interface Limits {
  /** Limit of a top-level function or method. */
  max: number;
  /** Limit of a function nested in another function. */
  maxNested: number;
}

/** Defaults of {@link Limits}. */
export const DEFAULT_LIMITS: Readonly<Limits> = Object.freeze({ max: 60, maxNested: 30 });

type FunctionNode =
  | ts.FunctionDeclaration
  | ts.FunctionExpression
  | ts.ArrowFunction
  | ts.MethodDeclaration
  | ts.ConstructorDeclaration
  | ts.GetAccessorDeclaration
  | ts.SetAccessorDeclaration;

function isFunction(node: ts.Node): node is FunctionNode {
  return (
    ts.isFunctionDeclaration(node) ||
    ts.isFunctionExpression(node) ||
    ts.isArrowFunction(node) ||
    ts.isMethodDeclaration(node) ||
    ts.isConstructorDeclaration(node) ||
    ts.isGetAccessorDeclaration(node) ||
    ts.isSetAccessorDeclaration(node)
  );
}

/** The text of a property or binding name, when it has one. */
function nameText(name: ts.Node | undefined, sf: ts.SourceFile): string | null {
  if (name === undefined) return null;
  if (ts.isIdentifier(name) || ts.isPrivateIdentifier(name) || ts.isStringLiteral(name)) return name.text;
  return name.getText(sf);
}

/** What a reader calls the function: its own name, the variable or property it is assigned to, or `<anonymous>`. */
function functionName(node: FunctionNode, sf: ts.SourceFile): string {
  if (ts.isConstructorDeclaration(node)) return 'constructor';
  const own = nameText(node.name, sf);
  if (own !== null) return ts.isGetAccessorDeclaration(node) ? `get ${own}` : own;
  const parent = node.parent;
  if (ts.isVariableDeclaration(parent) || ts.isPropertyAssignment(parent) || ts.isPropertyDeclaration(parent)) {
    return nameText(parent.name, sf) ?? '<anonymous>';
  }
  if (ts.isCallExpression(parent)) {
    const callee = parent.expression;
    const called = ts.isPropertyAccessExpression(callee) ? callee.name.text : callee.getText(sf);
    return `<${called} callback>`;
  }
  return '<anonymous>';
}

/** The functions of one source text over their limits, in source order. */
export function longFunctionsIn(file: string, text: string, limits: Limits = DEFAULT_LIMITS): LongFunction[] {
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const out: LongFunction[] = [];
  const visit = (node: ts.Node, outer: readonly string[]): void => {
    if (!isFunction(node) || node.body === undefined) {
      ts.forEachChild(node, (child) => visit(child, outer));
      return;
    }
    const names = [...outer, functionName(node, sf)];
    const first = sf.getLineAndCharacterOfPosition(node.getStart(sf)).line;
    const last = sf.getLineAndCharacterOfPosition(node.getEnd()).line;
    const lines = last - first + 1;
    const nested = outer.length > 0;
    if (lines > (nested ? limits.maxNested : limits.max)) {
      out.push({ file, line: first + 1, lines, name: names.join(' > '), nested });
    }
    ts.forEachChild(node, (child) => visit(child, names));
  };
  visit(sf, []);
  return out;
}

/** Every `.ts` file under `dir`, sorted, as absolute paths. */
function tsFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...tsFiles(path));
    else if (name.endsWith('.ts') && !name.endsWith('.d.ts')) out.push(path);
  }
  return out;
}

/**
 * The functions of every `.ts` file under `root` over their limits, longest first (then by file and line).
 *
 * @example
 * ```ts
 * for (const f of longFunctions('src')) console.log(`${f.file}:${f.line} ${f.lines} ${f.name}`);
 * ```
 */
export function longFunctions(root: string, limits: Limits = DEFAULT_LIMITS): LongFunction[] {
  const base = join(root, '..');
  const all = tsFiles(root).flatMap((path) =>
    longFunctionsIn(relative(base, path).split('\\').join('/'), readFileSync(path, 'utf8'), limits),
  );
  return all.sort((a, b) => b.lines - a.lines || a.file.localeCompare(b.file) || a.line - b.line);
}

/** One line of the listing: `lines  file:line  name (closure)`. */
export function formatLongFunction(f: LongFunction): string {
  return `${String(f.lines).padStart(4)}  ${f.file}:${f.line}  ${f.name}${f.nested ? '  (closure)' : ''}`;
}

function positiveInt(text: string | undefined, flag: string): number {
  const n = Number(text);
  if (!Number.isSafeInteger(n) || n < 1) throw new TypeError(`${flag} needs a positive integer`);
  return n;
}

function main(argv: readonly string[]): number {
  const limits: Limits = { ...DEFAULT_LIMITS };
  let fail = false;
  let root = fileURLToPath(new URL('../src', import.meta.url));
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--max') limits.max = positiveInt(argv[++i], '--max');
    else if (arg === '--max-nested') limits.maxNested = positiveInt(argv[++i], '--max-nested');
    else if (arg === '--fail') fail = true;
    else if (arg !== undefined && !arg.startsWith('-')) root = arg;
    else throw new TypeError(`unknown option ${arg}; use --max N, --max-nested N, --fail, [dir]`);
  }
  const found = longFunctions(root, limits);
  for (const f of found) console.log(formatLongFunction(f));
  const closures = found.filter((f) => f.nested).length;
  console.log(
    `${found.length} function(s) over ${limits.max} lines or closure(s) over ${limits.maxNested} lines (${closures} closure(s)).`,
  );
  return fail && found.length > 0 ? 1 : 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = main(process.argv.slice(2));
}
