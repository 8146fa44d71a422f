/** The real ScimService (src/runtime/scim/service.ts) the HTTP suites run over, on the Okta example mapping. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { compile } from '../../src/compile/compile.js';
import type { Plan } from '../../src/model/plan.js';
import type { Store } from '../../src/runtime/index.js';
import { createScimService } from '../../src/runtime/scim/service.js';
import type { ScimService } from '../../src/runtime/scim/types.js';

/** examples/okta-saml/acme.claimmap with a `scim` section: key externalId, groups = the groups claim. */
export const SCIM_MAPPING = readFileSync(
  fileURLToPath(new URL('../../examples/okta-saml/acme.claimmap', import.meta.url)),
  'utf8',
).replace(
  '  lifecycle {',
  '  scim {\n    key externalId\n    groups groups\n    deactivate suspend\n  }\n\n  lifecycle {',
);

let plan: Plan | undefined;

/** The compiled plan of {@link SCIM_MAPPING}. */
export function scimPlan(): Plan {
  if (plan) return plan;
  const r = compile(SCIM_MAPPING, { filename: 'acme-scim.claimmap' });
  if (!r.plan) throw new Error(JSON.stringify(r.diagnostics));
  plan = r.plan;
  return plan;
}

export function serviceFor(store: Store): ScimService {
  return createScimService({ store, plan: scimPlan() });
}
