/**
 * The claimmap grammar as a chevrotain CstParser. Each production is annotated with the grammar/claimmap.ebnf rule
 * it implements; the CST → AST conversion lives apart, in cst-to-ast.ts. One instance is created and reused.
 */
import { CstParser, EOF, type IParserErrorMessageProvider, type IToken, type TokenType } from 'chevrotain';
import * as T from './tokens.js';

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
  mapping: "a section (idp, key, require, claims, profile, roles, entitlements, accounts, lifecycle) or '}'",
  claims: "a claim declaration (name : type from \"source\" required) or '}'",
  profile: "a profile field (name = expression sync always) or '}'",
  roles: "'grant', 'deny', 'privileged' or '}'",
  entitlements: "'grant', 'deny' or '}'",
  accounts: "'on', 'unique' or '}'",
  lifecycle: "'offboarding', 'dormant_after', 'reactivate' or '}'",
};

/** Friendly names of productions, for "expected ..." when several alternatives were possible. */
const RULE_NAMES: Record<string, string> = {
  section: 'a section (idp, key, require, claims, profile, roles, entitlements, accounts, lifecycle)',
  condition: 'a condition',
  andCondition: 'a condition',
  notCondition: 'a condition',
  atomCondition: 'a condition',
  expr: 'an expression',
  concatExpr: 'an expression',
  atomExpr: 'an expression',
  literal: 'a literal (a string, a number, true or false)',
  comparison: "a comparison (==, !=, in [...], matches, starts_with, ends_with)",
  type: 'a type (string, email, bool, int, uuid, url, datetime, enum(...), set<T>, list<T>)',
  roleItem: "'grant', 'deny' or 'privileged'",
  lifecycleItem: "'offboarding', 'dormant_after' or 'reactivate'",
  accountsItem: "'on' or 'unique'",
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
    return `expected ${RULE_NAMES[ruleName] ?? listLabels(first)} but found ${describeToken(actual[0]!)}`;
  },
  buildEarlyExitMessage: ({ expectedIterationPaths, actual, ruleName }) => {
    const first = expectedIterationPaths.map((p) => p[0]).filter((x): x is TokenType => !!x);
    return `expected ${RULE_NAMES[ruleName] ?? listLabels(first)} but found ${describeToken(actual[0]!)}`;
  },
};

export class ClaimmapParser extends CstParser {
  constructor() {
    super(T.allTokens, { recoveryEnabled: true, maxLookahead: 3, errorMessageProvider: errorMessages, nodeLocationTracking: 'onlyOffset' });
    this.performSelfAnalysis();
  }

  // mapping = "mapping" STRING [ "version" STRING ] "{" { section } "}"
  mapping = this.RULE('mapping', () => {
    this.CONSUME(T.Mapping);
    this.CONSUME(T.StringLiteral);
    this.OPTION(() => {
      this.CONSUME(T.Version);
      this.CONSUME2(T.StringLiteral, { LABEL: 'version' });
    });
    this.CONSUME(T.LCurly);
    this.MANY(() => this.SUBRULE(this.section));
    this.CONSUME(T.RCurly);
  });

