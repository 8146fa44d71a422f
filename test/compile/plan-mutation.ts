/**
 * Plan mutation for the loadPlan property: real plans (every example and every golden case that compiles) with
 * sample and synthetic logins, and structural mutations of their JSON.
 */
import fc from 'fast-check';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { NAMEID_FORMATS, type ClaimSet } from '../../src/model/claim-set.js';
import { compile } from '../../src/compile/compile.js';
import { planDigest } from '../../src/compile/digest.js';
import type { Plan, ScalarType } from '../../src/model/plan.js';
import { loadSamples } from '../../src/simulate/load-samples.js';
import { loadGoldenCases } from '../golden/golden-cases.js';

export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

function claimmapFiles(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((e) => {
      const p = join(dir, e);
      return statSync(p).isDirectory() ? claimmapFiles(p) : p.endsWith('.claimmap') ? [p] : [];
    });
}

/** A value of a declared type that a login could plausibly carry. */
function sampleValue(t: ScalarType): Json {
  switch (t.kind) {
    case 'string':
      return 'eng';
    case 'enum':
      return t.values[0] ?? 'x';
    case 'email':
      return 'Jane@Example.com';
    case 'bool':
      return true;
    case 'int':
      return 7;
    case 'uuid':
      return '6f1c2d3e-4a5b-4c6d-8e9f-0a1b2c3d4e5f';
    case 'url':
      return 'https://example.com/x';
    case 'datetime':
      return '2026-01-02T03:04:05Z';
  }
}

/** Every string literal the plan's conditions compare with (so a synthetic login makes some rules true). */
function literalsOf(plan: Plan): string[] {
  const out = new Set<string>();
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v !== null && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      if (typeof o.value === 'string') out.add(o.value);
      if (Array.isArray(o.values)) for (const x of o.values) if (typeof x === 'string') out.add(x);
      Object.values(o).forEach(walk);
    }
  };
  walk(plan.require);
  walk(plan.roles.rules);
  walk(plan.entitlements.rules);
  return [...out];
}

/** Synthetic logins for a plan: every claim present (set claims holding every literal), none present, odd shapes. */
function syntheticLogins(plan: Plan): ClaimSet[] {
  const lits = literalsOf(plan);
  const full: Record<string, Json> = {};
  const odd: Record<string, Json> = {};
  for (const c of plan.claims) {
    const v = 'element' in c.type ? [sampleValue(c.type.element), ...lits, 'team-web', 'gh-eng'] : sampleValue(c.type);
    let target: Record<string, Json> = full;
    let oddTarget: Record<string, Json> = odd;
    const path = plan.idp.protocol === 'saml' ? [c.source[0]!] : c.source;
    path.forEach((seg, i) => {
      if (i === path.length - 1) {
        target[seg] = plan.idp.protocol === 'saml' ? (Array.isArray(v) ? v : [v]).map(String) : v;
        oddTarget[seg] = i % 2 ? null : { nested: [1, 'x'] };
      } else {
        target[seg] ??= {};
        oddTarget[seg] ??= {};
        target = target[seg] as Record<string, Json>;
        oddTarget = oddTarget[seg] as Record<string, Json>;
      }
    });
  }
  const subject = { id: 'u-123', ...(plan.idp.protocol === 'saml' ? { format: NAMEID_FORMATS.persistent } : {}) };
  const base = { protocol: plan.idp.protocol, issuer: plan.idp.issuer, subject, verified: true } as const;
  return [
    { ...base, claims: full },
    { ...base, claims: {} },
    { ...base, claims: odd },
  ] as unknown as ClaimSet[];
}

export interface Base {
  name: string;
  plan: Json;
  logins: ClaimSet[];
}

export function bases(): Base[] {
  const out: Base[] = [];
  for (const file of claimmapFiles(join(ROOT, 'examples'))) {
    const { plan } = compile(readFileSync(file, 'utf8'), { filename: file });
    if (!plan) throw new Error(`${file} does not compile`);
    const samples = loadSamples([dirname(file)], ROOT).map((s) => s.claimSet);
    out.push({
      name: file,
      plan: JSON.parse(JSON.stringify(plan)) as Json,
      logins: [...samples, ...syntheticLogins(plan)],
    });
  }
  for (const c of loadGoldenCases()) {
    const { plan } = compile(c.binary ? c.bytes : c.text, c.options);
    if (plan) out.push({ name: c.name, plan: JSON.parse(JSON.stringify(plan)) as Json, logins: syntheticLogins(plan) });
  }
  return out;
}

