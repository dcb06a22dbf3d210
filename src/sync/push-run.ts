/**
 * Pushes one run to a target whose experiment is known: finds its remote twin (the mapping, else
 * the `lablog.sourceRunId` tag) or creates it, then sends only what the remote run lacks.
 * Each step records what the server now holds, so a push broken off anywhere resumes there.
 */
import { isMlflowError } from '../core/errors.ts'
import type { DatasetInput, Metric, Param, Run, RunTag } from '../core/types.ts'
import type { ArtifactStore, FileEntry } from '../store/tracking-store.ts'
import type { Stores } from '../store/uri.ts'
import { BATCH_LIMITS, planBatches } from './batch-plan.ts'
import { throwIfCancelled } from './cancel.ts'
import { missingPoints } from './metric-diff.ts'
import { createRunOnce, findRunByTag } from './remote-lookup.ts'
import type { SyncedModelVersion } from './registry-sync-common.ts'
import { type SyncMappingRow, type SyncMappings, localSeriesCounts } from './sync-mappings.ts'

/** The tag that links a pushed run to the run it came from. */
export const SOURCE_RUN_TAG = 'lablog.sourceRunId'
export const PARENT_TAG = 'mlflow.parentRunId'

/** What a push of one run did. */
export interface PushedRun {
  localRunId: string
  remoteRunId: string
  remoteExperimentId: string
  /** True when this push made the remote run. */
  created: boolean
  pointsSent: number
  artifactsSent: number
  /** The run's model versions pushed to the server's registry (set when the run has any and `includeRegistry` is on). */
  modelVersions?: SyncedModelVersion[]
}

/** Shared by the runs of one push. */
export interface PushContext {
  source: Stores
  target: Stores
  mappings: SyncMappings
  includeArtifacts: boolean
  signal: AbortSignal | undefined
  /** Local → remote run ids known so far (this push, or the mapping), for parent links. */
  remoteIds: Map<string, string>
  /** The remote experiments this push writes to, where a parent pushed from elsewhere is looked for. */
  remoteExperimentIds: Set<string>
  /** Called after each request that moved data. */
  progress(phase: 'run' | 'data' | 'artifacts' | 'finish', sent: { points?: number; artifacts?: number }): void
}

const entries = (record: Record<string, string>) => Object.entries(record).map(([key, value]) => ({ key, value }))
const sameDataset = (a: DatasetInput, b: DatasetInput) => a.dataset.name === b.dataset.name && a.dataset.digest === b.dataset.digest

