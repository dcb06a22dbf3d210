/** Cancelling a push or pull with an AbortSignal: checked between requests, so what was sent stays sent and a later call resumes. */
import { MlflowError } from '../core/errors.ts'

/** Throws MlflowError 'CANCELLED' when `signal` has been aborted. */
export function throwIfCancelled(signal: AbortSignal | undefined, what: string): void {
  if (!signal?.aborted) return
  throw new MlflowError('CANCELLED', `${what} was cancelled. What was sent is kept; run it again to resume where it stopped.`, { cause: signal.reason })
}