type Path = (string | number)[];
interface NodeAt {
  path: Path;
  value: Json;
}

function allNodes(v: Json, path: Path = [], out: NodeAt[] = []): NodeAt[] {
  out.push({ path, value: v });
  if (Array.isArray(v)) for (const [i, x] of v.entries()) allNodes(x, [...path, i], out);
  else if (v !== null && typeof v === 'object') for (const [k, x] of Object.entries(v)) allNodes(x, [...path, k], out);
  return out;
}

export const clone = (v: Json): Json => JSON.parse(JSON.stringify(v)) as Json;

function setAt(root: Json, path: Path, value: Json): void {
  let cur = root as Record<string | number, Json>;
  for (const seg of path.slice(0, -1)) cur = cur[seg] as Record<string | number, Json>;
  cur[path[path.length - 1]!] = value;
}

/** Same JSON type, and for objects at least one key in common (two rules, two tests, two claims...). */
function sameKind(a: Json, b: Json): boolean {
  if (Array.isArray(a) || Array.isArray(b)) return Array.isArray(a) && Array.isArray(b);
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return typeof a === typeof b;
  return Object.keys(a).some((k) => Object.hasOwn(b, k));
}

const isPrefix = (a: Path, b: Path): boolean => a.length <= b.length && a.every((s, i) => s === b[i]);

/** Values of other types (and near-miss strings) a mutation may put anywhere. */
const POOL: Json[] = [
  null,
  0,
  -1,
  1.5,
  2 ** 53,
  '',
  ' ',
  'x',
  'admin ',
  'Admin',
  '\u0430dmin',
  'ad\u200bmin',
  'ad\u202emin',
  true,
  false,
  [],
  {},
  [''],
  { kind: 'x' },
];

const KINDS = [
  'delete-key',
  'add-key',
  'graft',
  'drop-optional',
  'replace',
  'empty-string',
  'other-string',
  'swap',
  'dup-entry',
  'drop-entry',
] as const;
export type Mutation = { kind: (typeof KINDS)[number]; a: number; b: number; c: number };
export const mutationArb: fc.Arbitrary<Mutation> = fc.record({
  kind: fc.constantFrom(...KINDS),
  a: fc.nat(),
  b: fc.nat(),
  c: fc.nat(),
});

