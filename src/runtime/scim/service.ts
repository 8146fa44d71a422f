/**
 * The SCIM service over a Store (the contract of ./types.ts, called by the HTTP layer in src/scim/). A SCIM user is
 * the account of the durable key (the mapping's issuer, the value of `scim { key externalId }`) and nothing else;
 * every write is one store transaction with its effects on that account and its audit (actor `scim:<tokenName>`).
 * See docs/offboarding.md, "How SCIM and JIT share one account".
 */
import { randomUUID } from 'node:crypto';
import type { Plan, ScimPlan } from '../../model/plan.js';
import { ClaimmapError } from '../../errors.js';
import { RuntimeError } from '../errors.js';
import { inTx, type Store, type StoreTx, toDate } from '../store.js';
import type { Account, Change, NewAuditEvent } from '../types.js';
import { linkAccount, regrant, setStatus } from './effects.js';
import { invalid, readGroup, readUser } from './resource.js';
import type { ScimGroupRow, ScimUserRow } from './store-types.js';
import type {
  ScimActor,
  ScimGroupQuery,
  ScimGroupRecord,
  ScimJson,
  ScimPage,
  ScimService,
  ScimUserQuery,
  ScimUserRecord,
} from './types.js';

/**
 * Options of {@link createScimService}.
 *
 * @example
 * ```ts
 * const options: ScimServiceOptions = { store, plan, maxResults: 200 };
 * ```
 */
export interface ScimServiceOptions {
  store: Store;
  /** A compiled plan with a `scim { ... }` section (loadPlan or compile). */
  plan: Plan;
  /** The clock (default: the current time). */
  now?: () => Date | string;
  /** Most resources a list answers (a larger `count` is lowered to it, RFC 7644 §3.4.2.4). Default 200. */
  maxResults?: number;
  /** Most member ids one group write may carry (`scim/too-many` beyond). Default 1000. */
  maxMembersPerWrite?: number;
}

interface Ctx {
  store: Store;
  plan: Plan;
  scim: ScimPlan;
  issuer: string;
  now: () => string;
  maxResults: number;
  maxMembers: number;
}

const notFound = (what: string, id: string) => new RuntimeError('scim/not-found', `${what} ${id} does not exist.`);
const taken = (what: string) => new RuntimeError('scim/uniqueness', `${what} is already taken.`);

/**
 * Creates the SCIM service of one mapping over one store. Throws TypeError when the plan has no `scim` section.
 *
 * @example
 * ```ts
 * import { createScimService, loadPlan, SqliteStore } from 'claimmap/runtime';
 * const service = createScimService({ store: await SqliteStore.open('claimmap.db'), plan: loadPlan(json) });
 * const user = await service.createUser({ tokenName: 'okta' }, { userName: 'jane@example.com', externalId: '00u1' });
 * ```
 */
export function createScimService(options: ScimServiceOptions): ScimService {
  if (!options || typeof options.store?.transaction !== 'function')
    throw new TypeError('createScimService: store is required');
  const plan = options.plan;
  if (!plan || typeof plan !== 'object' || !plan.idp) throw new TypeError('createScimService: plan is required');
  if (!plan.scim) {
    throw new TypeError(
      'createScimService: the mapping has no scim section; add scim { key externalId } (docs/language.md)',
    );
  }
  const clock = options.now;
  const ctx: Ctx = {
    store: options.store,
    plan,
    scim: plan.scim,
    issuer: plan.idp.issuer,
    now: () => toDate(clock ? clock() : undefined, 'scim').toISOString(),
    maxResults: positive(options.maxResults, 200, 'maxResults'),
    maxMembers: positive(options.maxMembersPerWrite, 1000, 'maxMembersPerWrite'),
  };
  return {
    createUser: (actor, resource) => run(ctx, (tx, now) => writeUser(ctx, tx, now, actor, null, resource)),
    getUser: (id) => run(ctx, async (tx) => userRecord(tx, await tx.findScimUser(ctx.issuer, id))),
    queryUsers: (q) => run(ctx, (tx) => queryUsers(ctx, tx, q)),
    replaceUser: (actor, id, resource, expectedVersion) =>
      run(ctx, async (tx, now) => {
        const prev = await existing(tx.findScimUser(ctx.issuer, id), 'User', id, expectedVersion);
        return writeUser(ctx, tx, now, actor, prev, resource);
      }),
    deleteUser: (actor, id) => run(ctx, (tx, now) => deleteUser(ctx, tx, now, actor, id)),
    createGroup: (actor, resource, members) =>
      run(ctx, (tx, now) => writeGroup(ctx, tx, now, actor, null, resource, { set: members })),
    getGroup: (id, o) => run(ctx, async (tx) => groupRecord(tx, await tx.findScimGroup(ctx.issuer, id), o)),
    queryGroups: (q) => run(ctx, (tx) => queryGroups(ctx, tx, q)),
    replaceGroup: (actor, id, resource, members, expectedVersion) =>
      run(ctx, async (tx, now) => {
        const prev = await existing(tx.findScimGroup(ctx.issuer, id), 'Group', id, expectedVersion);
        return writeGroup(ctx, tx, now, actor, prev, resource, { set: members });
      }),
    modifyMembers: (actor, id, change) =>
      run(ctx, async (tx, now) => {
        const prev = await existing(tx.findScimGroup(ctx.issuer, id), 'Group', id, undefined);
        return writeGroup(ctx, tx, now, actor, prev, prev.resource, change);
      }),
    deleteGroup: (actor, id) => run(ctx, (tx, now) => deleteGroup(ctx, tx, now, actor, id)),
  };
}

