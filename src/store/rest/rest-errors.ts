/**
 * Server answers and network failures as MlflowError: the server's own error_code and message
 * when it sent JSON, else a code derived from the HTTP status (proxies answer HTML or text).
 */
import { type ErrorCode, HTTP_STATUS, MlflowError } from '../../core/errors.ts'

/** What a failed request tells a caller beyond its code: the HTTP status, and whether it may have taken effect. */
export interface RestFailure {
  /** HTTP status, or undefined when no answer came (network failure, timeout). */
  status?: number
  /**
   * True when the server may have applied the request although it failed (a dropped connection
   * or a 500 after the request was sent). A caller that must not apply a write twice checks first.
   */
  outcomeUnknown: boolean
}

/** An MlflowError from the REST layer (isMlflowError holds); `failure` says whether the write may have happened. */
export class RestError extends MlflowError {
  constructor(errorCode: ErrorCode, message: string, readonly failure: RestFailure, options?: { cause?: unknown }) {
    super(errorCode, message, options)
  }
}

const KNOWN_CODES = new Set(Object.keys(HTTP_STATUS))

// Codes some servers (Databricks, newer MLflow) send that Lablog's closed set names differently.
const CODE_ALIASES: Record<string, ErrorCode> = {
  CUSTOMER_UNAUTHORIZED: 'UNAUTHENTICATED', ALREADY_EXISTS: 'RESOURCE_ALREADY_EXISTS', NOT_FOUND: 'RESOURCE_DOES_NOT_EXIST',
  ABORTED: 'RESOURCE_CONFLICT', INVALID_REQUEST: 'BAD_REQUEST', INVALID_ARGUMENT: 'INVALID_PARAMETER_VALUE',
  UNAVAILABLE: 'TEMPORARILY_UNAVAILABLE', INTERNAL_SERVER_ERROR: 'INTERNAL_ERROR',
}

/** MLflow's own fallback for an answer without a JSON error (rest_utils), extended to the statuses proxies send. */
export function codeForStatus(status: number): ErrorCode {
  switch (status) {
    case 400: return 'BAD_REQUEST'
    case 401: return 'UNAUTHENTICATED'
    case 403: return 'PERMISSION_DENIED'
    case 404: case 405: return 'ENDPOINT_NOT_FOUND'
    case 409: return 'RESOURCE_CONFLICT'
    case 429: return 'REQUEST_LIMIT_EXCEEDED'
    case 501: return 'NOT_IMPLEMENTED'
    case 503: return 'TEMPORARILY_UNAVAILABLE'
    case 504: return 'DEADLINE_EXCEEDED'
    default: return status >= 500 ? 'INTERNAL_ERROR' : 'BAD_REQUEST'
  }
}

/** The error for a non-2xx answer; `what` names the call, e.g. "POST /api/2.0/mlflow/runs/create". */
export function errorFromResponse(what: string, status: number, bodyText: string, failure: RestFailure): RestError {
  const body = parseErrorBody(bodyText)
  if (body) {
    const code = KNOWN_CODES.has(body.errorCode) ? body.errorCode as ErrorCode : CODE_ALIASES[body.errorCode] ?? codeForStatus(status)
    const renamed = code === body.errorCode ? '' : ` (server error_code ${body.errorCode})`
    return new RestError(code, body.message + renamed, failure)
  }
  const code = codeForStatus(status)
  return new RestError(code, `${what} failed with HTTP ${status}${hintForStatus(status)}. The answer was not an MLflow error: ${excerpt(bodyText)}`, failure)
}

function hintForStatus(status: number): string {
  if (status === 401) return ': the server wants credentials (set MLFLOW_TRACKING_USERNAME and MLFLOW_TRACKING_PASSWORD, or MLFLOW_TRACKING_TOKEN, or call configureRemote(uri, { auth }))'
  if (status === 403) return ': these credentials may not do this'
  if (status === 404 || status === 405) return ': this server has no such endpoint (is it an MLflow tracking server, and recent enough?)'
  return ''
}

function parseErrorBody(text: string): { errorCode: string; message: string } | undefined {
  try {
    const parsed = JSON.parse(text) as { error_code?: unknown; message?: unknown }
    if (typeof parsed?.error_code !== 'string') return undefined
    return { errorCode: parsed.error_code, message: typeof parsed.message === 'string' ? parsed.message : '' }
  } catch {
    return undefined
  }
}

/** The start of an answer's text on one line, HTML tags stripped, for a readable message. */
function excerpt(text: string): string {
  const plain = text.replace(/<[^>]*>/g, ' ').replace(/\s+/g, ' ').trim()
  if (!plain) return '(empty body)'
  return plain.length > 200 ? `${plain.slice(0, 200)}…` : plain
}

/** Node's fetch reports why a connection failed in `cause.code`; these mean no byte of the request reached the server. */
const NEVER_SENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_CONNECT_TIMEOUT'])

/** True when a fetch failure certainly happened before the server saw the request, so any request may be sent again. */
export function failedBeforeSending(error: unknown): boolean {
  const cause = (error as { cause?: { code?: unknown } } | undefined)?.cause
  return typeof cause?.code === 'string' && NEVER_SENT.has(cause.code)
}

/** The error for a request that got no answer. */
export function networkError(what: string, baseUrl: string, error: unknown, timedOut: boolean, outcomeUnknown: boolean): RestError {
  if (timedOut) return new RestError('DEADLINE_EXCEEDED', `${what} got no answer from ${baseUrl} in time.`, { outcomeUnknown }, { cause: error })
  const cause = (error as { cause?: { code?: unknown; message?: unknown } } | undefined)?.cause
  const reason = typeof cause?.code === 'string' ? cause.code : error instanceof Error ? error.message : String(error)
  return new RestError('TEMPORARILY_UNAVAILABLE', `${what} could not reach the MLflow server at ${baseUrl} (${reason}).`, { outcomeUnknown }, { cause: error })
}
