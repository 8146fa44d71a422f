/**
 * One identity-provider mapper → claimmap rules or profile fields, and Keycloak's own predicate for `--compare`.
 * Every mapper of the imported identity provider is translated (each rule carries a `// from:` comment naming it)
 * or reported with its location; none is dropped.
 */
import type { JsonValue } from '../../model/claim-set.js';
import { parseStrictJson } from '../../json/strict-json.js';
import {
  and,
  anyMatches,
  or,
  type ClaimTable,
  eq,
  inSet,
  type Cond,
  type Origin,
  type ProfileSpec,
  type RuleSpec,
  q,
} from '../emit.js';
import { asBool, asObject, asString, type JsonObject, own } from '../json-access.js';
import type { LocatedDocument } from '../locate.js';
import { note } from '../notes.js';
import type { ImportNote, SourceLocation } from '../types.js';
import { anchorWholeMatch } from '../whole-match.js';
import {
  claimPath,
  claimValue,
  invisibleClaim,
  javaDouble,
  javaInt,
  type Predicate,
  samlValues,
  valueAt,
  valueEquals,
  valueMatches,
} from './semantics.js';

/** Keycloak's sync modes of an identity provider ([SYNC] in semantics.ts); a mapper may also say INHERIT. */
export type SyncMode = 'IMPORT' | 'LEGACY' | 'FORCE';

/** What the mappers of one identity provider add to. */
export interface MapperContext {
  doc: LocatedDocument;
  protocol: 'oidc' | 'saml';
  alias: string;
  idpSync: SyncMode;
  claims: ClaimTable;
  notes: ImportNote[];
  rules: RuleSpec[];
  profile: ProfileSpec[];
  /** Keycloak's predicates, for `decide()`. */
  grants: { role: string; applies: Predicate }[];
  /** The effective sync mode of each role or group mapper. */
  roleSync: { role: string; mode: SyncMode; at: SourceLocation }[];
}

/** Names of claims that carry several values by convention: declared `set<string>`. */
const MULTI = /(^|[._:/-])(groups?|roles?|memberof|entitlements?|teams?|scopes?|amr)$/i;

/** A test on one claim: the mapping's condition and Keycloak's predicate. */
interface Test {
  cond: Cond;
  applies: Predicate;
  /** Keycloak never applies the test (a claim its mappers cannot see): the rule is left out. */
  never?: boolean;
}

/** Reads a mapper's config `claims` / `attributes` (a JSON string of `[{"key": ..., "value": ...}]`). */
function pairs(raw: JsonValue | undefined): { key: string; value: string }[] | null {
  let v: JsonValue | undefined = raw;
  if (typeof raw === 'string') {
    const r = parseStrictJson(raw, { maxDepth: 8 });
    if (!r.ok) return null;
    v = r.value;
  }
  if (!Array.isArray(v)) return null;
  const out: { key: string; value: string }[] = [];
  for (const p of v) {
    const o = asObject(p);
    const key = asString(own(o, 'key'));
    const value = asString(own(o, 'value')) ?? '';
    if (key === undefined) return null;
    out.push({ key, value });
  }
  return out;
}

class MapperTranslator {
  readonly base: string;
  readonly config: JsonObject;
  readonly origin: Origin;
  constructor(
    readonly ctx: MapperContext,
    readonly index: number,
    readonly mapper: JsonObject,
    readonly type: string,
    readonly name: string,
  ) {
    this.base = `/identityProviderMappers/${index}`;
    this.config = asObject(own(mapper, 'config')) ?? {};
    this.origin = { at: ctx.doc.at(this.base), what: `mapper ${JSON.stringify(name)} (${type})` };
  }

  at(key?: string): SourceLocation {
    return this.ctx.doc.at(key === undefined ? this.base : `${this.base}/config/${key}`);
  }

  str(key: string): string | undefined {
    const v = asString(own(this.config, key));
    return v === undefined || v === '' ? undefined : v;
  }

  push(n: ImportNote): void {
    this.ctx.notes.push(n);
  }

  /** The effective sync mode ([SYNC]: INHERIT, or none, takes the identity provider's). */
  sync(): SyncMode {
    const m = asString(own(this.config, 'syncMode'));
    if (m === 'IMPORT' || m === 'LEGACY' || m === 'FORCE') return m;
    if (m !== undefined && m !== 'INHERIT')
      this.push(
        note(
          'import/invalid-input',
          `unknown sync mode ${JSON.stringify(m)}: the identity provider's (${this.ctx.idpSync}) is used`,
          this.at('syncMode'),
        ),
      );
    return this.ctx.idpSync;
  }

