/**
 * MlflowClient: MLflow's client API with explicit ids, over whichever store the
 * tracking URI names. It owns the metric write-behind; the fluent API sits on top.
 */
import { invalidParameter } from '../core/errors.ts'
import { pythonStr } from '../core/python-str.ts'
import type {
  DatasetInput, Experiment, FileInfo, Metric, Run, RunInfo, RunStatus, SearchExperimentsQuery, SearchRunsQuery,
} from '../core/types.ts'
import { validateArtifactPath } from '../core/validation.ts'
import { type Stores, DEFAULT_TRACKING_URI, storesFor } from '../store/uri.ts'
import type { MetricColumns } from '../store/tracking-store.ts'
import { type ImageSource, dictBlob, figureBlob, pngBlob, textBlob } from './artifact-encoding.ts'
import { RegistryClient } from './registry-client.ts'
import { MetricWriteBehind } from './write-behind.ts'

/** searchRuns' options: MLflow's search_runs arguments. */
export type SearchRunsOptions = SearchRunsQuery
/** searchExperiments' options: MLflow's search_experiments arguments. */
export type SearchExperimentsOptions = SearchExperimentsQuery

export interface MetricOptions { step?: number; timestamp?: number }

const toEntries = (record: Record<string, unknown> = {}) =>
  Object.entries(record).map(([key, value]) => ({ key, value: pythonStr(value) }))

// One write-behind per store, so every client and the fluent API share its ordering and flush.
const writeBehinds = new WeakMap<Stores, MetricWriteBehind>()

/** The model registry methods (createRegisteredModel, getModelVersion, …) come from RegistryClient. */
export class MlflowClient extends RegistryClient {
  readonly trackingUri: string
  private readonly writeBehind: MetricWriteBehind

  constructor(trackingUri: string = DEFAULT_TRACKING_URI) {
    super(storesFor(trackingUri))
    this.trackingUri = trackingUri
    let writeBehind = writeBehinds.get(this.stores)
    if (!writeBehind) writeBehinds.set(this.stores, writeBehind = new MetricWriteBehind(this.stores.tracking))
    this.writeBehind = writeBehind
  }

  private get store() { return this.stores.tracking }

  // Experiments

  createExperiment(name: string, options: { artifactLocation?: string; tags?: Record<string, unknown> } = {}): Promise<string> {
    return this.store.createExperiment(name, { artifactLocation: options.artifactLocation, tags: toEntries(options.tags) })
  }
  getExperiment(experimentId: string): Promise<Experiment> { return this.store.getExperiment(experimentId) }
  getExperimentByName(name: string): Promise<Experiment | null> { return this.store.getExperimentByName(name) }
  async searchExperiments(options: SearchExperimentsOptions = {}): Promise<{ experiments: Experiment[]; nextPageToken?: string }> {
    const page = await this.store.searchExperiments(options)
    return { experiments: page.items, ...(page.nextPageToken ? { nextPageToken: page.nextPageToken } : {}) }
  }
  renameExperiment(experimentId: string, newName: string): Promise<void> { return this.store.renameExperiment(experimentId, newName) }
  deleteExperiment(experimentId: string): Promise<void> { return this.store.deleteExperiment(experimentId) }
  restoreExperiment(experimentId: string): Promise<void> { return this.store.restoreExperiment(experimentId) }
  setExperimentTag(experimentId: string, key: string, value: unknown): Promise<void> {
    return this.store.setExperimentTag(experimentId, key, pythonStr(value))
  }
  deleteExperimentTag(experimentId: string, key: string): Promise<void> { return this.store.deleteExperimentTag(experimentId, key) }

  // Runs

  createRun(experimentId: string, options: { runName?: string; tags?: Record<string, unknown>; startTime?: number; userId?: string; runId?: string } = {}): Promise<Run> {
    return this.store.createRun({ experimentId, runName: options.runName, tags: toEntries(options.tags), startTime: options.startTime, userId: options.userId, runId: options.runId })
  }
  async getRun(runId: string): Promise<Run> {
    return this.store.getRun(runId)
  }
  updateRun(runId: string, update: { status?: RunStatus; endTime?: number; name?: string }): Promise<RunInfo> {
    return this.store.updateRun(runId, { status: update.status, endTime: update.endTime, runName: update.name })
  }
  /** Ends a run: its queued metrics are written first, so nothing logged before the end is lost. */
  async setTerminated(runId: string, status: RunStatus = 'FINISHED', endTime: number = Date.now()): Promise<RunInfo> {
    await this.flush()
    return this.store.updateRun(runId, { status, endTime })
  }
  deleteRun(runId: string): Promise<void> { return this.store.deleteRun(runId) }
  restoreRun(runId: string): Promise<void> { return this.store.restoreRun(runId) }
  async searchRuns(options: SearchRunsOptions): Promise<{ runs: Run[]; nextPageToken?: string }> {
    if (!Array.isArray(options.experimentIds)) throw invalidParameter('searchRuns needs experimentIds: an array of experiment ids.')
    const page = await this.store.searchRuns(options)
    return { runs: page.items, ...(page.nextPageToken ? { nextPageToken: page.nextPageToken } : {}) }
  }

