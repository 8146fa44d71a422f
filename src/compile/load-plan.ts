/**
 * Loading a compiled plan from untrusted JSON: strict parsing, schema validation (src/schemas/plan.schema.json),
 * format check, digest verification, references and re-analysis of every regex, then the checker's safety
 * invariants (plan-safety.ts). Any failure is a {@link ClaimmapError} with a {@link PlanErrorCode}; the result is
 * deep-frozen. Loads ajv but never chevrotain.
 */
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { ClaimmapError, type ErrorPosition } from '../errors.js';
import { NAMEID_FORMATS } from '../model/claim-set.js';
import { type AnalyzeOptions, analyzeRegex, type RegexAnalysis } from '../regex/analyze.js';
import planSchema from '../schemas/plan.schema.json' with { type: 'json' };
import { planDigest } from './digest.js';
import type { PlanErrorCode } from './plan-errors.js';
import { checkSafety } from './plan-safety.js';
import {
  type ClaimPlan,
  type Cond,
  deepFreeze,
  type Expr,
  PLAN_FORMAT,
  type Plan,
  type RegexPlan,
} from '../model/plan.js';
import { type JsonProblem, jsonPointer, parseStrictJson, toJsonData } from '../json/strict-json.js';
import { LineCounter } from '../diagnostics/line-counter.js';
import { defined } from '../model/invariant.js';

/**
 * Limits and options of {@link loadPlan}.
 *
 * @example
 * ```ts
 * const options: LoadPlanOptions = { maxLength: 1_000_000 };
 * const plan = loadPlan(readFileSync('acme.plan.json', 'utf8'), options);
 * ```
 */
export interface LoadPlanOptions {
  /** Longest accepted JSON text, in UTF-16 code units. Default 4 MiB (4_194_304). */
  maxLength?: number;
  /** Deepest nesting of JSON arrays and objects. Default 256. */
  maxDepth?: number;
  /** Most schema errors listed in the error message. Default 10. */
  maxReportedErrors?: number;
  /** Limits applied when re-analysing each regex (see `analyzeRegex`). */
  regex?: AnalyzeOptions;
}

/** Default limits of {@link loadPlan}. */
export const LOAD_PLAN_LIMITS = Object.freeze({ maxLength: 4 * 1024 * 1024, maxDepth: 256, maxReportedErrors: 10 });

let validatePlan: ValidateFunction | undefined;

/** The ajv validator for plan.schema.json, compiled once on first use. */
function planValidator(): ValidateFunction {
  validatePlan ??= new Ajv({ allErrors: true, discriminator: true, strict: true, strictTypes: false }).compile(
    planSchema,
  );
  return validatePlan;
}

/** The JSON pointer of the node an ajv error is about (the bad tag or extra property itself, when there is one). */
function errorPath(e: ErrorObject): string {
  const child = (key: unknown): string => `${e.instancePath}${jsonPointer([String(key)])}`;
  if (e.keyword === 'discriminator') return child((e.params as { tag?: unknown }).tag);
  if (e.keyword === 'additionalProperties')
    return child((e.params as { additionalProperty?: unknown }).additionalProperty);
  return e.instancePath;
}

/** Summarises ajv errors: `"/path: message"` entries, capped. */
function summariseSchemaErrors(errors: readonly ErrorObject[], cap: number): string {
  const lines = errors.slice(0, cap).map((e) => {
    const where = errorPath(e) === '' ? '(root)' : errorPath(e);
    const extra =
      e.keyword === 'additionalProperties'
        ? ` '${String((e.params as { additionalProperty?: unknown }).additionalProperty)}'`
        : e.keyword === 'enum'
          ? ` (${((e.params as { allowedValues?: unknown[] }).allowedValues ?? []).map((v) => JSON.stringify(v)).join(', ')})`
          : '';
    return `${where}: ${e.message ?? e.keyword}${extra}`;
  });
  const more = errors.length > cap ? `; and ${errors.length - cap} more` : '';
  return lines.join('; ') + more;
}

function jsonError(problem: JsonProblem, text?: string): ClaimmapError<PlanErrorCode> {
  const position: ErrorPosition = { path: problem.path };
  if (problem.offset !== undefined) {
    position.offset = problem.offset;
    if (text !== undefined) Object.assign(position, new LineCounter(text).position(problem.offset));
  }
  const code: PlanErrorCode = problem.kind === 'too-deep' ? 'plan/limit-exceeded' : 'plan/invalid-json';
  return new ClaimmapError(code, `Invalid plan JSON: ${problem.message}`, { position });
}

/**
 * Re-verifies one regex of a plan: it parses, its groups and names are those recorded, and `engine: "native"` only
 * where the analyser proves V8 safe (a hand-edited plan could otherwise bring a ReDoS-prone pattern to V8).
 */
