/**
 * ArchiveContents backed by the public stores (any tracking URI): which runs an export selects,
 * with metric history read through getMetricColumns and artifacts through the artifact store. A
 * local store is read in bulk instead (batches of runs per transaction, one artifact listing).
 */
import { invalidParameter } from '../core/errors.ts'
import type { Experiment, Run, ViewType } from '../core/types.ts'
import { LocalTrackingStore } from '../store/local/local-store.ts'
import type { MetricColumns } from '../store/tracking-store.ts'
import type { Stores } from '../store/uri.ts'
import type { ArchiveArtifact, ArchiveContents, ArchiveExperiment, ArchiveRun } from './model.ts'
import { registryFromStores } from './registry-source.ts'
import { RunMetricsPrefetch } from './run-prefetch.ts'

const PARENT_TAG = 'mlflow.parentRunId'

/** What to export: experiments (all their runs), single runs, or, with neither, every experiment. */
export interface ExportSelection {
  experimentIds?: string[]
  runIds?: string[]
  /** Also export deleted runs and experiments (runs named in runIds are exported either way). */
  includeDeleted?: boolean
}

/**
 * Resolves the selection against the store up front (unknown ids fail here, before any byte is
 * written) and adds the ancestors of nested runs so parent links stay inside the archive.
 */
export async function contentsFromStore(stores: Stores, selection: ExportSelection): Promise<ArchiveContents> {
  const { tracking } = stores
  const viewType: ViewType = selection.includeDeleted ? 'ALL' : 'ACTIVE_ONLY'
  const experiments = new Map<string, Experiment>()
  const runs = new Map<string, Run>()
  let experimentIds = selection.experimentIds ?? []
  if (!selection.experimentIds?.length && !selection.runIds?.length) {
    experimentIds = []
    for (let pageToken: string | undefined; ;) {
      const page = await tracking.searchExperiments({ viewType, maxResults: 50_000, ...(pageToken ? { pageToken } : {}) })
      experimentIds.push(...page.items.map(item => item.experimentId))
      if (!(pageToken = page.nextPageToken)) break
    }
  }
  for (const experimentId of experimentIds) {
    const experiment = await tracking.getExperiment(experimentId)
    experiments.set(experimentId, experiment)
    for (let pageToken: string | undefined; ;) {
      const page = await tracking.searchRuns({ experimentIds: [experimentId], runViewType: viewType, maxResults: 50_000, ...(pageToken ? { pageToken } : {}) })
      for (const run of page.items) runs.set(run.info.runId, run)
      if (!(pageToken = page.nextPageToken)) break
    }
  }
  for (const runId of selection.runIds ?? []) {
    if (typeof runId !== 'string') throw invalidParameter(`Invalid run id in runIds: ${String(runId)}`)
    if (!runs.has(runId)) runs.set(runId, await tracking.getRun(runId))
  }
  for (const run of [...runs.values()]) {
    // A child without its parent breaks mlflow-export-import's id mapping and the UI's nesting.
    for (let parentId = run.data.tags[PARENT_TAG]; parentId && !runs.has(parentId);) {
      const parent = await tracking.getRun(parentId).catch(() => null)
      if (!parent) break
      runs.set(parentId, parent)
      parentId = parent.data.tags[PARENT_TAG]
    }
  }
  for (const run of runs.values()) {
    if (!experiments.has(run.info.experimentId)) experiments.set(run.info.experimentId, await tracking.getExperiment(run.info.experimentId))
  }
  const byExperiment = new Map<string, Run[]>()
  for (const run of [...runs.values()].sort((a, b) => a.info.startTime - b.info.startTime || (a.info.runId < b.info.runId ? -1 : 1))) {
    const list = byExperiment.get(run.info.experimentId) ?? []
    list.push(run)
    byExperiment.set(run.info.experimentId, list)
  }
  const source = sourceFor(stores, [...experiments.keys()].flatMap(id => (byExperiment.get(id) ?? []).map(run => run.info.runId)))
  const result: ArchiveExperiment[] = [...experiments.values()].map(experiment => ({
    experiment, runs: (byExperiment.get(experiment.experimentId) ?? []).map(run => storeRun(source, run, experiment)),
  }))
  const registeredModels = await registryFromStores(stores, runs)
  return { experiments: result, ...(registeredModels.length ? { registeredModels } : {}) }
}

