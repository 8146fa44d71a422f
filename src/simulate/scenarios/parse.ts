/**
 * Parsing a scenario file: YAML → JSON data → schema validation (ajv) → {@link ScenarioFile}. Pure: reads no files
 * (samples are read by `loadScenarioFile`). Never throws on the text: every problem is a Diagnostic at file:line:col.
 */
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import type { Document } from 'yaml';
import type { ClaimSet, JsonValue } from '../../model/claim-set.js';
import { toJsonData } from '../../json/strict-json.js';
import { validateClaimSet } from '../../compile/validate-claimset.js';
import { didYouMean } from '../../check/suggest.js';
import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import { LineCounter } from '../../diagnostics/line-counter.js';
import { DiagnosticSink, type OffsetSpan } from '../../diagnostics/make.js';
import { DEFAULT_MAX_DIAGNOSTICS, sortDiagnostics } from '../../diagnostics/sort.js';
import scenariosSchema from '../../schemas/scenarios.schema.json' with { type: 'json' };
import type { ScenarioCode } from './codes.js';
import type { AccountSeed, CaseInput, Expectation, GrantSeed, ScenarioCase, ScenarioFile } from './types.js';
import { readYamlData } from '../yaml-data.js';
import { locate, pointerSegments } from './yaml-locate.js';
import { defined } from '../../model/invariant.js';

/**
 * Limits of {@link parseScenarios}; each has a documented default and a coded diagnostic when exceeded.
 *
 * @example
 * ```ts
 * const options: ParseScenariosOptions = { filename: 'acme.scenarios.yaml', maxCases: 100 };
 * const { file } = parseScenarios(yamlText, options);
 * ```
 */
export interface ParseScenariosOptions {
  /** The file name used in diagnostics. Default `scenarios.yaml`. */
  filename?: string;
  /** Largest file, in UTF-16 code units. Default 1 MiB (`scenario/too-large`). */
  maxBytes?: number;
  /** Most cases in one file. Default 1000 (`scenario/too-many-cases`). */
  maxCases?: number;
  /** Most alias dereferences (yaml's billion-laughs guard). Default 100 (`scenario/yaml`). */
  maxAliasCount?: number;
  /** Deepest nesting of maps and lists. Default 64 (`scenario/schema`). */
  maxDepth?: number;
  /** Most diagnostics reported. Default 100. */
  maxDiagnostics?: number;
}

/**
 * Default limits of {@link parseScenarios}.
 *
 * @example
 * ```ts
 * const { file } = parseScenarios(yamlText, { maxCases: SCENARIO_LIMITS.maxCases * 2 });
 * ```
 */
export const SCENARIO_LIMITS = Object.freeze({
  maxBytes: 1024 * 1024,
  maxCases: 1000,
  maxAliasCount: 100,
  maxDepth: 64,
  maxDiagnostics: DEFAULT_MAX_DIAGNOSTICS,
});

/**
 * The result of {@link parseScenarios}: the file when there is no error, and every diagnostic found.
 *
 * @example
 * ```ts
 * const { file, diagnostics }: ParseScenariosResult = parseScenarios(yamlText, { filename: 'acme.scenarios.yaml' });
 * ```
 */
export interface ParseScenariosResult {
  file: ScenarioFile | null;
  diagnostics: Diagnostic<ScenarioCode>[];
}

let validator: ValidateFunction | undefined;

/**
 * Parses and validates a scenario file. On any error `file` is null.
 *
 * @example
 * ```ts
 * const { file, diagnostics } = parseScenarios(readFileSync('acme.scenarios.yaml', 'utf8'), { filename: 'acme.scenarios.yaml' });
 * if (!file) process.stderr.write(renderTextReport(diagnostics));
 * ```
 */
