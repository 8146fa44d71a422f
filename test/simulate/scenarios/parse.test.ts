import { describe, expect, it } from 'vitest';
import { parseScenarios, SCENARIO_LIMITS } from '../../../src/simulate/scenarios/parse.js';
import { SCENARIO_CODES } from '../../../src/simulate/scenarios/codes.js';

const ok = `mapping: ./acme.claimmap
cases:
  - name: jane
    claims: { subject: "00u1", attributes: { email: a@acme.example } }
    expect: { action: created, roles: [viewer] }
`;

/** Invalid files: the code, and where the first diagnostic points (line:col). */
const invalid: { name: string; text: string; code: string; at: string; count?: number }[] = [
  {
    name: 'yaml syntax: unclosed flow sequence',
    text: 'cases:\n  - name: a\n    expect: [1, 2\n',
    code: 'scenario/yaml',
    at: '4:1',
  },
  { name: 'yaml: duplicate key', text: 'cases:\n  - name: a\n    name: b\n', code: 'scenario/yaml', at: '3:5' },
  { name: 'yaml: tab indentation', text: 'cases:\n\t- name: a\n', code: 'scenario/yaml', at: '2:1' },
  { name: 'root is a list', text: '- name: a\n', code: 'scenario/schema', at: '1:1' },
  { name: 'missing cases', text: 'mapping: ./a.claimmap\n', code: 'scenario/schema', at: '1:1' },
  { name: 'empty cases', text: 'cases: []\n', code: 'scenario/schema', at: '1:8' },
  {
    name: 'unknown root key',
    text: 'mapping: ./a.claimmap\ncase:\n  - name: a\n',
    code: 'scenario/schema',
    at: '2:1',
    count: 2,
  },
  {
    name: 'bad action enum points at the value',
    text: 'cases:\n  - name: a\n    claims: { subject: s }\n    expect:\n      action: creatd\n',
    code: 'scenario/schema',
    at: '5:15',
  },
  {
    name: 'unknown expectation key points at the key',
    text: 'cases:\n  - name: a\n    claims: { subject: s }\n    expect: { action: created, rolez: [a] }\n',
    code: 'scenario/schema',
    at: '4:32',
  },
  {
    name: 'neither claims nor sample',
    text: 'cases:\n  - name: a\n    expect: { action: created }\n',
    code: 'scenario/schema',
    at: '2:5',
  },
  {
    name: 'both claims and sample point at sample',
    text: 'cases:\n  - name: a\n    claims: { subject: s }\n    sample: ./x.xml\n    expect: { action: created }\n',
    code: 'scenario/schema',
    at: '4:5',
  },
  {
    name: 'duplicate role in an exact set',
    text: 'cases:\n  - name: a\n    claims: { subject: s }\n    expect: { action: created, roles: [a, a] }\n',
    code: 'scenario/schema',
    at: '4:39',
  },
  {
    name: 'grant of the wrong type',
    text: 'cases:\n  - name: a\n    claims: { subject: s }\n    existing: { roles: [viewer, 3] }\n    expect: { action: updated }\n',
    code: 'scenario/schema',
    at: '4:33',
  },
  {
    name: 'grant source typo',
    text: 'cases:\n  - name: a\n    claims: { subject: s }\n    existing:\n      roles:\n        - { name: x, source: manaul }\n    expect: { action: updated }\n',
    code: 'scenario/schema',
    at: '6:30',
  },
  {
    name: 'now is not an instant',
    text: 'now: yesterday\ncases:\n  - name: a\n    claims: { subject: s }\n    expect: { action: created }\n',
    code: 'scenario/schema',
    at: '1:6',
  },
  {
    name: 'inline claim set with a bad protocol',
    text: 'cases:\n  - name: a\n    claims: { protocol: ldap, issuer: i, subject: { id: s }, claims: {} }\n    expect: { action: created }\n',
    code: 'scenario/schema',
    at: '3:25',
  },
  {
    name: 'inline claim set that the claim-set schema refuses points into it',
    text: 'cases:\n  - name: a\n    claims:\n      protocol: oidc\n      issuer: i\n      subject: { id: s, format: 3 }\n      claims: {}\n    expect: { action: created }\n',
    code: 'scenario/claims-invalid',
    at: '6:33',
  },
  {
    name: 'duplicate case name points at the second',
    text: 'cases:\n  - name: a\n    claims: { subject: s }\n    expect: { action: created }\n  - name: a\n    claims: { subject: t }\n    expect: { action: created }\n',
    code: 'scenario/duplicate-name',
    at: '5:11',
  },
  {
    name: 'billion-laughs aliases',
    text: `a: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\ncases: []\n`,
    code: 'scenario/yaml',
    at: '1:1',
  },
];

