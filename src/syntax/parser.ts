/**
 * The claimmap grammar as a chevrotain EmbeddedActionsParser that builds the AST as it recognises it (no CST: building
 * chevrotain's concrete syntax tree cost ten times the recognition itself). Each production is annotated with the
 * grammar/claimmap.ebnf rule it implements; the actions only call the leaf builders of ast-build.ts and assemble
 * nodes, always inside `this.ACTION` (chevrotain runs every rule once, without actions, to record the grammar).
 * Error recovery may drop a sub-rule (its value is then undefined) or insert a token: both become `null` in the AST,
 * whose parse error is already reported, never an exception. One instance is created and reused.
 */
import {
  EmbeddedActionsParser,
  EOF,
  type IOrAlt,
  type IParserErrorMessageProvider,
  type IToken,
  tokenMatcher,
  type TokenType,
} from 'chevrotain';
import type * as A from './ast.js';
import {
  type AstProblem,
  durationNode,
  literalNode,
  nameNode,
  real,
  regexNode,
  roleNameNode,
  stringNode,
  tokenSpan,
} from './ast-build.js';
import * as T from './tokens.js';
import { defined } from '../model/invariant.js';

/** How a token is named in messages: its label (`'}'`, `a string`) or its name. */
export function tokenLabel(type: TokenType): string {
  if (type === EOF) return 'the end of the file';
  return type.LABEL ?? type.name;
}

/** How an actual token is shown in messages. */
export function describeToken(token: IToken): string {
  if (token.tokenType === EOF) return 'the end of the file';
  const image = token.image.length > 24 ? `${token.image.slice(0, 24)}…` : token.image;
  return `'${image.replace(/[\r\n]/g, ' ')}'`;
}

function listLabels(types: TokenType[]): string {
  const labels = [...new Set(types.map(tokenLabel))];
  if (labels.length <= 1) return labels[0] ?? 'something else';
  if (labels.length > 6) return `${labels.slice(0, 6).join(', ')}, …`;
  return `${labels.slice(0, -1).join(', ')} or ${labels[labels.length - 1]}`;
}

/** What each block may contain, for "expected ... but found" messages inside a block. */
const BLOCK_CONTENTS: Record<string, string> = {
  mapping: "a section (idp, key, require, claims, profile, roles, entitlements, accounts, lifecycle, scim) or '}'",
  claims: 'a claim declaration (name : type from "source" required) or \'}\'',
  profile: "a profile field (name = expression sync always) or '}'",
  roles: "'grant', 'deny', 'privileged' or '}'",
  entitlements: "'grant', 'deny' or '}'",
  accounts: "'on', 'unique' or '}'",
  lifecycle: "'offboarding', 'dormant_after', 'reactivate' or '}'",
  scim: "'key', 'groups', 'deactivate' or '}'",
};

/** Friendly names of productions, for "expected ..." when several alternatives were possible. */
const RULE_NAMES: Record<string, string> = {
  section: 'a section (idp, key, require, claims, profile, roles, entitlements, accounts, lifecycle, scim)',
  condition: 'a condition',
  andCondition: 'a condition',
  notCondition: 'a condition',
  atomCondition: 'a condition',
  expr: 'an expression',
  concatExpr: 'an expression',
  atomExpr: 'an expression',
  literal: 'a literal (a string, a number, true or false)',
  comparison: 'a comparison (==, !=, in [...], matches, starts_with, ends_with)',
  type: 'a type (string, email, bool, int, uuid, url, datetime, enum(...), set<T>, list<T>)',
  roleItem: "'grant', 'deny' or 'privileged'",
  lifecycleItem: "'offboarding', 'dormant_after' or 'reactivate'",
  accountsItem: "'on' or 'unique'",
  scimItem: "'key', 'groups' or 'deactivate'",
};

const errorMessages: IParserErrorMessageProvider = {
  buildMismatchTokenMessage: ({ expected, actual, ruleName }) => {
    const what = expected === T.RCurly && BLOCK_CONTENTS[ruleName] ? BLOCK_CONTENTS[ruleName] : tokenLabel(expected);
    return `expected ${what} but found ${describeToken(actual)}`;
  },
  buildNotAllInputParsedMessage: ({ firstRedundant }) =>
    `unexpected ${describeToken(firstRedundant)} after the end of the mapping`,
  buildNoViableAltMessage: ({ expectedPathsPerAlt, actual, ruleName }) => {
    const first = expectedPathsPerAlt.flatMap((paths) => paths.map((p) => p[0]).filter((x): x is TokenType => !!x));
    return `expected ${RULE_NAMES[ruleName] ?? listLabels(first)} but found ${describeToken(defined(actual[0]))}`;
  },
  buildEarlyExitMessage: ({ expectedIterationPaths, actual, ruleName }) => {
    const first = expectedIterationPaths.map((p) => p[0]).filter((x): x is TokenType => !!x);
    return `expected ${RULE_NAMES[ruleName] ?? listLabels(first)} but found ${describeToken(defined(actual[0]))}`;
  },
};

type RoleItem = { privileged: A.RoleNameNode[] } | A.RuleNode;
type Effect = 'grant' | 'deny';

