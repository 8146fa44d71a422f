/**
 * `claimmap import vault`: Vault JWT/OIDC auth roles → a mapping. Vault's semantics for `--compare` are in
 * ./semantics.ts, each rule with its source ([API] https://developer.hashicorp.com/vault/api-docs/auth/jwt, [DOCS]
 * https://developer.hashicorp.com/vault/docs/auth/jwt, [PLUGIN] hashicorp/vault-plugin-auth-jwt v0.26.3); the
 * translation below cites the same rules. What the mapping cannot say the way Vault does is an
 * `import/approximated` note at the parameter.
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
  claimName,
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
import { globToRegex } from './glob.js';
import { boundValue, type GoValue, pointerParts, type VaultRole, vaultDecide } from './semantics.js';

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

/**
 * The path a claim name reads ([DOCS] "Claim specifications and JSON pointer"; [PLUGIN] getClaim): a name that
 * starts with `/` is a JSON pointer, any other name one top-level key.
 */
function claimPath(name: string): string[] {
  return name.startsWith('/') ? pointerParts(name) : [name];
}

/** The JSON pointer of an object key under `base`. */
const keyPtr = (base: string, k: string): string => `${base}/${k.replace(/~/g, '~0').replace(/\//g, '~1')}`;

/**
 * The literal text of the JSON number at a location (a key's value, or an array element), as Vault keeps it
 * (`json.Number`); undefined when the text there is not a number.
 */
function numberLiteral(text: string, at: SourceLocation, isKey: boolean): string | undefined {
  if (at.line <= 0) return undefined;
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const starts = [0];
  for (let i = 0; i < body.length; i++) {
    const ch = body[i];
    if (ch === '\n' || (ch === '\r' && body[i + 1] !== '\n')) starts.push(i + 1);
  }
  let o = (starts[at.line - 1] ?? 0) + at.column - 1;
  if (isKey) {
    const m = /^"(?:[^"\\]|\\.)*"\s*:\s*/.exec(body.slice(o));
    if (!m) return undefined;
    o += m[0].length;
  }
  return /^-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/.exec(body.slice(o))?.[0];
}

/** A pointer part that could index a list ([PTR] Pointer.Get reads a list's element by index). */
const INDEX_LIKE = /^[0-9]*$/;

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
  return translateRole(text, doc, file, role, config, configPtr);
}

