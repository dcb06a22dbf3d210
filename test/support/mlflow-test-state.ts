/**
 * The data of the test MLflow server and its endpoint handlers: experiments, runs, metric
 * history and proxied artifacts, answering with the shapes and messages of MLflow 2.17.2.
 */
import { isMlflowError } from '../../src/core/errors.ts'
import {
  compileExperimentFilter, compileExperimentOrderBy, compileRunFilter, compileRunOrderBy, decodePageToken, encodePageToken,
} from '../../src/core/search/index.ts'
import type { Experiment, Run } from '../../src/core/types.ts'
import { normalizePosixPath } from '../../src/core/validation.ts'
import { RequestRejected, checkArtifactPath, checkBatchLimits, checkKey, missing } from './mlflow-request-rules.ts'

type Json = Record<string, unknown>
interface WireTag { key: string; value?: string }
interface Point { value: number; timestamp: number; step: number }

interface ServerExperiment {
  experimentId: string; name: string; artifactLocation: string; lifecycleStage: 'active' | 'deleted'
  creationTime: number; lastUpdateTime: number; tags: Map<string, string>
}
interface ServerRun {
  runId: string; experimentId: string; runName: string; userId: string; status: string; startTime: number; endTime?: number
  artifactUri: string; lifecycleStage: 'active' | 'deleted'
  params: Map<string, string>; tags: Map<string, string>; history: Map<string, Point[]>; inputs: Json[]
}

export interface ServerFeatures {
  /** Serve experiments/delete-experiment-tag (newer MLflow; 2.17.2 has no such endpoint). Default false. */
  deleteExperimentTag?: boolean
  /** Page metrics/get-history at this many points with next_page_token (2.17.2 ignores max_results). Default: no paging. */
  historyPageSize?: number
}

const fail = (status: number, code: string, message: string) => new RequestRejected(status, code, message)
const notFoundRun = (runId: string) => fail(404, 'RESOURCE_DOES_NOT_EXIST', `Run with id=${runId} not found`)
const TRUNCATE = { param: 6000, tag: 8000 }
const WORDS = ['amber', 'beautiful', 'bold', 'calm', 'melodic', 'quick'], ANIMALS = ['bee', 'koi', 'owl', 'yak']
const MAX_DOUBLE = 1.7976931348623157e308

const int = (value: unknown) => Number(value)
function double(value: unknown): number {
  if (value === 'NaN') return NaN
  if (value === 'Infinity') return Infinity
  if (value === '-Infinity') return -Infinity
  return Number(value)
}
/** As a SQL-backed MLflow stores and returns it: NaN as "NaN", ±Infinity clamped to ±max double. */
const wireDouble = (value: number) => (Number.isNaN(value) ? 'NaN' : value === Infinity ? MAX_DOUBLE : value === -Infinity ? -MAX_DOUBLE : value)
const tagList = (map: Map<string, string>) => [...map].map(([key, value]) => ({ key, value }))

export class MlflowServerState {
  readonly experiments = new Map<string, ServerExperiment>()
  readonly runs = new Map<string, ServerRun>()
  /** Proxied artifact files by full path, e.g. "1/<run>/artifacts/notes/a.txt". */
  readonly artifacts = new Map<string, Buffer>()
  private nextExperimentId = 1

  constructor(readonly features: ServerFeatures = {}) {
    const now = Date.now()
    this.experiments.set('0', { experimentId: '0', name: 'Default', artifactLocation: 'mlflow-artifacts:/0', lifecycleStage: 'active', creationTime: now, lastUpdateTime: now, tags: new Map() })
  }