const present = <X>(x: X | null | undefined): x is X => x !== null && x !== undefined;

/** The names that may come right after a condition: the next rule's keyword, or the next section's. */
const FOLLOWS_CONDITION: ReadonlySet<TokenType> = new Set([
  T.Grant,
  T.Deny,
  T.Privileged,
  T.Idp,
  T.Key,
  T.Require,
  T.Claims,
  T.Profile,
  T.Roles,
  T.Entitlements,
  T.Accounts,
  T.Lifecycle,
  T.Scim,
]);

/** The keywords that start a lifecycle item: what may follow `dormant_after DURATION` when it has no action. */
const LIFECYCLE_ITEM_STARTS: ReadonlySet<TokenType> = new Set([T.Offboarding, T.DormantAfter, T.Reactivate]);

/** How to build a {@link ClaimmapParser}. */
export interface ClaimmapParserOptions {
  /**
   * Run chevrotain's grammar validations (ambiguities, left recursion, unreachable alternatives...) in
   * `performSelfAnalysis`. They check the grammar, not the input, and cost about as much as the rest of the parser's
   * construction, so {@link getParser} skips them; test/syntax/parser.test.ts builds one parser with them on, so a
   * grammar change that breaks them fails the test suite. Default false.
   */
  validateGrammar?: boolean;
}

export class ClaimmapParser extends EmbeddedActionsParser {
  /** Where the actions report what they find wrong in tokens (escapes, numbers); set by parse() for each parse. */
  problem: AstProblem = () => {};

  // The alternatives of the `OR`s that run once per rule or condition, built once per parser and reused (the
  // performance advice of chevrotain's guide: a fresh array of objects and closures per call is allocation that
  // every parse of a large mapping pays). Their closures capture nothing but `this`; the rules that use them are below.
  private readonly roleItemAlts: IOrAlt<RoleItem | null>[] = [
    {
      ALT: () => {
        this.CONSUME(T.Privileged);
        const names: (A.RoleNameNode | null | undefined)[] = [];
        this.AT_LEAST_ONE_SEP({
          SEP: T.Comma,
          DEF: () => names.push(this.SUBRULE(this.roleName, { LABEL: 'privileged' })),
        });
        return this.ACTION((): RoleItem => ({ privileged: names.filter(present) }));
      },
    },
    {
      ALT: () => {
        const first = this.LA(1);
        const effect = this.SUBRULE(this.effect);
        const target = this.SUBRULE2(this.roleName);
        const when = this.OPTION(() => {
          this.CONSUME(T.When);
          return this.SUBRULE(this.condition);
        });
        const unsafe = this.OPTION2(() => this.SUBRULE(this.unsafe));
        return this.ACTION(
          (): RoleItem => ({
            kind: 'rule',
            section: 'roles',
            effect: effect ?? 'grant',
            target: target ?? null,
            forEach: null,
            when: when ?? null,
            unsafe: unsafe ?? null,
            span: this.spanFrom(first),
          }),
        );
      },
    },
  ];
  private readonly effectAlts: IOrAlt<IToken>[] = [
    { ALT: () => this.CONSUME(T.Grant) },
    { ALT: () => this.CONSUME(T.Deny) },
  ];
  private readonly roleNameAlts: IOrAlt<IToken>[] = [
    { ALT: () => this.CONSUME(T.Name) },
    { ALT: () => this.CONSUME(T.StringLiteral) },
  ];
  private readonly notConditionAlts: IOrAlt<A.CondNode | null>[] = [
    {
      ALT: () => {
        const first = this.LA(1);
        this.CONSUME(T.Not);
        const arg = this.SUBRULE(this.notCondition);
        return this.ACTION((): A.CondNode | null =>
          present(arg) ? { kind: 'not', arg, span: this.spanFrom(first) } : null,
        );
      },
    },
    { ALT: () => this.SUBRULE(this.atomCondition) },
  ];
  private readonly atomConditionAlts: IOrAlt<A.CondNode | null>[] = [
    {
      ALT: () => {
        this.CONSUME(T.LParen);
        const inner = this.SUBRULE(this.condition);
        this.CONSUME(T.RParen);
        return inner;
      },
    },
    { ALT: () => this.SUBRULE(this.literalTest) },
    // `grant`, `deny` and `privileged` may name claims, but not where the claim could only be followed by the rest
    // of a new rule (`... and` then `deny x when ...`): a condition left unfinished is reported there, instead of
    // reading the next rule's keyword as a claim and its name as a stray token. Valid mappings parse the same.
    { GATE: () => !this.startsRule(), ALT: () => this.SUBRULE(this.claimTest) },
  ];
  private readonly quantifierAlts: IOrAlt<IToken>[] = [
    { ALT: () => this.CONSUME(T.Any) },
    { ALT: () => this.CONSUME(T.All) },
  ];
  private readonly comparisonAlts: IOrAlt<A.ComparisonNode>[] = [
    {
      ALT: () => {
        const op = this.OR2(this.equalityAlts);
        const value = this.SUBRULE(this.literal);
        return this.ACTION(
          (): A.ComparisonNode => ({ op: op.tokenType === T.NotEq ? 'ne' : 'eq', value: value ?? null }),
        );
      },
    },
    {
      ALT: () => {
        this.CONSUME(T.In);
        this.CONSUME(T.LBracket);
        const values: (A.LiteralNode | null | undefined)[] = [];
        this.AT_LEAST_ONE_SEP({
          SEP: T.Comma,
          DEF: () => values.push(this.SUBRULE2(this.literal, { LABEL: 'values' })),
        });
        this.CONSUME(T.RBracket);
        return this.ACTION((): A.ComparisonNode => ({ op: 'one_of', values: values.filter(present) }));
      },
    },
    {
      ALT: () => {
        this.CONSUME(T.Matches);
        const re = this.CONSUME(T.RegexLiteral);
        return this.ACTION((): A.ComparisonNode => ({ op: 'matches', regex: regexNode(re) }));
      },
    },
    {
      ALT: () => {
        this.CONSUME(T.StartsWith);
        const v = this.CONSUME(T.StringLiteral);
        return this.ACTION((): A.ComparisonNode => ({ op: 'starts_with', value: this.str(v) }));
      },
    },
    {
      ALT: () => {
        this.CONSUME(T.EndsWith);
        const v = this.CONSUME2(T.StringLiteral);
        return this.ACTION((): A.ComparisonNode => ({ op: 'ends_with', value: this.str(v) }));
      },
    },
  ];
  private readonly equalityAlts: IOrAlt<IToken>[] = [
    { ALT: () => this.CONSUME(T.EqEq) },
    { ALT: () => this.CONSUME(T.NotEq) },
  ];
  private readonly literalAlts: IOrAlt<IToken>[] = [
    { ALT: () => this.CONSUME(T.StringLiteral) },
    { ALT: () => this.CONSUME(T.IntegerLiteral) },
    { ALT: () => this.CONSUME(T.True) },
    { ALT: () => this.CONSUME(T.False) },
  ];