function positive(v: number | undefined, dflt: number, name: string): number {
  const n = v ?? dflt;
  if (!Number.isSafeInteger(n) || n < 1) throw new TypeError(`createScimService: ${name} must be a positive integer`);
  return n;
}

/** One transaction; a store conflict (a uniqueness race lost to a concurrent write) is `scim/uniqueness`. */
async function run<T>(ctx: Ctx, fn: (tx: StoreTx, nowIso: string) => Promise<T>): Promise<T> {
  const now = ctx.now();
  try {
    return await inTx(ctx.store, (tx) => fn(tx, now), 'The store failed during a SCIM call');
  } catch (e) {
    if (e instanceof ClaimmapError && e.code === 'store/conflict') {
      throw new RuntimeError('scim/uniqueness', 'A concurrent write took a value of this resource.', { cause: e });
    }
    throw e;
  }
}

async function existing<R extends { version: number }>(
  found: Promise<R | null>,
  what: string,
  id: string,
  expectedVersion: string | undefined,
): Promise<R> {
  const row = await found;
  if (!row) throw notFound(what, id);
  if (expectedVersion !== undefined && expectedVersion !== String(row.version)) {
    throw new RuntimeError(
      'scim/version-mismatch',
      `${what} ${id} is at version ${row.version}, not ${expectedVersion}.`,
    );
  }
  return row;
}

function checkActor(actor: ScimActor): string {
  if (!actor || typeof actor.tokenName !== 'string' || actor.tokenName === '')
    throw new TypeError('SCIM service: actor.tokenName is required');
  return `scim:${actor.tokenName}`;
}

/** The page bounds of a query: 1-based startIndex, count lowered to maxResults (RFC 7644 §3.4.2.4). */
function bounds(ctx: Ctx, q: { startIndex: number; count: number }): { offset: number; limit: number } {
  const start = Number.isSafeInteger(q?.startIndex) && q.startIndex > 1 ? q.startIndex : 1;
  const count = Number.isSafeInteger(q?.count) && q.count >= 0 ? Math.min(q.count, ctx.maxResults) : ctx.maxResults;
  return { offset: start - 1, limit: count };
}

async function queryUsers(ctx: Ctx, tx: StoreTx, q: ScimUserQuery): Promise<ScimPage<ScimUserRecord>> {
  const page = await tx.listScimUsers({ issuer: ctx.issuer, eq: { ...(q?.eq ?? {}) }, ...bounds(ctx, q) });
  const resources: ScimUserRecord[] = [];
  for (const row of page.rows) resources.push(await userRecordOf(tx, row));
  return { totalResults: page.total, resources };
}

async function queryGroups(ctx: Ctx, tx: StoreTx, q: ScimGroupQuery): Promise<ScimPage<ScimGroupRecord>> {
  const page = await tx.listScimGroups({ issuer: ctx.issuer, eq: { ...(q?.eq ?? {}) }, ...bounds(ctx, q) });
  const resources: ScimGroupRecord[] = [];
  for (const row of page.rows)
    resources.push(await groupRecordOf(tx, row, q.withoutMembers === true ? { withoutMembers: true } : undefined));
  return { totalResults: page.total, resources };
}

async function userRecord(tx: StoreTx, row: ScimUserRow | null): Promise<ScimUserRecord | null> {
  return row ? userRecordOf(tx, row) : null;
}

