/**
 * The request sequences Okta's and Microsoft Entra ID's provisioning clients send (test/scim/fixtures/*.json, each
 * step a request, the expected status and a subset of the expected body), over real HTTP on loopback, against every
 * store kind.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createScimToken } from '../../src/scim/index.js';
import { serviceFor } from './service.js';
import { startScimServer } from './server.js';
import { storeKinds } from './stores.js';

interface Step {
  name: string;
  request: { method: string; path: string; body?: unknown };
  expect: { status: number; body?: unknown; absent?: string[] };
  save?: Record<string, string>;
}

interface Flow {
  name: string;
  source: string;
  steps: Step[];
}

const DIR = join(import.meta.dirname, 'fixtures');
const FLOWS = readdirSync(DIR)
  .filter((f) => f.endsWith('.json'))
  .sort()
  .map((f) => [f, JSON.parse(readFileSync(join(DIR, f), 'utf8')) as Flow] as const);

/** `${name}` in every string of `value`, replaced by the saved values. */
function interpolate<T>(value: T, vars: Record<string, string>): T {
  if (typeof value === 'string') {
    return value.replace(/\$\{(\w+)\}/g, (_, k: string) => {
      const v = vars[k];
      if (v === undefined) throw new Error(`fixture uses \${${k}} before saving it`);
      return v;
    }) as T;
  }
  if (Array.isArray(value)) return value.map((v) => interpolate(v, vars)) as T;
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, interpolate(v, vars)])) as T;
  }
  return value;
}

/** The value at a JSON pointer, or undefined. */
function at(value: unknown, pointer: string): unknown {
  let cur = value;
  for (const raw of pointer.split('/').slice(1)) {
    const k = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[k];
  }
  return cur;
}

/**
 * `expected` is a subset of `actual`: objects by key (recursively), arrays of the same length element by element,
 * everything else equal.
 */
function expectSubset(actual: unknown, expected: unknown, where: string): void {
  if (Array.isArray(expected)) {
    expect(Array.isArray(actual), `${where} is an array`).toBe(true);
    expect((actual as unknown[]).length, `${where} length`).toBe(expected.length);
    for (const [i, e] of expected.entries()) expectSubset((actual as unknown[])[i], e, `${where}/${i}`);
  } else if (expected !== null && typeof expected === 'object') {
    expect(actual !== null && typeof actual === 'object' && !Array.isArray(actual), `${where} is an object`).toBe(true);
    for (const [k, v] of Object.entries(expected))
      expectSubset((actual as Record<string, unknown>)[k], v, `${where}/${k}`);
  } else {
    expect(actual, where).toEqual(expected);
  }
}

it('has the Okta and Entra flows', () => {
  expect(FLOWS.map(([f]) => f)).toEqual([
    'entra-groups.json',
    'entra-users.json',
    'okta-groups.json',
    'okta-users.json',
  ]);
});

for (const kind of storeKinds()) {
  describe(`SCIM flows on ${kind.name}`, () => {
    for (const [file, flow] of FLOWS) {
      it(`${flow.name} (${file})`, async () => {
        const store = await kind.open();
        const { token } = await createScimToken(store, 'idp');
        const server = await startScimServer({ service: serviceFor(store), store, basePath: '/scim/v2' }, token);
        const vars: Record<string, string> = {};
        try {
          for (const step of flow.steps) {
            const req = interpolate(step.request, vars);
            const res = await server.request(
              req.method,
              `/scim/v2${req.path}`,
              req.body === undefined ? {} : { body: req.body },
            );
            expect(res.status, `${step.name}: status (body ${res.text.slice(0, 300)})`).toBe(step.expect.status);
            if (res.status !== 204) {
              expect(res.headers['content-type'], step.name).toBe('application/scim+json; charset=utf-8');
            }
            if (step.expect.body !== undefined) expectSubset(res.body, interpolate(step.expect.body, vars), step.name);
            for (const p of step.expect.absent ?? [])
              expect(at(res.body, p), `${step.name}: ${p} absent`).toBeUndefined();
            for (const [name, pointer] of Object.entries(step.save ?? {})) {
              const v = at(res.body, pointer);
              expect(typeof v, `${step.name}: saves ${name}`).toBe('string');
              vars[name] = v as string;
            }
          }
          expect(server.errors).toEqual([]);
          expect(server.log.every((l) => l.actor === 'scim:idp')).toBe(true);
        } finally {
          await server.close();
          await store.close();
        }
      });
    }
  });
}
