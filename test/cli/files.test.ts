import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findFiles } from '../../src/cli/files.js';

/** A scratch tree: each path gets a file (a trailing / makes a directory). */
function tree(paths: string[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'claimmap-files-'));
  for (const p of paths) {
    if (p.endsWith('/')) mkdirSync(join(dir, p), { recursive: true });
    else {
      mkdirSync(dirname(join(dir, p)), { recursive: true });
      writeFileSync(join(dir, p), 'mapping "m" { idp oidc "https://x" key sub }\n');
    }
  }
  return dir;
}

const TREE = [
  'a.claimmap',
  'notes.txt',
  'maps/okta.claimmap',
  'maps/entra.claimmap',
  'maps/google.claimmap',
  'maps/legacy/old.claimmap',
  'maps-b/x.claimmap',
  'node_modules/pkg/dep.claimmap',
  '.git/hooks/h.claimmap',
  'dist/copy.claimmap',
  '.github/ci.claimmap',
  'empty/',
];

describe('findFiles', async () => {
  it('expands no argument to every *.claimmap below cwd, skipping node_modules, .git and dist, in walk order', async () => {
    const cwd = tree(TREE);
    expect(await findFiles([], { cwd })).toEqual({
      files: [
        '.github/ci.claimmap',
        'a.claimmap',
        'maps/entra.claimmap',
        'maps/google.claimmap',
        'maps/legacy/old.claimmap',
        'maps/okta.claimmap',
        'maps-b/x.claimmap',
      ],
      problems: [],
    });
  });

  it('expands globs with ** and braces, and ! arguments exclude', async () => {
    const cwd = tree(TREE);
    expect((await findFiles(['maps/{okta,entra}.claimmap'], { cwd })).files).toEqual([
      'maps/entra.claimmap',
      'maps/okta.claimmap',
    ]);
    expect((await findFiles(['maps/**/*.claimmap', '!maps/legacy/**'], { cwd })).files).toEqual([
      'maps/entra.claimmap',
      'maps/google.claimmap',
      'maps/okta.claimmap',
    ]);
    // A negation excludes directories' files and named files alike; alone it applies to the default `.`.
    expect((await findFiles(['maps', 'a.claimmap', '!**/g*.claimmap', '!a.claimmap'], { cwd })).files).toEqual([
      'maps/entra.claimmap',
      'maps/legacy/old.claimmap',
      'maps/okta.claimmap',
    ]);
    expect((await findFiles(['!maps/**', '!maps-b/**', '!.github/**'], { cwd })).files).toEqual(['a.claimmap']);
    // A glob reads only *.claimmap, even when it matches other files.
    expect((await findFiles(['*'], { cwd })).files).toEqual(['a.claimmap']);
  });

  it('keeps a named file as typed, whatever its extension, and lists each file once', async () => {
    const cwd = tree(TREE);
    expect(
      (await findFiles(['./a.claimmap', 'notes.txt', 'a.claimmap', 'maps/okta.claimmap', 'maps'], { cwd })).files,
    ).toEqual([
      './a.claimmap',
      'notes.txt',
      'maps/okta.claimmap',
      'maps/entra.claimmap',
      'maps/google.claimmap',
      'maps/legacy/old.claimmap',
    ]);
    // Named explicitly, a file under node_modules is read (only searches skip it).
    expect((await findFiles(['node_modules/pkg/dep.claimmap'], { cwd })).files).toEqual([
      'node_modules/pkg/dep.claimmap',
    ]);
  });

  it('reads .claimmapignore (gitignore syntax) and applies it to named files too', async () => {
    const cwd = tree(TREE);
    writeFileSync(join(cwd, '.claimmapignore'), '# legacy mappings\nlegacy/\n*.claimmap\n!maps/okta.claimmap\n');
    expect((await findFiles([], { cwd })).files).toEqual(['maps/okta.claimmap']);
    expect(await findFiles(['a.claimmap', 'maps/okta.claimmap'], { cwd })).toEqual({
      files: ['maps/okta.claimmap'],
      problems: [],
    });
  });

  it('--ignore-path replaces .claimmapignore, relative to its own directory; --ignore-pattern is relative to cwd', async () => {
    const cwd = tree(TREE);
    writeFileSync(join(cwd, '.claimmapignore'), 'maps/\n');
    writeFileSync(join(cwd, 'maps', 'only-here.ignore'), 'legacy/\ngoogle.claimmap\n');
    expect((await findFiles(['maps'], { cwd, ignorePath: 'maps/only-here.ignore' })).files).toEqual([
      'maps/entra.claimmap',
      'maps/okta.claimmap',
    ]);
    expect((await findFiles(['maps-b', 'a.claimmap'], { cwd, ignorePatterns: ['/a.claimmap'] })).files).toEqual([
      'maps-b/x.claimmap',
    ]);
    expect((await findFiles([], { cwd, ignorePath: 'no/such.ignore' })).problems).toEqual([
      { code: 'input/not-found', arg: 'no/such.ignore', message: 'no such file or directory' },
    ]);
  });

  it('reports a missing file as input/not-found with the path as typed, and what matches nothing as input/no-match', async () => {
    const cwd = tree(TREE);
    const r = await findFiles(['maps/nope.claimmap', 'nope/*.claimmap', 'empty', 'a.claimmap', 'a.claimmap/x'], {
      cwd,
    });
    expect(r.files).toEqual(['a.claimmap']);
    expect(r.problems.map((p) => [p.code, p.arg])).toEqual([
      ['input/not-found', 'maps/nope.claimmap'],
      ['input/no-match', 'nope/*.claimmap'],
      ['input/no-match', 'empty'],
      ['input/not-found', 'a.claimmap/x'],
    ]);
    for (const p of r.problems) expect(p.message).not.toMatch(/ENOENT|\//);
    // A directory whose files are all ignored matches nothing too.
    expect((await findFiles(['maps/legacy', '!**/old.claimmap'], { cwd })).problems.map((p) => p.code)).toEqual([
      'input/no-match',
    ]);
  });

  it('errorOnUnmatchedPattern: false allows patterns and directories that match nothing, not missing files', async () => {
    const cwd = tree(TREE);
    const r = await findFiles(['nope/*.claimmap', 'empty', 'gone.claimmap'], { cwd, errorOnUnmatchedPattern: false });
    expect(r.files).toEqual([]);
    expect(r.problems.map((p) => [p.code, p.arg])).toEqual([['input/not-found', 'gone.claimmap']]);
  });

  it('treats an existing path with glob characters as a file', async () => {
    const cwd = tree(['odd[1].claimmap', 'odd1.claimmap']);
    expect((await findFiles(['odd[1].claimmap'], { cwd })).files).toEqual(['odd[1].claimmap']);
  });
});
