/**
 * The REST stores with an outbox in front: under `configureRemote(uri, { offline: 'queue' })`, a run
 * write that cannot reach the server is queued in IndexedDB and resolves at once. A write made
 * while older ones wait is queued too, so the server receives them in the order they were made.
 *
 * Runs created offline: the caller gets a Run whose id is a placeholder (32 hex characters, like
 * any run id). Replay creates the run with the tag `lablog.clientRunId` = placeholder (so a create
 * whose answer was lost is found, never made twice) and records placeholder → server id; from then
 * on every call with the placeholder — queued or new, `mlflow.parentRunId` values included — is
 * translated. In queue mode every created run carries that tag, online ones too.
 */
import { newRunId, newRunName } from '../core/ids.ts'
import type { DatasetInput, Experiment, Metric, Page, Run, RunInfo, RunTag, SearchExperimentsQuery, SearchRunsQuery } from '../core/types.ts'
import { validateArtifactPath, validateMetric, validateParam, validateRunId, validateTag } from '../core/validation.ts'
import { type RemoteEndpoint, remoteEndpoint, resolveRemoteOptions } from '../store/rest/remote-options.ts'
import { RestError } from '../store/rest/rest-errors.ts'
import type {
  ArtifactStore, CreateRunRequest, FileEntry, LogBatchRequest, MetricColumns, TrackingStore, UpdateRunRequest,
} from '../store/tracking-store.ts'
import { type OutboxOp, outboxQueue } from './outbox-queue.ts'
import { CLIENT_RUN_TAG, isUnreachable } from './outbox-replay.ts'
import { scheduleOutboxReplay } from './outbox-triggers.ts'

const PARENT_TAG = 'mlflow.parentRunId'

/** Wraps the stores of one server; outside queue mode every call goes straight through. */
export function withOutbox<S extends { tracking: TrackingStore; artifacts: ArtifactStore }>(stores: S, uri: string | URL): S {
  const endpoint = remoteEndpoint(uri)
  const gate = new OutboxGate(endpoint)
  return { ...stores, tracking: new OutboxTrackingStore(stores.tracking, gate), artifacts: new OutboxArtifactStore(stores.artifacts, gate) }
}

/** Decides, per write, whether to send now or queue. */
class OutboxGate {
  constructor(private readonly endpoint: RemoteEndpoint) {}

  get target(): string { return this.endpoint.baseUrl }
  queueMode(): boolean { return resolveRemoteOptions(this.endpoint).offline === 'queue' }
  queue() { return outboxQueue(resolveRemoteOptions(this.endpoint).outboxDatabase) }

  /** The id to send for `runId` (a replayed placeholder becomes the server's id); null while its run waits in the outbox. */
  async resolve(runId: string): Promise<string | null> {
    return this.queueMode() ? this.queue().resolveRunId(this.target, runId) : runId
  }

  /**
   * Sends `send(resolvedRunId)`, or queues `args` when the outbox holds older writes, the run is
   * still a placeholder, or the server cannot be reached; `offline` is what a queued call returns.
   */
  async write<T>(op: OutboxOp, runId: string, args: unknown[], send: (runId: string) => Promise<T>, offline: () => T, resolveId = true): Promise<T> {
    if (!this.queueMode()) return send(runId)
    const queue = this.queue()
    const resolved = resolveId ? await queue.resolveRunId(this.target, runId) : runId
    if (resolved === null || await queue.hasPending(this.target)) return this.enqueue(op, runId, args, 0, offline)
    try {
      return await send(resolved)
    } catch (error) {
      if (!isUnreachable(error)) throw error
      // Counted as tried even when this request never left: a split log-batch may have landed in part. Replay checks first.
      return this.enqueue(op, runId, args, 1, offline)
    }
  }

  private async enqueue<T>(op: OutboxOp, runId: string, args: unknown[], attempts: number, offline: () => T): Promise<T> {
    await this.queue().enqueue(this.target, op, runId, args, attempts)
    scheduleOutboxReplay(this.queue().databaseName, resolveRemoteOptions(this.endpoint).outboxRetryMs)
    return offline()
  }
}

class OutboxTrackingStore implements TrackingStore {
  constructor(private readonly inner: TrackingStore, private readonly gate: OutboxGate) {}

