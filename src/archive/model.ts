/**
 * The archive's content in one shape, whatever the layout: readers produce it, writers consume
 * it, and the store (for export) or a parsed zip (for import and convert) stands behind it.
 */
import type { DatasetInput, Experiment, RunInfo } from '../core/types.ts'
import { throwIfAborted } from './archive-errors.ts'
import type { BulkRegisteredModel as ArchiveRegisteredModel } from '../store/local/bulk-import-registry.ts'
import type { MetricColumns } from '../store/tracking-store.ts'
import type { ZipEntry } from './zip-reader.ts'

/** One artifact file of a run, read on demand so a writer streams it instead of holding it. */
export interface ArchiveArtifact {
  /** Relative to the run's artifact root, '/'-separated. */
  path: string
  size: number
  /** The bytes, checked (CRC and size when they come from a zip). `onBytes` reports progress. */
  read(onBytes?: (bytes: number) => void): Promise<Blob>
}

/** A run with everything MLflow keeps about it; metric history and artifacts are read lazily. */
export interface ArchiveRun {
  info: RunInfo
  /** When the run was deleted (MLflow's `deleted_time`), if it is. */
  deletedTime?: number
  params: Record<string, string>
  tags: Record<string, string>
  inputs: DatasetInput[]
  metricKeys: string[]
  /** The full history of one metric, in logging order. */
  readMetric(key: string): Promise<MetricColumns>
  /** Every history, in metricKeys order: one read for the whole run where the source allows it. */
  readMetrics(): Promise<MetricColumns[]>
  /**
   * The zip entries of the run's mlruns metric files, in metricKeys order, when it comes from an mlruns
   * zip: how an importer matches the files a worker parsed (PendingRun.readAhead) to metricKeys.
   */
  metricFiles?: ZipEntry[]
  listArtifacts(): Promise<ArchiveArtifact[]>
}

/**
 * A run an archive's directory lists, read and checked only when its turn comes: an importer reads
 * one run while it writes the one before, instead of reading every run's metadata first.
 */
export interface PendingRun {
  /** The run's folder name; reading refuses a run whose metadata names another id. */
  runId: string
  /** Bytes of its artifacts, for progress before it is read. */
  artifactBytes: number
  /** Reads and checks the run. `readAhead`: bytes of its `readAhead` files a worker already read and checked, by path. */
  read(readAhead?: Map<string, Uint8Array>): Promise<ArchiveRun>
  /** mlruns only: the small files `read` reads as text, and its metric files, for a worker to read ahead. */
  readAhead?: { texts: ZipEntry[]; metrics: ZipEntry[] }
}

/** An experiment (read) and its runs (listed). */
export interface PendingExperiment {
  experiment: Experiment
  runs: PendingRun[]
}

/** An archive's experiments, with runs listed and not yet read. */
export interface ScannedContents {
  experiments: PendingExperiment[]
  /** The registry; versions' sources are rebased with the runs' artifact URIs, so it is read after them. */
  readRegisteredModels(runArtifactUris: Map<string, string>): Promise<ArchiveRegisteredModel[]>
}

/** An experiment and the runs of it that the archive holds. */
export interface ArchiveExperiment {
  experiment: Experiment
  runs: ArchiveRun[]
}

/**
 * A registered model and one of its versions as an archive carries them: the same shapes the
 * store's bulk import writes (only versions of archived runs are exported).
 */
export type { BulkModelVersion as ArchiveModelVersion, BulkRegisteredModel as ArchiveRegisteredModel } from '../store/local/bulk-import-registry.ts'

/** Everything an archive holds (or will hold). */
export interface ArchiveContents {
  experiments: ArchiveExperiment[]
  /** The model registry's models whose versions come from the archived runs (both layouts). */
  registeredModels?: ArchiveRegisteredModel[]
}

/** The archive layouts Lablog reads and writes. */
export type ArchiveFormat = 'mlruns' | 'export-import'

/**
 * Where mlflow-export-import looks for run folders: `released` is PyPI 1.2.0 (`<exp>/<run_id>/`),
 * `runs-subfolder` is its GitHub master since Oct 2025 (`<exp>/runs/<run_id>/`).
 */
export type ExportImportLayout = 'released' | 'runs-subfolder'

/** 'fast' stores long metric histories uncompressed (they deflate slowly and little); 'small' deflates everything. */
export type ArchiveCompression = 'fast' | 'small'

/** Progress of an export, import or conversion, for a progress bar. */
export interface ArchiveProgress {
  phase: 'listing' | 'reading' | 'writing' | 'done'
  runsDone: number
  runsTotal: number
  /** Artifact bytes handled so far, and in all (0 when not known yet). */
  bytesDone: number
  bytesTotal: number
}

const noPoints = (): MetricColumns => ({ steps: new Float64Array(0), values: new Float64Array(0), timestamps: new Float64Array(0) })

/** A run held in memory after parsing an archive (its artifacts still point into the zip). */
export function memoryRun(run: ArchiveRunFields, metrics: Map<string, MetricColumns>, artifacts: ArchiveArtifact[]): ArchiveRun {
  return lazyRun(run, [...metrics.keys()], async key => metrics.get(key) ?? noPoints(), artifacts)
}

/** A run whose metric histories are parsed from the zip each time they are read, so they never pile up in memory. */
export function lazyRun(run: ArchiveRunFields, metricKeys: string[], readMetric: (key: string) => Promise<MetricColumns>, artifacts: ArchiveArtifact[]): ArchiveRun {
  const known = new Set(metricKeys)
  const read = (key: string) => (known.has(key) ? readMetric(key) : Promise.resolve(noPoints()))
  return {
    ...run,
    metricKeys,
    readMetric: read,
    readMetrics: async () => {
      const out: MetricColumns[] = []
      for (const key of metricKeys) out.push(await read(key))
      return out
    },
    listArtifacts: async () => artifacts,
  }
}

/** What a reader knows of a run besides its metric histories and artifacts. */
export type ArchiveRunFields = Omit<ArchiveRun, 'metricKeys' | 'readMetric' | 'readMetrics' | 'listArtifacts' | 'metricFiles'>

/** Calls `write` for each run with its metric histories, reading the next run's while this one is written (store reads overlap zip work). */
export async function eachRunWithMetrics(runs: ArchiveRun[], signal: AbortSignal | undefined, write: (run: ArchiveRun, metrics: MetricColumns[]) => Promise<void>): Promise<void> {
  let next = runs[0] ? runs[0].readMetrics() : null
  for (const [index, run] of runs.entries()) {
    throwIfAborted(signal)
    const metrics = await next!
    next = runs[index + 1] ? runs[index + 1]!.readMetrics() : null
    next?.catch(() => {}) // awaited next turn; a failure of this run must not leave it unhandled
    await write(run, metrics)
  }
}

/** A dataset as MLflow names its fields (`source_type`), the four required ones already checked to be strings. */
export function mlflowDataset(fields: Record<string, unknown>): DatasetInput['dataset'] {
  return {
    name: fields.name as string, digest: fields.digest as string, sourceType: fields.source_type as string, source: fields.source as string,
    ...(typeof fields.schema === 'string' ? { schema: fields.schema } : {}),
    ...(typeof fields.profile === 'string' ? { profile: fields.profile } : {}),
  }
}
