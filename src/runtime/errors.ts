/** Codes for runtime failures (stores, provisioning). Stable API: extend, never rename. */
export type RuntimeErrorCode = 'runtime/placeholder';
