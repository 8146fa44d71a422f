import type { Rule } from '../rule.js';
import { ruleRegexes } from '../model.js';

/** A regex in a grant should be anchored: /admin/ matches "not-admin". */
export const regexUnanchored: Rule = {
  name: 'regex-unanchored',
  codes: [
    {
      code: 'regex/unanchored',
      severity: 'warning',
      summary:
        'A regex in a grant or a require gate is not anchored with ^...$, so it also matches longer values ' +
        '(/admin/ matches "not-admin").',
    },
  ],
  check(m) {
    for (const rule of m.rules) {
      if (rule.effect === 'deny') continue;
      for (const re of ruleRegexes(rule)) {
        const a = m.regexes.get(re);
        if (!a?.ok || (a.anchoredStart && a.anchoredEnd)) continue;
        const missing = !a.anchoredStart && !a.anchoredEnd ? '^ and $' : !a.anchoredStart ? '^' : '$';
        m.sink.warning(
          'regex/unanchored',
          `this regex is not anchored (missing ${missing}), so it also matches longer values`,
          re.span,
          {
            hint: `write /^${re.source.replace(/^\^/, '').replace(/\$$/, '')}$/ unless a partial match is intended`,
          },
        );
      }
    }
  },
};
