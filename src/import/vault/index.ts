/**
 * `claimmap import vault`: Vault JWT/OIDC auth roles → a mapping. Vault's semantics for `--compare` follow its API
 * documentation, https://developer.hashicorp.com/vault/api-docs/auth/jwt ([API] below), parameter by parameter.
 *
 * Accepted shapes (JSON):
 * - one role as `vault read -format=json auth/<path>/role/<name>` prints it: `{ "data": { role parameters } }`
 *   (or the parameters themselves);
 * - a list of those, each with an optional `"name"` beside `"data"`;
 * - a bundle: `{ "config": <vault read auth/<path>/config output or its data>, "roles": { "<name>": <role> } }`.
 *   The issuer (`bound_issuer`, else `oidc_discovery_url`) is on the config, so only a bundle gives the mapping its
 *   issuer; without it the mapping gets a placeholder and an error note.
 */
import type { JsonValue } from '../../model/claim-set.js';
import {
  ClaimTable,
  type Cond,
  emitMapping,
  eq,
  inSet,
  type MappingSpec,
  oneOf,
  or,
  type Origin,
  type ProfileSpec,
  type RuleSpec,
  re,
} from '../emit.js';
import { failedImport, guardImporter } from '../failure.js';
import { asBool, asObject, asString, type JsonObject, own, stringList } from '../json-access.js';
import { fileStart, type LocatedDocument, readJsonFile } from '../locate.js';
import { note } from '../notes.js';
import type { ImportNote, ImportOptions, ImportResult, Importer, OriginalDecision, SourceLocation } from '../types.js';
import { globMatch, globToRegex } from './glob.js';

const fail = (notes: ImportNote[]): ImportResult => failedImport('vault', notes);

interface Role {
  name: string;
  data: JsonObject;
  /** JSON pointer of the role's parameters. */
  ptr: string;
}

/** Parameters that configure tokens, redirects and logging: no bearing on who gets which policy. */
const IGNORED = new Set([
  'role_type',
  'allowed_redirect_uris',
  'oidc_scopes',
  'verbose_oidc_logging',
  'max_age',
  'expiration_leeway',
  'not_before_leeway',
  'clock_skew_leeway',
  'token_ttl',
  'token_max_ttl',
  'token_explicit_max_ttl',
  'token_period',
  'token_num_uses',
  'token_type',
  'ttl',
  'max_ttl',
  'period',
  'num_uses',
]);
const USED = new Set([
  'bound_audiences',
  'bound_subject',
  'bound_claims',
  'bound_claims_type',
  'disable_bound_claims_parsing',
  'user_claim',
  'user_claim_json_pointer',
  'groups_claim',
  'claim_mappings',
  'token_policies',
  'policies',
  'token_no_default_policy',
  'token_bound_cidrs',
  'bound_cidrs',
]);

/** Mutable identity claims: a key on one of them follows the person's address or name, not the person. */
const MUTABLE = /^(e?mail|email_address|upn|preferred_username|name|unique_name|username|login)$/i;
/** Claims that carry several values by convention. */
const MULTI = /(^|[._:/-])(groups?|roles?|memberof|entitlements?|teams?|scopes?|amr)$/i;

/** The roles of the file, and the config when it is a bundle. */
function rolesOf(
  doc: LocatedDocument,
  file: string,
): { roles: Role[]; config: JsonObject | null; configPtr: string } | ImportNote[] {
  const v = doc.value;
  const roleData = (x: JsonValue | undefined, ptr: string): { data: JsonObject; ptr: string } | null => {
    const o = asObject(x);
    if (!o) return null;
    const d = asObject(own(o, 'data'));
    return d ? { data: d, ptr: `${ptr}/data` } : { data: o, ptr };
  };
  if (Array.isArray(v)) {
    const roles: Role[] = [];
    v.forEach((x, i) => {
      const r = roleData(x, `/${i}`);
      if (r) roles.push({ name: asString(own(asObject(x), 'name')) ?? `role-${i}`, ...r });
    });
    return { roles, config: null, configPtr: '' };
  }
  const o = asObject(v);
  if (!o)
    return [note('import/invalid-input', 'a Vault role file is a JSON object or a list of them', fileStart(file))];
  if (own(o, 'roles') !== undefined) {
    const map = asObject(own(o, 'roles'));
    if (!map)
      return [note('import/invalid-input', 'the bundle\'s "roles" is an object of role name → role', doc.at('/roles'))];
    const cfg = roleData(own(o, 'config'), '/config');
    const roles: Role[] = [];
    for (const [name, x] of Object.entries(map)) {
      const r = roleData(x, `/roles/${name.replace(/~/g, '~0').replace(/\//g, '~1')}`);
      if (r) roles.push({ name, ...r });
    }
    return { roles, config: cfg?.data ?? null, configPtr: cfg?.ptr ?? '/config' };
  }
  const r = roleData(o, '');
  return r ? { roles: [{ name: 'role', ...r }], config: null, configPtr: '' } : [];
}

