/**
 * Parsing metric files on a second thread during import. Inflating, CRC-checking and parsing an mlruns
 * run's metric files is more than half of an import's CPU time; on a worker it overlaps the window's
 * (or the archive worker's) YAML, row building and IndexedDB writes. The worker gets the zip Blob (shared,
 * not copied) and the entries ZipArchive.open already checked, reads them with the same checks (local
 * header, bounds, size, CRC) and parser as in-thread, and sends back columns (transferred) or the error.
 */
import { deserializeError, serializeError } from '../core/error-transfer.ts'
import type { MetricColumns } from '../store/tracking-store.ts'
import { readMetricFile } from './metric-bytes.ts'
import { ZipArchive, type ZipEntry } from './zip-reader.ts'

/** window → worker: the zip once, then runs' metric files to parse, in the order they are wanted. */
export type MetricWorkerRequest = { zip: Blob } | { id: number; entries: ZipEntry[] }
/** worker → window: one reply per request, in request order. */
export type MetricWorkerReply =
  | { id: number; columns: MetricColumns[] }
  | { id: number; error: ReturnType<typeof serializeError> }

/** The worker's side: answers requests one at a time, in order, so the zip is read forward. */
export function serveMetricRequests(scope: { onmessage: ((event: MessageEvent<MetricWorkerRequest>) => void) | null; postMessage(message: MetricWorkerReply, transfer: Transferable[]): void }): void {
  let archive: ZipArchive | undefined
  let queue: Promise<void> = Promise.resolve()
  scope.onmessage = ({ data }) => {
    if ('zip' in data) { archive = ZipArchive.ofCheckedEntries(data.zip); return }
    queue = queue.then(async () => {
      try {
        if (!archive) throw new Error('the metric worker got no zip')
        const columns: MetricColumns[] = []
        for (const entry of data.entries) columns.push(await readMetricFile(archive, entry))
        scope.postMessage({ id: data.id, columns }, columns.flatMap(({ steps, values, timestamps }) => [steps.buffer, values.buffer, timestamps.buffer]))
      } catch (error) {
        scope.postMessage({ id: data.id, error: serializeError(error instanceof Error ? error : new Error(String(error))) }, [])
      }
    })
  }
}

/** Raised for requests a worker could not answer because it failed to start or died: parse them in-thread. */
export class MetricWorkerUnavailable extends Error {}

/** The window's side of one worker, for one import. */
export class MetricWorker {
  private nextId = 0
  private readonly pending = new Map<number, { resolve: (columns: MetricColumns[]) => void; reject: (error: Error) => void }>()
  private dead = false

  constructor(private readonly worker: Worker, zip: Blob) {
    worker.onmessage = ({ data }: MessageEvent<MetricWorkerReply>) => {
      const job = this.pending.get(data.id)
      if (!job) return
      this.pending.delete(data.id)
      if ('error' in data) job.reject(deserializeError(data.error))
      else job.resolve(data.columns)
    }
    // A module that fails to load, or a worker that crashes: nothing it owes will come.
    worker.onerror = event => { event.preventDefault(); this.fail() }
    worker.onmessageerror = () => this.fail()
    worker.postMessage({ zip } satisfies MetricWorkerRequest)
  }

  /** The entries' columns, in order; rejects with the entry's error, or MetricWorkerUnavailable. */
  parse(entries: ZipEntry[]): Promise<MetricColumns[]> {
    if (this.dead) return Promise.reject(new MetricWorkerUnavailable())
    const id = this.nextId++
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject })
      this.worker.postMessage({ id, entries } satisfies MetricWorkerRequest)
    })
  }

  /** Ends the worker; requests still pending reject with MetricWorkerUnavailable. */
  terminate(): void {
    this.worker.terminate()
    this.fail()
  }

  private fail(): void {
    this.dead = true
    for (const job of this.pending.values()) job.reject(new MetricWorkerUnavailable())
    this.pending.clear()
  }
}

/** A metric worker for `zip`, or null where workers do not exist (Node, the CLI) or cannot start. */
export function startMetricWorker(zip: Blob): MetricWorker | null {
  if (typeof Worker === 'undefined') return null
  try {
    return new MetricWorker(new Worker(new URL('../../workers/archive-metrics.worker.ts', import.meta.url), { type: 'module', name: 'lablog-archive-metrics' }), zip)
  } catch {
    return null
  }
}
