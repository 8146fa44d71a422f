/** Every example ships a scenario file next to its mapping, and every case in it passes. */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compile } from '../../../src/compile/compile.js';
import { loadScenarioFile } from '../../../src/simulate/scenarios/load.js';
import { formatScenarioText } from '../../../src/simulate/scenarios/report.js';
import { runScenarios } from '../../../src/simulate/scenarios/run.js';

const examples = readdirSync('examples', { withFileTypes: true })
  .filter((e) => e.isDirectory())
  .map((e) => join('examples', e.name))
  .sort();

describe('example scenario files', () => {
  it('finds the examples', () => {
    expect(examples.length).toBeGreaterThanOrEqual(5);
  });

  for (const dir of examples) {
    const files = readdirSync(dir);
    const mappings = files.filter((f) => f.endsWith('.claimmap'));
    it(`${dir} has one scenario file per mapping`, () => {
      for (const m of mappings) expect(files).toContain(m.replace(/\.claimmap$/, '.scenarios.yaml'));
    });
    for (const s of files.filter((f) => f.endsWith('.scenarios.yaml'))) {
      it(`${dir}/${s} passes`, async () => {
        const path = join(dir, s);
        const loaded = loadScenarioFile(path);
        expect(loaded.diagnostics).toEqual([]);
        const mappingPath = join(dirname(path), loaded.file!.mapping!);
        const { plan, diagnostics } = compile(readFileSync(mappingPath), { filename: mappingPath });
        expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
        const run = await runScenarios(plan!, loaded.file!);
        expect(run.cases.length).toBeGreaterThanOrEqual(4);
        expect(run.failed, formatScenarioText([run])).toBe(0);
      });
    }
  }
});
