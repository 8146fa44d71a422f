/**
 * Typed errors of the simulator: sample files that cannot be read or are not claim sets. Stable API: extend, never
 * rename. Claim-reader failures inside a sample file are wrapped as `simulate/invalid-sample` with the reader's code
 * in `cause` and `readerCode`.
 */
import { brandErrorClass, ClaimmapError, type ErrorPosition } from '../errors.js';

/**
 * Codes for refused simulator input. A closed union: codes are stable API.
 *
 * @example
 * ```ts
 * if (isSimulateError(e, 'simulate/no-samples' satisfies SimulateErrorCode)) console.error('add sample logins');
 * ```
 */
export type SimulateErrorCode =
  | 'simulate/no-samples' //          the paths named no sample file
  | 'simulate/unreadable-sample' //   a path that cannot be read (missing, permission)
  | 'simulate/invalid-yaml' //        a YAML sample file that does not parse
  | 'simulate/invalid-sample' //      a file that is not a claim set (nor SAML / JWT / OIDC JSON a reader accepts)
  | 'simulate/too-many-samples' //    more samples than `maxSamples`
  | 'simulate/sample-too-large'; //   a sample file larger than `maxFileBytes`

/**
 * A sample file was refused. `file` names it (relative as given); `readerCode` is the claim reader's code when a
 * reader refused the content.
 *
 * @example
 * ```ts
 * try { loadSamples(['samples/'], process.cwd()) } catch (e) {
 *   if (e instanceof SimulateError && e.code === 'simulate/invalid-yaml') console.error(e.file, e.message);
 * }
 * ```
 */
export class SimulateError extends ClaimmapError<SimulateErrorCode> {
  static {
    // A static block runs once, for this class alone: `this` here is always SimulateError.
    brandErrorClass(SimulateError, 'SimulateError');
  }

  override readonly name: string = 'SimulateError';
  readonly file: string | undefined;
  readonly readerCode: string | undefined;

  constructor(
    code: SimulateErrorCode,
    message: string,
    options: { file?: string; readerCode?: string; position?: ErrorPosition; hint?: string; cause?: unknown } = {},
  ) {
    super(code, message, options);
    this.file = options.file;
    this.readerCode = options.readerCode;
  }
}

/**
 * Whether `e` is a {@link SimulateError}, optionally with one given code.
 *
 * @example
 * ```ts
 * if (isSimulateError(e, 'simulate/no-samples')) usage();
 * ```
 */
export function isSimulateError(e: unknown, code?: SimulateErrorCode): e is SimulateError {
  return e instanceof SimulateError && (code === undefined || e.code === code);
}
