import { describe, expect, it } from 'vitest';
import type { ClaimSet } from '../../src/model/claim-set.js';
import type { Plan } from '../../src/model/plan.js';
import { privilegedLiterals, simulate, simulateDecisions } from '../../src/simulate/simulate.js';
import { withClaim } from '../../src/simulate/claim-edit.js';
import type { MutationOperator, MutationOutcome, OutcomeClass, SimulationResult } from '../../src/simulate/types.js';
import {
  CASE_INSENSITIVE_REGEX,
  DENY_BYPASS,
  EXACT_GROUPS,
  LOWERED_GROUPS,
  NO_UNIQUE_EMAIL,
  NOW,
  oidc,
  plan,
  saml,
} from './fixtures.js';

const find = (r: SimulationResult, operator: string, label?: string | RegExp): MutationOutcome => {
  const hit = r.outcomes.find(
    (o) =>
      o.operator === operator &&
      (label === undefined || (typeof label === 'string' ? o.label === label : label.test(o.label))),
  );
  if (!hit)
    throw new Error(
      `no outcome ${operator} ${String(label)} in ${r.outcomes.map((o) => `${o.operator}:${o.label}`).join(', ')}`,
    );
  return hit;
};

/** An operator that sets one scalar claim to a fixed value (shows that the list is extensible). */
const setTo = (claim: string, v: string): MutationOperator => ({
  name: `set-${claim}`,
  description: `Sets ${claim} to ${v} (test operator).`,
  scope: 'claim',
  appliesTo: (c) => c?.name === claim,
  apply: (cs, c) => [{ label: `= ${v}`, claimSet: withClaim(cs, c!, cs.protocol === 'saml' ? [v] : v) }],
});

const member = () => saml({ email: ['jane@example.com'], groups: ['eng'], department: ['Eng'] });
const admin = () => saml({ email: ['jane@example.com'], groups: ['eng', 'okta-admins'], department: ['Eng'] });

type Row = [
  name: string,
  mapping: string,
  sample: () => ClaimSet,
  operator: string,
  label: string | RegExp | undefined,
  cls: OutcomeClass,
  critical: boolean,
  extra?: MutationOperator[],
];

const TABLE: Row[] = [
  [
    'normalize lower lets a distinct OKTA-ADMINS group grant admin',
    LOWERED_GROUPS,
    member,
    'near-privileged',
    '+ "OKTA-ADMINS"',
    'escalation',
    true,
  ],
  [
    'a case-insensitive regex (no normalize lower) lets OKTA-ADMINS grant admin',
    CASE_INSENSITIVE_REGEX,
    member,
    'near-privileged',
    '+ "OKTA-ADMINS"',
    'escalation',
    true,
  ],
  [
    'exact membership without normalize lower: OKTA-ADMINS changes nothing',
    EXACT_GROUPS,
    member,
    'near-privileged',
    '+ "OKTA-ADMINS"',
    'unchanged',
    false,
  ],
  [
    'a padded kind slips past an exact-value deny',
    DENY_BYPASS,
    () => oidc({ email: 'c@example.com', kind: 'contractor', roles: ['Admin'] }),
    'whitespace-padded',
    undefined,
    'escalation',
    true,
  ],
  [
    'a non-privileged role gained is an escalation, not critical',
    EXACT_GROUPS,
    member,
    'set-department',
    '= Finance',
    'escalation',
    false,
    [setTo('department', 'Finance')],
  ],
  ['a required claim removed is refused (fails closed)', EXACT_GROUPS, member, 'absent', undefined, 'refused', false],
  ['another issuer is refused', EXACT_GROUPS, member, 'another-issuer', undefined, 'refused', false],
  [
    'a new subject with the same email conflicts (refused) when email is unique',
    EXACT_GROUPS,
    member,
    'new-subject-same-email',
    undefined,
    'refused',
    false,
  ],
  [
    'a new subject with the same email is a second account when nothing is unique',
    NO_UNIQUE_EMAIL,
    () => oidc({ email: 'jane@example.com' }),
    'new-subject-same-email',
    undefined,
    'duplicate-account',
    false,
  ],
  ['a group removed loses its role', EXACT_GROUPS, admin, 'value-removed', '- "okta-admins"', 'loss', false],
  ['group overage loses the roles it granted', EXACT_GROUPS, admin, 'overage', undefined, 'loss', false],
  [
    'an upper-cased department overwrites the stored one',
    EXACT_GROUPS,
    member,
    'case-changed',
    'UPPER CASE',
    'profile-loss',
    false,
  ],
  [
    'a duplicated group is unchanged (sets de-duplicate)',
    EXACT_GROUPS,
    admin,
    'duplicated-value',
    'duplicate "eng"',
    'unchanged',
    false,
  ],
  [
    'a duplicated scalar value is refused (multiple values)',
    EXACT_GROUPS,
    admin,
    'duplicated-value',
    'duplicate "jane@example.com"',
    'refused',
    false,
  ],
];

