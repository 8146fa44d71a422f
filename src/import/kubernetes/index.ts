/**
 * `claimmap import kubernetes`: a structured `AuthenticationConfiguration` (apiserver.config.k8s.io/v1beta1 or v1),
 * one `jwt[]` authenticator → a claimmap mapping, with the API server's semantics for `--compare`.
 *
 * Rules (Kubernetes docs, "Authenticating" → "Using Authentication Configuration" / structured authentication
 * configuration):
 * - `issuer.url` and `issuer.audiences`: the token's `iss` must equal the url, and one of its `aud` entries one of
 *   the audiences (`audienceMatchPolicy: MatchAny`), before any rule below runs.
 * - `claimValidationRules`: `claim` + `requiredValue` (the claim must be a string equal to it) or a CEL
 *   `expression` over `claims` that must evaluate to true; any failing rule rejects the token.
 * - `claimMappings.username`: `claim` + `prefix`, or a CEL `expression`. When the username claim is `email`, the
 *   API server requires `email_verified` to be true when it is present.
 * - `claimMappings.groups`: `claim` + `prefix` (a string or a list of strings; absent means no groups), or an
 *   expression. Every authenticated user is also in `system:authenticated`.
 * - `userValidationRules`: CEL over the mapped `user` (username, uid, groups, extra); all must be true.
 * The original decision's roles are the user's Kubernetes groups, prefixed: what RBAC bindings name.
 */
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node as YamlNode, type YAMLMap } from 'yaml';
import type { JsonValue } from '../../model/claim-set.js';
import { ClaimTable, type Cond, not, or, printCond, quote, regexLiteral } from '../condition.js';
import { oneLine, verifyMapping } from '../emit.js';
import { failedImport, guardImporter } from '../failure.js';
import { note } from '../notes.js';
import type { ImportNote, Importer, ImportOptions, ImportResult, OriginalDecision, SourceLocation } from '../types.js';
import { CelUnsupported, celCondition, celEvaluator, parseCel } from './cel.js';

export const importer: Importer = guardImporter('kubernetes', 'Kubernetes', importKubernetes);

interface Rule {
  claim?: string;
  requiredValue?: string;
  expression?: string;
  message?: string;
}

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

