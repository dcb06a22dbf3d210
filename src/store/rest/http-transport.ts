/**
 * HTTP to one MLflow tracking server: auth header, JSON, timeouts, and retries with backoff.
 * A request marked idempotent is retried on network errors, 429 and 5xx; any other request only
 * when the server certainly did not apply it (connection refused, 429, 503).
 */
import { browserOrigin, diagnoseBrowserFetchFailure } from './cors-diagnosis.ts'
import { authorizationHeader } from './auth.ts'
import { type RemoteEndpoint, type ResolvedRemoteOptions, resolveRemoteOptions } from './remote-options.ts'
import { RestError, errorFromResponse, failedBeforeSending, networkError } from './rest-errors.ts'

export type QueryValue = string | number | readonly string[] | undefined

/** One call to the server. */
export interface RestRequest {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'
  /** Path below the base URL, starting with '/', already percent-encoded. */
  path: string
  /** Query parameters; a list repeats the parameter, undefined ones are left out. */
  query?: Record<string, QueryValue>
  /** A JSON body (sent with Content-Type: application/json, which MLflow ≥ 2.9 requires on POST). */
  json?: unknown
  /** A raw body (artifact uploads). */
  body?: Blob
  contentType?: string
  /** Safe to send twice with the same effect: reads, PUTs, tag sets. Decides what is retried. */
  idempotent: boolean
  /** Retry an idempotent request on HTTP 500 (default true). Off where a 500 is a definite answer. */
  retryOn500?: boolean
}

export class HttpTransport {
  constructor(readonly endpoint: RemoteEndpoint, private readonly resolve: () => ResolvedRemoteOptions = () => resolveRemoteOptions(endpoint)) {}

  get baseUrl(): string { return this.endpoint.baseUrl }

  /** The parsed JSON answer; `{}` for an empty body (MLflow leaves out unset fields, sometimes all of them). */
  async json<T>(request: RestRequest): Promise<T> {
    const response = await this.send(request)
    const text = await response.text()
    if (text.trim() === '') return {} as T
    try {
      return JSON.parse(text) as T
    } catch (error) {
      throw new RestError('INTERNAL_ERROR', `${describe(request)} answered with invalid JSON: ${text.slice(0, 200)}`, { status: response.status, outcomeUnknown: false }, { cause: error })
    }
  }

  /** The answer's bytes, typed with its Content-Type. */
  async blob(request: RestRequest): Promise<Blob> {
    return (await this.send(request)).blob()
  }

  /** Sends with retries and returns a 2xx response; anything else throws a RestError. */
  async send(request: RestRequest): Promise<Response> {
    const options = this.resolve()
    const url = this.url(request)
    const { maxAttempts } = options.retry
    for (let attempt = 1; ; attempt++) {
      const last = attempt >= maxAttempts
      let response: Response
      try {
        response = await this.fetchOnce(url, request, options)
      } catch (error) {
        const failure = await this.classifyFailure(request, error, options)
        if (failure instanceof RestError) throw failure
        if (last || !failure.retryable) throw networkError(describe(request), this.baseUrl, error, failure.timedOut, !failure.neverSent && !request.idempotent)
        await options.sleep(backoff(attempt, options))
        continue
      }
      if (response.ok) return response
      const status = response.status
      const safeToRepeat = status === 429 || status === 503
      const retryable = safeToRepeat || (request.idempotent && status >= 500 && (status !== 500 || request.retryOn500 !== false))
      const text = await response.text().catch(() => '')
      if (last || !retryable) {
        const outcomeUnknown = !request.idempotent && status >= 500 && !safeToRepeat
        throw errorFromResponse(describe(request), status, text, { status, outcomeUnknown })
      }
      await options.sleep(retryAfterMs(response, options) ?? backoff(attempt, options))
    }
  }

  private url(request: RestRequest): string {
    const params = new URLSearchParams()
    for (const [name, value] of Object.entries(request.query ?? {})) {
      if (value === undefined) continue
      if (Array.isArray(value)) for (const item of value) params.append(name, item)
      else params.append(name, String(value))
    }
    const search = params.toString()
    return `${this.baseUrl}${request.path}${search ? `?${search}` : ''}`
  }

  private async fetchOnce(url: string, request: RestRequest, options: ResolvedRemoteOptions): Promise<Response> {
    const headers: Record<string, string> = { ...options.headers }
    if (options.auth) headers.Authorization = authorizationHeader(options.auth)
    let body: BodyInit | undefined
    if (request.json !== undefined) {
      headers['Content-Type'] = 'application/json'
      body = JSON.stringify(request.json)
    } else if (request.body !== undefined) {
      headers['Content-Type'] = request.contentType || request.body.type || 'application/octet-stream'
      body = request.body
    }
    const controller = new AbortController()
    const timer = setTimeout(() => controller.abort(new TimeoutSignal()), options.timeoutMs)
    try {
      const response = await options.fetch(url, { method: request.method, headers, body, signal: controller.signal })
      // Read the body inside the timeout too, so a server that stalls mid-answer cannot hang a call.
      const bytes = await response.arrayBuffer()
      return new Response(response.status === 204 || response.status === 304 ? null : bytes, {
        status: response.status, statusText: response.statusText, headers: response.headers,
      })
    } finally {
      clearTimeout(timer)
    }
  }

  /** A CORS RestError to throw at once, or how to treat a failure that got no answer. */
  private async classifyFailure(request: RestRequest, error: unknown, options: ResolvedRemoteOptions):
    Promise<RestError | { retryable: boolean; neverSent: boolean; timedOut: boolean }> {
    const timedOut = isTimeout(error)
    const origin = browserOrigin()
    if (!timedOut && origin) {
      const corsFailure = await diagnoseBrowserFetchFailure(this.baseUrl, origin, options.fetch)
      if (corsFailure) return corsFailure
    }
    const neverSent = !timedOut && failedBeforeSending(error)
    return { retryable: request.idempotent || neverSent, neverSent, timedOut }
  }
}

class TimeoutSignal extends Error { override readonly name = 'TimeoutError' }

function isTimeout(error: unknown): boolean {
  for (let current = error, depth = 0; current && depth < 4; depth++) {
    if (current instanceof TimeoutSignal || (current as { name?: unknown }).name === 'TimeoutError') return true
    current = (current as { cause?: unknown }).cause
  }
  return false
}

function describe(request: RestRequest): string { return `${request.method} ${request.path}` }

/** Exponential backoff with jitter (half fixed, half random) so many clients do not retry in step. */
function backoff(attempt: number, options: ResolvedRemoteOptions): number {
  const { initialDelayMs, maxDelayMs } = options.retry
  const delay = Math.min(maxDelayMs, initialDelayMs * 2 ** (attempt - 1))
  return delay / 2 + Math.random() * (delay / 2)
}

/** A Retry-After header (seconds or an HTTP date) in ms, capped by the policy; undefined when absent. */
function retryAfterMs(response: Response, options: ResolvedRemoteOptions): number | undefined {
  const header = response.headers.get('Retry-After')
  if (!header) return undefined
  const seconds = Number(header)
  const ms = Number.isFinite(seconds) ? seconds * 1000 : Date.parse(header) - Date.now()
  if (!Number.isFinite(ms)) return undefined
  return Math.min(options.retry.maxDelayMs, Math.max(0, ms))
}
