/**
 * Which registry version a serving path names, remembered for local (IndexedDB) registries until
 * Dexie reports a registry write — from this context or, over BroadcastChannel, any tab or worker.
 * Saves an IndexedDB round trip per request; a moved alias or a new version clears the memory.
 */
import Dexie from 'dexie'
import type { ModelVersion } from '../core/types.ts'
import { modelVersionForUri } from '../models/registry-uri.ts'
import { LocalTrackingStore } from '../store/local/local-store.ts'
import { storesFor } from '../store/uri.ts'
import type { MlflowClient } from '../tracking/client.ts'

/** The Dexie tables whose writes can change what a `models:/` URI names (aliases live on registeredModels). */
const REGISTRY_TABLES = ['registeredModels', 'modelVersions']

/** Resolves `models:/` URIs to versions, with a cache per local database. */
export class ServedVersionResolver {
  private readonly cached = new Map<string, Map<string, Promise<ModelVersion>>>()
  private listening = false

  /** The version `modelsUri` names in the registry behind `trackingUri`. */
  resolve(trackingUri: string, client: MlflowClient, modelsUri: string): Promise<ModelVersion> {
    const store = storesFor(trackingUri).tracking
    // Remote registries change without telling us: ask them every time.
    if (!(store instanceof LocalTrackingStore)) return modelVersionForUri(modelsUri, client)
    this.listen()
    let answers = this.cached.get(store.databaseName)
    if (!answers) this.cached.set(store.databaseName, answers = new Map())
    const known = answers.get(modelsUri)
    if (known) return known
    const resolving = modelVersionForUri(modelsUri, client)
    answers.set(modelsUri, resolving)
    // Errors (an unknown model or alias) are not remembered: it may be registered a moment later.
    resolving.catch(() => { if (answers.get(modelsUri) === resolving) answers.delete(modelsUri) })
    return resolving
  }

  /** Forgets every remembered answer. */
  clear(): void { this.cached.clear() }

  private listen(): void {
    if (this.listening) return
    this.listening = true
    Dexie.on('storagemutated', parts => {
      for (const part of Object.keys(parts)) {
        // Dexie sends { all } when it cannot say what changed (a page back from the back-forward cache).
        if (part === 'all') { this.cached.clear(); return }
        const [database, table] = part.replace(/^idb:\/\//, '').split('/')
        if (database !== undefined && table !== undefined && REGISTRY_TABLES.includes(table)) this.cached.delete(database)
      }
    })
  }
}