async function userRecordOf(tx: StoreTx, row: ScimUserRow): Promise<ScimUserRecord> {
  const groups = (await tx.scimGroupsOf(row.id)).map((g) => ({ value: g.id, display: g.displayName }));
  return { id: row.id, resource: row.resource, groups, meta: meta('User', row) };
}

async function groupRecord(
  tx: StoreTx,
  row: ScimGroupRow | null,
  o?: { withoutMembers?: boolean },
): Promise<ScimGroupRecord | null> {
  return row ? groupRecordOf(tx, row, o) : null;
}

async function groupRecordOf(
  tx: StoreTx,
  row: ScimGroupRow,
  o?: { withoutMembers?: boolean },
): Promise<ScimGroupRecord> {
  const members = o?.withoutMembers
    ? []
    : (await tx.scimMembers(row.id)).map((m) => ({ value: m.userId, display: m.displayName ?? m.userName }));
  return { id: row.id, resource: row.resource, members, meta: meta('Group', row) };
}

function meta(resourceType: 'User' | 'Group', row: { createdAt: string; updatedAt: string; version: number }) {
  return { resourceType, created: row.createdAt, lastModified: row.updatedAt, version: String(row.version) };
}

/** The audit event of a SCIM write about `account` (or, unlinked, about the SCIM resource). */
function audit(
  ctx: Ctx,
  nowIso: string,
  actor: string,
  action: NewAuditEvent['action'],
  account: Account | null,
  reason: { code: string; message: string },
  changes: Change[],
  rules: string[],
): NewAuditEvent {
  return {
    at: nowIso,
    action,
    issuer: account?.issuer ?? ctx.issuer,
    subject: account?.subject ?? '',
    accountId: account?.id ?? null,
    actor,
    reason,
    changes,
    rules,
    mapping: { name: ctx.plan.name, version: ctx.plan.version, digest: ctx.plan.digest },
  };
}

/** The audit action of a write from its changes: a status change names it, else created or updated. */
function actionOf(changes: readonly Change[], created: boolean): NewAuditEvent['action'] {
  const status = changes.find((c) => c.field === 'status' && c.op === 'change');
  if (status?.to === 'suspended') return 'suspended';
  if (status?.to === 'deprovisioned') return 'deprovisioned';
  if (status?.to === 'active') return 'reactivated';
  return created ? 'created' : 'updated';
}

async function checkUnique(ctx: Ctx, tx: StoreTx, id: string | null, eq: { userName?: string; externalId?: string }) {
  for (const [k, v] of Object.entries(eq)) {
    if (v === undefined) continue;
    const hit = await tx.listScimUsers({ issuer: ctx.issuer, eq: { [k]: v }, offset: 0, limit: 2 });
    if (hit.rows.some((r) => r.id !== id)) throw taken(k);
  }
}

/** Creates (prev null) or replaces a User, with its effects on the linked account, and audits it. */
async function writeUser(
  ctx: Ctx,
  tx: StoreTx,
  nowIso: string,
  actor: ScimActor,
  prev: ScimUserRow | null,
  resource: ScimJson,
): Promise<ScimUserRecord> {
  const who = checkActor(actor);
  const f = readUser(resource);
  if (prev?.accountId && prev.externalId !== f.externalId) {
    throw new RuntimeError('scim/mutability', 'externalId links this user to its account and cannot change.');
  }
  await checkUnique(ctx, tx, prev?.id ?? null, {
    userName: f.userName,
    ...(f.externalId === null ? {} : { externalId: f.externalId }),
  });
  const changes: Change[] = [];
  let account = f.externalId === null ? null : await linkAccount(tx, ctx.plan, f.externalId, nowIso, changes);
  if (account && !prev?.accountId) {
    const holder = await tx.findScimUserByAccount(account.id);
    if (holder && holder.id !== prev?.id) throw taken('externalId');
  }
  const row: ScimUserRow = {
    id: prev?.id ?? randomUUID(),
    issuer: ctx.issuer,
    externalId: f.externalId,
    userName: f.userName,
    displayName: f.displayName,
    resource: f.resource,
    accountId: account?.id ?? null,
    version: (prev?.version ?? 0) + 1,
    createdAt: prev?.createdAt ?? nowIso,
    updatedAt: nowIso,
  };
  if (prev) await tx.updateScimUser(row, prev.version);
  else await tx.insertScimUser(row);
  let reason = {
    code: prev ? 'scim/replace-user' : 'scim/create-user',
    message: `SCIM ${prev ? 'PUT' : 'POST'} /Users/${row.id}`,
  };
  let rules: string[] = [];
  if (account) {
    const effect = await applyActive(ctx, tx, account, f.active, nowIso, changes);
    account = effect.account;
    if (effect.refused) reason = effect.refused;
    if (ctx.scim.groups !== null) {
      const groups = (await tx.scimGroupsOf(row.id)).map((g) => g.displayName);
      ({ account, rules } = await regrant(tx, ctx.plan, account, ctx.scim.groups, groups, nowIso, changes));
    }
  } else {
    reason = { code: 'scim/unlinked', message: `SCIM user ${row.id} has no externalId: it is linked to no account.` };
  }
  await tx.appendAudit(audit(ctx, nowIso, who, actionOf(changes, !prev), account, reason, changes, rules));
  return userRecordOf(tx, row);
}

