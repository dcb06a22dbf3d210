/**
 * The serving endpoint inside a workbox service worker: same-origin `<scope>serve/…` POSTs and GETs
 * are answered by handleInvocation, with tfjs prepared on the first request rather than at startup.
 */
import type { RouteHandlerCallbackOptions, RouteMatchCallbackOptions } from 'workbox-core/types.js'
import { registerRoute } from 'workbox-routing'
import { MlflowError } from '../core/errors.ts'
import { type Tf, loadTf } from '../tfjs/load-tf.ts'
import { errorResponse, handleInvocation, type ServingOptions } from './invocations.ts'

/** The path under a service worker's scope that serving answers. */
export const SERVING_PATH = 'serve/'

export interface ServingRouteOptions extends Pick<ServingOptions, 'trackingUri' | 'cache'> {
  /**
   * Prepares tfjs before the first prediction. Default: the cpu backend, because a service worker's
   * own fetches bypass its precache (the wasm binaries would need the network) and cpu results equal
   * the page's cpu results exactly.
   */
  prepareTf?: (tf: Tf) => Promise<unknown>
  /** The scope URL the endpoint lives under (default: this service worker's registration scope). */
  scope?: string
}

let preparing: Promise<unknown> | undefined

const useCpu = async (tf: Tf) => { await tf.setBackend('cpu'); await tf.ready() }

/**
 * Registers the serving routes on workbox's router (call it before any navigation route):
 * `POST <scope>serve/<name>/<version | @alias>/invocations` and the `GET` info and ping endpoints.
 * Returns the path prefix it answers under.
 */
export function registerServingRoute(options: ServingRouteOptions = {}): string {
  const scope = options.scope ?? (globalThis as unknown as { registration: { scope: string } }).registration.scope
  const basePath = new URL(SERVING_PATH, scope).pathname
  const match = ({ url, sameOrigin }: RouteMatchCallbackOptions) => sameOrigin && url.pathname.startsWith(basePath)
  const handler = async ({ request }: RouteHandlerCallbackOptions): Promise<Response> => {
    // Failed preparation is retried on the next request instead of poisoning the worker's lifetime.
    preparing ??= loadTf().then(tf => (options.prepareTf ?? useCpu)(tf)).catch(error => { preparing = undefined; throw error })
    try {
      await preparing
    } catch (error) {
      return errorResponse(new MlflowError('INTERNAL_ERROR', `TensorFlow.js could not start in the service worker: ${error instanceof Error ? error.message : String(error)}`))
    }
    return handleInvocation(request, { trackingUri: options.trackingUri, cache: options.cache, basePath })
  }
  registerRoute(match, handler, 'POST')
  registerRoute(match, handler, 'GET')
  return basePath
}