function checkRegex(regex: RegexPlan, path: string, limits: LoadPlanOptions['regex']): RegexAnalysis {
  const a = analyzeRegex(regex.source, regex.flags, limits);
  if (!a.ok) {
    const first = defined(a.issues[0]);
    throw new ClaimmapError('plan/invalid-regex', `Invalid regex /${regex.source}/: ${first.code}: ${first.message}`, {
      position: { path: `${path}/source`, offset: first.offset },
    });
  }
  if (
    a.groups !== regex.groups ||
    a.names.length !== regex.names.length ||
    a.names.some((n, i) => n !== regex.names[i])
  ) {
    throw new ClaimmapError(
      'plan/invalid-regex',
      `The groups or names recorded for /${regex.source}/ do not match the pattern.`,
      {
        position: { path },
      },
    );
  }
  if (regex.engine === 'native' && !a.nativeSafe) {
    throw new ClaimmapError(
      'plan/unsafe-regex',
      `The regex /${regex.source}/ is marked native but is not proven safe for V8.`,
      {
        position: { path: `${path}/engine` },
        hint: 'Recompile the plan: the compiler marks such regexes engine "re2".',
      },
    );
  }
  return a;
}

/**
 * Loads a compiled plan from JSON text or an already-parsed value (which is copied, never frozen in place).
 * Throws {@link ClaimmapError} with a {@link PlanErrorCode}: `plan/invalid-json`, `plan/limit-exceeded`,
 * `plan/unsupported-format`, `plan/schema` (position.path is the JSON pointer of the first error, the message
 * lists them all, capped), `plan/digest-mismatch`, `plan/invalid-regex`, `plan/unsafe-regex`, `plan/inconsistent`,
 * and the safety invariants the checker enforces on a mapping: `plan/unsafe-key` (a key that is not durable without
 * an `unsafe` reason the plan repeats), `plan/privileged-rule` (a privileged role granted unconditionally, by an
 * inexact test or from a user-editable claim), `plan/invalid-name` and `plan/confusable-name` (the name rules).
 * Every error but the JSON ones has `position.path`, the JSON pointer of the offending node. A plan it returns
 * never makes `evaluate` or `provision` throw anything but their documented errors. Returns a deep-frozen plan.
 *
 * @example
 * ```ts
 * const plan = loadPlan(readFileSync('okta.plan.json', 'utf8'));
 * const decision = evaluate(plan, claims);
 * ```
 */
export function loadPlan(input: string | unknown, options: LoadPlanOptions = {}): Plan {
  const maxLength = options.maxLength ?? LOAD_PLAN_LIMITS.maxLength;
  const maxDepth = options.maxDepth ?? LOAD_PLAN_LIMITS.maxDepth;
  const cap = options.maxReportedErrors ?? LOAD_PLAN_LIMITS.maxReportedErrors;

  let data: unknown;
  if (typeof input === 'string') {
    if (input.length > maxLength) {
      throw new ClaimmapError('plan/limit-exceeded', `The plan JSON is longer than ${maxLength} characters.`, {
        position: { offset: maxLength },
      });
    }
    const text = input.charCodeAt(0) === 0xfeff ? input.slice(1) : input;
    const parsed = parseStrictJson(text, { maxDepth });
    if (!parsed.ok) throw jsonError(parsed.problem, text);
    data = parsed.value;
  } else {
    const copied = toJsonData(input, { maxDepth });
    if (!copied.ok) throw jsonError(copied.problem);
    data = copied.value;
  }

  if (data !== null && typeof data === 'object' && !Array.isArray(data) && 'format' in data) {
    const format = (data as { format: unknown }).format;
    if (format !== PLAN_FORMAT) {
      throw new ClaimmapError(
        'plan/unsupported-format',
        `Unsupported plan format ${JSON.stringify(format)}; expected "${PLAN_FORMAT}".`,
        {
          position: { path: '/format' },
          hint: 'Recompile the mapping with this version of claimmap.',
        },
      );
    }
  }

  const validate = planValidator();
  if (!validate(data)) {
    const errors = validate.errors ?? [];
    throw new ClaimmapError(
      'plan/schema',
      `The plan does not match the schema: ${summariseSchemaErrors(errors, cap)}`,
      {
        position: { path: errors[0] ? errorPath(errors[0]) : '' },
      },
    );
  }
  const plan = data as Plan;

  const expected = planDigest(plan);
  if (expected !== plan.digest) {
    throw new ClaimmapError('plan/digest-mismatch', 'The plan digest does not match its content.', {
      position: { path: '/digest' },
      hint: 'The plan was edited or corrupted; recompile it from the mapping.',
    });
  }

  const { claims, analysis } = checkReferences(plan, options.regex);
  checkSafety(plan, claims, (r) => defined(analysis.get(r)));
  return deepFreeze(plan);
}

function inconsistent(message: string, path: string): ClaimmapError<PlanErrorCode> {
  return new ClaimmapError('plan/inconsistent', message, {
    position: { path },
    hint: 'Recompile the plan from the mapping.',
  });
}

/**
 * The `scim` section: `groups` names a declared set or list claim, and the key is one value (a SCIM attribute
 * cannot carry a joined key): what the checker's scim rules enforce.
 */
