/**
 * The contract every tracking backend meets (MLflow's AbstractStore, in camelCase):
 * the IndexedDB store and the REST store behave the same, errors included.
 */
import type {
  DatasetInput, Experiment, Metric, Page, Param, Run, RunInfo, RunStatus, RunTag,
  SearchExperimentsQuery, SearchRunsQuery,
} from '../core/types.ts'

export interface CreateRunRequest {
  experimentId: string
  userId?: string
  startTime?: number
  runName?: string
  tags?: RunTag[]
  /** Keep this id instead of making one (importers and pulls keep MLflow's ids). */
  runId?: string
}

export interface UpdateRunRequest { status?: RunStatus; endTime?: number | null; runName?: string }

export interface LogBatchRequest { metrics?: Metric[]; params?: Param[]; tags?: RunTag[] }

/** A metric's history as columns: what charts and exporters want for large series. */
export interface MetricColumns { steps: Float64Array; values: Float64Array; timestamps: Float64Array }

export interface TrackingStore {
  /** Returns the new experiment's id. RESOURCE_ALREADY_EXISTS when the name is taken, also by a deleted experiment. */
  createExperiment(name: string, options?: { artifactLocation?: string; tags?: RunTag[] }): Promise<string>
  /** RESOURCE_DOES_NOT_EXIST when absent. */
  getExperiment(experimentId: string): Promise<Experiment>
  /** null when no experiment (active or deleted) has this name. */
  getExperimentByName(name: string): Promise<Experiment | null>
  searchExperiments(query?: SearchExperimentsQuery): Promise<Page<Experiment>>
  renameExperiment(experimentId: string, newName: string): Promise<void>
  /** Marks the experiment and its active runs deleted. The Default experiment "0" cannot be deleted. */
  deleteExperiment(experimentId: string): Promise<void>
  restoreExperiment(experimentId: string): Promise<void>
  setExperimentTag(experimentId: string, key: string, value: string): Promise<void>
  deleteExperimentTag(experimentId: string, key: string): Promise<void>

  /** INVALID_STATE when the experiment is deleted. */
  createRun(request: CreateRunRequest): Promise<Run>
  getRun(runId: string): Promise<Run>
  updateRun(runId: string, update: UpdateRunRequest): Promise<RunInfo>
  deleteRun(runId: string): Promise<void>
  restoreRun(runId: string): Promise<void>
  /** Validated whole, then written in one transaction: all or nothing. */
  logBatch(runId: string, batch: LogBatchRequest): Promise<void>
  /** Any number of metric points, validated whole; a store splits them as its backend needs. */
  logMetrics(runId: string, metrics: Metric[]): Promise<void>
  deleteTag(runId: string, key: string): Promise<void>
  logInputs(runId: string, datasets: DatasetInput[]): Promise<void>
  /** Every point of one metric, in step order (then timestamp). */
  getMetricHistory(runId: string, key: string): Promise<Metric[]>
  /** The same history as typed-array columns: no object per point (charts, exporters). */
  getMetricColumns(runId: string, key: string): Promise<MetricColumns>
  searchRuns(query: SearchRunsQuery): Promise<Page<Run>>
  /**
   * Waits for writes a call returned before committing (the local store's createRun, see
   * store/local/fresh-run.ts) and throws one that failed afterwards. Stores without such writes omit it.
   */
  flush?(): Promise<void>
}

export interface FileEntry { path: string; isDir: boolean; fileSize?: number }

export interface ArtifactStore {
  /** Stores the Blob as it is (no copy into memory); `path` is relative to the run's artifact root. */
  logArtifact(runId: string, path: string, data: Blob): Promise<void>
  /** Direct children of `path` (the root when omitted), directories first-class, with sizes. */
  listArtifacts(runId: string, path?: string): Promise<FileEntry[]>
  /** RESOURCE_DOES_NOT_EXIST when no such file. */
  readArtifact(runId: string, path: string): Promise<Blob>
  deleteArtifacts(runId: string, path?: string): Promise<void>
}
