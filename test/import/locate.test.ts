import { describe, expect, it } from 'vitest';
import { readJsonFile, readYamlFile } from '../../src/import/locate.js';

describe('readJsonFile', () => {
  const text = '{\n  "a": [\n    1,\n    {"b": "x"}\n  ],\n  "c~/d": true\n}\n';
  it('locates keys and array elements by JSON pointer', () => {
    const r = readJsonFile(text, 'x.json');
    if (!r.ok) throw new Error('expected ok');
    const doc = r.documents[0]!;
    expect(doc.value).toEqual({ a: [1, { b: 'x' }], 'c~/d': true });
    expect(doc.at('/a')).toEqual({ file: 'x.json', line: 2, column: 3, pointer: '/a' });
    expect(doc.at('/a/1')).toMatchObject({ line: 4, column: 5 });
    expect(doc.at('/a/1/b')).toMatchObject({ line: 4, column: 6 });
    expect(doc.at('/c~0~1d')).toMatchObject({ line: 6, column: 3 });
  });
  it('falls back to the closest located ancestor', () => {
    const r = readJsonFile(text, 'x.json');
    if (!r.ok) throw new Error('expected ok');
    expect(r.documents[0]!.at('/a/1/nope')).toMatchObject({ line: 4, column: 5, pointer: '/a/1/nope' });
  });
  it.each([
    ['{"a":1,"a":2}', 1, 'twice'],
    ['{"a":', 1, ''],
    ['', 1, ''],
    ['[1,\n2,]', 2, ''],
  ])('refuses %j with an import/invalid-input note at its position', (bad, line, word) => {
    const r = readJsonFile(bad, 'bad.json');
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.notes).toHaveLength(1);
    expect(r.notes[0]).toMatchObject({
      code: 'import/invalid-input',
      severity: 'error',
      location: { file: 'bad.json', line },
    });
    expect(r.notes[0]!.message).toContain(word);
  });
  it('skips a byte order mark', () => {
    const r = readJsonFile('\ufeff{"a": 1}', 'bom.json');
    expect(r.ok && r.documents[0]!.at('/a')).toMatchObject({ line: 1, column: 2 });
  });
});

describe('readYamlFile', () => {
  it('locates pointers in every document of a stream', () => {
    const r = readYamlFile('a: 1\n---\nb:\n  - x\n  - y\n', 'k.yaml', { multiDocument: true });
    if (!r.ok) throw new Error('expected ok');
    expect(r.documents.map((d) => d.value)).toEqual([{ a: 1 }, { b: ['x', 'y'] }]);
    expect(r.documents[1]!.at('/b/1')).toMatchObject({ line: 5, column: 5 });
  });
  it('refuses duplicate keys and alias bombs with notes', () => {
    const dup = readYamlFile('a: 1\na: 2\n', 'd.yaml');
    expect(dup.ok).toBe(false);
    const bomb = [
      'a: &a [x, x, x, x, x, x, x, x, x, x]',
      ...Array.from(
        { length: 8 },
        (_, i) =>
          `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [*${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}]`,
      ),
    ].join('\n');
    const r = readYamlFile(bomb, 'bomb.yaml');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.notes[0]!.code).toBe('import/invalid-input');
  });
});
