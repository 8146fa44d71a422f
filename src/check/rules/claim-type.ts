import { COLLECTION_TYPES, SCALAR_TYPES } from '../model.js';
import type { Rule } from '../rule.js';
import type { TypeNode } from '../../syntax/ast.js';
import type { DiagnosticSink } from '../../diagnostics/make.js';
import { didYouMean } from '../suggest.js';

function checkType(t: TypeNode, sink: DiagnosticSink, nested: boolean): void {
  if (t.kind === 'enumType') {
    const seen = new Set<string>();
    for (const v of t.values) {
      if (seen.has(v.value))
        sink.warning('type/duplicate-enum-value', `"${v.value}" is listed twice in this enum`, v.span);
      if (v.value === '') sink.error('type/invalid-argument', 'an enum value cannot be empty', v.span);
      seen.add(v.value);
    }
    return;
  }
  const name = t.name.name;
  if ((SCALAR_TYPES as readonly string[]).includes(name)) {
    if (t.argument)
      sink.error('type/invalid-argument', `${name} takes no type argument`, t.argument.span, { hint: `write ${name}` });
    return;
  }
  if ((COLLECTION_TYPES as readonly string[]).includes(name)) {
    if (!t.argument) {
      sink.error('type/invalid-argument', `${name} needs an element type`, t.name.span, {
        hint: `write ${name}<string>`,
      });
    } else if (
      nested ||
      (t.argument.kind === 'namedType' && (COLLECTION_TYPES as readonly string[]).includes(t.argument.name.name))
    ) {
      sink.error('type/invalid-argument', 'collections cannot be nested', t.argument.span, {
        hint: `write ${name}<string>`,
      });
    } else checkType(t.argument, sink, true);
    return;
  }
  sink.error('type/unknown', `unknown type '${name}'`, t.name.span, {
    hint:
      didYouMean(name, [...SCALAR_TYPES, ...COLLECTION_TYPES, 'enum']) ??
      `use one of: ${[...SCALAR_TYPES, 'enum(...)', 'set<T>', 'list<T>'].join(', ')}`,
  });
}

/** Claim types: known names, well-formed arguments. */
export const claimType: Rule = {
  name: 'claim-type',
  codes: [
    {
      code: 'type/unknown',
      severity: 'error',
      summary:
        'A claim type name is not one of string, email, bool, int, uuid, url, datetime, enum(...), set<T>, list<T>.',
    },
    {
      code: 'type/invalid-argument',
      severity: 'error',
      summary: 'A type argument is missing, not allowed, or nests collections.',
    },
    { code: 'type/duplicate-enum-value', severity: 'warning', summary: 'An enum lists the same value twice.' },
  ],
  check(m) {
    for (const { decl } of m.claims.values()) if (decl.type) checkType(decl.type, m.sink, false);
  },
};
