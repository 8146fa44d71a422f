import { keyNeedsOverride } from '../model.js';
import type { Rule } from '../rule.js';

/** Every `unsafe` override is repeated, so it is never forgotten. */
export const unsafe: Rule = {
  name: 'unsafe',
  codes: [
    { code: 'unsafe/override', severity: 'warning', summary: 'An explicit `unsafe "<reason>"` override is in force; every lint and report repeats it.' },
    { code: 'unsafe/empty-reason', severity: 'error', summary: 'An `unsafe` override without a reason (it overrides nothing).' },
    { code: 'unsafe/unneeded', severity: 'warning', summary: 'An `unsafe` override on a key that needs none: remove it, so the override keeps its meaning.' },
  ],
  check(m) {
    const u = m.key?.unsafe;
    if (!u) return;
    if (u.value.trim() === '') {
      m.sink.error('unsafe/empty-reason', 'an unsafe override needs a reason', u.span, { hint: 'say why, e.g. unsafe "legacy IdP sends only emailAddress; ticket SEC-123"' });
      return;
    }
    if (!keyNeedsOverride(m)) {
      m.sink.warning('unsafe/unneeded', 'this key is durable: the unsafe override is not needed', u.span, { hint: 'remove unsafe "..."' });
      return;
    }
    m.sink.warning('unsafe/override', `unsafe key accepted: ${u.value}`, u.span);
  },
};
