/**
 * src/diagnostics/codes.ts is generated from the catalogue: it must be exactly what scripts/gen-codes.ts writes now,
 * and the union it declares must close the sink (a mistyped code is a compile error, checked by `tsc --noEmit`, which
 * `npm test` runs first: an unused `@ts-expect-error` is itself an error).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { diagnosticCatalogue, SYNTAX_CODES } from '../../src/check/catalogue.js';
import type { CodeInfo } from '../../src/check/rule.js';
import { RULES } from '../../src/check/rules/index.js';
import type { Diagnostic, DiagnosticCode } from '../../src/diagnostics/diagnostic.js';
import { LineCounter } from '../../src/diagnostics/line-counter.js';
import { DiagnosticSink } from '../../src/diagnostics/make.js';
import type { ScenarioCode } from '../../src/simulate/scenarios/codes.js';
import { compile, lint } from '../../src/compile/compile.js';
import { CODES_FILE, renderCodesFile } from '../../scripts/gen-codes.js';

const STALE = 'src/diagnostics/codes.ts is stale: run `npm run docs` (tsx scripts/gen-codes.ts) and commit the result';

/** The codes the generated file declares, read back from its text. */
function declaredCodes(text: string): string[] {
  return [...text.matchAll(/^ {2}\| '([^']+)';?$/gm)].map((m) => m[1]!);
}

describe('src/diagnostics/codes.ts', () => {
  it('is up to date with the catalogue', () => {
    expect(readFileSync(CODES_FILE, 'utf8'), STALE).toBe(renderCodesFile());
  });

  it('declares every catalogue code once and nothing else', () => {
    const declared = declaredCodes(readFileSync(CODES_FILE, 'utf8'));
    expect(declared).toEqual(diagnosticCatalogue().map((c) => c.code));
    expect(new Set(declared).size).toBe(declared.length);
    expect(declared).toContain('syntax/unexpected-token');
    expect(declared).toContain('key/mutable-claim');
    expect(declared).toContain('diagnostics/too-many');
  });

  it('covers the syntax codes and every rule code', () => {
    const declared = new Set(declaredCodes(readFileSync(CODES_FILE, 'utf8')));
    const all = [...SYNTAX_CODES, ...RULES.flatMap((r) => r.codes)].map((c) => c.code);
    expect(all.filter((c) => !declared.has(c))).toEqual([]);
  });
});

describe('DiagnosticCode closes the sink', () => {
  const sink = new DiagnosticSink('t.claimmap', new LineCounter('x\n'));
  const span = { start: 0, end: 1 };

  it('accepts a catalogue code and records it unchanged', () => {
    sink.error('syntax/unexpected-token', 'm', span);
    sink.warning('key/mutable-claim', 'm', span, { hint: 'h' });
    sink.info('diagnostics/too-many', 'm', span);
    sink.report('error', 'regex/syntax', 'm', span);
    expect(sink.diagnostics.map((d) => [d.code, d.severity])).toEqual([
      ['syntax/unexpected-token', 'error'],
      ['key/mutable-claim', 'warning'],
      ['diagnostics/too-many', 'info'],
      ['regex/syntax', 'error'],
    ]);
  });

  it('does not compile a mistyped code (type-level: tsc fails on an unused @ts-expect-error)', () => {
    const typed = new DiagnosticSink('t.claimmap', new LineCounter('x\n'));
    // Each call is type-checked only; at run time the sink records whatever it is given.
    // @ts-expect-error 'typo/code' is not a DiagnosticCode
    typed.error('typo/code', 'm', span);
    // @ts-expect-error a near miss of key/mutable-claim
    typed.warning('key/mutable-claims', 'm', span);
    // @ts-expect-error a scenario code is not a mapping code
    typed.info('scenario/yaml', 'm', span);
    // @ts-expect-error report closes the code too
    typed.report('error', 'syntax/unexpected', 'm', span);
    // @ts-expect-error a plain string is not a DiagnosticCode
    typed.error('syntax/unexpected-token' as string, 'm', span);
    expect(typed.diagnostics).toHaveLength(5);

    const scenarios = new DiagnosticSink<ScenarioCode>('s.yaml', new LineCounter('x\n'));
    scenarios.error('scenario/yaml', 'm', span);
    // @ts-expect-error a mapping code is not a scenario code
    scenarios.error('syntax/unexpected-token', 'm', span);
    expect(scenarios.diagnostics.map((d) => d.code)).toEqual(['scenario/yaml', 'syntax/unexpected-token']);
  });

  it('types the catalogue, compile() and lint() with the union, still assignable to string', () => {
    expectTypeOf<CodeInfo['code']>().toEqualTypeOf<DiagnosticCode>();
    expectTypeOf<Diagnostic['code']>().toEqualTypeOf<DiagnosticCode>();
    expectTypeOf(compile('').diagnostics).toEqualTypeOf<Diagnostic<DiagnosticCode>[]>();
    expectTypeOf(lint('')).toEqualTypeOf<Diagnostic<DiagnosticCode>[]>();
    expectTypeOf<DiagnosticCode>().toMatchTypeOf<string>();
    expectTypeOf<Diagnostic>().toMatchTypeOf<Diagnostic<string>>();
    // @ts-expect-error a Diagnostic's code is closed: a comparison with a mistyped code does not compile
    expect(lint('').some((d) => d.code === 'key/mutible-claim')).toBe(false);
  });
});
