/**
 * Links from the HTML simulation report into the playground (src/simulate/report/playground-link.ts and the
 * `playground` option of renderHtml): the fragment round-trips (plain and deflated), untrusted fragments are
 * refused field by field, the report without the option is unchanged, and a finding's link reproduces its mutation
 * through the playground's own code (playground/src/core.ts).
 */
import { readFileSync } from 'node:fs';
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { mutatedClaimSet, readClaimsInput } from '../../playground/src/core.js';
import { readClaims } from '../../src/claims/read-claims.js';
import { compile } from '../../src/compile/compile.js';
import { renderHtml } from '../../src/simulate/report/html.js';
import {
  MAX_PLAYGROUND_TEXT,
  type PlaygroundState,
  parsePlaygroundState,
  playgroundFragment,
  playgroundPayload,
} from '../../src/simulate/report/playground-link.js';
import { simulateDecisions } from '../../src/simulate/simulate.js';

const decode = (fragment: string): PlaygroundState | null => {
  const p = playgroundPayload(fragment);
  if ('problem' in p) return null;
  return parsePlaygroundState(new TextDecoder().decode(p.deflated ? inflateRawSync(p.bytes) : p.bytes));
};

const MAPPING = readFileSync('examples/okta-saml/acme.claimmap', 'utf8');
const JANE = readClaims(readFileSync('examples/okta-saml/jane.saml.xml'));

describe('playground fragments', () => {
  const state: PlaygroundState = {
    mapping: 'mapping "ü ✓ 😀" {}\n',
    claims: '{"sub":"1"}',
    tab: 'explain',
    role: 'admin',
    mutation: { claim: 'groups', operator: 'case-changed', label: 'UPPER CASE' },
  };

  it('round-trips a state, plain and raw-deflated', () => {
    const plain = playgroundFragment(state);
    const z = playgroundFragment(state, { deflateRaw: (b) => deflateRawSync(b) });
    expect(plain).toMatch(/^v=1&p=[A-Za-z0-9_-]+$/);
    expect(z).toMatch(/^v=1&z=[A-Za-z0-9_-]+$/);
    expect(decode(plain)).toEqual(state);
    expect(decode(`#${z}`)).toEqual(state);
  });

  it('refuses other versions, bad encodings and what is not a state', () => {
    expect(playgroundPayload('v=2&p=e30')).toEqual({ problem: 'unknown-version' });
    expect(playgroundPayload('section-2')).toEqual({ problem: 'not-a-state' });
    expect(playgroundPayload('v=1&p=ab*c')).toEqual({ problem: 'bad-encoding' });
    expect(playgroundPayload('v=1&p=abcde')).toEqual({ problem: 'bad-encoding' });
  });

  it('reads only known fields of their types from untrusted JSON', () => {
    expect(parsePlaygroundState('not json')).toBeNull();
    expect(parsePlaygroundState('[]')).toBeNull();
    expect(parsePlaygroundState('{"mapping":1,"claims":""}')).toBeNull();
    expect(
      parsePlaygroundState(JSON.stringify({ mapping: 'x'.repeat(MAX_PLAYGROUND_TEXT + 1), claims: '' })),
    ).toBeNull();
    expect(
      parsePlaygroundState(
        '{"mapping":"m","claims":"c","tab":"rm -rf","role":7,"mutation":{"claim":1},"__proto__":{"x":1}}',
      ),
    ).toEqual({ mapping: 'm', claims: 'c' });
  });
});

describe('renderHtml playground links', () => {
  const { plan } = compile(MAPPING);
  if (!plan) throw new Error('example does not compile');
  const samples = [{ name: 'jane', claimSet: JANE }];
  const result = simulateDecisions(plan, samples, { now: '2026-11-29T09:13:00Z' });

  it('adds no link, and no word of the playground, without the option', () => {
    expect(renderHtml(result)).not.toMatch(/playground/i);
  });

  it('links every listed finding; each link reproduces its mutation in the playground', async () => {
    const html = renderHtml(result, {
      playground: { url: 'https://play.example/#old', mapping: MAPPING, samples, deflateRaw: (b) => deflateRawSync(b) },
    });
    const hrefs = [...html.matchAll(/<a href="(https:\/\/play\.example\/#[^"]+)"[^>]*>open in playground<\/a>/g)].map(
      (m) => (m[1] as string).replace(/&#38;/g, '&'),
    );
    const listed = Math.min(50, result.outcomes.filter((o) => o.class !== 'unchanged').length);
    expect(listed).toBeGreaterThan(0);
    expect(hrefs).toHaveLength(listed);
    expect(html).toContain('not sent to the playground server');
    for (const href of hrefs.slice(0, 10)) {
      const state = decode(href.slice(href.indexOf('#') + 1));
      expect(state?.mapping).toBe(MAPPING);
      const m = state?.mutation;
      if (!state || !m) throw new Error('link without a mutation');
      const outcome = result.outcomes.find(
        (o) => o.claim === m.claim && o.operator === m.operator && o.label === m.label,
      );
      expect(outcome).toBeDefined();
      const read = await readClaimsInput(state.claims);
      expect(mutatedClaimSet(plan, read.claimSet, m)).not.toBeNull();
    }
  });
});
