/**
 * Hand-built plans and claim sets for runtime tests (independent of the compiler), and a store wrapper that
 * injects failures.
 */
import { createHash } from 'node:crypto';
import type { ClaimSet, JsonValue } from '../../src/model/claim-set.js';
import { PLAN_FORMAT, type Plan, type RulePlan } from '../../src/model/plan.js';
import { expect } from 'vitest';
import { RuntimeError } from '../../src/runtime/errors.js';
import type { Store, StoreTx } from '../../src/runtime/store.js';
import type { Account, Grant } from '../../src/runtime/types.js';

export const ISSUER = 'https://idp.example.com';
const loc = { line: 1, column: 1 };

function canonical(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(canonical);
  if (v && typeof v === 'object') {
    return Object.fromEntries(
      Object.keys(v)
        .sort()
        .map((k) => [k, canonical((v as Record<string, unknown>)[k])]),
    );
  }
  return v;
}

/** A grant rule `<target> when "<group>" in groups`. */
export function groupRule(id: string, target: string, group: string, effect: 'grant' | 'deny' = 'grant'): RulePlan {
  return {
    id,
    effect,
    target,
    when: { op: 'contains', claim: 'groups', value: group },
    text: `${effect} ${target} when "${group}" in groups`,
    loc,
  };
}

export interface PlanOverrides {
  version?: string | null;
  rolesMode?: 'replace' | 'add';
  entitlementsMode?: 'replace' | 'add';
  roleRules?: RulePlan[];
  entitlementRules?: RulePlan[];
  emailConflict?: Plan['accounts']['emailConflict'];
  unique?: string[];
  reactivate?: boolean;
  profile?: Plan['profile'];
}

/**
 * An OIDC plan: key `sub`; claims email (required), name, department, groups (set); profile email (always),
 * name (always, clear), department (fill), nickname (create, from name); roles admin/dev from groups; entitlement
 * repo:write from group eng; unique email.
 */
export function makePlan(o: PlanOverrides = {}): Plan {
  const roleRules = o.roleRules ?? [groupRule('roles[0]', 'admin', 'admins'), groupRule('roles[1]', 'dev', 'eng')];
  const plan: Omit<Plan, 'digest'> = {
    format: PLAN_FORMAT,
    name: 'test',
    version: o.version === undefined ? '2026-11' : o.version,
    idp: { protocol: 'oidc', issuer: ISSUER, aliases: [] },
    key: { kind: 'sub', loc },
    claims: [
      { name: 'email', type: { kind: 'email' }, source: ['email'], required: true, normalize: ['lower'], loc },
      { name: 'name', type: { kind: 'string' }, source: ['name'], required: false, normalize: [], loc },
      { name: 'department', type: { kind: 'string' }, source: ['department'], required: false, normalize: [], loc },
      {
        name: 'groups',
        type: { kind: 'set', element: { kind: 'string' } },
        source: ['groups'],
        required: false,
        normalize: [],
        loc,
      },
    ],
    profile: o.profile ?? [
      { name: 'email', expr: { op: 'claim', claim: 'email' }, sync: 'always', clear: false, loc },
      { name: 'name', expr: { op: 'claim', claim: 'name' }, sync: 'always', clear: true, loc },
      { name: 'department', expr: { op: 'claim', claim: 'department' }, sync: 'fill', clear: false, loc },
      { name: 'nickname', expr: { op: 'claim', claim: 'name' }, sync: 'create', clear: false, loc },
    ],
    roles: {
      mode: o.rolesMode ?? 'replace',
      declared: [...new Set(roleRules.map((r) => r.target))].sort(),
      privileged: ['admin'],
      rules: roleRules,
    },
    entitlements: {
      mode: o.entitlementsMode ?? 'replace',
      rules: o.entitlementRules ?? [groupRule('entitlements[0]', 'repo:write', 'eng')],
    },
    require: [],
    accounts: { emailConflict: o.emailConflict ?? 'reject', unique: o.unique ?? ['email'] },
    lifecycle: { offboarding: { kind: 'scim' }, dormantAfterDays: 90, reactivate: o.reactivate ?? false },
    unsafe: [],
  };
  const digest = createHash('sha256')
    .update(JSON.stringify(canonical(plan)))
    .digest('hex');
  return { ...plan, digest };
}

