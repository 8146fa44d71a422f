import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compile } from '../../src/compile/compile.js';
import { readFileSync } from 'node:fs';

const example = readFileSync(new URL('../../examples/okta-saml/acme.claimmap', import.meta.url), 'utf8');

function rangesInside(text: string, ds: ReturnType<typeof compile>['diagnostics']): boolean {
  return ds.every(
    (d) =>
      d.range.start.offset >= 0 &&
      d.range.end.offset <= text.length &&
      d.range.start.offset <= d.range.end.offset &&
      d.range.start.line >= 1 &&
      d.range.start.column >= 1,
  );
}

// Fragments of real syntax, so random strings get deep into the grammar, not just the first token.
const fragment = fc.constantFrom(
  'mapping',
  '"m"',
  '{',
  '}',
  '(',
  ')',
  'idp',
  'saml',
  'oidc',
  '"https://x"',
  'key',
  'nameid',
  'persistent',
  'sub',
  'claim',
  'claims',
  'x',
  ':',
  'string',
  'set<string>',
  'enum("a")',
  'from',
  '"s"',
  '.',
  'required',
  'optional',
  'normalize',
  'lower',
  'absent',
  'empty',
  'trusted',
  'profile',
  '=',
  '+',
  '??',
  'sync',
  'always',
  'roles',
  'replace',
  'grant',
  'deny',
  'when',
  'and',
  'or',
  'not',
  'in',
  'any',
  'matches',
  '/^a(b)$/',
  '/(a+)+$/',
  '==',
  '"v"',
  '1',
  'true',
  'entitlements',
  'for',
  'each',
  'matching',
  'accounts',
  'on',
  'lifecycle',
  'offboarding',
  'dormant_after',
  '90d',
  'deprovision',
  'scim',
  'groups',
  'deactivate',
  'privileged',
  'unsafe',
  ',',
  '\n',
  '//c\n',
  '/*',
  '"',
  '\0',
  '\uFEFF',
);

describe('compile on arbitrary input', () => {
  it('never throws on any string, and every range lies inside the file', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (s) => {
        const r = compile(s, { filename: 'p.claimmap' });
        expect(rangesInside(s, r.diagnostics)).toBe(true);
      }),
      { numRuns: 400 },
    );
  });

  it('never throws on token soup', () => {
    fc.assert(
      fc.property(fc.array(fragment, { maxLength: 80 }), (parts) => {
        const s = parts.join(' ');
        const r = compile(s, { filename: 'p.claimmap' });
        expect(rangesInside(s, r.diagnostics)).toBe(true);
        if (r.plan) expect(r.diagnostics.some((d) => d.severity === 'error')).toBe(false);
      }),
      { numRuns: 600 },
    );
  });

  it('never throws on mutations of a real mapping', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: example.length }),
        fc.integer({ min: 0, max: 40 }),
        fc.string({ maxLength: 8 }),
        (at, del, ins) => {
          const s = example.slice(0, at) + ins + example.slice(at + del);
          const r = compile(s, { filename: 'p.claimmap' });
          expect(rangesInside(s, r.diagnostics)).toBe(true);
        },
      ),
      { numRuns: 400 },
    );
  });

  it('never throws on arbitrary bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (b) => {
        const r = compile(b, { filename: 'p.claimmap' });
        expect(Array.isArray(r.diagnostics)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});