  missing(key: string): false {
    this.push(note('import/invalid-input', `the mapper has no config.${key}: not imported`, this.at()));
    return false;
  }

  /** A claim (OIDC path with dots, or SAML attribute Name / FriendlyName), declared once. */
  claim(source: { oidc?: string | undefined; samlName?: string | undefined; samlFriendly?: string | undefined }): {
    name: string;
    multi: boolean;
    oidc: boolean;
    invisible: boolean;
    /** The claim or attribute as the mapper names it. */
    label: string;
    /** The source path (OIDC), for declarations of other JSON types. */
    path: readonly string[];
    read: (c: { [n: string]: JsonValue }) => JsonValue | undefined;
  } {
    if (this.ctx.protocol === 'oidc') {
      const claim = source.oidc ?? '';
      const path = claimPath(claim);
      const invisible = invisibleClaim(claim);
      if (invisible)
        this.push(
          note(
            'import/untranslated',
            `Keycloak's claim mappers never see ${JSON.stringify(claim)}: its token class keeps ${JSON.stringify(path[0])} in a field of its own, apart from the claims they read (JsonWebToken), so this mapper never applies; the mapping leaves it out`,
            this.at('claim'),
            { severity: 'warning', hint: 'map a claim the IdP sends under another name, or remove the mapper' },
          ),
        );
      const multi = MULTI.test(path.join('.'));
      const name = this.ctx.claims.add({ source: path, type: multi ? 'set<string>' : 'string', presence: 'optional' });
      if (!multi)
        this.push(
          note(
            'import/multi-valued',
            `Keycloak also matches when ${JSON.stringify(source.oidc)} is an array holding the value; the mapping reads it as one string (an array is malformed: no role)`,
            this.at('claim'),
            { severity: 'info', hint: `declare ${name} as set<string> if the IdP sends an array` },
          ),
        );
      return { name, multi, oidc: true, invisible, label: claim, path, read: (c) => claimValue(c, claim) };
    }
    const attr = source.samlName ?? source.samlFriendly ?? '';
    const name = this.ctx.claims.add({ source: [attr], type: 'set<string>', presence: 'optional' });
    if (source.samlFriendly !== undefined)
      this.push(
        note(
          'import/approximated',
          source.samlName !== undefined
            ? `Keycloak takes only an attribute whose Name is ${JSON.stringify(source.samlName)} and whose FriendlyName is ${JSON.stringify(source.samlFriendly)} (AttributeToRoleMapper); the mapping and --compare read the attribute by Name`
            : `Keycloak takes the attribute whose FriendlyName is ${JSON.stringify(source.samlFriendly)}; --compare reads attributes by Name, so it looks ${JSON.stringify(source.samlFriendly)} up as a Name`,
          this.at('attribute.friendly.name'),
        ),
      );
    return {
      name,
      multi: true,
      oidc: false,
      invisible: false,
      label: attr,
      path: [attr],
      read: (c) => samlValues(c, source.samlName, source.samlFriendly),
    };
  }

