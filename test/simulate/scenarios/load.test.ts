import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadScenarioFile } from '../../../src/simulate/scenarios/load.js';

const dir = mkdtempSync(join(tmpdir(), 'claimmap-scenario-load-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const oidc = JSON.stringify({ iss: 'https://idp.example.com', sub: 'u1', email: 'jane@example.com' });
writeFileSync(join(dir, 'jane.json'), oidc);
writeFileSync(
  join(dir, 'jane.yaml'),
  'claims:\n  protocol: oidc\n  issuer: https://idp.example.com\n  subject: { id: "u1" }\n  claims: { sub: "u1" }\n  verified: false\n',
);
writeFileSync(
  join(dir, 'billion-laughs.yaml'),
  [
    'a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]',
    ...'bcdefg'.split('').map((l, i) => `${l}: &${l} [${Array(9).fill(`*${'abcdefg'[i]}`).join(', ')}]`),
    'claims: *g',
    '',
  ].join('\n'),
);

const scenario = (sample: string) => {
  const name = `s-${sample.replace(/\W/g, '_')}.scenarios.yaml`;
  writeFileSync(
    join(dir, name),
    `mapping: ./app.claimmap\ncases:\n  - name: one\n    sample: ${sample}\n    expect: { action: created }\n`,
  );
  return name;
};

describe('loadScenarioFile reads sample files as simulate does (readSampleFile)', () => {
  it('reads a JSON sample and a one-sample YAML file', () => {
    for (const s of ['./jane.json', './jane.yaml']) {
      const r = loadScenarioFile(scenario(s), { cwd: dir });
      expect(r.diagnostics.map((d) => d.code)).toEqual([]);
      const input = r.file!.cases[0]!.input;
      expect(input.kind === 'sample' && input.claimSet?.subject.id).toBe('u1');
    }
  });

  it.each([
    ['a sample over maxSampleBytes (size flood)', './jane.json', { maxSampleBytes: 10 }, 'scenario/sample-invalid'],
    ['a billion-laughs YAML sample', './billion-laughs.yaml', {}, 'scenario/sample-invalid'],
    ["claims over the readers' maxClaims", './jane.json', { claims: { maxClaims: 2 } }, 'scenario/sample-invalid'],
    ['a missing sample', './nope.json', {}, 'scenario/sample-unreadable'],
  ])('%s is a coded diagnostic', (_name, sample, options, code) => {
    const r = loadScenarioFile(scenario(sample), { cwd: dir, ...options });
    expect(r.file).toBeNull();
    expect(r.diagnostics.map((d) => d.code)).toEqual([code]);
  });
});
