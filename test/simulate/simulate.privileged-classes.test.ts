/**
 * Issue #11, "privilege guardrails": each way a mapping can hand a privileged role to someone who should not have it
 * is shown by `simulate`, on a minimal mapping with hand-made logins and on a shipped example changed to make that
 * mistake, simulated with the example's own sample logins. Each case names the operator that must find it and
 * the exact mutated value; look-alikes that must NOT match are named too.
 *
 * The mappings are simulated without their `privileged` declaration and with the role passed as `privileged`
 * (privileged-support.ts), so they run whether or not lint rejects them.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ClaimSet } from '../../src/model/claim-set.js';
import { isUserEditable } from '../../src/check/identity-claims.js';
import { loadSamples } from '../../src/simulate/load-samples.js';
import type { Sample, SimulationResult } from '../../src/simulate/types.js';
import { ISSUER, oidc, saml } from './fixtures.js';
import { simulatable, simulatePrivileged } from './privileged-support.js';

const ROOT = join(import.meta.dirname, '..', '..');

/** A minimal mapping: one claim declaration, one privileged grant. */
function minimal(protocol: 'oidc' | 'saml', claim: string, grant: string): string {
  return `mapping "minimal" {
  idp ${protocol} "${ISSUER}"
  key ${protocol === 'oidc' ? 'sub' : 'nameid persistent'}
  claims { ${claim} }
  roles replace {
    privileged admin
    grant viewer
    ${grant}
  }
  lifecycle { offboarding scim }
}`;
}

/** The example mapping with one line replaced (the replaced text must be there). */
function adapted(example: string, edits: [from: string, to: string][]): string {
  let src = readFileSync(join(ROOT, 'examples', example), 'utf8');
  for (const [from, to] of edits) {
    expect(src, `examples/${example} contains ${from}`).toContain(from);
    src = src.replace(from, to);
  }
  return src;
}

const examplesOf = (dir: string): Sample[] => loadSamples([join('examples', dir)], ROOT);
const person = (name: string, claimSet: ClaimSet): Sample => ({ name, claimSet });

/** `sample × claim × operator label` of every mutated login gaining `role`. */
function gains(r: SimulationResult, role: string): string[] {
  return r.outcomes
    .filter((o) =>
      o.findings.some((f) => f.class === 'escalation' && f.subject === 'role' && f.name === role && f.critical),
    )
    .map((o) => `${o.sample} × ${o.claim} × ${o.operator} ${o.label}`);
}

interface Case {
  name: string;
  source: string;
  samples: Sample[];
  role: string;
  /** Escalations that must be found (`sample × claim × operator label`). */
  finds: string[];
  /** Mutations that must not escalate (look-alikes the comparison does not fold). */
  notFinds?: string[];
}

const CONTRACTOR = oidc({ groups: ['Contractors', 'eng'] });