  /**
   * `claim == value` (or membership); Keycloak's predicate is valueEquals (semantics.ts), which also compares numbers
   * and booleans: a note at `at` says where the mapping, which compares strings, differs. `value` is null when the
   * mapper has none.
   */
  equals(c: ReturnType<MapperTranslator['claim']>, value: string | null, at: SourceLocation): Test {
    const v = value ?? '';
    const n = value === null ? null : javaInt(value);
    const d = value === null ? null : javaDouble(value);
    const yes = value !== null && /^[tT][rR][uU][eE]$/.test(value);
    // A single-valued OIDC claim: Keycloak also grants on the integer Integer.valueOf(value) and, for "true", on the
    // boolean true; the mapping reads those too, from declarations of those types (safe: Keycloak grants them).
    const conds: Cond[] = [c.multi ? inSet(v, c.name) : eq(c.name, v)];
    const exact = c.oidc && !c.multi && !c.invisible;
    if (exact && n !== null) {
      const i = this.ctx.claims.add({ source: c.path, type: 'int', presence: 'optional', name: `${c.name}_int` });
      conds.push(`${i} == ${n}`);
    }
    if (exact && yes) {
      const b = this.ctx.claims.add({ source: c.path, type: 'bool', presence: 'optional', name: `${c.name}_bool` });
      conds.push(eq(b, true));
    }
    const test: Test = {
      cond: or(...conds),
      applies: (x) => valueEquals(value, c.read(x)),
      ...(c.invisible ? { never: true } : {}),
    };
    if (!c.oidc || c.invisible) return test;
    if (value === null)
      this.push(
        note(
          'import/approximated',
          'the mapper has no value: Keycloak fails the login when the claim is a string (valueEquals on null) and matches the boolean false; the mapping compares with ""',
          at,
        ),
      );
    // What Keycloak grants on and the mapping does not say.
    const also: string[] = [];
    if (c.multi && n !== null) also.push(`the number ${n}`);
    if (n === null && d !== null && Number.isFinite(d) && !Number.isInteger(d)) also.push(`the number ${d}`);
    if (c.multi && yes) also.push('the boolean true');
    if (!yes) also.push('the boolean false (Boolean.valueOf gives false for any value but "true")');
    if (also.length)
      this.push(
        note(
          'import/approximated',
          `Keycloak's valueEquals also grants when ${JSON.stringify(c.label)} is ${also.join(' or ')}${c.multi ? ', or an array holding one' : ''}; the mapping does not`,
          at,
        ),
      );
    if (n === null && d !== null && Number.isInteger(d))
      this.push(
        note(
          'import/approximated',
          `Keycloak matches ${JSON.stringify(value)} against a claim written as a JSON fraction (${d}.0, a Double) but not the integer ${d}; --compare reads both as the number ${d} and takes it for the integer`,
          at,
        ),
      );
    if (value !== null && /[^0-9]/u.test(value.replace(/\P{Nd}/gu, '')))
      this.push(
        note(
          'import/approximated',
          `${JSON.stringify(value)} has non-ASCII digits, which Java's Integer.valueOf reads as a number; --compare does not`,
          at,
        ),
      );
    return test;
  }

  /** A whole-string Java regex, anchored; null (with a note) when RE2 cannot express it. */
  matches(c: ReturnType<MapperTranslator['claim']>, pattern: string, at: SourceLocation): Test | null {
    const a = anchorWholeMatch(pattern, at, 'Keycloak');
    for (const n of a.notes) this.push(n);
    if (!a.ok) return null;
    if (c.oidc && !c.invisible)
      this.push(
        note(
          'import/approximated',
          `Keycloak also matches ${JSON.stringify(pattern)} against the text of ${JSON.stringify(c.label)} when it is a number, boolean or object (Java's toString: 5, 1.5, true, {a=1}); the mapping matches strings only`,
          at,
        ),
      );
    return {
      cond: anyMatches(c.name, a.source, c.multi),
      applies: (x) => valueMatches(pattern, c.read(x)),
      ...(c.invisible ? { never: true } : {}),
    };
  }

  /** Adds a grant of `role` (a realm role, `client.role`, or a group as `group:<path>`). */
  grant(role: string, tests: readonly Test[], comment?: string[]): void {
    // A test Keycloak never applies (the claim note says why): Keycloak never grants, the mapping leaves it out.
    if (tests.some((t) => t.never)) return;
    const rule: RuleSpec = {
      kind: 'grant',
      role,
      ...(tests.length ? { when: and(...tests.map((t) => t.cond)) } : {}),
      from: [this.origin],
      ...(comment ? { comment } : {}),
    };
    this.ctx.rules.push(rule);
    this.ctx.grants.push({ role, applies: (c) => tests.every((t) => t.applies(c)) });
    this.ctx.roleSync.push({ role, mode: this.sync(), at: this.at() });
  }

  /** The role (or `group:<path>`) a role or group mapper grants. */
  target(kind: 'role' | 'group'): string | null {
    const v = this.str(kind);
    if (v === undefined) return null;
    return kind === 'group' ? `group:${v}` : v;
  }

  groupNote(role: string): void {
    this.push(
      note(
        'import/hardcoded',
        `Keycloak group membership ${JSON.stringify(role.slice(6))} is written as the role ${JSON.stringify(role)}`,
        this.at('group'),
        {
          hint: 'grant it as an entitlement instead if your application reads group paths',
        },
      ),
    );
  }

