/**
 * The benchmark compares like with like: on the bench fixtures every peer gives claimmap's result (roles,
 * entitlements, profile; issuer, NameID and attributes), and the simulator's two-phase path gives the one-call
 * result. Correctness of the comparison only: nothing here is timed.
 */
import { describe, expect, it } from 'vitest';
import {
  INPUTS,
  allOutcomes,
  benchPlan,
  celOutcome,
  claimmapOutcome,
  handWritten,
  jmespathOutcome,
  jsonLogicOutcome,
  jsonataOutcome,
  normalise,
} from '../../bench/fixtures/evaluate.js';
import {
  generateMapping,
  generateSmallMapping,
  simulateMapping,
  simulateSamples,
} from '../../bench/fixtures/generate.js';
import { SAML_RESPONSE, fastXmlParserParse, xmldomXpathRead } from '../../bench/fixtures/saml.js';
import { readSaml } from '../../src/claims/index.js';
import { compile, lint } from '../../src/compile/compile.js';
import { evaluate } from '../../src/evaluate/index.js';
import { prepareDecisions, runPrepared, simulateDecisions } from '../../src/simulate/simulate.js';

const plan = benchPlan();

describe('evaluate fixture: every engine agrees with claimmap', () => {
  it.each(INPUTS.map((cs) => [cs.subject.id, cs] as const))('%s', async (_id, cs) => {
    const want = claimmapOutcome(plan, cs);
    expect(evaluate(plan, cs).outcome).toBe('allow');
    expect(want.roles.length).toBeGreaterThan(0);
    expect(want.entitlements.length).toBeGreaterThan(5);
    expect(handWritten(cs)).toEqual(want);
    expect(normalise(jmespathOutcome(cs))).toEqual(want);
    expect(normalise(celOutcome(cs))).toEqual(want);
    expect(normalise(await jsonataOutcome(cs))).toEqual(want);
    expect(normalise(jsonLogicOutcome(cs))).toEqual(want);
    expect(claimmapOutcome(plan, cs, true)).toEqual(want);
    expect(Object.keys(await allOutcomes(plan, cs))).toHaveLength(7);
  });

  it('the inputs exercise every role and a deny', () => {
    const roles = new Set(INPUTS.flatMap((cs) => claimmapOutcome(plan, cs).roles));
    expect([...roles].sort()).toEqual(['admin', 'auditor', 'billing', 'developer', 'viewer']);
    for (const cs of INPUTS) expect(claimmapOutcome(plan, cs).entitlements).not.toContain('repo:secrets:write');
  });

  it('the hand-written baseline refuses what claimmap refuses (wrong issuer, bad email)', () => {
    const cs = INPUTS[0]!;
    const otherIssuer = { ...cs, issuer: 'https://evil.example.com' };
    const badEmail = { ...cs, claims: { ...(cs.claims as object), email: 'not an email' } } as typeof cs;
    for (const bad of [otherIssuer, badEmail]) {
      expect(evaluate(plan, bad).outcome).toBe('refuse');
      expect(handWritten(bad)).toBeNull();
    }
  });
});

describe('SAML fixture', () => {
  it('readSaml and xmldom + xpath read the same issuer, NameID and attributes', () => {
    const cs = readSaml(SAML_RESPONSE);
    const theirs = xmldomXpathRead(SAML_RESPONSE);
    expect({ ...theirs, claims: { ...theirs.claims } }).toEqual({
      issuer: cs.issuer,
      subject: { id: cs.subject.id, format: cs.subject.format },
      claims: { ...cs.claims },
    });
    expect(cs.claims.groups).toHaveLength(20);
    expect(SAML_RESPONSE).toContain('<ds:Signature');
    expect(Buffer.byteLength(SAML_RESPONSE)).toBeGreaterThan(7000);
    expect(fastXmlParserParse(SAML_RESPONSE)).toHaveProperty('saml2p:Response');
  });
});

describe('generated fixtures', () => {
  it('the lint mapping is 1 MiB and compiles without errors', () => {
    const source = generateMapping(1 << 20);
    expect(Buffer.byteLength(source)).toBeGreaterThanOrEqual(1 << 20);
    const { plan: p, diagnostics } = compile(source, { filename: 'lint.claimmap' });
    expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(p).not.toBeNull();
  }, 60_000);

  it('the small lint files are 3.4 KB, lint without errors and share no regex', () => {
    const files = [0, 1, 999].map((i) => generateSmallMapping(i, 3400));
    const regexes = new Set<string>();
    for (const f of files) {
      expect(Buffer.byteLength(f)).toBeGreaterThanOrEqual(3400);
      expect(Buffer.byteLength(f)).toBeLessThan(3800);
      expect(lint(f, { filename: 'small.claimmap' }).filter((d) => d.severity === 'error')).toEqual([]);
      for (const m of f.matchAll(/\/\^[^/]*\//g)) {
        expect(regexes.has(m[0])).toBe(false);
        regexes.add(m[0]);
      }
    }
    expect(regexes.size).toBeGreaterThanOrEqual(30);
  });

  it('the simulate mapping has 50 rules and the two-phase run equals simulateDecisions', () => {
    const { plan: p } = compile(simulateMapping(), { filename: 'sim.claimmap' });
    expect(p!.roles.rules.length + p!.entitlements.rules.length).toBe(50);
    const samples = simulateSamples(5);
    const one = simulateDecisions(p!, samples);
    const prepared = prepareDecisions(p!, samples);
    const a = runPrepared(prepared);
    const b = runPrepared(prepared); // re-runnable: the prepared mutations are not modified
    expect({ ...a, elapsedMs: 0 }).toEqual({ ...one, elapsedMs: 0 });
    expect({ ...b, elapsedMs: 0 }).toEqual({ ...one, elapsedMs: 0 });
    expect(one.evaluations).toBeGreaterThan(100);
  });
});
