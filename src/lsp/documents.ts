/**
 * The server's state per open document: its latest analysis (one per version, shared by every feature) and the
 * debounced diagnostics run. A keystroke burst is analysed once, after it pauses; a run that a newer edit made
 * stale is cancelled before it starts, and a result for an older version is never published.
 */
import type { Diagnostic as LspDiagnostic } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { type Analysis, analyze } from './analysis.js';
import { toLspDiagnostic } from './convert.js';

/** The delay after the last change before diagnostics are computed. */
export const DEFAULT_DEBOUNCE_MS = 150;

/** The latest analysis of each open document, computed on demand and kept until the next version. */
export class Analyses {
  private readonly byUri = new Map<string, Analysis>();

  /** The analysis of this version of the document (computed now if it is not cached). */
  get(doc: TextDocument): Analysis {
    const cached = this.byUri.get(doc.uri);
    if (cached && cached.version === doc.version) return cached;
    const a = analyze(doc.getText(), doc.uri, doc.version);
    this.byUri.set(doc.uri, a);
    return a;
  }

  delete(uri: string): void {
    this.byUri.delete(uri);
  }
}

/**
 * The diagnostics the server publishes for a document: what the `publishDiagnostics` notification carries.
 *
 * @example
 * ```ts
 * connection.sendDiagnostics({ uri: doc.uri, version: doc.version, diagnostics: diagnose(analyses, doc) });
 * ```
 */
export function diagnose(analyses: Analyses, doc: TextDocument): LspDiagnostic[] {
  return analyses.get(doc).diagnostics.map((d) => toLspDiagnostic(d, doc));
}

/** The timer functions the scheduler uses (the real ones, or a test's). */
export interface Timers {
  set(fn: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}

const REAL_TIMERS: Timers = {
  set: (fn, ms) => setTimeout(fn, ms),
  clear: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
};

/**
 * Debounces diagnostics runs per document: `schedule(uri)` (re)starts the document's timer, so only the last change
 * of a burst runs; `now(uri)` runs at once (a document just opened); `cancel(uri)` drops a pending run (closed).
 */
export class DiagnosticsScheduler {
  private readonly pending = new Map<string, unknown>();

  constructor(
    private readonly run: (uri: string) => void,
    private readonly delayMs: number = DEFAULT_DEBOUNCE_MS,
    private readonly timers: Timers = REAL_TIMERS,
  ) {}

  schedule(uri: string): void {
    this.cancel(uri);
    this.pending.set(
      uri,
      this.timers.set(() => {
        this.pending.delete(uri);
        this.run(uri);
      }, this.delayMs),
    );
  }

  now(uri: string): void {
    this.cancel(uri);
    this.run(uri);
  }

  cancel(uri: string): void {
    const h = this.pending.get(uri);
    if (h === undefined) return;
    this.timers.clear(h);
    this.pending.delete(uri);
  }

  /** How many documents have a run waiting. */
  get waiting(): number {
    return this.pending.size;
  }
}