/** Applies one structural mutation in place (the root object stays an object; `digest` is never the target). */
export function mutate(root: Json, m: Mutation): void {
  // Source positions and rule texts are not semantics: mutating them only dilutes the search.
  const nodes = allNodes(root).filter(
    (n) => !['digest', 'format'].includes(String(n.path[0])) && !n.path.includes('loc') && !n.path.includes('text'),
  );
  const pick = <T>(xs: T[], i: number): T | undefined => (xs.length ? xs[i % xs.length] : undefined);
  const objects = nodes.filter((n) => n.value !== null && typeof n.value === 'object' && !Array.isArray(n.value));
  const arrays = nodes.filter((n) => Array.isArray(n.value));
  const strings = nodes.filter((n) => typeof n.value === 'string');
  const nonRoot = nodes.filter((n) => n.path.length > 0);
  switch (m.kind) {
    case 'delete-key': {
      const o = pick(objects, m.a);
      const keys = o ? Object.keys(o.value as object).filter((k) => o.path.length > 0 || k !== 'digest') : [];
      const k = pick(keys, m.b);
      if (o && k !== undefined) delete (o.value as Record<string, Json>)[k];
      return;
    }
    case 'add-key': {
      // From a sibling of the same kind (sharing a key) when there is one: a forEach onto a role rule, a regex onto
      // a test, a unsafe onto a key.
      const target = pick(objects, m.a);
      const like = target
        ? objects.filter(
            (o) => o !== target && Object.keys(o.value as object).some((k) => Object.hasOwn(target.value as object, k)),
          )
        : [];
      const from = m.c % 4 === 0 ? pick(objects, m.b) : (pick(like, m.b) ?? pick(objects, m.b));
      // Preferably a key the target lacks (overwriting one is what `replace` does).
      const keys = from ? Object.keys(from.value as object).filter((x) => x !== 'digest') : [];
      const missing = keys.filter((x) => !Object.hasOwn(target!.value as object, x));
      const k = pick(m.c % 4 !== 0 && missing.length ? missing : keys, m.c >>> 2);
      if (target && from && k !== undefined)
        (target.value as Record<string, Json>)[k] = clone((from.value as Record<string, Json>)[k]!);
      return;
    }
    case 'graft':
    case 'drop-optional': {
      // Between two objects of the same kind (two or more keys in common: two rules, two tests): copy a key one has
      // and the other lacks (a forEach onto a role rule), or delete it from the one that has it (a rule's template).
      const t = pick(objects, m.a);
      if (!t) return;
      const tk = Object.keys(t.value as object);
      const moves: [NodeAt, string][] = [];
      for (const o of objects) {
        if (o === t) continue;
        const ok = Object.keys(o.value as object);
        if (ok.filter((k) => tk.includes(k)).length < 2) continue;
        if (m.kind === 'graft') for (const k of ok) if (!tk.includes(k)) moves.push([o, k]);
        if (m.kind === 'drop-optional') for (const k of tk) if (!ok.includes(k)) moves.push([o, k]);
      }
      const move = pick(moves, m.b);
      if (!move) return;
      const [o, k] = move;
      if (m.kind === 'graft') (t.value as Record<string, Json>)[k] = clone((o.value as Record<string, Json>)[k]!);
      else delete (t.value as Record<string, Json>)[k];
      return;
    }
    case 'replace': {
      // By a value of any type (a third of the time), else by another node of the same kind.
      const t = pick(nonRoot, m.a);
      if (!t) return;
      const v =
        m.b % 3 === 0
          ? POOL[m.c % POOL.length]!
          : clone(
              (
                pick(
                  nodes.filter((n) => sameKind(n.value, t.value)),
                  m.c,
                ) ?? t
              ).value,
            );
      setAt(root, t.path, v);
      return;
    }
    case 'empty-string': {
      const s = pick(strings, m.a);
      if (s) setAt(root, s.path, '');
      return;
    }
    case 'other-string': {
      const s = pick(strings, m.a);
      const o = pick(strings, m.b);
      if (s && o) setAt(root, s.path, o.value);
      return;
    }
    case 'swap': {
      const x = pick(nonRoot, m.a);
      const y =
        x && m.c % 4 !== 0
          ? pick(
              nonRoot.filter((n) => sameKind(n.value, x.value)),
              m.b,
            )
          : pick(nonRoot, m.b);
      if (!x || !y || isPrefix(x.path, y.path) || isPrefix(y.path, x.path)) return;
      const xv = clone(x.value);
      setAt(root, x.path, clone(y.value));
      setAt(root, y.path, xv);
      return;
    }
    case 'dup-entry': {
      const arr = pick(arrays, m.a);
      const list = arr?.value as Json[] | undefined;
      if (list?.length) list.splice(m.c % (list.length + 1), 0, clone(list[m.b % list.length]!));
      return;
    }
    case 'drop-entry': {
      const arr = pick(arrays, m.a);
      const list = arr?.value as Json[] | undefined;
      if (list?.length) list.splice(m.b % list.length, 1);
      return;
    }
  }
}

/** The mutated plan with its digest recomputed (so the mutation is judged by validation, not by the digest). */
export function withFreshDigest(p: Json): Json {
  const body = { ...(p as Record<string, Json>) };
  delete body.digest;
  return { ...body, digest: planDigest(body as unknown as Plan) };
}

/**
 * The base a run mutates: an example four times out of five (they use every construct; the golden cases that
 * compile are small), else any base.
 */
export function pickBase(all: readonly Base[], which: number): Base {
  const examples = all.filter((b) => b.name.includes('examples'));
  return which % 5 !== 0 && examples.length ? examples[((which / 5) % examples.length) | 0]! : all[which % all.length]!;
}
