/**
 * The error a malformed filter or order_by raises: an INVALID_PARAMETER_VALUE MlflowError that also
 * says where the problem is, so a UI can underline it.
 */
import { MlflowError } from '../errors.ts'

/**
 * An `INVALID_PARAMETER_VALUE` error for a filter or order_by clause, with the 0-based character
 * `position` and `length` of the offending token in the text that was parsed. Its `name` stays
 * `'MlflowError'`, so `isMlflowError(error, 'INVALID_PARAMETER_VALUE')` recognises it.
 * A `length` of 0 marks a missing token at `position` (usually the end of the text).
 */
export class FilterSyntaxError extends MlflowError {
  /** The message without the trailing "(at position N)", for UIs that show the position themselves. */
  readonly problem: string

  constructor(problem: string, readonly position: number, readonly length: number) {
    super('INVALID_PARAMETER_VALUE', `${problem} (at position ${position})`)
    this.problem = problem
  }
}

/** A span of source text: where a token starts and how many characters it covers. */
export interface Span { position: number; length: number }

/** Throws a FilterSyntaxError pointing at `span`. */
export function failAt(problem: string, span: Span): never {
  throw new FilterSyntaxError(problem, span.position, span.length)
}

/**
 * Runs `fn`, prefixing the message of any FilterSyntaxError it throws (position kept), e.g. with
 * "Invalid order_by clause '…': " so the message names the clause.
 */
export function withErrorPrefix<T>(prefix: string, fn: () => T): T {
  try {
    return fn()
  } catch (error) {
    if (error instanceof FilterSyntaxError) throw new FilterSyntaxError(prefix + error.problem, error.position, error.length)
    throw error
  }
}
