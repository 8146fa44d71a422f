/**
 * `createScimHandler`: the SCIM 2.0 service provider as a `node:http` request handler (RFC 7644). Transport only:
 * routing, bearer-token authentication, body and count caps, filter and PATCH parsing, ETags, RFC 7644 §3.12
 * errors. Resources, linking and effects on accounts are the {@link ScimService}'s (src/runtime/scim/).
 */
import type { JsonValue } from '../model/claim-set.js';
import type { Plan } from '../model/plan.js';
import { parseStrictJson, toJsonData, type StrictJsonOptions } from '../json/strict-json.js';
import type { Store } from '../runtime/store.js';
import type {
  ScimActor,
  ScimGroupRecord,
  ScimJson,
  ScimMeta,
  ScimService,
  ScimUserRecord,
} from '../runtime/scim/types.js';
import {
  auditScimUnauthenticated,
  matchScimToken,
  verifyScimToken,
  type ScimAuthResult,
} from '../runtime/scim/tokens.js';
import { ScimHttpError, scimErrorBody, toScimHttpError } from './errors.js';
import {
  ENTERPRISE_USER_SCHEMA,
  LIST_SCHEMA,
  listOf,
  resourceTypes,
  schemas,
  serviceProviderConfig,
} from './discovery.js';
import { createScimService } from '../runtime/scim/service.js';
import { GROUP_SCHEMA, parseListFilter, USER_SCHEMA } from './filter.js';
import { applyPatch, parsePatchBody, splitGroupPatch } from './patch.js';
import { hashScimToken } from '../runtime/scim/tokens.js';

type JsonObject = { [key: string]: JsonValue };

/**
 * Limits on untrusted requests, each with a documented default.
 *
 * @example
 * ```ts
 * createScimHandler({ service, store, limits: { maxBodyBytes: 256 * 1024 } satisfies Partial<ScimLimits> });
 * ```
 */
export interface ScimLimits {
  /** Largest request body, in bytes (default 1 MiB); more is 413. */
  maxBodyBytes: number;
  /** Most PATCH operations in one request (default 100); more is 400 tooMany. */
  maxOperations: number;
  /** Most member ids one request may name (POST/PUT members, PATCH add/remove; default 1000); more is 400 tooMany. */
  maxMembers: number;
  /** Page size when `count` is absent (default 100). */
  defaultCount: number;
  /** Largest page (default 200; a larger `count` is lowered to it, as RFC 7644 §3.4.2.4 allows). */
  maxCount: number;
  /** Longest `filter` (default 1000 characters); longer is 400 invalidFilter. */
  maxFilterLength: number;
  /** Audit events for refused (401) calls per minute (default 60); more are counted, not stored one by one. */
  maxUnauthenticatedAuditsPerMinute: number;
}

/**
 * The defaults of {@link ScimLimits}.
 *
 * @example
 * ```ts
 * createScimHandler({ service, store, limits: { maxCount: DEFAULT_SCIM_LIMITS.maxCount * 2 } });
 * ```
 */
export const DEFAULT_SCIM_LIMITS: Readonly<ScimLimits> = Object.freeze({
  maxBodyBytes: 1024 * 1024,
  maxOperations: 100,
  maxMembers: 1000,
  defaultCount: 100,
  maxCount: 200,
  maxFilterLength: 1000,
  maxUnauthenticatedAuditsPerMinute: 60,
});

/**
 * Where bearer tokens are checked: a list of `{ name, token }` (an app's own secrets), a function returning the
 * token's name or null, or (the default when `store` is given) the store's `scim_tokens`.
 *
 * @example
 * ```ts
 * const tokens: ScimTokenSource = [{ name: 'okta-prod', token: process.env.SCIM_TOKEN ?? '' }];
 * ```
 */
export type ScimTokenSource =
  | readonly { name: string; token: string }[]
  | ((token: string) => string | null | Promise<string | null>);

/**
 * One handled request, for a log line: never a body, a query string or a header.
 *
 * @example
 * ```ts
 * const onRequest = (e: ScimRequestLog) => console.log(e.method, e.path, e.status, e.actor);
 * ```
 */
export interface ScimRequestLog {
  method: string;
  /** The path without the query string. */
  path: string;
  status: number;
  /** `scim:<token name>`, or `scim:unauthenticated`. */
  actor: string;
}

/**
 * Options of {@link createScimHandler}.
 *
 * @example
 * ```ts
 * const options: ScimHandlerOptions = { service, store, basePath: '/scim/v2' };
 * ```
 */
