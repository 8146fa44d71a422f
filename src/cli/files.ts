/**
 * File discovery for `lint`: paths, directories (recursively, *.claimmap) and simple globs (`*`, `**`, `?`), so
 * the CLI behaves the same whether or not the shell expanded the pattern.
 */
import { type Dirent, readdirSync, type Stats, statSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { defined } from '../model/invariant.js';

const SKIP = new Set(['node_modules', '.git', 'dist']);

function walk(dir: string, out: string[]): void {
  let entries: Dirent[];
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const e of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
    if (SKIP.has(e.name)) continue;
    const p = join(dir, e.name);
    if (e.isDirectory()) walk(p, out);
    else if (e.isFile()) out.push(p);
  }
}

function globToRegExp(glob: string): RegExp {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const ch = defined(glob[i]);
    if (ch === '*' && glob[i + 1] === '*') {
      re += glob[i + 2] === '/' ? '(?:.*/)?' : '.*';
      i += glob[i + 2] === '/' ? 2 : 1;
    } else if (ch === '*') re += '[^/]*';
    else if (ch === '?') re += '[^/]';
    else re += ch.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

export interface FoundFiles {
  files: string[];
  /** Arguments that matched nothing. */
  missing: string[];
}

/** Expands CLI arguments to files, relative to `cwd`, in a stable order. */
export function findFiles(args: string[], cwd: string, extension = '.claimmap'): FoundFiles {
  const files = new Set<string>();
  const missing: string[] = [];
  for (const arg of args.length ? args : ['.']) {
    if (/[*?]/.test(arg)) {
      const idx = arg.search(/[*?]/);
      const base = arg.slice(0, arg.lastIndexOf('/', idx) + 1) || '.';
      const rx = globToRegExp(arg.replace(/^\.\//, ''));
      const all: string[] = [];
      walk(resolve(cwd, base), all);
      const matched = all.map((p) => relative(cwd, p).split(sep).join('/')).filter((p) => rx.test(p));
      if (!matched.length) missing.push(arg);
      for (const p of matched) files.add(p);
      continue;
    }
    const abs = resolve(cwd, arg);
    let st: Stats;
    try {
      st = statSync(abs);
    } catch {
      missing.push(arg);
      continue;
    }
    if (st.isDirectory()) {
      const all: string[] = [];
      walk(abs, all);
      for (const p of all) if (p.endsWith(extension)) files.add(relative(cwd, p).split(sep).join('/') || p);
    } else files.add(arg);
  }
  return { files: [...files], missing };
}
