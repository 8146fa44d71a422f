/**
 * The abstract syntax tree of a `.claimmap` file. Every node carries `span`, a half-open range of UTF-16 offsets
 * into the source; line/column are derived at the edge. The AST is deliberately wider than the language: the
 * parser accepts any name where the grammar says "narrowed by the checker", and sections may repeat; the checker
 * reports what is wrong with a coded diagnostic.
 */

/** `[start, end)` offsets into the source text. */
export interface Span {
  start: number;
  end: number;
}

export interface NameNode {
  name: string;
  span: Span;
}

export interface StringNode {
  kind: 'string';
  value: string;
  span: Span;
}

export interface IntNode {
  kind: 'int';
  value: number;
  raw: string;
  span: Span;
}

export interface BoolNode {
  kind: 'bool';
  value: boolean;
  span: Span;
}

export type LiteralNode = StringNode | IntNode | BoolNode;

export interface RegexNode {
  kind: 'regex';
  /** The pattern between the slashes, exactly as written (escapes kept). */
  source: string;
  flags: string;
  span: Span;
}

/** A role name: an identifier or a quoted string. */
export interface RoleNameNode {
  value: string;
  quoted: boolean;
  span: Span;
}

export interface MappingNode {
  kind: 'mapping';
  name: StringNode | null;
  version: StringNode | null;
  sections: SectionNode[];
  span: Span;
}

export type SectionNode =
  | IdpNode
  | KeyNode
  | RequireNode
  | ClaimsNode
  | ProfileNode
  | RolesNode
  | EntitlementsNode
  | AccountsNode
  | LifecycleNode
  | ScimNode;

export interface IdpNode {
  kind: 'idp';
  protocol: NameNode;
  issuer: StringNode | null;
  /** Other spellings of the same issuer, accepted at login; keys use `issuer`. */
  aliases: StringNode[];
  span: Span;
}

export interface KeyNode {
  kind: 'key';
  form: 'nameid' | 'sub' | 'claim';
  /** The NameID format name, for `key nameid <format>`. */
  format: NameNode | null;
  /** The claims, for `key claim a, b`. */
  claims: NameNode[];
  unsafe: StringNode | null;
  span: Span;
}

/** `require <condition>`: a login gate. Represented as a rule so every condition check applies to it. */
export interface RequireNode {
  kind: 'require';
  rule: RuleNode;
  span: Span;
}

export interface ClaimsNode {
  kind: 'claims';
  claims: ClaimDeclNode[];
  span: Span;
}

export type TypeNode =
  | { kind: 'namedType'; name: NameNode; argument: TypeNode | null; span: Span }
  | { kind: 'enumType'; values: StringNode[]; span: Span };

export interface ClaimDeclNode {
  kind: 'claimDecl';
  name: NameNode;
  type: TypeNode | null;
  /** The source path: one string per object key. */
  source: StringNode[];
  presence: { value: 'required' | 'optional'; span: Span } | null;
  /**
   * `absent empty`: an absent claim reads as the empty set. `value` is the word after `absent` (narrowed by the
   * checker: only `empty`, only on a set or list); `span` covers both words.
   */
  absent: { value: NameNode | null; span: Span } | null;
  normalize: NameNode[];
  /** `trusted "<why>"`: the mapping states that users cannot edit this claim themselves; lint repeats it. */
  trusted: StringNode | null;
  span: Span;
}

export interface ProfileNode {
  kind: 'profile';
  fields: ProfileDeclNode[];
  span: Span;
}

export interface ProfileDeclNode {
  kind: 'profileDecl';
  name: NameNode;
  expr: ExprNode | null;
  sync: NameNode | null;
  clear: Span | null;
  span: Span;
}

export type ExprNode =
  | LiteralNode
  | { kind: 'ref'; name: NameNode; span: Span }
  | { kind: 'call'; fn: NameNode; args: ExprNode[]; span: Span }
  | { kind: 'concat'; args: ExprNode[]; span: Span }
  | { kind: 'coalesce'; args: ExprNode[]; span: Span };

export type ModeNode = { value: 'replace' | 'add'; span: Span };

export interface RolesNode {
  kind: 'roles';
  mode: ModeNode | null;
  privileged: RoleNameNode[];
  rules: RuleNode[];
  span: Span;
}

export interface EntitlementsNode {
  kind: 'entitlements';
  mode: ModeNode | null;
  rules: RuleNode[];
  span: Span;
}

export interface RuleNode {
  kind: 'rule';
  section: 'roles' | 'entitlements' | 'require';
  effect: 'grant' | 'deny' | 'require';
  target: RoleNameNode | null;
  forEach: { claim: NameNode; regex: RegexNode | null; span: Span } | null;
  when: CondNode | null;
  /** `unsafe "<reason>"` after a grant or deny: keeps a privileged grant's inexact path, repeated by every report. */
  unsafe: StringNode | null;
  span: Span;
}

export type Quantifier = 'any' | 'all';

export type ComparisonNode =
  | { op: 'eq' | 'ne'; value: LiteralNode | null }
  | { op: 'one_of'; values: LiteralNode[] }
  | { op: 'matches'; regex: RegexNode | null }
  | { op: 'starts_with' | 'ends_with'; value: StringNode | null }
  | { op: 'truthy' };

export type CondNode =
  | { kind: 'and' | 'or'; args: CondNode[]; span: Span }
  | { kind: 'not'; arg: CondNode; span: Span }
  /** `"okta-admins" in groups` */
  | { kind: 'contains'; value: LiteralNode; claim: NameNode; span: Span }
  | {
      kind: 'test';
      quantifier: { value: Quantifier; span: Span } | null;
      claim: NameNode;
      comparison: ComparisonNode;
      span: Span;
    };

export type AccountsItemNode =
  | { kind: 'on'; event: NameNode; action: NameNode | null; span: Span }
  | { kind: 'unique'; fields: NameNode[]; span: Span };

export interface AccountsNode {
  kind: 'accounts';
  items: AccountsItemNode[];
  span: Span;
}

export interface DurationNode {
  raw: string;
  amount: number;
  unit: string;
  span: Span;
}

export type LifecycleItemNode =
  | { kind: 'offboarding'; method: NameNode; runbook: StringNode | null; span: Span }
  /** `dormant_after 90d [suspend | deprovision]`: `action` is the word after the duration (narrowed by the checker). */
  | { kind: 'dormant_after'; duration: DurationNode | null; action: NameNode | null; span: Span }
  | { kind: 'reactivate'; value: NameNode | null; span: Span };

export interface LifecycleNode {
  kind: 'lifecycle';
  items: LifecycleItemNode[];
  span: Span;
}

/** One line of a `scim { ... }` section: `key externalId`, `groups groups`, `deactivate suspend`. */
export interface ScimItemNode {
  kind: 'key' | 'groups' | 'deactivate';
  /** The word after the keyword (narrowed by the checker). */
  value: NameNode | null;
  span: Span;
}

/** `scim { ... }`: how SCIM 2.0 provisioning links to and acts on the accounts of this mapping. */
export interface ScimNode {
  kind: 'scim';
  items: ScimItemNode[];
  span: Span;
}
