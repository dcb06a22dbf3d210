/**
 * Tracking URIs to stores, by scheme, in one explicit table (no registration by
 * side-effect import). One store instance per URI, shared by every client.
 */
import { invalidParameter } from '../core/errors.ts'
import { LocalTrackingStore } from './local/local-store.ts'
import { LocalModelRegistryStore } from './local/registry.ts'
import { createRemoteStores } from './rest/remote-stores.ts'
import { withOutbox } from '../sync/outbox-store.ts'
import type { ArtifactStore, TrackingStore } from './tracking-store.ts'
import type { ModelRegistryStore } from './registry-store.ts'

export const DEFAULT_TRACKING_URI = 'indexeddb://lablog'

export interface Stores {
  tracking: TrackingStore
  artifacts: ArtifactStore
  /** The model registry (local, or the server's registry endpoints); absent for a backend without one (registry calls then fail NOT_IMPLEMENTED). */
  registry?: ModelRegistryStore
}

type StoreFactory = (uri: URL, raw: string) => Stores

const FACTORIES: Record<string, StoreFactory> = {
  'indexeddb:': (_uri, raw) => {
    const name = raw.slice('indexeddb://'.length).replace(/\/+$/, '')
    if (!name || name.includes('/')) throw invalidParameter(`Invalid tracking URI '${raw}': expected indexeddb://NAME, for example ${DEFAULT_TRACKING_URI}.`)
    const store = new LocalTrackingStore(decodeURIComponent(name))
    return { tracking: store, artifacts: store.artifacts, registry: new LocalModelRegistryStore(store.db) }
  },
  // An MLflow tracking server (REST API 2.0). Auth and retries: configureRemote() in rest/remote-options.ts.
  // With configureRemote(uri, { offline: 'queue' }), run writes wait in an outbox while the server is unreachable.
  // Its registry (rest/rest-registry.ts) comes with createRemoteStores and is not queued: registry calls go straight to the server.
  'http:': uri => withOutbox(createRemoteStores(uri), uri),
  'https:': uri => withOutbox(createRemoteStores(uri), uri),
}

const cache = new Map<string, Stores>()

/** The stores behind a tracking URI; an unknown scheme is INVALID_PARAMETER_VALUE naming the schemes we know. */
export function storesFor(trackingUri: string): Stores {
  const cached = cache.get(trackingUri)
  if (cached) return cached
  let url: URL
  try { url = new URL(trackingUri) } catch {
    throw invalidParameter(`Invalid tracking URI '${trackingUri}': expected ${Object.keys(FACTORIES).map(scheme => `${scheme}//…`).join(' or ')}.`)
  }
  const factory = FACTORIES[url.protocol]
  if (!factory) {
    throw invalidParameter(`Unsupported tracking URI scheme '${url.protocol}' in '${trackingUri}'. Supported: ${Object.keys(FACTORIES).join(', ')}.`)
  }
  const stores = factory(url, trackingUri)
  cache.set(trackingUri, stores)
  return stores
}


/** Forgets cached stores (tests use it between databases). */
export function clearStoreCache(): void { cache.clear() }
