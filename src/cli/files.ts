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
import ignore, { type Ignore } from 'ignore';
import { escapePath, globSync, isDynamicPattern } from 'tinyglobby';
import { readProblem, type InputProblem } from './input-errors.js';

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

/** Compares paths segment by segment, so `a/x` sorts before `a-b/x` as a directory walk would list them. */
function comparePaths(a: string, b: string): number {
  const x = a.split('/');
  const y = b.split('/');
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    if (x[i] !== y[i]) return x[i]! < y[i]! ? -1 : 1;
  }
  return x.length - y.length;
}

/** A .gitignore-style matcher whose patterns are relative to `base`. */
interface IgnoreScope {
  base: string;
  matcher: Ignore;
}

function loadIgnoreFile(path: string, arg: string, scopes: IgnoreScope[], problems: InputProblem[], optional: boolean) {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    if (optional && (e as NodeJS.ErrnoException).code === 'ENOENT') return;
    problems.push(readProblem(arg, e));
    return;
  }
  scopes.push({ base: dirname(path), matcher: ignore().add(text) });
}

function ignoredByScopes(abs: string, scopes: readonly IgnoreScope[]): boolean {
  for (const { base, matcher } of scopes) {
    const rel = relative(base, abs);
    if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) continue;
    if (matcher.ignores(toPosix(rel))) return true;
  }
  return false;
}

/**
 * Expands CLI arguments to the files to read. No argument means `.`.
 *
 * @example
 * ```ts
 * const { files, problems } = findFiles(['maps/', '!maps/legacy/**'], { cwd: process.cwd() });
 * ```
 */
export function findFiles(args: readonly string[], options: FindFilesOptions): FoundFiles {
  const { cwd } = options;
  const extension = options.extension ?? '.claimmap';
  const errorOnUnmatched = options.errorOnUnmatchedPattern ?? true;
  const problems: InputProblem[] = [];

  const scopes: IgnoreScope[] = [];
  if (options.ignorePath !== undefined)
    loadIgnoreFile(resolve(cwd, options.ignorePath), options.ignorePath, scopes, problems, false);
  else loadIgnoreFile(resolve(cwd, IGNORE_FILE), IGNORE_FILE, scopes, problems, true);
  if (options.ignorePatterns?.length) scopes.push({ base: cwd, matcher: ignore().add([...options.ignorePatterns]) });

  const negated = args.filter((a) => a.startsWith('!') && a.length > 1).map((a) => a.slice(1));
  const positive = args.filter((a) => !(a.startsWith('!') && a.length > 1));
  const excluded = (rel: string): boolean =>
    negated.length > 0 &&
    globSync([escapePath(rel)], { cwd, dot: true, ignore: negated, expandDirectories: false }).length === 0;

  const seen = new Set<string>();
  const files: string[] = [];
  const add = (shown: string) => {
    const abs = resolve(cwd, shown);
    if (seen.has(abs)) return;
    seen.add(abs);
    files.push(shown);
  };
  const search = (arg: string, pattern: string, kind: 'directory' | 'pattern') => {
    const found = globSync([pattern], {
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

  for (const arg of positive.length ? positive : ['.']) {
    const abs = resolve(cwd, arg);
    let isDir: boolean;
    try {
      isDir = statSync(abs).isDirectory();
    } catch (e) {
      const errno = (e as NodeJS.ErrnoException).code;
      if ((errno === 'ENOENT' || errno === 'ENOTDIR') && isDynamicPattern(arg)) search(arg, arg, 'pattern');
      else problems.push(readProblem(arg, e));
      continue;
    }
    if (isDir) {
      const rel = toPosix(relative(cwd, abs));
      search(arg, rel === '' ? `**/*${extension}` : `${escapePath(rel)}/**/*${extension}`, 'directory');
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
