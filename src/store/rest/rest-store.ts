/**
 * The TrackingStore over an MLflow tracking server's REST API 2.0. Input is validated with
 * MLflow's rules before any request, so it fails like the local store; the server's errors
 * come back as MlflowError with the server's error_code.
 */
import { MlflowError, invalidParameter, isMlflowError } from '../../core/errors.ts'
import type {
  DatasetInput, Experiment, Metric, Page, Param, Run, RunInfo, RunTag, SearchExperimentsQuery, SearchRunsQuery,
} from '../../core/types.ts'
import { RUN_STATUSES } from '../../core/types.ts'
import {
  uniqueParams, validateExperimentId, validateExperimentName, validateExperimentTag, validateMetric, validateParam, validateRunId, validateTag,
} from '../../core/validation.ts'
import type { CreateRunRequest, LogBatchRequest, MetricColumns, TrackingStore, UpdateRunRequest } from '../tracking-store.ts'
import { splitBatch } from './batch-split.ts'
import { HttpTransport, type RestRequest } from './http-transport.ts'
import { fetchWireHistory, sendLogBatch } from './log-batch-sender.ts'
import { type RemoteEndpoint, resolveRemoteOptions } from './remote-options.ts'
import {
  type WireExperiment, type WireRun, type WireRunInfo, datasetInputToWire, metricToWire, readExperiment, readRun,
  readRunInfo, tagsToWire, wireMetricsToColumns,
} from './wire-format.ts'

const api = (endpoint: string) => `/api/2.0/mlflow/${endpoint}`

export class RestTrackingStore implements TrackingStore {
  readonly transport: HttpTransport

  constructor(readonly endpoint: RemoteEndpoint, transport?: HttpTransport) {
    this.transport = transport ?? new HttpTransport(endpoint)
  }

  private get<T>(endpoint: string, query: RestRequest['query']): Promise<T> {
    return this.transport.json<T>({ method: 'GET', path: api(endpoint), query, idempotent: true })
  }
  private post<T>(endpoint: string, json: Record<string, unknown>, idempotent: boolean): Promise<T> {
    return this.transport.json<T>({ method: 'POST', path: api(endpoint), json: withoutUndefined(json), idempotent })
  }

  // Experiments

  /** Leave `artifactLocation` unset to let the server pick one its artifact proxy serves. */
  async createExperiment(name: string, options: { artifactLocation?: string; tags?: RunTag[] } = {}): Promise<string> {
    validateExperimentName(name)
    const tags = options.tags ?? []
    tags.forEach(validateExperimentTag)
    const answer = await this.post<{ experiment_id: string }>('experiments/create', {
      name, artifact_location: options.artifactLocation || undefined, tags: tags.length ? tagsToWire(tags) : undefined,
    }, false)
    return String(answer.experiment_id)
  }

  async getExperiment(experimentId: string): Promise<Experiment> {
    if (typeof experimentId !== 'string') throw invalidParameter(`Invalid experiment ID: '${String(experimentId)}'`)
    return readExperiment((await this.get<{ experiment: WireExperiment }>('experiments/get', { experiment_id: experimentId })).experiment)
  }

  async getExperimentByName(name: string): Promise<Experiment | null> {
    try {
      return readExperiment((await this.get<{ experiment: WireExperiment }>('experiments/get-by-name', { experiment_name: name })).experiment)
    } catch (error) {
      if (isMlflowError(error, 'RESOURCE_DOES_NOT_EXIST')) return null
      throw error
    }
  }

  /** One page. MLflow returns a token whenever a page is full, so the page after the last may be empty. */
  async searchExperiments(query: SearchExperimentsQuery = {}): Promise<Page<Experiment>> {
    const answer = await this.post<{ experiments?: WireExperiment[]; next_page_token?: string }>('experiments/search', {
      max_results: query.maxResults, page_token: query.pageToken || undefined, filter: query.filter || undefined,
      order_by: query.orderBy?.length ? query.orderBy : undefined, view_type: query.viewType,
    }, true)
    return page((answer.experiments ?? []).map(readExperiment), answer.next_page_token)
  }

  async renameExperiment(experimentId: string, newName: string): Promise<void> {
    validateExperimentName(newName)
    await this.post('experiments/update', { experiment_id: experimentId, new_name: newName }, true)
  }
  async deleteExperiment(experimentId: string): Promise<void> {
    await this.post('experiments/delete', { experiment_id: experimentId }, false)
  }
  async restoreExperiment(experimentId: string): Promise<void> {
    await this.post('experiments/restore', { experiment_id: experimentId }, false)
  }
  async setExperimentTag(experimentId: string, key: string, value: string): Promise<void> {
    validateExperimentId(experimentId)
    validateExperimentTag({ key, value })
    await this.post('experiments/set-experiment-tag', { experiment_id: experimentId, key, value }, true)
  }

  /** Needs a server with experiments/delete-experiment-tag; older ones (2.17 included) answer ENDPOINT_NOT_FOUND, said plainly here. */
  async deleteExperimentTag(experimentId: string, key: string): Promise<void> {
    try {
      await this.post('experiments/delete-experiment-tag', { experiment_id: experimentId, key }, false)
    } catch (error) {
      if (!isMlflowError(error, 'ENDPOINT_NOT_FOUND')) throw error
      throw new MlflowError('ENDPOINT_NOT_FOUND', `This MLflow server cannot delete experiment tags: it has no experiments/delete-experiment-tag endpoint (newer MLflow versions have it). ${error.message}`, { cause: error })
    }
  }

  // Runs

