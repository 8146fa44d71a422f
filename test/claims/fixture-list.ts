/** The claim-reader fixture corpus under test/fixtures/claims (inputs only, golden files left out). */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

export const FIXTURE_ROOT = join(import.meta.dirname, '../fixtures/claims');

export function isGolden(name: string): boolean {
  return name.endsWith('.expected.json') || name.endsWith('.expected-error.json');
}

/** Every input fixture, as `saml/<file>` or `oidc/<file>`, sorted. */
export const FIXTURES: string[] = ['saml', 'oidc'].flatMap((dir) =>
  readdirSync(join(FIXTURE_ROOT, dir))
    .filter((f) => !isGolden(f))
    .sort()
    .map((f) => `${dir}/${f}`),
);
