import type { Rule } from '../rule.js';

/** Regexes are RE2 syntax, linear-time, with only the `i` flag. */
export const regexValid: Rule = {
  name: 'regex-valid',
  codes: [
    { code: 'regex/syntax', severity: 'error', summary: 'A regex is not valid RE2 syntax.' },
    {
      code: 'regex/backreference',
      severity: 'error',
      summary: 'A regex uses a backreference, which has no linear-time matcher.',
    },
    {
      code: 'regex/lookaround',
      severity: 'error',
      summary: 'A regex uses lookahead or lookbehind, which RE2 does not support.',
    },
    {
      code: 'regex/unsupported',
      severity: 'error',
      summary: 'A regex uses a construct whose meaning differs between RE2 and JavaScript, or that neither supports.',
    },
    { code: 'regex/too-complex', severity: 'error', summary: 'A regex is over the length or size limit.' },
    { code: 'regex/invalid-flag', severity: 'error', summary: 'A regex has a flag other than `i`.' },
  ],
  check(m) {
    for (const [re, a] of m.regexes) {
      const bad = re.flags.replace(/i/, '');
      if (bad || re.flags.length > 1) {
        const at = re.span.end - re.flags.length;
        m.sink.error(
          'regex/invalid-flag',
          `unsupported regex flag${bad.length > 1 ? 's' : ''} '${bad || re.flags}'`,
          { start: at, end: re.span.end },
          {
            hint: 'only /.../i (case-insensitive) is supported',
          },
        );
      }
      for (const issue of a.issues) {
        const at = re.span.start + 1 + issue.offset;
        // `regex/empty` cannot reach here: `//` starts a line comment, so a mapping regex is never empty
        // (test/check/rules.test.ts); the catalogue has no such code, so it would be a regex/syntax error.
        const code = issue.code === 'regex/empty' ? 'regex/syntax' : issue.code;
        m.sink.report(
          'error',
          code,
          issue.message,
          { start: at, end: at + Math.max(1, issue.length) },
          { hint: issue.hint },
        );
      }
    }
  },
};