export function parseScenarios(text: string, options: ParseScenariosOptions = {}): ParseScenariosResult {
  const filename = options.filename ?? 'scenarios.yaml';
  const limits: Record<keyof typeof SCENARIO_LIMITS, number> = { ...SCENARIO_LIMITS, ...definedOnly(options) };
  const lines = new LineCounter(text);
  const sink = new DiagnosticSink<ScenarioCode>(filename, lines);
  const error = (code: ScenarioCode, message: string, span: OffsetSpan, hint?: string) =>
    sink.error(code, message, span, hint ? { hint } : {});
  const done = (file: ScenarioFile | null): ParseScenariosResult => {
    let ds = sortDiagnostics(sink.diagnostics);
    if (ds.length > limits.maxDiagnostics) ds = ds.slice(0, limits.maxDiagnostics);
    return { file: sink.hasErrors ? null : file, diagnostics: ds };
  };

  if (text.length > limits.maxBytes) {
    error(
      'scenario/too-large',
      `The file is larger than ${limits.maxBytes} bytes.`,
      { start: 0, end: 0 },
      'raise maxBytes or split the file',
    );
    return done(null);
  }

  const yaml = readYamlData(text, { maxAliasCount: limits.maxAliasCount });
  if (!yaml.ok) {
    for (const p of yaml.problems) error('scenario/yaml', p.message, { start: p.start, end: p.end });
    return done(null);
  }
  const doc = defined(yaml.documents[0]);
  const data = yaml.values[0];
  const copied = toJsonData(data, { maxDepth: limits.maxDepth });
  if (!copied.ok) {
    error('scenario/schema', copied.problem.message, locate(doc, copied.problem.path));
    return done(null);
  }
  const value = copied.value;

  validator ??= new Ajv({ allErrors: true, strict: true, strictRequired: false, verbose: true }).compile(
    scenariosSchema,
  );
  if (!validator(value)) {
    for (const d of schemaProblems(validator.errors ?? [], value)) {
      error('scenario/schema', d.message, locate(doc, d.path, d.property), d.hint);
    }
    return done(null);
  }

  const root = value as Record<string, JsonValue>;
  const rawCases = root.cases as Record<string, JsonValue>[];
  if (rawCases.length > limits.maxCases) {
    error(
      'scenario/too-many-cases',
      `The file has ${rawCases.length} cases; the limit is ${limits.maxCases}.`,
      locate(doc, '/cases'),
    );
    return done(null);
  }

  const seen = new Map<string, number>();
  const cases: ScenarioCase[] = rawCases.map((c, i) => {
    const name = c.name as string;
    const first = seen.get(name);
    if (first !== undefined) {
      sink.error(
        'scenario/duplicate-name',
        `Another case is already named "${name}".`,
        locate(doc, `/cases/${i}/name`),
        {
          related: [{ span: locate(doc, `/cases/${first}/name`), message: 'the first case with this name' }],
        },
      );
    } else seen.set(name, i);
    const input = caseInput(c, i, doc, lines, error);
    const sc: ScenarioCase = {
      name,
      input,
      others: Array.isArray(c.others) ? c.others.map((o) => accountSeed(o as Record<string, JsonValue>)) : [],
      expect: expectation(c.expect as Record<string, JsonValue>),
      range: lines.range(locate(doc, `/cases/${i}`).start, locate(doc, `/cases/${i}/name`).end),
    };
    if (c.existing !== undefined) sc.existing = accountSeed(c.existing as Record<string, JsonValue>);
    if (typeof c.now === 'string') sc.now = c.now;
    return sc;
  });

  const file: ScenarioFile = { file: filename, cases };
  if (typeof root.mapping === 'string') file.mapping = root.mapping;
  if (typeof root.now === 'string') file.now = root.now;
  return done(file);
}

function definedOnly(o: ParseScenariosOptions): Partial<Record<keyof typeof SCENARIO_LIMITS, number>> {
  const out: Partial<Record<keyof typeof SCENARIO_LIMITS, number>> = {};
  for (const k of Object.keys(SCENARIO_LIMITS) as (keyof typeof SCENARIO_LIMITS)[]) {
    const v = o[k];
    if (v === undefined) continue;
    if (!Number.isSafeInteger(v) || v < 0) throw new TypeError(`parseScenarios: ${k} must be a non-negative integer`);
    out[k] = v;
  }
  return out;
}

