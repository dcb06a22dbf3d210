/**
 * Keeps the read-ahead worker ahead of the importer: runs are asked for in the order bulkImport loads
 * them, so while IndexedDB writes one batch and the thread checks the next one's metadata, the worker
 * reads and parses the runs after. Bounded by the bytes asked for and not yet taken, so memory holds
 * a few batches, not the archive.
 */
import type { MetricColumns } from '../store/tracking-store.ts'
import type { ArchiveRun, PendingRun } from './model.ts'
import { ReadAheadUnavailable, type ReadAheadWorker, type RunFilesRead } from './read-ahead-worker.ts'

/** File bytes asked for ahead (≈ 400,000 points; their columns take ≈ 10 MB). */
const AHEAD_BYTES = 16 << 20
const AHEAD_RUNS = 64
/** Below this many metric bytes in all, a worker's start-up costs more than it saves. */
const WORKER_MIN_BYTES = 4 << 20

const sizeOf = (entries: Array<{ size: number }> | undefined) => (entries ?? []).reduce((sum, entry) => sum + entry.size, 0)
const readAheadBytes = (run: PendingRun) => sizeOf(run.readAhead?.texts) + sizeOf(run.readAhead?.metrics)

/** A run read and checked, with its metric histories in metricKeys order. */
export interface LoadedRun { run: ArchiveRun; columns: MetricColumns[] }

/** Reads pending runs: through the worker when there is one, else here. */
export interface RunReader {
  read(pending: PendingRun): Promise<LoadedRun>
  close(): void
}

const readHere = async (pending: PendingRun): Promise<LoadedRun> => {
  const run = await pending.read()
  return { run, columns: await run.readMetrics() }
}

/** Whether a zip this large may hold enough metric files for a worker to pay: the worker can then start before the zip is read. */
export const worthAWorker = (zip: Blob) => zip.size >= WORKER_MIN_BYTES

/**
 * A reader for `runs` (in the order they will be read) through `worker` when there is one and enough
 * metric files to pay, else one that reads in this thread. It owns the worker from here on (close()
 * ends it; an unused one ends at once). `workerMinBytes` is for tests, which use the worker on small archives.
 */
export function runReader(runs: PendingRun[], worker: ReadAheadWorker | null, workerMinBytes = WORKER_MIN_BYTES): RunReader {
  const here: RunReader = { read: readHere, close: () => {} }
  if (!worker) return here
  if (runs.reduce((sum, run) => sum + sizeOf(run.readAhead?.metrics), 0) < workerMinBytes) {
    worker.terminate()
    return here
  }
  return new ReadAhead(worker, runs)
}

class ReadAhead implements RunReader {
  private readonly position = new Map<PendingRun, number>()
  /** Runs asked for and not taken yet; null for a run without files to read ahead (read here). */
  private readonly requested = new Map<number, Promise<RunFilesRead> | null>()
  /** Index of the first run not asked for yet, and the bytes asked for but not taken. */
  private next = 0
  private aheadBytes = 0

  constructor(private readonly worker: ReadAheadWorker, private readonly runs: PendingRun[]) {
    runs.forEach((run, index) => this.position.set(run, index))
    this.fill() // the worker starts while the import writes its experiments
  }

  async read(pending: PendingRun): Promise<LoadedRun> {
    const index = this.position.get(pending)
    if (index === undefined) return readHere(pending)
    if (index >= this.next) { this.next = index; this.request() }
    let files = this.requested.get(index)
    if (files === undefined) files = pending.readAhead ? this.worker.read(pending.readAhead) : null // asked for twice
    else { this.requested.delete(index); this.aheadBytes -= readAheadBytes(pending) }
    this.fill()
    if (files === null) return readHere(pending)
    let read: RunFilesRead
    try { read = await files } catch (error) {
      if (error instanceof ReadAheadUnavailable) return readHere(pending)
      throw error
    }
    return withFiles(pending, read)
  }

  close(): void { this.worker.terminate() }

  private fill(): void {
    while (this.next < this.runs.length && this.aheadBytes < AHEAD_BYTES && this.requested.size < AHEAD_RUNS) this.request()
  }

  /** Asks the worker for run `next`'s files. */
  private request(): void {
    const run = this.runs[this.next]!
    const files = run.readAhead ? this.worker.read(run.readAhead) : null
    files?.catch(() => {}) // an import that stops early never takes the rest
    this.requested.set(this.next, files)
    this.aheadBytes += readAheadBytes(run)
    this.next++
  }
}

/** Reads the run with the texts the worker read, and matches its metric files to the worker's columns. */
async function withFiles(pending: PendingRun, read: RunFilesRead): Promise<LoadedRun> {
  const { texts, metrics } = pending.readAhead!
  const bytes = new Map<string, Uint8Array>()
  let at = 0
  for (const entry of texts) { bytes.set(entry.path, read.texts.subarray(at, at + entry.size)); at += entry.size }
  const run = await pending.read(bytes)
  const parsed = new Map(metrics.map((entry, index) => [entry.path, read.columns[index]!]))
  const columns: MetricColumns[] = []
  for (const [index, key] of run.metricKeys.entries()) {
    const entry = run.metricFiles?.[index]
    columns.push((entry && parsed.get(entry.path)) ?? await run.readMetric(key))
  }
  return { run, columns }
}