export interface ScimHandlerOptions {
  /** The SCIM service (resources, linking, effects); default the service over `store` and `plan`. */
  service?: ScimService;
  /** The compiled plan the service provisions with (with `store`, when no `service` is given). */
  plan?: Plan;
  /** The store: where tokens are read (unless `tokens` is given) and refused calls are audited. */
  store?: Store;
  /** Where bearer tokens are checked; default the store's. One of `store` or `tokens` is required. */
  tokens?: ScimTokenSource;
  /** The path prefix the endpoints live under (default `''`: `/Users`, `/Groups`...), e.g. `/scim/v2`. */
  basePath?: string;
  /** The absolute URL of the base path as clients see it, for `meta.location` (default: from the Host header). */
  publicUrl?: string;
  limits?: Partial<ScimLimits>;
  /** Called once per request answered (for access logs). */
  onRequest?: (entry: ScimRequestLog) => void;
  /** Called with an unexpected error (a 500); the client only gets "Internal error.". */
  onError?: (error: unknown, entry: ScimRequestLog) => void;
}

/**
 * A request handler for `node:http` (and Express, Fastify's middie, Connect): `(req, res, next?)`. Requests outside
 * `basePath` go to `next` when given (404 otherwise).
 *
 * @example
 * ```ts
 * http.createServer(createScimHandler({ service, store, basePath: '/scim/v2' })).listen(8080, '127.0.0.1');
 * ```
 */
export type ScimHandler = (req: ScimHttpRequest, res: ScimHttpResponse, next?: (err?: unknown) => void) => void;

/**
 * What the handler reads of a request: the part of `node:http`'s IncomingMessage it uses (so the types need no
 * `@types/node`; an IncomingMessage, an Express or a Fastify raw request is one).
 *
 * @example
 * ```ts
 * http.createServer((req: ScimHttpRequest, res) => handler(req, res));
 * ```
 */
export interface ScimHttpRequest extends AsyncIterable<Uint8Array | string> {
  method?: string | undefined;
  url?: string | undefined;
  headers: Record<string, string | string[] | undefined>;
  /** True once the body was read (by a body parser that set `body`). */
  readableEnded: boolean;
  resume(): unknown;
  socket?: unknown;
  /** A body an Express parser already read; used when the stream is consumed. */
  body?: unknown;
  /** Express's mount path, for meta.location. */
  baseUrl?: string;
}

/**
 * What the handler writes of a response: the part of `node:http`'s ServerResponse it uses.
 *
 * @example
 * ```ts
 * const res: ScimHttpResponse = serverResponse;
 * ```
 */
export interface ScimHttpResponse {
  statusCode: number;
  readonly headersSent: boolean;
  setHeader(name: string, value: string): unknown;
  end(chunk?: string): unknown;
}

const SCIM_JSON = 'application/scim+json; charset=utf-8';
const JSON_LIMITS: StrictJsonOptions = { maxDepth: 32, maxStringLength: 65_536 };

/** What the handler resolved for one request. */
interface Ctx {
  req: ScimHttpRequest;
  res: ScimHttpResponse;
  method: string;
  /** Path below basePath, without the query. */
  route: string;
  query: URLSearchParams;
  actor: ScimActor;
  /** The absolute base URL, for `meta.location`. */
  base: string;
}

/**
 * Creates the SCIM 2.0 handler. Every request needs `Authorization: Bearer <token>`; 401 otherwise (with
 * `WWW-Authenticate`, and an audit event when a store is given).
 *
 * @example
 * ```ts
 * import http from 'node:http';
 * import { createScimHandler } from 'claimmap/scim';
 * const handler = createScimHandler({ service, store, basePath: '/scim/v2' });
 * http.createServer(handler).listen(8080, '127.0.0.1');
 * // Express: app.use(createScimHandler({ service, store, basePath: '/scim/v2' })) before any body parser.
 * ```
 */
