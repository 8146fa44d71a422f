/**
 * Quick micro-benchmark: evaluate() (trace off) against a hand-written JS function implementing the same mapping
 * (~20 groups, 5 role rules, 10 entitlement rules, 3 profile fields). Checks both agree on roles, entitlements and
 * profile first, then times alternating runs and reports the median ratio.
 *
 *   npx tsx bench/evaluate-quick.ts [runs=41] [iterations=10000]
 *
 * Not a unit test: timings depend on the machine. The target (benchmark issue) is a ratio <= 2.
 */
import { type ClaimSet, type JsonValue } from '../src/claims/claim-set.js';
import { PLAN_FORMAT, type Plan, type RegexPlan } from '../src/compile/plan.js';
import { evaluate } from '../src/evaluate/index.js';

const loc = { line: 1, column: 1 };
const ISSUER = 'https://login.example.com';
const re = (source: string, groups: number, names: string[] = []): RegexPlan => ({
  source,
  flags: '',
  engine: 'native',
  groups,
  names,
});
const str = { kind: 'string' as const };

const plan: Plan = {
  format: PLAN_FORMAT,
  name: 'bench',
  version: '1',
  digest: '0'.repeat(64),
  idp: { protocol: 'oidc', issuer: ISSUER },
  key: { kind: 'sub', loc },
  require: [],
  claims: [
    { name: 'email', type: { kind: 'email' }, source: ['email'], required: true, normalize: ['lower'], loc },
    { name: 'verified', type: { kind: 'bool' }, source: ['email_verified'], required: false, normalize: [], loc },
    { name: 'given', type: str, source: ['given_name'], required: false, normalize: ['trim'], loc },
    { name: 'family', type: str, source: ['family_name'], required: false, normalize: ['trim'], loc },
    { name: 'dept', type: str, source: ['department'], required: false, normalize: [], loc },
    {
      name: 'kind',
      type: { kind: 'enum', values: ['FTE', 'Contractor', 'Intern'] },
      source: ['employee_type'],
      required: false,
      normalize: [],
      loc,
    },
    { name: 'groups', type: { kind: 'set', element: str }, source: ['groups'], required: false, normalize: ['lower'], loc },
  ],
  profile: [
    { name: 'email', expr: { op: 'claim', claim: 'email' }, sync: 'always', clear: false, loc },
    {
      name: 'displayName',
      expr: {
        op: 'concat',
        args: [{ op: 'claim', claim: 'given' }, { op: 'literal', value: ' ' }, { op: 'claim', claim: 'family' }],
      },
      sync: 'always',
      clear: false,
      loc,
    },
    { name: 'org', expr: { op: 'call', fn: 'domain', args: [{ op: 'claim', claim: 'email' }] }, sync: 'create', clear: false, loc },
  ],
  roles: {
    mode: 'replace',
    declared: ['admin', 'billing', 'developer', 'viewer'],
    privileged: ['admin'],
    rules: [
      { id: 'roles[0]', effect: 'grant', target: 'admin', when: { op: 'contains', claim: 'groups', value: 'platform-admins' }, text: '', loc },
      { id: 'roles[1]', effect: 'deny', target: 'admin', when: { op: 'not', arg: { op: 'truthy', claim: 'verified' } }, text: '', loc },
      { id: 'roles[2]', effect: 'grant', target: 'developer', when: { op: 'matches', quantifier: 'any', claim: 'groups', regex: re('^eng-', 0) }, text: '', loc },
      { id: 'roles[3]', effect: 'grant', target: 'viewer', when: { op: 'one_of', claim: 'kind', values: ['FTE', 'Intern'] }, text: '', loc },
      {
        id: 'roles[4]',
        effect: 'grant',
        target: 'billing',
        when: {
          op: 'and',
          args: [
            { op: 'contains', claim: 'groups', value: 'finance' },
            { op: 'eq', claim: 'dept', value: 'Finance' },
          ],
        },
        text: '',
        loc,
      },
    ],
  },
  entitlements: {
    mode: 'replace',
    rules: [
      {
        id: 'ents[0]',
        effect: 'grant',
        target: 'repo:{team}:write',
        template: ['repo:', { group: 'team' }, ':write'],
        forEach: { claim: 'groups', regex: re('^eng-(?<team>[a-z0-9]+)$', 1, ['team']) },
        text: '',
        loc,
      },
      { id: 'ents[1]', effect: 'grant', target: 'wiki:read', text: '', loc },
      { id: 'ents[2]', effect: 'grant', target: 'wiki:write', when: { op: 'contains', claim: 'groups', value: 'docs-editors' }, text: '', loc },
      { id: 'ents[3]', effect: 'grant', target: 'vpn', when: { op: 'eq', claim: 'kind', value: 'FTE' }, text: '', loc },
      {
        id: 'ents[4]',
        effect: 'grant',
        target: 'jira:{1}',
        template: ['jira:', { group: 1 }],
        forEach: { claim: 'groups', regex: re('^jira-([a-z]+)$', 1) },
        text: '',
        loc,
      },
      { id: 'ents[5]', effect: 'grant', target: 'ci:admin', when: { op: 'contains', claim: 'groups', value: 'platform-admins' }, text: '', loc },
      { id: 'ents[6]', effect: 'deny', target: 'ci:admin', when: { op: 'ne', claim: 'kind', value: 'FTE' }, text: '', loc },
      { id: 'ents[7]', effect: 'grant', target: 'billing:read', when: { op: 'contains', claim: 'groups', value: 'finance' }, text: '', loc },
      { id: 'ents[8]', effect: 'grant', target: 'pager', when: { op: 'starts_with', quantifier: 'any', claim: 'groups', value: 'oncall-' }, text: '', loc },
      { id: 'ents[9]', effect: 'deny', target: 'repo:secrets:write', text: '', loc },
    ],
  },
  accounts: { emailConflict: 'reject', unique: [] },
  lifecycle: { offboarding: { kind: 'scim' }, dormantAfterDays: null, reactivate: false },
  unsafe: [],
};