describe('classification (through the store)', () => {
  it.each(TABLE)('%s', async (_name, mapping, sample, operator, label, cls, critical, extra) => {
    const r = await simulate(plan(mapping), [{ name: 's', claimSet: sample() }], {
      now: NOW,
      ...(extra ? { extraOperators: extra } : {}),
    });
    // The outcome of the first claim the operator applies to with this label.
    const candidates = r.outcomes.filter(
      (o) =>
        o.operator === operator &&
        (label === undefined || (typeof label === 'string' ? o.label === label : label.test(o.label))),
    );
    expect(candidates.length).toBeGreaterThan(0);
    const o = cls === 'unchanged' ? candidates[0]! : (candidates.find((x) => x.class === cls) ?? candidates[0]!);
    expect({ class: o.class, critical: o.critical }).toEqual({ class: cls, critical });
    expect(r.counts.error).toBe(0);
  });

  it('keeps every finding of a mutated login and the most severe as its class', async () => {
    const r = await simulate(plan(EXACT_GROUPS), [{ name: 's', claimSet: admin() }], { now: NOW });
    const o = find(r, 'overage');
    expect(o.findings.map((f) => [f.class, f.subject, f.name])).toEqual([['loss', 'role', 'admin']]);
    const dept = find(r, 'absent', 'removed');
    expect(dept.findings.length).toBeGreaterThanOrEqual(1);
  });

  it('a duplicate-account finding names the shared email', async () => {
    const r = await simulate(plan(NO_UNIQUE_EMAIL), [{ name: 's', claimSet: oidc({ email: 'jane@example.com' }) }], {
      now: NOW,
    });
    const f = find(r, 'new-subject-same-email').findings[0]!;
    expect(f).toMatchObject({ class: 'duplicate-account', path: 'update', subject: 'account', to: 'jane@example.com' });
  });

  it('an operator that throws or yields a broken claim set is an error (a bug), and the run goes on', async () => {
    const broken: MutationOperator = {
      name: 'broken',
      description: 'Yields something that is not a claim set.',
      scope: 'login',
      appliesTo: () => true,
      apply: () => [{ label: 'null claim set', claimSet: null as unknown as ClaimSet }],
    };
    const throwing: MutationOperator = {
      name: 'throwing',
      description: 'Throws.',
      scope: 'login',
      appliesTo: () => true,
      apply: () => {
        throw new RangeError('boom');
      },
    };
    const r = await simulate(plan(EXACT_GROUPS), [{ name: 's', claimSet: member() }], {
      now: NOW,
      extraOperators: [broken, throwing],
    });
    expect(find(r, 'broken').class).toBe('error');
    expect(find(r, 'throwing')).toMatchObject({ class: 'error', label: '(operator failed)' });
    expect(r.counts.error).toBe(2);
    expect(r.counts.unchanged).toBeGreaterThan(0);
  });

  it('a refused baseline that a mutation lets in is an escalation', async () => {
    const strict = plan(
      EXACT_GROUPS.replace(
        'department : string      from "department" optional',
        'department : string      from "department" required',
      ),
    );
    const r = await simulate(
      strict,
      [{ name: 's', claimSet: saml({ email: ['j@example.com'], groups: ['okta-admins'] }) }],
      {
        now: NOW,
        operators: [],
        extraOperators: [setTo('department', 'Eng')],
      },
    );
    expect(r.samples[0]!.action).toBe('refused');
    const o = find(r, 'set-department');
    expect(o).toMatchObject({ class: 'escalation', critical: true });
    expect(o.findings.map((f) => f.message)).toContain('allowed where the baseline was refused');
  });

  it('never modifies the samples', async () => {
    const cs = admin();
    const before = JSON.stringify(cs);
    await simulate(plan(EXACT_GROUPS), [{ name: 's', claimSet: cs }], { now: NOW });
    expect(JSON.stringify(cs)).toBe(before);
  });

  it('rejects caller mistakes with TypeError', async () => {
    await expect(simulate(plan(EXACT_GROUPS), [{ name: 's' } as never])).rejects.toThrow(TypeError);
    await expect(simulate(plan(EXACT_GROUPS), [], { operators: [{ name: 'x' } as never] })).rejects.toThrow(TypeError);
    await expect(simulate(plan(EXACT_GROUPS), [], { now: 'not a date' })).rejects.toThrow(TypeError);
  });

  it('reports progress up to the total', async () => {
    const seen: [number, number][] = [];
    const r = await simulate(plan(EXACT_GROUPS), [{ name: 's', claimSet: member() }], {
      now: NOW,
      onProgress: (d, t) => seen.push([d, t]),
      progressEvery: 10,
    });
    expect(seen.at(-1)).toEqual([r.outcomes.length, r.outcomes.length]);
    expect(seen.length).toBeGreaterThan(1);
  });
});

