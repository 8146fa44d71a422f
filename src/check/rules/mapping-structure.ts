import type { Rule } from '../rule.js';

/** Each section at most once; an idp and a key are required. */
export const mappingStructure: Rule = {
  name: 'mapping-structure',
  codes: [
    {
      code: 'mapping/duplicate-section',
      severity: 'error',
      summary: 'A section (idp, key, claims, roles, ...) appears more than once.',
    },
    {
      code: 'mapping/missing-idp',
      severity: 'error',
      summary: 'The mapping does not say which IdP (issuer) it accepts.',
    },
    {
      code: 'mapping/missing-key',
      severity: 'error',
      summary: 'The mapping does not declare the durable account key.',
    },
  ],
  check(m) {
    const seen = new Map<string, { start: number; end: number }>();
    for (const s of m.ast.sections) {
      const span = { start: s.span.start, end: s.span.start + s.kind.length };
      const prev = seen.get(s.kind);
      if (prev && s.kind !== 'require') {
        m.sink.error('mapping/duplicate-section', `the ${s.kind} section appears more than once`, span, {
          hint: `merge it into the first ${s.kind} section`,
          related: [{ span: prev, message: `the first ${s.kind} section` }],
        });
      } else seen.set(s.kind, span);
    }
    const head = m.ast.name?.span ?? { start: m.ast.span.start, end: m.ast.span.start + 7 };
    if (!seen.has('idp')) {
      m.sink.error('mapping/missing-idp', 'the mapping does not declare its identity provider', head, {
        hint: 'add: idp saml "<entityID>"  or  idp oidc "<issuer URL>"',
      });
    }
    if (!seen.has('key')) {
      m.sink.error('mapping/missing-key', 'the mapping does not declare the durable account key', head, {
        hint: 'add: key nameid persistent (SAML) or key sub (OIDC)',
      });
    }
  },
};