function checkScim(plan: Plan, need: (name: string, path: string) => ClaimPlan): void {
  const scim = plan.scim;
  if (!scim) return;
  if (scim.groups !== null) {
    const c = need(scim.groups, '/scim/groups');
    if (c.type.kind !== 'set' && c.type.kind !== 'list')
      throw inconsistent(`The SCIM groups claim ${JSON.stringify(scim.groups)} is not a set or list.`, '/scim/groups');
  }
  if (plan.key.kind === 'claims' && plan.key.claims.length > 1)
    throw inconsistent('A SCIM attribute cannot carry a key joined from several claims.', '/scim/key');
}

/**
 * Every name the plan uses is declared, every template capture exists, the key's format URI is its format's, and
 * every regex (in require gates, role and entitlement conditions and `for each`) is re-verified: a plan that passes
 * never makes evaluate() throw or hang. Returns the claims by name and the analysis of every regex.
 */
function checkReferences(
  plan: Plan,
  regexLimits: LoadPlanOptions['regex'],
): { claims: Map<string, ClaimPlan>; analysis: Map<RegexPlan, RegexAnalysis> } {
  const analysis = new Map<RegexPlan, RegexAnalysis>();
  const regex = (r: RegexPlan, path: string): void => void analysis.set(r, checkRegex(r, path, regexLimits));
  const claims = new Map<string, ClaimPlan>();
  plan.claims.forEach((c, i) => {
    if (claims.has(c.name))
      throw inconsistent(`The claim ${JSON.stringify(c.name)} is declared twice.`, `/claims/${i}/name`);
    if (plan.idp.protocol === 'saml' && c.source.length !== 1)
      throw inconsistent('A SAML claim source must be one attribute name.', `/claims/${i}/source`);
    claims.set(c.name, c);
  });
  const need = (name: string, path: string): ClaimPlan => {
    const c = claims.get(name);
    if (!c) throw inconsistent(`The plan uses the undeclared claim ${JSON.stringify(name)}.`, path);
    return c;
  };
  const cond = (c: Cond, path: string): void => {
    if ('args' in c) for (const [i, a] of c.args.entries()) cond(a, `${path}/args/${i}`);
    else if ('arg' in c) cond(c.arg, `${path}/arg`);
    else {
      need(c.claim, `${path}/claim`);
      if (c.op === 'matches') regex(c.regex, `${path}/regex`);
    }
  };
  const expr = (e: Expr, path: string): void => {
    if (e.op === 'claim') need(e.claim, `${path}/claim`);
    else if ('args' in e) for (const [i, a] of e.args.entries()) expr(a, `${path}/args/${i}`);
  };
  if (plan.key.kind === 'claims') for (const [i, n] of plan.key.claims.entries()) need(n, `/key/claims/${i}`);
  if (plan.key.kind === 'nameid' && plan.key.formatUri !== NAMEID_FORMATS[plan.key.format]) {
    throw inconsistent(
      `The key's format URI is not the URI of the ${plan.key.format} NameID format.`,
      '/key/formatUri',
    );
  }
  for (const [i, g] of plan.require.entries()) cond(g.when, `/require/${i}/when`);
  const fields = new Set<string>();
  plan.profile.forEach((f, i) => {
    if (fields.has(f.name))
      throw inconsistent(`The profile field ${JSON.stringify(f.name)} is defined twice.`, `/profile/${i}/name`);
    fields.add(f.name);
    expr(f.expr, `/profile/${i}/expr`);
  });
  checkScim(plan, need);
  plan.accounts.unique.forEach((u, i) => {
    if (!fields.has(u))
      throw inconsistent(`The unique field ${JSON.stringify(u)} is not a profile field.`, `/accounts/unique/${i}`);
  });
  const ids = new Set<string>();
  for (const [section, rules] of [
    ['roles', plan.roles.rules],
    ['entitlements', plan.entitlements.rules],
  ] as const) {
    rules.forEach((r, i) => {
      const path = `/${section}/rules/${i}`;
      if (ids.has(r.id)) throw inconsistent(`The rule id ${JSON.stringify(r.id)} is used twice.`, `${path}/id`);
      ids.add(r.id);
      if (r.when) cond(r.when, `${path}/when`);
      if (r.forEach) {
        need(r.forEach.claim, `${path}/forEach/claim`);
        regex(r.forEach.regex, `${path}/forEach/regex`);
      }
      if (r.template && !r.forEach) throw inconsistent('A templated entitlement needs a forEach.', `${path}/template`);
      for (const part of r.template ?? []) {
        if (typeof part === 'string') continue;
        const re = defined(r.forEach).regex;
        const ok = typeof part.group === 'number' ? part.group <= re.groups : re.names.includes(part.group);
        if (!ok)
          throw inconsistent(
            `The template refers to the capture ${JSON.stringify(part.group)}, which /${re.source}/ does not have.`,
            `${path}/template`,
          );
      }
    });
  }
  return { claims, analysis };
}
