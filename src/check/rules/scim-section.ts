import { isCollection } from '../model.js';
import type { Rule } from '../rule.js';
import { didYouMean } from '../suggest.js';
import { head } from './scim-key.js';

/** What `deactivate` may say: what a SCIM `active: false` does to the account. */
export const DEACTIVATE_ACTIONS = ['suspend', 'deprovision'] as const;

/**
 * The rest of `scim { ... }`: each item once, `groups` names a set or list claim, `deactivate` is suspend or
 * deprovision; and a section comes with `lifecycle { offboarding scim }`.
 */
export const scimSection: Rule = {
  name: 'scim-section',
  codes: [
    {
      code: 'scim/duplicate-item',
      severity: 'error',
      summary: 'A `scim` section says key, groups or deactivate twice.',
    },
    {
      code: 'scim/groups-not-multi-valued',
      severity: 'error',
      summary: 'The claim `groups` names is not a set or list: SCIM group membership is a set of group names.',
    },
    { code: 'scim/unknown-deactivate', severity: 'error', summary: '`deactivate` is not suspend or deprovision.' },
    {
      code: 'scim/not-offboarding',
      severity: 'warning',
      summary: 'A `scim` section, but `lifecycle` does not declare `offboarding scim`.',
    },
  ],
  check(m) {
    const s = m.scim;
    const off = m.lifecycle?.items.find((i) => i.kind === 'offboarding');
    // `offboarding scim` without a scim section is not reported: it predates claimmap's SCIM service (an app's own
    // SCIM endpoint calling deprovision() offboards too), and createScimService refuses such a plan by name.
    if (!s) return;
    if (!(off?.kind === 'offboarding' && off.method.name === 'scim')) {
      m.sink.warning(
        'scim/not-offboarding',
        'a scim section, but the lifecycle does not say offboarding scim',
        head(s),
        {
          hint: 'declare lifecycle { offboarding scim }, so reviewers see that SCIM offboards these accounts',
        },
      );
    }
    const seen = new Map<string, { start: number; end: number }>();
    for (const i of s.items) {
      const prev = seen.get(i.kind);
      if (prev) {
        m.sink.error('scim/duplicate-item', `the scim section says ${i.kind} more than once`, i.span, {
          hint: `keep one ${i.kind} line`,
          related: [{ span: prev, message: `the first ${i.kind}` }],
        });
        continue;
      }
      seen.set(i.kind, i.span);
      if (i.kind === 'groups' && i.value) {
        const c = m.claims.get(i.value.name);
        if (c?.type && !isCollection(c.type)) {
          m.sink.error(
            'scim/groups-not-multi-valued',
            `the claim '${i.value.name}' is not a set or list`,
            i.value.span,
            {
              hint: `name the set<string> claim your role rules read group names from`,
              related: [{ span: c.decl.span, message: `'${i.value.name}' is declared here` }],
            },
          );
        }
      } else if (
        i.kind === 'deactivate' &&
        i.value &&
        !(DEACTIVATE_ACTIONS as readonly string[]).includes(i.value.name)
      ) {
        m.sink.error('scim/unknown-deactivate', `unknown deactivate action '${i.value.name}'`, i.value.span, {
          hint: didYouMean(i.value.name, DEACTIVATE_ACTIONS) ?? 'use suspend (default) or deprovision',
        });
      }
    }
  },
};
