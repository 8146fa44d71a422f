import type { Rule } from '../rule.js';
import { didYouMean } from '../suggest.js';

export const CONFLICT_ACTIONS = ['reject', 'link_verified'] as const;

/** The accounts section: a known conflict policy, unique fields that exist. */
export const accounts: Rule = {
  name: 'accounts',
  codes: [
    {
      code: 'accounts/unknown-event',
      severity: 'error',
      summary: 'An `on` clause names an event other than email_conflict.',
    },
    {
      code: 'accounts/unknown-action',
      severity: 'error',
      summary: 'The email_conflict action is not reject or link_verified.',
    },
    {
      code: 'accounts/email-link',
      severity: 'warning',
      summary:
        '`link_verified` links a new key to an existing account by email when both sides are verified: an IdP ' +
        'that asserts an unverified or recycled email could take over that account.',
    },
    {
      code: 'accounts/unknown-field',
      severity: 'error',
      summary: '`unique` names a field that the profile does not define.',
    },
  ],
  check(m) {
    const fields = new Set((m.profile?.fields ?? []).map((f) => f.name.name));
    for (const item of m.accounts?.items ?? []) {
      if (item.kind === 'unique') {
        for (const f of item.fields) {
          if (!fields.has(f.name)) {
            m.sink.error('accounts/unknown-field', `the profile has no field '${f.name}'`, f.span, {
              hint:
                didYouMean(f.name, fields) ??
                (fields.size
                  ? `the profile fields are ${[...fields].join(', ')}`
                  : 'define it in profile { ... } first'),
            });
          }
        }
        continue;
      }
      if (item.event.name !== 'email_conflict') {
        m.sink.error('accounts/unknown-event', `unknown event '${item.event.name}'`, item.event.span, {
          hint: 'the only event is email_conflict',
        });
        continue;
      }
      if (!item.action) continue;
      if (!(CONFLICT_ACTIONS as readonly string[]).includes(item.action.name)) {
        m.sink.error('accounts/unknown-action', `unknown action '${item.action.name}'`, item.action.span, {
          hint: didYouMean(item.action.name, CONFLICT_ACTIONS) ?? 'use reject (default) or link_verified',
        });
      } else if (item.action.name === 'link_verified') {
        m.sink.warning(
          'accounts/email-link',
          'link_verified links accounts by email when both sides are verified',
          item.action.span,
          {
            hint: 'prefer reject and link accounts by an explicit, audited admin action',
          },
        );
      }
    }
  },
};