describe('parseScenarios', () => {
  it('parses a valid file', () => {
    const r = parseScenarios(ok, { filename: 'a.yaml' });
    expect(r.diagnostics).toEqual([]);
    expect(r.file?.mapping).toBe('./acme.claimmap');
    expect(r.file?.cases[0]).toMatchObject({
      name: 'jane',
      input: { kind: 'shorthand', subject: '00u1', attributes: { email: 'a@acme.example' } },
      expect: { action: 'created', roles: ['viewer'] },
      others: [],
    });
    expect(r.file?.cases[0]?.range.start).toMatchObject({ line: 3, column: 5 });
  });

  it('keeps grant provenance and expectation kinds', () => {
    const text = `cases:
  - name: x
    claims: { protocol: oidc, issuer: https://i, subject: { id: s }, claims: { sub: s } }
    now: 2026-11-29T10:00:00Z
    existing:
      subject: s
      status: suspended
      roles: [viewer, { name: auditor, source: manual }, { name: admin, rules: ["roles[1]"], mapping_digest: abc, mapping_version: null }]
    others: [{ subject: t, profile: { email: t@x.example } }]
    expect:
      action: refused
      refusal: runtime/account-suspended
      roles_include: [viewer]
      roles_exclude: [admin]
      entitlements_include: []
      entitlements_exclude: [x]
      profile: { email: null }
`;
    const r = parseScenarios(text);
    expect(r.diagnostics).toEqual([]);
    const c = r.file!.cases[0]!;
    expect(c.input.kind).toBe('claim-set');
    expect(c.now).toBe('2026-11-29T10:00:00Z');
    expect(c.existing).toEqual({
      subject: 's',
      status: 'suspended',
      profile: {},
      roles: [
        { name: 'viewer', source: 'mapping' },
        { name: 'auditor', source: 'manual' },
        { name: 'admin', source: 'mapping', rules: ['roles[1]'], mappingDigest: 'abc', mappingVersion: null },
      ],
      entitlements: [],
    });
    expect(c.others[0]).toMatchObject({ subject: 't', profile: { email: 't@x.example' } });
    expect(c.expect).toEqual({
      action: 'refused',
      refusal: 'runtime/account-suspended',
      rolesInclude: ['viewer'],
      rolesExclude: ['admin'],
      entitlementsInclude: [],
      entitlementsExclude: ['x'],
      profile: { email: null },
    });
  });

  for (const c of invalid) {
    it(`reports ${c.code} at ${c.at}: ${c.name}`, () => {
      const r = parseScenarios(c.text, { filename: 'bad.yaml' });
      expect(r.file).toBeNull();
      const found = r.diagnostics.map((d) => `${d.code}@${d.range.start.line}:${d.range.start.column}`);
      expect(found).toContain(`${c.code}@${c.at}`);
      for (const d of r.diagnostics) expect(d.file).toBe('bad.yaml');
      if (c.count !== undefined) expect(r.diagnostics).toHaveLength(c.count);
      for (const d of r.diagnostics) expect(Object.keys(SCENARIO_CODES)).toContain(d.code);
    });
  }

  it('reports every schema error, not only the first', () => {
    const text =
      'cases:\n  - name: a\n    claims: { subject: s }\n    expect: { action: x }\n  - name: b\n    expect: { action: y }\n';
    const r = parseScenarios(text);
    expect(r.diagnostics.map((d) => `${d.range.start.line}:${d.code}`)).toEqual([
      '4:scenario/schema',
      '5:scenario/schema',
      '6:scenario/schema',
    ]);
  });

  it('suggests the intended key for a typo', () => {
    const r = parseScenarios(
      'cases:\n  - name: a\n    claims: { subject: s }\n    expect: { action: created, entitlement: [] }\n',
    );
    expect(r.diagnostics[0]?.hint).toBe("did you mean 'entitlements'?");
  });

  it('enforces its documented limits with codes', () => {
    expect(parseScenarios(ok, { maxBytes: 10 }).diagnostics[0]?.code).toBe('scenario/too-large');
    const two = `${ok}  - name: two\n    claims: { subject: s }\n    expect: { action: created }\n`;
    expect(parseScenarios(two, { maxCases: 1 }).diagnostics[0]?.code).toBe('scenario/too-many-cases');
    const deep = `cases:\n  - name: a\n    claims: { subject: s, attributes: { x: ${'['.repeat(80)}${']'.repeat(80)} } }\n    expect: { action: created }\n`;
    expect(parseScenarios(deep).diagnostics[0]?.code).toBe('scenario/schema');
    expect(SCENARIO_LIMITS).toMatchObject({ maxBytes: 1048576, maxCases: 1000, maxAliasCount: 100, maxDepth: 64 });
    expect(() => parseScenarios(ok, { maxCases: -1 })).toThrow(TypeError);
  });

  it('refuses a __proto__ key as data, not by polluting anything', () => {
    const r = parseScenarios(
      'cases:\n  - name: a\n    claims: { subject: s, attributes: { __proto__: { admin: true } } }\n    expect: { action: created }\n',
    );
    expect(r.file).toBeNull();
    expect(r.diagnostics[0]).toMatchObject({ code: 'scenario/schema', range: { start: { line: 3 } } });
    expect(({} as Record<string, unknown>).admin).toBeUndefined();
  });
});