/**
 * `active: false` suspends or deprovisions (as `scim { deactivate }` says; a deprovisioned account stays so);
 * `active: true` reactivates only with `lifecycle { reactivate allow }`, else the account stays as it is and the
 * audit event says why.
 */
async function applyActive(
  ctx: Ctx,
  tx: StoreTx,
  account: Account,
  active: boolean,
  nowIso: string,
  changes: Change[],
): Promise<{ account: Account; refused: { code: string; message: string } | null }> {
  if (!active) {
    const to =
      ctx.scim.deactivate === 'deprovision' || account.status === 'deprovisioned' ? 'deprovisioned' : 'suspended';
    return { account: await setStatus(tx, account, to, nowIso, changes), refused: null };
  }
  if (account.status === 'active') return { account, refused: null };
  if (ctx.plan.lifecycle.reactivate)
    return { account: await setStatus(tx, account, 'active', nowIso, changes), refused: null };
  return {
    account,
    refused: {
      code: 'scim/reactivation-refused',
      message: `SCIM says active, but the account stays ${account.status}: the mapping does not reactivate (lifecycle { reactivate allow }).`,
    },
  };
}

async function deleteUser(ctx: Ctx, tx: StoreTx, nowIso: string, actor: ScimActor, id: string): Promise<void> {
  const who = checkActor(actor);
  const row = await tx.findScimUser(ctx.issuer, id);
  if (!row) throw notFound('User', id);
  const changes: Change[] = [];
  let account = row.accountId ? await tx.findById(row.accountId) : null;
  if (account) account = await setStatus(tx, account, 'deprovisioned', nowIso, changes);
  await tx.deleteScimUser(ctx.issuer, id);
  const reason = { code: 'scim/delete-user', message: `SCIM DELETE /Users/${id}` };
  await tx.appendAudit(audit(ctx, nowIso, who, 'deprovisioned', account, reason, changes, []));
}

/** Member ids of a write, checked: each an existing user of this issuer, at most maxMembersPerWrite. */
async function checkMembers(ctx: Ctx, tx: StoreTx, ids: readonly string[]): Promise<string[]> {
  if (!Array.isArray(ids)) throw invalid('members must be a list of user ids.');
  if (ids.length > ctx.maxMembers)
    throw new RuntimeError('scim/too-many', `A group write may carry at most ${ctx.maxMembers} members.`);
  const out = [...new Set(ids)];
  for (const id of out) {
    if (typeof id !== 'string' || !(await tx.findScimUser(ctx.issuer, id)))
      throw invalid(`The member ${JSON.stringify(id)} is not a user of this service.`);
  }
  return out;
}

type MemberChange = { set: readonly string[] } | { add: readonly string[]; remove: readonly string[] };