/** How one export reads run data: through the public interfaces, or in bulk from a local store. */
interface RunDataSource {
  readMetrics(runId: string, keys: string[]): Promise<MetricColumns[]>
  readMetric(runId: string, key: string): Promise<MetricColumns>
  listArtifacts(runId: string): Promise<ArchiveArtifact[]>
}

/** `runIds` in the order the writers will visit them, so the local source can read ahead. */
function sourceFor(stores: Stores, runIds: string[]): RunDataSource {
  const { tracking } = stores
  if (!(tracking instanceof LocalTrackingStore)) {
    return {
      readMetric: (runId, key) => tracking.getMetricColumns(runId, key),
      readMetrics: (runId, keys) => Promise.all(keys.map(key => tracking.getMetricColumns(runId, key))),
      listArtifacts: runId => walkArtifacts(stores, runId, ''),
    }
  }
  const prefetch = new RunMetricsPrefetch(ids => tracking.getRunsMetricColumns(ids), runIds)
  let listing: Promise<Map<string, Array<{ path: string; fileSize?: number }>>> | undefined
  return {
    readMetric: (runId, key) => tracking.getMetricColumns(runId, key),
    readMetrics: async (runId, keys) => {
      const all = await prefetch.read(runId)
      return keys.map(key => all.get(key) ?? { steps: new Float64Array(0), values: new Float64Array(0), timestamps: new Float64Array(0) })
    },
    listArtifacts: async runId => {
      const files = (await (listing ??= tracking.artifacts.listRunFiles(runIds))).get(runId) ?? []
      return files.map(file => ({ path: file.path, size: file.fileSize ?? 0, read: () => readArtifact(stores, runId, file.path) }))
    },
  }
}

function storeRun(source: RunDataSource, run: Run, experiment: Experiment): ArchiveRun {
  const { runId } = run.info
  const metricKeys = Object.keys(run.data.metrics).sort()
  let artifacts: Promise<ArchiveArtifact[]> | undefined
  return {
    info: run.info,
    // The store does not expose deleted_time; MLflow deletes an experiment's runs at the experiment's last update.
    ...(run.info.lifecycleStage === 'deleted'
      ? { deletedTime: experiment.lifecycleStage === 'deleted' ? experiment.lastUpdateTime : run.info.endTime ?? run.info.startTime }
      : {}),
    params: run.data.params, tags: run.data.tags, inputs: run.inputs.datasetInputs,
    metricKeys,
    readMetric: key => source.readMetric(runId, key),
    readMetrics: () => source.readMetrics(runId, metricKeys),
    listArtifacts: () => (artifacts ??= source.listArtifacts(runId)),
  }
}

async function walkArtifacts(stores: Stores, runId: string, directory: string): Promise<ArchiveArtifact[]> {
  const out: ArchiveArtifact[] = []
  for (const entry of await stores.artifacts.listArtifacts(runId, directory)) {
    if (entry.isDir) { out.push(...await walkArtifacts(stores, runId, entry.path)); continue }
    out.push({ path: entry.path, size: entry.fileSize ?? 0, read: () => readArtifact(stores, runId, entry.path) })
  }
  return out
}

/**
 * The artifact store refuses '#' in paths (the REST proxy cannot carry it), yet MLflow's own
 * log_image(key=…, step=…) writes such names and imports keep them: read those rows directly.
 */
async function readArtifact(stores: Stores, runId: string, path: string): Promise<Blob> {
  if (path.includes('#') && stores.tracking instanceof LocalTrackingStore) {
    const row = await stores.tracking.db.artifacts.get([runId, path])
    if (row) return row.blob
  }
  return stores.artifacts.readArtifact(runId, path)
}
