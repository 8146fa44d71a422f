import { parseTemplate } from '../../model/entitlement-template.js';
import type { Rule } from '../rule.js';
import { defined, present } from '../../model/invariant.js';
import { plural } from '../../diagnostics/plural.js';

/** Entitlement templates reference capture groups that exist, and only in `for each` grants. */
export const entitlementTemplate: Rule = {
  name: 'entitlement-template',
  codes: [
    {
      code: 'entitlement/invalid-template',
      severity: 'error',
      summary: 'An entitlement has unbalanced braces or a malformed {reference} (write {{ and }} for literal braces).',
    },
    {
      code: 'entitlement/unknown-group',
      severity: 'error',
      summary: 'A template refers to a capture group the regex does not have.',
    },
    {
      code: 'entitlement/template-needs-for-each',
      severity: 'error',
      summary: 'An entitlement uses {n} but has no `for each ... matching /re/` to fill it, or a deny uses a template.',
    },
    { code: 'entitlement/empty', severity: 'error', summary: 'An entitlement name is empty.' },
  ],
  check(m) {
    for (const r of m.entitlements?.rules ?? []) {
      if (!r.target) continue;
      if (r.target.value === '') {
        m.sink.error('entitlement/empty', 'an entitlement name cannot be empty', r.target.span);
        continue;
      }
      const t = parseTemplate(r.target.value);
      if (!t) {
        m.sink.error(
          'entitlement/invalid-template',
          'this entitlement has unbalanced braces or a malformed {reference}',
          r.target.span,
          {
            hint: 'use {1} or {name} for captures, {{ and }} for literal braces',
          },
        );
        continue;
      }
      const refs = t.parts.filter((p): p is { group: number | string; offset: number } => typeof p !== 'string');
      if (!refs.length) continue;
      if (!r.forEach || r.effect === 'deny') {
        m.sink.error(
          'entitlement/template-needs-for-each',
          r.effect === 'deny'
            ? 'a deny names one exact entitlement: it cannot use {references}'
            : `'{${defined(refs[0]).group}}' has nothing to fill it`,
          r.target.span,
          {
            hint: r.effect === 'deny' ? 'deny the exact entitlement' : 'add: for each <claim> matching /^prefix-(.+)$/',
          },
        );
        continue;
      }
      const a = r.forEach.regex ? m.regexes.get(r.forEach.regex) : undefined;
      if (!a?.ok) continue;
      for (const ref of refs) {
        const ok = typeof ref.group === 'number' ? ref.group <= a.groups : a.names.includes(ref.group);
        if (!ok) {
          // Underline the {reference} itself. Escapes make the source longer than the value; without any, a value
          // offset is the source offset after the opening quote.
          const t = r.target;
          const plain = t.value.length === t.span.end - t.span.start - 2;
          const len = `{${ref.group}}`.length;
          const span = plain
            ? { start: t.span.start + 1 + ref.offset, end: t.span.start + 1 + ref.offset + len }
            : t.span;
          m.sink.error(
            'entitlement/unknown-group',
            `/${present(r.forEach.regex).source}/ has no capture group ` +
              `${typeof ref.group === 'number' ? ref.group : `named '${ref.group}'`}`,
            span,
            {
              hint: `it has ${plural(a.groups, 'group')}${a.names.length ? ` (${a.names.join(', ')})` : ''}`,
            },
          );
        }
      }
    }
  },
};
