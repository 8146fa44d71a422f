/**
 * The emitter every importer shares: a structured description of the mapping (idp, key, gates, claims, profile,
 * roles, accounts, each construct with the places in the source it came from) → claimmap source text, formatted by
 * the canonical formatter and checked by the linter. An import whose output does not lint is a bug of the importer:
 * it is reported as an `import/internal` error note, never handed over silently. Lint warnings are repeated as
 * `import/lint-warning` notes.
 */
import { compile } from '../compile/compile.js';
import type { Plan } from '../model/plan.js';
import { formatSource } from '../syntax/format.js';
import { RESERVED_WORDS } from '../syntax/tokens.js';
import { where } from './locate.js';
import { note } from './notes.js';
import type { ImportNote, SourceLocation } from './types.js';

/** Where a construct came from: a location in the source and what is there (`mapper "admins" (oidc-role-idp-mapper)`). */
export interface Origin {
  at: SourceLocation;
  what: string;
}

/** A condition, as claimmap source text; build it with {@link inSet}, {@link eq}, {@link anyMatches}, {@link and}, ... */
export type Cond = string;

/** One claim declaration. */
export interface ClaimSpec {
  name: string;
  /** `string`, `set<string>`, `bool`, `email`, ... */
  type: string;
  /** The source path: one string per object key (OIDC), or the attribute name (SAML). */
  source: readonly string[];
  presence: 'required' | 'optional';
  absentEmpty?: boolean;
  normalize?: readonly string[];
  trusted?: string;
  from?: readonly Origin[];
}

/** One `grant` or `deny` of a role. */
export interface RuleSpec {
  kind: 'grant' | 'deny';
  role: string;
  when?: Cond;
  unsafe?: string;
  from?: readonly Origin[];
  /** Extra comment lines written above the rule. */
  comment?: readonly string[];
}

/** One profile field. */
export interface ProfileSpec {
  field: string;
  /** A claimmap expression (`email`, `given + " " + family`). */
  expr: string;
  sync: 'always' | 'create' | 'fill';
  clear?: boolean;
  from?: readonly Origin[];
}

/** A whole mapping, as an importer describes it. */
export interface MappingSpec {
  name: string;
  /** Comment lines at the top of the file (what was imported, from where). */
  header?: readonly string[];
  idp: { protocol: 'oidc' | 'saml'; issuer: string; aliases?: readonly string[]; from?: readonly Origin[] };
  /** `sub`, `nameid persistent` or `claim tid, oid`. */
  key: { form: string; unsafe?: string; from?: readonly Origin[]; comment?: readonly string[] };
  require?: readonly { when: Cond; from?: readonly Origin[]; comment?: readonly string[] }[];
  claims: readonly ClaimSpec[];
  profile?: readonly ProfileSpec[];
  roles?: {
    mode: 'replace' | 'add';
    privileged?: readonly string[];
    rules: readonly RuleSpec[];
    comment?: readonly string[];
  };
  accounts?: { emailConflict: 'reject' | 'link_verified'; from?: readonly Origin[]; comment?: readonly string[] };
}

/** What {@link emitMapping} returns. */
export interface Emitted {
  /** The formatted source (the unformatted text when formatting failed: then `notes` has an `import/internal`). */
  source: string;
  /** The compiled plan, or null when the source does not compile. */
  plan: Plan | null;
  notes: ImportNote[];
}

