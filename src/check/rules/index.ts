import type { Rule } from '../rule.js';
import { absentEmpty } from './absent-empty.js';
import { accounts } from './accounts.js';
import { claimDuplicate } from './claim-duplicate.js';
import { claimNormalize } from './claim-normalize.js';
import { claimSource } from './claim-source.js';
import { claimType } from './claim-type.js';
import { claimUnknown } from './claim-unknown.js';
import { claimUnused } from './claim-unused.js';
import { conditionTypes } from './condition-types.js';
import { entitlementTemplate } from './entitlement-template.js';
import { idp } from './idp.js';
import { keyClaim } from './key-claim.js';
import { keyForm } from './key-form.js';
import { lifecycle } from './lifecycle.js';
import { literalNeverMatches } from './literal-never-matches.js';
import { mappingStructure } from './mapping-structure.js';
import { names } from './names.js';
import { privileged } from './privileged.js';
import { profile } from './profile.js';
import { regexUnanchored } from './regex-unanchored.js';
import { regexValid } from './regex-valid.js';
import { roleGrants } from './role-grants.js';
import { rolesMode } from './roles-mode.js';
import { scimKey } from './scim-key.js';
import { scimSection } from './scim-section.js';
import { trusted } from './trusted.js';
import { unsafe } from './unsafe.js';

/** Every rule, in the order they run. */
export const RULES: readonly Rule[] = [
  mappingStructure,
  idp,
  keyForm,
  keyClaim,
  unsafe,
  claimDuplicate,
  claimType,
  claimSource,
  claimNormalize,
  claimUnknown,
  claimUnused,
  profile,
  conditionTypes,
  literalNeverMatches,
  regexValid,
  regexUnanchored,
  roleGrants,
  rolesMode,
  privileged,
  entitlementTemplate,
  names,
  accounts,
  lifecycle,
  scimKey,
  scimSection,
  trusted,
  absentEmpty,
];