/** Creates (prev null) or replaces a Group, or changes its members, then regrants every member it affects. */
async function writeGroup(
  ctx: Ctx,
  tx: StoreTx,
  nowIso: string,
  actor: ScimActor,
  prev: ScimGroupRow | null,
  resource: ScimJson,
  change: MemberChange,
): Promise<ScimGroupRecord> {
  const who = checkActor(actor);
  const g = readGroup(resource);
  for (const other of (
    await tx.listScimGroups({ issuer: ctx.issuer, eq: { displayName: g.displayName }, offset: 0, limit: 100 })
  ).rows)
    if (other.id !== prev?.id && other.displayName === g.displayName) throw taken('displayName');
  const row: ScimGroupRow = {
    id: prev?.id ?? randomUUID(),
    issuer: ctx.issuer,
    externalId: g.externalId,
    displayName: g.displayName,
    resource: g.resource,
    version: (prev?.version ?? 0) + 1,
    createdAt: prev?.createdAt ?? nowIso,
    updatedAt: nowIso,
  };
  if (prev) await tx.updateScimGroup(row, prev.version);
  else await tx.insertScimGroup(row);
  const before = prev ? (await tx.scimMembers(row.id)).map((m) => m.userId) : [];
  const affected = new Set<string>(prev && prev.displayName !== row.displayName ? before : []);
  if ('set' in change) {
    const want = await checkMembers(ctx, tx, change.set);
    const drop = before.filter((u) => !want.includes(u));
    await tx.removeScimMembers(row.id, drop);
    await tx.addScimMembers(row.id, want);
    for (const u of [...drop, ...want.filter((u) => !before.includes(u))]) affected.add(u);
  } else {
    const add = await checkMembers(ctx, tx, change.add ?? []);
    const remove = [...new Set(change.remove ?? [])];
    if (remove.length > ctx.maxMembers) throw new RuntimeError('scim/too-many', `At most ${ctx.maxMembers} members.`);
    await tx.removeScimMembers(row.id, remove);
    await tx.addScimMembers(row.id, add);
    for (const u of [...add, ...remove]) affected.add(u);
  }
  const groupChanges = await regrantMembers(ctx, tx, nowIso, who, row, affected);
  const reason = {
    code: prev ? 'scim/replace-group' : 'scim/create-group',
    message: `SCIM write of /Groups/${row.id} (${row.displayName})`,
  };
  await tx.appendAudit(groupEvent(ctx, nowIso, who, prev ? 'updated' : 'created', row, reason, groupChanges));
  return groupRecordOf(tx, row);
}

async function deleteGroup(ctx: Ctx, tx: StoreTx, nowIso: string, actor: ScimActor, id: string): Promise<void> {
  const who = checkActor(actor);
  const row = await tx.findScimGroup(ctx.issuer, id);
  if (!row) throw notFound('Group', id);
  const members = (await tx.scimMembers(id)).map((m) => m.userId);
  await tx.deleteScimGroup(ctx.issuer, id);
  const changes = await regrantMembers(ctx, tx, nowIso, who, row, new Set(members));
  const reason = { code: 'scim/delete-group', message: `SCIM DELETE /Groups/${id} (${row.displayName})` };
  await tx.appendAudit(groupEvent(ctx, nowIso, who, 'updated', row, reason, changes));
}

/** The audit event of the group write itself: subject `group:<id>`, changes the accounts whose roles changed. */
function groupEvent(
  ctx: Ctx,
  nowIso: string,
  actor: string,
  action: NewAuditEvent['action'],
  row: ScimGroupRow,
  reason: { code: string; message: string },
  regranted: string[],
): NewAuditEvent {
  const message = regranted.length
    ? `${reason.message}; grants recomputed for ${regranted.join(', ')}`
    : reason.message;
  return { ...audit(ctx, nowIso, actor, action, null, { ...reason, message }, [], []), subject: `group:${row.id}` };
}

/**
 * Recomputes the grants of every linked account among `userIds` from its SCIM membership; each account whose
 * grants change gets its own audit event (so its trail shows the role a group removal took). Returns the subjects
 * of those accounts, for the group's own event.
 */
async function regrantMembers(
  ctx: Ctx,
  tx: StoreTx,
  nowIso: string,
  who: string,
  group: ScimGroupRow,
  userIds: ReadonlySet<string>,
): Promise<string[]> {
  const claim = ctx.scim.groups;
  if (claim === null) return [];
  const out: string[] = [];
  for (const uid of [...userIds].sort()) {
    const u = await tx.findScimUser(ctx.issuer, uid);
    const account = u?.accountId ? await tx.findById(u.accountId) : null;
    if (!u || !account) continue;
    const groups = (await tx.scimGroupsOf(uid)).map((g) => g.displayName);
    const changes: Change[] = [];
    const r = await regrant(tx, ctx.plan, account, claim, groups, nowIso, changes);
    if (changes.length === 0) continue;
    const reason = { code: 'scim/group-membership', message: `SCIM membership of group ${group.displayName} changed.` };
    await tx.appendAudit(audit(ctx, nowIso, who, 'updated', r.account, reason, changes, r.rules));
    out.push(account.subject);
  }
  return out;
}