function caseInput(
  c: Record<string, JsonValue>,
  i: number,
  doc: Document,
  lines: LineCounter,
  error: (code: ScenarioCode, message: string, span: OffsetSpan, hint?: string) => void,
): CaseInput {
  if (typeof c.sample === 'string') {
    const span = locate(doc, `/cases/${i}/sample`);
    return { kind: 'sample', path: c.sample, range: lines.range(span.start, span.end) };
  }
  const claims = c.claims as Record<string, JsonValue>;
  if (typeof claims.protocol === 'string') {
    const r = validateClaimSet({ verified: false, ...claims });
    if (!r.ok) {
      for (const e of r.errors)
        error('scenario/claims-invalid', `claims${e.path}: ${e.message}`, locate(doc, `/cases/${i}/claims${e.path}`));
      // A placeholder; the file is rejected because of the error above.
      return { kind: 'claim-set', claimSet: claims as unknown as ClaimSet };
    }
    return { kind: 'claim-set', claimSet: r.value };
  }
  const input: CaseInput = {
    kind: 'shorthand',
    subject: claims.subject as string,
    attributes: (claims.attributes as Record<string, JsonValue> | undefined) ?? {},
  };
  if (typeof claims.format === 'string') input.format = claims.format;
  if (typeof claims.issuer === 'string') input.issuer = claims.issuer;
  if (typeof claims.issued_at === 'string') input.issuedAt = claims.issued_at;
  if (Array.isArray(claims.indeterminate)) input.indeterminate = claims.indeterminate as string[];
  if (typeof claims.verified === 'boolean') input.verified = claims.verified;
  return input;
}

function grantSeed(g: JsonValue): GrantSeed {
  if (typeof g === 'string') return { name: g, source: 'mapping' };
  const o = g as Record<string, JsonValue>;
  const seed: GrantSeed = { name: o.name as string, source: o.source === 'manual' ? 'manual' : 'mapping' };
  if (Array.isArray(o.rules)) seed.rules = o.rules as string[];
  if (typeof o.mapping_digest === 'string') seed.mappingDigest = o.mapping_digest;
  if (o.mapping_version !== undefined) seed.mappingVersion = o.mapping_version as string | null;
  return seed;
}

function accountSeed(a: Record<string, JsonValue>): AccountSeed {
  const seed: AccountSeed = {
    status: (a.status as AccountSeed['status'] | undefined) ?? 'active',
    profile: (a.profile as Record<string, JsonValue> | undefined) ?? {},
    roles: ((a.roles as JsonValue[] | undefined) ?? []).map(grantSeed),
    entitlements: ((a.entitlements as JsonValue[] | undefined) ?? []).map(grantSeed),
  };
  if (typeof a.subject === 'string') seed.subject = a.subject;
  if (typeof a.last_issued_at === 'string') seed.lastIssuedAt = a.last_issued_at;
  return seed;
}

function expectation(e: Record<string, JsonValue>): Expectation {
  const out: Expectation = { action: e.action as Expectation['action'] };
  const names = (k: string) => (Array.isArray(e[k]) ? (e[k] as string[]) : undefined);
  if (typeof e.refusal === 'string') out.refusal = e.refusal;
  const sets: [keyof Expectation, string][] = [
    ['roles', 'roles'],
    ['rolesInclude', 'roles_include'],
    ['rolesExclude', 'roles_exclude'],
    ['entitlements', 'entitlements'],
    ['entitlementsInclude', 'entitlements_include'],
    ['entitlementsExclude', 'entitlements_exclude'],
  ];
  for (const [key, yamlKey] of sets) {
    const v = names(yamlKey);
    if (v) (out as unknown as Record<string, string[]>)[key] = v;
  }
  if (e.profile !== undefined) out.profile = e.profile as Record<string, JsonValue>;
  return out;
}

interface SchemaProblem {
  path: string;
  property?: string;
  message: string;
  hint?: string;
}

/**
 * A JSON pointer as a readable path.
 *
 * @example
 * ```ts
 * readablePath('/cases/0/expect/action') // 'cases[0].expect.action'
 * ```
 */
