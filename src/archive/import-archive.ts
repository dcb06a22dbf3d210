/**
 * importArchive: an mlruns or mlflow-export-import zip into the local store, all or nothing.
 * The layout and experiments are checked first; then, in one transaction, each run's metadata and
 * metric files are read and checked, and its artifacts CRC-checked, just before it is written.
 */
import { MlflowError } from '../core/errors.ts'
import { type BulkExperiment, type BulkImportResult, type BulkRun, type RunConflictPolicy, bulkImport } from '../store/local/bulk-import.ts'
import { LocalTrackingStore } from '../store/local/local-store.ts'
import { DEFAULT_TRACKING_URI, storesFor } from '../store/uri.ts'
import { throwIfAborted } from './archive-errors.ts'
import type { ArchiveManifest } from './manifest.ts'
import type { ArchiveFormat, ArchiveProgress, PendingRun } from './model.ts'
import { type ScannedArchive, scanArchive } from './read-archive.ts'
import { runReader, worthAWorker } from './read-ahead.ts'
import { startReadAheadWorker } from './read-ahead-worker.ts'
import type { ZipLimits } from './zip-reader.ts'

export type { RunConflictPolicy } from '../store/local/bulk-import.ts'

export interface ImportArchiveOptions {
  /** The local store to write to; default 'indexeddb://lablog'. */
  trackingUri?: string
  /** A run whose id is already present: 'skip' (default; reported as already present), 'replace', or 'fail' (nothing written). */
  onConflict?: RunConflictPolicy
  /** Safety limits (entry count, total size, compression ratio); raise them for very large archives. */
  limits?: Partial<ZipLimits>
  /** Read this layout instead of detecting it. */
  format?: ArchiveFormat
  onProgress?: (progress: ArchiveProgress) => void
  /** Aborting rejects with CANCELLED; nothing is written. */
  signal?: AbortSignal
}

export interface ImportArchiveResult extends BulkImportResult {
  format: ArchiveFormat
  /** The manifest when Lablog wrote the archive. */
  manifest?: ArchiveManifest
  artifacts: number
  artifactBytes: number
}

/** Reads, checks and writes the archive; a corrupt or hostile archive is refused with the entry and the reason. */
export async function importArchive(zip: Blob, options: ImportArchiveOptions = {}): Promise<ImportArchiveResult> {
  const store = storesFor(options.trackingUri ?? DEFAULT_TRACKING_URI).tracking
  if (!(store instanceof LocalTrackingStore)) {
    throw new MlflowError('NOT_IMPLEMENTED', 'importArchive writes to a local (indexeddb://) store; push runs to a tracking server with pushRuns.')
  }
  const { signal, onProgress } = options
  // An mlruns run's files are read and its metrics parsed on a worker, ahead of the writes, when there
  // are enough of them. It starts now, so its module loads while this thread reads the zip's directory.
  const worker = worthAWorker(zip) ? startReadAheadWorker(zip) : null
  let scanned: ScannedArchive
  try {
    scanned = await scanArchive(zip, { ...(options.limits ? { limits: options.limits } : {}), ...(signal ? { signal } : {}), ...(options.format ? { format: options.format } : {}) })
  } catch (error) {
    worker?.terminate()
    throw error
  }
  const pendingRuns = scanned.contents.experiments.flatMap(item => item.runs)
  const bytesTotal = pendingRuns.reduce((sum, run) => sum + run.artifactBytes, 0)
  const progress: ArchiveProgress = { phase: 'reading', runsDone: 0, runsTotal: pendingRuns.length, bytesDone: 0, bytesTotal }
  onProgress?.({ ...progress })
  let lastReport = 0
  const tick = () => { const now = Date.now(); if (now - lastReport > 100) { lastReport = now; onProgress?.({ ...progress }) } }
  let artifacts = 0
  const reader = runReader(pendingRuns, worker)
  const runArtifactUris = new Map<string, string>()
  const load = async (pending: PendingRun): Promise<BulkRun> => {
    throwIfAborted(signal)
    const { run, columns } = await reader.read(pending)
    runArtifactUris.set(run.info.runId, run.info.artifactUri)
    const metrics = new Map(run.metricKeys.map((key, index) => [key, columns[index]!]))
    const files = []
    for (const artifact of await run.listArtifacts()) {
      throwIfAborted(signal)
      files.push({ path: artifact.path, blob: await artifact.read(bytes => { progress.bytesDone += bytes; tick() }) })
    }
    artifacts += files.length
    progress.runsDone++
    tick()
    return { info: run.info, ...(run.deletedTime !== undefined ? { deletedTime: run.deletedTime } : {}), params: run.params, tags: run.tags, inputs: run.inputs, metrics, artifacts: files }
  }
  const experiments: BulkExperiment[] = scanned.contents.experiments.map(({ experiment, runs }) => ({
    experiment, runs: runs.map(run => ({ runId: run.runId, load: () => load(run) })),
  }))
  progress.phase = 'writing'
  onProgress?.({ ...progress })
  let result: BulkImportResult
  try {
    result = await bulkImport(store.db, experiments, {
      onConflict: options.onConflict ?? 'skip', checkCancelled: () => throwIfAborted(signal),
      // After every run is read: versions' sources are rebased with their runs' artifact URIs.
      loadRegisteredModels: () => scanned.contents.readRegisteredModels(runArtifactUris),
    })
  } finally {
    reader.close()
  }
  progress.phase = 'done'
  onProgress?.({ ...progress })
  return { ...result, format: scanned.format, ...(scanned.manifest ? { manifest: scanned.manifest } : {}), artifacts, artifactBytes: progress.bytesDone }
}
