import { describe, expect, it } from 'vitest';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { analysisRuns } from '../../src/lsp/analysis.js';
import { Analyses, DiagnosticsScheduler, diagnose, type Timers } from '../../src/lsp/documents.js';
import { generateRules } from '../../bench/groups/lsp.js';

/** Timers a test fires by hand. */
function manualTimers(): Timers & { fire(): void; count(): number } {
  const pending = new Map<number, () => void>();
  let next = 0;
  return {
    set: (fn) => {
      pending.set(++next, fn);
      return next;
    },
    clear: (h) => void pending.delete(h as number),
    fire: () => {
      for (const [h, fn] of [...pending]) {
        pending.delete(h);
        fn();
      }
    },
    count: () => pending.size,
  };
}

describe('debounced diagnostics', () => {
  it('a burst of 20 keystrokes on a 1,000-rule mapping parses the document once, at its last version', () => {
    const analyses = new Analyses();
    let doc = TextDocument.create('file:///a.claimmap', 'claimmap', 1, generateRules(1000));
    const published: number[] = [];
    const timers = manualTimers();
    const scheduler = new DiagnosticsScheduler(
      () => {
        diagnose(analyses, doc);
        published.push(doc.version);
      },
      150,
      timers,
    );
    const before = analysisRuns();
    for (let i = 0; i < 20; i++) {
      doc = TextDocument.update(
        doc,
        [{ range: { start: doc.positionAt(0), end: doc.positionAt(0) }, text: ' ' }],
        doc.version + 1,
      );
      scheduler.schedule(doc.uri);
    }
    expect(timers.count()).toBe(1);
    expect(analysisRuns() - before).toBe(0);
    timers.fire();
    expect(analysisRuns() - before).toBe(1);
    expect(published).toEqual([21]);
    // Every feature reads the same analysis of a version: no second parse.
    diagnose(analyses, doc);
    expect(analysisRuns() - before).toBe(1);
  });

  it('cancel drops a pending run', () => {
    const timers = manualTimers();
    const runs: string[] = [];
    const s = new DiagnosticsScheduler((uri) => runs.push(uri), 150, timers);
    s.schedule('a');
    s.cancel('a');
    timers.fire();
    expect(runs).toEqual([]);
    expect(s.waiting).toBe(0);
  });
});
