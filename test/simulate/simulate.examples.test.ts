import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compile } from '../../src/compile/compile.js';
import { loadSamples } from '../../src/simulate/load-samples.js';
import { simulate } from '../../src/simulate/simulate.js';

const ROOT = join(import.meta.dirname, '..', '..');
const EXAMPLES = readdirSync(join(ROOT, 'examples'), { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => d.name)
  .sort();

describe('every example mapping simulates without an error outcome', () => {
  it.each(EXAMPLES)('%s', async (name) => {
    const dir = join('examples', name);
    const mapping = readdirSync(join(ROOT, dir)).find((f) => f.endsWith('.claimmap'))!;
    const { plan } = compile(readFileSync(join(ROOT, dir, mapping)), { filename: mapping });
    expect(plan).not.toBeNull();
    const samples = loadSamples([dir], ROOT);
    const r = await simulate(plan!, samples, { now: '2026-12-15T00:00:00Z' });
    expect(r.counts.error).toBe(0);
    expect(r.samples.every((s) => s.action !== 'error')).toBe(true);
    expect(r.outcomes.length).toBeGreaterThan(50);
    expect(r.coverage.rules.length).toBe(plan!.roles.rules.length + plan!.entitlements.rules.length);
  });

  it('okta-saml: the baseline logins and the lowered-groups near miss', async () => {
    const { plan } = compile(readFileSync(join(ROOT, 'examples/okta-saml/acme.claimmap')), {
      filename: 'acme.claimmap',
    });
    const r = await simulate(plan!, loadSamples(['examples/okta-saml'], ROOT), { now: '2026-12-15T00:00:00Z' });
    expect(r.samples.map((s) => s.action)).toEqual(['created', 'created', 'refused']);
    expect(r.counts.error).toBe(0);
    // groups are declared `normalize lower`: a group named OKTA-ADMINS (a different group at the IdP) grants admin.
    expect(r.outcomes.some((o) => o.critical && o.label === '+ "OKTA-ADMINS"')).toBe(
      plan!.claims.find((c) => c.name === 'groups')!.normalize.includes('lower'),
    );
  });
});
