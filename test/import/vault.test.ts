import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compile } from '../../src/compile/compile.js';
import { compareImport, renderCompareJson, renderCompareMarkdown } from '../../src/import/compare.js';
import { formatNote, sortNotes } from '../../src/import/notes.js';
import { globMatch, globToRegex } from '../../src/import/vault/glob.js';
import { importer } from '../../src/import/vault/index.js';
import { loadSamples } from '../../src/simulate/load-samples.js';

const FILE = 'engineering-bundle.json';
const text = readFileSync('test/import/fixtures/vault/engineering-bundle.json', 'utf8');
const bundle = JSON.parse(text) as { roles: Record<string, { data: Record<string, unknown> }> };

describe.each(['engineers', 'ci'])('vault import of role %s', (role) => {
  const r = importer(text, { file: FILE, idp: role });
  it('writes the golden mapping and notes', async () => {
    await expect(r.source).toMatchFileSnapshot(`golden/vault.${role}.claimmap`);
    await expect(sortNotes(r.notes).map(formatNote).join('')).toMatchFileSnapshot(`golden/vault.${role}.notes.txt`);
  });
  it('compiles with no import/internal note', () => {
    expect(compile(r.source).plan).not.toBeNull();
    expect(r.notes.filter((n) => n.code === 'import/internal')).toEqual([]);
  });
  it('drops no parameter: each is in a from: comment or a note', () => {
    for (const k of Object.keys(bundle.roles[role]!.data)) {
      const v = bundle.roles[role]!.data[k];
      const empty = v === '' || v === false || (Array.isArray(v) && v.length === 0);
      const inSource = r.source.includes(` ${k}`);
      const noted = r.notes.some((n) => n.location.pointer?.includes(`/${k}`) || n.message.includes(k));
      expect(empty || inSource || noted, k).toBe(true);
    }
  });
});

describe('vault import', () => {
  it('keys an email user_claim on sub, loudly', () => {
    const r = importer(text, { file: FILE, idp: 'engineers' });
    expect(r.source).toContain('key sub');
    expect(r.notes.find((n) => n.code === 'import/keyed-on-email')).toMatchObject({
      severity: 'error',
      location: { pointer: '/roles/engineers/data/user_claim' },
    });
  });
  it('reads one `vault read` output and a list, and asks for a role among several', () => {
    const one = JSON.stringify(bundle.roles.ci);
    const r = importer(one, { file: 'ci.json' });
    expect(r.source).toContain('require repository in ["fabrikam/payments"]');
    expect(r.notes.find((n) => n.code === 'import/untranslated' && n.message.includes('bound_issuer'))?.severity).toBe(
      'error',
    );
    const list = JSON.stringify([
      { name: 'ci', ...bundle.roles.ci },
      { name: 'engineers', ...bundle.roles.engineers },
    ]);
    expect(importer(list, { file: 'l.json' }).notes.map((n) => n.code)).toEqual(['import/choose-idp']);
    expect(importer(list, { file: 'l.json', idp: 'ci' }).source).toContain('mapping "vault-ci"');
  });
  it("keeps a string bound claim whole: Vault does not split at commas (disable_bound_claims_parsing is Terraform's)", () => {
    const role = (extra: object) =>
      JSON.stringify({ data: { user_claim: 'sub', bound_claims: { color: 'red,green' }, ...extra } });
    const r = importer(role({ disable_bound_claims_parsing: false }), { file: 'r.json' });
    expect(r.source).toContain('color in ["red,green"]');
    expect(r.notes.find((n) => n.message.includes('disable_bound_claims_parsing'))?.code).toBe('import/ignored');
    expect(r.notes.some((n) => n.code === 'import/unknown-construct')).toBe(false);
  });
  it('translates boolean and integer bound values with their JSON types, and notes a number Vault never matches', () => {
    const r = importer(
      JSON.stringify({
        data: { user_claim: 'sub', bound_claims: { email_verified: true, level: 42, mixed: ['a', 7] } },
      }),
      { file: 'r.json' },
    );
    expect(r.source).toMatch(/email_verified\s*: bool\s+from "email_verified"\s+required/);
    expect(r.source).toContain('require email_verified == true');
    expect(r.source).toMatch(/level\s*: int\s+from "level"\s+required/);
    expect(r.source).toContain('require level in [42]');
    expect(r.source).toContain('require mixed in ["a"] or mixed_int in [7]');
    expect(compile(r.source).plan).not.toBeNull();
    const spelled = importer('{"data": {"user_claim": "sub", "bound_claims": {"level": 42.0}}}', { file: 'r.json' });
    expect(
      spelled.notes.find((n) => n.code === 'import/approximated' && n.message.includes('never matches')),
    ).toMatchObject({
      location: { pointer: '/data/bound_claims/level' },
    });
  });
});

