/**
 * Why a browser's fetch to a tracking server failed. The browser hides the reason, so a
 * `no-cors` probe tells "the server answers but does not allow this origin" (CORS) from "unreachable".
 */
import { RestError } from './rest-errors.ts'

/** The page's origin when this code runs in a browser window or worker; undefined in Node. */
export function browserOrigin(): string | undefined {
  const scope = globalThis as { document?: unknown; importScripts?: unknown; location?: { origin?: string } }
  if (scope.document === undefined && scope.importScripts === undefined) return undefined
  const origin = scope.location?.origin
  return origin && origin !== 'null' ? origin : undefined
}

/**
 * After a fetch from `origin` to `baseUrl` threw: the CORS error to report, or undefined when the
 * server is same-origin or does not answer at all (then it is a plain network failure).
 */
export async function diagnoseBrowserFetchFailure(baseUrl: string, origin: string, fetchImpl: typeof fetch): Promise<RestError | undefined> {
  if (new URL(baseUrl).origin === origin) return undefined
  try {
    // An opaque answer to a no-cors GET proves the server is up: the real request was blocked by CORS.
    await fetchImpl(`${baseUrl}/health`, { mode: 'no-cors', method: 'GET', cache: 'no-store' })
  } catch {
    return undefined
  }
  return corsError(baseUrl, origin)
}

/** The error that says what blocked the request and the three ways to fix it. */
export function corsError(baseUrl: string, origin: string): RestError {
  return new RestError('PERMISSION_DENIED',
    `The MLflow server at ${baseUrl} is reachable, but the browser blocked its answers: the server does not allow requests from this page's origin ${origin} (CORS). `
    + 'MLflow 2.x servers send no CORS headers at all. To fix it, either: '
    + `(1) run MLflow 3.5 or newer with --cors-allowed-origins ${origin}; `
    + '(2) serve this app and the MLflow server from one origin through a reverse proxy; or '
    + '(3) push from Node with the Lablog CLI (lablog push), which CORS does not restrict.',
    { outcomeUnknown: false })
}
