/**
 * The errors every archive reader raises: INVALID_PARAMETER_VALUE naming the entry and the
 * reason, so a user can find what is wrong in a zip of thousands of files; CANCELLED on abort.
 */
import { MlflowError, isMlflowError } from '../core/errors.ts'
import { LIMITS, validateTag } from '../core/validation.ts'

/** An archive entry that is wrong: the message names the entry's path and why. */
export function badEntry(path: string, reason: string): MlflowError {
  return new MlflowError('INVALID_PARAMETER_VALUE', `Archive entry '${path}': ${reason}`)
}

/** A fault of the archive as a whole (truncated, not a zip, over a limit). */
export function badArchive(reason: string): MlflowError {
  return new MlflowError('INVALID_PARAMETER_VALUE', `Invalid archive: ${reason}`)
}

/** Throws CANCELLED when the caller's signal has fired. */
export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new MlflowError('CANCELLED', 'The archive operation was cancelled.', { cause: signal.reason })
}

/** Runs a validation and re-labels its error with the archive entry it came from. */
export function withEntry<T>(path: string, check: () => T): T {
  try { return check() } catch (error) {
    if (isMlflowError(error) && !error.message.startsWith('Archive entry')) throw badEntry(path, error.message)
    throw error
  }
}

/** System tags such as mlflow.log-model.history are written by MLflow itself and may pass the 8000-character user limit. */
export const MAX_SYSTEM_TAG_LENGTH = 1 << 20

/** A run tag as MLflow accepts it; `mlflow.*` tags may be longer (MLflow writes those itself). */
export function validateRunTag(key: string, value: string): void {
  if (key.startsWith('mlflow.') && typeof value === 'string' && value.length > LIMITS.tagValueLength) {
    if (value.length > MAX_SYSTEM_TAG_LENGTH) throw new MlflowError('INVALID_PARAMETER_VALUE', `Tag '${key}' has ${value.length} characters, over the limit of ${MAX_SYSTEM_TAG_LENGTH}`)
    validateTag({ key, value: '' })
    return
  }
  validateTag({ key, value })
}