  /** Handlers by "METHOD endpoint"; each gets the checked request and returns the JSON answer. */
  readonly handlers: Record<string, (request: Json, bodyBytes: number) => Json> = {
    'POST experiments/create': request => this.createExperiment(request),
    'GET experiments/get': request => ({ experiment: this.experimentJson(this.experiment(String(request.experiment_id))) }),
    'GET experiments/get-by-name': request => {
      const matches = [...this.experiments.values()].filter(experiment => experiment.name === request.experiment_name)
      const found = matches.find(experiment => experiment.lifecycleStage === 'active') ?? matches[0]
      if (!found) throw fail(404, 'RESOURCE_DOES_NOT_EXIST', `Could not find experiment with name '${String(request.experiment_name)}'`)
      return { experiment: this.experimentJson(found) }
    },
    'POST experiments/search': request => this.searchExperiments(request),
    'GET experiments/search': request => this.searchExperiments(request),
    'POST experiments/update': request => {
      const experiment = this.experiment(String(request.experiment_id))
      if (typeof request.new_name === 'string' && request.new_name !== experiment.name) {
        if ([...this.experiments.values()].some(other => other.name === request.new_name)) throw this.nameTaken(request.new_name)
        experiment.name = request.new_name
        experiment.lastUpdateTime = Date.now()
      }
      return {}
    },
    'POST experiments/delete': request => this.setExperimentStage(String(request.experiment_id), 'deleted'),
    'POST experiments/restore': request => this.setExperimentStage(String(request.experiment_id), 'active'),
    'POST experiments/set-experiment-tag': request => {
      const experiment = this.experiment(String(request.experiment_id))
      if (experiment.lifecycleStage !== 'active') throw fail(400, 'INVALID_PARAMETER_VALUE', `The experiment ${experiment.experimentId} must be in the 'active' state. Current state is deleted.`)
      checkKey('Tag', String(request.key), normalizePosixPath)
      experiment.tags.set(String(request.key), String(request.value))
      return {}
    },
    'POST experiments/delete-experiment-tag': request => {
      const experiment = this.experiment(String(request.experiment_id))
      if (!experiment.tags.delete(String(request.key))) throw fail(404, 'RESOURCE_DOES_NOT_EXIST', `No tag with name: ${String(request.key)} in experiment with id ${experiment.experimentId}`)
      return {}
    },
    'POST runs/create': request => ({ run: this.runJson(this.createRun(request), false) }),
    'GET runs/get': request => ({ run: this.runJson(this.run(runIdOf(request)), true) }),
    'POST runs/update': request => {
      const run = this.activeRun(runIdOf(request))
      // 2.17.2 ignores a status it does not know, silently.
      if (typeof request.status === 'string' && ['RUNNING', 'SCHEDULED', 'FINISHED', 'FAILED', 'KILLED'].includes(request.status)) run.status = request.status
      if (request.end_time !== undefined) run.endTime = int(request.end_time)
      if (typeof request.run_name === 'string' && request.run_name) { run.runName = request.run_name; run.tags.set('mlflow.runName', request.run_name) }
      return { run_info: this.runInfoJson(run) }
    },
    'POST runs/delete': request => { this.run(String(request.run_id)).lifecycleStage = 'deleted'; return {} },
    'POST runs/restore': request => { this.run(String(request.run_id)).lifecycleStage = 'active'; return {} },
    'POST runs/search': request => this.searchRuns(request),
    'POST runs/log-metric': request => {
      checkKey('Metric', String(request.key), normalizePosixPath)
      this.appendPoint(this.activeRun(runIdOf(request)), request)
      return {}
    },
    'POST runs/log-parameter': request => {
      checkKey('Param', String(request.key), normalizePosixPath)
      const run = this.activeRun(runIdOf(request))
      this.setParams(run, [{ key: String(request.key), value: typeof request.value === 'string' ? request.value : '' }], true)
      return {}
    },
    'POST runs/set-tag': request => {
      checkKey('Tag', String(request.key), normalizePosixPath)
      this.setTag(this.activeRun(runIdOf(request)), String(request.key), String(request.value))
      return {}
    },
    'POST runs/delete-tag': request => {
      const run = this.activeRun(String(request.run_id))
      if (!run.tags.delete(String(request.key))) throw fail(404, 'RESOURCE_DOES_NOT_EXIST', `No tag with name: ${String(request.key)} in run with id ${run.runId}`)
      return {}
    },
    'POST runs/log-batch': (request, bodyBytes) => this.logBatch(request, bodyBytes),
    'POST runs/log-inputs': request => {
      const run = this.activeRun(String(request.run_id))
      for (const input of (request.datasets as Json[] | undefined) ?? []) {
        const dataset = input.dataset as Json
        const same = run.inputs.findIndex(other => (other.dataset as Json).name === dataset.name && (other.dataset as Json).digest === dataset.digest)
        if (same < 0) run.inputs.push(input)
      }
      return {}
    },
    'GET metrics/get-history': request => this.history(request),
    'GET artifacts/list': request => {
      const run = this.run(runIdOf(request))
      const path = typeof request.path === 'string' ? request.path : ''
      if (path) checkArtifactPath(path)
      const root = proxyRoot(run.artifactUri)
      const files = root === undefined ? [] : this.listArtifactDir(path ? `${root}/${path}` : root).map(file => ({ ...file, path: path ? `${path}/${file.path}` : file.path }))
      return { root_uri: run.artifactUri, ...(files.length ? { files } : {}) }
    },
  }

