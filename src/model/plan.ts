/**
 * The compiled plan: an immutable, JSON-serialisable description of one mapping, produced by `compile()` and
 * consumed by `evaluate()`, `provision()` and the simulator. Its JSON Schema is `src/schemas/plan.schema.json`.
 * Nothing here depends on the parser: an app can ship a `.plan.json` and never load chevrotain.
 */
import type { NameIdFormatName, Protocol } from './claim-set.js';

/**
 * Freezes a plan (or any JSON value) and everything in it: plans are shared by every evaluation and must not change.
 *
 * @example
 * ```ts
 * const plan = deepFreeze(built); // Object.isFrozen(plan.roles.rules[0]) === true
 * ```
 */
export function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

/**
 * Identifies the plan format; bumped on any incompatible change.
 *
 * @example
 * ```ts
 * if (JSON.parse(text).format !== PLAN_FORMAT) throw new TypeError('not a claimmap plan');
 * ```
 */
export const PLAN_FORMAT = 'claimmap/plan@1' as const;

/**
 * Where a construct was written in the mapping (1-based).
 *
 * @example
 * ```ts
 * const { line, column }: SourceLoc = plan.roles.rules[0]!.loc;
 * ```
 */
export interface SourceLoc {
  line: number;
  column: number;
}

/**
 * The name of a scalar claim type.
 *
 * @example
 * ```ts
 * const name: ScalarTypeName = 'email';
 * ```
 */
export type ScalarTypeName = 'string' | 'email' | 'bool' | 'int' | 'uuid' | 'url' | 'datetime';

/**
 * A scalar claim type: a named type or an enum of allowed strings.
 *
 * @example
 * ```ts
 * const department: ScalarType = { kind: 'enum', values: ['eng', 'sales'] };
 * ```
 */
export type ScalarType = { kind: ScalarTypeName } | { kind: 'enum'; values: string[] };

/**
 * A claim's declared type. `set` is unordered and de-duplicated; `list` keeps order and duplicates.
 *
 * @example
 * ```ts
 * const type: ClaimType = { kind: 'set', element: { kind: 'string' } }; // `groups: set<string>`
 * ```
 */
export type ClaimType = ScalarType | { kind: 'set' | 'list'; element: ScalarType };

/**
 * Declared normalisations, applied in order to every string value. All are idempotent and locale-independent:
 * `nfkc` is Unicode NFKC; `lower` is NFKC then `toLowerCase()` (never a locale, never upper-casing);
 * `trim` removes leading and trailing Unicode white space.
 *
 * @example
 * ```ts
 * const normalize: Normalizer[] = ['trim', 'lower']; // `email: email normalize trim, lower`
 * ```
 */
export type Normalizer = 'lower' | 'trim' | 'nfkc';

/**
 * A declared claim: its type, where it is read from, how it is normalised.
 *
 * @example
 * ```ts
 * const groups: ClaimPlan | undefined = plan.claims.find((c) => c.name === 'groups');
 * console.log(groups?.type, groups?.source);
 * ```
 */
export interface ClaimPlan {
  /** The name the mapping uses for the claim. */
  name: string;
  type: ClaimType;
  /**
   * Where to find it: for SAML one segment, the attribute `Name` (or an alias); for OIDC a path of object keys,
   * each taken literally (`["realm_access", "roles"]`, `["https://example.com/claims/groups"]`).
   */
  source: string[];
  required: boolean;
  normalize: Normalizer[];
  /**
   * `absent empty` (set and list claims only): an absent claim reads as the empty set, not as absent. A present but
   * malformed value stays malformed. Omitted when not declared.
   */
  absentEmpty?: true;
  /** `trusted "<why>"`: the mapping states users cannot edit this claim; also listed in `unsafe`. Omitted when not declared. */
  trusted?: string;
  loc: SourceLoc;
}

/**
 * The durable account key. Every key is scoped by the IdP issuer.
 *
 * @example
 * ```ts
 * const key: KeyPlan = plan.key;
 * if (key.kind === 'nameid') console.log(key.formatUri);
 * ```
 */
export type KeyPlan =
  | { kind: 'nameid'; format: NameIdFormatName; formatUri: string; unsafe?: string; loc: SourceLoc }
  | { kind: 'sub'; unsafe?: string; loc: SourceLoc }
  | { kind: 'claims'; claims: string[]; unsafe?: string; loc: SourceLoc };

/**
 * A literal of a condition or expression.
 *
 * @example
 * ```ts
 * const values: Literal[] = ['admins', 42, true];
 * ```
 */