  // section = idp | key | require | claims | profile | roles | entitlements | accounts | lifecycle
  section = this.RULE('section', () => {
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
    ]);
  });

  // idp = "idp" IDENTIFIER STRING { "alias" STRING }
  idp = this.RULE('idp', () => {
    this.CONSUME(T.Idp);
    this.CONSUME(T.Name);
    this.CONSUME(T.StringLiteral);
    this.MANY(() => {
      this.CONSUME(T.Alias);
      this.CONSUME2(T.StringLiteral, { LABEL: 'aliases' });
    });
  });

  // key = "key" ( "nameid" IDENTIFIER | "sub" | "claim" IDENTIFIER { "," IDENTIFIER } ) [ unsafe ]
  key = this.RULE('key', () => {
    this.CONSUME(T.Key);
    this.OR([
      {
        ALT: () => {
          this.CONSUME(T.NameId);
          this.CONSUME(T.Name, { LABEL: 'format' });
        },
      },
      { ALT: () => this.CONSUME(T.Sub) },
      {
        ALT: () => {
          this.CONSUME(T.Claim);
          this.AT_LEAST_ONE_SEP({ SEP: T.Comma, DEF: () => this.CONSUME2(T.Name, { LABEL: 'claims' }) });
        },
      },
    ]);
    this.OPTION(() => this.SUBRULE(this.unsafe));
  });

  // require = "require" condition
  require = this.RULE('require', () => {
    this.CONSUME(T.Require);
    this.SUBRULE(this.condition);
  });

  // unsafe = "unsafe" STRING
  unsafe = this.RULE('unsafe', () => {
    this.CONSUME(T.Unsafe);
    this.CONSUME(T.StringLiteral);
  });

  // claims = "claims" "{" { claimDecl } "}"
  claims = this.RULE('claims', () => {
    this.CONSUME(T.Claims);
    this.CONSUME(T.LCurly);
    this.MANY(() => this.SUBRULE(this.claimDecl));
    this.CONSUME(T.RCurly);
  });

  // claimDecl = IDENTIFIER ":" type "from" source presence [ "normalize" IDENTIFIER { "," IDENTIFIER } ]
  claimDecl = this.RULE('claimDecl', () => {
    this.CONSUME(T.Name);
    this.CONSUME(T.Colon);
    this.SUBRULE(this.type);
    this.CONSUME(T.From);
    this.SUBRULE(this.source);
    this.OR([{ ALT: () => this.CONSUME(T.Required) }, { ALT: () => this.CONSUME(T.Optional) }]);
    this.OPTION(() => {
      this.CONSUME(T.Normalize);
      this.AT_LEAST_ONE_SEP({ SEP: T.Comma, DEF: () => this.CONSUME2(T.Name, { LABEL: 'normalizers' }) });
    });
  });

  // type = "enum" "(" STRING { "," STRING } ")" | IDENTIFIER [ "<" type ">" ]
  type = this.RULE('type', () => {
    this.OR([
      {
        GATE: () => this.LA(2).tokenType === T.LParen,
        ALT: () => {
          this.CONSUME(T.Enum);
          this.CONSUME(T.LParen);
          this.AT_LEAST_ONE_SEP({ SEP: T.Comma, DEF: () => this.CONSUME(T.StringLiteral) });
          this.CONSUME(T.RParen);
        },
      },
      {
        ALT: () => {
          this.CONSUME(T.Name);
          this.OPTION(() => {
            this.CONSUME(T.LAngle);
            this.SUBRULE(this.type);
            this.CONSUME(T.RAngle);
          });
        },
      },
    ]);
  });

  // source = STRING { "." STRING }
  source = this.RULE('source', () => {
    this.AT_LEAST_ONE_SEP({ SEP: T.Dot, DEF: () => this.CONSUME(T.StringLiteral) });
  });

  // profile = "profile" "{" { profileDecl } "}"
  profile = this.RULE('profile', () => {
    this.CONSUME(T.Profile);
    this.CONSUME(T.LCurly);
    this.MANY(() => this.SUBRULE(this.profileDecl));
    this.CONSUME(T.RCurly);
  });

  // profileDecl = IDENTIFIER "=" expr "sync" IDENTIFIER [ "clear" ]
  profileDecl = this.RULE('profileDecl', () => {
    this.CONSUME(T.Name);
    this.CONSUME(T.Equals);
    this.SUBRULE(this.expr);
    this.CONSUME(T.Sync);
    this.CONSUME2(T.Name, { LABEL: 'mode' });
    // `clear` is a soft keyword: `clear = ...` on the next line starts a field called clear.
    this.OPTION({ GATE: () => this.LA(2).tokenType !== T.Equals, DEF: () => this.CONSUME(T.Clear) });
  });

  // expr = concatExpr { "??" concatExpr }
  expr = this.RULE('expr', () => {
    this.AT_LEAST_ONE_SEP({ SEP: T.Coalesce, DEF: () => this.SUBRULE(this.concatExpr) });
  });

  // concatExpr = atomExpr { "+" atomExpr }
  concatExpr = this.RULE('concatExpr', () => {
    this.AT_LEAST_ONE_SEP({ SEP: T.Plus, DEF: () => this.SUBRULE(this.atomExpr) });
  });

  // atomExpr = STRING | INTEGER | "true" | "false" | IDENTIFIER [ "(" [ expr { "," expr } ] ")" ] | "(" expr ")"
  atomExpr = this.RULE('atomExpr', () => {
    this.OR([
      { ALT: () => this.SUBRULE(this.literal) },
      {
        ALT: () => {
          this.CONSUME(T.Name);
          this.OPTION(() => {
            this.CONSUME(T.LParen);
            this.MANY_SEP({ SEP: T.Comma, DEF: () => this.SUBRULE(this.expr, { LABEL: 'args' }) });
            this.CONSUME(T.RParen);
          });
        },
      },
      {
        ALT: () => {
          this.CONSUME2(T.LParen, { LABEL: 'group' });
          this.SUBRULE2(this.expr, { LABEL: 'inner' });
          this.CONSUME2(T.RParen);
        },
      },
    ]);
  });

  // roles = "roles" [ mode ] "{" { roleItem } "}"
  roles = this.RULE('roles', () => {
    this.CONSUME(T.Roles);
    this.OPTION(() => this.SUBRULE(this.mode));
    this.CONSUME(T.LCurly);
    this.MANY(() => this.SUBRULE(this.roleItem));
    this.CONSUME(T.RCurly);
  });

  // mode = "replace" | "add"
  mode = this.RULE('mode', () => {
    this.OR([{ ALT: () => this.CONSUME(T.Replace) }, { ALT: () => this.CONSUME(T.Add) }]);
  });

  // roleItem = "privileged" roleName { "," roleName } | ( "grant" | "deny" ) roleName [ "when" condition ]
  roleItem = this.RULE('roleItem', () => {
    this.OR([
      {
        ALT: () => {
          this.CONSUME(T.Privileged);
          this.AT_LEAST_ONE_SEP({ SEP: T.Comma, DEF: () => this.SUBRULE(this.roleName, { LABEL: 'privileged' }) });
        },
      },
      {
        ALT: () => {
          this.SUBRULE(this.effect);
          this.SUBRULE2(this.roleName);
          this.OPTION(() => {
            this.CONSUME(T.When);
            this.SUBRULE(this.condition);
          });
        },
      },
    ]);
  });

  // ( "grant" | "deny" )
  effect = this.RULE('effect', () => {
    this.OR([{ ALT: () => this.CONSUME(T.Grant) }, { ALT: () => this.CONSUME(T.Deny) }]);
  });

  // roleName = IDENTIFIER | STRING
  roleName = this.RULE('roleName', () => {
    this.OR([{ ALT: () => this.CONSUME(T.Name) }, { ALT: () => this.CONSUME(T.StringLiteral) }]);
  });

  // entitlements = "entitlements" [ mode ] "{" { entitlementRule } "}"
  entitlements = this.RULE('entitlements', () => {
    this.CONSUME(T.Entitlements);
    this.OPTION(() => this.SUBRULE(this.mode));
    this.CONSUME(T.LCurly);
    this.MANY(() => this.SUBRULE(this.entitlementRule));
    this.CONSUME(T.RCurly);
  });

  // entitlementRule = ( "grant" | "deny" ) STRING [ "for" "each" IDENTIFIER "matching" REGEX ] [ "when" condition ]
  entitlementRule = this.RULE('entitlementRule', () => {
    this.SUBRULE(this.effect);
    this.CONSUME(T.StringLiteral);
    this.OPTION(() => {
      this.CONSUME(T.For);
      this.CONSUME(T.Each);
      this.CONSUME(T.Name);
      this.CONSUME(T.Matching);
      this.CONSUME(T.RegexLiteral);
    });
    this.OPTION2(() => {
      this.CONSUME(T.When);
      this.SUBRULE(this.condition);
    });
  });

  // condition = andCondition { "or" andCondition }
  condition = this.RULE('condition', () => {
    this.AT_LEAST_ONE_SEP({ SEP: T.Or, DEF: () => this.SUBRULE(this.andCondition) });
  });

  // andCondition = notCondition { "and" notCondition }
  andCondition = this.RULE('andCondition', () => {
    this.AT_LEAST_ONE_SEP({ SEP: T.And, DEF: () => this.SUBRULE(this.notCondition) });
  });

  // notCondition = "not" notCondition | atomCondition
  notCondition = this.RULE('notCondition', () => {
    this.OR([
      {
        ALT: () => {
          this.CONSUME(T.Not);
          this.SUBRULE(this.notCondition);
        },
      },
      { ALT: () => this.SUBRULE(this.atomCondition) },
    ]);
  });

  // atomCondition = "(" condition ")" | literalTest | claimTest
  atomCondition = this.RULE('atomCondition', () => {
    this.OR([
      {
        ALT: () => {
          this.CONSUME(T.LParen);
          this.SUBRULE(this.condition);
          this.CONSUME(T.RParen);
        },
      },
      { ALT: () => this.SUBRULE(this.literalTest) },
      { ALT: () => this.SUBRULE(this.claimTest) },
    ]);
  });

  // literalTest = literal "in" IDENTIFIER
  literalTest = this.RULE('literalTest', () => {
    this.SUBRULE(this.literal);
    this.CONSUME(T.In);
    this.CONSUME(T.Name);
  });

  // claimTest = [ "any" | "all" ] IDENTIFIER [ comparison ]
  claimTest = this.RULE('claimTest', () => {
    this.OPTION(() => this.OR([{ ALT: () => this.CONSUME(T.Any) }, { ALT: () => this.CONSUME(T.All) }]));
    this.CONSUME(T.Name);
    this.OPTION2(() => this.SUBRULE(this.comparison));
  });

  // comparison = ( "==" | "!=" ) literal | "in" "[" literal { "," literal } "]" | "matches" REGEX
  //            | "starts_with" STRING | "ends_with" STRING
  comparison = this.RULE('comparison', () => {
    this.OR([
      {
        ALT: () => {
          this.OR2([{ ALT: () => this.CONSUME(T.EqEq) }, { ALT: () => this.CONSUME(T.NotEq) }]);
          this.SUBRULE(this.literal);
        },
      },
      {
        ALT: () => {
          this.CONSUME(T.In);
          this.CONSUME(T.LBracket);
          this.AT_LEAST_ONE_SEP({ SEP: T.Comma, DEF: () => this.SUBRULE2(this.literal, { LABEL: 'values' }) });
          this.CONSUME(T.RBracket);
        },
      },
      {
        ALT: () => {
          this.CONSUME(T.Matches);
          this.CONSUME(T.RegexLiteral);
        },
      },
      {
        ALT: () => {
          this.CONSUME(T.StartsWith);
          this.CONSUME(T.StringLiteral);
        },
      },
      {
        ALT: () => {
          this.CONSUME(T.EndsWith);
          this.CONSUME2(T.StringLiteral);
        },
      },
    ]);
  });

  // literal = STRING | INTEGER | "true" | "false"
  literal = this.RULE('literal', () => {
    this.OR([
      { ALT: () => this.CONSUME(T.StringLiteral) },
      { ALT: () => this.CONSUME(T.IntegerLiteral) },
      { ALT: () => this.CONSUME(T.True) },
      { ALT: () => this.CONSUME(T.False) },
    ]);
  });

  // accounts = "accounts" "{" { accountsItem } "}"
  accounts = this.RULE('accounts', () => {
    this.CONSUME(T.Accounts);
    this.CONSUME(T.LCurly);
    this.MANY(() => this.SUBRULE(this.accountsItem));
    this.CONSUME(T.RCurly);
  });

  // accountsItem = "on" IDENTIFIER IDENTIFIER | "unique" IDENTIFIER { "," IDENTIFIER }
  accountsItem = this.RULE('accountsItem', () => {
    this.OR([
      {
        ALT: () => {
          this.CONSUME(T.On);
          this.CONSUME(T.Name, { LABEL: 'event' });
          this.CONSUME2(T.Name, { LABEL: 'action' });
        },
      },
      {
        ALT: () => {
          this.CONSUME(T.Unique);
          this.AT_LEAST_ONE_SEP({ SEP: T.Comma, DEF: () => this.CONSUME3(T.Name, { LABEL: 'fields' }) });
        },
      },
    ]);
  });

  // lifecycle = "lifecycle" "{" { lifecycleItem } "}"
  lifecycle = this.RULE('lifecycle', () => {
    this.CONSUME(T.Lifecycle);
    this.CONSUME(T.LCurly);
    this.MANY(() => this.SUBRULE(this.lifecycleItem));
    this.CONSUME(T.RCurly);
  });

  // lifecycleItem = "offboarding" IDENTIFIER [ "runbook" STRING ] | "dormant_after" DURATION | "reactivate" IDENTIFIER
  lifecycleItem = this.RULE('lifecycleItem', () => {
    this.OR([
      {
        ALT: () => {
          this.CONSUME(T.Offboarding);
          this.CONSUME(T.Name, { LABEL: 'method' });
          this.OPTION(() => {
            this.CONSUME(T.Runbook);
            this.CONSUME(T.StringLiteral);
          });
        },
      },
      {
        ALT: () => {
          this.CONSUME(T.DormantAfter);
          this.CONSUME(T.Duration);
        },
      },
      {
        ALT: () => {
          this.CONSUME(T.Reactivate);
          this.CONSUME2(T.Name, { LABEL: 'value' });
        },
      },
    ]);
  });
}

/** The one parser instance (chevrotain parsers are reusable via `parser.input = tokens`). */
export const parser = new ClaimmapParser();
