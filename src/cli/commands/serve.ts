/**
 * `claimmap serve scim`: the SCIM 2.0 endpoint as a standalone server over a store and a mapping. Loopback only
 * unless `--allow-remote`: it speaks plain HTTP, and bearer tokens must not cross a network in clear, so TLS
 * belongs in a reverse proxy in front of it. One access-log line per request (method, path, status, actor; never
 * a body, a query string or a header); a clean stop on SIGINT or SIGTERM.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Plan } from '../../model/plan.js';
import { listScimTokens } from '../../runtime/scim/tokens.js';
import type { Store } from '../../runtime/index.js';
import { createScimHandler } from '../../scim/handler.js';
import { parseCommandArgs } from '../args.js';
import { UsageError, type CliIO, type Command } from '../command.js';
import { loadMapping, Reported } from '../load.js';
import { didYouMean } from '../suggest.js';
import {
  openCliStore,
  redactStoreSpec,
  reportRuntimeError,
  STORE_HELP,
  StoreFailure,
  DEFAULT_STORE_SPEC,
} from '../store.js';
import { terminalSafe } from '../../runtime/format.js';

const DEFAULT_LISTEN = '127.0.0.1:7644';
const DEFAULT_BASE_PATH = '/scim/v2';

export const command: Command = {
  name: 'serve',
  summary: 'serve the SCIM 2.0 endpoint (users, groups, deactivation) over a store and a mapping',
  help: `Usage: claimmap serve scim (--plan FILE | --mapping FILE) [--store SPEC] [--listen HOST:PORT]
                           [--base-path PATH] [--public-url URL] [--allow-remote]

Serves the SCIM 2.0 endpoint (RFC 7644: /Users, /Groups, /ServiceProviderConfig, /ResourceTypes, /Schemas)
that Okta, Microsoft Entra ID and other IdPs push users and groups to. A SCIM deactivate or delete suspends or
deprovisions the linked account at once, and a group removal removes the roles that group granted, as the
mapping says. Every request needs a bearer token from 'claimmap scim token create NAME'.

The server speaks plain HTTP and listens on loopback only: put a TLS-terminating reverse proxy in front of
it. --allow-remote lets it listen on another address (for a proxy on another host or in a container network);
bearer tokens then cross that network in clear unless something else encrypts it.

Prints one line per request on standard output (time, method, path, status, actor); never a body, a query
string or a header. Stops cleanly on SIGINT or SIGTERM (requests in flight finish).

Options:
${STORE_HELP}
  --plan <file>       the compiled plan (.plan.json) the accounts are provisioned with
  --mapping <file>    or the mapping (.claimmap), compiled at start
  --listen <h:p>      address and port (default ${DEFAULT_LISTEN}; port 0 picks a free one)
  --base-path <path>  where the endpoints live (default ${DEFAULT_BASE_PATH})
  --public-url <url>  the base URL clients use (for meta.location; default from the Host header)
  --allow-remote      listen on a non-loopback address

Exit codes: 0 stopped by a signal; 1 the mapping does not compile; 2 usage error, store failure, or the
address cannot be listened on.
`,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs(args, {
      store: { type: 'string' },
      plan: { type: 'string' },
      mapping: { type: 'string' },
      listen: { type: 'string' },
      'base-path': { type: 'string' },
      'public-url': { type: 'string' },
      'allow-remote': { type: 'boolean' },
    });
    const [what, ...rest] = positionals;
    if (what !== 'scim') {
      throw new UsageError(
        what === undefined ? 'expected what to serve: scim' : `cannot serve '${what}'${didYouMean(what, ['scim'])}`,
      );
    }
    if (rest.length > 0) throw new UsageError('serve scim: expected no other arguments');
    if ((values.plan === undefined) === (values.mapping === undefined)) {
      throw new UsageError('serve scim: give exactly one of --plan FILE or --mapping FILE');
    }
    const listen = parseListen(values.listen ?? DEFAULT_LISTEN);
    if (!isLoopback(listen.host) && !values['allow-remote']) {
      throw new UsageError(
        `--listen ${listen.host} is not a loopback address. The endpoint speaks plain HTTP and bearer tokens must not cross a network in clear: put a TLS reverse proxy in front and listen on 127.0.0.1, or pass --allow-remote if the network between them is already encrypted`,
      );
    }
    const basePath = values['base-path'] ?? DEFAULT_BASE_PATH;
    if (basePath !== '' && !/^\/[A-Za-z0-9._~/-]*$/.test(basePath)) {
      throw new UsageError(`--base-path must be a path such as ${DEFAULT_BASE_PATH} (got "${basePath}")`);
    }
    const publicUrl = values['public-url'];
    if (publicUrl !== undefined && !/^https?:\/\/[^\s]+$/.test(publicUrl)) {
      throw new UsageError(`--public-url must be an http(s) URL (got "${publicUrl}")`);
    }

    let plan: Plan;
    try {
      plan = loadMapping((values.plan ?? values.mapping) as string, io);
    } catch (e) {
      if (e instanceof Reported) return e.exitCode;
      throw e;
    }
    let store: Store;
    try {
      store = await openCliStore(values.store, io);
    } catch (e) {
      if (e instanceof StoreFailure) return e.exitCode;
      throw e;
    }
    try {
      return await serve(io, store, plan, { ...listen, basePath, publicUrl, storeSpec: values.store });
    } catch (e) {
      return reportRuntimeError(e, io);
    } finally {
      await store.close();
    }
  },
};

interface ServeOptions {
  host: string;
  port: number;
  basePath: string;
  publicUrl: string | undefined;
  storeSpec: string | undefined;
}

async function serve(io: CliIO, store: Store, plan: Plan, o: ServeOptions): Promise<number> {
  const live = (await listScimTokens(store)).filter((t) => t.revokedAt === null).length;
  const handler = createScimHandler({
    store,
    plan,
    basePath: o.basePath,
    ...(o.publicUrl === undefined ? {} : { publicUrl: o.publicUrl }),
    onRequest: (e) =>
      io.stdout(`${new Date().toISOString()} ${e.method} ${terminalSafe(e.path)} ${e.status} ${e.actor}\n`),
    onError: (e) => {
      const code =
        typeof e === 'object' && e !== null && 'code' in e ? String((e as { code: unknown }).code) : 'internal';
      io.stderr(`claimmap serve: internal error (${code}); answered 500\n`);
    },
  });
  const server = http.createServer((req, res) => handler(req, res));
  server.headersTimeout = 20_000;
  server.requestTimeout = 60_000;
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(o.port, o.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (e) {
    io.stderr(
      `claimmap serve: cannot listen on ${o.host}:${o.port}: ${(e as NodeJS.ErrnoException).code ?? String(e)}\n`,
    );
    return 2;
  }
  const addr = server.address() as AddressInfo;
  const host = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
  io.stderr(
    `claimmap: SCIM endpoint at http://${host}:${addr.port}${o.basePath} (store ${redactStoreSpec(o.storeSpec ?? io.env.CLAIMMAP_STORE ?? DEFAULT_STORE_SPEC)}, mapping ${terminalSafe(plan.name)})\n`,
  );
  if (live === 0) {
    io.stderr(
      "claimmap: warning: the store has no live SCIM token, so every request is refused (401); create one with 'claimmap scim token create NAME'\n",
    );
  }
  await stopSignal(io);
  io.stderr('claimmap: stopping (requests in flight finish)\n');
  await new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeIdleConnections();
  });
  return 0;
}

/** Resolves on SIGINT or SIGTERM (or `io.signal`, for tests), removing its listeners. */
function stopSignal(io: CliIO): Promise<void> {
  const signal = io.signal;
  if (signal) {
    return signal.aborted
      ? Promise.resolve()
      : new Promise((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
  }
  return new Promise((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}

/** `HOST:PORT`, `[IPV6]:PORT` or `:PORT` (loopback). */
function parseListen(text: string): { host: string; port: number } {
  const m = /^(?:\[([0-9A-Fa-f:.]+)\]|([A-Za-z0-9.-]*)):([0-9]{1,5})$/.exec(text);
  const port = m ? Number(m[3]) : Number.NaN;
  if (!m || port > 65535) throw new UsageError(`--listen must be HOST:PORT, e.g. ${DEFAULT_LISTEN} (got "${text}")`);
  return { host: m[1] ?? (m[2] === '' || m[2] === undefined ? '127.0.0.1' : m[2]), port };
}

/** 127.0.0.0/8, ::1 and localhost. */
function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}$/.test(host);
}
