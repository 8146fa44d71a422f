/**
 * Writes grammar/railroad.html: chevrotain's syntax diagrams of the parser's productions (src/syntax/parser.ts).
 * Run with `npm run grammar` (`tsx scripts/railroad.ts`); test/grammar/railroad.test.ts fails when the file is stale.
 * The page loads chevrotain's diagram scripts and CSS from unpkg, pinned to the installed chevrotain version.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createSyntaxDiagramsCode } from 'chevrotain';
import { getParser } from '../src/syntax/parser.js';

/** Where the diagrams are written. */
export const RAILROAD_HTML = fileURLToPath(new URL('../grammar/railroad.html', import.meta.url));

/**
 * The HTML of the railroad diagrams for the current grammar.
 *
 * @example
 * ```ts
 * writeFileSync('grammar/railroad.html', renderRailroad());
 * ```
 */
export function renderRailroad(): string {
  return createSyntaxDiagramsCode(getParser().getSerializedGastProductions());
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  writeFileSync(RAILROAD_HTML, renderRailroad());
  process.stdout.write(`wrote ${RAILROAD_HTML}\n`);
}