  private async run(runId: string): Promise<string> {
    if (!this.gate.queueMode()) return runId
    validateRunId(runId)
    return (await this.gate.resolve(runId)) ?? runId
  }

  // Experiments and reads need the server: straight through (reads translate placeholders that were replayed).
  createExperiment(name: string, options?: { artifactLocation?: string; tags?: RunTag[] }): Promise<string> { return this.inner.createExperiment(name, options) }
  getExperiment(experimentId: string): Promise<Experiment> { return this.inner.getExperiment(experimentId) }
  getExperimentByName(name: string): Promise<Experiment | null> { return this.inner.getExperimentByName(name) }
  searchExperiments(query?: SearchExperimentsQuery): Promise<Page<Experiment>> { return this.inner.searchExperiments(query) }
  renameExperiment(experimentId: string, newName: string): Promise<void> { return this.inner.renameExperiment(experimentId, newName) }
  deleteExperiment(experimentId: string): Promise<void> { return this.inner.deleteExperiment(experimentId) }
  restoreExperiment(experimentId: string): Promise<void> { return this.inner.restoreExperiment(experimentId) }
  setExperimentTag(experimentId: string, key: string, value: string): Promise<void> { return this.inner.setExperimentTag(experimentId, key, value) }
  deleteExperimentTag(experimentId: string, key: string): Promise<void> { return this.inner.deleteExperimentTag(experimentId, key) }
  async getRun(runId: string): Promise<Run> { return this.inner.getRun(await this.run(runId)) }
  async getMetricHistory(runId: string, key: string): Promise<Metric[]> { return this.inner.getMetricHistory(await this.run(runId), key) }
  async getMetricColumns(runId: string, key: string): Promise<MetricColumns> { return this.inner.getMetricColumns(await this.run(runId), key) }
  searchRuns(query: SearchRunsQuery): Promise<Page<Run>> { return this.inner.searchRuns(query) }

  async createRun(request: CreateRunRequest): Promise<Run> {
    if (!this.gate.queueMode()) return this.inner.createRun(request)
    ;(request.tags ?? []).forEach(validateTag)
    const placeholderId = newRunId()
    const runName = request.runName || request.tags?.findLast(tag => tag.key === 'mlflow.runName')?.value || newRunName()
    const startTime = request.startTime ?? Date.now()
    const queued: CreateRunRequest = { ...request, runName, startTime, tags: [...(request.tags ?? []), { key: CLIENT_RUN_TAG, value: placeholderId }] }
    return this.gate.write('createRun', placeholderId, [queued], async () => {
      const parent = queued.tags!.find(tag => tag.key === PARENT_TAG)
      const parentId = parent ? await this.gate.resolve(parent.value) : undefined
      // A child of a run still waiting in the outbox waits too (its parent id is not known yet).
      if (parentId === null) throw unreachableForOrder()
      const tags = queued.tags!.map(tag => (tag.key === PARENT_TAG && parentId ? { ...tag, value: parentId } : tag))
      return this.inner.createRun({ ...queued, tags })
    }, () => {
      this.gate.queue().addPlaceholder(this.gate.target, placeholderId)
      return placeholderRun(placeholderId, queued)
    }, false)
  }