export async function pushRun(context: PushContext, run: Run, remoteExperimentId: string): Promise<PushedRun> {
  const { source, target, mappings, signal } = context
  const localRunId = run.info.runId
  const result: PushedRun = { localRunId, remoteRunId: '', remoteExperimentId, created: false, pointsSent: 0, artifactsSent: 0 }
  context.progress('run', {})

  // Counts first, histories later: points logged in between are then sent and re-checked next time, never skipped.
  const localCounts = await localSeriesCounts(source.tracking, localRunId)
  const remoteParent = await remoteParentOf(context, run)
  let mapping = await mappings.get(localRunId)
  let remote: Run | undefined
  if (mapping && mapping.remoteExperimentId === remoteExperimentId) {
    remote = await target.tracking.getRun(mapping.remoteRunId).catch(error => {
      if (isMlflowError(error, 'RESOURCE_DOES_NOT_EXIST')) return undefined
      throw error
    })
  }
  if (!remote) {
    // Unknown here, or gone from the server: the tag finds a run pushed from another device or by a lost answer.
    mapping = undefined
    remote = await findRunByTag(target.tracking, [remoteExperimentId], SOURCE_RUN_TAG, localRunId)
  }
  if (!remote) {
    throwIfCancelled(signal, 'The push')
    const tags = [...entries(run.data.tags).filter(tag => tag.key !== PARENT_TAG), { key: SOURCE_RUN_TAG, value: localRunId }]
    if (remoteParent) tags.push({ key: PARENT_TAG, value: remoteParent })
    remote = await createRunOnce(target.tracking, { experimentId: remoteExperimentId, runName: run.info.runName, startTime: run.info.startTime, tags },
      { key: SOURCE_RUN_TAG, value: localRunId })
    result.created = true
  }
  const remoteRunId = result.remoteRunId = remote.info.runId
  context.remoteIds.set(localRunId, remoteRunId)
  // A run made just now holds nothing: no need to read its history or artifacts back.
  const known: SyncMappingRow | undefined = mapping ?? (result.created ? { target: '', localRunId, remoteRunId, remoteExperimentId, metricCounts: {}, artifacts: {}, updatedAt: 0 } : undefined)
  const record = { localRunId, remoteRunId, remoteExperimentId, metricCounts: { ...known?.metricCounts }, artifacts: { ...known?.artifacts } }
  await mappings.put(record)

  // A deleted run refuses writes: restored before the first one, deleted again at the end when the local one is.
  let restored = remote.info.lifecycleStage !== 'deleted'
  const writable = async () => {
    if (restored) return
    await target.tracking.restoreRun(remoteRunId)
    restored = true
  }

  const params: Param[] = entries(run.data.params).filter(param => remote.data.params[param.key] !== param.value)
  const tags: RunTag[] = entries(run.data.tags).filter(tag => tag.key !== PARENT_TAG && remote.data.tags[tag.key] !== tag.value)
  if (remote.data.tags[SOURCE_RUN_TAG] !== localRunId) tags.push({ key: SOURCE_RUN_TAG, value: localRunId })
  if (remoteParent && remote.data.tags[PARENT_TAG] !== remoteParent) tags.push({ key: PARENT_TAG, value: remoteParent })

  // Points go out in full requests across keys; the buffer holds at most one key's history plus a partial request.
  let pending = { params, tags, metrics: [] as Metric[] }
  const send = async (final: boolean) => {
    const batches = planBatches(pending.params, pending.tags, pending.metrics)
    const last = batches.at(-1)
    const carry = !final && last && last.params.length === 0 && last.tags.length === 0 && last.metrics.length < BATCH_LIMITS.entities ? batches.pop()!.metrics : []
    pending = { params: [], tags: [], metrics: carry }
    for (const batch of batches) {
      throwIfCancelled(signal, 'The push')
      await writable()
      await target.tracking.logBatch(remoteRunId, batch)
      result.pointsSent += batch.metrics.length
      context.progress('data', { points: batch.metrics.length })
    }
  }
  const counted: Record<string, number> = {}
  for (const key of Object.keys(run.data.metrics)) {
    const count = localCounts?.[key]
    if (count !== undefined && known?.metricCounts[key] === count) continue
    const history = await source.tracking.getMetricHistory(localRunId, key)
    let points = history
    // The server lists a key among the run's latest metrics as soon as it holds one point of it.
    if (key in remote.data.metrics && (!result.created || known?.metricCounts[key])) {
      throwIfCancelled(signal, 'The push')
      points = missingPoints(history, await target.tracking.getMetricHistory(remoteRunId, key))
    }
    for (const point of points) pending.metrics.push(point)
    counted[key] = count ?? history.length
    if (pending.metrics.length >= 10 * BATCH_LIMITS.entities) await send(false)
  }
  await send(true)
  if (Object.keys(counted).length) {
    Object.assign(record.metricCounts, counted)
    await mappings.put(record)
  }

  const inputs = run.inputs.datasetInputs.filter(input => !remote.inputs.datasetInputs.some(other => sameDataset(input, other)))
  if (inputs.length) {
    await writable()
    await target.tracking.logInputs(remoteRunId, inputs)
  }

  if (context.includeArtifacts) {
    const held = known ? record.artifacts : Object.fromEntries((await listFiles(target.artifacts, remoteRunId)).map(file => [file.path, file.fileSize ?? -1]))
    for (const file of await listFiles(source.artifacts, localRunId)) {
      if (held[file.path] === file.fileSize) continue
      throwIfCancelled(signal, 'The push')
      await writable()
      await target.artifacts.logArtifact(remoteRunId, file.path, await source.artifacts.readArtifact(localRunId, file.path))
      record.artifacts[file.path] = file.fileSize ?? -1
      await mappings.put(record)
      result.artifactsSent++
      context.progress('artifacts', { artifacts: 1 })
    }
  }

  context.progress('finish', {})
  if (remote.info.status !== run.info.status || remote.info.endTime !== run.info.endTime) {
    await writable()
    await target.tracking.updateRun(remoteRunId, { status: run.info.status, endTime: run.info.endTime })
  }
  const remoteDeleted = !restored
  if (run.info.lifecycleStage === 'deleted' && !remoteDeleted) await target.tracking.deleteRun(remoteRunId)
  if (run.info.lifecycleStage !== 'deleted' && remoteDeleted) await target.tracking.restoreRun(remoteRunId)
  return result
}

/** The remote id of the run's parent: pushed in this push, mapped by an earlier one, or found by its tag. */
async function remoteParentOf(context: PushContext, run: Run): Promise<string | undefined> {
  const localParent = run.data.tags[PARENT_TAG]
  if (!localParent) return undefined
  const known = context.remoteIds.get(localParent) ?? (await context.mappings.get(localParent))?.remoteRunId
  if (known) return known
  const found = await findRunByTag(context.target.tracking, [...context.remoteExperimentIds], SOURCE_RUN_TAG, localParent)
  if (found) context.remoteIds.set(localParent, found.info.runId)
  return found?.info.runId
}

/** Every file below `path`, depth first. */
export async function listFiles(store: ArtifactStore, runId: string, path = ''): Promise<FileEntry[]> {
  const files: FileEntry[] = []
  for (const entry of await store.listArtifacts(runId, path)) {
    if (entry.isDir) files.push(...await listFiles(store, runId, entry.path))
    else files.push(entry)
  }
  return files
}