export interface ClaimOverrides {
  sub?: string;
  email?: JsonValue | undefined;
  name?: JsonValue | undefined;
  department?: JsonValue | undefined;
  groups?: JsonValue | undefined;
  issuer?: string;
  issuedAt?: string;
  verified?: boolean;
  extra?: Record<string, JsonValue>;
}

/** An OIDC claim set for {@link makePlan}; pass `undefined` for a claim to leave it out. */
export function makeClaims(o: ClaimOverrides = {}): ClaimSet {
  const sub = o.sub ?? '00u1';
  const claims: Record<string, JsonValue> = { sub };
  const put = (k: keyof ClaimOverrides, dflt: JsonValue) => {
    const v = k in o ? o[k] : dflt;
    if (v !== undefined) claims[k] = v as JsonValue;
  };
  put('email', 'jane@example.com');
  put('name', 'Jane Doe');
  put('department', 'R&D');
  put('groups', ['eng']);
  Object.assign(claims, o.extra ?? {});
  return {
    protocol: 'oidc',
    issuer: o.issuer ?? ISSUER,
    subject: { id: sub },
    claims,
    ...(o.issuedAt === undefined ? {} : { issuedAt: o.issuedAt }),
    verified: o.verified ?? true,
  };
}

/** Methods of StoreTx that can be made to fail. */
export type TxMethod = keyof StoreTx;

/**
 * Wraps a store so that the `nth` call (1-based, counted across transactions) of `method` throws `error`
 * (default: a plain Error, as a driver would throw).
 */
export function failingStore(
  inner: Store,
  method: TxMethod,
  nth = 1,
  error: unknown = new Error('injected disk failure'),
): Store {
  let calls = 0;
  return {
    kind: inner.kind,
    close: () => inner.close(),
    transaction: (fn) =>
      inner.transaction((tx) => {
        const proxy = new Proxy(tx, {
          get(target, prop, receiver) {
            const v = Reflect.get(target, prop, receiver) as unknown;
            if (prop !== method || typeof v !== 'function') return v;
            return (...args: unknown[]) => {
              calls += 1;
              if (calls === nth) return Promise.reject(error);
              return (v as (...a: unknown[]) => unknown).apply(target, args);
            };
          },
        });
        return fn(proxy);
      }),
  };
}

export const T0 = '2026-11-01T09:00:00.000Z';
/** An ISO instant `minutes` after T0. */
export const at = (minutes: number) => new Date(Date.parse(T0) + minutes * 60_000).toISOString();

/** Awaits `p`, expecting it to fail with a RuntimeError of this code; returns the error. */
export async function rejectsWith(p: Promise<unknown>, code: string): Promise<RuntimeError> {
  const e = await p.then(
    () => {
      throw new Error(`expected a RuntimeError ${code}, got success`);
    },
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(RuntimeError);
  expect((e as RuntimeError).code).toBe(code);
  return e as RuntimeError;
}

/** An account's grants of one kind as `name/source`. */
export const grantNames = (a: Account | null, kind: Grant['kind']): string[] =>
  (a?.grants ?? []).filter((g) => g.kind === kind).map((g) => `${g.name}/${g.source}`);

/** A plan whose one profile attribute, `teams`, is the `groups` claim, synced at every login (a list value). */
export function teamsPlan(): Plan {
  return makePlan({
    profile: [
      {
        name: 'teams',
        expr: { op: 'claim', claim: 'groups' },
        sync: 'always',
        clear: false,
        loc: { line: 1, column: 1 },
      },
    ],
  });
}
