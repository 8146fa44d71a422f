/** Every SARIF helpUri must land on a real anchor of the generated docs/diagnostics.md. */
import { describe, expect, it } from 'vitest';
import { renderDiagnosticsDoc } from '../../scripts/gen-diagnostics-doc.js';
import { diagnosticCatalogue } from '../../src/check/catalogue.js';
import { INPUT_CODES } from '../../src/cli/input-errors.js';
import { DIAGNOSTICS_DOC_URL, diagnosticAnchor, diagnosticHelpUri } from '../../src/diagnostics/docs-link.js';

describe('diagnostic documentation links', () => {
  const doc = renderDiagnosticsDoc();
  const anchors = new Set([...doc.matchAll(/<a id="([^"]+)"><\/a>/g)].map((m) => m[1]));

  it('gives every catalogue code and input code a distinct anchor that the document defines', () => {
    const codes = [...diagnosticCatalogue().map((c) => c.code), ...INPUT_CODES.map((c) => c.code)];
    const seen = new Set<string>();
    for (const code of codes) {
      const a = diagnosticAnchor(code);
      expect(anchors.has(a), `${code} → #${a}`).toBe(true);
      expect(seen.has(a), `two codes share #${a}`).toBe(false);
      seen.add(a);
    }
  });

  it('points helpUri at the document on the repository, anchor included', () => {
    expect(diagnosticHelpUri('literal/never-matches')).toBe(
      'https://github.com/claimmap/claimmap/blob/main/docs/diagnostics.md#literal-never-matches',
    );
    expect(DIAGNOSTICS_DOC_URL).toMatch(/\/docs\/diagnostics\.md$/);
  });
});
