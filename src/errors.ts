/**
 * Typed errors for failures caused by untrusted input at the API (claims, plans, store contents). Each area owns a
 * closed union of stable codes; `ClaimmapError.code` is their union. Caller mistakes throw TypeError instead.
 */
import type { ClaimsErrorCode } from './claims/errors.js';
import type { PlanErrorCode } from './compile/plan-errors.js';
import type { RuntimeErrorCode } from './runtime/errors.js';
import type { SimulateErrorCode } from './simulate/errors.js';

/**
 * Every code a {@link ClaimmapError} can carry, from the claims readers, the plan loader, the runtime and the
 * simulator.
 *
 * @example
 * ```ts
 * try {
 *   await provision(plan, claimSet, { store });
 * } catch (e) {
 *   if (e instanceof ClaimmapError) console.error(e.code satisfies ErrorCode);
 * }
 * ```
 */
export type ErrorCode = ClaimsErrorCode | PlanErrorCode | RuntimeErrorCode | SimulateErrorCode;

/**
 * Where in the input the problem is, when that is known (byte/char offset, 1-based line and column).
 *
 * @example
 * ```ts
 * if (e instanceof ClaimmapError && e.position) console.error(e.position.path ?? `offset ${e.position.offset}`);
 * ```
 */
export interface ErrorPosition {
  offset?: number;
  line?: number;
  column?: number;
  /** JSON pointer or XML path of the offending node, when there is one. */
  path?: string;
}

/**
 * The base of every typed claimmap error.
 *
 * @example
 * ```ts
 * try { readSaml(xml) } catch (e) {
 *   if (e instanceof ClaimmapError && e.code === 'saml/doctype-forbidden') reject(e.message);
 * }
 * ```
 */
export class ClaimmapError<C extends ErrorCode = ErrorCode> extends Error {
  override readonly name: string = 'ClaimmapError';
  readonly code: C;
  readonly position?: ErrorPosition;
  readonly hint?: string;

  constructor(code: C, message: string, options: { position?: ErrorPosition; hint?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    if (options.position) this.position = options.position;
    if (options.hint) this.hint = options.hint;
  }

  /** A plain object for JSON output and audit logs (no stack). */
  toJSON(): { code: C; message: string; position?: ErrorPosition; hint?: string } {
    return {
      code: this.code,
      message: this.message,
      ...(this.position ? { position: this.position } : {}),
      ...(this.hint ? { hint: this.hint } : {}),
    };
  }
}
