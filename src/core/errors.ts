/**
 * The one error type of Lablog. The codes are MLflow's, so the local store and a
 * remote MLflow server fail the same way and callers can switch on `errorCode`.
 */

export type ErrorCode =
  | 'INVALID_PARAMETER_VALUE' | 'BAD_REQUEST' | 'RESOURCE_ALREADY_EXISTS' | 'RESOURCE_DOES_NOT_EXIST'
  | 'ENDPOINT_NOT_FOUND' | 'PERMISSION_DENIED' | 'UNAUTHENTICATED' | 'RESOURCE_CONFLICT'
  | 'REQUEST_LIMIT_EXCEEDED' | 'RESOURCE_EXHAUSTED' | 'INTERNAL_ERROR' | 'INVALID_STATE' | 'DATA_LOSS'
  | 'NOT_IMPLEMENTED' | 'TEMPORARILY_UNAVAILABLE' | 'DEADLINE_EXCEEDED' | 'CANCELLED'

/** HTTP status MLflow's server answers with for each code (mlflow/exceptions.py). */
export const HTTP_STATUS: Record<ErrorCode, number> = {
  INVALID_PARAMETER_VALUE: 400, BAD_REQUEST: 400, RESOURCE_ALREADY_EXISTS: 400,
  RESOURCE_DOES_NOT_EXIST: 404, ENDPOINT_NOT_FOUND: 404, PERMISSION_DENIED: 403, UNAUTHENTICATED: 401,
  RESOURCE_CONFLICT: 409, REQUEST_LIMIT_EXCEEDED: 429, RESOURCE_EXHAUSTED: 429, INTERNAL_ERROR: 500,
  INVALID_STATE: 500, DATA_LOSS: 500, NOT_IMPLEMENTED: 501, TEMPORARILY_UNAVAILABLE: 503,
  DEADLINE_EXCEEDED: 504, CANCELLED: 499,
}

export class MlflowError extends Error {
  override readonly name = 'MlflowError'
  constructor(readonly errorCode: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options)
  }

  get httpStatus(): number { return HTTP_STATUS[this.errorCode] }

  /** The JSON body MLflow's server sends for this error. */
  toJSON(): { error_code: ErrorCode; message: string } {
    return { error_code: this.errorCode, message: this.message }
  }
}

export const invalidParameter = (message: string) => new MlflowError('INVALID_PARAMETER_VALUE', message)
export const doesNotExist = (message: string) => new MlflowError('RESOURCE_DOES_NOT_EXIST', message)

/** True for an MlflowError with the given code (works across realms, where instanceof may not). */
export function isMlflowError(error: unknown, code?: ErrorCode): error is MlflowError {
  return typeof error === 'object' && error !== null && (error as { name?: unknown }).name === 'MlflowError'
    && typeof (error as { errorCode?: unknown }).errorCode === 'string'
    && (code === undefined || (error as MlflowError).errorCode === code)
}