export function readablePath(pointer: string): string {
  let out = '';
  for (const s of pointerSegments(pointer)) {
    out += /^\d+$/.test(s) ? `[${s}]` : out === '' ? s : `.${s}`;
  }
  return out || 'the file';
}

function valueAt(root: JsonValue, pointer: string): JsonValue | undefined {
  let v: JsonValue | undefined = root;
  for (const s of pointerSegments(pointer)) {
    if (Array.isArray(v)) v = v[Number(s)];
    else if (v !== null && typeof v === 'object') v = Object.hasOwn(v, s) ? v[s] : undefined;
    else return undefined;
  }
  return v;
}

interface SchemaNode {
  properties?: Record<string, unknown>;
  oneOf?: unknown[];
  anyOf?: unknown[];
  definitions?: Record<string, SchemaNode>;
}
const SCHEMA = scenariosSchema as SchemaNode;
const CASE_BRANCHES = new Set(defined(defined(SCHEMA.definitions).case).oneOf);
const GRANT = defined(defined(SCHEMA.definitions).grant);

/**
 * Turns ajv errors (compiled with `verbose`, so each carries its `parentSchema`) into one problem per real mistake:
 * the branches of `oneOf` / `anyOf` / `if` are collapsed into the message that explains them, and unknown properties
 * point at their key with a did-you-mean hint.
 */
function schemaProblems(errors: ErrorObject[], root: JsonValue): SchemaProblem[] {
  const drop = new Set<ErrorObject>();
  const out: SchemaProblem[] = [];
  for (const e of errors) {
    if (e.keyword === 'if' || CASE_BRANCHES.has(e.parentSchema)) drop.add(e);
    if (e.keyword === 'anyOf' && e.parentSchema === GRANT) {
      const v = valueAt(root, e.instancePath);
      const isObject = v !== null && typeof v === 'object' && !Array.isArray(v);
      for (const s of errors) {
        if (s.instancePath !== e.instancePath || !defined(GRANT.anyOf).includes(s.parentSchema)) continue;
        if (!isObject || s.parentSchema === defined(GRANT.anyOf)[0]) drop.add(s);
      }
      if (isObject) drop.add(e);
    }
  }
  for (const e of errors) {
    if (drop.has(e)) continue;
    const where = readablePath(e.instancePath);
    const p = e.params as Record<string, unknown>;
    switch (e.keyword) {
      case 'additionalProperties': {
        const prop = String(p.additionalProperty);
        const known = Object.keys((e.parentSchema as SchemaNode | undefined)?.properties ?? {});
        const problem: SchemaProblem = {
          path: e.instancePath,
          property: prop,
          message: `${where}: unknown property '${prop}'.`,
        };
        const near = didYouMean(prop, known);
        const hint = near ?? (known.length ? `allowed here: ${known.join(', ')}` : undefined);
        if (hint !== undefined) problem.hint = hint;
        out.push(problem);
        break;
      }
      case 'required':
        out.push({
          path: e.instancePath,
          message: `${where}: missing required property '${String(p.missingProperty)}'.`,
        });
        break;
      case 'enum':
        out.push({
          path: e.instancePath,
          message: `${where} must be one of ${(p.allowedValues as unknown[]).map((x) => String(x)).join(', ')}.`,
        });
        break;
      case 'oneOf':
        out.push(
          Array.isArray(p.passingSchemas)
            ? {
                path: e.instancePath,
                property: 'sample',
                message: `${where} has both 'claims' and 'sample'; give one.`,
              }
            : { path: e.instancePath, message: `${where} needs 'claims' or 'sample'.` },
        );
        break;
      case 'anyOf':
        out.push({ path: e.instancePath, message: `${where} must be a name or an object { name, source }.` });
        break;
      case 'pattern':
        out.push({
          path: e.instancePath,
          message: `${where} must be an ISO 8601 instant such as 2026-11-29T10:00:00Z.`,
        });
        break;
      case 'uniqueItems':
        out.push({ path: e.instancePath, message: `${where} lists a name twice.` });
        break;
      default:
        out.push({ path: e.instancePath, message: `${where} ${e.message ?? `fails ${e.keyword}`}.` });
    }
  }
  return out;
}