  constructor(options: ClaimmapParserOptions = {}) {
    super(T.allTokens, {
      recoveryEnabled: true,
      maxLookahead: 3,
      errorMessageProvider: errorMessages,
      skipValidations: options.validateGrammar !== true,
    });
    this.performSelfAnalysis();
  }

  /** From `first` (the node's first token) to the end of the last token consumed. */
  private spanFrom(first: IToken): A.Span {
    const last = this.LA(0);
    const start = Number.isNaN(first.startOffset) ? 0 : first.startOffset;
    const end = Number.isNaN(last.startOffset) ? start : last.startOffset + last.image.length;
    return { start, end: Math.max(start, end) };
  }

  private str(t: IToken | undefined): A.StringNode | null {
    return stringNode(t, this.problem);
  }

  // mapping = "mapping" STRING [ "version" STRING ] "{" { section } "}"
  mapping = this.RULE('mapping', (): A.MappingNode => {
    const first = this.LA(1);
    this.CONSUME(T.Mapping);
    const name = this.CONSUME(T.StringLiteral);
    let version: IToken | undefined;
    this.OPTION(() => {
      this.CONSUME(T.Version);
      version = this.CONSUME2(T.StringLiteral, { LABEL: 'version' });
    });
    this.CONSUME(T.LCurly);
    const sections: A.SectionNode[] = [];
    this.MANY(() => {
      const s = this.SUBRULE(this.section);
      this.ACTION(() => present(s) && sections.push(s));
    });
    this.CONSUME(T.RCurly);
    return this.ACTION(() => ({
      kind: 'mapping',
      name: this.str(name),
      version: this.str(version),
      sections,
      span: this.spanFrom(first),
    }));
  });

  // section = idp | key | require | claims | profile | roles | entitlements | accounts | lifecycle | scim
  section = this.RULE('section', (): A.SectionNode | null =>
    this.OR([
      { ALT: () => this.SUBRULE(this.idp) },
      { ALT: () => this.SUBRULE(this.require) },
      { ALT: () => this.SUBRULE(this.key) },
      { ALT: () => this.SUBRULE(this.claims) },
      { ALT: () => this.SUBRULE(this.profile) },
      { ALT: () => this.SUBRULE(this.roles) },
      { ALT: () => this.SUBRULE(this.entitlements) },
      { ALT: () => this.SUBRULE(this.accounts) },
      { ALT: () => this.SUBRULE(this.lifecycle) },
      { ALT: () => this.SUBRULE(this.scim) },
    ]),
  );

  // idp = "idp" IDENTIFIER STRING { "alias" STRING }
  idp = this.RULE('idp', (): A.IdpNode | null => {
    const first = this.LA(1);
    this.CONSUME(T.Idp);
    const protocol = this.CONSUME(T.Name);
    const issuer = this.CONSUME(T.StringLiteral);
    const aliases: IToken[] = [];
    this.MANY(() => {
      this.CONSUME(T.Alias);
      aliases.push(this.CONSUME2(T.StringLiteral, { LABEL: 'aliases' }));
    });
    return this.ACTION(() => {
      const p = nameNode(protocol);
      if (!p) return null;
      return {
        kind: 'idp',
        protocol: p,
        issuer: this.str(issuer),
        aliases: aliases.map((a) => this.str(a)).filter(present),
        span: this.spanFrom(first),
      };
    });
  });

