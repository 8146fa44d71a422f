/**
 * The shared parser skips chevrotain's grammar validations (they check the grammar, not the input, and cost about as
 * much as the rest of its construction): here one parser is built with them on, so a grammar change that introduces
 * an ambiguity, left recursion or an unreachable alternative fails the test suite.
 */
import { describe, expect, it } from 'vitest';
import { ClaimmapParser, getParser } from '../../src/syntax/parser.js';
import { lex } from '../../src/syntax/tokens.js';

describe('ClaimmapParser', () => {
  it('passes chevrotain grammar validations (validateGrammar: true)', () => {
    // performSelfAnalysis throws when a validation fails; the errors are also kept on the instance.
    const validated = new ClaimmapParser({ validateGrammar: true });
    expect((validated as unknown as { definitionErrors: unknown[] }).definitionErrors).toEqual([]);
  });

  it('the validated grammar is the one the shared parser uses', () => {
    const validated = new ClaimmapParser({ validateGrammar: true });
    expect(getParser().getSerializedGastProductions()).toEqual(validated.getSerializedGastProductions());
  });

  it('getParser() builds one instance and reuses it', () => {
    const parser = getParser();
    expect(getParser()).toBe(parser);
    parser.input = lex('mapping "m" {\n}\n').tokens;
    const ast = parser.mapping();
    expect(parser.errors).toEqual([]);
    expect(ast?.kind).toBe('mapping');
  });
});
