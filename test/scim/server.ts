/** A SCIM handler on a real loopback server (port 0) and a small client for the tests. */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createScimHandler, type ScimHandlerOptions, type ScimRequestLog } from '../../src/scim/index.js';

export interface ScimResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  /** The parsed JSON body, or undefined when there is none. */
  // biome-ignore lint/suspicious/noExplicitAny: response bodies are navigated freely in assertions
  body: any;
  text: string;
}

export interface TestServer {
  url: string;
  log: ScimRequestLog[];
  errors: unknown[];
  request(
    method: string,
    path: string,
    options?: { body?: unknown; raw?: string | Buffer; token?: string | null; headers?: Record<string, string> },
  ): Promise<ScimResponse>;
  close(): Promise<void>;
}

/** Starts a server for `options`; `token` is the default bearer token of `request`. */
export async function startScimServer(options: ScimHandlerOptions, token?: string): Promise<TestServer> {
  const log: ScimRequestLog[] = [];
  const errors: unknown[] = [];
  const handler = createScimHandler({
    ...options,
    onRequest: (e) => log.push(e),
    onError: (e) => errors.push(e),
  });
  const server = http.createServer((req, res) => handler(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    log,
    errors,
    request: (method, path, o = {}) =>
      new Promise((resolve, reject) => {
        const headers: Record<string, string> = { ...o.headers };
        const t = o.token === undefined ? token : o.token;
        if (t !== null && t !== undefined) headers.authorization = `Bearer ${t}`;
        const payload = o.raw ?? (o.body === undefined ? undefined : JSON.stringify(o.body));
        if (payload !== undefined) {
          headers['content-type'] ??= 'application/scim+json';
          headers['content-length'] ??= String(Buffer.byteLength(payload));
        }
        const req = http.request(`${url}${path}`, { method, headers, agent: false }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            let body: unknown;
            try {
              body = text === '' ? undefined : JSON.parse(text);
            } catch {
              body = undefined;
            }
            resolve({ status: res.statusCode ?? 0, headers: res.headers, body, text });
          });
          res.on('error', reject);
        });
        req.on('error', reject);
        if (payload !== undefined) req.write(payload);
        req.end();
      }),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