function translateRole(
  text: string,
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
  const approximated = (message: string, where: SourceLocation, hint?: string): void => {
    notes.push(note('import/approximated', message, where, hint !== undefined ? { hint } : {}));
  };
  const claims = new ClaimTable();
  const gates: NonNullable<MappingSpec['require']>[number][] = [];
  const pointerNote = (name: string, where: SourceLocation): void => {
    if (name.startsWith('/') && pointerParts(name).some((p) => INDEX_LIKE.test(p)))
      approximated(
        `the JSON pointer ${JSON.stringify(name)} has a numeric part: Vault takes that element when the value there is a list; the mapping reads an object key only (a list there reads as malformed)`,
        where,
      );
  };

  // [API] role_type: "either "oidc" (default) or "jwt"" ([PLUGIN] pathRoleCreateUpdate defaults an empty type to oidc).
  const roleType = asString(own(d, 'role_type')) === 'jwt' ? 'jwt' : 'oidc';
  const cfg = config ?? undefined;
  // Issuer: jwt roles match the config's bound_issuer ([API] Configure: "The value against which to match the iss
  // claim in a JWT"); oidc roles the discovery issuer ([CAP] VerifyIDToken), which is oidc_discovery_url.
  const boundIssuer = asString(own(cfg, 'bound_issuer')) ?? '';
  const discovery = asString(own(cfg, 'oidc_discovery_url')) ?? '';
  let issuer = boundIssuer || discovery;
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
  const clientId = asString(own(cfg, 'oidc_client_id')) || null;

  // Key: user_claim ([API]: "The claim to use to uniquely identify the user; this will be used as the name for the
  // Identity entity alias created due to a successful login. The claim value must be a string"). It is a JSON pointer
  // only with user_claim_json_pointer ([API] user_claim_json_pointer; [PLUGIN] createIdentity reads allClaims[name]
  // otherwise, even for a name starting with "/").
  const userClaim = asString(own(d, 'user_claim')) ?? 'sub';
  const pointer = asBool(own(d, 'user_claim_json_pointer')) === true;
  const userPath = pointer ? claimPath(userClaim) : [userClaim];
  if (pointer) pointerNote(userClaim, at('user_claim'));
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
    // Vault refuses a login without its user_claim ([PLUGIN] createIdentity): required here too.
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

  // bound_subject ([API]: "If set, requires that the sub claim matches this value").
  const boundSubject = asString(own(d, 'bound_subject')) ?? '';
  if (boundSubject !== '') {
    const sub = claims.add({ source: ['sub'], type: 'string', presence: 'required' });
    gates.push({ when: eq(sub, boundSubject), from: from('bound_subject', 'bound_subject') });
  }

  // bound_audiences ([API]: "List of aud claims to match against. Any match is sufficient"); aud is a string or a
  // list. The parameter is a comma-separated string or a list ([API] `(array: <optional>)`, Vault's
  // TypeCommaStringSlice), so a string is split at commas here, unlike a bound_claims value.
  const auds = stringList(own(d, 'bound_audiences'));
  if (auds.length) {
    const one = claims.add({ source: ['aud'], type: 'string', presence: 'optional', name: 'aud' });
    const many = claims.add({ source: ['aud'], type: 'set<string>', presence: 'optional', name: 'aud_list' });
    gates.push({
      when: or(oneOf(one, auds), ...auds.map((a) => inSet(a, many))),
      from: from('bound_audiences', 'bound_audiences'),
      comment: ['aud is a string or a list: one of the two reads it, the other is malformed (unknown)'],
    });
  } else if (roleType === 'jwt')
    approximated(
      'no bound_audiences on a "jwt" role: Vault (1.17 and later) refuses a token that has an aud claim; a mapping cannot require a claim to be absent',
      own(d, 'bound_audiences') !== undefined ? at('bound_audiences') : doc.at(role.ptr),
      "claimmap's token reader checks aud against your client id; or set bound_audiences in Vault",
    );
  if (roleType === 'oidc' && clientId === null)
    approximated(
      'an "oidc" role: Vault also checks aud and azp against the config\'s oidc_client_id, which the file does not give; --compare leaves those checks out',
      own(d, 'role_type') !== undefined ? at('role_type') : doc.at(role.ptr),
      'import a bundle whose config has oidc_client_id',
    );

  // bound_claims ([API]: "a map of claims (keys) to match against respective claim values (values). Each expected
  // value may be a string, integer, boolean or a list of strings"; semantics.ts boundClaimRefusal cites the code).
  const glob = asString(own(d, 'bound_claims_type')) === 'glob';
  if (own(d, 'disable_bound_claims_parsing') !== undefined)
    notes.push(
      note(
        'import/ignored',
        'disable_bound_claims_parsing is a Terraform provider argument, not a Vault role parameter: the provider splits a string bound_claims value at commas before it writes the role unless it is true; Vault compares the values it stored, as this file gives them',
        at('disable_bound_claims_parsing'),
      ),
    );
  const boundPtr = `${role.ptr}/bound_claims`;
  const bound = asObject(own(d, 'bound_claims')) ?? {};
  const boundClaims: { name: string; expected: GoValue }[] = [];
  /** A bound claim no login can match: Vault refuses every login, so the mapping grants nothing. */
  let refusesAll = false;
  for (const [k, raw] of Object.entries(bound)) {
    const path = claimPath(k);
    const kPtr = keyPtr(boundPtr, k);
    const kAt = doc.at(kPtr);
    pointerNote(k, kAt);
    // Each value with its JSON type; a number keeps its literal text (Vault stores a json.Number).
    const items: { v: JsonValue; lit?: string }[] = [];
    if (Array.isArray(raw))
      raw.forEach((v, i) => {
        const lit = typeof v === 'number' ? numberLiteral(text, doc.at(`${kPtr}/${i}`), false) : undefined;
        items.push(lit !== undefined ? { v, lit } : { v });
      });
    else {
      const lit = typeof raw === 'number' ? numberLiteral(text, kAt, true) : undefined;
      items.push(lit !== undefined ? { v: raw, lit } : { v: raw });
    }
    boundClaims.push({
      name: k,
      expected: Array.isArray(raw)
        ? { t: 'list', v: items.map((x) => boundValue(x.v, x.lit)) }
        : boundValue(raw, items[0]?.lit),
    });
    const strings = items.flatMap((x) => (typeof x.v === 'string' ? [x.v] : []));
    const bools = [...new Set(items.flatMap((x) => (typeof x.v === 'boolean' ? [x.v] : [])))];
    const numbers = items.flatMap((x) => (typeof x.v === 'number' ? [x.lit ?? String(x.v)] : []));
    const others = items.filter((x) => typeof x.v !== 'string' && typeof x.v !== 'boolean' && typeof x.v !== 'number');
    if (others.length || (glob && (bools.length || numbers.length))) {
      notes.push(
        note(
          'import/invalid-input',
          glob
            ? `bound_claims ${JSON.stringify(k)}: with bound_claims_type glob every value must be a string; Vault refuses every login`
            : `bound_claims ${JSON.stringify(k)} holds an object, a null or a nested list: Vault cannot compare it and refuses every login`,
          kAt,
        ),
      );
      refusesAll = true;
      continue;
    }
    // [PLUGIN] getClaim turns a number claim into strconv.Itoa(int(v)): it equals a bound number only when the
    // bound number's text is an integer (42, not 42.0 or 4.2e1).
    const ints = numbers.filter((n) => /^-?(0|[1-9][0-9]*)$/.test(n));
    if (ints.length < numbers.length)
      approximated(
        `bound_claims ${JSON.stringify(k)}: Vault compares a number claim as the text of its integer part, so ${numbers
          .filter((n) => !ints.includes(n))
          .join(', ')} never matches; the mapping leaves it out`,
        kAt,
      );
    if (strings.length + bools.length + ints.length === 0) {
      notes.push(
        note(
          'import/invalid-input',
          `bound_claims ${JSON.stringify(k)} lists no value Vault can match: Vault refuses every login`,
          kAt,
        ),
      );
      refusesAll = true;
      continue;
    }
    if (ints.length)
      approximated(
        `bound_claims ${JSON.stringify(k)}: Vault also matches a number claim with a fraction by its integer part (42.9 as 42); the mapping reads an int (a fraction is malformed: refused)`,
        kAt,
      );
    // One declaration per JSON type the bound values have; a claim of another type does not match.
    const mixed = [strings.length > 0, bools.length > 0, ints.length > 0].filter(Boolean).length > 1;
    const presence = mixed ? 'optional' : 'required';
    const multi = MULTI.test(path.join('.'));
    const conds: Cond[] = [];
    if (strings.length) {
      const name = claims.add({ source: path, type: multi ? 'set<string>' : 'string', presence });
      if (glob && strings.some((e) => e.includes('*'))) {
        const rx = strings.map(globToRegex).map((r) => `(?:${r.slice(1, -1)})`);
        const source = `^(?:${rx.join('|')})$`;
        conds.push(`${multi ? 'any ' : ''}${name} matches ${re(source)}`);
        notes.push(
          note(
            'import/glob-translated',
            `the glob${strings.length > 1 ? 's' : ''} ${strings.map((e) => JSON.stringify(e)).join(', ')} ${strings.length > 1 ? 'are' : 'is'} written as ${re(source)} (bound_claims_type glob: * matches any run of characters, / included)`,
            kAt,
          ),
        );
      } else conds.push(multi ? or(...strings.map((e) => inSet(e, name))) : oneOf(name, strings));
    }
    if (bools.length) {
      const name = claims.add({
        source: path,
        type: 'bool',
        presence,
        ...(mixed ? { name: `${claimName(path)}_bool` } : {}),
      });
      conds.push(or(...bools.map((b) => eq(name, b))));
    }
    if (ints.length) {
      const name = claims.add({
        source: path,
        type: 'int',
        presence,
        ...(mixed ? { name: `${claimName(path)}_int` } : {}),
      });
      conds.push(`${name} in [${ints.join(', ')}]`);
    }
    gates.push({
      when: or(...conds),
      from: [{ at: kAt, what: `role ${JSON.stringify(role.name)} bound_claims ${JSON.stringify(k)}` }],
      ...(mixed ? { comment: [`Vault compares each value with its JSON type: one declaration per type`] } : {}),
    });
    if (!multi)
      notes.push(
        note(
          'import/multi-valued',
          `Vault also accepts ${JSON.stringify(k)} as a list holding a bound value; the mapping reads it as one value (a list is malformed: refused)`,
          kAt,
          { severity: 'info' },
        ),
      );
  }

  // groups_claim ([API]: "the names for the Identity group aliases created due to a successful login. The claim value
  // must be a list of strings"; [PLUGIN] fetchGroups refuses a login without it, createIdentity also takes a single
  // string as one group).
  const groupsClaim = asString(own(d, 'groups_claim')) ?? '';
  if (groupsClaim !== '') {
    const path = claimPath(groupsClaim);
    pointerNote(groupsClaim, at('groups_claim'));
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
    approximated(
      `groups_claim ${JSON.stringify(groupsClaim)}: Vault also accepts a single string as one group; the mapping reads a list (a string is malformed: refused)`,
      at('groups_claim'),
    );
  }

  // claim_mappings ([API]: "If set, a map of claims (keys) to be copied to specified metadata fields (values)").
  const profile: ProfileSpec[] = [];
  const mappingsPtr = `${role.ptr}/claim_mappings`;
  const mappings = Object.entries(asObject(own(d, 'claim_mappings')) ?? {});
  for (const [k, v] of mappings) {
    const kAt = doc.at(keyPtr(mappingsPtr, k));
    pointerNote(k, kAt);
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
    // Required: Vault refuses a present claim that is not a string ([PLUGIN] extractMetadata) and the mapping can only
    // refuse a malformed claim by requiring it, which refuses a missing one too (Vault skips it): stricter, never looser.
    const claim = claims.add({ source: claimPath(k), type: 'string', presence: 'required' });
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
  if (mappings.length)
    approximated(
      'claim_mappings: Vault refuses a login whose mapped claim is present but not a string and skips a missing one; the mapping requires each mapped claim, so it also refuses a login without it',
      doc.at(mappingsPtr),
    );

  // token_policies ([API], token parameters: "List of token policies to encode onto generated tokens"); the
  // default policy is added unless token_no_default_policy.
  const policyKey = own(d, 'token_policies') !== undefined ? 'token_policies' : 'policies';
  const policies = stringList(own(d, policyKey));
  const noDefault = asBool(own(d, 'token_no_default_policy')) === true;
  const granted = [...new Set([...policies, ...(noDefault || policies.includes('default') ? [] : ['default'])])].sort();
  if (refusesAll)
    notes.push(
      note(
        'import/untranslated',
        'a bound claim no login can match: Vault refuses every login, the mapping grants no policy',
        doc.at(boundPtr),
      ),
    );
  const rules: RuleSpec[] = (refusesAll ? [] : granted).map((p) => ({
    kind: 'grant',
    role: p,
    from:
      p === 'default' && !policies.includes('default')
        ? from('', 'default policy (token_no_default_policy is false)')
        : from(policyKey, policyKey),
  }));
  if (granted.length === 0 && !refusesAll)
    notes.push(note('import/untranslated', 'the role grants no policy', at(policyKey)));

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
    if (!IGNORED.has(k) && !USED.has(k) && k !== 'disable_bound_claims_parsing')
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
  const semantics: VaultRole = {
    roleType,
    issuer: roleType === 'jwt' ? boundIssuer : discovery || null,
    clientId,
    boundSubject,
    boundAudiences: auds,
    boundClaims,
    glob,
    userClaim,
    userClaimJsonPointer: pointer,
    groupsClaim,
    claimMappings: mappings.map(([k]) => k),
    policies: granted,
  };
  return {
    kind: 'vault',
    source: emitted.source,
    notes,
    semantics: {
      engine: `Vault JWT/OIDC auth, role_type ${roleType}, from https://developer.hashicorp.com/vault/api-docs/auth/jwt and vault-plugin-auth-jwt v0.26.3`,
      decide(c): OriginalDecision {
        const { refused, key } = vaultDecide(semantics, c);
        return refused !== null
          ? { refused: true, reason: refused, key: null, keySource: userClaim, roles: [] }
          : { refused: false, key, keySource: userClaim, roles: granted };
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
