import { describe, expect, it } from 'vitest';
import { parseScenarios } from '../../../src/simulate/scenarios/parse.js';
import { formatScenarioText } from '../../../src/simulate/scenarios/report.js';
import { compareOutcome, runScenarios } from '../../../src/simulate/scenarios/run.js';
import type { ActualOutcome, ScenarioFile } from '../../../src/simulate/scenarios/types.js';
import { ISSUER, testPlan } from './mapping.js';

const plan = testPlan();

function file(yaml: string): ScenarioFile {
  const r = parseScenarios(yaml, { filename: 't.scenarios.yaml' });
  if (!r.file)
    throw new Error(r.diagnostics.map((d) => `${d.range.start.line}:${d.range.start.column} ${d.message}`).join('\n'));
  return r.file;
}

/** One case around `claims` + `rest`, run once; returns its result. */
async function one(body: string) {
  const f = file(`now: 2026-11-29T10:00:00Z\ncases:\n  - name: c\n${body.replace(/^/gm, '    ')}\n`);
  const r = await runScenarios(plan, f);
  return r.cases[0]!;
}

const jane = 'claims: { subject: u1, attributes: { email: Jane@Example.com, name: Jane, groups: [Admins, team-web] } }';

/** Each expectation kind, once holding and once not: [name, expect yaml, passes]. */
const expectations: [string, string, boolean][] = [
  ['action holds', '{ action: created }', true],
  ['action differs', '{ action: updated }', false],
  ['roles exact holds', '{ action: created, roles: [viewer, admin] }', true],
  ['roles exact: one missing', '{ action: created, roles: [viewer] }', false],
  ['roles_include holds', '{ action: created, roles_include: [admin] }', true],
  ['roles_include: absent role', '{ action: created, roles_include: [editor] }', false],
  ['roles_exclude holds', '{ action: created, roles_exclude: [editor] }', true],
  ['roles_exclude: present role', '{ action: created, roles_exclude: [admin] }', false],
  ['entitlements exact holds', '{ action: created, entitlements: ["team:web"] }', true],
  ['entitlements exact differs', '{ action: created, entitlements: [] }', false],
  ['entitlements_include holds', '{ action: created, entitlements_include: ["team:web"] }', true],
  ['entitlements_include: absent', '{ action: created, entitlements_include: ["team:ops"] }', false],
  ['entitlements_exclude holds', '{ action: created, entitlements_exclude: ["team:ops"] }', true],
  ['entitlements_exclude: present', '{ action: created, entitlements_exclude: ["team:web"] }', false],
  ['profile value holds (normalized)', '{ action: created, profile: { email: jane@example.com } }', true],
  ['profile value differs', '{ action: created, profile: { email: Jane@Example.com } }', false],
  ['profile unset holds', '{ action: created, profile: { nickname: null } }', true],
  ['profile unset: field is set', '{ action: created, profile: { department: null } }', false],
];

describe('runScenarios: expectation kinds', () => {
  for (const [name, exp, passes] of expectations) {
    it(`${passes ? 'passes' : 'fails'}: ${name}`, async () => {
      const r = await one(`${jane}\nexpect: ${exp}`);
      expect(r.error).toBeUndefined();
      expect(r.status).toBe(passes ? 'passed' : 'failed');
      expect(r.failures.length > 0).toBe(!passes);
    });
  }

  it('refusal matches the provision code or a decision refusal code', async () => {
    const noEmail = 'claims: { subject: u2, attributes: { name: Bob } }';
    expect((await one(`${noEmail}\nexpect: { action: refused, refusal: runtime/decision-refused }`)).status).toBe(
      'passed',
    );
    expect((await one(`${noEmail}\nexpect: { action: refused, refusal: required-claim-absent }`)).status).toBe(
      'passed',
    );
    const wrong = await one(`${noEmail}\nexpect: { action: refused, refusal: key-absent }`);
    expect(wrong.failures).toEqual([
      { field: 'refusal', expected: 'key-absent', actual: ['runtime/decision-refused', 'required-claim-absent'] },
    ]);
  });
});

