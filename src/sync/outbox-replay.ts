/**
 * Replays the outbox: each target's entries in order, each exactly once. An entry is marked as
 * tried before it is sent; a tried entry is checked against the server first (the run by its
 * `lablog.clientRunId` tag, metric points by diff), so a crash between send and delete doubles nothing.
 */
import { MlflowError, isMlflowError } from '../core/errors.ts'
import type { Metric, RunTag } from '../core/types.ts'
import { RestError } from '../store/rest/rest-errors.ts'
import { createRemoteStores } from '../store/rest/remote-stores.ts'
import type { CreateRunRequest, LogBatchRequest, TrackingStore, UpdateRunRequest } from '../store/tracking-store.ts'
import type { DatasetInput } from '../core/types.ts'
import { missingPoints } from './metric-diff.ts'
import { type OutboxQueue, type OutboxRow, outboxQueue } from './outbox-queue.ts'
import { createRunOnce, findRunByTag } from './remote-lookup.ts'

/** The tag naming the id a run had on the client before the server gave it one. */
export const CLIENT_RUN_TAG = 'lablog.clientRunId'
const PARENT_TAG = 'mlflow.parentRunId'

/** What one replay did. */
export interface ReplayResult {
  /** Entries the server now holds. */
  replayed: number
  /** Entries the server refused for good (kept, state 'failed'). */
  failed: number
  /** Entries still waiting (their server was unreachable again). */
  remaining: number
}

/** True for failures that mean "the server cannot be reached now" rather than "the server said no". */
export function isUnreachable(error: unknown): boolean {
  if (!(error instanceof RestError)) return false
  const status = error.failure.status
  return status === undefined ? error.errorCode !== 'PERMISSION_DENIED' : status === 429 || status === 502 || status === 503 || status === 504
}

const running = new Map<string, Promise<ReplayResult>>()

/** Replays every target's pending entries in database `databaseName`; one replay at a time per database. */
export function replayDatabase(databaseName: string): Promise<ReplayResult> {
  const inFlight = running.get(databaseName)
  if (inFlight) return inFlight
  const locks = (globalThis.navigator as { locks?: LockManager } | undefined)?.locks
  const work = async () => {
    const queue = outboxQueue(databaseName)
    const result: ReplayResult = { replayed: 0, failed: 0, remaining: 0 }
    for (const target of await queue.targets()) await replayTarget(queue, target, result)
    result.remaining = await queue.db.outbox.where('state').equals('pending').count()
    return result
  }
  // Across tabs and workers too, only one replays (Web Locks, where the platform has them).
  const promise = (locks ? locks.request(`lablog-outbox:${databaseName}`, work) : work()).finally(() => running.delete(databaseName))
  running.set(databaseName, promise)
  return promise
}

async function replayTarget(queue: OutboxQueue, target: string, result: ReplayResult): Promise<void> {
  const stores = createRemoteStores(target)
  for (let row = await queue.next(target); row; row = await queue.next(target)) {
    const tried = row.attempts > 0
    await queue.markAttempt(row.seq!)
    try {
      await apply(queue, stores, row, tried)
      await queue.done(row)
      result.replayed++
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error)
      if (isUnreachable(error)) { await queue.note(row, message); return }
      await queue.fail(row, `${(error as MlflowError).errorCode ?? 'ERROR'}: ${message}`)
      result.failed++
    }
  }
}

type RemoteStores = ReturnType<typeof createRemoteStores>

async function apply(queue: OutboxQueue, stores: RemoteStores, row: OutboxRow, tried: boolean): Promise<void> {
  const runIdOf = async (runId: string) => {
    const resolved = await queue.resolveRunId(row.target, runId)
    if (resolved === null) throw new MlflowError('INVALID_STATE', `Run ${runId} is still waiting in the outbox.`)
    return resolved
  }
  const tracking = stores.tracking
  const args = row.args
  switch (row.op) {
    case 'createRun': {
      const request = args[0] as CreateRunRequest
      const placeholderId = row.runId!
      const marker = { key: CLIENT_RUN_TAG, value: placeholderId }
      let remote = tried ? await findRunByTag(tracking, [request.experimentId], marker.key, marker.value) : undefined
      if (!remote) {
        const tags = await withParents(request.tags ?? [], runIdOf)
        remote = await createRunOnce(tracking, { ...request, tags }, marker)
      }
      await queue.setRemoteRunId(row.target, placeholderId, remote.info.runId)
      return
    }
    case 'logBatch': case 'logMetrics': {
      const runId = await runIdOf(args[0] as string)
      const batch: LogBatchRequest = row.op === 'logBatch' ? args[1] as LogBatchRequest : { metrics: args[1] as Metric[] }
      const metrics = tried && batch.metrics?.length ? await notYetOnServer(tracking, runId, batch.metrics) : batch.metrics ?? []
      const tags = await withParents(batch.tags ?? [], runIdOf)
      if (metrics.length || batch.params?.length || tags.length) await tracking.logBatch(runId, { params: batch.params ?? [], tags, metrics })
      return
    }
    case 'updateRun': await tracking.updateRun(await runIdOf(args[0] as string), args[1] as UpdateRunRequest); return
    case 'deleteRun': await tracking.deleteRun(await runIdOf(args[0] as string)); return
    case 'restoreRun': await tracking.restoreRun(await runIdOf(args[0] as string)); return
    case 'logInputs': await tracking.logInputs(await runIdOf(args[0] as string), args[1] as DatasetInput[]); return
    case 'deleteTag':
      try {
        await tracking.deleteTag(await runIdOf(args[0] as string), args[1] as string)
      } catch (error) {
        // Tried before: the tag being gone means that try worked.
        if (!(tried && isMlflowError(error, 'RESOURCE_DOES_NOT_EXIST'))) throw error
      }
      return
    case 'logArtifact': await stores.artifacts.logArtifact(await runIdOf(args[0] as string), args[1] as string, args[2] as Blob); return
    default: throw new MlflowError('INVALID_STATE', `Unknown outbox entry '${row.op}'.`)
  }
}

/** Parent tags naming a placeholder get the server's id. */
async function withParents(tags: RunTag[], runIdOf: (runId: string) => Promise<string>): Promise<RunTag[]> {
  const resolved: RunTag[] = []
  for (const tag of tags) resolved.push(tag.key === PARENT_TAG ? { key: tag.key, value: await runIdOf(tag.value) } : tag)
  return resolved
}

/**
 * The points of a tried entry the server lacks. Limitation: a point equal in step, timestamp and
 * value to one already on the server from another write counts as delivered.
 */
async function notYetOnServer(tracking: TrackingStore, runId: string, metrics: Metric[]): Promise<Metric[]> {
  const byKey = new Map<string, Metric[]>()
  for (const metric of metrics) {
    const list = byKey.get(metric.key)
    if (list) list.push(metric)
    else byKey.set(metric.key, [metric])
  }
  const missing: Metric[] = []
  for (const [key, points] of byKey) missing.push(...missingPoints(points, await tracking.getMetricHistory(runId, key)))
  return missing
}
