/** The IndexedDB tracking store: one Dexie database per `indexeddb://NAME` URI. */
import type {
  DatasetInput, Experiment, Metric, Page, Run, RunInfo, RunTag, SearchExperimentsQuery, SearchRunsQuery,
} from '../../core/types.ts'
import type { CreateRunRequest, LogBatchRequest, MetricColumns, TrackingStore, UpdateRunRequest } from '../tracking-store.ts'
import { LocalArtifactStore } from './artifacts.ts'
import { LablogDb } from './db.ts'
import * as experiments from './experiments.ts'
import { type MetricTail, columnsToMetrics, readMetricColumns, readRunMetricColumns } from './metric-history.ts'
import { freshRunWriter } from './fresh-run.ts'
import { RunSearchCache } from './run-cache.ts'
import * as runs from './runs.ts'

export class LocalTrackingStore implements TrackingStore {
  readonly db: LablogDb
  readonly artifacts: LocalArtifactStore
  private readonly searchCache: RunSearchCache

  constructor(readonly databaseName = 'lablog') {
    this.db = new LablogDb(databaseName)
    this.artifacts = new LocalArtifactStore(this.db)
    this.searchCache = new RunSearchCache(this.db)
  }

  createExperiment(name: string, options?: { artifactLocation?: string; tags?: RunTag[] }): Promise<string> {
    return experiments.createExperiment(this.db, name, options)
  }
  async getExperiment(experimentId: string): Promise<Experiment> {
    return experiments.toExperiment(await experiments.getExperimentRow(this.db, experimentId))
  }
  getExperimentByName(name: string): Promise<Experiment | null> { return experiments.getExperimentByName(this.db, name) }
  searchExperiments(query?: SearchExperimentsQuery): Promise<Page<Experiment>> { return experiments.searchExperiments(this.db, query) }
  renameExperiment(experimentId: string, newName: string): Promise<void> { return experiments.renameExperiment(this.db, experimentId, newName) }
  deleteExperiment(experimentId: string): Promise<void> { return experiments.deleteExperiment(this.db, experimentId) }
  restoreExperiment(experimentId: string): Promise<void> { return experiments.restoreExperiment(this.db, experimentId) }
  setExperimentTag(experimentId: string, key: string, value: string): Promise<void> {
    return experiments.setExperimentTag(this.db, experimentId, key, value)
  }
  deleteExperimentTag(experimentId: string, key: string): Promise<void> { return experiments.deleteExperimentTag(this.db, experimentId, key) }

  createRun(request: CreateRunRequest): Promise<Run> { return runs.createRun(this.db, request) }
  async getRun(runId: string): Promise<Run> { return runs.toRun(await runs.getRunRow(this.db, runId)) }
  updateRun(runId: string, update: UpdateRunRequest): Promise<RunInfo> { return runs.updateRun(this.db, runId, update) }
  deleteRun(runId: string): Promise<void> { return runs.setRunLifecycle(this.db, runId, 'deleted') }
  restoreRun(runId: string): Promise<void> { return runs.setRunLifecycle(this.db, runId, 'active') }
  logBatch(runId: string, batch: LogBatchRequest): Promise<void> { return runs.logBatch(this.db, runId, batch) }
  logMetrics(runId: string, metrics: Metric[]): Promise<void> { return runs.logMetrics(this.db, runId, metrics) }
  deleteTag(runId: string, key: string): Promise<void> { return runs.deleteTag(this.db, runId, key) }
  logInputs(runId: string, datasets: DatasetInput[]): Promise<void> { return runs.logInputs(this.db, runId, datasets) }
  async searchRuns(query: SearchRunsQuery): Promise<Page<Run>> {
    await freshRunWriter(this.db).settled()
    return runs.searchRuns(this.searchCache, query)
  }

  async getMetricHistory(runId: string, key: string): Promise<Metric[]> {
    return columnsToMetrics(key, await this.getMetricColumns(runId, key))
  }

  /** The history as typed-array columns: no object per point, for charts and exporters. */
  async getMetricColumns(runId: string, key: string): Promise<MetricColumns> {
    return (await this.getMetricTail(runId, key, 0)).columns
  }

  /** The points after the first `knownCount` (or the whole history, `from: 0`, when it had to be re-sorted). */
  async getMetricTail(runId: string, key: string, knownCount: number): Promise<MetricTail> {
    const db = this.db
    return db.transaction('r', db.runs, db.metricChunks, async () => readMetricColumns(db, await runs.getRunRow(db, runId), key, knownCount))
  }

  /**
   * Every metric history of each run (key → columns, as getMetricColumns returns them), all read in
   * one transaction: exporters read whole runs, and a transaction per key cost more than the points.
   * Rejects with RESOURCE_DOES_NOT_EXIST when a run is absent.
   */
  async getRunsMetricColumns(runIds: string[]): Promise<Array<Map<string, MetricColumns>>> {
    const db = this.db
    return db.transaction('r', db.runs, db.metricChunks, async () => {
      const rows = await Promise.all(runIds.map(runId => runs.getRunRow(db, runId)))
      return Promise.all(rows.map(row => readRunMetricColumns(db, row)))
    })
  }

  /** Waits for create transactions still committing; throws one that failed after its createRun resolved. */
  flush(): Promise<void> { return freshRunWriter(this.db).flush() }

  close(): void {
    freshRunWriter(this.db).close()
    this.searchCache.close()
    this.db.close()
  }
}