  /** Lists one folder of the proxied store: names relative to it, folders first-class, files with sizes. */
  listArtifactDir(dir: string): Json[] {
    const prefix = dir.replace(/\/+$/, '') + '/'
    const entries = new Map<string, Json>()
    for (const [path, bytes] of this.artifacts) {
      if (!path.startsWith(prefix)) continue
      const rest = path.slice(prefix.length)
      const slash = rest.indexOf('/')
      if (slash < 0) entries.set(rest, { path: rest, is_dir: false, file_size: bytes.length })
      else entries.set(rest.slice(0, slash), { path: rest.slice(0, slash), is_dir: true })
    }
    return [...entries.values()].sort((a, b) => String(a.path).localeCompare(String(b.path)))
  }

  private nameTaken(name: unknown): RequestRejected {
    return fail(400, 'RESOURCE_ALREADY_EXISTS', `Experiment(name=${String(name)}) already exists. Error: (raised as a result of Query-invoked autoflush; consider using a session.no_autoflush block if this flush is occurring prematurely)\n(sqlite3.IntegrityError) UNIQUE constraint failed: experiments.name`)
  }

  private createExperiment(request: Json): Json {
    const name = String(request.name)
    if ([...this.experiments.values()].some(experiment => experiment.name === name)) throw this.nameTaken(name)
    const tags = (request.tags as WireTag[] | undefined) ?? []
    tags.forEach(tag => checkKey('Tag', tag.key, normalizePosixPath))
    const experimentId = String(this.nextExperimentId++)
    const now = Date.now()
    this.experiments.set(experimentId, {
      experimentId, name, artifactLocation: typeof request.artifact_location === 'string' && request.artifact_location ? request.artifact_location : `mlflow-artifacts:/${experimentId}`,
      lifecycleStage: 'active', creationTime: now, lastUpdateTime: now, tags: new Map(tags.map(tag => [tag.key, tag.value ?? ''])),
    })
    return { experiment_id: experimentId }
  }

  private experiment(experimentId: string): ServerExperiment {
    const experiment = this.experiments.get(experimentId)
    if (!experiment) throw fail(404, 'RESOURCE_DOES_NOT_EXIST', `No Experiment with id=${experimentId} exists`)
    return experiment
  }

  private setExperimentStage(experimentId: string, stage: 'active' | 'deleted'): Json {
    const experiment = this.experiment(experimentId)
    if (experimentId === '0' && stage === 'deleted') throw fail(400, 'INVALID_PARAMETER_VALUE', "Cannot delete the default experiment '0'. This is an internally reserved experiment.")
    experiment.lifecycleStage = stage
    experiment.lastUpdateTime = Date.now()
    for (const run of this.runs.values()) if (run.experimentId === experimentId) run.lifecycleStage = stage
    return {}
  }

  private experimentJson(experiment: ServerExperiment): Json {
    return {
      experiment_id: experiment.experimentId, name: experiment.name, artifact_location: experiment.artifactLocation,
      lifecycle_stage: experiment.lifecycleStage, last_update_time: experiment.lastUpdateTime, creation_time: experiment.creationTime,
      ...(experiment.tags.size ? { tags: tagList(experiment.tags) } : {}),
    }
  }

