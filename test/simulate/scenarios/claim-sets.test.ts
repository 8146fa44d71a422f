import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compile } from '../../../src/compile/compile.js';
import { readFileSync } from 'node:fs';
import { NAMEID_FORMATS } from '../../../src/model/claim-set.js';
import { evaluate } from '../../../src/evaluate/index.js';
import { shorthandClaimSet, snapshotClaimSet } from '../../../src/simulate/scenarios/claim-sets.js';
import { parseScenarios } from '../../../src/simulate/scenarios/parse.js';
import { ISSUER, testPlan } from './mapping.js';

const saml = compile(readFileSync('examples/okta-saml/acme.claimmap'), { filename: 'acme.claimmap' }).plan!;

describe('shorthandClaimSet', () => {
  it('SAML: issuer and key format from the plan, scalars become one-value lists, well-known aliases', () => {
    const cs = shorthandClaimSet(saml, {
      kind: 'shorthand',
      subject: '00u1',
      attributes: {
        email: 'a@acme.example',
        groups: ['x', 1],
        'urn:oid:0.9.2342.19200300.100.1.3': 'a@acme.example',
        bad: { o: 1 },
      },
    });
    expect(cs).toMatchObject({
      protocol: 'saml',
      issuer: saml.idp.issuer,
      subject: { id: '00u1', format: NAMEID_FORMATS.persistent },
      verified: false,
    });
    expect(cs.claims).toMatchObject({ email: ['a@acme.example'], groups: ['x', '1'], bad: { o: 1 } });
    expect(cs.aliases).toEqual({ mail: 'urn:oid:0.9.2342.19200300.100.1.3' });
  });

  it('SAML: an explicit format (short name or URI) and issuer win', () => {
    const cs = shorthandClaimSet(saml, {
      kind: 'shorthand',
      subject: 's',
      format: 'transient',
      issuer: 'other',
      attributes: {},
    });
    expect(cs.subject.format).toBe(NAMEID_FORMATS.transient);
    expect(cs.issuer).toBe('other');
    expect(
      shorthandClaimSet(saml, { kind: 'shorthand', subject: 's', format: 'urn:x', attributes: {} }).subject.format,
    ).toBe('urn:x');
  });

  it('OIDC: sub and iss are added when absent; values are kept as JSON', () => {
    const plan = testPlan();
    const cs = shorthandClaimSet(plan, {
      kind: 'shorthand',
      subject: 'u1',
      attributes: { groups: ['a'], n: 3 },
      verified: true,
      issuedAt: '2026-11-29T00:00:00Z',
      indeterminate: ['groups'],
    });
    expect(cs.claims).toEqual({ groups: ['a'], n: 3, sub: 'u1', iss: ISSUER });
    expect(cs).toMatchObject({ verified: true, issuedAt: '2026-11-29T00:00:00Z', indeterminate: ['groups'] });
    expect(evaluate(plan, cs).malformed.map((m) => m.claim)).toContain('groups');
  });
});

describe('snapshotClaimSet', () => {
  it('restores the key format it is told to assume, and notes it and omitted claims', () => {
    const { claimSet, notes } = snapshotClaimSet(
      {
        protocol: 'saml',
        issuer: saml.idp.issuer,
        subject: '00u1',
        issuedAt: '2026-11-29T00:00:00Z',
        claims: { email: ['a@acme.example'], firstName: ['A'], lastName: ['B'], employeeType: ['FTE'] },
        omitted: 2,
      },
      NAMEID_FORMATS.persistent,
    );
    expect(claimSet.subject).toEqual({ id: '00u1', format: NAMEID_FORMATS.persistent });
    expect(claimSet.issuedAt).toBe('2026-11-29T00:00:00Z');
    expect(notes).toHaveLength(2);
    expect(evaluate(saml, claimSet).key).toEqual({ issuer: saml.idp.issuer, subject: '00u1' });
  });
});

describe('parseScenarios properties', () => {
  it('never throws on any text', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (text) => {
        const r = parseScenarios(text);
        expect(r.file === null).toBe(r.diagnostics.some((d) => d.severity === 'error'));
      }),
      { numRuns: 300 },
    );
  });

  it('never throws on YAML-shaped data, and positions stay inside the text', () => {
    const value = fc.letrec((tie) => ({
      v: fc.oneof(
        { depthSize: 'small' },
        fc.string({ maxLength: 8 }),
        fc.integer(),
        fc.boolean(),
        fc.constant(null),
        fc.array(tie('v'), { maxLength: 3 }),
        fc.dictionary(fc.constantFrom('name', 'claims', 'expect', 'action', 'roles', 'subject', 'x'), tie('v'), {
          maxKeys: 3,
        }),
      ),
    })).v;
    fc.assert(
      fc.property(fc.array(value, { maxLength: 3 }), (cases) => {
        const text = JSON.stringify({ cases });
        const r = parseScenarios(text);
        for (const d of r.diagnostics) expect(d.range.end.offset).toBeLessThanOrEqual(text.length);
      }),
      { numRuns: 200 },
    );
  });
});
