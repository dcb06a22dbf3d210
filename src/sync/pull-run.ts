/**
 * Pulls one server run into the local store under its own run id: creates the local copy when
 * absent, then adds what the copy lacks — so pulling twice, or after an interrupted pull, doubles nothing.
 */
import { isMlflowError } from '../core/errors.ts'
import type { DatasetInput, Run } from '../core/types.ts'
import type { Stores } from '../store/uri.ts'
import { planBatches } from './batch-plan.ts'
import { throwIfCancelled } from './cancel.ts'
import { missingPoints } from './metric-diff.ts'
import { listFiles } from './push-run.ts'
import type { SyncedModelVersion } from './registry-sync-common.ts'

/** The tag on a pulled run naming the server it came from. */
export const PULLED_FROM_TAG = 'lablog.pulledFrom'
const PULLED_FROM = PULLED_FROM_TAG
const RUN_NAME_TAG = 'mlflow.runName'

/** What a pull of one run did. */
export interface PulledRun {
  runId: string
  localExperimentId: string
  /** True when this pull made the local copy. */
  created: boolean
  /** True when the local copy was deleted by the user: it is left alone. */
  skipped: boolean
  pointsReceived: number
  artifactsReceived: number
  /** The server's model versions of this run copied into the local registry (set when it has any and `includeRegistry` is on). */
  modelVersions?: SyncedModelVersion[]
}

export interface PullContext {
  remote: Stores
  local: Stores
  includeArtifacts: boolean
  signal: AbortSignal | undefined
  /** The value of `lablog.pulledFrom`: the server's base URL. */
  pulledFrom: string
  progress(phase: 'run' | 'data' | 'artifacts', received: { points?: number; artifacts?: number }): void
}

const sameDataset = (a: DatasetInput, b: DatasetInput) => a.dataset.name === b.dataset.name && a.dataset.digest === b.dataset.digest

export async function pullRun(context: PullContext, remote: Run, localExperimentId: string): Promise<PulledRun> {
  const { local, signal } = context
  const runId = remote.info.runId
  const result: PulledRun = { runId, localExperimentId, created: false, skipped: false, pointsReceived: 0, artifactsReceived: 0 }
  context.progress('run', {})
  let copy = await local.tracking.getRun(runId).catch(error => {
    if (isMlflowError(error, 'RESOURCE_DOES_NOT_EXIST')) return undefined
    throw error
  })
  if (copy?.info.lifecycleStage === 'deleted') return { ...result, localExperimentId: copy.info.experimentId, skipped: true }
  if (!copy) {
    const tags = Object.entries(remote.data.tags).filter(([key]) => key !== RUN_NAME_TAG).map(([key, value]) => ({ key, value }))
    copy = await local.tracking.createRun({
      runId, experimentId: localExperimentId, runName: remote.info.runName, startTime: remote.info.startTime, userId: remote.info.userId,
      tags: [...tags, { key: PULLED_FROM, value: context.pulledFrom }],
    })
    result.created = true
  }
  result.localExperimentId = copy.info.experimentId
  const held = copy

  // Params are immutable locally as on the server: only missing ones are added.
  const params = Object.entries(remote.data.params).filter(([key]) => !(key in held.data.params)).map(([key, value]) => ({ key, value }))
  const tags = Object.entries({ ...remote.data.tags, [PULLED_FROM]: context.pulledFrom })
    .filter(([key, value]) => held.data.tags[key] !== value).map(([key, value]) => ({ key, value }))
  for (const batch of planBatches(params, tags, [])) await local.tracking.logBatch(runId, batch)

  for (const key of Object.keys(remote.data.metrics)) {
    throwIfCancelled(signal, 'The pull')
    const history = await context.remote.tracking.getMetricHistory(runId, key)
    const missing = result.created ? history : missingPoints(history, await local.tracking.getMetricHistory(runId, key))
    if (missing.length === 0) continue
    await local.tracking.logMetrics(runId, missing)
    result.pointsReceived += missing.length
    context.progress('data', { points: missing.length })
  }

  const inputs = remote.inputs.datasetInputs.filter(input => !held.inputs.datasetInputs.some(other => sameDataset(input, other)))
  if (inputs.length) await local.tracking.logInputs(runId, inputs)

  if (context.includeArtifacts) {
    const present = new Map((await listFiles(local.artifacts, runId)).map(file => [file.path, file.fileSize]))
    for (const file of await listFiles(context.remote.artifacts, runId)) {
      if (present.get(file.path) === file.fileSize) continue
      throwIfCancelled(signal, 'The pull')
      await local.artifacts.logArtifact(runId, file.path, await context.remote.artifacts.readArtifact(runId, file.path))
      result.artifactsReceived++
      context.progress('artifacts', { artifacts: 1 })
    }
  }

  if (held.info.status !== remote.info.status || held.info.endTime !== remote.info.endTime) {
    await local.tracking.updateRun(runId, { status: remote.info.status, endTime: remote.info.endTime })
  }
  return result
}
