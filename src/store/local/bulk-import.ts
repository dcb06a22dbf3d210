/**
 * Writes a whole imported archive in ONE IndexedDB transaction (experiments, runs with their
 * original ids, metric chunks, artifact Blobs): a failure or a cancel leaves nothing behind.
 */
import { MlflowError } from '../../core/errors.ts'
import type { DatasetInput, Experiment, LifecycleStage, RunInfo } from '../../core/types.ts'
import type { MetricColumns } from '../tracking-store.ts'
import { type ArtifactRow, type ExperimentRow, type LablogDb, type MetricChunkRow, type RunRow, defaultArtifactLocation } from './db.ts'
import { chunkMetricColumns } from './metric-history.ts'

/** One run ready to write: everything already parsed and checked, artifacts already Blobs. */
export interface BulkRun {
  info: RunInfo
  deletedTime?: number
  params: Record<string, string>
  tags: Record<string, string>
  inputs: DatasetInput[]
  metrics: Map<string, MetricColumns>
  artifacts: Array<{ path: string; blob: Blob }>
}

export interface BulkExperiment { experiment: Experiment; runs: BulkRun[] }

/** What to do with a run whose id is already in the store. */
export type RunConflictPolicy = 'skip' | 'replace' | 'fail'

export interface BulkImportResult {
  /** Archive experiment id → id in this store (kept when free, else new; merged by name). */
  experimentIds: Record<string, string>
  experimentsCreated: string[]
  experimentsMerged: string[]
  runsImported: string[]
  /** Runs skipped because a run with the same id was already present. */
  runsAlreadyPresent: string[]
  runsReplaced: string[]
}

/**
 * Writes experiments (merged into a same-named one when it exists) and runs (ids kept) in one
 * transaction. `checkCancelled` is called between writes; throwing from it aborts everything.
 */
export async function bulkImport(db: LablogDb, experiments: BulkExperiment[], options: { onConflict?: RunConflictPolicy; checkCancelled?: () => void } = {}): Promise<BulkImportResult> {
  const policy = options.onConflict ?? 'skip'
  const check = options.checkCancelled ?? (() => {})
  const result: BulkImportResult = { experimentIds: {}, experimentsCreated: [], experimentsMerged: [], runsImported: [], runsAlreadyPresent: [], runsReplaced: [] }
  await db.transaction('rw', [db.experiments, db.runs, db.metricChunks, db.artifacts], async () => {
    const targets = new Map<string, ExperimentRow>()
    let nextId = await largestNumericId(db)
    for (const { experiment } of experiments) {
      check()
      const existing = await db.experiments.where('name').equals(experiment.name).first()
      if (existing) {
        const missingTags = Object.fromEntries(Object.entries(experiment.tags).filter(([key]) => !(key in existing.tags)))
        if (Object.keys(missingTags).length) {
          existing.tags = { ...existing.tags, ...missingTags }
          await db.experiments.put(existing)
        }
        targets.set(experiment.experimentId, existing)
        result.experimentsMerged.push(existing.experimentId)
        continue
      }
      let experimentId = experiment.experimentId
      if (await db.experiments.get(experimentId)) experimentId = String(nextId += 1n)
      else if (/^\d+$/.test(experimentId) && BigInt(experimentId) > nextId) nextId = BigInt(experimentId)
      const row: ExperimentRow = {
        experimentId, name: experiment.name, artifactLocation: defaultArtifactLocation(db.name, experimentId),
        lifecycleStage: experiment.lifecycleStage, tags: { ...experiment.tags },
        creationTime: experiment.creationTime, lastUpdateTime: experiment.lastUpdateTime,
        // MLflow deletes an experiment's runs at the instant it deletes the experiment; restore relies on that match.
        ...(experiment.lifecycleStage === 'deleted' ? { deletedTime: experiment.lastUpdateTime } : {}),
      }
      await db.experiments.add(row)
      targets.set(experiment.experimentId, row)
      result.experimentsCreated.push(experimentId)
    }
    for (const [archiveId, row] of targets) result.experimentIds[archiveId] = row.experimentId

    const allRuns = experiments.flatMap(item => item.runs.map(run => ({ run, target: targets.get(item.experiment.experimentId)! })))
    const present = await db.runs.bulkGet(allRuns.map(item => item.run.info.runId))
    const runRows: RunRow[] = []
    const chunkRows: MetricChunkRow[] = []
    const artifactRows: ArtifactRow[] = []
    for (const [index, { run, target }] of allRuns.entries()) {
      check()
      const { runId } = run.info
      if (present[index]) {
        if (policy === 'skip') { result.runsAlreadyPresent.push(runId); continue }
        if (policy === 'fail') throw new MlflowError('RESOURCE_ALREADY_EXISTS', `Run with id=${runId} already exists; nothing was imported.`)
        await db.metricChunks.where('[runId+key+seq]').between([runId, '', -Infinity], [runId, '\uffff', Infinity]).delete()
        await db.artifacts.where('runId').equals(runId).delete()
        result.runsReplaced.push(runId)
      } else {
        result.runsImported.push(runId)
      }
      const row = toRunRow(run, target)
      for (const [key, columns] of run.metrics) if (columns.steps.length > 0) chunkRows.push(...chunkMetricColumns(row, key, columns))
      for (const artifact of run.artifacts) artifactRows.push({ runId, path: artifact.path, blob: artifact.blob, size: artifact.blob.size })
      runRows.push(row)
    }
    check()
    await db.runs.bulkPut(runRows)
    await db.metricChunks.bulkPut(chunkRows)
    check()
    await db.artifacts.bulkPut(artifactRows)
    check()
  })
  return result
}

function toRunRow(run: BulkRun, target: ExperimentRow): RunRow {
  const { info } = run
  const lifecycleStage: LifecycleStage = info.lifecycleStage
  return {
    runId: info.runId, experimentId: target.experimentId, runName: info.runName, userId: info.userId, status: info.status,
    startTime: info.startTime, endTime: info.endTime,
    artifactUri: `${target.artifactLocation}/${info.runId}/artifacts`, lifecycleStage,
    ...(lifecycleStage === 'deleted' ? { deletedTime: run.deletedTime ?? target.deletedTime ?? info.endTime ?? info.startTime } : {}),
    params: { ...run.params },
    tags: { ...run.tags, ...(info.runName && run.tags['mlflow.runName'] === undefined ? { 'mlflow.runName': info.runName } : {}) },
    latestMetrics: {}, series: {},
    inputs: run.inputs.map(input => ({ dataset: { ...input.dataset }, tags: { ...input.tags } })),
  }
}

async function largestNumericId(db: LablogDb): Promise<bigint> {
  let max = 0n
  await db.experiments.toCollection().eachPrimaryKey(id => { if (/^\d+$/.test(id) && BigInt(id) > max) max = BigInt(id) })
  return max
}