  // Outside queue mode each write goes straight to the REST store, which validates and splits as usual.
  async updateRun(runId: string, update: UpdateRunRequest): Promise<RunInfo> {
    if (!this.gate.queueMode()) return this.inner.updateRun(runId, update)
    validateRunId(runId)
    return this.gate.write('updateRun', runId, [runId, update], id => this.inner.updateRun(id, update), () => ({
      runId, runName: update.runName ?? '', experimentId: '', userId: '', status: update.status ?? 'RUNNING', startTime: 0,
      endTime: update.endTime ?? null, artifactUri: '', lifecycleStage: 'active',
    }))
  }
  async deleteRun(runId: string): Promise<void> {
    if (!this.gate.queueMode()) return this.inner.deleteRun(runId)
    validateRunId(runId)
    return this.gate.write('deleteRun', runId, [runId], id => this.inner.deleteRun(id), () => {})
  }
  async restoreRun(runId: string): Promise<void> {
    if (!this.gate.queueMode()) return this.inner.restoreRun(runId)
    validateRunId(runId)
    return this.gate.write('restoreRun', runId, [runId], id => this.inner.restoreRun(id), () => {})
  }
  async logBatch(runId: string, batch: LogBatchRequest): Promise<void> {
    if (!this.gate.queueMode()) return this.inner.logBatch(runId, batch)
    // Validated before queueing, so a bad value fails the caller now, not the replay later.
    validateRunId(runId)
    batch.metrics?.forEach(validateMetric)
    batch.params?.forEach(validateParam)
    batch.tags?.forEach(validateTag)
    return this.gate.write('logBatch', runId, [runId, batch], async id => this.inner.logBatch(id, await this.withParentsResolved(batch)), () => {})
  }
  async logMetrics(runId: string, metrics: Metric[]): Promise<void> {
    if (!this.gate.queueMode()) return this.inner.logMetrics(runId, metrics)
    validateRunId(runId)
    metrics.forEach(validateMetric)
    return this.gate.write('logMetrics', runId, [runId, metrics], id => this.inner.logMetrics(id, metrics), () => {})
  }
  async deleteTag(runId: string, key: string): Promise<void> {
    if (!this.gate.queueMode()) return this.inner.deleteTag(runId, key)
    validateRunId(runId)
    return this.gate.write('deleteTag', runId, [runId, key], id => this.inner.deleteTag(id, key), () => {})
  }
  async logInputs(runId: string, datasets: DatasetInput[]): Promise<void> {
    if (!this.gate.queueMode()) return this.inner.logInputs(runId, datasets)
    validateRunId(runId)
    return this.gate.write('logInputs', runId, [runId, datasets], id => this.inner.logInputs(id, datasets), () => {})
  }

  /** A parent tag naming a placeholder is sent with the server's id (or waits when there is none yet). */
  private async withParentsResolved(batch: LogBatchRequest): Promise<LogBatchRequest> {
    if (!batch.tags?.some(tag => tag.key === PARENT_TAG)) return batch
    const tags: RunTag[] = []
    for (const tag of batch.tags) {
      if (tag.key !== PARENT_TAG) { tags.push(tag); continue }
      const resolved = await this.gate.resolve(tag.value)
      if (resolved === null) throw unreachableForOrder()
      tags.push({ key: tag.key, value: resolved })
    }
    return { ...batch, tags }
  }
}

class OutboxArtifactStore implements ArtifactStore {
  constructor(private readonly inner: ArtifactStore, private readonly gate: OutboxGate) {}

  async logArtifact(runId: string, path: string, data: Blob): Promise<void> {
    if (!this.gate.queueMode()) return this.inner.logArtifact(runId, path, data)
    validateRunId(runId)
    validateArtifactPath(path)
    return this.gate.write('logArtifact', runId, [runId, path, data], id => this.inner.logArtifact(id, path, data), () => {})
  }
  async listArtifacts(runId: string, path?: string): Promise<FileEntry[]> { return this.inner.listArtifacts((await this.gate.resolve(runId)) ?? runId, path) }
  async readArtifact(runId: string, path: string): Promise<Blob> { return this.inner.readArtifact((await this.gate.resolve(runId)) ?? runId, path) }
  async deleteArtifacts(runId: string, path?: string): Promise<void> { return this.inner.deleteArtifacts((await this.gate.resolve(runId)) ?? runId, path) }
}

/** What a queued createRun returns: the run as the server will make it, under its placeholder id. */
function placeholderRun(runId: string, request: CreateRunRequest): Run {
  const tags = Object.fromEntries((request.tags ?? []).map(tag => [tag.key, tag.value]))
  tags['mlflow.runName'] = request.runName!
  return {
    info: {
      runId, runName: request.runName!, experimentId: request.experimentId, userId: request.userId ?? '', status: 'RUNNING',
      startTime: request.startTime!, endTime: null, artifactUri: '', lifecycleStage: 'active',
    },
    data: { params: {}, metrics: {}, tags },
    inputs: { datasetInputs: [] },
  }
}

/** Thrown (and caught by the gate) when a write must queue behind a run that is not on the server yet. */
function unreachableForOrder(): RestError {
  return new RestError('TEMPORARILY_UNAVAILABLE', 'Waits for a run still in the outbox.', { outcomeUnknown: false })
}
