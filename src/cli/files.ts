/**
 * Which files `lint` and `fmt` read, with the conventions of ESLint and Biome: arguments are files, directories
 * (searched recursively for *.claimmap) or globs (`'maps/**\/*.claimmap'`, `{a,b}`, expanded by tinyglobby, so the
 * result is the same whether or not the shell expanded them); an argument starting with `!` excludes what it
 * matches. `.claimmapignore` in the working directory (or the file given to `--ignore-path`) and `--ignore-pattern`
 * use .gitignore syntax (the `ignore` package) and apply to every file, named ones included. Directories and globs
 * never enter node_modules, .git or dist.
 */
import { readFileSync, statSync } from 'node:fs';
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path';
import type { Ignore } from 'ignore';
import { defined } from '../model/invariant.js';
import { readProblem, type InputProblem } from './input-errors.js';

// tinyglobby and ignore are loaded only when needed (a directory, a glob or a `!` argument; an ignore file or
// pattern), so `claimmap lint FILE`, as pre-commit hooks run it, pays for neither.
type Globber = typeof import('tinyglobby');
const loadGlobber = (): Promise<Globber> => import('tinyglobby');
const loadIgnore = async (): Promise<() => Ignore> => (await import('ignore')).default;

/** The characters that make an argument a glob rather than a path (as tinyglobby's isDynamicPattern, roughly). */
const GLOB_CHARS = /[*?[\]{}()!+@]/;

/** The ignore file read from the working directory when `--ignore-path` is not given. */
export const IGNORE_FILE = '.claimmapignore';

/** Never searched by a directory or a glob (a file named explicitly is still read). */
const SEARCH_IGNORED = ['**/node_modules/**', '**/.git/**', '**/dist/**'];

/** The options `lint` and `fmt` share, for `parseCommandArgs`. */
export const INPUT_OPTIONS = {
  'ignore-path': { type: 'string' },
  'ignore-pattern': { type: 'string', multiple: true },
  'no-error-on-unmatched-pattern': { type: 'boolean' },
  'stdin-filename': { type: 'string' },
} as const;

/** The help lines for {@link INPUT_OPTIONS}. */
export const INPUT_OPTIONS_HELP = `  --ignore-path <file>  ignore what this .gitignore-style file lists (default: ./.claimmapignore)
  --ignore-pattern <p>  ignore files matching p (.gitignore syntax; repeatable)
  --no-error-on-unmatched-pattern
                        a glob or directory that matches no file is not an error
  --stdin-filename <n>  the name diagnostics give the text read from - (default <stdin>)`;

export interface FindFilesOptions {
  /** Working directory: arguments and `--ignore-pattern` are relative to it. */
  cwd: string;
  /** What directories and globs look for (default `.claimmap`). */
  extension?: string;
  /** `--ignore-path`: replaces ./.claimmapignore; its patterns are relative to its own directory. */
  ignorePath?: string;
  /** `--ignore-pattern`s, relative to `cwd`. */
  ignorePatterns?: readonly string[];
  /** `false` for `--no-error-on-unmatched-pattern`. Default `true`. */
  errorOnUnmatchedPattern?: boolean;
}

export interface FoundFiles {
  /** Paths to read, relative to `cwd` (or as typed, for files named explicitly), in a stable order, no duplicates. */
  files: string[];
  /** Arguments that name nothing (`input/not-found`), match nothing (`input/no-match`) or cannot be read. */
  problems: InputProblem[];
}

const toPosix = (p: string) => p.split(sep).join('/');

function isFile(abs: string): boolean {
  try {
    return statSync(abs).isFile();
  } catch {
    return false;
  }
}

/** Compares paths segment by segment, so `a/x` sorts before `a-b/x` as a directory walk would list them. */
function comparePaths(a: string, b: string): number {
  const x = a.split('/');
  const y = b.split('/');
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const p = defined(x[i]);
    const q = defined(y[i]);
    if (p !== q) return p < q ? -1 : 1;
  }
  return x.length - y.length;
}

/** A .gitignore-style matcher whose patterns are relative to `base`. */
interface IgnoreScope {
  base: string;
  matcher: Ignore;
}

function readIgnoreFile(path: string, arg: string, problems: InputProblem[], optional: boolean): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    if (!(optional && (e as NodeJS.ErrnoException).code === 'ENOENT')) problems.push(readProblem(arg, e));
    return undefined;
  }
}

function ignoredByScopes(abs: string, scopes: readonly IgnoreScope[]): boolean {
  for (const { base, matcher } of scopes) {
    const rel = relative(base, abs);
    if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) continue;
    if (matcher.ignores(toPosix(rel))) return true;
  }
  return false;
}

