/**
 * The diagnostic codes of scenario files. A closed list: codes are stable API (docs/testing.md lists them).
 *
 * @example
 * ```ts
 * SCENARIO_CODES['scenario/duplicate-name'] // 'Two cases have the same name.'
 * ```
 */
export const SCENARIO_CODES = Object.freeze({
  'scenario/unreadable': 'The scenario file itself cannot be read.',
  'scenario/yaml': 'The file is not valid YAML (syntax error, duplicate key, too many aliases).',
  'scenario/too-large': 'The file is larger than the maxBytes limit (default 1 MiB).',
  'scenario/schema': 'The file does not match src/schemas/scenarios.schema.json.',
  'scenario/too-many-cases': 'The file has more cases than the maxCases limit (default 1000).',
  'scenario/duplicate-name': 'Two cases have the same name.',
  'scenario/claims-invalid': 'An inline claim set ({ protocol, issuer, subject, claims }) is not a valid claim set.',
  'scenario/sample-unreadable': 'A `sample:` file cannot be read.',
  'scenario/sample-invalid': 'A `sample:` file is not a claim set the claim readers accept.',
  'scenario/no-mapping': 'The file names no mapping and none was given with --mapping.',
} as const);

/**
 * The code of a scenario-file diagnostic.
 *
 * @example
 * ```ts
 * const duplicates = diagnostics.filter((d) => d.code === ('scenario/duplicate-name' satisfies ScenarioCode));
 * ```
 */
export type ScenarioCode = keyof typeof SCENARIO_CODES;