/** A claimmap string literal. */
export function q(s: string): string {
  return JSON.stringify(s)
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

/** A claimmap regex literal of an RE2 `source` (each unescaped `/` is escaped). */
export function re(source: string, flags = ''): string {
  let out = '';
  for (let i = 0; i < source.length; i++) {
    const c = source[i] as string;
    if (c === '\\' && i + 1 < source.length) {
      out += c + source[i + 1];
      i++;
    } else out += c === '/' ? '\\/' : c;
  }
  return `/${out}/${flags}`;
}

const IDENT = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/** A role name as written in a rule: bare when it is an identifier, quoted otherwise. */
export function roleName(r: string): string {
  return IDENT.test(r) && !RESERVED_WORDS.has(r) ? r : q(r);
}

/** `"x" in claim`. */
export const inSet = (value: string, claim: string): Cond => `${q(value)} in ${claim}`;
/** `claim == "x"`. */
export const eq = (claim: string, value: string | boolean): Cond =>
  `${claim} == ${typeof value === 'string' ? q(value) : String(value)}`;
/** `claim in ["a", "b"]`. */
export const oneOf = (claim: string, values: readonly string[]): Cond => `${claim} in [${values.map(q).join(', ')}]`;
/** `any claim matches /re/` (or `claim matches /re/` for a single-valued claim). */
export const anyMatches = (claim: string, source: string, multi = true): Cond =>
  `${multi ? 'any ' : ''}${claim} matches ${re(source)}`;
/** `a and b` (each part parenthesised; the formatter drops what is not needed). */
export const and = (...cs: readonly Cond[]): Cond =>
  cs.length === 1 ? (cs[0] as Cond) : cs.map((c) => `(${c})`).join(' and ');
/** `a or b`. */
export const or = (...cs: readonly Cond[]): Cond =>
  cs.length === 1 ? (cs[0] as Cond) : cs.map((c) => `(${c})`).join(' or ');
/** `not c`. */
export const not = (c: Cond): Cond => `not (${c})`;

/**
 * Names for claims, one per distinct (source, type, normalisation): `realm_access.roles` → `realm_access_roles`.
 * Names are identifiers, never reserved words, and unique.
 */
export class ClaimTable {
  readonly specs: ClaimSpec[] = [];
  private readonly byKey = new Map<string, string>();

  /**
   * Declares the claim (once) and returns its name. A later declaration of the same (source, type, normalisation,
   * absent empty) adds its origins, and nothing it asks for is dropped: `required` wins over `optional` (the source
   * refuses a login without the claim for one of its uses), and a `trusted` reason is kept.
   */
  add(spec: Omit<ClaimSpec, 'name'> & { name?: string }): string {
    const key = JSON.stringify([spec.source, spec.type, spec.normalize ?? [], spec.absentEmpty ?? false]);
    const known = this.byKey.get(key);
    if (known !== undefined) {
      const i = this.specs.findIndex((s) => s.name === known);
      const existing = this.specs[i] as ClaimSpec;
      this.specs[i] = {
        ...existing,
        ...(spec.presence === 'required' ? { presence: 'required' } : {}),
        ...(existing.trusted === undefined && spec.trusted !== undefined ? { trusted: spec.trusted } : {}),
        ...(spec.from ? { from: [...(existing.from ?? []), ...spec.from] } : {}),
      };
      return known;
    }
    const base = spec.name ?? claimName(spec.source);
    let name = base;
    for (let i = 2; this.specs.some((s) => s.name === name); i++) name = `${base}_${i}`;
    this.byKey.set(key, name);
    this.specs.push({ ...spec, name });
    return name;
  }
}

/** An identifier for a claim read from `source`: the path's keys joined by `_`, other characters replaced. */
export function claimName(source: readonly string[]): string {
  const last = source.length === 1 ? (source[0] as string).replace(/^.*[/:#]/, '') : source.join('_');
  let n = last.replace(/[^A-Za-z0-9_-]+/g, '_').replace(/^[^A-Za-z]+/, '');
  if (n === '' || n === '_') n = 'claim';
  if (RESERVED_WORDS.has(n)) n = `${n}_claim`;
  return n.slice(0, 64);
}

/**
 * Text for a `//` comment of generated source: line breaks become spaces, so text from the imported file (a file
 * name, a rule's message, a claim name) can never end the comment and be read as mapping source.
 */
export const oneLine = (text: string): string => text.replace(/[\r\n]+/g, ' ');

const fromLines = (from: readonly Origin[] | undefined): string[] =>
  (from ?? []).map((o) => oneLine(`// from: ${where(o.at)} ${o.what}`));
const commentLines = (c: readonly string[] | undefined): string[] => (c ?? []).map((l) => oneLine(`// ${l}`).trimEnd());

/** The unformatted source text of a mapping spec. */
export function mappingText(spec: MappingSpec): string {
  const out: string[] = [...commentLines(spec.header)];
  out.push(`mapping ${q(spec.name)} {`);
  out.push(...fromLines(spec.idp.from));
  out.push(
    `idp ${spec.idp.protocol} ${q(spec.idp.issuer)}${(spec.idp.aliases ?? []).map((a) => ` alias ${q(a)}`).join('')}`,
  );
  out.push(...commentLines(spec.key.comment), ...fromLines(spec.key.from));
  out.push(`key ${spec.key.form}${spec.key.unsafe !== undefined ? ` unsafe ${q(spec.key.unsafe)}` : ''}`);
  for (const r of spec.require ?? []) {
    out.push(...commentLines(r.comment), ...fromLines(r.from), `require ${r.when}`);
  }
  if (spec.claims.length) {
    out.push('claims {');
    for (const c of spec.claims) {
      out.push(...fromLines(c.from));
      const parts = [`${c.name} : ${c.type} from ${c.source.map(q).join('.')} ${c.presence}`];
      if (c.absentEmpty) parts.push('absent empty');
      if (c.normalize?.length) parts.push(`normalize ${c.normalize.join(', ')}`);
      if (c.trusted !== undefined) parts.push(`trusted ${q(c.trusted)}`);
      out.push(parts.join(' '));
    }
    out.push('}');
  }
  if (spec.profile?.length) {
    out.push('profile {');
    for (const p of spec.profile) {
      out.push(...fromLines(p.from), `${p.field} = ${p.expr} sync ${p.sync}${p.clear ? ' clear' : ''}`);
    }
    out.push('}');
  }
  if (spec.roles) {
    out.push(...commentLines(spec.roles.comment), `roles ${spec.roles.mode} {`);
    if (spec.roles.privileged?.length) out.push(`privileged ${spec.roles.privileged.map(roleName).join(', ')}`);
    for (const r of spec.roles.rules) {
      out.push(...commentLines(r.comment), ...fromLines(r.from));
      out.push(
        `${r.kind} ${roleName(r.role)}${r.when !== undefined ? ` when ${r.when}` : ''}${r.unsafe !== undefined ? ` unsafe ${q(r.unsafe)}` : ''}`,
      );
    }
    out.push('}');
  }
  if (spec.accounts) {
    out.push(...commentLines(spec.accounts.comment), ...fromLines(spec.accounts.from));
    out.push('accounts {', `on email_conflict ${spec.accounts.emailConflict}`, '}');
  }
  out.push('}');
  return `${out.join('\n')}\n`;
}

/**
 * Writes, formats, lints and compiles a mapping spec. `file` names the output in notes (`<kind>.claimmap`); notes
 * about the generated text point at `origin` (the imported file).
 *
 * @example
 * ```ts
 * const { source, plan, notes } = emitMapping(spec, { file: 'realm.json' });
 * ```
 */
export function emitMapping(spec: MappingSpec, options: { file: string }): Emitted {
  return verifyMapping(mappingText(spec), options);
}

/**
 * Formats, lints and compiles mapping text an importer wrote itself (the Grafana, Argo CD and Kubernetes importers
 * build their text with condition.ts, as their mappings need entitlements, which {@link MappingSpec} has not): the
 * last step of {@link emitMapping}. A mapping that does not parse or lint is an `import/internal` note on `file`,
 * a lint warning an `import/lint-warning` note.
 *
 * @example
 * ```ts
 * const { source, notes } = verifyMapping('mapping "x" {\n  idp oidc "https://a"\n  key sub\n}\n', { file: 'x.yaml' });
 * ```
 */
export function verifyMapping(raw: string, options: { file: string }): Emitted {
  const at: SourceLocation = { file: options.file, line: 0, column: 0 };
  const formatted = formatSource(raw, { filename: 'imported.claimmap' });
  if (formatted.text === null) {
    return {
      source: raw,
      plan: null,
      notes: formatted.diagnostics.map((d) =>
        note(
          'import/internal',
          `the generated mapping does not parse (line ${d.range.start.line}): ${d.code}: ${d.message}`,
          at,
        ),
      ),
    };
  }
  const source = formatted.text;
  const { plan, diagnostics } = compile(source, { filename: 'imported.claimmap' });
  const notes: ImportNote[] = [];
  for (const d of diagnostics) {
    const text = `generated line ${d.range.start.line}: ${d.code}: ${d.message}`;
    if (d.severity === 'error') notes.push(note('import/internal', `the generated mapping does not lint: ${text}`, at));
    else if (d.severity === 'warning') notes.push(note('import/lint-warning', text, at));
  }
  return { source, plan, notes };
}