  /** claim/attribute → role, exact value. */
  simple(kind: 'role' | 'group'): boolean {
    const role = this.target(kind);
    if (role === null) return this.missing(kind);
    const saml = this.ctx.protocol === 'saml';
    const source = saml
      ? { samlName: this.str('attribute.name'), samlFriendly: this.str('attribute.friendly.name') }
      : { oidc: this.str('claim') };
    if (saml ? source.samlName === undefined && source.samlFriendly === undefined : source.oidc === undefined)
      return this.missing(saml ? 'attribute.name' : 'claim');
    // SAML: a missing value is "" (AttributeToRoleMapper.applies); OIDC passes null to valueEquals.
    const value = asString(own(this.config, saml ? 'attribute.value' : 'claim.value')) ?? (saml ? '' : null);
    const valueAt = this.at(saml ? 'attribute.value' : 'claim.value');
    this.grant(role, [this.equals(this.claim(source), value, valueAt)]);
    if (kind === 'group') this.groupNote(role);
    return true;
  }

  /** Advanced claim/attribute → role or group: every listed claim must match (equal, or regex). */
  advanced(kind: 'role' | 'group'): boolean {
    const role = this.target(kind);
    if (role === null) return this.missing(kind);
    const saml = this.ctx.protocol === 'saml';
    const listKey = saml ? 'attributes' : 'claims';
    const regexKey = saml ? 'are.attribute.values.regex' : 'are.claim.values.regex';
    const list = pairs(own(this.config, listKey));
    if (list === null) {
      this.push(
        note(
          'import/invalid-input',
          `config.${listKey} is not a JSON list of {"key", "value"}: not imported`,
          this.at(listKey),
        ),
      );
      return false;
    }
    const regex = asBool(own(this.config, regexKey)) === true;
    const tests: Test[] = [];
    for (const p of list) {
      const c = this.claim(saml ? { samlName: p.key } : { oidc: p.key });
      const t = regex ? this.matches(c, p.value, this.at(listKey)) : this.equals(c, p.value, this.at(listKey));
      if (t === null) {
        // Not translated (the regex note says why); Keycloak still grants by it, so --compare shows what is lost.
        this.original(role, list, regex, saml);
        return false;
      }
      tests.push(t);
    }
    if (list.length === 0)
      this.push(
        note(
          'import/grants-on-missing-claim',
          `the mapper lists no ${listKey}: Keycloak grants ${JSON.stringify(role)} to every login of this identity provider, and so does the mapping`,
          this.at(listKey),
          {
            hint: 'add the condition the role really needs',
          },
        ),
      );
    this.grant(role, tests);
    if (kind === 'group') this.groupNote(role);
    return true;
  }

  /** Keycloak's predicate of an advanced mapper that is not translated, for `decide()` only. */
  original(role: string, list: readonly { key: string; value: string }[], regex: boolean, saml: boolean): void {
    const reads = list.map((p) => {
      const read = (c: { [n: string]: JsonValue }) => (saml ? samlValues(c, p.key, undefined) : claimValue(c, p.key));
      return (c: { [n: string]: JsonValue }) =>
        regex ? valueMatches(p.value, read(c)) : valueEquals(p.value, read(c));
    });
    this.ctx.grants.push({ role, applies: (c) => reads.every((r) => r(c)) });
  }

  /** Hardcoded role or group: granted to every login of this identity provider. */
  hardcoded(kind: 'role' | 'group'): boolean {
    const role = this.target(kind);
    if (role === null) return this.missing(kind);
    this.grant(role, []);
    this.push(
      note(
        'import/hardcoded',
        `every login of this identity provider gets ${JSON.stringify(role)}: an unconditional grant`,
        this.at(kind),
      ),
    );
    return true;
  }

  /** Keycloak-to-Keycloak "External Role to Role": a realm role, or `client.role`, in the other Keycloak's token. */
  externalRole(): boolean {
    const role = this.target('role');
    const external = this.str('external.role');
    if (role === null) return this.missing('role');
    if (external === undefined) return this.missing('external.role');
    const dot = external.indexOf('.');
    const path = dot < 0 ? ['realm_access', 'roles'] : ['resource_access', external.slice(0, dot), 'roles'];
    const value = dot < 0 ? external : external.slice(dot + 1);
    const name = this.ctx.claims.add({ source: path, type: 'set<string>', presence: 'optional' });
    this.grant(role, [{ cond: inSet(value, name), applies: (c) => valueEquals(value, valueAt(c, path)) }]);
    return true;
  }

