/** docs/diagnostics.md is generated: it must be exactly what scripts/gen-diagnostics-doc.ts writes now. */
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { diagnosticCatalogue } from '../../src/check/catalogue.js';
import { DIAGNOSTICS_DOC, renderDiagnosticsDoc } from '../../scripts/gen-diagnostics-doc.js';

const STALE =
  'docs/diagnostics.md is stale: run `npm run docs` (tsx scripts/gen-diagnostics-doc.ts) and commit the result';

describe('docs/diagnostics.md', () => {
  it('is up to date with the catalogue and the golden cases', () => {
    expect(existsSync(DIAGNOSTICS_DOC), STALE).toBe(true);
    expect(readFileSync(DIAGNOSTICS_DOC, 'utf8'), STALE).toBe(renderDiagnosticsDoc());
  });

  it('has one table row and one example per catalogue code', () => {
    const doc = renderDiagnosticsDoc();
    for (const { code, severity } of diagnosticCatalogue()) {
      expect(doc).toContain(`| [\`${code}\`](#`);
      expect(doc).toContain(`### \`${code}\` (${severity})`);
    }
  });
});