// ---------------------------------------------------------------------------------------------------------------
// The hand-written equivalent: what a careful engineer would write for this one mapping, with the same checks
// (issuer, sub, typed claims, no coercion, lower-cased groups, deny beats grant and fires on missing data).

const EMAIL_RE = /^[^\s@<>()[\]\\,;:"]+@[^\s@<>()[\]\\,;:"]+$/;
const KINDS = new Set(['FTE', 'Contractor', 'Intern']);
const TEAM_RE = /^eng-(?<team>[a-z0-9]+)$/u;
const JIRA_RE = /^jira-([a-z]+)$/u;

interface HandResult {
  outcome: 'allow' | 'refuse';
  roles: string[];
  entitlements: string[];
  profile: Record<string, JsonValue | undefined>;
}

function handWritten(cs: ClaimSet): HandResult {
  const c = cs.claims;
  const refuse: HandResult = { outcome: 'refuse', roles: [], entitlements: [], profile: {} };
  if (cs.protocol !== 'oidc' || cs.issuer !== ISSUER || !cs.subject.id) return refuse;
  const rawEmail = c.email;
  if (typeof rawEmail !== 'string') return refuse;
  const email = rawEmail.toLowerCase();
  if (!EMAIL_RE.test(email)) return refuse;
  const verified = typeof c.email_verified === 'boolean' ? c.email_verified : undefined;
  const given = typeof c.given_name === 'string' ? c.given_name.trim() || undefined : undefined;
  const family = typeof c.family_name === 'string' ? c.family_name.trim() || undefined : undefined;
  const dept = typeof c.department === 'string' && c.department !== '' ? c.department : undefined;
  const kind = typeof c.employee_type === 'string' && KINDS.has(c.employee_type) ? c.employee_type : undefined;
  let groups: Set<string> | undefined;
  if (Array.isArray(c.groups)) {
    groups = new Set();
    for (const g of c.groups) {
      if (typeof g !== 'string' || g === '') {
        groups = undefined;
        break;
      }
      groups.add(g.toLowerCase());
    }
  }

  const roles: string[] = [];
  if (groups?.has('platform-admins') && verified === true) roles.push('admin');
  if (groups?.has('finance') && dept === 'Finance') roles.push('billing');
  if (groups && [...groups].some((g) => g.startsWith('eng-'))) roles.push('developer');
  if (kind === 'FTE' || kind === 'Intern') roles.push('viewer');
  roles.sort();

  const ents = new Set<string>();
  if (groups) {
    for (const g of groups) {
      const m = TEAM_RE.exec(g);
      if (m?.groups?.team) ents.add(`repo:${m.groups.team}:write`);
      const j = JIRA_RE.exec(g);
      if (j?.[1]) ents.add(`jira:${j[1]}`);
    }
    if (groups.has('docs-editors')) ents.add('wiki:write');
    if (groups.has('platform-admins') && kind === 'FTE') ents.add('ci:admin');
    if (groups.has('finance')) ents.add('billing:read');
    for (const g of groups) {
      if (g.startsWith('oncall-')) {
        ents.add('pager');
        break;
      }
    }
  }
  ents.add('wiki:read');
  if (kind === 'FTE') ents.add('vpn');
  ents.delete('repo:secrets:write');

  const profile: Record<string, JsonValue | undefined> = {
    email,
    displayName: given !== undefined && family !== undefined ? `${given} ${family}` : undefined,
    org: email.slice(email.lastIndexOf('@') + 1),
  };
  return { outcome: 'allow', roles, entitlements: [...ents].sort(), profile };
}

