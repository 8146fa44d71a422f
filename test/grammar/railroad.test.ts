/** grammar/railroad.html is generated: it must be exactly what scripts/railroad.ts writes for the current parser. */
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { RAILROAD_HTML, renderRailroad } from '../../scripts/railroad.js';

const STALE = 'grammar/railroad.html is stale: run `npm run grammar` (tsx scripts/railroad.ts) and commit the result';

describe('grammar/railroad.html', () => {
  it('is up to date with the parser', () => {
    expect(existsSync(RAILROAD_HTML), STALE).toBe(true);
    expect(readFileSync(RAILROAD_HTML, 'utf8'), STALE).toBe(renderRailroad());
  });
});