export function createScimHandler(options: ScimHandlerOptions): ScimHandler {
  if (!options || typeof options !== 'object') throw new TypeError('createScimHandler: options are required');
  const limits: ScimLimits = { ...DEFAULT_SCIM_LIMITS, ...options.limits };
  for (const [k, v] of Object.entries(limits)) {
    if (!Number.isSafeInteger(v) || v < 1)
      throw new TypeError(`createScimHandler: limits.${k} must be a positive integer`);
  }
  const basePath = (options.basePath ?? '').replace(/\/+$/, '');
  if (basePath !== '' && !/^\/[A-Za-z0-9._~/-]*$/.test(basePath)) {
    throw new TypeError('createScimHandler: basePath must be a path such as /scim/v2');
  }
  const authenticate = makeAuthenticator(options);
  const auditRefusal = makeRefusalAuditor(options.store, limits.maxUnauthenticatedAuditsPerMinute);
  const service = serviceOf(options);

  return (req, res, next) => {
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const rawPath = q === -1 ? url : url.slice(0, q);
    const log: ScimRequestLog = {
      method: req.method ?? 'GET',
      path: rawPath.slice(0, 512),
      status: 0,
      actor: 'scim:unauthenticated',
    };
    let path: string;
    try {
      path = decodeURIComponent(rawPath);
    } catch {
      path = rawPath;
    }
    if (basePath !== '' && path !== basePath && !path.startsWith(`${basePath}/`)) {
      if (next) {
        next();
        return;
      }
    }
    const done = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      log.status = status;
      if (!res.headersSent) {
        res.statusCode = status;
        for (const [k, v] of Object.entries(headers)) res.setHeader(k, v);
        if (body === undefined) res.end();
        else {
          res.setHeader('Content-Type', SCIM_JSON);
          res.end(JSON.stringify(body));
        }
      }
      options.onRequest?.(log);
    };
    const fail = (e: unknown) => {
      const { error, internal } = toScimHttpError(e);
      if (internal) options.onError?.(e, { ...log, status: error.status });
      done(error.status, scimErrorBody(error.status, error.scimType, error.detail), error.headers);
    };
    void (async () => {
      if (basePath !== '' && path !== basePath && !path.startsWith(`${basePath}/`)) {
        throw new ScimHttpError(404, undefined, 'Not a SCIM endpoint.');
      }
      const auth = await authenticate(bearerOf(req));
      if (!auth.ok) {
        log.actor = auth.reason === 'revoked' && auth.name ? `scim:${auth.name}` : 'scim:unauthenticated';
        drain(req);
        await auditRefusal({
          reason: auth.reason,
          ...(auth.name ? { name: auth.name } : {}),
          method: log.method,
          path: log.path,
        });
        throw new ScimHttpError(401, undefined, 'A valid bearer token is required.', {
          'WWW-Authenticate': `Bearer realm="SCIM"${auth.reason === 'missing' ? '' : ', error="invalid_token"'}`,
        });
      }
      log.actor = `scim:${auth.name}`;
      const ctx: Ctx = {
        req,
        res,
        method: log.method.toUpperCase(),
        route: path.slice(basePath.length) || '/',
        query: new URLSearchParams(q === -1 ? '' : url.slice(q + 1)),
        actor: { tokenName: auth.name },
        base: baseUrl(req, options.publicUrl, basePath),
      };
      const answer = await route(ctx, service, limits);
      done(answer.status, answer.body, answer.headers);
    })().catch(fail);
  };
}

/** The service given, or the one over `store` and `plan`. */
function serviceOf(options: ScimHandlerOptions): ScimService {
  if (options.service) return options.service;
  if (!options.store || !options.plan) {
    throw new TypeError('createScimHandler: give options.service, or options.store and options.plan');
  }
  return createScimService({
    store: options.store,
    plan: options.plan,
    maxMembersPerWrite: options.limits?.maxMembers ?? DEFAULT_SCIM_LIMITS.maxMembers,
  });
}

