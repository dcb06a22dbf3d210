/**
 * pushRuns: copies runs from one store (the local one by default) to an MLflow tracking server.
 * Resumable and idempotent: each remote run carries the tag `lablog.sourceRunId`, so pushing again
 * — after a crash, a dropped connection or on another device — finds it instead of making a second
 * run, and sends only the metric points, params, tags and artifacts the server does not have yet.
 */
import { MlflowError, isMlflowError } from '../core/errors.ts'
import type { Experiment, Run, RunTag } from '../core/types.ts'
import { createRemoteStores } from '../store/rest/remote-stores.ts'
import type { RestAuth } from '../store/rest/auth.ts'
import { RestError } from '../store/rest/rest-errors.ts'
import type { ArtifactStore, FileEntry, TrackingStore } from '../store/tracking-store.ts'
import { DEFAULT_TRACKING_URI, type Stores, storesFor } from '../store/uri.ts'
import { missingPoints } from './metric-diff.ts'

/** The tag that links a pushed run to the run it came from. */
export const SOURCE_RUN_TAG = 'lablog.sourceRunId'
const PARENT_TAG = 'mlflow.parentRunId'

export interface PushProgress {
  /** Which run (0-based) of `runCount` is being pushed, and what of it. */
  runIndex: number
  runCount: number
  localRunId: string
  phase: 'run' | 'params-tags' | 'metrics' | 'artifacts' | 'finish' | 'parents'
  /** Metric points and artifact files sent so far in this push, over all runs. */
  pointsSent: number
  artifactsSent: number
}

export interface PushOptions {
  runIds: string[]
  /** The target tracking URI, e.g. 'http://mlflow.team:5000'. */
  to: string
  /** The source tracking URI; default the local store (indexeddb://lablog). */
  from?: string
  /** Credentials for the target; default what configureRemote or the environment gives. */
  auth?: RestAuth
  onProgress?: (progress: PushProgress) => void
}

export interface PushedRun { localRunId: string; remoteRunId: string; remoteExperimentId: string; created: boolean }

/**
 * Pushes each run: its experiment (found by name or created, with no artifact location so the
 * server picks one its proxy serves), then the run, params, tags, every metric point, dataset
 * inputs, artifacts, end status, and finally `mlflow.parentRunId` rewritten to the remote ids.
 * Safe to call again with the same runs: nothing is sent twice.
 */
export async function pushRuns(options: PushOptions): Promise<PushedRun[]> {
  const source = storesFor(options.from ?? DEFAULT_TRACKING_URI)
  const target: Stores = /^https?:/i.test(options.to) ? createRemoteStores(options.to, options.auth ? { auth: options.auth } : {}) : storesFor(options.to)
  const totals = { pointsSent: 0, artifactsSent: 0 }
  const pushed: PushedRun[] = []
  const remoteExperiments = new Map<string, string>()
  const report = (runIndex: number, localRunId: string, phase: PushProgress['phase']) =>
    options.onProgress?.({ runIndex, runCount: options.runIds.length, localRunId, phase, ...totals })

  for (const [runIndex, localRunId] of options.runIds.entries()) {
    report(runIndex, localRunId, 'run')
    const run = await source.tracking.getRun(localRunId)
    let remoteExperimentId = remoteExperiments.get(run.info.experimentId)
    if (remoteExperimentId === undefined) {
      remoteExperimentId = await ensureExperiment(target.tracking, await source.tracking.getExperiment(run.info.experimentId))
      remoteExperiments.set(run.info.experimentId, remoteExperimentId)
    }
    const { remoteRunId, created } = await ensureRun(target.tracking, remoteExperimentId, run)
    pushed.push({ localRunId, remoteRunId, remoteExperimentId, created })
    // A deleted run refuses writes: a run deleted by an earlier push is restored for this one, and deleted again below.
    if (!created && (await target.tracking.getRun(remoteRunId)).info.lifecycleStage === 'deleted') await target.tracking.restoreRun(remoteRunId)

    report(runIndex, localRunId, 'params-tags')
    await target.tracking.logBatch(remoteRunId, {
      params: Object.entries(run.data.params).map(([key, value]) => ({ key, value })),
      tags: runTags(run).filter(tag => tag.key !== PARENT_TAG),
    })
    report(runIndex, localRunId, 'metrics')
    for (const key of Object.keys(run.data.metrics)) {
      const missing = missingPoints(await source.tracking.getMetricHistory(localRunId, key), await target.tracking.getMetricHistory(remoteRunId, key))
      if (missing.length === 0) continue
      await target.tracking.logMetrics(remoteRunId, missing)
      totals.pointsSent += missing.length
      report(runIndex, localRunId, 'metrics')
    }
    if (run.inputs.datasetInputs.length) await target.tracking.logInputs(remoteRunId, run.inputs.datasetInputs)
    report(runIndex, localRunId, 'artifacts')
    totals.artifactsSent += await pushArtifacts(source.artifacts, localRunId, target.artifacts, remoteRunId)

    report(runIndex, localRunId, 'finish')
    const remote = await target.tracking.getRun(remoteRunId)
    if (remote.info.status !== run.info.status || remote.info.endTime !== run.info.endTime) {
      await target.tracking.updateRun(remoteRunId, { status: run.info.status, endTime: run.info.endTime })
    }
    if (run.info.lifecycleStage === 'deleted' && remote.info.lifecycleStage !== 'deleted') await target.tracking.deleteRun(remoteRunId)
  }

  for (const [runIndex, localRunId] of options.runIds.entries()) {
    report(runIndex, localRunId, 'parents')
    await rewriteParent(source.tracking, target.tracking, pushed[runIndex]!, pushed)
  }
  return pushed
}

