/** The ScimService the HTTP suites run over. */
import type { Store } from '../../src/runtime/index.js';
import type { ScimService } from '../../src/runtime/scim/types.js';
import { memoryScimService } from './memory-service.js';

export function serviceFor(_store: Store): ScimService {
  return memoryScimService();
}
