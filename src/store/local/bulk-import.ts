/**
 * Writes a whole imported archive in ONE IndexedDB transaction (experiments, runs with their
 * original ids, metric chunks, artifact Blobs): a failure or a cancel leaves nothing behind.
 * Runs are loaded a few at a time inside it (Dexie.waitFor keeps it open), so memory holds a few runs.
 */
import Dexie from 'dexie'
import { MlflowError } from '../../core/errors.ts'
import type { DatasetInput, Experiment, LifecycleStage, RunInfo } from '../../core/types.ts'
import type { MetricColumns } from '../tracking-store.ts'
import { type ArtifactRow, type ExperimentRow, type LablogDb, type MetricChunkRow, type RunRow, defaultArtifactLocation } from './db.ts'
import { type BulkRegisteredModel, type BulkRegistryResult, emptyRegistryResult, importRegistry } from './bulk-import-registry.ts'
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

/** A run to import, loaded (parsed and checked) only when its turn comes. */
export interface BulkRunSource {
  runId: string
  /** Parses and checks the run; throwing aborts the whole import. */
  load(): Promise<BulkRun>
}

export interface BulkExperiment { experiment: Experiment; runs: BulkRunSource[] }

/** How long one batch of runs may take to load (its artifacts are CRC-checked) before the import gives up. */
const LOAD_TIMEOUT_MS = 30 * 60_000
/** Runs loaded per waitFor and written per bulkPut: at most this many, holding at most about BATCH_POINTS points. */
const BATCH_RUNS = 16
const BATCH_POINTS = 100_000

/** What to do with a run whose id is already in the store. */
export type RunConflictPolicy = 'skip' | 'replace' | 'fail'

export interface BulkImportResult extends BulkRegistryResult {
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
 * transaction. Every run is loaded, skipped ones too, so a corrupt archive is refused whole.
 * While the next batch of runs loads, IndexedDB writes the previous one. `checkCancelled` is called between runs; throwing
 * from it aborts everything.
 */
export async function bulkImport(
  db: LablogDb, experiments: BulkExperiment[],
  options: {
    onConflict?: RunConflictPolicy
    checkCancelled?: () => void
    /** The registry to write, read (and checked) after every run has loaded; throwing aborts everything. */
    loadRegisteredModels?: () => Promise<BulkRegisteredModel[]>
  } = {},
): Promise<BulkImportResult> {
  const policy = options.onConflict ?? 'skip'
  const check = options.checkCancelled ?? (() => {})
  const result: BulkImportResult = { experimentIds: {}, experimentsCreated: [], experimentsMerged: [], runsImported: [], runsAlreadyPresent: [], runsReplaced: [], ...emptyRegistryResult() }
  await db.transaction('rw', [db.experiments, db.runs, db.metricChunks, db.artifacts, db.registeredModels, db.modelVersions], async () => {
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
    const present = await db.runs.bulkGet(allRuns.map(item => item.run.runId))
    const firstPresent = present.find(row => row !== undefined)
    if (policy === 'fail' && firstPresent) throw new MlflowError('RESOURCE_ALREADY_EXISTS', `Run with id=${firstPresent.runId} already exists; nothing was imported.`)
    let writing: Promise<unknown> = Dexie.Promise.resolve()
    for (let next = 0; next < allRuns.length;) {
      check()
      // Parsing reads the zip, not IndexedDB: waitFor keeps the transaction alive meanwhile. A few
      // runs per waitFor and per bulkPut (each costs a round trip), bounded by points so memory stays small.
      const first = next
      const loaded = await Dexie.waitFor(Dexie.ignoreTransaction(async () => {
        const batch: BulkRun[] = []
        let points = 0
        while (next < allRuns.length && batch.length < BATCH_RUNS && points < BATCH_POINTS) {
          if (batch.length > 0) check()
          const run = await allRuns[next]!.run.load()
          next++
          batch.push(run)
          for (const columns of run.metrics.values()) points += columns.steps.length
          for (const artifact of run.artifacts) points += 1000 + Math.ceil(artifact.blob.size / 64) // ≈ 6 MB of artifacts end a batch
        }
        return batch
      }), LOAD_TIMEOUT_MS)
      check()
      await writing
      const runRows: RunRow[] = [], chunkRows: MetricChunkRow[] = [], artifactRows: ArtifactRow[] = []
      for (const [offset, run] of loaded.entries()) {
        const index = first + offset
        const { runId } = run.info
        if (present[index]) {
          if (policy === 'skip') { result.runsAlreadyPresent.push(runId); continue }
          await db.metricChunks.where('[runId+key+seq]').between([runId, '', -Infinity], [runId, '\uffff', Infinity]).delete()
          await db.artifacts.where('runId').equals(runId).delete()
          result.runsReplaced.push(runId)
        } else {
          result.runsImported.push(runId)
        }
        const row = toRunRow(run, allRuns[index]!.target)
        for (const [key, columns] of run.metrics) if (columns.steps.length > 0) for (const chunk of chunkMetricColumns(row, key, columns)) chunkRows.push(chunk)
        for (const artifact of run.artifacts) artifactRows.push({ runId, path: artifact.path, blob: artifact.blob, size: artifact.blob.size })
        runRows.push(row)
      }
      // Not awaited here: the next runs load while IndexedDB writes these.
      const puts: Array<PromiseLike<unknown>> = [db.runs.bulkPut(runRows), db.metricChunks.bulkPut(chunkRows), db.artifacts.bulkPut(artifactRows)]
      // A later load that fails aborts the transaction before these are awaited: that failure is the error
      // to report, not these writes' AbortErrors (which Dexie would log as unhandled).
      for (const put of puts) put.then(undefined, () => {})
      writing = Dexie.Promise.all(puts)
    }
    await writing
    check()
    // After the runs, so a version's source is rebased onto its run's local artifact location.
    const load = options.loadRegisteredModels
    const registeredModels = load ? await Dexie.waitFor(Dexie.ignoreTransaction(load), LOAD_TIMEOUT_MS) : []
    check()
    await importRegistry(db, registeredModels, result, check)
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
    modifiedAt: 0, // stamped as it is written (db.ts)
  }
}

async function largestNumericId(db: LablogDb): Promise<bigint> {
  let max = 0n
  await db.experiments.toCollection().eachPrimaryKey(id => { if (/^\d+$/.test(id) && BigInt(id) > max) max = BigInt(id) })
  return max
}