  /** The profile field a user-attribute mapper writes. */
  field(attribute: string): string {
    return attribute.replace(/[^A-Za-z0-9_-]+/g, '_').replace(/^[^A-Za-z]+/, '') || 'attribute';
  }

  addProfile(field: string, expr: string, what: string): boolean {
    if (this.ctx.profile.some((p) => p.field === field)) {
      this.push(
        note(
          'import/untranslated',
          `another mapper already writes the user attribute ${JSON.stringify(field)}; Keycloak applies both in turn, the mapping keeps the first`,
          this.at(),
        ),
      );
      return false;
    }
    const mode = this.sync();
    this.ctx.profile.push({
      field,
      expr,
      sync: mode === 'FORCE' ? 'always' : 'create',
      from: [{ ...this.origin, what: `${this.origin.what} ${what}` }],
    });
    if (mode !== 'FORCE')
      this.push(
        note(
          'import/sync-mode',
          `sync mode ${mode}: Keycloak sets ${JSON.stringify(field)} at the first login only (sync create)`,
          this.at(),
          { severity: 'info' },
        ),
      );
    return true;
  }

  /** Attribute importer: claim or SAML attribute → user attribute. */
  attribute(): boolean {
    const target = this.str('user.attribute');
    if (target === undefined) return this.missing('user.attribute');
    const saml = this.ctx.protocol === 'saml';
    const source = saml
      ? { samlName: this.str('attribute.name'), samlFriendly: this.str('attribute.friendly.name') }
      : { oidc: this.str('claim') };
    if (saml ? source.samlName === undefined && source.samlFriendly === undefined : source.oidc === undefined)
      return this.missing(saml ? 'attribute.name' : 'claim');
    const path = saml ? [source.samlName ?? source.samlFriendly ?? ''] : claimPath(source.oidc ?? '');
    const claim = this.ctx.claims.add({ source: path, type: 'string', presence: 'optional' });
    return this.addProfile(this.field(target), claim, `→ user attribute ${JSON.stringify(target)}`);
  }

  /** Hardcoded attribute: a constant user attribute. */
  hardcodedAttribute(): boolean {
    const target = this.str('attribute');
    if (target === undefined) return this.missing('attribute');
    const value = asString(own(this.config, 'attribute.value')) ?? '';
    if (value === '') {
      this.push(
        note(
          'import/untranslated',
          'the hardcoded attribute value is empty: a profile field cannot be set to the empty string',
          this.at('attribute.value'),
        ),
      );
      return false;
    }
    const ok = this.addProfile(this.field(target), q(value), `(constant ${JSON.stringify(value)})`);
    if (ok)
      this.push(
        note(
          'import/hardcoded',
          `every login sets ${JSON.stringify(target)} to ${JSON.stringify(value)}`,
          this.at('attribute.value'),
        ),
      );
    return ok;
  }

  /** Username template importer: `${CLAIM.x}`, `${ATTRIBUTE.x}`, `${ALIAS}`, with `| lowercase`. */
  username(): boolean {
    const template = this.str('template');
    if (template === undefined) return this.missing('template');
    const target = this.str('target') ?? 'LOCAL';
    if (target !== 'LOCAL') {
      this.push(
        note(
          'import/ignored',
          `target ${target}: the template names the brokered identity in Keycloak, not the local user`,
          this.at('target'),
        ),
      );
      return true;
    }
    const parts: string[] = [];
    const re = /\$\{([^}]*)\}/g;
    let last = 0;
    for (let m = re.exec(template); m; m = re.exec(template)) {
      if (m.index > last) parts.push(q(template.slice(last, m.index)));
      last = m.index + m[0].length;
      const [ref, ...filters] = (m[1] ?? '').split('|').map((s) => s.trim());
      let expr: string | null = null;
      if (ref === 'ALIAS') expr = q(this.ctx.alias);
      else if (ref?.startsWith('CLAIM.') && this.ctx.protocol === 'oidc')
        expr = this.ctx.claims.add({ source: claimPath(ref.slice(6)), type: 'string', presence: 'optional' });
      else if (ref?.startsWith('ATTRIBUTE.') && this.ctx.protocol === 'saml')
        expr = this.ctx.claims.add({ source: [ref.slice(10)], type: 'string', presence: 'optional' });
      for (const f of filters) {
        if (expr !== null && f === 'lowercase') expr = `lower(${expr})`;
        else expr = null;
      }
      if (expr === null) {
        this.push(
          note(
            'import/untranslated',
            `the username template part \${${m[1] ?? ''}} has no claimmap equivalent (NAMEID, UUID, uppercase and localpart are not translated)`,
            this.at('template'),
          ),
        );
        return false;
      }
      parts.push(expr);
    }
    if (last < template.length) parts.push(q(template.slice(last)));
    if (parts.length === 0) return this.missing('template');
    return this.addProfile('username', parts.join(' + '), `(template ${JSON.stringify(template)})`);
  }
}

