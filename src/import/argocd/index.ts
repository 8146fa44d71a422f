/**
 * `claimmap import argocd`: the `argocd-cm` ConfigMap (`data."oidc.config"`) and the `argocd-rbac-cm` ConfigMap
 * (`policy.csv` and `policy.<name>.csv` overlays, `policy.default`, `scopes`, `policy.matchMode`), in one YAML file
 * (several documents) → a claimmap mapping, with Argo CD's semantics for `--compare`.
 *
 * Argo CD RBAC (docs, "Argo CD RBAC Configuration"): `g, <subject>, <role>` assigns a role to a user or SSO group;
 * the subjects of a login are its `sub` and the values of the claims listed in `scopes` (default `[groups]`);
 * Casbin's role manager matches a subject exactly (case-sensitive); `g, role:a, role:b` makes role:a inherit role:b;
 * `policy.default` is a role every authenticated user gets ("this access cannot be blocked by a deny rule").
 * Before any of it, the ID token's `iss` must be the issuer (OpenID Connect Core 1.0, 3.1.3.7).
 * `policy.matchMode` (`glob`, the default, or `regex`) applies to the resources and objects of `p` lines only;
 * `p` lines are permissions, not claim mappings: reported, not translated.
 */
import {
  isMap,
  isScalar,
  LineCounter,
  parseAllDocuments,
  type Document,
  type Node as YamlNode,
  parse as parseYaml,
} from 'yaml';
import type { JsonValue } from '../../model/claim-set.js';
import { ClaimTable, type Cond, or, printCond, quote } from '../condition.js';
import { oneLine, verifyMapping } from '../emit.js';
import { failedImport, guardImporter } from '../failure.js';
import { note } from '../notes.js';
import type { ImportNote, Importer, ImportOptions, ImportResult, OriginalDecision, SourceLocation } from '../types.js';

export const importer: Importer = guardImporter('argocd', 'Argo CD', importArgo);

interface Value {
  text: string;
  /** Location of the value (line of its first character). */
  at: SourceLocation;
  /** The 0-based line of the value's first content line, for block scalars (1 more than the key's line). */
  firstLine: number;
}

interface Binding {
  subject: string;
  role: string;
  at: SourceLocation;
}

const ROLE_IDENT = /^[A-Za-z_][A-Za-z0-9_-]*$/;

function roleName(r: string): string {
  return ROLE_IDENT.test(r) ? r : quote(r);
}

/** Splits a Casbin CSV line (Argo CD's policy format): commas, optional double quotes, trimmed fields. */
export function csvFields(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i] as string;
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cur += c;
    } else if (c === '"' && cur.trim() === '') {
      quoted = true;
      cur = '';
    } else if (c === ',') {
      out.push(cur.trim());
      cur = '';
    } else cur += c;
  }
  out.push(cur.trim());
  return out;
}