  // key = "key" ( "nameid" IDENTIFIER | "sub" | "claim" IDENTIFIER { "," IDENTIFIER } ) [ unsafe ]
  key = this.RULE('key', (): A.KeyNode => {
    const first = this.LA(1);
    this.CONSUME(T.Key);
    let form: A.KeyNode['form'] = 'claim';
    let format: IToken | undefined;
    const claims: IToken[] = [];
    this.OR([
      {
        ALT: () => {
          this.CONSUME(T.NameId);
          format = this.CONSUME(T.Name, { LABEL: 'format' });
          form = 'nameid';
        },
      },
      {
        ALT: () => {
          this.CONSUME(T.Sub);
          form = 'sub';
        },
      },
      {
        ALT: () => {
          this.CONSUME(T.Claim);
          this.AT_LEAST_ONE_SEP({ SEP: T.Comma, DEF: () => claims.push(this.CONSUME2(T.Name, { LABEL: 'claims' })) });
        },
      },
    ]);
    const unsafe = this.OPTION(() => this.SUBRULE(this.unsafe));
    return this.ACTION(() => ({
      kind: 'key',
      form,
      format: nameNode(format),
      claims: claims.map(nameNode).filter(present),
      unsafe: unsafe ?? null,
      span: this.spanFrom(first),
    }));
  });

  // require = "require" condition
  require = this.RULE('require', (): A.RequireNode => {
    const first = this.LA(1);
    this.CONSUME(T.Require);
    const when = this.SUBRULE(this.condition);
    return this.ACTION(() => {
      const span = this.spanFrom(first);
      return {
        kind: 'require',
        rule: {
          kind: 'rule',
          section: 'require',
          effect: 'require',
          target: null,
          forEach: null,
          when: when ?? null,
          unsafe: null,
          span,
        },
        span,
      };
    });
  });

  // unsafe = "unsafe" STRING
  unsafe = this.RULE('unsafe', (): A.StringNode | null => {
    this.CONSUME(T.Unsafe);
    const reason = this.CONSUME(T.StringLiteral);
    return this.ACTION(() => this.str(reason));
  });

  // claims = "claims" "{" { claimDecl } "}"
  claims = this.RULE('claims', (): A.ClaimsNode => {
    const first = this.LA(1);
    this.CONSUME(T.Claims);
    this.CONSUME(T.LCurly);
    const claims: A.ClaimDeclNode[] = [];
    this.MANY(() => {
      const d = this.SUBRULE(this.claimDecl);
      this.ACTION(() => present(d) && claims.push(d));
    });
    this.CONSUME(T.RCurly);
    return this.ACTION(() => ({ kind: 'claims', claims, span: this.spanFrom(first) }));
  });

  // claimDecl = IDENTIFIER ":" type "from" source presence [ absent ]
  //             [ "normalize" IDENTIFIER { "," IDENTIFIER } ] [ trusted ]
  claimDecl = this.RULE('claimDecl', (): A.ClaimDeclNode | null => {
    const first = this.LA(1);
    const name = this.CONSUME(T.Name);
    this.CONSUME(T.Colon);
    const type = this.SUBRULE(this.type);
    this.CONSUME(T.From);
    const source = this.SUBRULE(this.source);
    const presence = this.OR([{ ALT: () => this.CONSUME(T.Required) }, { ALT: () => this.CONSUME(T.Optional) }]);
    // `absent`, `normalize` and `trusted` are soft keywords: followed by ':' they start the next declaration, a claim
    // of that name (chevrotain's lookahead does not see past the end of this rule, hence the gates).
    const notNextDecl = () => this.LA(2).tokenType !== T.Colon;
    const absent = this.OPTION({ GATE: notNextDecl, DEF: () => this.SUBRULE(this.absent) });
    const normalize: IToken[] = [];
    this.OPTION2({
      GATE: notNextDecl,
      DEF: () => {
        this.CONSUME(T.Normalize);
        this.AT_LEAST_ONE_SEP({
          SEP: T.Comma,
          DEF: () => normalize.push(this.CONSUME2(T.Name, { LABEL: 'normalizers' })),
        });
      },
    });
    const trusted = this.OPTION3({ GATE: notNextDecl, DEF: () => this.SUBRULE(this.trusted) });
    return this.ACTION(() => {
      const n = nameNode(name);
      if (!n) return null;
      const p = real(presence);
      return {
        kind: 'claimDecl',
        name: n,
        type: type ?? null,
        source: source ?? [],
        presence: p ? { value: p.tokenType === T.Required ? 'required' : 'optional', span: tokenSpan(p) } : null,
        absent: absent ?? null,
        normalize: normalize.map(nameNode).filter(present),
        trusted: trusted ?? null,
        span: this.spanFrom(first),
      };
    });
  });

  // absent = "absent" IDENTIFIER
  absent = this.RULE('absent', (): A.ClaimDeclNode['absent'] => {
    const first = this.LA(1);
    this.CONSUME(T.Absent);
    const value = this.CONSUME(T.Name, { LABEL: 'what an absent claim reads as' });
    return this.ACTION(() => ({ value: nameNode(value), span: this.spanFrom(first) }));
  });

