import { RE2JS } from 're2js';
import type { RegexPlan } from '../model/plan.js';
import { v8Source } from './analyze.js';

/** The captures of one successful match: `groups[0]` is the whole match; unmatched groups are undefined. */
export interface RegexCaptures {
  groups: (string | undefined)[];
  named: Record<string, string | undefined>;
}

/** A compiled, linear-time matcher. `test` is a search (unanchored unless the pattern has `^`/`$`). */
export interface Matcher {
  test(input: string): boolean;
  exec(input: string): RegexCaptures | null;
}

const NO_NAMES: Record<string, string | undefined> = Object.freeze(
  Object.create(null) as Record<string, string | undefined>,
);

/**
 * Builds the matcher for a compiled regex. `engine: 'native'` uses V8's RegExp (only set by the compiler when the
 * analyser proved the pattern free of super-linear backtracking); `'re2'` uses re2js, a linear-time engine.
 * Patterns are RE2 syntax; the subset the checker accepts means the same in both engines.
 */
export function compileMatcher(re: RegexPlan): Matcher {
  if (re.engine === 'native') {
    const rx = new RegExp(v8Source(re.source), re.flags === 'i' ? 'iu' : 'u');
    return {
      test: (input) => rx.test(input),
      // The match array and its (null-prototype) groups object are fresh per call: no copy needed.
      exec: (input) => {
        const m = rx.exec(input);
        return m ? { groups: m, named: m.groups ?? NO_NAMES } : null;
      },
    };
  }
  const p = RE2JS.compile(re.source, re.flags === 'i' ? RE2JS.CASE_INSENSITIVE : 0);
  const count = p.groupCount();
  const names = re.names;
  return {
    test: (input) => p.matcher(input).find(),
    exec: (input) => {
      const m = p.matcher(input);
      if (!m.find()) return null;
      const groups: (string | undefined)[] = [];
      for (let i = 0; i <= count; i++) groups.push(m.group(i) ?? undefined);
      const named: Record<string, string | undefined> = Object.create(null);
      for (const n of names) named[n] = m.group(n) ?? undefined;
      return { groups, named };
    },
  };
}