/** Session notes: per-session data, not part of the account. */
const SESSION_MAPPERS = new Set(['hardcoded-user-session-attribute-idp-mapper', 'oidc-user-session-note-idp-mapper']);

/** Translates mapper `index` of the realm export (see the module comment). */
export function translateMapper(ctx: MapperContext, index: number, raw: JsonValue): void {
  const mapper = asObject(raw);
  const base = `/identityProviderMappers/${index}`;
  if (!mapper) {
    ctx.notes.push(note('import/invalid-input', 'an identity-provider mapper is an object', ctx.doc.at(base)));
    return;
  }
  const type = asString(own(mapper, 'identityProviderMapper')) ?? '';
  const name = asString(own(mapper, 'name')) ?? `#${index}`;
  const t = new MapperTranslator(ctx, index, mapper, type, name);
  const saml = ctx.protocol === 'saml';
  const wrongProtocol = (): void =>
    t.push(
      note(
        'import/untranslated',
        `the mapper type ${JSON.stringify(type)} does not apply to a ${ctx.protocol} identity provider: Keycloak never runs it`,
        t.at(),
      ),
    );
  switch (type) {
    case 'hardcoded-role-idp-mapper':
      t.hardcoded('role');
      return;
    case 'oidc-hardcoded-group-idp-mapper':
    case 'hardcoded-group-idp-mapper':
      t.hardcoded('group');
      return;
    case 'oidc-role-idp-mapper':
    case 'saml-role-idp-mapper':
      if ((type === 'saml-role-idp-mapper') !== saml) {
        wrongProtocol();
        return;
      }
      t.simple('role');
      return;
    case 'oidc-advanced-role-idp-mapper':
    case 'saml-advanced-role-idp-mapper':
      if ((type === 'saml-advanced-role-idp-mapper') !== saml) {
        wrongProtocol();
        return;
      }
      t.advanced('role');
      return;
    case 'oidc-advanced-group-idp-mapper':
    case 'saml-advanced-group-idp-mapper':
      if ((type === 'saml-advanced-group-idp-mapper') !== saml) {
        wrongProtocol();
        return;
      }
      t.advanced('group');
      return;
    case 'keycloak-oidc-role-to-role-idp-mapper':
      if (saml) {
        wrongProtocol();
        return;
      }
      t.externalRole();
      return;
    case 'oidc-user-attribute-idp-mapper':
    case 'saml-user-attribute-idp-mapper':
      if ((type === 'saml-user-attribute-idp-mapper') !== saml) {
        wrongProtocol();
        return;
      }
      t.attribute();
      return;
    case 'hardcoded-attribute-idp-mapper':
      t.hardcodedAttribute();
      return;
    case 'oidc-username-idp-mapper':
    case 'saml-username-idp-mapper':
      t.username();
      return;
    case 'saml-xpath-attribute-idp-mapper':
      t.push(
        note(
          'import/untranslated',
          'an XPath attribute importer reads the assertion XML itself: claimmap reads attributes only',
          t.at('attribute.xpath'),
        ),
      );
      return;
    default:
      if (SESSION_MAPPERS.has(type)) {
        t.push(note('import/ignored', `${type} sets a user-session note, not the account: nothing to map`, t.at()));
        return;
      }
      t.push(
        note(
          'import/unknown-construct',
          `unknown mapper type ${JSON.stringify(type)}: not imported`,
          ctx.doc.at(`${base}/identityProviderMapper`),
        ),
      );
  }
}
