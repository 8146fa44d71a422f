import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../fake-io.js';

const MESSY = 'mapping "m" {\n idp oidc "https://id.example.com"\n   key sub\n}\n';
const NEAT = 'mapping "m" {\n  idp oidc "https://id.example.com"\n  key sub\n}\n';
const tmp = () => mkdtempSync(join(tmpdir(), 'claimmap-fmt-'));

describe('claimmap fmt --check', () => {
  it('prints a unified diff of each file that is not formatted, and exits 1', async () => {
    const dir = tmp();
    writeFileSync(join(dir, 'a.claimmap'), MESSY);
    writeFileSync(join(dir, 'b.claimmap'), NEAT);
    const r = await cli(['fmt', '--check', '.'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe(
      [
        'would reformat a.claimmap',
        '--- a.claimmap\tcurrent',
        '+++ a.claimmap\tformatted',
        '@@ -1,4 +1,4 @@',
        ' mapping "m" {',
        '- idp oidc "https://id.example.com"',
        '-   key sub',
        '+  idp oidc "https://id.example.com"',
        '+  key sub',
        ' }',
        '1 of 2 files would be reformatted',
        '',
      ].join('\n'),
    );
    expect(readFileSync(join(dir, 'a.claimmap'), 'utf8')).toBe(MESSY);
  });

  it('colours the diff only when colour is on', async () => {
    const dir = tmp();
    writeFileSync(join(dir, 'a.claimmap'), MESSY);
    expect((await cli(['fmt', '--check', 'a.claimmap'], { cwd: dir })).stdout).not.toContain('\x1b[');
    const c = await cli(['fmt', '--check', 'a.claimmap', '--color'], { cwd: dir });
    expect(c.stdout).toContain('\x1b[31m-   key sub\x1b[0m');
    expect(c.stdout).toContain('\x1b[32m+  key sub\x1b[0m');
  });

  it('counts in correct English', async () => {
    const dir = tmp();
    writeFileSync(join(dir, 'a.claimmap'), NEAT);
    expect((await cli(['fmt', '--check', '.'], { cwd: dir })).stdout).toBe('1 file already formatted\n');
    writeFileSync(join(dir, 'b.claimmap'), NEAT);
    expect((await cli(['fmt', '--check', '.'], { cwd: dir })).stdout).toBe('2 files already formatted\n');
  });
});

describe('claimmap fmt - (standard input)', () => {
  it('writes the formatted text to stdout', async () => {
    expect(await cli(['fmt', '-'], { stdin: MESSY })).toEqual({ code: 0, stdout: NEAT, stderr: '' });
  });

  it('--check diffs standard input under --stdin-filename', async () => {
    const r = await cli(['fmt', '-', '--check', '--stdin-filename', 'maps/m.claimmap'], { stdin: MESSY });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('--- maps/m.claimmap\tcurrent\n+++ maps/m.claimmap\tformatted\n');
    expect(await cli(['fmt', '-', '--check'], { stdin: NEAT })).toEqual({
      code: 0,
      stdout: '1 file already formatted\n',
      stderr: '',
    });
  });

  it('reports syntax errors under the stdin name; refuses --write', async () => {
    const bad = await cli(['fmt', '-'], { stdin: 'mapping "m" { roles { grant } }' });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/^<stdin>:1:\d+: error syntax\/unexpected-token/);
    const w = await cli(['fmt', '-', '--write'], { stdin: MESSY });
    expect(w.code).toBe(2);
    expect(w.stderr).toContain('--write cannot rewrite standard input');
  });
});

describe('claimmap fmt inputs', () => {
  it('a missing file is error input/not-found; --no-error-on-unmatched-pattern allows an empty match', async () => {
    const dir = tmp();
    expect(await cli(['fmt', '--check', 'gone.claimmap'], { cwd: dir })).toEqual({
      code: 2,
      stdout: '',
      stderr: 'error input/not-found: gone.claimmap: no such file or directory\n',
    });
    expect((await cli(['fmt', '--check', '*.claimmap'], { cwd: dir })).stderr).toMatch(/^error input\/no-match: /);
    expect(await cli(['fmt', '--check', '*.claimmap', '--no-error-on-unmatched-pattern'], { cwd: dir })).toEqual({
      code: 0,
      stdout: '0 files already formatted\n',
      stderr: '',
    });
  });
});