/** Vault's decision on one login, through the importer (so the role is read as the importer reads it). */
function decide(role: object, claims: Record<string, unknown>, config: object = { bound_issuer: 'https://idp' }) {
  const r = importer(JSON.stringify({ config, roles: { r: { data: role } } }), { file: 'r.json' });
  const d = r.semantics?.decide({ iss: 'https://idp', sub: 'u1', ...claims } as never);
  return d?.refused ? `refused: ${d.reason}` : (d?.roles.join(',') ?? 'no semantics');
}
const jwt = (extra: object) => ({
  role_type: 'jwt',
  user_claim: 'sub',
  bound_audiences: ['vault'],
  token_policies: ['p'],
  token_no_default_policy: true,
  ...extra,
});
const AUD = { aud: 'vault' };

describe('Vault semantics, rule by rule (vault-plugin-auth-jwt v0.26.3)', () => {
  it.each([
    // bound_claims string: a literal, no comma split (claims.go matchFound)
    [
      'comma string, value "red"',
      jwt({ bound_claims: { color: 'red,green' } }),
      { color: 'red' },
      /^refused: claim "color" does not match/,
    ],
    ['comma string, same text', jwt({ bound_claims: { color: 'red,green' } }), { color: 'red,green' }, /^p$/],
    // list of expected values: any-of; a list claim: any element
    ['list bound, any of', jwt({ bound_claims: { team: ['a', 'b'] } }), { team: 'b' }, /^p$/],
    ['list claim, any element', jwt({ bound_claims: { team: 'b' } }), { team: ['x', 'b'] }, /^p$/],
    ['missing bound claim', jwt({ bound_claims: { team: 'b' } }), {}, /^refused: claim "team" is missing/],
    [
      'object claim',
      jwt({ bound_claims: { team: 'b' } }),
      { team: { b: 1 } },
      /^refused: claim "team" is not a string, bool, int or list/,
    ],
    // typed comparison: Go interface equality
    ['bool bound, bool claim', jwt({ bound_claims: { v: true } }), { v: true }, /^p$/],
    ['bool bound, string claim', jwt({ bound_claims: { v: true } }), { v: 'true' }, /^refused/],
    ['number bound, number claim', jwt({ bound_claims: { n: 42 } }), { n: 42 }, /^p$/],
    ['number bound, fraction claim (getClaim truncates)', jwt({ bound_claims: { n: 42 } }), { n: 42.9 }, /^p$/],
    ['number bound, string claim', jwt({ bound_claims: { n: 42 } }), { n: '42' }, /^refused/],
    ['number bound, number in a list (float64 stays)', jwt({ bound_claims: { n: 42 } }), { n: [42] }, /^refused/],
    ['string bound, number claim', jwt({ bound_claims: { n: '42' } }), { n: 42 }, /^refused/],
    // glob: strings only; non-string claim values are skipped
    ['glob match', jwt({ bound_claims_type: 'glob', bound_claims: { ref: 'refs/*' } }), { ref: 'refs/heads/x' }, /^p$/],
    [
      'glob over a number claim',
      jwt({ bound_claims_type: 'glob', bound_claims: { ref: '*' } }),
      { ref: 5 },
      /^refused/,
    ],
    [
      'glob, list with a string',
      jwt({ bound_claims_type: 'glob', bound_claims: { ref: '*' } }),
      { ref: [5, 'x'] },
      /^p$/,
    ],
    // JSON pointer keys, a list indexed by number
    ['pointer key', jwt({ bound_claims: { '/org/id': 'o1' } }), { org: { id: 'o1' } }, /^p$/],
    ['pointer into a list', jwt({ bound_claims: { '/orgs/1': 'o2' } }), { orgs: ['o1', 'o2'] }, /^p$/],
    // user_claim (path_login.go createIdentity)
    ['user_claim number', jwt({ user_claim: 'uid' }), { uid: 7 }, /^refused: the user_claim "uid" is not a string/],
    [
      'user_claim empty (core: missing name in alias)',
      jwt({ user_claim: 'uid' }),
      { uid: '' },
      /^refused: missing name in alias/,
    ],
    ['user_claim "/a" without the pointer flag is a key', jwt({ user_claim: '/a' }), { '/a': 'x' }, /^p$/],
    [
      'user_claim "/a/b" with the pointer flag',
      jwt({ user_claim: '/a/b', user_claim_json_pointer: true }),
      { a: { b: 'x' } },
      /^p$/,
    ],
    // groups_claim (fetchGroups, createIdentity)
    ['groups missing', jwt({ groups_claim: 'groups' }), {}, /^refused: the groups claim "groups" is missing/],
    ['groups a single string', jwt({ groups_claim: 'groups' }), { groups: 'ops' }, /^p$/],
    ['groups with a number', jwt({ groups_claim: 'groups' }), { groups: ['ops', 1] }, /^refused: the groups claim/],
    ['groups a bool', jwt({ groups_claim: 'groups' }), { groups: true }, /^refused: the groups claim/],
    // claim_mappings (extractMetadata): missing skipped, non-string refused
    ['mapped claim missing', jwt({ claim_mappings: { dept: 'dept' } }), {}, /^p$/],
    [
      'mapped claim a number',
      jwt({ claim_mappings: { dept: 'dept' } }),
      { dept: 3 },
      /^refused: the mapped claim "dept"/,
    ],
    // audiences: any-of; a jwt role without bound_audiences refuses a token with aud (Vault 1.17+)
    ['aud list, any of', jwt({}), { aud: ['x', 'vault'] }, /^p$/],
    ['aud not bound', jwt({}), { aud: 'x' }, /^refused: aud does not match/],
    ['no bound_audiences, aud present', jwt({ bound_audiences: [] }), { aud: 'x' }, /^refused: audience claim found/],
    ['no bound_audiences, no aud', jwt({ bound_audiences: [] }), {}, /^p$/],
    ['iss not a string', jwt({}), { ...AUD, iss: 5 }, /^refused: iss is not a string/],
    ['bound_subject', jwt({ bound_subject: 'u2' }), AUD, /^refused: sub is not bound_subject/],
  ])('%s', (_what, role, claims, expected) => {
    const c = {
      ...('aud' in claims || (role as { bound_audiences: string[] }).bound_audiences.length === 0 ? {} : AUD),
      ...claims,
    };
    expect(decide(role, c)).toMatch(expected);
  });
  it.each([
    ['empty sub', { sub: '', aud: 'cid' }, /^refused: id_token has no sub/],
    ['one audience, the client id', { aud: 'cid' }, /^p$/],
    ['one other audience, azp the client id', { aud: 'other', azp: 'cid' }, /^p$/],
    ['one other audience, no azp', { aud: 'other' }, /^refused/],
    ['two audiences without azp', { aud: ['cid', 'other'] }, /^refused: multiple audiences and azp/],
    ['azp another client', { aud: 'cid', azp: 'x' }, /^refused: azp is not the client id/],
    ['no aud', {}, /^refused: id_token has no aud/],
  ])('oidc role: %s', (_what, claims, expected) => {
    const role = { role_type: 'oidc', user_claim: 'sub', token_policies: ['p'], token_no_default_policy: true };
    expect(decide(role, claims, { oidc_discovery_url: 'https://idp', oidc_client_id: 'cid' })).toMatch(expected);
  });
  it('notes what the mapping cannot say, where Vault says it', () => {
    const r = importer(
      JSON.stringify({ data: jwt({ bound_audiences: [], user_claim: '/ids/0', user_claim_json_pointer: true }) }),
      {
        file: 'r.json',
      },
    );
    const codes = r.notes.filter((n) => n.code === 'import/approximated').map((n) => n.location.pointer);
    expect(codes).toEqual(expect.arrayContaining(['/data/bound_audiences', '/data/user_claim']));
  });
  it.each(['', '[', '7', '{"roles": 3}', '{"data": {"user_claim": 5, "bound_claims": {"a": []}}}'])(
    'never throws on %j',
    (bad) => {
      const r = importer(bad, { file: 'bad.json' });
      expect(r.notes.some((n) => n.code === 'import/internal')).toBe(false);
    },
  );
});