  // trusted = "trusted" STRING
  trusted = this.RULE('trusted', (): A.StringNode | null => {
    this.CONSUME(T.Trusted);
    const reason = this.CONSUME(T.StringLiteral);
    return this.ACTION(() => this.str(reason));
  });

  // type = "enum" "(" STRING { "," STRING } ")" | IDENTIFIER [ "<" type ">" ]
  type = this.RULE('type', (): A.TypeNode | null => {
    const first = this.LA(1);
    return this.OR([
      {
        GATE: () => this.LA(2).tokenType === T.LParen,
        ALT: () => {
          this.CONSUME(T.Enum);
          this.CONSUME(T.LParen);
          const values: IToken[] = [];
          this.AT_LEAST_ONE_SEP({ SEP: T.Comma, DEF: () => values.push(this.CONSUME(T.StringLiteral)) });
          this.CONSUME(T.RParen);
          return this.ACTION(
            (): A.TypeNode => ({
              kind: 'enumType',
              values: values.map((v) => this.str(v)).filter(present),
              span: this.spanFrom(first),
            }),
          );
        },
      },
      {
        ALT: () => {
          const name = this.CONSUME(T.Name);
          const argument = this.OPTION(() => {
            this.CONSUME(T.LAngle);
            const t = this.SUBRULE(this.type);
            this.CONSUME(T.RAngle);
            return t;
          });
          return this.ACTION((): A.TypeNode | null => {
            const n = nameNode(name);
            return n ? { kind: 'namedType', name: n, argument: argument ?? null, span: this.spanFrom(first) } : null;
          });
        },
      },
    ]);
  });

  // source = STRING { "." STRING }
  source = this.RULE('source', (): A.StringNode[] => {
    const parts: IToken[] = [];
    this.AT_LEAST_ONE_SEP({ SEP: T.Dot, DEF: () => parts.push(this.CONSUME(T.StringLiteral)) });
    return this.ACTION(() => parts.map((t) => this.str(t)).filter(present));
  });

  // profile = "profile" "{" { profileDecl } "}"
  profile = this.RULE('profile', (): A.ProfileNode => {
    const first = this.LA(1);
    this.CONSUME(T.Profile);
    this.CONSUME(T.LCurly);
    const fields: A.ProfileDeclNode[] = [];
    this.MANY(() => {
      const d = this.SUBRULE(this.profileDecl);
      this.ACTION(() => present(d) && fields.push(d));
    });
    this.CONSUME(T.RCurly);
    return this.ACTION(() => ({ kind: 'profile', fields, span: this.spanFrom(first) }));
  });

  // profileDecl = IDENTIFIER "=" expr "sync" IDENTIFIER [ "clear" ]
  profileDecl = this.RULE('profileDecl', (): A.ProfileDeclNode | null => {
    const first = this.LA(1);
    const name = this.CONSUME(T.Name);
    this.CONSUME(T.Equals);
    const expr = this.SUBRULE(this.expr);
    this.CONSUME(T.Sync);
    const mode = this.CONSUME2(T.Name, { LABEL: 'mode' });
    // `clear` is a soft keyword: `clear = ...` on the next line starts a field called clear.
    const clear = this.OPTION({ GATE: () => this.LA(2).tokenType !== T.Equals, DEF: () => this.CONSUME(T.Clear) });
    return this.ACTION(() => {
      const n = nameNode(name);
      if (!n) return null;
      const c = real(clear);
      return {
        kind: 'profileDecl',
        name: n,
        expr: expr ?? null,
        sync: nameNode(mode),
        clear: c ? tokenSpan(c) : null,
        span: this.spanFrom(first),
      };
    });
  });

  // expr = concatExpr { "??" concatExpr }
  expr = this.RULE('expr', (): A.ExprNode | null => {
    const first = this.LA(1);
    const parts: (A.ExprNode | null | undefined)[] = [];
    this.AT_LEAST_ONE_SEP({ SEP: T.Coalesce, DEF: () => parts.push(this.SUBRULE(this.concatExpr)) });
    return this.ACTION(() => {
      const args = parts.filter(present);
      if (args.length === 0) return null;
      return args.length === 1 ? defined(args[0]) : { kind: 'coalesce', args, span: this.spanFrom(first) };
    });
  });

  // concatExpr = atomExpr { "+" atomExpr }
  concatExpr = this.RULE('concatExpr', (): A.ExprNode | null => {
    const first = this.LA(1);
    const parts: (A.ExprNode | null | undefined)[] = [];
    this.AT_LEAST_ONE_SEP({ SEP: T.Plus, DEF: () => parts.push(this.SUBRULE(this.atomExpr)) });
    return this.ACTION(() => {
      const args = parts.filter(present);
      if (args.length === 0) return null;
      return args.length === 1 ? defined(args[0]) : { kind: 'concat', args, span: this.spanFrom(first) };
    });
  });

