import type { Rule } from '../rule.js';
import { didYouMean } from '../suggest.js';

export const OFFBOARDING = ['scim', 'directory_sync', 'manual', 'none'] as const;

/** What the sweep does to an account dormant for `dormant_after`. */
export const DORMANT_ACTIONS = ['suspend', 'deprovision'] as const;

/** JIT creates accounts and never removes them: say what does. */
export const lifecycle: Rule = {
  name: 'lifecycle',
  codes: [
    {
      code: 'lifecycle/no-offboarding',
      severity: 'warning',
      summary:
        'No offboarding control is declared (or `offboarding none`): JIT creates accounts but never removes them.',
    },
    {
      code: 'lifecycle/unknown-offboarding',
      severity: 'error',
      summary: 'The offboarding method is not scim, directory_sync, manual or none.',
    },
    { code: 'lifecycle/missing-runbook', severity: 'warning', summary: '`offboarding manual` without a runbook link.' },
    {
      code: 'lifecycle/invalid-duration',
      severity: 'error',
      summary: 'A duration is zero or has a unit other than d (days) or w (weeks).',
    },
    { code: 'lifecycle/unknown-reactivate', severity: 'error', summary: '`reactivate` is not allow or refuse.' },
    {
      code: 'lifecycle/unknown-dormant-action',
      severity: 'error',
      summary: 'The action after `dormant_after <duration>` is not suspend or deprovision.',
    },
  ],
  check(m) {
    const items = m.lifecycle?.items ?? [];
    const off = items.find((i) => i.kind === 'offboarding');
    const head = m.lifecycle
      ? { start: m.lifecycle.span.start, end: m.lifecycle.span.start + 9 }
      : (m.ast.name?.span ?? { start: 0, end: 7 });
    if (!off || (off.kind === 'offboarding' && off.method.name === 'none')) {
      m.sink.warning(
        'lifecycle/no-offboarding',
        'no offboarding control: JIT creates accounts, it never removes them',
        off?.span ?? head,
        {
          hint: 'declare lifecycle { offboarding scim } (or directory_sync, or manual runbook "<url>")',
        },
      );
    }
    for (const i of items) {
      if (i.kind === 'offboarding') {
        if (!(OFFBOARDING as readonly string[]).includes(i.method.name)) {
          m.sink.error(
            'lifecycle/unknown-offboarding',
            `unknown offboarding method '${i.method.name}'`,
            i.method.span,
            {
              hint: didYouMean(i.method.name, OFFBOARDING) ?? `use ${OFFBOARDING.join(', ')}`,
            },
          );
        } else if (i.method.name === 'manual' && !i.runbook?.value.trim()) {
          m.sink.warning('lifecycle/missing-runbook', 'manual offboarding needs a runbook', i.method.span, {
            hint: 'offboarding manual runbook "https://wiki.example.com/offboarding"',
          });
        }
      } else if (i.kind === 'dormant_after') {
        const d = i.duration;
        if (d && (!['d', 'w'].includes(d.unit) || d.amount <= 0 || !Number.isSafeInteger(d.amount))) {
          m.sink.error('lifecycle/invalid-duration', `invalid duration '${d.raw}'`, d.span, {
            hint: 'write a positive number of days or weeks: 90d, 12w',
          });
        }
        if (i.action && !(DORMANT_ACTIONS as readonly string[]).includes(i.action.name)) {
          m.sink.error('lifecycle/unknown-dormant-action', `unknown dormant action '${i.action.name}'`, i.action.span, {
            hint: didYouMean(i.action.name, DORMANT_ACTIONS) ?? 'use suspend (default) or deprovision',
          });
        }
      } else if (i.kind === 'reactivate' && i.value && !['allow', 'refuse'].includes(i.value.name)) {
        m.sink.error('lifecycle/unknown-reactivate', `unknown reactivate policy '${i.value.name}'`, i.value.span, {
          hint: 'use refuse (default) or allow',
        });
      }
    }
  },
};