function runTags(run: Run): RunTag[] {
  return Object.entries(run.data.tags).map(([key, value]) => ({ key, value }))
}

/** The remote experiment of the same name, created when absent. A deleted one is an error: restoring it is the user's call. */
async function ensureExperiment(target: TrackingStore, local: Experiment): Promise<string> {
  const found = async () => {
    const existing = await target.getExperimentByName(local.name)
    if (existing && existing.lifecycleStage !== 'active') {
      throw new MlflowError('INVALID_STATE', `The target's experiment '${local.name}' (id ${existing.experimentId}) is deleted: restore it there, or rename the local experiment, then push again.`)
    }
    return existing?.experimentId
  }
  const existing = await found()
  if (existing !== undefined) return existing
  try {
    return await target.createExperiment(local.name, { tags: Object.entries(local.tags).map(([key, value]) => ({ key, value })) })
  } catch (error) {
    // Made meanwhile by someone else, or by our own request whose answer was lost.
    if (isMlflowError(error, 'RESOURCE_ALREADY_EXISTS') || (error instanceof RestError && error.failure.outcomeUnknown)) {
      const made = await found()
      if (made !== undefined) return made
    }
    throw error
  }
}

/** The remote run tagged with this local run's id, or a new one. Survives a runs/create whose answer was lost. */
async function ensureRun(target: TrackingStore, experimentId: string, run: Run): Promise<{ remoteRunId: string; created: boolean }> {
  const existing = await findPushedRun(target, [experimentId], run.info.runId)
  if (existing) return { remoteRunId: existing, created: false }
  const tags = [...runTags(run).filter(tag => tag.key !== PARENT_TAG), { key: SOURCE_RUN_TAG, value: run.info.runId }]
  for (let attempt = 1; ; attempt++) {
    try {
      const created = await target.createRun({ experimentId, runName: run.info.runName, startTime: run.info.startTime, tags })
      return { remoteRunId: created.info.runId, created: true }
    } catch (error) {
      if (!(error instanceof RestError && error.failure.outcomeUnknown) || attempt >= 3) throw error
      const made = await findPushedRun(target, [experimentId], run.info.runId)
      if (made) return { remoteRunId: made, created: true }
    }
  }
}

async function findPushedRun(target: TrackingStore, experimentIds: string[], localRunId: string): Promise<string | undefined> {
  const page = await target.searchRuns({ experimentIds, filter: `tags.\`${SOURCE_RUN_TAG}\` = '${localRunId}'`, runViewType: 'ALL', maxResults: 10 })
  return page.items[0]?.info.runId
}

/** Uploads the files the target lacks (same path and size counts as present); returns how many were sent. */
async function pushArtifacts(source: ArtifactStore, localRunId: string, target: ArtifactStore, remoteRunId: string): Promise<number> {
  const present = new Map((await listFiles(target, remoteRunId)).map(file => [file.path, file.fileSize]))
  let sent = 0
  for (const file of await listFiles(source, localRunId)) {
    if (present.has(file.path) && present.get(file.path) === file.fileSize) continue
    await target.logArtifact(remoteRunId, file.path, await source.readArtifact(localRunId, file.path))
    sent++
  }
  return sent
}

/** Every file below `path`, depth first. */
async function listFiles(store: ArtifactStore, runId: string, path = ''): Promise<FileEntry[]> {
  const files: FileEntry[] = []
  for (const entry of await store.listArtifacts(runId, path)) {
    if (entry.isDir) files.push(...await listFiles(store, runId, entry.path))
    else files.push(entry)
  }
  return files
}

/** Sets mlflow.parentRunId to the parent's remote id, found among this push or pushed earlier. */
async function rewriteParent(source: TrackingStore, target: TrackingStore, run: PushedRun, pushed: PushedRun[]): Promise<void> {
  const localParent = (await source.getRun(run.localRunId)).data.tags[PARENT_TAG]
  if (!localParent) return
  const remoteParent = pushed.find(other => other.localRunId === localParent)?.remoteRunId
    ?? await findPushedRun(target, [...new Set(pushed.map(other => other.remoteExperimentId))], localParent)
  if (remoteParent) await target.logBatch(run.remoteRunId, { tags: [{ key: PARENT_TAG, value: remoteParent }] })
}