interface Answer {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

async function route(ctx: Ctx, service: ScimService, limits: ScimLimits): Promise<Answer> {
  const segments = ctx.route.split('/').filter((s) => s !== '');
  const [kind, id, extra] = segments;
  const m = ctx.method;
  const allow = (...methods: string[]) => {
    if (!methods.includes(m)) {
      throw new ScimHttpError(405, undefined, `${m} is not allowed here; use ${methods.join(', ')}.`, {
        Allow: methods.join(', '),
      });
    }
  };
  if (kind === undefined || extra !== undefined) throw new ScimHttpError(404, undefined, 'Not a SCIM endpoint.');
  switch (kind) {
    case 'ServiceProviderConfig':
      allow('GET');
      if (id !== undefined) throw new ScimHttpError(404, undefined, 'Not a SCIM endpoint.');
      return {
        status: 200,
        body: serviceProviderConfig(ctx.base, limits.maxCount, limits.maxOperations, limits.maxBodyBytes),
      };
    case 'ResourceTypes': {
      allow('GET');
      const all = resourceTypes(ctx.base);
      if (id === undefined) return { status: 200, body: listOf(all) };
      const one = all.find((r) => r.id === id);
      if (!one) throw new ScimHttpError(404, undefined, 'No such resource type.');
      return { status: 200, body: one };
    }
    case 'Schemas': {
      allow('GET');
      const all = schemas(ctx.base);
      if (id === undefined) return { status: 200, body: listOf(all) };
      const one = all.find((s) => s.id === id);
      if (!one) throw new ScimHttpError(404, undefined, 'No such schema.');
      return { status: 200, body: one };
    }
    case 'Users':
      return id === undefined ? users(ctx, service, limits, allow) : user(ctx, service, limits, id, allow);
    case 'Groups':
      return id === undefined ? groups(ctx, service, limits, allow) : group(ctx, service, limits, id, allow);
    case 'Bulk':
    case '.search':
    case 'Me':
      throw new ScimHttpError(501, undefined, `/${kind} is not supported by this service provider.`);
    default:
      throw new ScimHttpError(404, undefined, 'Not a SCIM endpoint.');
  }
}

type Allow = (...methods: string[]) => void;

async function users(ctx: Ctx, service: ScimService, limits: ScimLimits, allow: Allow): Promise<Answer> {
  allow('GET', 'POST');
  if (ctx.method === 'POST') {
    const body = await readBody(ctx, limits);
    const created = await service.createUser(ctx.actor, inputResource(body, 'User'));
    return created201(ctx, userJson(ctx, created), created);
  }
  const filter = ctx.query.get('filter');
  const eq = filter === null ? undefined : parseListFilter(filter, 'User', limits.maxFilterLength);
  const { startIndex, count } = paging(ctx.query, limits);
  if (eq === 'empty' || count === 0) {
    const total =
      eq === 'empty' ? 0 : (await service.queryUsers({ ...(eq ? { eq } : {}), startIndex, count: 1 })).totalResults;
    return { status: 200, body: listResponse([], total, startIndex) };
  }
  const page = await service.queryUsers({ ...(eq ? { eq } : {}), startIndex, count });
  const projection = projectionOf(ctx.query);
  return {
    status: 200,
    body: listResponse(
      page.resources.slice(0, count).map((u) => project(userJson(ctx, u), projection)),
      page.totalResults,
      startIndex,
    ),
  };
}

async function user(ctx: Ctx, service: ScimService, limits: ScimLimits, id: string, allow: Allow): Promise<Answer> {
  allow('GET', 'PUT', 'PATCH', 'DELETE');
  const ifMatch = ctx.req.headers['if-match'];
  switch (ctx.method) {
    case 'GET': {
      const found = await service.getUser(id);
      if (!found) throw notFound('User', id);
      return ok(ctx, project(userJson(ctx, found), projectionOf(ctx.query)), found);
    }
    case 'PUT': {
      const body = await readBody(ctx, limits);
      const expected =
        ifMatch === undefined ? undefined : await checkIfMatch(ifMatch, () => service.getUser(id), 'User', id);
      const updated = await service.replaceUser(ctx.actor, id, inputResource(body, 'User'), expected);
      return ok(ctx, userJson(ctx, updated), updated);
    }
    case 'PATCH': {
      const body = await readBody(ctx, limits);
      const ops = parsePatchBody(body, limits.maxOperations, [ENTERPRISE_USER_SCHEMA]);
      for (let attempt = 0; ; attempt++) {
        const current = await service.getUser(id);
        if (!current) throw notFound('User', id);
        if (ifMatch !== undefined) matchVersion(ifMatch, current.meta);
        const next = normaliseResource(applyPatch(current.resource, ops, [ENTERPRISE_USER_SCHEMA]));
        try {
          const updated = await service.replaceUser(ctx.actor, id, next, current.meta.version);
          return ok(ctx, userJson(ctx, updated), updated);
        } catch (e) {
          // Another write landed between the read and this one: read again, unless the client pinned a version.
          if (!isCode(e, 'scim/version-mismatch') || ifMatch !== undefined || attempt >= 4) throw e;
        }
      }
    }
    default: {
      if (ifMatch !== undefined) await checkIfMatch(ifMatch, () => service.getUser(id), 'User', id);
      await service.deleteUser(ctx.actor, id);
      return { status: 204 };
    }
  }
}

async function groups(ctx: Ctx, service: ScimService, limits: ScimLimits, allow: Allow): Promise<Answer> {
  allow('GET', 'POST');
  if (ctx.method === 'POST') {
    const body = await readBody(ctx, limits);
    const { resource, members } = splitMembers(inputResource(body, 'Group'), limits);
    const created = await service.createGroup(ctx.actor, resource, members);
    return created201(ctx, groupJson(ctx, created, false), created);
  }
  const filter = ctx.query.get('filter');
  const eq = filter === null ? undefined : parseListFilter(filter, 'Group', limits.maxFilterLength);
  const { startIndex, count } = paging(ctx.query, limits);
  const projection = projectionOf(ctx.query);
  const withoutMembers = !projection.wants('members');
  if (eq === 'empty' || count === 0) {
    const total =
      eq === 'empty'
        ? 0
        : (await service.queryGroups({ ...(eq ? { eq } : {}), startIndex, count: 1, withoutMembers: true }))
            .totalResults;
    return { status: 200, body: listResponse([], total, startIndex) };
  }
  const page = await service.queryGroups({ ...(eq ? { eq } : {}), startIndex, count, withoutMembers });
  return {
    status: 200,
    body: listResponse(
      page.resources.slice(0, count).map((g) => project(groupJson(ctx, g, withoutMembers), projection)),
      page.totalResults,
      startIndex,
    ),
  };
}

async function group(ctx: Ctx, service: ScimService, limits: ScimLimits, id: string, allow: Allow): Promise<Answer> {
  allow('GET', 'PUT', 'PATCH', 'DELETE');
  const ifMatch = ctx.req.headers['if-match'];
  switch (ctx.method) {
    case 'GET': {
      const projection = projectionOf(ctx.query);
      const withoutMembers = !projection.wants('members');
      const found = await service.getGroup(id, { withoutMembers });
      if (!found) throw notFound('Group', id);
      return ok(ctx, project(groupJson(ctx, found, withoutMembers), projection), found);
    }
    case 'PUT': {
      const body = await readBody(ctx, limits);
      const { resource, members } = splitMembers(inputResource(body, 'Group'), limits);
      const expected =
        ifMatch === undefined
          ? undefined
          : await checkIfMatch(ifMatch, () => service.getGroup(id, { withoutMembers: true }), 'Group', id);
      const updated = await service.replaceGroup(ctx.actor, id, resource, members, expected);
      return ok(ctx, groupJson(ctx, updated, false), updated);
    }
    case 'PATCH': {
      const body = await readBody(ctx, limits);
      const ops = parsePatchBody(body, limits.maxOperations, []);
      for (let attempt = 0; ; attempt++) {
        const current = await service.getGroup(id);
        if (!current) throw notFound('Group', id);
        if (ifMatch !== undefined) matchVersion(ifMatch, current.meta);
        const split = splitGroupPatch(
          ops,
          current.members.map((m) => m.value),
          limits.maxMembers,
        );
        try {
          let updated: ScimGroupRecord;
          if (split.other.length === 0 && split.replace === undefined && ifMatch === undefined) {
            // Membership only (what Okta and Entra send one user at a time): no rewrite of the group.
            updated = await service.modifyMembers(ctx.actor, id, { add: split.add, remove: split.remove });
          } else {
            const resource = normaliseResource(applyPatch(current.resource, split.other, []));
            const members = new Set(split.replace ?? current.members.map((m) => m.value));
            if (split.replace === undefined) {
              for (const a of split.add) members.add(a);
              for (const r of split.remove) members.delete(r);
            }
            updated = await service.replaceGroup(ctx.actor, id, resource, [...members], current.meta.version);
          }
          return ok(ctx, groupJson(ctx, updated, false), updated);
        } catch (e) {
          if (!isCode(e, 'scim/version-mismatch') || ifMatch !== undefined || attempt >= 4) throw e;
        }
      }
    }
    default: {
      if (ifMatch !== undefined)
        await checkIfMatch(ifMatch, () => service.getGroup(id, { withoutMembers: true }), 'Group', id);
      await service.deleteGroup(ctx.actor, id);
      return { status: 204 };
    }
  }
}

function isCode(e: unknown, code: string): boolean {
  return typeof e === 'object' && e !== null && (e as { code?: unknown }).code === code;
}

function notFound(type: 'User' | 'Group', id: string): ScimHttpError {
  return new ScimHttpError(404, undefined, `No ${type} with id ${JSON.stringify(id.slice(0, 128))}.`);
}

/** The weak ETag of a version (RFC 7644 §3.14). */
function etag(meta: ScimMeta): string {
  return `W/"${meta.version}"`;
}

/** 412 unless one of the If-Match entity tags (weak comparison) is the resource's, or `*`. */
function matchVersion(header: string | string[], meta: ScimMeta): void {
  const tags = (Array.isArray(header) ? header.join(',') : header).split(',').map((t) => t.trim());
  const ok = tags.some((t) => t === '*' || t.replace(/^W\//, '') === `"${meta.version}"`);
  if (!ok) throw new ScimHttpError(412, undefined, 'The resource changed since that version (If-Match).');
}

async function checkIfMatch(
  header: string | string[],
  read: () => Promise<ScimUserRecord | ScimGroupRecord | null>,
  type: 'User' | 'Group',
  id: string,
): Promise<string> {
  const current = await read();
  if (!current) throw notFound(type, id);
  matchVersion(header, current.meta);
  return current.meta.version;
}

/** 200 with the resource, its ETag and Content-Location. */
function ok(ctx: Ctx, body: JsonObject, rec: { id: string; meta: ScimMeta }): Answer {
  return {
    status: 200,
    body,
    headers: { ETag: etag(rec.meta), 'Content-Location': locationOf(ctx, rec.meta, rec.id) },
  };
}

/** 201 with the new resource, its ETag and Location (RFC 7644 §3.3). */
function created201(ctx: Ctx, body: JsonObject, rec: { id: string; meta: ScimMeta }): Answer {
  return { status: 201, body, headers: { ETag: etag(rec.meta), Location: locationOf(ctx, rec.meta, rec.id) } };
}

function locationOf(ctx: Ctx, meta: ScimMeta, id: string): string {
  return `${ctx.base}/${meta.resourceType}s/${encodeURIComponent(id)}`;
}

function metaJson(ctx: Ctx, meta: ScimMeta, id: string): JsonObject {
  return {
    resourceType: meta.resourceType,
    created: meta.created,
    lastModified: meta.lastModified,
    version: etag(meta),
    location: locationOf(ctx, meta, id),
  };
}

function userJson(ctx: Ctx, u: ScimUserRecord): JsonObject {
  const { schemas: given, ...rest } = u.resource;
  const schemaList = new Set([
    USER_SCHEMA,
    ...(Array.isArray(given) ? given.filter((s): s is string => typeof s === 'string') : []),
  ]);
  for (const k of Object.keys(rest))
    if (k.toLowerCase() === ENTERPRISE_USER_SCHEMA.toLowerCase()) schemaList.add(ENTERPRISE_USER_SCHEMA);
  return {
    schemas: [...schemaList],
    id: u.id,
    ...rest,
    groups: u.groups.map((g) => ({
      value: g.value,
      display: g.display,
      $ref: `${ctx.base}/Groups/${encodeURIComponent(g.value)}`,
    })),
    meta: metaJson(ctx, u.meta, u.id),
  };
}

function groupJson(ctx: Ctx, g: ScimGroupRecord, withoutMembers: boolean): JsonObject {
  const { schemas: _given, ...rest } = g.resource;
  return {
    schemas: [GROUP_SCHEMA],
    id: g.id,
    ...rest,
    ...(withoutMembers
      ? {}
      : {
          members: g.members.map((m) => ({
            value: m.value,
            ...(m.display === undefined ? {} : { display: m.display }),
            $ref: `${ctx.base}/Users/${encodeURIComponent(m.value)}`,
          })),
        }),
    meta: metaJson(ctx, g.meta, g.id),
  };
}

function listResponse(resources: JsonObject[], total: number, startIndex: number) {
  return {
    schemas: [LIST_SCHEMA],
    totalResults: total,
    startIndex,
    itemsPerPage: resources.length,
    Resources: resources,
  };
}

/** `startIndex` (1-based; below 1 is 1) and `count` (default and cap from the limits; below 0 is 0), RFC 7644 §3.4.2.4. */
function paging(query: URLSearchParams, limits: ScimLimits): { startIndex: number; count: number } {
  const int = (name: string, dflt: number) => {
    const v = query.get(name);
    if (v === null || v === '') return dflt;
    if (!/^-?[0-9]{1,15}$/.test(v)) throw new ScimHttpError(400, 'invalidValue', `${name} must be an integer.`);
    return Number(v);
  };
  return {
    startIndex: Math.max(1, int('startIndex', 1)),
    count: Math.min(limits.maxCount, Math.max(0, int('count', limits.defaultCount))),
  };
}

/** `attributes` / `excludedAttributes` (RFC 7644 §3.4.2.5) on top-level attributes; `id` and `schemas` always stay. */
interface Projection {
  only?: Set<string>;
  without: Set<string>;
  wants(attr: string): boolean;
}

function projectionOf(query: URLSearchParams): Projection {
  const names = (v: string | null) =>
    v === null
      ? undefined
      : new Set(
          v
            .split(',')
            .map((s) => s.trim())
            .filter((s) => s !== '')
            .map(
              (s) =>
                s
                  .replace(/^urn:ietf:params:scim:schemas:core:2\.0:(User|Group):/i, '')
                  .split('.')[0]
                  ?.toLowerCase() ?? '',
            ),
        );
  const only = names(query.get('attributes'));
  const without = names(query.get('excludedAttributes')) ?? new Set<string>();
  return {
    ...(only ? { only } : {}),
    without,
    wants: (a) => {
      const l = a.toLowerCase();
      return (only === undefined || only.has(l)) && !without.has(l);
    },
  };
}

const ALWAYS = new Set(['id', 'schemas']);

function project(body: JsonObject, p: Projection): JsonObject {
  if (p.only === undefined && p.without.size === 0) return body;
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(body)) if (ALWAYS.has(k) || p.wants(k)) out[k] = v;
  return out;
}

/** A User or Group body as the service takes it: `id`, `meta`, `password` and (users) `groups` dropped; `active` a boolean. */
function inputResource(body: JsonValue, type: 'User' | 'Group'): ScimJson {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new ScimHttpError(400, 'invalidSyntax', `A ${type} is a JSON object.`);
  }
  const out: ScimJson = {};
  for (const [k, v] of Object.entries(body)) {
    const l = k.toLowerCase();
    // id and meta are the server's; groups is computed; a password is write-only and never stored (claimmap
    // authenticates through the IdP), so it is dropped before the service sees the resource.
    if (l === 'id' || l === 'meta' || l === 'password' || (type === 'User' && l === 'groups')) continue;
    out[k] = v;
  }
  return normaliseResource(out);
}

/**
 * `"active": "True"` / `"False"` (Entra sends strings) becomes a boolean; any other non-boolean `active` is 400
 * invalidValue.
 */
function normaliseResource(resource: ScimJson): ScimJson {
  const key = Object.keys(resource).find((k) => k.toLowerCase() === 'active');
  if (key === undefined) return resource;
  const v = resource[key];
  const out = { ...resource };
  delete out[key];
  if (typeof v === 'boolean') out.active = v;
  else if (typeof v === 'string' && /^(true|false)$/i.test(v)) out.active = v.toLowerCase() === 'true';
  else if (v !== null) throw new ScimHttpError(400, 'invalidValue', 'active must be a boolean.');
  return out;
}

function splitMembers(resource: ScimJson, limits: ScimLimits): { resource: ScimJson; members: string[] } {
  const key = Object.keys(resource).find((k) => k.toLowerCase() === 'members');
  if (key === undefined) return { resource, members: [] };
  const raw = resource[key];
  const rest = { ...resource };
  delete rest[key];
  if (raw !== null && !Array.isArray(raw)) throw new ScimHttpError(400, 'invalidValue', 'members must be an array.');
  const list = raw ?? [];
  if (list.length > limits.maxMembers) {
    throw new ScimHttpError(400, 'tooMany', `A request may name at most ${limits.maxMembers} members.`);
  }
  const members = list.map((m, i) => {
    const v = typeof m === 'object' && m !== null && !Array.isArray(m) ? m.value : undefined;
    if (typeof v !== 'string' || v === '')
      throw new ScimHttpError(400, 'invalidValue', `members[${i}].value must be a member id.`);
    return v;
  });
  return { resource: rest, members: [...new Set(members)] };
}

/**
 * Reads the body (at most `maxBodyBytes`: 413 beyond, without reading the rest) as strict JSON. A body an Express
 * parser already read (`req.body`) is copied under the same limits.
 */
async function readBody(ctx: Ctx, limits: ScimLimits): Promise<JsonValue> {
  const { req } = ctx;
  const type = String(req.headers['content-type'] ?? '')
    .split(';')[0]
    ?.trim()
    .toLowerCase();
  if (type !== 'application/scim+json' && type !== 'application/json') {
    drain(req);
    throw new ScimHttpError(415, undefined, 'The body must be application/scim+json (or application/json).');
  }
  const parsed = req.body;
  if (parsed !== undefined && req.readableEnded) {
    const copy = toJsonData(parsed, JSON_LIMITS);
    if (!copy.ok)
      throw new ScimHttpError(400, 'invalidSyntax', `The body is not usable JSON: ${copy.problem.message}.`);
    return copy.value;
  }
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limits.maxBodyBytes) {
    drain(req);
    throw tooLarge(limits);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const part of req) {
    const chunk =
      typeof part === 'string' ? Buffer.from(part, 'utf8') : Buffer.from(part.buffer, part.byteOffset, part.byteLength);
    size += chunk.length;
    if (size > limits.maxBodyBytes) {
      drain(req);
      throw tooLarge(limits);
    }
    chunks.push(chunk);
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(Buffer.concat(chunks));
  } catch {
    throw new ScimHttpError(400, 'invalidSyntax', 'The body is not UTF-8.');
  }
  const result = parseStrictJson(text, JSON_LIMITS);
  if (!result.ok) {
    throw new ScimHttpError(
      400,
      'invalidSyntax',
      `The body is not valid JSON: ${result.problem.message} at ${result.problem.path || '/'}.`,
    );
  }
  return result.value;
}