  /** The server picks the run id: a `runId` in the request is refused (push keeps a local → remote id map instead). */
  async createRun(request: CreateRunRequest): Promise<Run> {
    if (request.runId !== undefined) {
      throw invalidParameter(`Cannot create run ${request.runId} with a chosen id on a tracking server: the server picks run ids.`)
    }
    if (typeof request.experimentId !== 'string') throw invalidParameter('createRun needs an experimentId.')
    const tags = request.tags ?? []
    tags.forEach(validateTag)
    const answer = await this.post<{ run: WireRun }>('runs/create', {
      experiment_id: request.experimentId, user_id: request.userId, run_name: request.runName || undefined,
      start_time: request.startTime ?? Date.now(), tags: tags.length ? tagsToWire(tags) : undefined,
    }, false)
    return readRun(answer.run)
  }

  async getRun(runId: string): Promise<Run> {
    validateRunId(runId)
    return readRun((await this.get<{ run: WireRun }>('runs/get', { run_id: runId })).run)
  }

  async updateRun(runId: string, update: UpdateRunRequest): Promise<RunInfo> {
    validateRunId(runId)
    // The server ignores an unknown status silently; refuse it here as the local store does.
    if (update.status !== undefined && !RUN_STATUSES.includes(update.status)) {
      throw invalidParameter(`Invalid run status '${String(update.status)}'. Expected one of ${RUN_STATUSES.join(', ')}.`)
    }
    if (update.endTime != null && (!Number.isInteger(update.endTime) || update.endTime < 0)) {
      throw invalidParameter(`Invalid end_time ${String(update.endTime)}: expected milliseconds since the epoch.`)
    }
    const answer = await this.post<{ run_info: WireRunInfo }>('runs/update', {
      run_id: runId, status: update.status, end_time: update.endTime ?? undefined, run_name: update.runName || undefined,
    }, true)
    return readRunInfo(answer.run_info)
  }

  async deleteRun(runId: string): Promise<void> {
    validateRunId(runId)
    await this.post('runs/delete', { run_id: runId }, true)
  }
  async restoreRun(runId: string): Promise<void> {
    validateRunId(runId)
    await this.post('runs/restore', { run_id: runId }, true)
  }

  /**
   * Validated whole first. A batch over the server's limits is split into several requests sent in
   * order, so unlike the local store a failure part-way leaves the earlier requests applied.
   */
  async logBatch(runId: string, batch: LogBatchRequest): Promise<void> {
    validateRunId(runId)
    const metrics = batch.metrics ?? [], tags = batch.tags ?? []
    metrics.forEach(validateMetric)
    tags.forEach(validateTag)
    await this.sendBatch(runId, metrics, uniqueValidParams(batch.params ?? []), tags)
  }

  async logMetrics(runId: string, metrics: Metric[]): Promise<void> {
    validateRunId(runId)
    metrics.forEach(validateMetric)
    await this.sendBatch(runId, metrics, [], [])
  }

  private async sendBatch(runId: string, metrics: Metric[], params: Param[], tags: RunTag[]): Promise<void> {
    const requests = splitBatch(runId, { metrics: metrics.map(metricToWire), params, tags: tagsToWire(tags) })
    const rounds = resolveRemoteOptions(this.endpoint).retry.maxAttempts
    for (const request of requests) await sendLogBatch(this.transport, runId, request, rounds)
  }

  async deleteTag(runId: string, key: string): Promise<void> {
    validateRunId(runId)
    await this.post('runs/delete-tag', { run_id: runId, key }, false)
  }

  async logInputs(runId: string, datasets: DatasetInput[]): Promise<void> {
    validateRunId(runId)
    for (const input of datasets) {
      if (!input.dataset?.name || !input.dataset.digest) throw invalidParameter('A dataset input needs a dataset with a name and a digest.')
    }
    await this.post('runs/log-inputs', { run_id: runId, datasets: datasets.map(datasetInputToWire) }, true)
  }

  async getMetricHistory(runId: string, key: string): Promise<Metric[]> {
    const columns = await this.getMetricColumns(runId, key)
    const metrics = new Array<Metric>(columns.steps.length)
    for (let index = 0; index < metrics.length; index++) {
      metrics[index] = { key, value: columns.values[index]!, timestamp: columns.timestamps[index]!, step: columns.steps[index]! }
    }
    return metrics
  }

  /** Sorted by (step, timestamp). */
  async getMetricColumns(runId: string, key: string): Promise<MetricColumns> {
    validateRunId(runId)
    const points = await fetchWireHistory(this.transport, runId, key)
    // MLflow answers {} for an unknown run; the contract says RESOURCE_DOES_NOT_EXIST.
    if (points.length === 0) await this.getRun(runId)
    return wireMetricsToColumns(points)
  }

  /** One page; as with experiments, a full last page still carries a token. */
  async searchRuns(query: SearchRunsQuery): Promise<Page<Run>> {
    const answer = await this.post<{ runs?: WireRun[]; next_page_token?: string }>('runs/search', {
      experiment_ids: query.experimentIds, filter: query.filter || undefined, run_view_type: query.runViewType,
      max_results: query.maxResults, order_by: query.orderBy?.length ? query.orderBy : undefined, page_token: query.pageToken || undefined,
    }, true)
    return page((answer.runs ?? []).map(readRun), answer.next_page_token)
  }
}

function page<T>(items: T[], nextPageToken: string | undefined): Page<T> {
  return nextPageToken ? { items, nextPageToken } : { items }
}

/**
 * The same key twice is refused by the server even with equal values; the local store accepts
 * equal repeats, so they are folded here, and different values fail as they do locally.
 */
function uniqueValidParams(params: Param[]): Param[] {
  params.forEach(validateParam)
  return uniqueParams(params)
}

function withoutUndefined(json: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(json).filter(([, value]) => value !== undefined))
}