const CASES: Case[] = [
  // ---- a negated test: everyone who lost the value is admin ----
  {
    name: 'negated test, minimal (OIDC): a contractor whose groups lost "Contractors"',
    source: minimal(
      'oidc',
      'groups : set<string> from "groups" optional',
      'grant admin when not "Contractors" in groups',
    ),
    samples: [person('contractor', CONTRACTOR), person('only-contractor', oidc({ groups: ['Contractors'] }))],
    role: 'admin',
    finds: [
      'contractor × groups × lost-values - "Contractors"',
      'only-contractor × groups × lost-values - "Contractors"',
    ],
  },
  {
    name: 'negated test, minimal (SAML): a contractor whose groups lost "Contractors"',
    source: minimal(
      'saml',
      'groups : set<string> from "groups" optional',
      'grant admin when not "Contractors" in groups',
    ),
    samples: [person('contractor', saml({ groups: ['Contractors', 'eng'] }))],
    role: 'admin',
    finds: ['contractor × groups × lost-values - "Contractors"'],
  },
  {
    name: 'negated test, shibboleth-saml: a student whose affiliation lost "student@example.edu"',
    source: adapted('shibboleth-saml/lms.claimmap', [
      [
        'grant lms_admin when "urn:mace:example.edu:lms:admin" in entitlement and "staff@example.edu" in affiliation',
        'grant lms_admin when not "student@example.edu" in affiliation',
      ],
    ]),
    samples: examplesOf('shibboleth-saml'),
    role: 'lms_admin',
    finds: ['tom.student.saml × affiliation × lost-values - "student@example.edu"'],
  },
  // ---- a case-insensitive regex: case variants and Unicode case-fold look-alikes ----
  {
    name: 'case-insensitive regex, minimal: VAULT-ADMINS, long s, Kelvin sign',
    source: minimal(
      'oidc',
      'groups : set<string> from "groups" optional',
      'grant admin when any groups matches /^vault-admins$/i',
    ),
    samples: [person('eng', oidc({ groups: ['eng'] }))],
    role: 'admin',
    finds: [
      'eng × groups × case-fold + "VAULT-ADMINS"',
      'eng × groups × case-fold + "vault-admiNS"',
      'eng × groups × case-fold + "vault-admin\\u017f"',
    ],
    // Simple case folding has no mapping of the dotless i to i; NFKC is not applied by a regex.
    notFinds: [
      'eng × groups × case-fold + "vault-adm\\u0131ns"',
      'eng × groups × nfkc-look-alike + "\\uff56\\uff41\\uff55\\uff4c\\uff54\\uff0d\\uff41…(12 chars)',
    ],
  },
  {
    name: 'case-insensitive regex, okta-saml: a look-alike of okta-admins with the Kelvin sign',
    source: adapted('okta-saml/acme.claimmap', [
      ['grant admin when "Okta-Admins" in groups', 'grant admin when any groups matches /^okta-admins$/i'],
    ]),
    samples: examplesOf('okta-saml'),
    role: 'admin',
    finds: [
      'jane.later.saml × groups × case-fold + "OKTA-ADMINS"',
      'jane.later.saml × groups × case-fold + "o\\u212ata-admins"',
      'jane.later.saml × groups × case-fold + "okta-admin\\u017f"',
    ],
  },
  // ---- a claim declared normalize nfkc, lower: fullwidth and ligature look-alikes ----
  {
    name: 'normalize nfkc, lower, minimal: fullwidth and case-fold look-alikes of vault-admins',
    source: minimal(
      'oidc',
      'groups : set<string> from "groups" optional normalize nfkc, lower',
      'grant admin when "vault-admins" in groups',
    ),
    samples: [person('eng', oidc({ groups: ['eng'] }))],
    role: 'admin',
    finds: [
      'eng × groups × nfkc-look-alike + "\\uff56\\uff41\\uff55\\uff4c\\uff54\\uff0d\\uff41…(12 chars)',
      'eng × groups × case-fold + "VAULT-ADMINS"',
      'eng × groups × case-fold + "vault-admin\\u017f"',
    ],
    notFinds: ['eng × groups × case-fold + "vault-adm\\u0131ns"'],
  },
  {
    name: 'normalize nfkc, lower, minimal: a ligature look-alike of staff',
    source: minimal(
      'oidc',
      'groups : set<string> from "groups" optional normalize nfkc, lower',
      'grant admin when "staff" in groups',
    ),
    samples: [person('eng', oidc({ groups: ['eng'] }))],
    role: 'admin',
    finds: ['eng × groups × nfkc-look-alike + "sta\\ufb00"'],
  },
  {
    name: 'normalize nfkc, lower, shibboleth-saml: a fullwidth faculty affiliation',
    source: adapted('shibboleth-saml/lms.claimmap', [
      [
        'affiliation : set<string> from "urn:oid:1.3.6.1.4.1.5923.1.1.1.9"             optional',
        'affiliation : set<string> from "urn:oid:1.3.6.1.4.1.5923.1.1.1.9"             optional normalize nfkc, lower',
      ],
    ]),
    samples: examplesOf('shibboleth-saml'),
    role: 'instructor',
    finds: ['tom.student.saml × affiliation × case-fold + "FACULTY@EXAMPLE.EDU"'],
  },
  // ---- a claim users can edit themselves ----
  {
    name: 'user-editable claim, minimal: the user types the title the grant compares',
    source: minimal('oidc', 'title : string from "title" optional', 'grant admin when title == "CTO"'),
    samples: [person('engineer', oidc({ title: 'Engineer' })), person('no-title', oidc({}))],
    role: 'admin',
    finds: ['engineer × title × user-edited "CTO"', 'no-title × title × user-edited "CTO"'],
  },
  {
    name: 'user-editable claim, keycloak-oidc: a title attribute from the user profile',
    source: adapted('keycloak-oidc/acme.claimmap', [
      [
        'groups         : set<string> from "groups"                             optional absent empty',
        'groups : set<string> from "groups" optional absent empty\n    title : string from "title" optional',
      ],
      ['grant admin when "admin" in app_roles', 'grant admin when title == "Platform Lead"'],
    ]),
    samples: examplesOf('keycloak-oidc'),
    role: 'admin',
    finds: ['dana.id-token × title × user-edited "Platform Lead"'],
  },
  // ---- an inexact regex: a leaf name under any parent, an open family, a prefix ----
  {
    name: 'leaf-name regex, minimal (OIDC): an admins group under any parent path',
    source: minimal(
      'oidc',
      'groups : set<string> from "groups" optional',
      'grant admin when any groups matches /^.*\\/admins$/',
    ),
    samples: [person('eng', oidc({ groups: ['/eng/dev'] })), person('no-groups', oidc({}))],
    role: 'admin',
    finds: [
      'eng × groups × regex-witness + "x/admins"',
      'eng × groups × regex-witness + "/sandbox/admins"',
      'no-groups × groups × regex-witness + "/sandbox/admins"',
    ],
  },
  {
    name: 'leaf-name regex, minimal (SAML): any one parent segment',
    source: minimal(
      'saml',
      'groups : set<string> from "groups" optional',
      'grant admin when any groups matches /^\\/[^\\/]+\\/admins$/',
    ),
    samples: [person('eng', saml({ groups: ['/eng/dev'] }))],
    role: 'admin',
    finds: ['eng × groups × regex-witness + "/sandbox/admins"', 'eng × groups × regex-witness + "/xx/admins"'],
  },
  {
    name: 'leaf-name regex, keycloak-oidc: a group named admins anywhere in the group tree',
    source: adapted('keycloak-oidc/acme.claimmap', [
      ['grant admin when "admin" in app_roles', 'grant admin when any groups matches /^.*\\/admins$/'],
    ]),
    samples: examplesOf('keycloak-oidc'),
    role: 'admin',
    // erik's email is not verified: the deny keeps him out, as it should
    finds: [
      'dana.id-token × groups × regex-witness + "x/admins"',
      'dana.id-token × groups × regex-witness + "/sandbox/admins"',
    ],
  },
  {
    name: 'open family, minimal (OIDC): any gh- team',
    source: minimal(
      'oidc',
      'groups : set<string> from "groups" optional',
      'grant admin when any groups matches /^gh-[a-z]+$/',
    ),
    samples: [person('eng', oidc({ groups: ['eng'] }))],
    role: 'admin',
    finds: ['eng × groups × regex-witness + "gh-xx"', 'eng × groups × regex-witness + "gh-xxx"'],
  },
  {
    name: 'open family on a scalar, minimal (OIDC): any ops- team',
    source: minimal('oidc', 'team : string from "team" optional', 'grant admin when team matches /^ops-.+$/'),
    samples: [person('engineer', oidc({ team: 'platform' }))],
    role: 'admin',
    finds: ['engineer × team × regex-witness "ops-xx"'],
  },
  {
    name: 'all over an open family, minimal (OIDC): a set holding only a gh- team',
    source: minimal(
      'oidc',
      'groups : set<string> from "groups" optional',
      'grant admin when all groups matches /^gh-[a-z]+$/',
    ),
    samples: [person('eng', oidc({ groups: ['eng'] }))],
    role: 'admin',
    finds: ['eng × groups × regex-witness only "gh-xx"'],
  },
  {
    name: 'prefix regex, okta-saml: any group whose name starts with Okta-Admins',
    source: adapted('okta-saml/acme.claimmap', [
      ['grant admin when "Okta-Admins" in groups', 'grant admin when any groups matches /^Okta-Admins/'],
    ]),
    samples: examplesOf('okta-saml'),
    role: 'admin',
    finds: ['jane.later.saml × groups × regex-witness + "Okta-Adminsx"'],
  },
];