describe('simulateDecisions (evaluation only)', () => {
  it.each([
    [LOWERED_GROUPS, member, 'near-privileged', '+ "OKTA-ADMINS"', 'escalation'],
    [EXACT_GROUPS, member, 'new-subject-same-email', undefined, 'refused'],
    [
      NO_UNIQUE_EMAIL,
      () => oidc({ email: 'jane@example.com' }),
      'new-subject-same-email',
      undefined,
      'duplicate-account',
    ],
    [EXACT_GROUPS, admin, 'value-removed', '- "okta-admins"', 'loss'],
    [EXACT_GROUPS, member, 'case-changed', 'UPPER CASE', 'profile-loss'],
    [EXACT_GROUPS, member, 'absent', 'removed', 'refused'],
  ] as const)('%#: %s', (mapping, sample, operator, label, cls) => {
    const r = simulateDecisions(plan(mapping), [{ name: 's', claimSet: sample() }]);
    expect(r.mode).toBe('decisions');
    const os = r.outcomes.filter((o) => o.operator === operator && (label === undefined || o.label === label));
    expect(os.map((o) => o.class)).toContain(cls);
  });

  it('agrees with simulate() on the class counts of a plain mapping', async () => {
    const p = plan(EXACT_GROUPS);
    const samples = [
      { name: 'a', claimSet: admin() },
      { name: 'm', claimSet: member() },
    ];
    const full = await simulate(p, samples, { now: NOW });
    const fast = simulateDecisions(p, samples, { now: NOW });
    expect(fast.outcomes.map((o) => o.class)).toEqual(full.outcomes.map((o) => o.class));
  });
});

describe('rule coverage', () => {
  const p: Plan = plan(EXACT_GROUPS);
  it('counts true / false / unknown per rule and lists rules never exercised', async () => {
    const r = await simulate(
      p,
      [
        { name: 'a', claimSet: admin() },
        { name: 'm', claimSet: member() },
      ],
      { now: NOW },
    );
    const byId = Object.fromEntries(r.coverage.rules.map((c) => [c.rule, c]));
    expect(Object.keys(byId)).toEqual(['roles[0]', 'roles[1]', 'roles[2]']);
    expect(r.coverage.neverTrue).toEqual(['roles[2]']); // department == "Finance": no sample nor mutation reaches it
    expect(byId['roles[1]']!.true).toBeGreaterThan(0); // the admin sample
    expect(byId['roles[1]']!.false).toBeGreaterThan(0); // the member sample
    expect(byId['roles[1]']!.unknown).toBeGreaterThan(0); // overage
    expect(byId['roles[0]']!.conditional).toBe(false);
    expect(r.coverage.neverFalse).not.toContain('roles[0]');
    expect(r.coverage.neverEvaluated).toEqual([]);
  });
});

