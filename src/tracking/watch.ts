/**
 * Change notifications and tail reads for live views: the UI learns that a worker or another tab
 * wrote (Dexie broadcasts every committed write), then reads only what is new.
 */
import Dexie from 'dexie'
import type { MetricColumns } from '../store/tracking-store.ts'
import type { MetricTail } from '../store/local/metric-history.ts'
import { LocalTrackingStore } from '../store/local/local-store.ts'
import { storesFor } from '../store/uri.ts'

/** What kind of data a committed write touched. `runs` covers params, tags and latest metrics. */
export interface StoreChange { experiments: boolean; runs: boolean; metrics: boolean; artifacts: boolean }

export interface WatchOptions {
  /** Calls are coalesced to at most one per this many milliseconds (default 250). */
  minIntervalMs?: number
  /** For stores that cannot broadcast (remote servers): poll this often, reporting everything changed (default 5000). */
  pollMs?: number
}

const TABLE_CHANGES: Record<string, keyof StoreChange> = {
  experiments: 'experiments', runs: 'runs', metricChunks: 'metrics', artifacts: 'artifacts',
}
const EVERYTHING: StoreChange = { experiments: true, runs: true, metrics: true, artifacts: true }

/**
 * Calls `listener` after writes to the store behind `trackingUri`, from this context, a worker or
 * another tab. Bursts (a training loop) are coalesced. Returns the function that stops watching.
 * @example const stop = watchStore('indexeddb://lablog', change => { if (change.runs) reload() })
 */
export function watchStore(trackingUri: string, listener: (change: StoreChange) => void, options: WatchOptions = {}): () => void {
  const minIntervalMs = options.minIntervalMs ?? 250
  const store = storesFor(trackingUri).tracking
  if (!(store instanceof LocalTrackingStore)) {
    const timer = setInterval(() => listener({ ...EVERYTHING }), options.pollMs ?? 5000)
    return () => clearInterval(timer)
  }
  const prefix = `idb://${store.databaseName}/`
  let pending: StoreChange | undefined
  let timer: ReturnType<typeof setTimeout> | undefined
  let lastCall = 0
  const deliver = () => {
    timer = undefined
    const change = pending
    pending = undefined
    lastCall = Date.now()
    if (change) listener(change)
  }
  const onMutated = (parts: Record<string, unknown>) => {
    let change: StoreChange | undefined
    for (const part of Object.keys(parts)) {
      // Dexie sends { all } after the page comes back from the back-forward cache.
      if (part === 'all') { change = { ...EVERYTHING }; break }
      if (!part.startsWith(prefix)) continue
      const kind = TABLE_CHANGES[part.slice(prefix.length).split('/')[0]!]
      if (kind) (change ??= { experiments: false, runs: false, metrics: false, artifacts: false })[kind] = true
    }
    if (!change) return
    pending = pending ? mergeChanges(pending, change) : change
    if (timer === undefined) timer = setTimeout(deliver, Math.max(0, lastCall + minIntervalMs - Date.now()))
  }
  Dexie.on('storagemutated', onMutated)
  return () => {
    Dexie.on.storagemutated.unsubscribe(onMutated)
    if (timer !== undefined) clearTimeout(timer)
  }
}

function mergeChanges(a: StoreChange, b: StoreChange): StoreChange {
  return { experiments: a.experiments || b.experiments, runs: a.runs || b.runs, metrics: a.metrics || b.metrics, artifacts: a.artifacts || b.artifacts }
}

export type { MetricTail } from '../store/local/metric-history.ts'

/**
 * The points of a metric after the first `knownCount`, for live charts that append without
 * re-reading history. When points arrived out of step order the whole (sorted) history comes back
 * with `from: 0`, and the caller replaces what it had.
 */
export async function getMetricColumnsTail(trackingUri: string, runId: string, key: string, knownCount: number): Promise<MetricTail> {
  const store = storesFor(trackingUri).tracking
  if (store instanceof LocalTrackingStore) return store.getMetricTail(runId, key, knownCount)
  const columns = await store.getMetricColumns(runId, key)
  return { from: 0, total: columns.steps.length, columns }
}
