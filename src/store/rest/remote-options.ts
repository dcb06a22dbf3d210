/**
 * How Lablog talks to one tracking server: auth, timeout and retry policy, set per server with
 * `configureRemote(uri, options)` and read at every request, so it applies to stores already made.
 */
import { invalidParameter } from '../../core/errors.ts'
import { type RestAuth, authFromEnvironment, authFromUserinfo } from './auth.ts'

/** When and how often a failed request is tried again (only requests that are safe to repeat). */
export interface RetryPolicy {
  /** Tries in all, the first included. Default 6. */
  maxAttempts: number
  /** Wait before the second try; doubles each time, with jitter. Default 500 ms. */
  initialDelayMs: number
  /** Upper bound of one wait, also for a server's Retry-After. Default 30 s. */
  maxDelayMs: number
}

/** Options for one tracking server, given to {@link configureRemote}. Every field is optional. */
export interface RemoteOptions {
  /**
   * Credentials. Default: the URI's userinfo (`http://user:pass@host`), else in Node
   * MLFLOW_TRACKING_USERNAME/MLFLOW_TRACKING_PASSWORD (basic) or MLFLOW_TRACKING_TOKEN (bearer).
   * `null` sends no Authorization header at all.
   */
  auth?: RestAuth | null
  /** Abort one request (headers and body) after this long. Default 60 s. */
  timeoutMs?: number
  retry?: Partial<RetryPolicy>
  /** Extra headers on every request (a proxy's API key, say). */
  headers?: Record<string, string>
  /** The fetch to use. Default: globalThis.fetch. */
  fetch?: typeof fetch
  /** How to wait between tries. Default: setTimeout. Tests pass one that records the delays. */
  sleep?: (ms: number) => Promise<void>
  /**
   * What a run write does when the server cannot be reached. 'fail' (default) throws. 'queue' keeps
   * it in an IndexedDB outbox and returns; the outbox is replayed in order when the server is back
   * (see src/sync/outbox.ts). Experiment calls and reads always need the server.
   */
  offline?: 'fail' | 'queue'
  /** The IndexedDB database holding the outbox. Default 'lablog' (the default local store's). */
  outboxDatabase?: string
  /** How often a non-empty outbox is retried, besides the `online` event. Default 30 s. */
  outboxRetryMs?: number
}

/** RemoteOptions with every default filled in, as the transport reads them. */
export interface ResolvedRemoteOptions {
  auth: RestAuth | undefined
  timeoutMs: number
  retry: RetryPolicy
  headers: Record<string, string>
  fetch: typeof fetch
  sleep: (ms: number) => Promise<void>
  offline: 'fail' | 'queue'
  outboxDatabase: string
  outboxRetryMs: number
}

/** A tracking URI split into the base URL requests go to and the credentials it carried. */
export interface RemoteEndpoint { baseUrl: string; userinfoAuth: RestAuth | undefined }

export const DEFAULT_RETRY: RetryPolicy = { maxAttempts: 6, initialDelayMs: 500, maxDelayMs: 30_000 }
export const DEFAULT_TIMEOUT_MS = 60_000

const configured = new Map<string, RemoteOptions>()

/**
 * The base URL of an http(s) tracking URI: no userinfo (fetch refuses URLs with credentials),
 * no query or fragment, no trailing slash. A path is kept: `https://host/mlflow` serves `/mlflow/api/2.0/…`.
 */
export function remoteEndpoint(uri: string | URL): RemoteEndpoint {
  const url = typeof uri === 'string' ? parseUrl(uri) : uri
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw invalidParameter(`Not an http(s) tracking URI: '${String(uri)}'`)
  return { baseUrl: `${url.protocol}//${url.host}${url.pathname.replace(/\/+$/, '')}`, userinfoAuth: authFromUserinfo(url) }
}

/**
 * Sets options for the tracking server at `uri` (credentials in the URI are ignored for matching).
 * Later calls replace earlier ones; it takes effect at the next request, also for clients already made.
 *
 * @example
 * configureRemote('https://mlflow.team.example', { auth: { type: 'bearer', token } })
 * mlflow.setTrackingUri('https://mlflow.team.example')
 */
export function configureRemote(uri: string, options: RemoteOptions): void {
  configured.set(remoteEndpoint(uri).baseUrl, { ...options })
}

/** The options in force for a server now: configureRemote's, then the URI's userinfo, then the environment. */
export function resolveRemoteOptions(endpoint: RemoteEndpoint): ResolvedRemoteOptions {
  const options = configured.get(endpoint.baseUrl) ?? {}
  const auth = options.auth === null ? undefined : options.auth ?? endpoint.userinfoAuth ?? authFromEnvironment()
  const fetchImpl = options.fetch ?? globalThis.fetch
  if (typeof fetchImpl !== 'function') throw invalidParameter('No fetch is available here: pass one with configureRemote(uri, { fetch }).')
  return {
    auth,
    timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    retry: { ...DEFAULT_RETRY, ...options.retry },
    headers: { ...options.headers },
    // Called unbound, browsers throw "Illegal invocation".
    fetch: options.fetch ?? ((input, init) => globalThis.fetch(input, init)),
    sleep: options.sleep ?? (ms => new Promise(resolve => setTimeout(resolve, ms))),
    offline: options.offline ?? 'fail',
    outboxDatabase: options.outboxDatabase ?? 'lablog',
    outboxRetryMs: options.outboxRetryMs ?? 30_000,
  }
}

function parseUrl(uri: string): URL {
  try { return new URL(uri) } catch { throw invalidParameter(`Invalid tracking URI '${uri}'`) }
}