  private searchExperiments(request: Json): Json {
    const max = pageSize(request.max_results, 'experiments')
    const viewType = String(request.view_type ?? 'ACTIVE_ONLY')
    const filter = searchCompile(() => compileExperimentFilter(request.filter as string | undefined))
    const order = searchCompile(() => compileExperimentOrderBy(request.order_by as string[] | undefined))
    const all = [...this.experiments.values()].filter(experiment => viewType === 'ALL' || (viewType === 'DELETED_ONLY') === (experiment.lifecycleStage === 'deleted'))
      .map(experiment => ({ experiment, view: toExperiment(experiment) })).filter(item => filter(item.view)).sort((a, b) => order(a.view, b.view))
    return pageOf(all.map(item => this.experimentJson(item.experiment)), max, request.page_token, 'experiments')
  }

  private createRun(request: Json): ServerRun {
    if (request.experiment_id === undefined) {
      throw fail(400, 'BAD_REQUEST', '(sqlite3.IntegrityError) FOREIGN KEY constraint failed\n[SQL: INSERT INTO runs (...)]')
    }
    const experiment = this.experiment(String(request.experiment_id))
    if (experiment.lifecycleStage !== 'active') throw fail(500, 'INVALID_STATE', `The experiment ${experiment.experimentId} must be in the 'active' state. Current state is deleted.`)
    const tags = (request.tags as WireTag[] | undefined) ?? []
    tags.forEach(tag => checkKey('Tag', tag.key, normalizePosixPath))
    const nameTag = tags.findLast(tag => tag.key === 'mlflow.runName')?.value
    const requested = typeof request.run_name === 'string' ? request.run_name : ''
    if (requested && nameTag !== undefined && nameTag !== requested) {
      throw fail(400, 'INVALID_PARAMETER_VALUE', `Both 'run_name' argument and 'mlflow.runName' tag are specified, but with different values (run_name='${requested}', mlflow.runName='${nameTag}').`)
    }
    const runName = requested || nameTag || `${pick(WORDS)}-${pick(ANIMALS)}-${Math.floor(Math.random() * 1000)}`
    const runId = crypto.randomUUID().replaceAll('-', '')
    const run: ServerRun = {
      runId, experimentId: experiment.experimentId, runName, userId: typeof request.user_id === 'string' ? request.user_id : '', status: 'RUNNING',
      startTime: request.start_time === undefined ? Date.now() : int(request.start_time), artifactUri: `${experiment.artifactLocation}/${runId}/artifacts`,
      lifecycleStage: 'active', params: new Map(), tags: new Map(), history: new Map(), inputs: [],
    }
    for (const tag of tags) run.tags.set(tag.key, truncate(tag.value ?? '', TRUNCATE.tag))
    run.tags.set('mlflow.runName', runName)
    this.runs.set(runId, run)
    return run
  }

  run(runId: string): ServerRun {
    const run = this.runs.get(runId)
    if (!run) throw notFoundRun(runId)
    return run
  }

  private activeRun(runId: string): ServerRun {
    const run = this.run(runId)
    if (run.lifecycleStage !== 'active') throw fail(400, 'INVALID_PARAMETER_VALUE', `The run ${runId} must be in the 'active' state. Current state is deleted.`)
    return run
  }

  private runInfoJson(run: ServerRun): Json {
    return {
      run_uuid: run.runId, experiment_id: run.experimentId, run_name: run.runName, user_id: run.userId, status: run.status,
      start_time: run.startTime, ...(run.endTime !== undefined ? { end_time: run.endTime } : {}),
      artifact_uri: run.artifactUri, lifecycle_stage: run.lifecycleStage, run_id: run.runId,
    }
  }

  private runJson(run: ServerRun, withInputs: boolean): Json {
    const metrics = [...run.history].map(([key, points]) => {
      const last = latest(points)
      return { key, value: wireDouble(last.value), timestamp: last.timestamp, step: last.step }
    })
    const data: Json = {
      ...(metrics.length ? { metrics } : {}), ...(run.params.size ? { params: tagList(run.params) } : {}), ...(run.tags.size ? { tags: tagList(run.tags) } : {}),
    }
    return { info: this.runInfoJson(run), data, ...(withInputs ? { inputs: run.inputs.length ? { dataset_inputs: run.inputs } : {} } : {}) }
  }

