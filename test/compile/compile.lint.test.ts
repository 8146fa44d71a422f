import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compile, lint } from '../../src/compile/compile.js';

const GOLDEN = 'test/golden/diagnostics';
const EXAMPLES = 'examples';
const inputs: [string, Buffer][] = [
  ...readdirSync(GOLDEN)
    .filter((f) => f.endsWith('.claimmap'))
    .map((f): [string, Buffer] => [f, readFileSync(join(GOLDEN, f))]),
  ...readdirSync(EXAMPLES, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map(({ name: d }): [string, Buffer] => {
      const file = readdirSync(join(EXAMPLES, d)).find((f) => f.endsWith('.claimmap'))!;
      return [`${d}/${file}`, readFileSync(join(EXAMPLES, d, file))];
    }),
];

describe('lint()', () => {
  it('covers every golden case and every example', () => {
    expect(inputs.length).toBeGreaterThanOrEqual(80);
    expect(inputs.some(([, b]) => compile(b).plan !== null)).toBe(true);
    expect(inputs.some(([, b]) => compile(b).plan === null)).toBe(true);
  });

  it.each(inputs)('reports exactly what compile() reports: %s', (name, bytes) => {
    expect(lint(bytes, { filename: name })).toEqual(compile(bytes, { filename: name }).diagnostics);
    expect(lint(bytes.toString('utf8'), { filename: name, maxDiagnostics: 3 })).toEqual(
      compile(bytes.toString('utf8'), { filename: name, maxDiagnostics: 3 }).diagnostics,
    );
  });

  it('agrees with compile() on mutated examples', () => {
    const sources = inputs.map(([, b]) => b.toString('utf8'));
    fc.assert(
      fc.property(
        fc.constantFrom(...sources),
        fc.nat(),
        fc.nat(40),
        fc.string({ maxLength: 8 }),
        (src, at, cut, insert) => {
          const i = at % (src.length + 1);
          const mutated = src.slice(0, i) + insert + src.slice(i + cut);
          expect(lint(mutated)).toEqual(compile(mutated).diagnostics);
        },
      ),
      { numRuns: 200 },
    );
  });
});
