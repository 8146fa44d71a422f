/** The README's library example, step by step, on the Keycloak example: if this fails, the README is wrong. */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compile } from '../../src/index.js';
import { fromVerifiedClaims } from '../../src/claims/index.js';
import { loadPlan, provision, SqliteStore } from '../../src/runtime/index.js';

describe('README: Library', () => {
  it('compile -o, loadPlan, fromVerifiedClaims, SqliteStore.open, provision', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'claimmap-readme-'));
    const { plan: compiled } = compile(readFileSync('examples/keycloak-oidc/acme.claimmap'), {
      filename: 'acme.claimmap',
    });
    writeFileSync(join(dir, 'acme.plan.json'), JSON.stringify(compiled));

    const plan = loadPlan(readFileSync(join(dir, 'acme.plan.json'), 'utf8'));
    const idTokenPayload = JSON.parse(readFileSync('examples/keycloak-oidc/dana.id-token.json', 'utf8')) as Record<
      string,
      unknown
    >;
    const claimSet = fromVerifiedClaims(idTokenPayload);
    const store = await SqliteStore.open(join(dir, 'claimmap.db'));
    try {
      const result = await provision(plan, claimSet, { store });
      expect(result.action).toBe('created');
      expect(result.decision.outcome).toBe('allow');
      expect(result.changes.length).toBeGreaterThan(0);
      expect((await provision(plan, claimSet, { store })).action).toBe('unchanged');
    } finally {
      await store.close();
    }
  });
});