  private searchRuns(request: Json): Json {
    const max = pageSize(request.max_results, 'runs')
    const experimentIds = (request.experiment_ids as string[] | undefined) ?? []
    const viewType = String(request.run_view_type ?? 'ACTIVE_ONLY')
    const filter = searchCompile(() => compileRunFilter(request.filter as string | undefined))
    const order = searchCompile(() => compileRunOrderBy(request.order_by as string[] | undefined))
    const found = [...this.runs.values()]
      .filter(run => experimentIds.includes(run.experimentId))
      .filter(run => viewType === 'ALL' || (viewType === 'DELETED_ONLY') === (run.lifecycleStage === 'deleted'))
      .map(run => ({ run, view: toRun(run) })).filter(item => filter(item.view)).sort((a, b) => order(a.view, b.view))
    return pageOf(found.map(item => this.runJson(item.run, true)), max, request.page_token, 'runs')
  }

  private appendPoint(run: ServerRun, metric: Json): void {
    const points = run.history.get(String(metric.key)) ?? []
    points.push({ value: double(metric.value), timestamp: int(metric.timestamp), step: metric.step === undefined ? 0 : int(metric.step) })
    run.history.set(String(metric.key), points)
  }

  private setParams(run: ServerRun, params: { key: string; value: string }[], single: boolean): void {
    const changed = params.filter(param => run.params.has(param.key) && run.params.get(param.key) !== truncate(param.value, TRUNCATE.param))
    if (changed.length && single) {
      const [param] = changed as [{ key: string; value: string }]
      throw fail(400, 'INVALID_PARAMETER_VALUE', `Changing param values is not allowed. Param with key='${param.key}' was already logged with value='${run.params.get(param.key)}' for run ID='${run.runId}'. Attempted logging new value '${param.value}'.`)
    }
    if (changed.length) {
      const details = changed.map(param => `{'key': '${param.key}', 'old_value': '${run.params.get(param.key)}', 'new_value': '${param.value}'}`).join(', ')
      throw fail(400, 'INVALID_PARAMETER_VALUE', `Changing param values is not allowed. Params were already logged='[${details}]' for run ID='${run.runId}'.`)
    }
    for (const param of params) run.params.set(param.key, truncate(param.value, TRUNCATE.param))
  }

  private setTag(run: ServerRun, key: string, value: string): void {
    run.tags.set(key, truncate(value, TRUNCATE.tag))
    if (key === 'mlflow.runName') run.runName = value
  }

  private logBatch(request: Json, bodyBytes: number): Json {
    const metrics = (request.metrics as Json[] | undefined) ?? [], params = (request.params as WireTag[] | undefined) ?? [], tags = (request.tags as WireTag[] | undefined) ?? []
    checkBatchLimits(metrics.length, params.length, tags.length, bodyBytes)
    metrics.forEach(metric => checkKey('Metric', String(metric.key), normalizePosixPath))
    params.forEach(param => checkKey('Param', param.key, normalizePosixPath))
    tags.forEach(tag => checkKey('Tag', tag.key, normalizePosixPath))
    const keys = params.map(param => param.key)
    const duplicates = [...new Set(keys.filter((key, index) => keys.indexOf(key) !== index))]
    if (duplicates.length) {
      throw fail(400, 'INVALID_PARAMETER_VALUE', `Duplicate parameter keys have been submitted: [${duplicates.map(key => `'${key}'`).join(', ')}]. Please ensure the request contains only one param value per param key.`)
    }
    const run = this.activeRun(String(request.run_id))
    this.setParams(run, params.map(param => ({ key: param.key, value: param.value ?? '' })), false)
    for (const metric of metrics) this.appendPoint(run, metric)
    for (const tag of tags) this.setTag(run, tag.key, tag.value ?? '')
    return {}
  }

  private history(request: Json): Json {
    const run = this.runs.get(runIdOf(request))
    const key = String(request.metric_key)
    const points = (run?.history.get(key) ?? []).map(point => ({ key, value: wireDouble(point.value), timestamp: point.timestamp, step: point.step }))
    const size = this.features.historyPageSize
    if (!size) return points.length ? { metrics: points } : {}
    const offset = typeof request.page_token === 'string' ? decodePageToken(request.page_token) : 0
    const page = points.slice(offset, offset + size)
    const next = offset + size < points.length ? { next_page_token: encodePageToken(offset + size) } : {}
    return { ...(page.length ? { metrics: page } : {}), ...next }
  }