/** A claim name, or a JSON pointer (`/a/b`) when it starts with `/` ([API]: claim names may be JSON pointers). */
function claimPath(name: string, pointer: boolean): string[] {
  if (!pointer && !name.startsWith('/')) return [name];
  return name
    .replace(/^\//, '')
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function valueAt(claims: { [k: string]: JsonValue }, path: readonly string[]): JsonValue | undefined {
  let v: JsonValue | undefined = claims;
  for (const k of path) {
    if (typeof v !== 'object' || v === null || Array.isArray(v) || !Object.hasOwn(v, k)) return undefined;
    v = v[k];
  }
  return v === null ? undefined : v;
}

/** [API] bound_claims: the claim (each value of it, when it is a list) must equal, or glob-match, one listed value. */
function claimMatches(v: JsonValue | undefined, expected: readonly string[], glob: boolean): boolean {
  const one = (x: JsonValue): boolean =>
    typeof x === 'string' && expected.some((e) => (glob ? globMatch(e, x) : e === x));
  return v !== undefined && (Array.isArray(v) ? v.some(one) : one(v));
}

function importVault(text: string, options: ImportOptions): ImportResult {
  const { file } = options;
  const read = readJsonFile(text, file);
  if (!read.ok) return fail(read.notes);
  const doc = read.documents[0] as LocatedDocument;
  const found = rolesOf(doc, file);
  if (Array.isArray(found))
    return fail(found.length ? found : [note('import/invalid-input', 'no Vault role in the file', fileStart(file))]);
  const { roles, config, configPtr } = found;
  if (roles.length === 0) return fail([note('import/no-idp', 'the file holds no Vault role', fileStart(file))]);
  let role: Role | undefined;
  if (options.idp !== undefined) {
    role = roles.find((r) => r.name === options.idp);
    if (!role)
      return fail([
        note(
          'import/no-idp',
          `no role is named ${JSON.stringify(options.idp)} (there are ${roles.map((r) => JSON.stringify(r.name)).join(', ')})`,
          fileStart(file),
        ),
      ]);
  } else if (roles.length === 1) role = roles[0] as Role;
  else
    return fail([
      note(
        'import/choose-idp',
        `the file holds ${roles.length} roles: ${roles.map((r) => JSON.stringify(r.name)).join(', ')}`,
        fileStart(file),
        { hint: 'name one with --idp ROLE' },
      ),
    ]);
  return translateRole(doc, file, role, config, configPtr);
}

function translateRole(
  doc: LocatedDocument,
  file: string,
  role: Role,
  config: JsonObject | null,
  configPtr: string,
): ImportResult {
  const d = role.data;
  const notes: ImportNote[] = [];
  const at = (k: string): SourceLocation => doc.at(`${role.ptr}/${k}`);
  const from = (k: string, what: string): Origin[] => [
    { at: at(k), what: `role ${JSON.stringify(role.name)} ${what}` },
  ];
  const claims = new ClaimTable();
  const gates: NonNullable<MappingSpec['require']>[number][] = [];
  const checks: ((c: { [k: string]: JsonValue }) => string | null)[] = [];

  // Issuer: bound_issuer on the config ([API] "Configure": bound_issuer; oidc_discovery_url's issuer otherwise).
  const boundIssuer =
    asString(own(config ?? undefined, 'bound_issuer')) ||
    asString(own(config ?? undefined, 'oidc_discovery_url')) ||
    '';
  let issuer = boundIssuer;
  if (issuer === '') {
    notes.push(
      note(
        'import/untranslated',
        "no bound_issuer (nor oidc_discovery_url): it is on the auth method's config, not on the role",
        config ? doc.at(configPtr) : fileStart(file),
        {
          hint: 'import a bundle { "config": <vault read -format=json auth/<path>/config>, "roles": {...} }, or replace the placeholder issuer',
        },
      ),
    );
    issuer = 'https://issuer.invalid/vault';
  }

  // Key: user_claim ([API]: "The claim to use to uniquely identify the user; this will be used as the name for the
  // Identity entity alias created due to a successful login"; default none, required).
  const userClaim = asString(own(d, 'user_claim')) ?? 'sub';
  const pointer = asBool(own(d, 'user_claim_json_pointer')) === true;
  const userPath = claimPath(userClaim, pointer);
  let keySpec: MappingSpec['key'];
  if (userPath.length === 1 && userPath[0] === 'sub') keySpec = { form: 'sub', from: from('user_claim', 'user_claim') };
  else if (MUTABLE.test(userPath[userPath.length - 1] ?? '')) {
    notes.push(
      note(
        'import/keyed-on-email',
        `user_claim ${JSON.stringify(userClaim)}: Vault names the entity alias after a mutable claim, so a renamed or recycled address or name reaches another person's entity and its policies. The mapping keys on sub`,
        at('user_claim'),
        {
          hint: 'set user_claim to "sub" (or an immutable object id) in Vault too; existing entity aliases must be renamed',
        },
      ),
    );
    keySpec = {
      form: 'sub',
      from: from('user_claim', `user_claim ${JSON.stringify(userClaim)} (replaced by sub)`),
      comment: [`Vault keyed on ${userClaim}: keyed on the durable sub here`],
    };
    // Vault refuses a login without its user_claim: required here too, so the import never admits more.
    claims.add({
      source: userPath,
      type: 'string',
      presence: 'required',
      from: from('user_claim', 'user_claim (a login without it is refused)'),
    });
  } else {
    const name = claims.add({
      source: userPath,
      type: 'string',
      presence: 'required',
      from: from('user_claim', 'user_claim'),
    });
    keySpec = { form: `claim ${name}` };
  }
  checks.push((c) =>
    typeof valueAt(c, userPath) === 'string' && valueAt(c, userPath) !== ''
      ? null
      : `the user_claim ${JSON.stringify(userClaim)} is missing`,
  );

  // bound_subject ([API]: "If set, requires that the sub claim matches this value").
  const boundSubject = asString(own(d, 'bound_subject')) ?? '';
  if (boundSubject !== '') {
    const sub = claims.add({ source: ['sub'], type: 'string', presence: 'required' });
    gates.push({ when: eq(sub, boundSubject), from: from('bound_subject', 'bound_subject') });
    checks.push((c) => (c.sub === boundSubject ? null : 'sub is not bound_subject'));
  }

  // bound_audiences ([API]: "List of aud claims to match against. Any match is sufficient"); aud is a string or a list.
  const auds = stringList(own(d, 'bound_audiences'));
  if (auds.length) {
    const one = claims.add({ source: ['aud'], type: 'string', presence: 'optional', name: 'aud' });
    const many = claims.add({ source: ['aud'], type: 'set<string>', presence: 'optional', name: 'aud_list' });
    gates.push({
      when: or(oneOf(one, auds), ...auds.map((a) => inSet(a, many))),
      from: from('bound_audiences', 'bound_audiences'),
      comment: ['aud is a string or a list: one of the two reads it, the other is malformed (unknown)'],
    });
    checks.push((c) => (claimMatches(c.aud, auds, false) ? null : 'aud is not one of bound_audiences'));
  }

  // bound_claims ([API]: "If set, a map of claims (keys) to match against respective claim values (values). The
  // expected value may be a single string or a list of strings"; with bound_claims_type "glob", values are globs).
  const glob = asString(own(d, 'bound_claims_type')) === 'glob';
  const noParsing = asBool(own(d, 'disable_bound_claims_parsing')) === true;
  const bound = asObject(own(d, 'bound_claims')) ?? {};
  for (const [k, raw] of Object.entries(bound)) {
    const path = claimPath(k, false);
    // A comma-separated string is a list of values unless disable_bound_claims_parsing ([API] role parameters).
    const expected = stringList(typeof raw === 'string' && noParsing ? [raw] : raw);
    const kAt = doc.at(`${role.ptr}/bound_claims/${k.replace(/~/g, '~0').replace(/\//g, '~1')}`);
    if (expected.length === 0) {
      notes.push(
        note(
          'import/invalid-input',
          `bound_claims ${JSON.stringify(k)} lists no value: Vault refuses every login`,
          kAt,
        ),
      );
      continue;
    }
    const multi = MULTI.test(path.join('.'));
    const name = claims.add({ source: path, type: multi ? 'set<string>' : 'string', presence: 'required' });
    let cond: Cond;
    if (glob && expected.some((e) => e.includes('*'))) {
      const rx = expected.map(globToRegex).map((r) => `(?:${r.slice(1, -1)})`);
      const source = `^(?:${rx.join('|')})$`;
      cond = `${multi ? 'any ' : ''}${name} matches ${re(source)}`;
      notes.push(
        note(
          'import/glob-translated',
          `the glob${expected.length > 1 ? 's' : ''} ${expected.map((e) => JSON.stringify(e)).join(', ')} ${expected.length > 1 ? 'are' : 'is'} written as ${re(source)} (bound_claims_type glob: * matches any run of characters, / included)`,
          kAt,
        ),
      );
    } else cond = multi ? or(...expected.map((e) => inSet(e, name))) : oneOf(name, expected);
    gates.push({
      when: cond,
      from: [{ at: kAt, what: `role ${JSON.stringify(role.name)} bound_claims ${JSON.stringify(k)}` }],
    });
    if (!multi)
      notes.push(
        note(
          'import/multi-valued',
          `Vault also accepts ${JSON.stringify(k)} as a list holding a bound value; the mapping reads it as one string (a list is malformed: refused)`,
          kAt,
          { severity: 'info' },
        ),
      );
    checks.push((c) =>
      claimMatches(valueAt(c, path), expected, glob) ? null : `bound claim ${JSON.stringify(k)} does not match`,
    );
  }

  // groups_claim ([API]: "The claim to use to uniquely identify the set of groups to which the user belongs ...
  // The claim value must be a list of strings").
  const groupsClaim = asString(own(d, 'groups_claim')) ?? '';
  if (groupsClaim !== '') {
    const path = claimPath(groupsClaim, false);
    claims.add({ source: path, type: 'set<string>', presence: 'required', from: from('groups_claim', 'groups_claim') });
    notes.push(
      note(
        'import/untranslated',
        `groups_claim ${JSON.stringify(groupsClaim)} names Vault identity groups (external group aliases); the policies of those groups live in Vault's identity store, not in this file: add a grant per group by hand`,
        at('groups_claim'),
        {
          severity: 'warning',
        },
      ),
    );
    checks.push((c) =>
      Array.isArray(valueAt(c, path)) ? null : `the groups claim ${JSON.stringify(groupsClaim)} is not a list`,
    );
  }

  // claim_mappings ([API]: "If set, a map of claims (keys) to be copied to specified metadata fields (values)").
  const profile: ProfileSpec[] = [];
  for (const [k, v] of Object.entries(asObject(own(d, 'claim_mappings')) ?? {})) {
    const kAt = doc.at(`${role.ptr}/claim_mappings/${k.replace(/~/g, '~0').replace(/\//g, '~1')}`);
    const field = (asString(v) ?? '').replace(/[^A-Za-z0-9_-]+/g, '_').replace(/^[^A-Za-z]+/, '');
    if (field === '' || profile.some((p) => p.field === field)) {
      notes.push(
        note(
          'import/untranslated',
          `claim_mappings ${JSON.stringify(k)} → ${JSON.stringify(v)}: not a usable or a distinct metadata name`,
          kAt,
        ),
      );
      continue;
    }
    const claim = claims.add({ source: claimPath(k, false), type: 'string', presence: 'optional' });
    profile.push({
      field,
      expr: claim,
      sync: 'always',
      from: [
        {
          at: kAt,
          what: `role ${JSON.stringify(role.name)} claim_mappings ${JSON.stringify(k)} → alias metadata ${JSON.stringify(v)}`,
        },
      ],
    });
  }

  // token_policies ([API], token parameters: "List of token policies to encode onto generated tokens"); the
  // default policy is added unless token_no_default_policy.
  const policyKey = own(d, 'token_policies') !== undefined ? 'token_policies' : 'policies';
  const policies = stringList(own(d, policyKey));
  const noDefault = asBool(own(d, 'token_no_default_policy')) === true;
  const granted = [...new Set([...policies, ...(noDefault || policies.includes('default') ? [] : ['default'])])].sort();
  const rules: RuleSpec[] = granted.map((p) => ({
    kind: 'grant',
    role: p,
    from:
      p === 'default' && !policies.includes('default')
        ? from('', 'default policy (token_no_default_policy is false)')
        : from(policyKey, policyKey),
  }));
  if (granted.length === 0) notes.push(note('import/untranslated', 'the role grants no policy', at(policyKey)));

  for (const k of ['token_bound_cidrs', 'bound_cidrs'])
    if (stringList(own(d, k)).length)
      notes.push(
        note(
          'import/untranslated',
          `${k} restricts the client's network address: claimmap sees claims, not addresses; enforce it in front of the application`,
          at(k),
        ),
      );
  const ignored = Object.keys(d).filter((k) => IGNORED.has(k));
  if (ignored.length)
    notes.push(
      note(
        'import/ignored',
        `token lifetimes, redirects and logging are not mapping: ${ignored.join(', ')}`,
        doc.at(role.ptr),
      ),
    );
  for (const k of Object.keys(d))
    if (!IGNORED.has(k) && !USED.has(k))
      notes.push(note('import/unknown-construct', `unknown role parameter ${JSON.stringify(k)}: not imported`, at(k)));

  const spec: MappingSpec = {
    name: `vault-${role.name}`,
    header: [
      `Imported by \`claimmap import vault\` from ${file}: role ${JSON.stringify(role.name)}. Vault policies are roles here.`,
    ],
    idp: {
      protocol: 'oidc',
      issuer,
      from: config ? [{ at: doc.at(`${configPtr}/bound_issuer`), what: 'config bound_issuer' }] : [],
    },
    key: keySpec,
    require: gates,
    claims: claims.specs,
    profile,
    ...(rules.length
      ? {
          roles: {
            mode: 'replace' as const,
            rules,
            comment: [
              'Vault grants these policies to every login the bound claims admit',
              ...(noDefault ? ['token_no_default_policy is set: the default policy is not granted'] : []),
            ],
          },
        }
      : {}),
  };
  const emitted = emitMapping(spec, { file });
  notes.push(...emitted.notes);
  const semIssuer = boundIssuer === '' ? null : asString(own(config ?? undefined, 'bound_issuer')) || null;
  return {
    kind: 'vault',
    source: emitted.source,
    notes,
    semantics: {
      engine: 'Vault JWT/OIDC auth role, from https://developer.hashicorp.com/vault/api-docs/auth/jwt',
      decide(c): OriginalDecision {
        const keySource = userClaim;
        const v = valueAt(c, userPath);
        const key = typeof v === 'string' && v !== '' ? v : null;
        // [API] Configure, bound_issuer: "The value against which to match the iss claim in a JWT".
        if (semIssuer !== null && c.iss !== semIssuer)
          return { refused: true, reason: 'iss is not bound_issuer', key: null, keySource, roles: [] };
        for (const check of checks) {
          const why = check(c);
          if (why !== null) return { refused: true, reason: why, key: null, keySource, roles: [] };
        }
        return { refused: false, key, keySource, roles: granted };
      },
    },
  };
}

/**
 * The Vault importer (see the module comment). Pure; never throws on any input text.
 *
 * @example
 * ```ts
 * const r = importer(readFileSync('vault-roles.json', 'utf8'), { file: 'vault-roles.json', idp: 'engineers' });
 * ```
 */
export const importer: Importer = guardImporter('vault', 'Vault', importVault);
