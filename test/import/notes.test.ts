import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DIFFERENCE_CLASSES } from '../../src/import/compare.js';
import { IMPORT_NOTES, formatNote, note, sortNotes } from '../../src/import/notes.js';

const doc = readFileSync('docs/migrate.md', 'utf8');

describe('the import note catalogue', () => {
  it.each(Object.entries(IMPORT_NOTES))('%s is documented in docs/migrate.md with its severity', (code, info) => {
    expect(doc).toContain(`| \`${code}\` | ${info.severity} |`);
  });
  it.each([...DIFFERENCE_CLASSES])('the report class %s is documented', (cls) => {
    expect(doc).toContain(`| \`${cls}\` |`);
  });
  it('builds notes with the catalogue severity, sorts them by place and prints them', () => {
    const a = note('import/untranslated', 'x', { file: 'f.json', line: 9, column: 1, pointer: '/a' });
    const b = note('import/ignored', 'y', { file: 'f.json', line: 2, column: 5 }, { hint: 'h' });
    const c = note('import/linked-by-email', 'z', { file: 'f.json', line: 2, column: 5 }, { severity: 'warning' });
    expect([a.severity, b.severity, c.severity]).toEqual(['error', 'info', 'warning']);
    expect(sortNotes([a, b, c])).toEqual([c, b, a]);
    expect(formatNote(a)).toBe('f.json:9:1: error import/untranslated: x (/a)\n');
    expect(formatNote(b)).toBe('f.json:2:5: info import/ignored: y\n  hint: h\n');
  });
});
