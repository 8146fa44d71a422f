/**
 * Importing the syntax modules does not build the chevrotain parser: a module (or a CLI command) that
 * only needs token types, `tokenLabel` or the AST types pays nothing for them. Both are built once, on first use.
 * (Own file: the modules must be imported here first, after the spies are installed.)
 */
import { EmbeddedActionsParser, Lexer } from 'chevrotain';
import { describe, expect, it, vi } from 'vitest';

describe('lazy lexer and parser', () => {
  it('importing parse, parser and tokens builds no parser; first use builds it once, and one lexer serves every call', async () => {
    const analyse = vi.spyOn(
      EmbeddedActionsParser.prototype as unknown as { performSelfAnalysis(): void },
      'performSelfAnalysis',
    );
    const tokenize = vi.spyOn(Lexer.prototype, 'tokenize');
    const { parse } = await import('../../src/syntax/parse.js');
    const { getParser } = await import('../../src/syntax/parser.js');
    const { lex } = await import('../../src/syntax/tokens.js');
    expect(analyse).toHaveBeenCalledTimes(0);

    const first = parse('mapping "m" {\n}\n', { filename: 'm.claimmap' });
    expect(first.diagnostics).toEqual([]);
    expect(analyse).toHaveBeenCalledTimes(1);
    parse('mapping "n" {\n}\n', { filename: 'n.claimmap' });
    lex('roles { }');
    expect(getParser()).toBe(getParser());
    expect(analyse).toHaveBeenCalledTimes(1);
    // One lexer instance serves every call.
    expect(new Set(tokenize.mock.contexts).size).toBe(1);
  });
});
