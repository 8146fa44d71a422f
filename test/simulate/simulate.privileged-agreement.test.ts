/**
 * Lint and simulate agree on privileged roles. For every example mapping and every golden case
 * test/golden/diagnostics/privileged__*.claimmap (the folder is read, so new cases are covered as they are added):
 *
 *   lint reports a `privileged/*` error on a grant of role R
 *     ⟺  simulate shows an outsider reaching R,
 *
 * where an outsider is a generated sample holding none of the values the privileged rules test positively (see
 * outsiderSamples), and "reaching R" is either holding R at its baseline (an unconditional or negated grant:
 * everyone already has it, `privileged/unconditional-grant`) or a mutated login of any sample gaining R (an
 * escalation). Examples are also simulated with their own sample logins, which must never escalate to a
 * privileged role. Which operator confirms which code is the table in docs/simulate.md ("Privileged guardrails").
 *
 * The one exception is a role flagged only by a code of NOT_REACHABLE (`privileged/all-quantifier` on an exact
 * regex): no outsider can reach it, so the test asserts it is not reached and that the operator that would show
 * it (`empty`) ran and granted nothing. SHAPES adds mappings of the regex classes beyond the golden cases.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSamples } from '../../src/simulate/load-samples.js';
import { GOLDEN_DIR } from '../golden/golden-cases.js';
import {
  CONFIRMED_BY,
  NOT_REACHABLE,
  flaggedGrants,
  outsiderSamples,
  reachedBy,
  rolesFlagged,
  rolesReached,
  simulatable,
  simulatePrivileged,
} from './privileged-support.js';

const ROOT = join(import.meta.dirname, '..', '..');
const EXAMPLES = readdirSync(join(ROOT, 'examples'), { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => d.name)
  .sort();
const GOLDEN = readdirSync(GOLDEN_DIR)
  .filter((f) => f.startsWith('privileged__') && f.endsWith('.claimmap'))
  .sort();

async function agreement(source: string, filename: string, own: ReturnType<typeof loadSamples> = []) {
  const m = simulatable(source, filename);
  const outsiders = outsiderSamples(m.plan, m.privileged);
  const r = await simulatePrivileged(m, [...outsiders, ...own]);
  expect(r.counts.error).toBe(0);
  const baselineOf = outsiders.map((s) => s.name);
  return {
    flagged: rolesFlagged(m),
    reached: rolesReached(r, m.privileged, baselineOf),
    how: reachedBy(r, m.privileged, baselineOf),
    m,
    r,
  };
}

/**
 * The agreement on one mapping: every flagged role is reached by an outsider and only those, except a role flagged
 * only by codes of NOT_REACHABLE, which must not be reached although the operator named there ran; where a code is
 * in CONFIRMED_BY, the operators it names are among those that reached the role.
 */
async function agrees(source: string, filename: string): Promise<{ flagged: string[]; codes: string[] }> {
  const { flagged, reached, how, m, r } = await agreement(source, filename);
  const grants = flaggedGrants(m);
  const codesOf = (role: string): string[] => grants.filter((g) => g.role === role).map((g) => g.code);
  const unreachable = flagged.filter((role) => codesOf(role).every((code) => Object.hasOwn(NOT_REACHABLE, code)));
  expect(reached).toEqual(flagged.filter((role) => !unreachable.includes(role)));
  for (const role of unreachable) {
    for (const code of codesOf(role)) {
      const { operator } = NOT_REACHABLE[code]!;
      const ran = r.outcomes.filter((o) => o.operator === operator);
      expect(ran.length, `${code} on ${role}: ${operator} ran`).toBeGreaterThan(0);
      expect(
        ran.filter((o) => o.findings.some((f) => f.class === 'escalation' && f.name === role)),
        `${code}: ${operator} grants nothing`,
      ).toEqual([]);
    }
  }
  for (const { code, role } of grants) {
    const expected = CONFIRMED_BY[code];
    if (expected) expect([...how.get(role)!], `${code} on ${role}`).toEqual(expect.arrayContaining([...expected]));
  }
  return { flagged, codes: grants.map((g) => g.code) };
}

/** A mapping with one privileged grant (as the golden cases are written). */
function oneGrant(protocol: 'oidc' | 'saml', claims: string, grant: string): string {
  return `mapping "agreement" {
  idp ${protocol} "https://id.example.com"
  key ${protocol === 'oidc' ? 'sub' : 'nameid persistent'}
  claims { ${claims} }
  roles {
    privileged admin
    ${grant}
  }
  lifecycle { offboarding scim }
}`;
}

const GROUPS = 'groups : set<string> from "groups" optional';

/**
 * More shapes of the regex classes than one golden case each can show: `codes` are the `privileged/*` codes lint
 * must report (none: an exact grant, which nobody may reach).
 */