describe('simulate finds each privilege class', () => {
  it.each(CASES.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const m = simulatable(c.source);
    const r = await simulatePrivileged(m, c.samples);
    expect(r.counts.error).toBe(0);
    const found = gains(r, c.role);
    expect(found).toEqual(expect.arrayContaining(c.finds));
    for (const label of c.notFinds ?? []) {
      expect(r.outcomes.map((o) => `${o.sample} × ${o.claim} × ${o.operator} ${o.label}`)).toContain(label); // it ran
      expect(found).not.toContain(label);
    }
  });

  it('the exact forms of the same mappings give no escalation to the privileged role', async () => {
    const exact: [string, Sample[]][] = [
      [
        minimal('oidc', 'groups : set<string> from "groups" optional', 'grant admin when "vault-admins" in groups'),
        [person('eng', oidc({ groups: ['eng'] }))],
      ],
      [
        minimal(
          'oidc',
          'groups : set<string> from "groups" optional',
          'grant admin when any groups matches /^vault-admins$/',
        ),
        [person('eng', oidc({ groups: ['eng'] }))],
      ],
      [
        minimal(
          'oidc',
          'groups : set<string> from "groups" optional',
          'grant admin when "admins" in groups\n    deny admin when "Contractors" in groups',
        ),
        [person('contractor', CONTRACTOR)],
      ],
      [
        minimal('oidc', 'team : string from "team" optional', 'grant admin when team == "CTO"'),
        [person('engineer', oidc({ team: 'Engineer' }))],
      ],
      [
        minimal(
          'oidc',
          'groups : set<string> from "groups" optional',
          'grant admin when any groups matches /^(vault-admins|vault-ops)$/',
        ),
        [person('eng', oidc({ groups: ['eng'] }))],
      ],
      [
        minimal(
          'oidc',
          'groups : set<string> from "groups" optional',
          'grant admin when any groups matches /^\\/eng\\/admins$/',
        ),
        [person('eng', oidc({ groups: ['/eng/dev'] }))],
      ],
    ];
    for (const [source, samples] of exact) {
      const r = await simulatePrivileged(simulatable(source), samples);
      expect(gains(r, 'admin'), source).toEqual([]);
      expect(
        r.outcomes.filter((o) => o.operator === 'regex-witness'),
        source,
      ).toEqual([]); // an exact test has no witness
    }
  });

  it("user-editable: simulate follows the checker's list of editable claims (a Keycloak department attribute)", async () => {
    // lint's privileged/user-editable-claim and the user-edited operator read the same list (isUserEditable), so
    // they agree on `department` whatever the list says: escalation exactly when the checker knows it as editable.
    const source = adapted('keycloak-oidc/acme.claimmap', [
      [
        'groups         : set<string> from "groups"                             optional absent empty',
        'groups : set<string> from "groups" optional absent empty\n    department : string from "department" optional',
      ],
      ['grant admin when "admin" in app_roles', 'grant admin when department == "Platform"'],
    ]);
    const r = await simulatePrivileged(simulatable(source), examplesOf('keycloak-oidc'));
    expect(isUserEditable(['department'], 'keycloak')).toBeDefined(); // the issue's case: a free-text HR attribute
    expect(gains(r, 'admin')).toContain('dana.id-token × department × user-edited "Platform"');
  });

  // `all` over an empty set is unknown (fail closed), so the empty set no longer grants the role (the bug the issue
  // reports: before, `all` over [] was true and both lines below found the escalation).
  it('empty set: `all groups matches` over [] grants nothing (all over an empty set is unknown)', async () => {
    const source = minimal(
      'oidc',
      'groups : set<string> from "groups" optional',
      'grant admin when all groups matches /^vault-admins$/',
    );
    const r = await simulatePrivileged(simulatable(source), [
      person('eng', oidc({ groups: ['eng'] })),
      person('no-groups', oidc({})),
    ]);
    expect(r.outcomes.map((o) => `${o.sample} × ${o.claim} × ${o.operator} ${o.label}`)).toContain(
      'eng × groups × empty empty array',
    ); // it ran
    expect(gains(r, 'admin')).not.toContain('eng × groups × empty empty array');
    const kc = adapted('keycloak-oidc/acme.claimmap', [
      ['grant admin when "admin" in app_roles', 'grant admin when all app_roles matches /^admin$/'],
    ]);
    const rk = await simulatePrivileged(simulatable(kc), examplesOf('keycloak-oidc'));
    expect(gains(rk, 'admin')).not.toContain('dana.id-token × app_roles × empty empty array');
  });

  it('empty set: the mutations send [] (OIDC) and an Attribute with no values (SAML), distinct from absent', async () => {
    const value = (r: SimulationResult, label: string) =>
      r.outcomes.find((o) => o.operator === 'empty' && o.claim === 'groups' && o.label === label);
    const o = await simulatePrivileged(
      simulatable(minimal('oidc', 'groups : set<string> from "groups" optional', 'grant admin when "a" in groups')),
      [person('x', oidc({ groups: ['eng'] }))],
    );
    const s = await simulatePrivileged(
      simulatable(minimal('saml', 'groups : set<string> from "groups" optional', 'grant admin when "a" in groups')),
      [person('x', saml({ groups: ['eng'] }))],
    );
    expect(value(o, 'empty array')).toBeDefined();
    expect(value(s, 'no values')).toBeDefined();
    expect(value(s, 'one empty value')).toBeDefined();
    expect(s.outcomes.some((x) => x.operator === 'absent' && x.claim === 'groups')).toBe(true);
  });
});