function importKubernetes(text: string, options: ImportOptions): ImportResult {
  const file = options.file;
  const notes: ImportNote[] = [];
  const counter = new LineCounter();
  const doc = parseDocument(text, { lineCounter: counter, uniqueKeys: true, prettyErrors: false });
  const at = (node: unknown, pointer: string): SourceLocation => {
    const range = (node as YamlNode | null)?.range;
    if (!range) return { file, line: 0, column: 0, pointer };
    const p = counter.linePos(range[0]);
    return { file, line: p.line, column: p.col, pointer };
  };
  const fail = (
    message: string,
    location: SourceLocation,
    code: 'import/invalid-input' | 'import/no-idp' | 'import/choose-idp' = 'import/invalid-input',
  ): ImportResult => failedImport('kubernetes', [...notes, note(code, message, location)]);
  if (doc.errors.length > 0) {
    const e = doc.errors[0];
    const p = counter.linePos(e?.pos[0] ?? 0);
    return fail(`Not valid YAML: ${e?.message.split('\n')[0] ?? ''}`, { file, line: p.line, column: p.col });
  }
  if (doc.get('kind') !== 'AuthenticationConfiguration') {
    return fail('Not an AuthenticationConfiguration (kind).', at(doc.contents, ''));
  }
  const jwtNode = doc.get('jwt', true);
  if (!isSeq(jwtNode) || jwtNode.items.length === 0)
    return fail('No jwt authenticators.', at(doc.contents, '/jwt'), 'import/no-idp');
  const issuers = jwtNode.items.map((j) =>
    isMap(j) ? String((j.getIn(['issuer', 'url']) as string | undefined) ?? '') : '',
  );
  let index = 0;
  if (options.idp !== undefined) {
    index = issuers.indexOf(options.idp);
    if (index < 0)
      return fail(
        `No jwt authenticator has issuer ${options.idp}; the file has ${issuers.join(', ')}.`,
        at(jwtNode, '/jwt'),
        'import/no-idp',
      );
  } else if (issuers.length > 1) {
    return fail(
      `The file has ${issuers.length} jwt authenticators (${issuers.join(', ')}): name one with --idp ISSUER.`,
      at(jwtNode, '/jwt'),
      'import/choose-idp',
    );
  }
  const jwtItem = jwtNode.items[index];
  if (!isMap(jwtItem)) return fail(`jwt[${index}] is not a map.`, at(jwtItem, `/jwt/${index}`));
  const jwt = jwtItem as YAMLMap;
  const base = `/jwt/${index}`;
  const js = jwt.toJSON() as Record<string, unknown>;
  const node = (path: (string | number)[]): unknown => jwt.getIn(path, true);
  const loc = (path: (string | number)[]): SourceLocation => at(node(path), `${base}/${path.join('/')}`);

  const claims = new ClaimTable();
  const requires: { cond: Cond; comment: string }[] = [];
  const entitlements: string[] = [];
  const issuerObj = (isPlainObject(js.issuer) ? js.issuer : {}) as Record<string, unknown>;
  const issuerUrl = typeof issuerObj.url === 'string' ? issuerObj.url : '';
  const issuer = issuerUrl || 'https://issuer.invalid';
  // What the API server checks before any claim rule or mapping runs (Kubernetes docs, "Authenticating" →
  // "Authentication configuration from a file",
  // https://kubernetes.io/docs/reference/access-authn-authz/authentication/#using-authentication-configuration):
  // the token's `iss` "must match the issuer.url", and "at least one of the entries in issuer.audiences must match
  // the "aud" claim in presented JWTs"; `audienceMatchPolicy` "is required to be set to MatchAny when multiple
  // audiences are specified" (MatchAny is the only policy). The API server refuses a configuration without an
  // audience, or with several and no MatchAny: the report's original side then refuses every login.
  const audiences = Array.isArray(issuerObj.audiences)
    ? issuerObj.audiences.filter((a): a is string => typeof a === 'string' && a !== '')
    : [];
  const policy = issuerObj.audienceMatchPolicy ?? '';
  const configProblem =
    audiences.length === 0
      ? 'issuer.audiences is empty: the API server requires at least one audience'
      : audiences.length > 1 && policy !== 'MatchAny'
        ? 'issuer.audienceMatchPolicy must be MatchAny for multiple audiences'
        : policy !== '' && policy !== 'MatchAny'
          ? 'issuer.audienceMatchPolicy must be empty or MatchAny for a single audience'
          : null;
  if (configProblem !== null)
    notes.push(
      note(
        'import/invalid-input',
        `${configProblem}; the API server refuses this configuration (the report's original side refuses every login).`,
        loc(['issuer', audiences.length === 0 ? 'audiences' : 'audienceMatchPolicy']),
      ),
    );
  if (
    issuerObj.audiences ||
    issuerObj.certificateAuthority ||
    issuerObj.discoveryURL ||
    issuerObj.audienceMatchPolicy
  ) {
    notes.push(
      note(
        'import/ignored',
        'issuer audiences, discoveryURL and certificateAuthority are checked by your token verifier, before claimmap sees the claims.',
        loc(['issuer']),
      ),
    );
  }

  /** CEL → claimmap, with the location of an unsupported construct inside the expression. */
  const translate = (expression: string, path: (string | number)[], what: string): Cond | null => {
    try {
      return celCondition(parseCel(expression), claims);
    } catch (e) {
      if (!(e instanceof CelUnsupported)) throw e;
      const l = loc(path);
      const exprNode = node(path);
      const quoted =
        isScalar(exprNode) && (exprNode.type === 'QUOTE_SINGLE' || exprNode.type === 'QUOTE_DOUBLE') ? 1 : 0;
      const single =
        isScalar(exprNode) && !String(exprNode.value).includes('\n') && !String(exprNode.type).startsWith('BLOCK');
      notes.push(
        note(
          'import/untranslated',
          `${what}: ${e.message} at offset ${e.offset} of the expression; not imported.`,
          single ? { ...l, column: l.column + quoted + e.offset } : l,
          {
            hint: 'Rewrite it with ==, in, startsWith, endsWith, matches, !, && and ||, or write the claimmap rule by hand.',
          },
        ),
      );
      return null;
    }
  };

  // claimValidationRules → require.
  const cvr = (js.claimValidationRules ?? []) as Rule[];
  cvr.forEach((r, i) => {
    const path = ['claimValidationRules', i];
    const line = loc(path).line;
    if (r.claim !== undefined) {
      const c = claims.use([r.claim], 'string', { required: false });
      requires.push({
        cond: { t: 'cmp', op: '==', claim: c, value: r.requiredValue ?? '' },
        comment: `claimValidationRules[${i}], line ${line}`,
      });
    } else if (r.expression !== undefined) {
      const cond = translate(r.expression, [...path, 'expression'], `claimValidationRules[${i}]`);
      if (cond)
        requires.push({
          cond,
          comment: `claimValidationRules[${i}], line ${line}${r.message ? `: ${r.message}` : ''}`,
        });
    }
  });

  // username → the key (claimmap keys on sub) and the email_verified rule.
  const cm = (js.claimMappings ?? {}) as Record<
    string,
    Record<string, unknown> | Record<string, unknown>[] | undefined
  >;
  const username = (cm.username ?? {}) as { claim?: string; prefix?: string; expression?: string };
  const usernameAt = loc(['claimMappings', 'username']);
  const usernameSource = username.claim ?? (username.expression !== undefined ? 'expression' : 'sub');
  const usesEmail = username.claim === 'email' || /claims\.email\b/.test(username.expression ?? '');
  if (usernameSource !== 'sub') {
    notes.push(
      note(
        'import/keyed-on-email',
        `The Kubernetes username comes from ${username.claim !== undefined ? `the ${username.claim} claim` : `the expression ${username.expression}`}: RBAC bindings name that value, so whoever gets it (a renamed or recycled ${usesEmail ? 'address' : 'value'}) gets the bindings. The mapping keys accounts on sub.`,
        usernameAt,
        { hint: 'Bind RBAC to groups, or map the username from sub.', severity: usesEmail ? 'error' : 'warning' },
      ),
    );
  }
  if (username.claim === 'email') {
    const ev = claims.use(['email_verified'], 'bool', { required: false });
    requires.push({
      cond: { t: 'bool', claim: ev },
      comment: 'username.claim email: the API server requires email_verified',
    });
    notes.push(
      note(
        'import/gate',
        'username.claim is email: the API server rejects email_verified false and accepts a token without it; claimmap cannot test presence, so the gate requires email_verified true (a token without it is refused).',
        usernameAt,
        { severity: 'warning' },
      ),
    );
  }
  if (username.prefix !== undefined && username.prefix !== '') {
    notes.push(
      note(
        'import/ignored',
        `username.prefix ${JSON.stringify(username.prefix)} names the user in RBAC; the mapping keys on sub.`,
        usernameAt,
      ),
    );
  }

  // groups → entitlements, one per group, prefixed.
  const groups = cm.groups as { claim?: string; prefix?: string; expression?: string } | undefined;
  const groupsAt = loc(['claimMappings', 'groups']);
  if (groups?.claim !== undefined) {
    // The API server gives no group when the claim is absent, and refuses the token when it is not a string or a
    // list of strings. Read absent as empty (a declaration of its own: the CEL rules must not read it so), and
    // refuse a malformed claim with a gate that is true on every well-formed set and unknown on a malformed one.
    const g = claims.use([groups.claim], 'set<string>', {
      required: false,
      absentEmpty: true,
      comment: 'claimMappings.groups',
    });
    const probe: Cond = { t: 'in', value: 'x', claim: g };
    requires.push({
      cond: or(probe, not(probe)),
      comment: 'claimMappings.groups: the API server refuses a groups claim that is not a string or a list of strings',
    });
    notes.push(
      note(
        'import/gate',
        `claimMappings.groups: the API server refuses a token whose ${JSON.stringify(groups.claim)} claim is not a string or a list of strings, and reads a single string as one group; the mapping refuses a malformed claim with a gate, and a single string too.`,
        groupsAt,
        { severity: 'warning', hint: 'Have the IdP send the groups as a list.' },
      ),
    );
    entitlements.push(
      `    grant ${quote(`${(groups.prefix ?? '').replace(/[{}]/g, (b) => b + b)}{1}`)} for each ${g} matching ${regexLiteral('^(.+)$')}  // claimMappings.groups, line ${groupsAt.line}: prefix ${JSON.stringify(groups.prefix ?? '')}`,
    );
  } else if (groups?.expression !== undefined) {
    notes.push(
      note(
        'import/untranslated',
        `groups.expression ${groups.expression}: an expression computing groups has no claimmap equivalent; no group is imported.`,
        groupsAt,
      ),
    );
  }
  for (const k of ['uid', 'extra'] as const) {
    if (cm[k] !== undefined)
      notes.push(
        note(
          'import/untranslated',
          `claimMappings.${k}: user attributes for authorizers and audit, not roles; not imported.`,
          loc(['claimMappings', k]),
          { severity: 'warning' },
        ),
      );
  }
  const uvr = (js.userValidationRules ?? []) as Rule[];
  uvr.forEach((r, i) => {
    notes.push(
      note(
        'import/untranslated',
        `userValidationRules[${i}] (${r.expression ?? ''}) tests the mapped Kubernetes user, not claims: not imported; the differential report runs it.`,
        loc(['userValidationRules', i]),
        { severity: 'warning' },
      ),
    );
  });

  // The mapping.
  const out: string[] = [];
  out.push(oneLine(`// Imported by claimmap import kubernetes from ${file}, jwt[${index}].`));
  out.push(`mapping ${quote('kubernetes')} {`);
  out.push(`  idp oidc ${quote(issuer)}`);
  out.push(oneLine(`  key sub  // the API server named the user by ${usernameSource}`));
  for (const r of requires)
    if (r.cond.t !== 'const') out.push(`  require ${printCond(r.cond)}  // ${oneLine(r.comment)}`);
  out.push('');
  if (claims.declarations.length > 0) out.push(...claims.print('  '), '');
  out.push('  roles replace {', `    grant ${quote('system:authenticated')}  // every authenticated user`, '  }');
  if (entitlements.length > 0) out.push('', '  entitlements replace {', ...entitlements, '  }');
  out.push('}');

  // The API server's semantics.
  const cvrEval = cvr.map((r) => (r.expression !== undefined ? celEvaluator(r.expression) : null));
  const uvrEval = uvr.map((r) => (r.expression !== undefined ? celEvaluator(r.expression) : null));
  const userExpr = username.expression !== undefined ? celEvaluator(username.expression) : null;
  const groupsExpr = groups?.expression !== undefined ? celEvaluator(groups.expression) : null;
  const decide = (c: { [name: string]: JsonValue }): OriginalDecision => {
    const refuse = (reason: string, key: string | null = null): OriginalDecision => ({
      refused: true,
      reason,
      key,
      keySource: usernameSource,
      roles: [],
    });
    if (configProblem !== null) return refuse(configProblem);
    if (c.iss !== issuerUrl) return refuse('iss does not match issuer.url');
    const aud = c.aud;
    const tokenAudiences = typeof aud === 'string' ? [aud] : Array.isArray(aud) ? aud : [];
    if (!tokenAudiences.some((a) => typeof a === 'string' && audiences.includes(a)))
      return refuse('no entry of issuer.audiences matches the aud claim');
    for (const [i, r] of cvr.entries()) {
      if (r.claim !== undefined) {
        if (c[r.claim] !== (r.requiredValue ?? ''))
          return refuse(`claimValidationRules[${i}]: ${r.claim} is not ${r.requiredValue ?? ''}`);
      } else {
        let ok: unknown = false;
        try {
          ok = cvrEval[i]?.({ claims: c }) ?? false;
        } catch {
          ok = false;
        }
        if (ok !== true) return refuse(`claimValidationRules[${i}]: ${r.message ?? r.expression ?? ''}`);
      }
    }
    let name: unknown;
    if (userExpr) {
      try {
        name = userExpr({ claims: c });
      } catch {
        return refuse('username.expression failed');
      }
    } else {
      const claim = username.claim ?? 'sub';
      name = c[claim];
      if (claim === 'email' && c.email_verified !== undefined && c.email_verified !== true) {
        return refuse('username.claim is email and email_verified is not true');
      }
    }
    if (typeof name !== 'string' || name === '') return refuse('no username');
    const user = `${userExpr ? '' : (username.prefix ?? '')}${name}`;
    let gs: string[] = [];
    if (groups?.claim !== undefined) {
      const v = c[groups.claim];
      const list = typeof v === 'string' ? [v] : Array.isArray(v) ? v : [];
      if (!list.every((x) => typeof x === 'string') && v !== undefined && v !== null)
        return refuse('the groups claim is not a string or a list of strings', user);
      gs = (list as string[]).map((g) => `${groups.prefix ?? ''}${g}`);
    } else if (groupsExpr) {
      try {
        const v = groupsExpr({ claims: c });
        gs = typeof v === 'string' ? [v] : Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
      } catch {
        return refuse('groups.expression failed', user);
      }
    }
    for (const [i, r] of uvr.entries()) {
      let ok: unknown = false;
      try {
        ok = uvrEval[i]?.({ user: { username: user, uid: '', groups: gs, extra: {} } }) ?? false;
      } catch {
        ok = false;
      }
      if (ok !== true) return refuse(`userValidationRules[${i}]: ${r.message ?? r.expression ?? ''}`, user);
    }
    return {
      refused: false,
      key: user,
      keySource: usernameSource,
      roles: [...new Set([...gs, 'system:authenticated'])].sort(),
    };
  };
  const emitted = verifyMapping(`${out.join('\n')}\n`, { file: options.file });
  return {
    kind: 'kubernetes',
    source: emitted.source,
    notes: [...notes, ...emitted.notes],
    semantics: { engine: '@marcbachmann/cel-js with the Kubernetes structured authentication rules', decide },
    // The groups are entitlements of the imported mapping and the original's "roles": compare them together.
    compareEntitlements: true,
  };
}