function importArgo(text: string, options: ImportOptions): ImportResult {
  const file = options.file;
  const notes: ImportNote[] = [];
  const counter = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter: counter, uniqueKeys: true, prettyErrors: false });
  const fail = (message: string, at: SourceLocation): ImportResult =>
    failedImport('argocd', [...notes, note('import/invalid-input', message, at)]);
  if (!Array.isArray(docs)) return fail('Not a YAML stream.', { file, line: 1, column: 1 });
  const pos = (offset: number, pointer?: string): SourceLocation => {
    const p = counter.linePos(offset);
    return pointer === undefined
      ? { file, line: p.line, column: p.col }
      : { file, line: p.line, column: p.col, pointer };
  };
  let cm: { data: Map<string, Value>; at: SourceLocation } | null = null;
  let rbac: { data: Map<string, Value>; at: SourceLocation } | null = null;
  for (const [index, doc] of (docs as Document.Parsed[]).entries()) {
    if (doc.errors.length > 0) {
      const e = doc.errors[0];
      return fail(`Not valid YAML: ${e?.message.split('\n')[0] ?? ''}`, pos(e?.pos[0] ?? 0));
    }
    const name = doc.getIn(['metadata', 'name']);
    const data = doc.get('data', true);
    if (!isMap(data)) continue;
    const values = new Map<string, Value>();
    for (const item of data.items) {
      if (!isScalar(item.key)) continue;
      const key = String(item.key.value);
      const v = item.value as YamlNode | null;
      const start = v?.range?.[0] ?? (item.key as YamlNode).range?.[0] ?? 0;
      const block = isScalar(v) && (v.type === 'BLOCK_LITERAL' || v.type === 'BLOCK_FOLDED');
      const at = pos(start, `/${index}/data/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`);
      values.set(key, { text: isScalar(v) ? String(v.value ?? '') : '', at, firstLine: block ? at.line + 1 : at.line });
    }
    const at = pos((doc.contents as YamlNode | null)?.range?.[0] ?? 0, `/${index}`);
    if (name === 'argocd-cm' || (name === undefined && values.has('oidc.config'))) cm = { data: values, at };
    else if (name === 'argocd-rbac-cm' || (name === undefined && values.has('policy.csv'))) rbac = { data: values, at };
    else
      notes.push(note('import/ignored', `The ConfigMap ${String(name)} is neither argocd-cm nor argocd-rbac-cm.`, at));
  }
  if (!cm && !rbac)
    return fail('No argocd-cm or argocd-rbac-cm ConfigMap (with data) in the file.', { file, line: 1, column: 1 });

  // oidc.config: the issuer.
  let issuer = 'https://issuer.invalid';
  const oidc = cm?.data.get('oidc.config');
  if (oidc) {
    let parsed: unknown = null;
    try {
      parsed = parseYaml(oidc.text);
    } catch {
      parsed = null;
    }
    const o = (parsed ?? {}) as Record<string, unknown>;
    if (typeof o.issuer === 'string') issuer = o.issuer;
    else
      notes.push(
        note('import/no-idp', 'oidc.config has no issuer: the mapping names https://issuer.invalid.', oidc.at),
      );
    const known = new Set([
      'issuer',
      'requestedScopes',
      'requestedIDTokenClaims',
      'clientID',
      'clientSecret',
      'name',
      'cliClientID',
      'logoutURL',
      'rootCA',
      'enablePKCEAuthentication',
      'allowedAudiences',
      'skipAudienceCheckWhenTokenHasNoAudience',
      'enableUserInfoGroups',
      'userInfoPath',
      'userInfoCacheExpiration',
      'domainHint',
      'refreshTokenThreshold',
    ]);
    const client = Object.keys(o).filter((k) => known.has(k) && k !== 'issuer');
    if (client.length > 0)
      notes.push(
        note('import/ignored', `oidc.config ${client.join(', ')} configure the OIDC client, not the mapping.`, oidc.at),
      );
    for (const k of Object.keys(o).filter((k) => !known.has(k))) {
      notes.push(
        note('import/unknown-construct', `oidc.config key ${k} is not one the import knows.`, oidc.at, {
          severity: 'warning',
        }),
      );
    }
  } else if (cm?.data.has('dex.config')) {
    const dex = cm.data.get('dex.config') as Value;
    const url = cm.data.get('url')?.text ?? '';
    issuer = url !== '' ? `${url.replace(/\/$/, '')}/api/dex` : issuer;
    notes.push(
      note(
        'import/untranslated',
        `dex.config: the IdP is Argo CD's bundled Dex (issuer ${issuer}); its connectors decide the groups and are not imported.`,
        dex.at,
        { severity: 'warning' },
      ),
    );
  } else {
    notes.push(
      note(
        'import/no-idp',
        'No oidc.config (argocd-cm): the mapping names https://issuer.invalid; pass argocd-cm in the same file.',
        cm?.at ?? { file, line: 1, column: 1 },
      ),
    );
  }

  // scopes: which claims are subjects.
  const scopesValue = rbac?.data.get('scopes');
  let scopes = ['groups'];
  if (scopesValue) {
    scopes = scopesValue.text
      .replace(/^\s*\[|\]\s*$/g, '')
      .split(',')
      .map((s) => s.trim().replace(/^["']|["']$/g, ''))
      .filter((s) => s !== '');
  }
  const matchMode = rbac?.data.get('policy.matchMode');
  if (matchMode) {
    notes.push(
      note(
        'import/ignored',
        `policy.matchMode ${matchMode.text}: applies to the resources and objects of p lines (permissions); group and user subjects are matched exactly in either mode.`,
        matchMode.at,
      ),
    );
  }

  // policy.csv and overlays.
  const bindings: Binding[] = [];
  const inherits: Binding[] = [];
  const permissionsBySubject = new Map<string, { actions: Set<string>; at: SourceLocation }>();
  const policyKeys = [...(rbac?.data.keys() ?? [])].filter((k) => k === 'policy.csv' || /^policy\..+\.csv$/.test(k));
  for (const key of policyKeys) {
    const v = rbac?.data.get(key) as Value;
    v.text.split('\n').forEach((raw, n) => {
      const line = raw.trim();
      if (line === '' || line.startsWith('#')) return;
      const at: SourceLocation = { file, line: v.firstLine + n, column: raw.length - raw.trimStart().length + 1 };
      const f = csvFields(line);
      if (f[0] === 'g' && f.length >= 3) {
        const [subject, role] = [f[1] as string, f[2] as string];
        (subject.startsWith('role:') ? inherits : bindings).push({ subject, role, at });
      } else if (f[0] === 'p' && f.length >= 5) {
        const [subject, resource, action, object, effect = 'allow'] = f.slice(1) as string[];
        const entry = permissionsBySubject.get(subject as string) ?? { actions: new Set(), at };
        if (effect !== 'deny') entry.actions.add(action as string);
        permissionsBySubject.set(subject as string, entry);
        if ((subject as string).startsWith('role:')) {
          notes.push(
            note(
              'import/ignored',
              `p line: ${effect} ${action} on ${resource} ${object} for ${subject}: a permission, kept in Argo CD (claimmap maps claims to roles, not permissions).`,
              at,
            ),
          );
        } else {
          notes.push(
            note(
              'import/untranslated',
              `p line gives ${subject} (a user or group, not a role) ${effect} ${action} on ${resource} ${object} directly: claimmap grants roles, so this access is not in the mapping.`,
              at,
              {
                hint: `Give ${subject} a role (g, ${subject}, role:...) and move the p line to that role.`,
                severity: 'warning',
              },
            ),
          );
        }
      } else {
        notes.push(note('import/unknown-construct', `Not a policy line Argo CD reads: ${line}`, at));
      }
    });
  }

  // Roles: inheritance closure; privileged = role:admin and every role that inherits it or may change something.
  const closure = (role: string): string[] => {
    const seen = new Set([role]);
    const stack = [role];
    while (stack.length > 0) {
      const r = stack.pop() as string;
      for (const e of inherits) {
        if (e.subject === r && !seen.has(e.role)) {
          seen.add(e.role);
          stack.push(e.role);
        }
      }
    }
    return [...seen];
  };
  const writes = (r: string): boolean =>
    r === 'role:admin' || [...(permissionsBySubject.get(r)?.actions ?? [])].some((a) => a !== 'get');
  const defaultValue = rbac?.data.get('policy.default');
  const defaultRole = defaultValue && defaultValue.text.trim() !== '' ? defaultValue.text.trim() : null;
  const allRoles = new Set<string>([...bindings.map((b) => b.role), ...(defaultRole ? [defaultRole] : [])]);
  for (const r of [...allRoles]) for (const c of closure(r)) allRoles.add(c);
  const privileged = [...allRoles].filter((r) => closure(r).some(writes)).sort();

  // Subjects → conditions.
  const claims = new ClaimTable();
  const subjectCond = (subject: string, at: SourceLocation): Cond => {
    const alts: Cond[] = [];
    for (const s of scopes) {
      if (s === 'groups' || s.endsWith('groups'))
        alts.push({ t: 'in', value: subject, claim: claims.use([s], 'set<string>', { required: false }) });
      else if (s !== 'email' || subject.includes('@')) {
        // An email claim only ever holds addresses: a group name cannot match it.
        alts.push({
          t: 'cmp',
          op: '==',
          value: subject,
          claim: claims.use([s], s === 'email' ? 'email' : 'string', { required: false }),
        });
      }
    }
    // A subject that looks like a user id (Casbin also matches the login's sub): compare sub too.
    if (/^[0-9a-fA-F-]{16,}$|^\d+$/.test(subject)) {
      alts.push({ t: 'cmp', op: '==', value: subject, claim: claims.use(['sub'], 'string', { required: false }) });
    }
    void at;
    return or(...alts);
  };
  const emailScope = scopes.find((s) => s === 'email');
  if (emailScope && scopesValue) {
    notes.push(
      note(
        'import/keyed-on-email',
        'scopes lists email: a g line naming an address gives its role to whoever holds that email at the IdP. The mapping matches it the same way (on a user-editable claim, marked unsafe) and keys accounts on sub.',
        scopesValue.at,
        { hint: 'Bind groups, not addresses.' },
      ),
    );
  }
  const ruleLines: string[] = [];
  if (defaultRole) {
    ruleLines.push(
      `    grant ${roleName(defaultRole)}  // policy.default, line ${(defaultValue as Value).at.line}: every authenticated user`,
    );
    notes.push(
      note(
        'import/hardcoded',
        `policy.default gives ${defaultRole} to every user who logs in (Argo CD: "this access cannot be blocked by a deny rule"): translated as an unconditional grant.`,
        (defaultValue as Value).at,
        { severity: privileged.includes(defaultRole) ? 'error' : 'warning' },
      ),
    );
  }
  // Group the bindings by role; each role (and what it inherits) is granted when any of its subjects matches.
  const byRole = new Map<string, Binding[]>();
  for (const b of bindings) for (const r of closure(b.role)) byRole.set(r, [...(byRole.get(r) ?? []), b]);
  for (const [role, bs] of [...byRole].sort((a, b) => a[0].localeCompare(b[0]))) {
    if (role === defaultRole) continue;
    const cond = or(...bs.map((b) => subjectCond(b.subject, b.at)));
    const groupClaims = new Set(scopes.filter((s) => s.endsWith('groups')));
    const editable = (c: Cond): boolean =>
      c.t === 'or' ? c.operands.some(editable) : c.t === 'cmp' && !groupClaims.has(c.claim);
    const unsafe = privileged.includes(role) && editable(cond);
    const lines = [...new Set(bs.map((b) => b.at.line))].join(', ');
    const inherited = bs.some((b) => b.role !== role) ? ' (inherited)' : '';
    ruleLines.push(
      `    grant ${roleName(role)} when ${printCond(cond)}${unsafe ? ` unsafe ${quote('imported from Argo CD: matched on a user-editable claim (argocd-rbac-cm scopes)')}` : ''}  // policy.csv lines ${lines}${inherited}`,
    );
  }
  for (const e of inherits) {
    notes.push(
      note(
        'import/hardcoded',
        `g line: ${e.subject} inherits ${e.role}; every grant of ${e.subject} also grants ${e.role}.`,
        e.at,
      ),
    );
  }
  if (rbac === null)
    notes.push(
      note(
        'import/no-idp',
        'No argocd-rbac-cm: no role is imported.',
        { file, line: 1, column: 1 },
        { severity: 'warning' },
      ),
    );

  const out: string[] = [];
  out.push(oneLine(`// Imported by claimmap import argocd from ${file}.`));
  out.push(`mapping ${quote('argocd')} {`);
  out.push(`  idp oidc ${quote(issuer)}`);
  out.push('  key sub  // Argo CD identifies an SSO user by sub');
  out.push('');
  if (claims.declarations.length > 0) out.push(...claims.print('  '), '');
  if (ruleLines.length > 0) {
    out.push('  roles replace {');
    if (privileged.length > 0) out.push(`    privileged ${privileged.map(roleName).join(', ')}`);
    out.push(...ruleLines, '  }');
  }
  out.push('}');

  const decide = (c: { [name: string]: JsonValue }): OriginalDecision => {
    const sub = typeof c.sub === 'string' ? c.sub : null;
    // Argo CD is an OpenID Connect relying party of oidc.config's issuer (or of its bundled Dex): OpenID Connect
    // Core 1.0, 3.1.3.7 "ID Token Validation", step 2: "The Issuer Identifier for the OpenID Provider ... MUST
    // exactly match the value of the iss (issuer) Claim" (https://openid.net/specs/openid-connect-core-1_0.html).
    if (c.iss !== issuer)
      return { refused: true, reason: 'iss is not the issuer of oidc.config', key: sub, keySource: 'sub', roles: [] };
    const subjects = new Set<string>();
    if (sub) subjects.add(sub);
    for (const s of scopes) {
      const v = c[s];
      if (typeof v === 'string') subjects.add(v);
      else if (Array.isArray(v)) for (const x of v) if (typeof x === 'string') subjects.add(x);
    }
    const roles = new Set<string>();
    if (defaultRole) for (const r of closure(defaultRole)) roles.add(r);
    for (const b of bindings) if (subjects.has(b.subject)) for (const r of closure(b.role)) roles.add(r);
    return { refused: false, key: sub, keySource: 'sub', roles: [...roles].sort() };
  };
  const emitted = verifyMapping(`${out.join('\n')}\n`, { file: options.file });
  return {
    kind: 'argocd',
    source: emitted.source,
    notes: [...notes, ...emitted.notes],
    semantics: { engine: 'Argo CD RBAC rules (Casbin exact subject match, role inheritance, policy.default)', decide },
  };
}