  // atomExpr = STRING | INTEGER | "true" | "false" | IDENTIFIER [ "(" [ expr { "," expr } ] ")" ] | "(" expr ")"
  atomExpr = this.RULE('atomExpr', (): A.ExprNode | null => {
    const first = this.LA(1);
    return this.OR([
      { ALT: () => this.SUBRULE(this.literal) },
      {
        ALT: () => {
          const name = this.CONSUME(T.Name);
          let called = false;
          const args: (A.ExprNode | null | undefined)[] = [];
          this.OPTION(() => {
            this.CONSUME(T.LParen);
            called = true;
            this.MANY_SEP({ SEP: T.Comma, DEF: () => args.push(this.SUBRULE(this.expr, { LABEL: 'args' })) });
            this.CONSUME(T.RParen);
          });
          return this.ACTION((): A.ExprNode | null => {
            const n = nameNode(name);
            if (!n) return null;
            return called
              ? { kind: 'call', fn: n, args: args.filter(present), span: this.spanFrom(first) }
              : { kind: 'ref', name: n, span: n.span };
          });
        },
      },
      {
        ALT: () => {
          this.CONSUME2(T.LParen, { LABEL: 'group' });
          const inner = this.SUBRULE2(this.expr, { LABEL: 'inner' });
          this.CONSUME2(T.RParen);
          return inner;
        },
      },
    ]);
  });

  // roles = "roles" [ mode ] "{" { roleItem } "}"
  roles = this.RULE('roles', (): A.RolesNode => {
    const first = this.LA(1);
    this.CONSUME(T.Roles);
    const mode = this.OPTION(() => this.SUBRULE(this.mode));
    this.CONSUME(T.LCurly);
    const privileged: A.RoleNameNode[] = [];
    const rules: A.RuleNode[] = [];
    this.MANY(() => {
      const item = this.SUBRULE(this.roleItem);
      this.ACTION(() => {
        if (!present(item)) return;
        if ('privileged' in item) privileged.push(...item.privileged);
        else rules.push(item);
      });
    });
    this.CONSUME(T.RCurly);
    return this.ACTION(() => ({ kind: 'roles', mode: mode ?? null, privileged, rules, span: this.spanFrom(first) }));
  });

  // mode = "replace" | "add"
  mode = this.RULE('mode', (): A.ModeNode | null => {
    const t = this.OR([{ ALT: () => this.CONSUME(T.Replace) }, { ALT: () => this.CONSUME(T.Add) }]);
    return this.ACTION(() => {
      const r = real(t);
      return r ? { value: r.image as 'replace' | 'add', span: tokenSpan(r) } : null;
    });
  });

  // roleItem = "privileged" roleName { "," roleName } | ( "grant" | "deny" ) roleName [ "when" condition ] [ unsafe ]
  roleItem = this.RULE('roleItem', (): RoleItem | null => this.OR(this.roleItemAlts));

  // ( "grant" | "deny" )
  effect = this.RULE('effect', (): Effect => {
    const t = this.OR(this.effectAlts);
    return this.ACTION(() => (real(t)?.tokenType === T.Deny ? 'deny' : 'grant'));
  });

  // roleName = IDENTIFIER | STRING
  roleName = this.RULE('roleName', (): A.RoleNameNode | null => {
    const t = this.OR(this.roleNameAlts);
    return this.ACTION(() => roleNameNode(t, this.problem));
  });

  // entitlements = "entitlements" [ mode ] "{" { entitlementRule } "}"
  entitlements = this.RULE('entitlements', (): A.EntitlementsNode => {
    const first = this.LA(1);
    this.CONSUME(T.Entitlements);
    const mode = this.OPTION(() => this.SUBRULE(this.mode));
    this.CONSUME(T.LCurly);
    const rules: A.RuleNode[] = [];
    this.MANY(() => {
      const r = this.SUBRULE(this.entitlementRule);
      this.ACTION(() => present(r) && rules.push(r));
    });
    this.CONSUME(T.RCurly);
    return this.ACTION(() => ({ kind: 'entitlements', mode: mode ?? null, rules, span: this.spanFrom(first) }));
  });

  // entitlementRule = ( "grant" | "deny" ) STRING [ "for" "each" IDENTIFIER "matching" REGEX ]
  //                   [ "when" condition ] [ unsafe ]
  entitlementRule = this.RULE('entitlementRule', (): A.RuleNode => {
    const first = this.LA(1);
    const effect = this.SUBRULE(this.effect);
    const target = this.CONSUME(T.StringLiteral);
    let forTok: IToken | undefined;
    let claim: IToken | undefined;
    let regex: IToken | undefined;
    this.OPTION(() => {
      forTok = this.CONSUME(T.For);
      this.CONSUME(T.Each);
      claim = this.CONSUME(T.Name);
      this.CONSUME(T.Matching);
      regex = this.CONSUME(T.RegexLiteral);
    });
    const when = this.OPTION2(() => {
      this.CONSUME(T.When);
      return this.SUBRULE(this.condition);
    });
    const unsafe = this.OPTION3(() => this.SUBRULE(this.unsafe));
    return this.ACTION(() => {
      const t = this.str(target);
      const c = nameNode(claim);
      const f = real(forTok);
      const re = regexNode(regex);
      return {
        kind: 'rule',
        section: 'entitlements',
        effect: effect ?? 'grant',
        target: t ? { value: t.value, quoted: true, span: t.span } : null,
        forEach: f && c ? { claim: c, regex: re, span: { start: f.startOffset, end: (re ?? c).span.end } } : null,
        when: when ?? null,
        unsafe: unsafe ?? null,
        span: this.spanFrom(first),
      };
    });
  });