export type Literal = string | number | boolean;

/**
 * A regular expression in RE2 syntax. `engine` says which matcher the checker proved safe to use.
 *
 * @example
 * ```ts
 * const regex: RegexPlan = { source: '^eng-(.+)$', flags: '', engine: 'native', groups: 1, names: [] };
 * ```
 */
export interface RegexPlan {
  source: string;
  flags: '' | 'i';
  engine: 'native' | 're2';
  /** Number of capture groups, and the names of named ones (for entitlement templates). */
  groups: number;
  names: string[];
}

/**
 * A profile value expression.
 *
 * @example
 * ```ts
 * const expr: Expr = { op: 'coalesce', args: [{ op: 'claim', claim: 'email' }, { op: 'literal', value: '' }] };
 * ```
 */
export type Expr =
  | { op: 'claim'; claim: string }
  | { op: 'literal'; value: Literal }
  | { op: 'concat'; args: Expr[] }
  | { op: 'coalesce'; args: Expr[] }
  | { op: 'call'; fn: ProfileFunction; args: Expr[] };

/** `lower(x)`, `trim(x)`, `nfkc(x)`, `join(set, sep)`, `domain(email)`. */
export type ProfileFunction = 'lower' | 'trim' | 'nfkc' | 'join' | 'domain';

/**
 * Which values of a multi-valued claim a test applies to; `one` is for scalar claims.
 *
 * @example
 * ```ts
 * const q: Quantifier = 'all'; // `all groups matches /^eng-/`
 * ```
 */
export type Quantifier = 'one' | 'any' | 'all';

/**
 * A condition, evaluated in three-valued (Kleene) logic: true, false or unknown. A test over an absent or malformed
 * claim is unknown, and so is an `all` test over an empty set. `grant` needs true; `deny` fires on true or unknown.
 *
 * @example
 * ```ts
 * const cond: Cond = { op: 'contains', claim: 'groups', value: 'okta-admins' }; // "okta-admins" in groups
 * ```
 */
export type Cond =
  | { op: 'and' | 'or'; args: Cond[] }
  | { op: 'not'; arg: Cond }
  /** `"okta-admins" in groups`: a literal is a member of a set or list claim. */
  | { op: 'contains'; claim: string; value: Literal }
  /** `kind in ["FTE", "Intern"]`: a scalar claim equals one of the literals. */
  | { op: 'one_of'; claim: string; values: Literal[] }
  | { op: 'eq' | 'ne'; claim: string; value: Literal }
  | { op: 'matches'; quantifier: Quantifier; claim: string; regex: RegexPlan }
  | { op: 'starts_with' | 'ends_with'; quantifier: Quantifier; claim: string; value: string }
  /** A bare `bool` claim used as a condition. */
  | { op: 'truthy'; claim: string };

/**
 * An entitlement template split into literal text and regex capture references (`{1}`, `{team}`).
 *
 * @example
 * ```ts
 * const parts: TemplatePart[] = ['team-', { group: 1 }]; // `grant "team-{1}" for each ...`
 * ```
 */
export type TemplatePart = string | { group: number | string };

/**
 * A role or entitlement rule. Role rules never have `forEach` or `template`; an entitlement rule has both (a `for
 * each` rule) or neither. Names follow the name rules (src/names/name.ts). The schema and `loadPlan` enforce this.
 *
 * @example
 * ```ts
 * const grants: RulePlan[] = plan.roles.rules.filter((r) => r.effect === 'grant');
 * ```
 */
export interface RulePlan {
  /** Stable id within the plan, e.g. `roles[2]`; recorded as provenance of every grant. */
  id: string;
  effect: 'grant' | 'deny';
  /** The role name, or the entitlement (a template when `template` is set). */
  target: string;
  /** Set, non-empty, exactly when `forEach` is: the entitlement template split into literal text and captures. */
  template?: TemplatePart[];
  forEach?: { claim: string; regex: RegexPlan };
  when?: Cond;
  /**
   * The reason of the rule's `unsafe "<reason>"` override: the rule grants a privileged role on an inexact path and
   * the author accepted it. Repeated by explain and in `Plan.unsafe`.
   */
  unsafe?: string;
  /** The rule as written, for explanations. */
  text: string;
  loc: SourceLoc;
}

/**
 * A login gate (`require <condition>`): the login is refused unless `when` is true.
 *
 * @example
 * ```ts
 * for (const r of plan.require) console.log(r.id, r.text);
 * ```
 */