function tooLarge(limits: ScimLimits): ScimHttpError {
  return new ScimHttpError(413, undefined, `The request body is larger than ${limits.maxBodyBytes} bytes.`, {
    Connection: 'close',
  });
}

/** Stops reading a request whose body will not be used; the connection closes after the answer. */
function drain(req: ScimHttpRequest): void {
  req.resume();
}

function bearerOf(req: ScimHttpRequest): string | undefined {
  const h = req.headers.authorization;
  if (typeof h !== 'string') return undefined;
  const m = /^Bearer[ ]+([\x21-\x7e]+)[ ]*$/i.exec(h);
  return m?.[1];
}

function makeAuthenticator(options: ScimHandlerOptions): (token: string | undefined) => Promise<ScimAuthResult> {
  const source = options.tokens;
  if (source === undefined) {
    const store = options.store;
    if (!store) throw new TypeError('createScimHandler: give options.tokens or options.store (whose tokens are used)');
    return (token) => verifyScimToken(store, token);
  }
  if (typeof source === 'function') {
    return async (token) => {
      if (token === undefined) return { ok: false, reason: 'missing' };
      const name = await source(token);
      return typeof name === 'string' && name !== '' ? { ok: true, name } : { ok: false, reason: 'unknown' };
    };
  }
  if (!Array.isArray(source)) throw new TypeError('createScimHandler: options.tokens must be an array or a function');
  const at = new Date().toISOString();
  const records = source.map((t, i) => {
    if (!t || typeof t.name !== 'string' || t.name === '' || typeof t.token !== 'string' || t.token.length < 16) {
      throw new TypeError(`createScimHandler: tokens[${i}] needs a name and a token of at least 16 characters`);
    }
    return { name: t.name, hash: hashScimToken(t.token), createdAt: at, revokedAt: null };
  });
  return async (token) => matchScimToken(records, token);
}