  // Logging

  logParam(runId: string, key: string, value: unknown): Promise<void> {
    return this.store.logBatch(runId, { params: [{ key, value: pythonStr(value) }] })
  }
  /**
   * Queues one point and resolves once it is durable. Not awaiting in a hot loop is fast:
   * points are coalesced into few transactions; flush() reports any that failed.
   */
  logMetric(runId: string, key: string, value: number, options: MetricOptions = {}): Promise<void> {
    return this.writeBehind.log(runId, { key, value, timestamp: options.timestamp ?? Date.now(), step: options.step ?? 0 })
  }
  setTag(runId: string, key: string, value: unknown): Promise<void> {
    return this.store.logBatch(runId, { tags: [{ key, value: pythonStr(value) }] })
  }
  deleteTag(runId: string, key: string): Promise<void> { return this.store.deleteTag(runId, key) }
  /** MLflow's log-batch: at most 1000 metrics, 100 params, 100 tags; validated whole, then all or nothing. */
  logBatch(runId: string, batch: { metrics?: Metric[]; params?: { key: string; value: unknown }[]; tags?: { key: string; value: unknown }[] }): Promise<void> {
    return this.store.logBatch(runId, {
      metrics: batch.metrics,
      params: batch.params?.map(param => ({ key: param.key, value: pythonStr(param.value) })),
      tags: batch.tags?.map(tag => ({ key: tag.key, value: pythonStr(tag.value) })),
    })
  }
  logInputs(runId: string, datasets: DatasetInput[]): Promise<void> { return this.store.logInputs(runId, datasets) }
  /** Makes every queued metric point durable; throws the writes that failed. */
  async flush(): Promise<void> {
    const [points, runs] = await Promise.allSettled([this.writeBehind.flush(), this.store.flush?.()])
    if (points.status === 'rejected') throw points.reason
    if (runs.status === 'rejected') throw runs.reason
  }

  async getMetricHistory(runId: string, key: string): Promise<Metric[]> {
    await this.flush()
    return this.store.getMetricHistory(runId, key)
  }
  async getMetricColumns(runId: string, key: string): Promise<MetricColumns> {
    await this.flush()
    return this.store.getMetricColumns(runId, key)
  }

  // Artifacts

  /** Stores a Blob or File under `artifactPath/` with the File's name, or `fileName` for a plain Blob. */
  async logArtifact(runId: string, data: Blob, artifactPath = '', fileName?: string): Promise<void> {
    const name = fileName ?? (data as File).name
    if (!name) throw invalidParameter('logArtifact needs a file name: pass a File, or a Blob with fileName.')
    const directory = validateArtifactPath(artifactPath, { allowEmpty: true })
    return this.stores.artifacts.logArtifact(runId, directory ? `${directory}/${name}` : name, data)
  }
  async logText(runId: string, text: string, artifactFile: string): Promise<void> {
    return this.stores.artifacts.logArtifact(runId, artifactFile, textBlob(text))
  }
  async logDict(runId: string, dictionary: unknown, artifactFile: string): Promise<void> {
    return this.stores.artifacts.logArtifact(runId, artifactFile, dictBlob(dictionary, artifactFile))
  }
  async logImage(runId: string, image: ImageSource, artifactFile: string): Promise<void> {
    return this.stores.artifacts.logArtifact(runId, artifactFile, await pngBlob(image))
  }
  async logFigure(runId: string, figure: { data: unknown[]; layout?: unknown }, artifactFile: string): Promise<void> {
    return this.stores.artifacts.logArtifact(runId, artifactFile, figureBlob(figure))
  }
  listArtifacts(runId: string, path?: string): Promise<FileInfo[]> { return this.stores.artifacts.listArtifacts(runId, path) }
  readArtifact(runId: string, path: string): Promise<Blob> { return this.stores.artifacts.readArtifact(runId, path) }
  async readArtifactText(runId: string, path: string): Promise<string> { return (await this.readArtifact(runId, path)).text() }
  async readArtifactJson<T = unknown>(runId: string, path: string): Promise<T> { return JSON.parse(await this.readArtifactText(runId, path)) as T }
  deleteArtifacts(runId: string, path?: string): Promise<void> { return this.stores.artifacts.deleteArtifacts(runId, path) }
}
