/**
 * The rule table of check/rules/names.ts (name/invalid, name/confusable-privileged), used by rules.test.ts.
 * Each invalid case is one class of name the checker accepted silently before.
 */
import type { RuleTable } from './rule-tester.js';

const GROUPS = 'claims { groups : set<string> from "groups" optional }';
const ADMIN = 'privileged admin grant admin when "admins" in groups';

export const NAMES_TABLE: RuleTable = {
  valid: [
    { src: [GROUPS, `roles { ${ADMIN} grant viewer deny admin when "contractors" in groups }`] },
    { src: 'roles { grant "read only" grant "администратор" grant "ops:on-call" }' },
    {
      src: [
        GROUPS,
        `roles { ${ADMIN} }`,
        'entitlements { grant "admin" grant "wiki" grant "team:{1}" for each groups matching /^team-(.+)$/ }',
      ],
    },
    {
      src: [GROUPS, 'roles { privileged admin, Admin grant admin when "a" in groups grant Admin when "b" in groups }'],
    },
  ],
  invalid: [
    // name/invalid: the manual-grant name rules.
    { src: 'roles { grant "admin " }', errors: [{ code: 'name/invalid', at: '1:15', text: '"admin "' }] },
    { src: 'roles { grant "" }', errors: [{ code: 'name/invalid', at: '1:15', text: '""' }] },
    { src: 'roles { grant "   " }', errors: [{ code: 'name/invalid', at: '1:15' }] },
    { src: 'roles { grant "ad\u200bmin" }', errors: [{ code: 'name/invalid', at: '1:15' }] },
    { src: 'roles { grant "\u202eadmin" }', errors: [{ code: 'name/invalid', at: '1:15' }] },
    { src: 'roles { grant "admin\u3164" }', errors: [{ code: 'name/invalid', at: '1:15' }] },
    { src: `roles { grant "${'r'.repeat(257)}" }`, errors: [{ code: 'name/invalid', at: '1:15' }] },
    {
      src: [GROUPS, 'roles { privileged " admin" grant " admin" when "a" in groups }'],
      errors: [
        { code: 'name/invalid', at: '2:20', text: '" admin"' },
        { code: 'name/invalid', at: '2:35', text: '" admin"' },
      ],
    },
    { src: 'entitlements { grant "wiki " }', errors: [{ code: 'name/invalid', at: '1:22', text: '"wiki "' }] },
    {
      src: [GROUPS, 'entitlements { grant " team:{1}" for each groups matching /^t-(.+)$/ }'],
      errors: [{ code: 'name/invalid', at: '2:22', text: '" team:{1}"' }],
    },
    {
      src: [GROUPS, 'entitlements { grant "team:{1}\u2066" for each groups matching /^t-(.+)$/ }'],
      errors: [{ code: 'name/invalid', at: '2:22' }],
    },
    // name/confusable-privileged: case, Cyrillic, Greek, fullwidth, in grants, denies and entitlements.
    {
      src: [GROUPS, `roles { ${ADMIN} grant Admin }`],
      errors: [{ code: 'name/confusable-privileged', at: '2:68', text: 'Admin' }],
    },
    {
      src: [GROUPS, `roles { ${ADMIN} grant "\u0430dmin" }`],
      errors: [{ code: 'name/confusable-privileged', at: '2:68' }],
    },
    {
      src: [GROUPS, `roles { ${ADMIN} grant "\u0391DMIN" }`],
      errors: [{ code: 'name/confusable-privileged', at: '2:68' }],
    },
    {
      src: [GROUPS, `roles { ${ADMIN} grant "ａｄｍｉｎ" }`],
      errors: [{ code: 'name/confusable-privileged', at: '2:68' }],
    },
    {
      src: [GROUPS, `roles { ${ADMIN} deny "Admin" when "contractors" in groups }`],
      also: ['role/never-granted'],
      errors: [{ code: 'name/confusable-privileged', at: '2:67', text: '"Admin"' }],
    },
    {
      src: [GROUPS, `roles { ${ADMIN} }`, 'entitlements { grant "ADMIN" }'],
      errors: [{ code: 'name/confusable-privileged', at: '3:22', text: '"ADMIN"' }],
    },
  ],
};