describe('runScenarios: existing accounts', () => {
  it('updates a seeded account: replace mode drops a mapping role, keeps a manual one', async () => {
    const r = await one(`claims: { subject: u1, attributes: { email: jane@example.com, groups: [] } }
existing:
  profile: { email: jane@example.com, display_name: Jane, department: Sales }
  roles: [viewer, admin, { name: auditor, source: manual }]
expect: { action: updated, roles: [auditor, viewer], profile: { department: none, display_name: jane@example.com } }`);
    expect(r.failures).toEqual([]);
    expect(r.actual?.changes).toContain('- role admin');
  });

  it('an identical login is unchanged: seeded mapping grants take this login provenance', async () => {
    const r = await one(`${jane}
existing:
  profile: { email: jane@example.com, display_name: Jane, department: none }
  roles: [viewer, admin]
  entitlements: ["team:web"]
expect: { action: unchanged }`);
    expect(r.failures).toEqual([]);
  });

  it('a suspended account is refused; a conflicting email is a conflict', async () => {
    const suspended = await one(
      `${jane}\nexisting: { status: suspended }\nexpect: { action: refused, refusal: runtime/account-suspended }`,
    );
    expect(suspended.status).toBe('passed');
    const conflict = await one(
      `${jane}\nothers: [{ subject: someone-else, profile: { email: JANE@example.com } }]\nexpect: { action: conflict, refusal: runtime/unique-conflict }`,
    );
    expect(conflict.status).toBe('passed');
  });

  it('an existing account without a subject needs claims that give a key', async () => {
    const r = await one(
      `claims: { protocol: oidc, issuer: ${ISSUER}, subject: { id: "" }, claims: { email: a@example.com } }\nexisting: { roles: [viewer] }\nexpect: { action: updated }`,
    );
    expect(r.status).toBe('error');
    expect(r.error?.code).toBe('scenario/no-key');
  });

  it('a sample case that was never loaded is an error, not a crash', async () => {
    const f = file('cases:\n  - name: s\n    sample: ./missing.xml\n    expect: { action: created }\n');
    const r = await runScenarios(plan, f);
    expect(r.cases[0]).toMatchObject({ status: 'error', error: { code: 'scenario/sample-not-loaded' } });
    expect(r.failed).toBe(1);
  });
});

describe('failure diff', () => {
  it('shows expected vs actual per field, with missing and unexpected names', async () => {
    const f = file(`cases:
  - name: jane is only a viewer
    ${jane}
    expect:
      action: created
      roles: [viewer, editor]
      entitlements_exclude: ["team:web"]
      profile: { email: jane@example.org, department: null }
  - name: passes
    ${jane}
    expect: { action: created }
`);
    const run = await runScenarios(plan, f);
    const text = formatScenarioText([run]);
    expect(text).toBe(`t.scenarios.yaml  (test-app version v1)
  ✗ jane is only a viewer (t.scenarios.yaml:2)
      roles: expected [editor, viewer], got [admin, viewer]
        missing: editor
        unexpected: admin
      entitlements_exclude: expected [team:web], got [team:web]
        present: team:web
      profile.email: expected "jane@example.org", got "jane@example.com"
      profile.department: expected (unset), got "none"
  ✓ passes (${text.match(/✓ passes \((.*)\)/)![1]})

1 passed, 1 failed
`);
  });

  it('an action mismatch lists what the login changed', async () => {
    const r = await one(`${jane}\nexpect: { action: unchanged }`);
    const text = formatScenarioText([
      { file: 'x', mapping: { name: 'm', version: null, digest: 'd' }, cases: [r], passed: 0, failed: 1 },
    ]);
    expect(text).toContain('action: expected unchanged, got created');
    expect(text).toMatch(/changes: .*\+ role admin \(roles\[1\]\)/);
  });

  it('compareOutcome is empty exactly when every expectation holds', () => {
    const actual: ActualOutcome = {
      action: 'created',
      refusals: [],
      roles: ['a', 'b'],
      entitlements: [],
      profile: { x: 1 },
      changes: [],
    };
    expect(compareOutcome({ action: 'created', roles: ['b', 'a'], profile: { x: 1 } }, actual)).toEqual([]);
    expect(compareOutcome({ action: 'created', roles: ['a'] }, actual)).toEqual([
      { field: 'roles', expected: ['a'], actual: ['a', 'b'], missing: [], extra: ['b'] },
    ]);
  });
});
