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
 * The brand of every claimmap error: a registered symbol, so every copy of claimmap loaded in one process (the CJS
 * and the ESM build, two installed versions) reads the same key. Its value, a frozen array of class names such as
 * `['ClaimmapError', 'RuntimeError']`, says which claimmap classes the error is an instance of. Not enumerable, so
 * it is not in JSON output or in `Object.keys`.
 */
const ERROR_BRAND = Symbol.for('claimmap.error');

/** The brand name of each claimmap error class of this copy; a subclass an app declares has none. */
const errorKinds = new WeakMap<object, string>();

/**
 * Names a claimmap error class in the brand (call it in the class's static block). Internal: the names are the
 * exported class names, a stable API, because another copy of claimmap compares them.
 */
export function brandErrorClass(cls: abstract new (...args: never[]) => ClaimmapError, kind: string): void {
  errorKinds.set(cls, kind);
}

/** The brand names of the claimmap classes `cls` is, or extends, from the base down. */
function brandOf(cls: object): readonly string[] {
  const kinds: string[] = [];
  for (
    let c: object | null = cls;
    c !== null && c !== Function.prototype;
    c = Object.getPrototypeOf(c) as object | null
  ) {
    const kind = errorKinds.get(c);
    if (kind !== undefined) kinds.unshift(kind);
  }
  return Object.freeze(kinds);
}

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
 * `instanceof` and the `is*Error` guards hold across copies of claimmap: an error thrown by the CommonJS build
 * (`require('claimmap')`) is an instance of the ESM build's classes and the other way round, because every instance
 * carries the {@link ERROR_BRAND} and each class's `Symbol.hasInstance` reads it.
 *
 * @example
 * ```ts
 * try { readSaml(xml) } catch (e) {
 *   if (e instanceof ClaimmapError && e.code === 'saml/doctype-forbidden') reject(e.message);
 * }
 * ```
 */
export class ClaimmapError<C extends ErrorCode = ErrorCode> extends Error {
  static {
    // A static block runs once, for this class alone: `this` here is always ClaimmapError.
    brandErrorClass(ClaimmapError, 'ClaimmapError');
  }

  override readonly name: string = 'ClaimmapError';
  readonly code: C;
  readonly position?: ErrorPosition;
  readonly hint?: string;

  constructor(code: C, message: string, options: { position?: ErrorPosition; hint?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    Object.defineProperty(this, ERROR_BRAND, { value: brandOf(new.target) });
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

  /**
   * `value instanceof ClaimmapError` (or a subclass): true for instances of this copy of the class, and for errors
   * of another copy of claimmap (the other build, another installed version) whose brand names this class.
   */
  static override [Symbol.hasInstance](value: unknown): boolean {
    // biome-ignore lint/complexity/noThisInStatic: `this` is the class instanceof was called on (subclasses too), not ClaimmapError
    if (Function.prototype[Symbol.hasInstance].call(this, value)) return true;
    // biome-ignore lint/complexity/noThisInStatic: `this` is the class instanceof was called on (subclasses too), not ClaimmapError
    const kind = errorKinds.get(this);
    if (kind === undefined || typeof value !== 'object' || value === null) return false;
    const brand = (value as { [ERROR_BRAND]?: unknown })[ERROR_BRAND];
    return Array.isArray(brand) && brand.includes(kind);
  }
}