// ---------------------------------------------------------------------------------------------------------------
// Inputs: a few users, ~20 groups each.

function user(i: number, kind: string, extra: string[]): ClaimSet {
  const groups = [
    'Everyone',
    'eng-web',
    'eng-api',
    `eng-team${i}`,
    'jira-core',
    'jira-mobile',
    'oncall-primary',
    'docs-editors',
    'Platform-Admins',
    'finance',
    'sales-emea',
    'sales-amer',
    'vpn-users',
    'office-london',
    'office-paris',
    'all-hands',
    'eng-secrets',
    'hr-readonly',
    ...extra,
  ];
  return {
    protocol: 'oidc',
    issuer: ISSUER,
    subject: { id: `sub-${i}` },
    claims: {
      sub: `sub-${i}`,
      email: `User${i}@Example.com`,
      email_verified: i % 3 !== 0,
      given_name: ' Jane ',
      family_name: `Doe${i}`,
      department: i % 2 === 0 ? 'Finance' : 'Engineering',
      employee_type: kind,
      groups,
    },
    verified: true,
  };
}
const inputs = [
  user(1, 'FTE', ['g-1', 'g-2']),
  user(2, 'Contractor', ['g-3', 'g-4']),
  user(3, 'Intern', ['g-5', 'g-6']),
  user(4, 'FTE', ['g-7', 'g-8']),
];

// ---------------------------------------------------------------------------------------------------------------

function agree(): void {
  for (const cs of inputs) {
    const d = evaluate(plan, cs);
    const h = handWritten(cs);
    const prof: Record<string, JsonValue | undefined> = {};
    for (const [k, v] of Object.entries(d.profile)) prof[k] = v.state === 'present' ? v.value : undefined;
    const a = JSON.stringify({ outcome: d.outcome, roles: d.roles, entitlements: d.entitlements, profile: prof });
    const b = JSON.stringify(h);
    if (a !== b) {
      process.stderr.write(`MISMATCH for ${cs.subject.id}\n evaluate:     ${a}\n hand-written: ${b}\n`);
      process.exit(1);
    }
  }
}

let sink = 0;
/**
 * ns of CPU time (user + system) per call. CPU time rather than wall time: on a shared machine the wall clock also
 * counts the time this process waited for a core.
 */
function time(fn: (cs: ClaimSet) => { roles: string[] }, iterations: number): number {
  const t0 = process.cpuUsage();
  for (let i = 0; i < iterations; i++) sink += fn(inputs[i & 3]!).roles.length;
  const t = process.cpuUsage(t0);
  return ((t.user + t.system) * 1000) / iterations;
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1]!;
};

const runs = Number(process.argv[2] ?? 41);
const iterations = Number(process.argv[3] ?? 10_000);
agree();
const ev = (cs: ClaimSet) => evaluate(plan, cs);
for (let w = 0; w < 3; w++) {
  time(ev, iterations); // warm-up: let both reach optimised code
  time(handWritten, iterations);
}
// Short alternating runs (order swapped every run) so that load from other processes hits both sides alike;
// the ratio is taken per pair, then the median over pairs.
const ratios: number[] = [];
const evNs: number[] = [];
const handNs: number[] = [];
for (let r = 0; r < runs; r++) {
  let a: number;
  let b: number;
  if (r % 2 === 0) {
    a = time(ev, iterations);
    b = time(handWritten, iterations);
  } else {
    b = time(handWritten, iterations);
    a = time(ev, iterations);
  }
  evNs.push(a);
  handNs.push(b);
  ratios.push(a / b);
}
process.stdout.write(
  `evaluate:     ${median(evNs).toFixed(0)} ns/login (median of ${runs} runs of ${iterations})\n` +
    `hand-written: ${median(handNs).toFixed(0)} ns/login\n` +
    `ratio evaluate/hand-written: median ${median(ratios).toFixed(2)} ` +
    `(min ${Math.min(...ratios).toFixed(2)}, max ${Math.max(...ratios).toFixed(2)})  [sink ${sink % 10}]\n`,
);
