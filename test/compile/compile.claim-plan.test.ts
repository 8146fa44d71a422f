/**
 * The claim plan fields of `absent empty` and `trusted "<why>"`: compiled, repeated in `unsafe` (trusted), loaded
 * back, and refused by loadPlan where the schema forbids them (absentEmpty on a scalar). Mappings without them
 * compile to exactly the plans they did (the fields are omitted, so digests do not move).
 */
import { describe, expect, it } from 'vitest';
import { compile } from '../../src/compile/compile.js';
import { planDigest } from '../../src/compile/digest.js';
import { loadPlan } from '../../src/compile/load-plan.js';
import type { PlanErrorCode } from '../../src/compile/plan-errors.js';
import type { Plan } from '../../src/model/plan.js';
import { ClaimmapError } from '../../src/errors.js';
import { evaluate } from '../../src/evaluate/index.js';

const SRC = `mapping "m" {
  idp oidc "https://sso.example.org/realms/acme"
  key sub
  claims {
    groups : set<string> from "groups"     optional absent empty
    dept   : string      from "department" optional trusted "Workday sync; edit: admin only (SEC-42)"
  }
  roles {
    privileged auditor
    grant auditor when dept == "Audit" and "audit" in groups
  }
  lifecycle { offboarding scim }
}`;

function plan(src = SRC): Plan {
  const r = compile(src);
  expect(r.plan, r.diagnostics.map((d) => d.code).join()).not.toBeNull();
  return r.plan!;
}

/** A compiled plan edited by hand, with its digest recomputed. */
function edited(edit: (p: any) => void): Plan {
  const { digest: _d, ...body } = JSON.parse(JSON.stringify(plan()));
  edit(body);
  return { ...body, digest: planDigest(body) } as Plan;
}

describe('claim plan: absentEmpty and trusted', () => {
  it('carries both, and repeats trusted in unsafe (so evaluate, explain and reports repeat it)', () => {
    const p = plan();
    expect(p.claims.map((c) => [c.name, c.absentEmpty, c.trusted])).toEqual([
      ['groups', true, undefined],
      ['dept', undefined, 'Workday sync; edit: admin only (SEC-42)'],
    ]);
    expect(p.unsafe).toEqual([
      { code: 'trusted/override', reason: 'Workday sync; edit: admin only (SEC-42)', loc: { line: 6, column: 61 } },
    ]);
    const d = evaluate(p, {
      protocol: 'oidc',
      issuer: 'https://sso.example.org/realms/acme',
      subject: { id: 'u' },
      claims: { sub: 'u' },
      verified: true,
    });
    expect(d.warnings).toEqual(['unsafe trusted/override: Workday sync; edit: admin only (SEC-42)']);
  });

  it('omits the fields when not declared', () => {
    const p = plan(
      SRC.replace(' absent empty', '')
        .replace(/ trusted "[^"]*"/, '')
        .replace('privileged auditor', ''),
    );
    expect(p.claims.every((c) => !('absentEmpty' in c) && !('trusted' in c))).toBe(true);
    expect(p.unsafe).toEqual([]);
  });

  it('loads back', () => {
    const p = plan();
    expect(loadPlan(JSON.stringify(p))).toEqual(p);
  });

  it.each<[string, (p: any) => void, string]>([
    [
      'absentEmpty on a scalar',
      (p) => {
        p.claims[1].absentEmpty = true;
      },
      '/claims/1/type/kind',
    ],
    [
      'absentEmpty false',
      (p) => {
        p.claims[0].absentEmpty = false;
      },
      '/claims/0/absentEmpty',
    ],
    [
      'trusted empty',
      (p) => {
        p.claims[1].trusted = '';
      },
      '/claims/1/trusted',
    ],
  ])('refuses %s (plan/schema)', (_name, edit, path) => {
    try {
      loadPlan(edited(edit));
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ClaimmapError);
      expect((e as ClaimmapError<PlanErrorCode>).code).toBe('plan/schema');
      expect((e as ClaimmapError<PlanErrorCode>).message).toContain(path);
    }
  });
});
