/**
 * The app's service worker (vite-plugin-pwa `injectManifest`): precaches the build for offline use,
 * serves registered models at `serve/…` (MLflow's scoring protocol), and replays the outbox on Background Sync.
 */
import { clientsClaim } from 'workbox-core'
import { cleanupOutdatedCaches, createHandlerBoundToURL, precacheAndRoute } from 'workbox-precaching'
import { NavigationRoute, registerRoute } from 'workbox-routing'
import { registerServingRoute } from './serving/sw-route.ts'
import { OUTBOX_SYNC_TAG, replayOutbox } from './sync/outbox.ts'

// The DOM lib is this project's global type world, so the few service-worker shapes used here are declared locally.
interface ExtendableEventLike extends Event { waitUntil(promise: Promise<unknown>): void }
interface SyncEventLike extends ExtendableEventLike { tag: string }
interface ServiceWorkerScope {
  /** The build's file list, injected by workbox at build time. */
  __WB_MANIFEST: Array<string | { url: string; revision: string | null }>
  skipWaiting(): Promise<void>
  addEventListener(type: 'message', listener: (event: MessageEvent<unknown>) => void): void
  addEventListener(type: 'sync', listener: (event: SyncEventLike) => void): void
}
declare const self: ServiceWorkerScope

precacheAndRoute(self.__WB_MANIFEST)
cleanupOutdatedCaches()

// The first visit is controlled at once; an update waits until the user chooses "Reload".
clientsClaim()
self.addEventListener('message', event => {
  // workbox-window's messageSkipWaiting(), sent by the update prompt's Reload button.
  if ((event.data as { type?: unknown } | null)?.type === 'SKIP_WAITING') void self.skipWaiting()
})

// Registered before the navigation fallback, so a navigation to a serving URL is never answered with the app shell.
const servingPath = registerServingRoute()

registerRoute(new NavigationRoute(createHandlerBoundToURL('index.html'), {
  denylist: [new RegExp(`^${servingPath.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`)],
}))

self.addEventListener('sync', event => {
  if (event.tag !== OUTBOX_SYNC_TAG) return
  // A rejected promise asks the browser to retry later: do so while entries still wait for the network.
  event.waitUntil(replayOutbox().then(result => {
    if (result.remaining > 0) throw new Error(`${result.remaining} outbox entries still wait for their server.`)
  }))
})