const SHAPES: [name: string, source: string, codes: string[]][] = [
  [
    'unanchored regex',
    oneGrant('oidc', GROUPS, 'grant admin when any groups matches /admins/'),
    ['privileged/inexact-match'],
  ],
  [
    'prefix regex',
    oneGrant('oidc', GROUPS, 'grant admin when any groups matches /^admins/'),
    ['privileged/inexact-match'],
  ],
  [
    'suffix regex',
    oneGrant('oidc', GROUPS, 'grant admin when any groups matches /admins$/'),
    ['privileged/inexact-match'],
  ],
  [
    'open family',
    oneGrant('oidc', GROUPS, 'grant admin when any groups matches /^gh-[a-z]+$/'),
    ['privileged/inexact-match'],
  ],
  [
    'open family, SAML',
    oneGrant('saml', GROUPS, 'grant admin when any groups matches /^gh-[a-z]+$/'),
    ['privileged/inexact-match'],
  ],
  [
    'open alternative',
    oneGrant('oidc', GROUPS, 'grant admin when any groups matches /^(vault-admins|ops-.*)$/'),
    ['privileged/inexact-match'],
  ],
  [
    'large finite family',
    oneGrant('oidc', GROUPS, 'grant admin when any groups matches /^ops-[0-9]{3}$/'),
    ['privileged/inexact-match'],
  ],
  [
    'open family on a scalar',
    oneGrant('oidc', 'team : string from "team" optional', 'grant admin when team matches /^ops-.+$/'),
    ['privileged/inexact-match'],
  ],
  [
    'ends_with',
    oneGrant('oidc', GROUPS, 'grant admin when any groups ends_with "-admins"'),
    ['privileged/inexact-match'],
  ],
  [
    'leaf name, one parent',
    oneGrant('oidc', GROUPS, 'grant admin when any groups matches /^\\/[^\\/]+\\/admins$/'),
    ['privileged/leaf-name-match'],
  ],
  [
    'leaf name, unanchored',
    oneGrant('oidc', GROUPS, 'grant admin when any groups matches /\\/admins$/'),
    ['privileged/leaf-name-match'],
  ],
  [
    'leaf name, ends_with',
    oneGrant('saml', GROUPS, 'grant admin when any groups ends_with "/admins"'),
    ['privileged/leaf-name-match'],
  ],
  [
    'all over an open family',
    oneGrant('oidc', GROUPS, 'grant admin when all groups matches /^gh-[a-z]+$/'),
    ['privileged/all-quantifier', 'privileged/inexact-match'],
  ],
  [
    'all over an exact regex',
    oneGrant('saml', GROUPS, 'grant admin when all groups matches /^vault-admins$/'),
    ['privileged/all-quantifier'],
  ],
  [
    'exact alternation',
    oneGrant('oidc', GROUPS, 'grant admin when any groups matches /^(vault-admins|vault-ops)$/'),
    [],
  ],
  ['exact small family', oneGrant('oidc', GROUPS, 'grant admin when any groups matches /^ops-[0-3]$/'), []],
  ['exact full path', oneGrant('oidc', GROUPS, 'grant admin when any groups matches /^\\/eng\\/admins$/'), []],
];

describe('lint and simulate agree on privileged roles', () => {
  it('there are golden privileged cases to check', () => {
    expect(GOLDEN).toEqual(
      expect.arrayContaining([
        'privileged__inexact-match.claimmap',
        'privileged__unconditional-grant.claimmap',
        'privileged__user-editable-claim.claimmap',
      ]),
    );
  });

  it.each(GOLDEN)('golden %s: every flagged role is reached by an outsider, and only those', async (file) => {
    const { flagged, codes } = await agrees(readFileSync(join(GOLDEN_DIR, file), 'utf8'), file);
    expect(flagged.length).toBeGreaterThan(0); // a golden privileged case exists to trigger its code
    expect(codes).toContain(file.replace(/\.claimmap$/, '').replace('__', '/'));
  });

  it.each(SHAPES)('%s: lint reports exactly the expected codes, and simulate agrees', async (_name, source, codes) => {
    const r = await agrees(source, 'agreement.claimmap');
    expect([...new Set(r.codes)].sort()).toEqual(codes);
  });

  it('the exceptions are codes lint has, each with a golden case, and none is also confirmed by simulate', () => {
    const codes = GOLDEN.map((f) => f.replace(/\.claimmap$/, '').replace('__', '/'));
    for (const code of Object.keys(NOT_REACHABLE)) {
      expect(codes).toContain(code);
      expect(CONFIRMED_BY[code]).toBeUndefined();
    }
  });

  it('every code of the confirmation table has a golden case, so the row above is exercised', () => {
    const codes = GOLDEN.map((f) => f.replace(/\.claimmap$/, '').replace('__', '/'));
    for (const code of Object.keys(CONFIRMED_BY)) expect(codes).toContain(code);
  });

  it.each(EXAMPLES)('example %s: lint flags no privileged role and no sample or outsider reaches one', async (name) => {
    const dir = join('examples', name);
    const file = readdirSync(join(ROOT, dir)).find((f) => f.endsWith('.claimmap'))!;
    const own = loadSamples([dir], ROOT);
    const { flagged, reached, m, r } = await agreement(readFileSync(join(ROOT, dir, file), 'utf8'), file, own);
    expect(m.privileged.length).toBeGreaterThan(0);
    expect(flagged).toEqual([]);
    expect(reached).toEqual([]);
    // The privileged operators did run on the example (its privileged grants compare literals).
    expect(
      r.outcomes.some((o) => ['case-fold', 'nfkc-look-alike', 'lost-values', 'user-edited'].includes(o.operator)),
    ).toBe(true);
  });
});
