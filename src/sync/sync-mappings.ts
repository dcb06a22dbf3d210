/**
 * Where push keeps "local run → remote run, and what the server already holds", per target: in the
 * source's own IndexedDB (table syncMappings) when the source is the local store, else only in memory.
 */
import type { SyncMappingRow } from '../store/local/db.ts'
import { LocalTrackingStore } from '../store/local/local-store.ts'
import { remoteEndpoint } from '../store/rest/remote-options.ts'
import type { TrackingStore } from '../store/tracking-store.ts'

export type { SyncMappingRow }

/** The mappings of one source store towards one target. */
export interface SyncMappings {
  get(localRunId: string): Promise<SyncMappingRow | undefined>
  put(row: Omit<SyncMappingRow, 'target' | 'updatedAt'>): Promise<void>
  delete(localRunId: string): Promise<void>
}

/** The key a target is known by: a server's base URL (credentials and trailing slash dropped), else the URI itself. */
export function targetKey(uri: string): string {
  return /^https?:/i.test(uri) ? remoteEndpoint(uri).baseUrl : uri
}

/** Mappings for pushes from `source` to `target`; persistent when the source is an IndexedDB store. */
export function syncMappingsFor(source: TrackingStore, target: string): SyncMappings {
  const key = targetKey(target)
  if (source instanceof LocalTrackingStore) {
    const table = source.db.syncMappings
    return {
      get: localRunId => table.get([key, localRunId]),
      put: async row => { await table.put({ ...row, target: key, updatedAt: Date.now() }) },
      delete: localRunId => table.delete([key, localRunId]),
    }
  }
  // A source that is itself a server (server-to-server copy): the run tags still make pushes idempotent.
  const memory = new Map<string, SyncMappingRow>()
  return {
    get: async localRunId => memory.get(localRunId),
    put: async row => { memory.set(row.localRunId, { ...row, target: key, updatedAt: Date.now() }) },
    delete: async localRunId => { memory.delete(localRunId) },
  }
}

/**
 * How many points each metric of a local run holds, read from the run row without touching the
 * history; undefined for a store that cannot say cheaply (then push compares histories).
 */
export async function localSeriesCounts(source: TrackingStore, runId: string): Promise<Record<string, number> | undefined> {
  if (!(source instanceof LocalTrackingStore)) return undefined
  const row = await source.db.runs.get(runId)
  if (!row) return undefined
  return Object.fromEntries(Object.entries(row.series).map(([key, info]) => [key, info.count]))
}
