import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { renderDiagnosticsDoc } from '../../scripts/gen-diagnostics-doc.js';
import { diagnosticCatalogue } from '../../src/check/catalogue.js';
import { lint } from '../../src/compile/compile.js';
import { renderSarif } from '../../src/diagnostics/render.js';

/**
 * The part of the SARIF 2.1.0 schema (https://json.schemastore.org/sarif-2.1.0.json, OASIS SARIF v2.1.0 §3) that
 * claimmap emits, with the spec's required properties and value constraints: sarifLog requires version "2.1.0" and
 * runs; run requires tool; toolComponent requires name; reportingDescriptor requires id; result requires message;
 * message requires text here; region lines and columns are >= 1; level is one of none, note, warning, error.
 */
const SARIF_SUBSET = {
  type: 'object',
  required: ['version', 'runs'],
  properties: {
    $schema: { type: 'string' },
    version: { const: '2.1.0' },
    runs: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        required: ['tool', 'results'],
        properties: {
          tool: {
            type: 'object',
            required: ['driver'],
            properties: {
              driver: {
                type: 'object',
                required: ['name', 'rules'],
                properties: {
                  name: { type: 'string' },
                  version: { type: 'string' },
                  informationUri: { type: 'string', pattern: '^https://' },
                  rules: {
                    type: 'array',
                    items: {
                      type: 'object',
                      required: ['id', 'shortDescription', 'helpUri'],
                      additionalProperties: false,
                      properties: {
                        id: { type: 'string' },
                        shortDescription: {
                          type: 'object',
                          required: ['text'],
                          properties: { text: { type: 'string', minLength: 1 } },
                        },
                        helpUri: { type: 'string', pattern: '^https://[^ ]+#[a-z0-9-]+$' },
                        defaultConfiguration: {
                          type: 'object',
                          properties: { level: { enum: ['none', 'note', 'warning', 'error'] } },
                        },
                      },
                    },
                  },
                },
              },
            },
          },
          results: {
            type: 'array',
            items: {
              type: 'object',
              required: ['ruleId', 'ruleIndex', 'level', 'message', 'locations'],
              properties: {
                ruleId: { type: 'string' },
                ruleIndex: { type: 'integer', minimum: 0 },
                level: { enum: ['none', 'note', 'warning', 'error'] },
                message: { type: 'object', required: ['text'], properties: { text: { type: 'string' } } },
                locations: {
                  type: 'array',
                  minItems: 1,
                  items: {
                    type: 'object',
                    required: ['physicalLocation'],
                    properties: {
                      physicalLocation: {
                        type: 'object',
                        required: ['artifactLocation', 'region'],
                        properties: {
                          artifactLocation: {
                            type: 'object',
                            required: ['uri'],
                            properties: { uri: { type: 'string' } },
                          },
                          region: {
                            type: 'object',
                            required: ['startLine', 'startColumn', 'endLine', 'endColumn'],
                            properties: {
                              startLine: { type: 'integer', minimum: 1 },
                              startColumn: { type: 'integer', minimum: 1 },
                              endLine: { type: 'integer', minimum: 1 },
                              endColumn: { type: 'integer', minimum: 1 },
                            },
                          },
                        },
                      },
                    },
                  },
                },
              },
            },
          },
        },
      },
    },
  },
};

const BAD =
  'mapping "bad" {\n  idp saml "urn:idp"\n  key nameid emailAddress\n  claims { groups : set<string> from "groups" optional normalize lower }\n  roles { grant admin when "Admins" in groups }\n}\n';

interface SarifRule {
  id: string;
  helpUri: string;
  defaultConfiguration?: { level: string };
}
interface SarifLog {
  runs: { tool: { driver: { rules: SarifRule[] } }; results: { ruleId: string; ruleIndex: number }[] }[];
}

describe('renderSarif', () => {
  const ds = lint(BAD, { filename: 'maps\\bad.claimmap' });
  const log = JSON.parse(renderSarif(ds, diagnosticCatalogue(), '1.2.3')) as SarifLog;
  const run = log.runs[0]!;

  it('has the SARIF 2.1.0 shape', () => {
    const validate = new Ajv({ allErrors: true, strict: true }).compile(SARIF_SUBSET);
    expect(validate(log), JSON.stringify(validate.errors)).toBe(true);
    expect(ds.length).toBeGreaterThan(1);
  });

  it("gives each rule a helpUri to its code's section of docs/diagnostics.md, and its default level", () => {
    const anchors = new Set([...renderDiagnosticsDoc().matchAll(/<a id="([^"]+)"><\/a>/g)].map((m) => m[1]));
    const severity = new Map<string, string>(diagnosticCatalogue().map((c) => [c.code, c.severity]));
    expect(run.tool.driver.rules.map((r) => r.id)).toEqual([...new Set(ds.map((d) => d.code))].sort());
    for (const r of run.tool.driver.rules) {
      const [base, anchor] = r.helpUri.split('#');
      expect(base).toBe('https://github.com/claimmap/claimmap/blob/main/docs/diagnostics.md');
      expect(anchors.has(anchor), r.helpUri).toBe(true);
      expect(r.defaultConfiguration?.level).toBe(severity.get(r.id) === 'info' ? 'note' : severity.get(r.id));
    }
  });

  it('points each result at its rule by index', () => {
    for (const res of run.results) expect(run.tool.driver.rules[res.ruleIndex]!.id).toBe(res.ruleId);
  });
});
