/**
 * Golden diagnostics: one minimal mapping per diagnostic code (test/golden/diagnostics/<code with / as __>.claimmap).
 * Each case must produce its code (with the catalogue's severity); the whole text report (message, source line,
 * caret, hint, related locations) is compared with <name>.txt. Regenerate with `npx vitest run test/golden -u`
 * and review every changed .txt: wording lives here, unit tests assert codes and ranges.
 */
import { describe, expect, it } from 'vitest';
import { diagnosticCatalogue } from '../../src/check/catalogue.js';
import { compile } from '../../src/compile/compile.js';
import type { Severity } from '../../src/diagnostics/diagnostic.js';
import { renderTextReport } from '../../src/diagnostics/render.js';
import { caseOfCode, loadGoldenCases, strayGoldenFiles, type GoldenCase } from './golden-cases.js';

/**
 * Codes whose golden case cannot trigger them today because of a bug outside test/ (reported to the lead). Each runs
 * as `it.fails`: when the bug is fixed the case starts passing, `it.fails` then fails, and the entry must go.
 */
const KNOWN_BUGS: Record<string, string> = {};

const cases = loadGoldenCases();
const catalogue = diagnosticCatalogue();
const severityOf = new Map<string, Severity>(catalogue.map((c) => [c.code, c.severity]));

function run(c: GoldenCase) {
  const { diagnostics } = compile(c.binary ? c.bytes : c.text, c.options);
  const text = renderTextReport(diagnostics, { sources: new Map([[c.filename, c.text]]) });
  return { diagnostics, text };
}

describe('golden diagnostics', () => {
  for (const c of cases) {
    const test = Object.hasOwn(KNOWN_BUGS, c.code) ? it.fails : it;
    test(`${c.code} (${c.filename})`, async () => {
      const { diagnostics, text } = run(c);
      const hit = diagnostics.find((d) => d.code === c.code);
      expect(hit, `expected ${c.code} among: ${diagnostics.map((d) => d.code).join(', ') || 'none'}`).toBeDefined();
      expect(hit!.severity).toBe(severityOf.get(c.code));
      expect(hit!.file).toBe(c.filename);
      await expect(text).toMatchFileSnapshot(`./diagnostics/${c.name}.txt`);
    });
  }

  it('compiles the binary case from bytes, and every other case is valid UTF-8', () => {
    expect(cases.filter((c) => c.binary).map((c) => c.code)).toEqual(['syntax/invalid-utf8']);
  });
});

describe('golden meta', () => {
  it('has a golden case for every catalogue code', () => {
    const have = new Set(cases.map((c) => c.code));
    const missing = catalogue.map((c) => c.code).filter((code) => !have.has(code));
    expect(missing, `add test/golden/diagnostics/${caseOfCode(missing[0] ?? '')}.claimmap`).toEqual([]);
  });

  it('has no golden case for a code outside the catalogue', () => {
    const known = new Set<string>(catalogue.map((c) => c.code));
    expect(cases.map((c) => c.code).filter((code) => !known.has(code))).toEqual([]);
  });

  it('lists every code once in the catalogue', () => {
    const codes = catalogue.map((c) => c.code);
    expect(codes.filter((c, i) => codes.indexOf(c) !== i)).toEqual([]);
  });

  it('lists only catalogue codes as known bugs', () => {
    expect(Object.keys(KNOWN_BUGS).filter((code) => !severityOf.has(code))).toEqual([]);
  });

  it('holds no stray file (a golden output or sidecar without its case)', () => {
    expect(strayGoldenFiles()).toEqual([]);
  });
});
