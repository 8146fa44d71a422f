/** A small mapping shared by the scenario and impact tests (compiled once per file). */
import { compile } from '../../../src/compile/compile.js';
import type { Plan } from '../../../src/model/plan.js';

export const ISSUER = 'https://idp.example.com';

export function mappingSource(
  options: { version?: string; adminGroup?: string; editor?: boolean; department?: string; requireName?: boolean } = {},
): string {
  return `mapping "test-app" version "${options.version ?? 'v1'}" {
  idp oidc "${ISSUER}"
  key sub
  claims {
    email  : email       from "email"  required normalize lower
    name   : string      from "name"   ${options.requireName ? 'required' : 'optional'}
    dept   : string      from "dept"   optional
    groups : set<string> from "groups" optional normalize lower
  }
  profile {
    email        = email                         sync always
    display_name = name ?? email                 sync always
    department   = dept ?? "${options.department ?? 'none'}"  sync always
  }
  roles replace {
    privileged admin
    grant viewer
    grant admin  when "${options.adminGroup ?? 'admins'}" in groups unsafe "fixture: groups are normalised with lower"
${options.editor ? '    grant editor when "writers" in groups\n' : ''}  }
  entitlements replace {
    grant "team:{1}" for each groups matching /^team-([a-z]+)$/
  }
  accounts { on email_conflict reject unique email }
  lifecycle { offboarding scim }
}
`;
}

export function testPlan(options: Parameters<typeof mappingSource>[0] = {}): Plan {
  const { plan, diagnostics } = compile(mappingSource(options), { filename: 'test.claimmap' });
  if (!plan)
    throw new Error(
      `test mapping does not compile: ${diagnostics.map((d) => `${d.range.start.line}: ${d.code} ${d.message}`).join('; ')}`,
    );
  return plan;
}
