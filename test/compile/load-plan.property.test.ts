/**
 * A plan that loadPlan accepts never makes evaluate() or provision() throw. Real plans (every example and every
 * golden case that compiles) are mutated structurally (a key deleted, a key copied from another node, a value
 * replaced by one of another type or by another node, a string emptied or swapped for another of the plan's strings,
 * two nodes swapped, an array entry duplicated or dropped), their digest is recomputed so the mutation reaches
 * validation, and then either loadPlan refuses the plan with a `plan/...` ClaimmapError, or evaluate returns a
 * decision for every sample login and provision (memory store) returns a result or throws a typed RuntimeError.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compile } from '../../src/compile/compile.js';
import { loadPlan } from '../../src/compile/load-plan.js';
import type { ClaimSet } from '../../src/model/claim-set.js';
import type { Plan } from '../../src/model/plan.js';
import { ClaimmapError } from '../../src/errors.js';
import { evaluate } from '../../src/evaluate/index.js';
import { isRuntimeError } from '../../src/runtime/errors.js';
import { provision } from '../../src/runtime/provision/login.js';
import { MemoryStore } from '../../src/runtime/stores/memory.js';
import { bases, clone, mutate, mutationArb, pickBase, withFreshDigest } from './plan-mutation.js';

describe('loadPlan × evaluate × provision on mutated plans', () => {
  const all = bases();

  it('starts from every example and from golden cases that compile', () => {
    expect(all.filter((b) => b.name.includes('examples')).length).toBeGreaterThanOrEqual(5);
    expect(all.length).toBeGreaterThan(15);
    // Every base plan itself loads and evaluates.
    for (const b of all)
      for (const cs of b.logins) expect(['allow', 'refuse']).toContain(evaluate(loadPlan(b.plan), cs).outcome);
  });

  it('loadPlan refuses with a plan/... code, or evaluate and provision never throw anything untyped', async () => {
    let accepted = 0;
    let refused = 0;
    /** The invariant on one candidate plan, with the logins of its base. */
    const judge = async (candidate: unknown, logins: readonly ClaimSet[]): Promise<void> => {
      let plan: Plan;
      try {
        plan = loadPlan(candidate);
      } catch (e) {
        if (!(e instanceof ClaimmapError) || !String(e.code).startsWith('plan/')) throw e;
        refused++;
        return;
      }
      accepted++;
      for (const cs of logins) {
        const d = evaluate(plan, cs, { trace: true });
        if (d.outcome !== 'allow' && d.outcome !== 'refuse') throw new Error(`no decision: ${JSON.stringify(d)}`);
      }
      const store = new MemoryStore();
      for (const cs of logins.slice(0, 3)) {
        for (let round = 0; round < 2; round++) {
          try {
            await provision(plan, cs, { store, now: '2026-06-01T00:00:00Z' });
          } catch (e) {
            if (!isRuntimeError(e)) throw e;
          }
        }
      }
    };
    await fc.assert(
      fc.asyncProperty(fc.nat(), fc.array(mutationArb, { minLength: 1, maxLength: 3 }), async (which, mutations) => {
        const base = pickBase(all, which);
        const p = clone(base.plan);
        // Every intermediate plan is judged: one mutation alone is the likeliest to pass the schema.
        for (const m of mutations) {
          mutate(p, m);
          await judge(withFreshDigest(p), base.logins);
        }
      }),
      { numRuns: 1000 },
    );
    // Not vacuous: some mutated plans are refused and some reach evaluate (mutations of unused or free-text fields).
    expect(refused).toBeGreaterThan(0);
    expect(accepted).toBeGreaterThan(0);
  });

  it('accepts every plan compile() builds: loadPlan is not stricter than the checker', () => {
    const name = fc.constantFrom(
      'admin',
      'Admin',
      'owner',
      'viewer',
      '"read only"',
      '"\u0430dmin"',
      '"admin "',
      '"ａｄｍｉｎ"',
      '""',
      '"ad\u200bmin"',
    );
    const cond = fc.constantFrom(
      '"admins" in groups',
      'any groups matches /^adm(in)?s$/',
      'any groups matches /adm/',
      'any groups starts_with "ad"',
      'title == "CTO"',
      'email ends_with "@example.com"',
      '"a" in groups and not ("b" in groups)',
      'oid == "x"',
    );
    const rule = fc
      .tuple(fc.constantFrom('grant', 'deny'), name, fc.option(cond, { nil: undefined }))
      .map(([e, n, c]) => `${e} ${n}${c ? ` when ${c}` : ''}`);
    const ent = fc
      .tuple(
        fc.constantFrom('"wiki"', '"team:{1}"', '" wiki"', '"ADMIN"', '"admin"', '"team:{1}\u2066"', '"t-{1} "'),
        fc.boolean(),
      )
      .map(([n, each]) => `grant ${n}${each ? ' for each groups matching /^t-(.+)$/' : ''}`);
    const key = fc.constantFrom(
      'key sub',
      'key claim oid',
      'key claim email unsafe "legacy IdP"',
      'key claim mail',
      'key claim groups',
      'key sub unsafe "not needed"',
    );
    const samlKey = fc.constantFrom(
      'key nameid persistent',
      'key nameid transient unsafe "legacy"',
      'key nameid emailAddress',
      'key claim oid',
      'key sub',
    );
    let compiled = 0;
    fc.assert(
      fc.property(
        fc.boolean(),
        key,
        samlKey,
        fc.subarray(['admin', 'owner']),
        fc.array(rule, { maxLength: 4 }),
        fc.array(ent, { maxLength: 2 }),
        (saml, oidcKey, samlKey_, privileged, roles, ents) => {
          const src = [
            'mapping "m" {',
            saml ? '  idp saml "https://idp.example.com/saml"' : '  idp oidc "https://id.example.com"',
            `  ${saml ? samlKey_ : oidcKey}`,
            '  claims { groups : set<string> from "groups" optional  email : email from "email" required  oid : uuid from "oid" required',
            '           mail : string from "mail" required  title : string from "title" optional }',
            `  roles { ${privileged.length ? `privileged ${privileged.join(', ')} ` : ''}${roles.join(' ')} }`,
            `  entitlements { ${ents.join(' ')} }`,
            '  lifecycle { offboarding scim }',
            '}',
          ].join('\n');
          const { plan } = compile(src);
          if (plan === null) return;
          compiled++;
          expect(() => loadPlan(JSON.parse(JSON.stringify(plan)))).not.toThrow();
        },
      ),
      { numRuns: 500 },
    );
    expect(compiled).toBeGreaterThan(10);
  });
});