/** `!pattern` arguments (without the `!`) and the others; no other argument means `.`. */
function splitArgs(args: readonly string[]): { negated: string[]; targets: string[] } {
  const isNegated = (a: string): boolean => a.startsWith('!') && a.length > 1;
  const positive = args.filter((a) => !isNegated(a));
  return { negated: args.filter(isNegated).map((a) => a.slice(1)), targets: positive.length ? positive : ['.'] };
}

/** The ignore files and `--ignore-pattern`s as matchers, each with the folder its patterns are relative to. */
async function ignoreScopes(options: FindFilesOptions, problems: InputProblem[]): Promise<IgnoreScope[]> {
  const scopes: IgnoreScope[] = [];
  const ignoreText =
    options.ignorePath !== undefined
      ? readIgnoreFile(resolve(options.cwd, options.ignorePath), options.ignorePath, problems, false)
      : readIgnoreFile(resolve(options.cwd, IGNORE_FILE), IGNORE_FILE, problems, true);
  if (ignoreText !== undefined || options.ignorePatterns?.length) {
    const ignore = await loadIgnore();
    if (ignoreText !== undefined)
      scopes.push({
        base: dirname(resolve(options.cwd, options.ignorePath ?? IGNORE_FILE)),
        matcher: ignore().add(ignoreText),
      });
    if (options.ignorePatterns?.length)
      scopes.push({ base: options.cwd, matcher: ignore().add([...options.ignorePatterns]) });
  }
  return scopes;
}

/**
 * Expands CLI arguments to the files to read. No argument means `.`.
 *
 * @example
 * ```ts
 * const { files, problems } = await findFiles(['maps/', '!maps/legacy/**'], { cwd: process.cwd() });
 * ```
 */
export async function findFiles(args: readonly string[], options: FindFilesOptions): Promise<FoundFiles> {
  const { cwd } = options;
  const extension = options.extension ?? '.claimmap';
  const errorOnUnmatched = options.errorOnUnmatchedPattern ?? true;
  const problems: InputProblem[] = [];

  const scopes = await ignoreScopes(options, problems);

  const { negated, targets } = splitArgs(args);
  // Only a named file needs no globber, and only when no `!` argument must be matched against it.
  const needsGlobber = negated.length > 0 || targets.some((a) => GLOB_CHARS.test(a) || !isFile(resolve(cwd, a)));
  const globber = needsGlobber ? await loadGlobber() : undefined;
  const excluded = (rel: string): boolean =>
    globber !== undefined &&
    negated.length > 0 &&
    globber.globSync([globber.escapePath(rel)], { cwd, dot: true, ignore: negated, expandDirectories: false })
      .length === 0;

  const seen = new Set<string>();
  const files: string[] = [];
  const add = (shown: string) => {
    const abs = resolve(cwd, shown);
    if (seen.has(abs)) return;
    seen.add(abs);
    files.push(shown);
  };
  const search = (arg: string, pattern: string, kind: 'directory' | 'pattern') => {
    // A directory or a glob target is what made needsGlobber true.
    const found = defined(globber)
      .globSync([pattern], {
        cwd,
        dot: true,
        ignore: [...SEARCH_IGNORED, ...negated],
        expandDirectories: false,
        followSymbolicLinks: false,
      })
      .filter((p) => p.endsWith(extension) && !ignoredByScopes(resolve(cwd, p), scopes))
      .sort(comparePaths);
    if (found.length === 0 && errorOnUnmatched)
      problems.push({
        code: 'input/no-match',
        arg,
        message:
          kind === 'directory'
            ? `no ${extension} file in this directory (after ignores)`
            : `no ${extension} file matches this pattern (after ignores)`,
        hint: 'check the pattern and the ignore files, or pass --no-error-on-unmatched-pattern',
      });
    found.forEach(add);
  };

  for (const arg of targets) {
    const abs = resolve(cwd, arg);
    let isDir: boolean;
    try {
      isDir = statSync(abs).isDirectory();
    } catch (e) {
      const errno = (e as NodeJS.ErrnoException).code;
      if ((errno === 'ENOENT' || errno === 'ENOTDIR') && globber?.isDynamicPattern(arg)) search(arg, arg, 'pattern');
      else problems.push(readProblem(arg, e));
      continue;
    }
    if (isDir) {
      const rel = toPosix(relative(cwd, abs));
      search(
        arg,
        rel === '' ? `**/*${extension}` : `${defined(globber).escapePath(rel)}/**/*${extension}`,
        'directory',
      );
      continue;
    }
    // A file named explicitly: read whatever its extension, unless an ignore file or a `!` argument excludes it.
    if (ignoredByScopes(abs, scopes)) continue;
    const rel = toPosix(relative(cwd, abs));
    if (!rel.startsWith('..') && !isAbsolute(rel) && excluded(rel)) continue;
    add(arg);
  }
  return { files, problems };
}
