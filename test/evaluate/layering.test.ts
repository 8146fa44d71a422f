import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

// STYLE.md: evaluate/ must not load chevrotain or fast-xml-parser (an app evaluating a precompiled plan loads
// neither). It may import only its own files, the contracts in src/model/ and the regex matcher.
const ALLOWED = [/^\.\/[a-z-]+\.js$/, /^\.\.\/model\/[a-z-]+\.js$/, /^\.\.\/regex\/matcher\.js$/];

describe('src/evaluate imports', () => {
  const dir = join(import.meta.dirname, '../../src/evaluate');
  const files = readdirSync(dir).filter((f) => f.endsWith('.ts'));
  it.each(files)('%s imports only allowed modules', (file) => {
    const text = readFileSync(join(dir, file), 'utf8');
    const specs = [...text.matchAll(/^\s*(?:import|export)[^'"]*?from\s+'([^']+)'/gm)].map((m) => m[1]!);
    for (const spec of specs) expect(ALLOWED.some((re) => re.test(spec)), `${file}: ${spec}`).toBe(true);
  });
});
