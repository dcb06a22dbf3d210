/**
 * Keeps the metric worker ahead of the importer: runs are asked for in the order bulkImport loads them,
 * so while IndexedDB writes one batch and the thread builds the next, the worker parses the ones after.
 * Bounded by the metric bytes asked for and not yet taken, so memory holds a few batches, not the archive.
 */
import type { MetricColumns } from '../store/tracking-store.ts'
import { type MetricWorker, MetricWorkerUnavailable, startMetricWorker } from './metric-worker.ts'
import type { ArchiveRun } from './model.ts'

/** Metric file bytes asked for ahead (≈ 400,000 points; their columns take ≈ 10 MB). */
const AHEAD_BYTES = 16 << 20
const AHEAD_RUNS = 64
/** Below this many metric bytes in all, a worker's start-up costs more than it saves. */
const WORKER_MIN_BYTES = 4 << 20

const metricBytes = (run: ArchiveRun) => (run.metricFiles ?? []).reduce((sum, entry) => sum + entry.size, 0)

/** Each run's metric histories, in metricKeys order: from the worker when there is one, else parsed here. */
export interface MetricSource {
  read(run: ArchiveRun): Promise<MetricColumns[]>
  close(): void
}

/**
 * A worker-backed source for `runs` (in the order they will be read) when it pays, else runs' own
 * readMetrics. `workerMinBytes` is for tests, which use the worker on small archives.
 */
export function metricSource(zip: Blob, runs: ArchiveRun[], workerMinBytes = WORKER_MIN_BYTES): MetricSource {
  const inThread: MetricSource = { read: run => run.readMetrics(), close: () => {} }
  if (runs.reduce((sum, run) => sum + metricBytes(run), 0) < workerMinBytes) return inThread
  const worker = startMetricWorker(zip)
  return worker ? new MetricPrefetch(worker, runs) : inThread
}

class MetricPrefetch implements MetricSource {
  private readonly position = new Map<ArchiveRun, number>()
  /** Runs asked for and not taken yet; null for a run without mlruns metric files (read in-thread). */
  private readonly requested = new Map<number, Promise<MetricColumns[]> | null>()
  /** Index of the first run not asked for yet, and the bytes asked for but not taken. */
  private next = 0
  private aheadBytes = 0

  constructor(private readonly worker: MetricWorker, private readonly runs: ArchiveRun[]) {
    runs.forEach((run, index) => this.position.set(run, index))
    this.fill() // the worker starts while the import writes its experiments
  }

  async read(run: ArchiveRun): Promise<MetricColumns[]> {
    const index = this.position.get(run)
    if (index === undefined) return run.readMetrics()
    if (index >= this.next) { this.next = index; this.request() }
    let columns = this.requested.get(index)
    if (columns === undefined) columns = run.metricFiles ? this.worker.parse(run.metricFiles) : null // asked for twice
    else { this.requested.delete(index); this.aheadBytes -= metricBytes(run) }
    this.fill()
    if (columns === null) return run.readMetrics()
    try { return await columns } catch (error) {
      if (error instanceof MetricWorkerUnavailable) return run.readMetrics()
      throw error
    }
  }

  close(): void { this.worker.terminate() }

  private fill(): void {
    while (this.next < this.runs.length && this.aheadBytes < AHEAD_BYTES && this.requested.size < AHEAD_RUNS) this.request()
  }

  /** Asks the worker for run `next`'s files. */
  private request(): void {
    const run = this.runs[this.next]!
    const entries = run.metricFiles
    const columns = entries === undefined ? null : entries.length > 0 ? this.worker.parse(entries) : Promise.resolve([])
    columns?.catch(() => {}) // an import that stops early never takes the rest
    this.requested.set(this.next, columns)
    this.aheadBytes += metricBytes(run)
    this.next++
  }
}
