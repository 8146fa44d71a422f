/**
 * Internal invariants: values the surrounding code has already established (an index below a length it checked, a
 * key it just set, a regex group that takes part in every match). A broken invariant is a bug in claimmap, never the
 * fault of a mapping or a claim set, so it fails closed with its own error type instead of flowing on as `undefined`.
 */

/**
 * A broken internal invariant: a bug in claimmap. Callers do not handle it; the CLI reports it as an internal error.
 *
 * @example
 * ```ts
 * try { run() } catch (e) { if (e instanceof InvariantError) reportBug(e) }
 * ```
 */
export class InvariantError extends Error {
  override readonly name = 'InvariantError';
}

/**
 * `value`, which the code around the call guarantees is not `undefined`; throws InvariantError if it is. Use it where
 * the type checker cannot follow the invariant (`xs[i]` inside `i < xs.length`), not to skip a check on input. `null`
 * passes through: an array of `T | null` may hold it on purpose.
 *
 * @example
 * ```ts
 * for (let i = 0; i < xs.length; i++) total += defined(xs[i]);
 * ```
 */
export function defined<T>(value: T | undefined): T {
  if (value === undefined) {
    throw new InvariantError('claimmap internal error: a value the code relies on is missing');
  }
  return value;
}

/**
 * `value`, which the code around the call guarantees is neither `undefined` nor `null` (an AST node that error
 * recovery may leave null, once the diagnostics said there was no error); throws InvariantError if it is.
 *
 * @example
 * ```ts
 * if (result.diagnostics.length === 0) compileMapping(present(result.value));
 * ```
 */
export function present<T>(value: T | null | undefined): T {
  if (value === undefined || value === null) {
    throw new InvariantError('claimmap internal error: a value the code relies on is missing');
  }
  return value;
}