describe('Vault glob → regex', () => {
  it.each([
    ['eng-*', 'eng-payments', true],
    ['eng-*', 'eng-', true],
    ['eng-*', 'xeng-a', false],
    ['refs/tags/v*', 'refs/tags/v1.2/x', true],
    ['a.b', 'axb', false],
    ['*admin*', 'sysadmins', true],
    ['(x)+', '(x)+', true],
  ])('%s on %s is %s, as Vault matches it', (glob, value, expected) => {
    expect(globMatch(glob, value)).toBe(expected);
    expect(new RegExp(globToRegex(glob), 'u').test(value)).toBe(expected);
  });
  it('means what the glob means on any pattern and value over a small alphabet', () => {
    const s = fc.string({ unit: fc.constantFrom('a', 'b', '.', '/', '*', '(', '\\') });
    fc.assert(
      fc.property(s, fc.string({ unit: fc.constantFrom('a', 'b', '.', '/', '(', '\\') }), (glob, value) => {
        expect(new RegExp(globToRegex(glob), 'u').test(value)).toBe(globMatch(glob, value));
      }),
      { numRuns: 2000 },
    );
  });
});

describe('vault differential report', () => {
  const r = importer(text, { file: FILE, idp: 'engineers' });
  const report = compareImport(r, loadSamples(['test/import/samples/vault'], process.cwd()));
  it('matches the golden reports and never grants more than Vault', async () => {
    if (typeof report === 'string') throw new Error(report);
    await expect(renderCompareMarkdown(report)).toMatchFileSnapshot('golden/vault.engineers.report.md');
    await expect(renderCompareJson(report)).toMatchFileSnapshot('golden/vault.engineers.report.json');
    expect(report.counts['imported-grants-more']).toBe(0);
    expect(report.counts['original-keyed-on-email']).toBeGreaterThan(0);
  });
});
