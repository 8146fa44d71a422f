/**
 * A small RuleTester (eslint style) for the checker's rules: tables of `valid` and `invalid` snippets per rule.
 *
 * A snippet is one or more lines of sections, wrapped into a full mapping whose other sections come AFTER it, so
 * the snippet always starts on line 2 and positions are written relative to the snippet (`1:5` is line 1 of the
 * snippet, column 5). Defaults: an OIDC idp, `key sub` and `lifecycle { offboarding scim }`, so that only the rule
 * under test fires; set one to null to leave it out (and write your own in the snippet), or use `raw` to give the
 * whole file (then positions are absolute).
 */
import { expect } from 'vitest';
import { compile } from '../../src/compile/compile.js';
import type { Diagnostic, Severity } from '../../src/diagnostics/diagnostic.js';
import type { Rule } from '../../src/check/rule.js';
import { diagnosticCatalogue } from '../../src/check/catalogue.js';

/** The sections the wrapper adds after the snippet; null leaves one out. */
export interface Wrap {
  idp?: string | null;
  key?: string | null;
  lifecycle?: string | null;
}

export const OIDC: Wrap = {};
export const SAML: Wrap = { idp: 'idp saml "https://idp.example.com/saml"', key: 'key nameid persistent' };
/** For snippets that write their own key (the idp stays OIDC unless set). */
export const OWN_KEY: Wrap = { key: null };
export const SAML_OWN_KEY: Wrap = { idp: 'idp saml "https://idp.example.com/saml"', key: null };

const DEFAULTS = {
  idp: 'idp oidc "https://id.example.com"',
  key: 'key sub',
  lifecycle: 'lifecycle { offboarding scim }',
};

export interface Snippet {
  /** Lines of sections (or, with `raw`, the whole file). */
  src: string | string[];
  wrap?: Wrap;
  /** `src` is the whole file: nothing is added, positions are absolute. */
  raw?: boolean;
  /** Codes of other rules this snippet cannot avoid (for example `unsafe/override` next to a key code). */
  also?: string[];
  /** Why a case cannot pass today (a bug outside test/): the case runs as `it.fails`. */
  bug?: string;
}

export interface Expected {
  code: string;
  /** `line:column` of the diagnostic's start, relative to the snippet. */
  at: string;
  /** The exact source text the range covers (where the caret goes). */
  text?: string;
  /** Defaults to the catalogue's severity for the code. */
  severity?: Severity;
}

export interface InvalidCase extends Snippet {
  /** Every diagnostic of the rule's codes (plus any code listed here), in report order. */
  errors: Expected[];
}

export interface RuleTable {
  valid: Snippet[];
  invalid: InvalidCase[];
}

/** A mapping built from a snippet, with the line the snippet starts on. */
export function wrapSnippet(s: Snippet): { source: string; firstLine: number } {
  const lines = Array.isArray(s.src) ? s.src : [s.src];
  if (s.raw) return { source: `${lines.join('\n')}\n`, firstLine: 1 };
  const w = { ...DEFAULTS, ...s.wrap };
  const tail = [w.idp, w.key, w.lifecycle]
    .filter((x): x is string => x !== null && x !== undefined)
    .map((x) => `  ${x}`);
  return { source: ['mapping "rule-test" {', ...lines, ...tail, '}', ''].join('\n'), firstLine: 2 };
}

/** Compiles a snippet; returns the diagnostics and helpers to show positions relative to the snippet. */
export function runSnippet(s: Snippet) {
  const { source, firstLine } = wrapSnippet(s);
  const { diagnostics } = compile(source, { filename: 'rule-test.claimmap' });
  const at = (d: Diagnostic) => `${d.range.start.line - firstLine + 1}:${d.range.start.column}`;
  const text = (d: Diagnostic) => source.slice(d.range.start.offset, d.range.end.offset);
  return { source, diagnostics, at, text };
}

const catalogueSeverity = new Map<string, Severity>(diagnosticCatalogue().map((c) => [c.code, c.severity]));

const show = (ds: readonly Diagnostic[]) =>
  ds.map((d) => `${d.code} ${d.range.start.line}:${d.range.start.column} ${d.message}`).join('\n');

/** Asserts a valid snippet: none of the rule's codes, nothing else but `also`. */
export function assertValid(rule: Rule, s: Snippet): void {
  const { diagnostics } = runSnippet(s);
  const allowed = new Set(s.also ?? []);
  const unexpected = diagnostics.filter((d) => !allowed.has(d.code) || rule.codes.some((c) => c.code === d.code));
  expect(unexpected, show(unexpected)).toEqual([]);
}

/** Asserts an invalid snippet: exactly the expected diagnostics of the rule's codes, nothing else but `also`. */
export function assertInvalid(rule: Rule, c: InvalidCase): void {
  const { diagnostics, at, text } = runSnippet(c);
  const relevant = new Set([...rule.codes.map((x) => x.code), ...c.errors.map((e) => e.code)]);
  const allowed = new Set(c.also ?? []);
  const stray = diagnostics.filter((d) => !relevant.has(d.code) && !allowed.has(d.code));
  expect(stray, `diagnostics outside the rule under test:\n${show(stray)}`).toEqual([]);
  const actual = diagnostics
    .filter((d) => relevant.has(d.code))
    .map((d, i) => {
      const e = c.errors[i];
      return {
        code: d.code,
        at: at(d),
        severity: d.severity,
        ...(e?.text !== undefined ? { text: text(d) } : {}),
      };
    });
  const expected = c.errors.map((e) => ({
    code: e.code,
    at: e.at,
    severity: e.severity ?? catalogueSeverity.get(e.code),
    ...(e.text !== undefined ? { text: e.text } : {}),
  }));
  expect(actual, show(diagnostics)).toEqual(expected);
}