export interface RequirePlan {
  /** Stable id within the plan, e.g. `require[0]`. */
  id: string;
  when: Cond;
  text: string;
  loc: SourceLoc;
}

/**
 * A profile field: the expression that computes it and when it is written (`sync`).
 *
 * @example
 * ```ts
 * for (const p of plan.profile) console.log(p.name, p.sync); // e.g. 'email always'
 * ```
 */
export interface ProfilePlan {
  name: string;
  expr: Expr;
  /** `always`: every login; `create`: at JIT only; `fill`: only while the stored value is empty. */
  sync: 'always' | 'create' | 'fill';
  /** When the source becomes absent on update: `false` keeps the stored value, `true` clears it. */
  clear: boolean;
  loc: SourceLoc;
}

/**
 * An explicit `unsafe "<reason>"` (or a claim's `trusted "<why>"`, code `trusted/override`) override; every report
 * repeats it. A key's `unsafe` reason is always listed here (`loadPlan` refuses a plan whose key reason is not:
 * decisions repeat this list as warnings).
 *
 * @example
 * ```ts
 * for (const u of plan.unsafe) console.warn(`${u.code} overridden: ${u.reason}`);
 * ```
 */
export interface UnsafeOverride {
  code: string;
  reason: string;
  loc: SourceLoc;
}

/**
 * A compiled mapping: immutable, JSON-serialisable, validated by `claimmap/schemas/plan.schema.json`.
 *
 * @example
 * ```ts
 * const plan: Plan = loadPlan(readFileSync('acme.plan.json', 'utf8'));
 * console.log(plan.name, plan.version, plan.digest);
 * ```
 */
export interface Plan {
  format: typeof PLAN_FORMAT;
  name: string;
  /** The mapping's declared version (`version "2026-11"`), or null. */
  version: string | null;
  /** sha256 (hex) of the plan's canonical JSON without this field: identifies the exact mapping. */
  digest: string;
  /** The issuer keys are scoped by, and other spellings of it accepted at login (`aliases`, may be empty). */
  idp: { protocol: Protocol; issuer: string; aliases: string[] };
  key: KeyPlan;
  /** Login gates, all of which must be true. */
  require: RequirePlan[];
  claims: ClaimPlan[];
  profile: ProfilePlan[];
  roles: {
    /** `replace`: mapping-owned roles are recomputed at every login; `add`: never removed by the mapping. */
    mode: 'replace' | 'add';
    /** Every role the mapping can grant or deny, sorted. */
    declared: string[];
    privileged: string[];
    rules: RulePlan[];
  };
  entitlements: { mode: 'replace' | 'add'; rules: RulePlan[] };
  accounts: {
    /** What to do when another key already holds this account's email (or another unique field). */
    emailConflict: 'reject' | 'link_verified';
    /** Profile fields that must be unique across accounts of this issuer. */
    unique: string[];
  };
  lifecycle: {
    offboarding: { kind: 'scim' | 'directory_sync' | 'manual' | 'none'; runbook?: string };
    /** Days without a login after which an account is dormant, or null. */
    dormantAfterDays: number | null;
    /** Whether a login may reactivate a deprovisioned or suspended account. */
    reactivate: boolean;
    /**
     * What a sweep does to an account dormant for `dormantAfterDays` (`dormant_after 90d deprovision`). Present only
     * when the mapping writes the action, so a mapping written without it keeps its digest; absent means `suspend`.
     */
    dormantAction?: 'suspend' | 'deprovision';
  };
  /** How SCIM 2.0 provisioning links to and acts on these accounts (`scim { ... }`); absent without that section. */
  scim?: ScimPlan;
  unsafe: UnsafeOverride[];
}

/**
 * The `scim { ... }` section of a mapping: SCIM users are linked to accounts only by the durable key, read from the
 * `key` attribute, and group membership received over SCIM stands for the `groups` claim.
 *
 * @example
 * ```ts
 * const scim: ScimPlan | undefined = plan.scim;
 * if (scim) console.log(scim.key, scim.groups, scim.deactivate); // 'externalId' 'groups' 'suspend'
 * ```
 */
export interface ScimPlan {
  /** The SCIM User attribute whose value is the subject of the durable key (the IdP's immutable user id). */
  key: 'externalId';
  /** The declared set or list claim that SCIM group membership stands for (group displayNames), or null. */
  groups: string | null;
  /** What `active: false` does to the linked account (DELETE always deprovisions). */
  deactivate: 'suspend' | 'deprovision';
  loc: SourceLoc;
}