  /** The proxied artifact at a decoded path below /mlflow-artifacts/artifacts/. */
  artifactRequest(method: string, path: string, body: Buffer): { status: number; body?: Buffer; json?: Json } {
    checkArtifactPath(path)
    if (method === 'PUT') { this.artifacts.set(path, body); return { status: 200, json: {} } }
    if (method === 'DELETE') {
      for (const stored of [...this.artifacts.keys()]) if (stored === path || stored.startsWith(`${path}/`)) this.artifacts.delete(stored)
      return { status: 200, json: {} }
    }
    const bytes = this.artifacts.get(path)
    if (!bytes) {
      throw fail(500, 'INTERNAL_ERROR', `The following failures occurred while downloading one or more artifacts from $SERVER_DATA/artifacts:\n##### File ${path} #####\n[Errno 2] No such file or directory: '$SERVER_DATA/artifacts/${path}'`)
    }
    return { status: 200, body: bytes }
  }
}

function runIdOf(request: Json): string {
  const runId = request.run_id ?? request.run_uuid
  if (typeof runId !== 'string' || !runId) throw missing('run_id')
  return runId
}

function pageSize(value: unknown, kind: 'runs' | 'experiments'): number {
  if (value === undefined) return 1000
  const max = int(value)
  if (max > 50000) {
    throw fail(400, 'INVALID_PARAMETER_VALUE', kind === 'experiments'
      ? `Invalid value ${max} for parameter 'max_results' supplied. It must be at most 50000`
      : `Invalid value ${max} for parameter 'max_results' supplied:  Hint: Value was of type 'int'. See the API docs for more information about request parameters.`)
  }
  return max
}

/** MLflow's paging: a token whenever the page is full, so the page after the last one is empty ({}). */
function pageOf(items: Json[], max: number, pageToken: unknown, field: string): Json {
  let offset = 0
  if (typeof pageToken === 'string' && pageToken) {
    try { offset = decodePageToken(pageToken) } catch { throw fail(400, 'INVALID_PARAMETER_VALUE', 'Invalid page token, could not base64-decode') }
  }
  const page = items.slice(offset, offset + max)
  return { ...(page.length ? { [field]: page } : {}), ...(page.length === max ? { next_page_token: encodePageToken(offset + max) } : {}) }
}

function searchCompile<T>(compile: () => T): T {
  try { return compile() } catch (error) {
    if (isMlflowError(error)) throw fail(400, error.errorCode, error.message)
    throw error
  }
}

function latest(points: Point[]): Point {
  return points.reduce((best, point) => (point.step > best.step || (point.step === best.step && (point.timestamp > best.timestamp
    || (point.timestamp === best.timestamp && point.value > best.value))) ? point : best))
}

function toExperiment(experiment: ServerExperiment): Experiment {
  const { tags, ...rest } = experiment
  return { ...rest, tags: Object.fromEntries(tags) }
}

function toRun(run: ServerRun): Run {
  return {
    info: { runId: run.runId, runName: run.runName, experimentId: run.experimentId, userId: run.userId, status: run.status as Run['info']['status'],
      startTime: run.startTime, endTime: run.endTime ?? null, artifactUri: run.artifactUri, lifecycleStage: run.lifecycleStage },
    data: { params: Object.fromEntries(run.params), tags: Object.fromEntries(run.tags),
      metrics: Object.fromEntries([...run.history].map(([key, points]) => [key, latest(points).value])) },
    inputs: { datasetInputs: run.inputs.map(input => {
      const dataset = input.dataset as Json
      return { dataset: { name: String(dataset.name), digest: String(dataset.digest), sourceType: String(dataset.source_type), source: String(dataset.source) },
        tags: Object.fromEntries(((input.tags as WireTag[] | undefined) ?? []).map(tag => [tag.key, tag.value ?? ''])) }
    }) },
  }
}

/** The proxy path of a run's mlflow-artifacts: URI, or undefined for any other location. */
export function proxyRoot(artifactUri: string): string | undefined {
  const match = /^mlflow-artifacts:(?:\/\/[^/]*)?\/*(.*)$/.exec(artifactUri)
  return match?.[1]
}

const truncate = (value: string, length: number) => (value.length > length ? value.slice(0, length) : value)
const pick = <T>(items: T[]) => items[Math.floor(Math.random() * items.length)] as T
