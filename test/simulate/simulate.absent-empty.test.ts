/**
 * The simulator honours `absent empty` (it evaluates through the plan's claim readers): removing the groups claim
 * from a contractor's login makes `grant admin when not "contractors" in groups` true, an escalation that lint
 * reports beforehand as absent/changes-outcome; without the declaration the same mutation changes nothing.
 */
import { describe, expect, it } from 'vitest';
import { lint } from '../../src/compile/compile.js';
import { simulate } from '../../src/simulate/simulate.js';
import { NOW, oidc, plan } from './fixtures.js';

const mapping = (decl: string) => `mapping "absent-empty" {
  idp oidc "https://idp.example.com"
  key sub
  claims {
    email  : email       from "email"  required normalize lower
    groups : set<string> from "groups" optional ${decl}
  }
  profile { email = email sync always }
  roles replace {
    privileged admin
    grant viewer
    grant admin when not "contractors" in groups unsafe "the negated grant under review"
  }
  lifecycle { offboarding scim }
}`;

const contractor = () => oidc({ email: 'c@example.com', groups: ['contractors'] });

describe('simulate with absent empty', () => {
  it('removing groups is a critical escalation when absent means empty', async () => {
    const r = await simulate(plan(mapping('absent empty')), [{ name: 'c', claimSet: contractor() }], { now: NOW });
    const removed = r.outcomes.find((o) => o.operator === 'absent' && o.claim === 'groups');
    expect(removed).toMatchObject({ class: 'escalation', critical: true });
    expect(lint(mapping('absent empty')).map((d) => d.code)).toContain('absent/changes-outcome');
  });

  it('and changes nothing without the declaration (an absent claim is unknown: no grant)', async () => {
    const r = await simulate(plan(mapping('')), [{ name: 'c', claimSet: contractor() }], { now: NOW });
    expect(r.outcomes.find((o) => o.operator === 'absent' && o.claim === 'groups')).toMatchObject({
      class: 'unchanged',
    });
    expect(lint(mapping('')).map((d) => d.code)).not.toContain('absent/changes-outcome');
  });
});