/**
 * Audits refused calls to the store, at most `perMinute` events a minute (a flood of bad tokens must not fill the
 * audit table); the rest are dropped from the audit trail and still answered 401. An audit failure is not the
 * client's problem: it still gets its 401.
 */
function makeRefusalAuditor(
  store: Store | undefined,
  perMinute: number,
): (r: Parameters<typeof auditScimUnauthenticated>[1]) => Promise<void> {
  let windowStart = 0;
  let inWindow = 0;
  return async (refusal) => {
    if (!store) return;
    const now = Date.now();
    if (now - windowStart >= 60_000) {
      windowStart = now;
      inWindow = 0;
    }
    if (++inWindow > perMinute) return;
    try {
      await auditScimUnauthenticated(store, refusal);
    } catch {
      // the 401 is answered regardless
    }
  };
}

/** The absolute base URL for `meta.location`: `publicUrl`, else the request's scheme and a well-formed Host. */
function baseUrl(req: ScimHttpRequest, publicUrl: string | undefined, basePath: string): string {
  if (publicUrl !== undefined) return publicUrl.replace(/\/+$/, '');
  const host = req.headers.host;
  const scheme = (req.socket as { encrypted?: boolean } | undefined)?.encrypted ? 'https' : 'http';
  const safeHost =
    typeof host === 'string' && /^[A-Za-z0-9.-]+(:[0-9]{1,5})?$|^\[[0-9A-Fa-f:.]+\](:[0-9]{1,5})?$/.test(host)
      ? host
      : 'localhost';
  const mount = typeof req.baseUrl === 'string' ? req.baseUrl : '';
  return `${scheme}://${safeHost}${mount}${basePath}`;
}