describe('the privileged operators stay bounded', () => {
  const groupsGrant = (n: number): string =>
    minimal(
      'oidc',
      'groups : set<string> from "groups" optional normalize lower',
      Array.from({ length: n }, (_, i) => `grant admin when "vault-admins-${i}" in groups`).join('\n    '),
    );
  const count = async (source: string, samples: Sample[]): Promise<Record<string, number>> => {
    const r = await simulatePrivileged(simulatable(source), samples);
    const out: Record<string, number> = {};
    for (const o of r.outcomes) out[o.operator] = (out[o.operator] ?? 0) + 1;
    return out;
  };
  const PRIV_OPS = ['case-fold', 'nfkc-look-alike', 'lost-values', 'user-edited', 'regex-witness'];
  const sum = (c: Record<string, number>): number => PRIV_OPS.reduce((n, op) => n + (c[op] ?? 0), 0);

  it('at most 4 literals per claim: 40 privileged grants make as many mutations as 4', async () => {
    const sample = [person('eng', oidc({ groups: ['eng'] }))];
    const four = await count(groupsGrant(4), sample);
    const forty = await count(groupsGrant(40), sample);
    expect(sum(forty)).toBe(sum(four));
    // per literal: 6 case-fold variants at most (UPPER, lower, Title, mixed, long s, Kelvin, dotless i, dotted I:
    // those the literal spells) and 2 compatibility ones.
    expect(four['case-fold']).toBeLessThanOrEqual(4 * 8);
    expect(four['nfkc-look-alike']).toBeLessThanOrEqual(4 * 2);
    expect(sum(four)).toBeGreaterThan(0);
  });

  it('at most 4 witnesses per claim: 40 inexact privileged regexes make as many regex-witness mutations as 4', async () => {
    const regexGrant = (n: number): string =>
      minimal(
        'oidc',
        'groups : set<string> from "groups" optional\n    team : string from "team" optional',
        Array.from(
          { length: n },
          (_, i) => `grant admin when any groups matches /^gh-${i}-[a-z]+$/ or team matches /^ops-${i}-.*$/`,
        ).join('\n    '),
      );
    const sample = [person('eng', oidc({ groups: ['eng'], team: 'platform' }))];
    const four = await count(regexGrant(4), sample);
    const forty = await count(regexGrant(40), sample);
    expect(forty['regex-witness']).toBe(four['regex-witness']);
    expect(four['regex-witness']).toBe(2 * 4); // 4 on the set, 4 on the scalar: the first witness of each regex
    const one = await count(regexGrant(1), sample);
    expect(one['regex-witness']).toBe(2 * 2); // one regex: its first two witnesses, on each claim
  });

  it('claims no privileged rule compares get none of them, and the count is linear in the samples', async () => {
    const source = minimal(
      'oidc',
      'groups : set<string> from "groups" optional\n    dept : string from "department" optional',
      'grant admin when "vault-admins" in groups',
    );
    const one = await count(source, [person('a', oidc({ groups: ['eng'], department: 'x' }))]);
    const two = await count(source, [
      person('a', oidc({ groups: ['eng'], department: 'x' })),
      person('b', oidc({ groups: ['ops'], department: 'y' })),
    ]);
    expect(sum(two)).toBe(2 * sum(one));
    const r = await simulatePrivileged(simulatable(source), [person('a', oidc({ groups: ['eng'], department: 'x' }))]);
    expect(r.outcomes.filter((o) => PRIV_OPS.includes(o.operator) && o.claim === 'dept')).toEqual([]);
  });

  it('the shipped examples: the privileged operators add at most a quarter to the mutated logins', async () => {
    for (const dir of ['entra-oidc', 'google-oidc', 'keycloak-oidc', 'okta-saml', 'shibboleth-saml']) {
      const file = {
        'entra-oidc': 'contoso',
        'google-oidc': 'example',
        'keycloak-oidc': 'acme',
        'okta-saml': 'acme',
        'shibboleth-saml': 'lms',
      }[dir];
      const c = await count(readFileSync(join(ROOT, 'examples', dir, `${file}.claimmap`), 'utf8'), examplesOf(dir));
      const total = Object.values(c).reduce((a, b) => a + b, 0);
      expect(sum(c) * 4, dir).toBeLessThanOrEqual(total);
    }
  });
});