  // condition = andCondition { "or" andCondition }
  condition = this.RULE('condition', (): A.CondNode | null => {
    const first = this.LA(1);
    const parts: (A.CondNode | null | undefined)[] = [];
    this.AT_LEAST_ONE_SEP({ SEP: T.Or, DEF: () => parts.push(this.SUBRULE(this.andCondition)) });
    return this.ACTION(() => {
      const args = parts.filter(present);
      if (args.length === 0) return null;
      return args.length === 1 ? defined(args[0]) : { kind: 'or', args, span: this.spanFrom(first) };
    });
  });

  // andCondition = notCondition { "and" notCondition }
  andCondition = this.RULE('andCondition', (): A.CondNode | null => {
    const first = this.LA(1);
    const parts: (A.CondNode | null | undefined)[] = [];
    this.AT_LEAST_ONE_SEP({ SEP: T.And, DEF: () => parts.push(this.SUBRULE(this.notCondition)) });
    return this.ACTION(() => {
      const args = parts.filter(present);
      if (args.length === 0) return null;
      return args.length === 1 ? defined(args[0]) : { kind: 'and', args, span: this.spanFrom(first) };
    });
  });

  // notCondition = "not" notCondition | atomCondition
  notCondition = this.RULE('notCondition', (): A.CondNode | null => this.OR(this.notConditionAlts));

  // atomCondition = "(" condition ")" | literalTest | claimTest
  atomCondition = this.RULE('atomCondition', (): A.CondNode | null => this.OR(this.atomConditionAlts));

  /** LA(1) is grant/deny/privileged and LA(2) a name or string that no condition can be followed by. */
  private startsRule(): boolean {
    const t = this.LA(1).tokenType;
    if (t !== T.Grant && t !== T.Deny && t !== T.Privileged) return false;
    const next = this.LA(2);
    if (next.tokenType === T.StringLiteral) return true;
    return tokenMatcher(next, T.Name) && !FOLLOWS_CONDITION.has(next.tokenType);
  }

  // literalTest = literal "in" IDENTIFIER
  literalTest = this.RULE('literalTest', (): A.CondNode | null => {
    const first = this.LA(1);
    const value = this.SUBRULE(this.literal);
    this.CONSUME(T.In);
    const claim = this.CONSUME(T.Name);
    return this.ACTION(() => {
      const c = nameNode(claim);
      return present(value) && c ? { kind: 'contains', value, claim: c, span: this.spanFrom(first) } : null;
    });
  });

  // claimTest = [ "any" | "all" ] IDENTIFIER [ comparison ]
  claimTest = this.RULE('claimTest', (): A.CondNode | null => {
    const first = this.LA(1);
    const q = this.OPTION(() => this.OR(this.quantifierAlts));
    const claim = this.CONSUME(T.Name);
    const comparison = this.OPTION2(() => this.SUBRULE(this.comparison));
    return this.ACTION(() => {
      const c = nameNode(claim);
      if (!c) return null;
      const quantifier = real(q);
      return {
        kind: 'test',
        quantifier: quantifier ? { value: quantifier.image as A.Quantifier, span: tokenSpan(quantifier) } : null,
        claim: c,
        comparison: comparison ?? { op: 'truthy' },
        span: this.spanFrom(first),
      };
    });
  });

  // comparison = ( "==" | "!=" ) literal | "in" "[" literal { "," literal } "]" | "matches" REGEX
  //            | "starts_with" STRING | "ends_with" STRING
  comparison = this.RULE('comparison', (): A.ComparisonNode => this.OR(this.comparisonAlts));

  // literal = STRING | INTEGER | "true" | "false"
  literal = this.RULE('literal', (): A.LiteralNode | null => {
    const t = this.OR(this.literalAlts);
    return this.ACTION(() => literalNode(t, this.problem));
  });

  // accounts = "accounts" "{" { accountsItem } "}"
  accounts = this.RULE('accounts', (): A.AccountsNode => {
    const first = this.LA(1);
    this.CONSUME(T.Accounts);
    this.CONSUME(T.LCurly);
    const items: A.AccountsItemNode[] = [];
    this.MANY(() => {
      const i = this.SUBRULE(this.accountsItem);
      this.ACTION(() => present(i) && items.push(i));
    });
    this.CONSUME(T.RCurly);
    return this.ACTION(() => ({ kind: 'accounts', items, span: this.spanFrom(first) }));
  });

