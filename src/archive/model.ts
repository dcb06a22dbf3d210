/**
 * The archive's content in one shape, whatever the layout: readers produce it, writers consume
 * it, and the store (for export) or a parsed zip (for import and convert) stands behind it.
 */
import type { DatasetInput, Experiment, RunInfo } from '../core/types.ts'
import type { MetricColumns } from '../store/tracking-store.ts'

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
  listArtifacts(): Promise<ArchiveArtifact[]>
}

/** An experiment and the runs of it that the archive holds. */
export interface ArchiveExperiment {
  experiment: Experiment
  runs: ArchiveRun[]
}

/** Everything an archive holds (or will hold). */
export interface ArchiveContents {
  experiments: ArchiveExperiment[]
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

/** A run held in memory after parsing an archive (its artifacts still point into the zip). */
export function memoryRun(run: Omit<ArchiveRun, 'metricKeys' | 'readMetric' | 'listArtifacts'>, metrics: Map<string, MetricColumns>, artifacts: ArchiveArtifact[]): ArchiveRun {
  return {
    ...run,
    metricKeys: [...metrics.keys()],
    readMetric: async key => metrics.get(key) ?? { steps: new Float64Array(0), values: new Float64Array(0), timestamps: new Float64Array(0) },
    listArtifacts: async () => artifacts,
  }
}