describe('privilegedLiterals', () => {
  // Not declared privileged in the text (lint would reject the negated grant): the roles are passed in.
  const p = plan(`mapping "polarity" {
  idp oidc "https://idp.example.com"
  key sub
  claims {
    groups : set<string> from "groups" optional
    kind   : string      from "kind"   optional
    team   : string      from "team"   optional
  }
  roles replace {
    grant admin when "vault-admins" in groups and not "Contractors" in groups and kind != "vendor"
    grant admin when any groups matches /^ops-admins$/i or not (not "Leads" in groups)
    deny admin when "Interns" in groups or not kind == "FTE"
    grant viewer when "viewers" in groups and not "Suspended" in groups
    grant auditor when team in ["audit", "risk"]
  }
  lifecycle { offboarding scim }
}`);
  const priv = new Set(['admin', 'auditor']);

  it('splits the literals of privileged rules by what a user gains: holding them, or losing them', () => {
    expect(privilegedLiterals(p, 'groups', priv)).toEqual({
      positive: ['vault-admins', 'ops-admins', 'Leads'],
      negated: ['Contractors', 'Interns'],
      witnesses: [],
    });
    // `!=` in a grant and `not ==` in a deny: the value helps by its absence, then by its presence.
    expect(privilegedLiterals(p, 'kind', priv)).toEqual({ positive: ['FTE'], negated: ['vendor'], witnesses: [] });
    expect(privilegedLiterals(p, 'team', priv)).toEqual({ positive: ['audit', 'risk'], negated: [], witnesses: [] });
  });

  it('ignores rules for roles that are not privileged, and caps each list', () => {
    expect(privilegedLiterals(p, 'groups', new Set(['viewer']))).toEqual({
      positive: ['viewers'],
      negated: ['Suspended'],
      witnesses: [],
    });
    expect(privilegedLiterals(p, 'groups', new Set())).toEqual({ positive: [], negated: [], witnesses: [] });
    expect(privilegedLiterals(p, 'groups', priv, 1)).toEqual({
      positive: ['vault-admins'],
      negated: ['Contractors'],
      witnesses: [],
    });
  });

  it('witnesses: the inexact tests a user gains by passing, taken in turn, at most max, after the normalisers', () => {
    const w = plan(`mapping "witnesses" {
  idp oidc "https://idp.example.com"
  key sub
  claims {
    groups : set<string> from "groups" optional normalize lower
    teams  : set<string> from "teams"  optional
  }
  roles replace {
    grant admin when any groups matches /^.*\\/admins$/ or any groups matches /^gh-[a-z]+$/
    grant admin when any groups starts_with "ops-" and not any groups matches /^x-.*$/
    grant admin when all teams matches /^team-[0-9]+$/ or any teams matches /^(red|blue)$/
    deny admin when any groups matches /^banned-.*$/
    grant viewer when any groups matches /^view-.*$/
  }
  lifecycle { offboarding scim }
}`);
    const priv = new Set(['admin']);
    const values = (claim: string, max?: number) =>
      privilegedLiterals(w, claim, priv, max).witnesses.map((x) => `${x.all ? 'all ' : ''}${x.value}`);
    // One of each test first (x/admins, gh-xx, ops-x), then the second of each; the negated, deny and viewer
    // regexes give none (passing them does not help a user to admin).
    expect(values('groups')).toEqual(['x/admins', 'gh-xx', 'ops-x', 'xx/admins']);
    expect(values('groups', 2)).toEqual(['x/admins', 'gh-xx']);
    // `all`: the witness must be the set's only value; the exact /^(red|blue)$/ has none.
    expect(values('teams')).toEqual(['all team-00', 'all team-000']);
    // normalize lower: a witness that the normaliser changes into a non-match is dropped.
    const upper = plan(`mapping "upper" {
  idp oidc "https://idp.example.com"
  key sub
  claims { groups : set<string> from "groups" optional normalize lower }
  roles replace { grant admin when any groups matches /^[A-Z]+-admins$/ }
  lifecycle { offboarding scim }
}`);
    expect(privilegedLiterals(upper, 'groups', priv).witnesses).toEqual([]);
  });
});