  // accountsItem = "on" IDENTIFIER IDENTIFIER | "unique" IDENTIFIER { "," IDENTIFIER }
  accountsItem = this.RULE('accountsItem', (): A.AccountsItemNode | null => {
    const first = this.LA(1);
    return this.OR([
      {
        ALT: () => {
          this.CONSUME(T.On);
          const event = this.CONSUME(T.Name, { LABEL: 'event' });
          const action = this.CONSUME2(T.Name, { LABEL: 'action' });
          return this.ACTION((): A.AccountsItemNode | null => {
            const e = nameNode(event);
            return e ? { kind: 'on', event: e, action: nameNode(action), span: this.spanFrom(first) } : null;
          });
        },
      },
      {
        ALT: () => {
          this.CONSUME(T.Unique);
          const fields: IToken[] = [];
          this.AT_LEAST_ONE_SEP({ SEP: T.Comma, DEF: () => fields.push(this.CONSUME3(T.Name, { LABEL: 'fields' })) });
          return this.ACTION(
            (): A.AccountsItemNode => ({
              kind: 'unique',
              fields: fields.map(nameNode).filter(present),
              span: this.spanFrom(first),
            }),
          );
        },
      },
    ]);
  });

  // lifecycle = "lifecycle" "{" { lifecycleItem } "}"
  lifecycle = this.RULE('lifecycle', (): A.LifecycleNode => {
    const first = this.LA(1);
    this.CONSUME(T.Lifecycle);
    this.CONSUME(T.LCurly);
    const items: A.LifecycleItemNode[] = [];
    this.MANY(() => {
      const i = this.SUBRULE(this.lifecycleItem);
      this.ACTION(() => present(i) && items.push(i));
    });
    this.CONSUME(T.RCurly);
    return this.ACTION(() => ({ kind: 'lifecycle', items, span: this.spanFrom(first) }));
  });

  // lifecycleItem = "offboarding" IDENTIFIER [ "runbook" STRING ] | "dormant_after" DURATION [ IDENTIFIER ]
  // | "reactivate" IDENTIFIER
  lifecycleItem = this.RULE('lifecycleItem', (): A.LifecycleItemNode | null => {
    const first = this.LA(1);
    return this.OR([
      {
        ALT: () => {
          this.CONSUME(T.Offboarding);
          const method = this.CONSUME(T.Name, { LABEL: 'method' });
          const runbook = this.OPTION(() => {
            this.CONSUME(T.Runbook);
            return this.CONSUME(T.StringLiteral);
          });
          return this.ACTION((): A.LifecycleItemNode | null => {
            const m = nameNode(method);
            return m
              ? { kind: 'offboarding', method: m, runbook: this.str(runbook), span: this.spanFrom(first) }
              : null;
          });
        },
      },
      {
        ALT: () => {
          this.CONSUME(T.DormantAfter);
          const d = this.CONSUME(T.Duration);
          // The action is optional: a name that starts the next lifecycle item is not it.
          const action = this.OPTION2({
            GATE: () => !LIFECYCLE_ITEM_STARTS.has(this.LA(1).tokenType),
            DEF: () => this.CONSUME3(T.Name, { LABEL: 'action' }),
          });
          return this.ACTION(
            (): A.LifecycleItemNode => ({
              kind: 'dormant_after',
              duration: durationNode(d),
              action: nameNode(action),
              span: this.spanFrom(first),
            }),
          );
        },
      },
      {
        ALT: () => {
          this.CONSUME(T.Reactivate);
          const v = this.CONSUME2(T.Name, { LABEL: 'value' });
          return this.ACTION(
            (): A.LifecycleItemNode => ({ kind: 'reactivate', value: nameNode(v), span: this.spanFrom(first) }),
          );
        },
      },
    ]);
  });

  // scim = "scim" "{" { scimItem } "}"
  scim = this.RULE('scim', (): A.ScimNode => {
    const first = this.LA(1);
    this.CONSUME(T.Scim);
    this.CONSUME(T.LCurly);
    const items: A.ScimItemNode[] = [];
    this.MANY(() => {
      const i = this.SUBRULE(this.scimItem);
      this.ACTION(() => present(i) && items.push(i));
    });
    this.CONSUME(T.RCurly);
    return this.ACTION(() => ({ kind: 'scim', items, span: this.spanFrom(first) }));
  });

  // scimItem = "key" IDENTIFIER | "groups" IDENTIFIER | "deactivate" IDENTIFIER
  scimItem = this.RULE('scimItem', (): A.ScimItemNode | null => {
    const first = this.LA(1);
    const kind = this.OR([
      {
        ALT: () => {
          this.CONSUME(T.Key);
          return 'key' as const;
        },
      },
      {
        ALT: () => {
          this.CONSUME(T.Groups);
          return 'groups' as const;
        },
      },
      {
        ALT: () => {
          this.CONSUME(T.Deactivate);
          return 'deactivate' as const;
        },
      },
    ]);
    const value = this.CONSUME(T.Name, { LABEL: 'value' });
    return this.ACTION((): A.ScimItemNode => ({ kind, value: nameNode(value), span: this.spanFrom(first) }));
  });
}

let shared: ClaimmapParser | undefined;

/**
 * The one parser instance (chevrotain parsers are reusable via `parser.input = tokens`), built on first use:
 * `performSelfAnalysis` records the grammar and precomputes lookahead, which a module that only imports the parser
 * (for a type, for `tokenLabel`) or a CLI command that never parses should not pay for.
 *
 * @example
 * ```ts
 * const parser = getParser();
 * parser.input = lex('mapping "m" { }').tokens;
 * const ast = parser.mapping();
 * ```
 */
export function getParser(): ClaimmapParser {
  shared ??= new ClaimmapParser();
  return shared;
}
