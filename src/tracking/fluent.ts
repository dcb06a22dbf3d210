/**
 * The fluent API (`mlflow.*`): MLflow's module-level functions. It owns only the
 * tracking URI, the active experiment and the active-run stack; all else is the client's.
 */
import { MlflowError, invalidParameter } from '../core/errors.ts'
import type { DatasetInput, Experiment, FileInfo, ModelVersion, Run, RunStatus } from '../core/types.ts'
import { DEFAULT_TRACKING_URI } from '../store/uri.ts'
import type { ImageSource } from './artifact-encoding.ts'
import { MlflowClient, type MetricOptions, type SearchExperimentsOptions, type SearchRunsOptions } from './client.ts'
import { systemTags } from './context.ts'
import { registerModelVersion } from './registry-client.ts'

export interface StartRunOptions {
  runName?: string
  experimentId?: string
  /** Start as a child of the active run (tag mlflow.parentRunId). */
  nested?: boolean
  /** Explicit parent, for nesting without a stack (e.g. a worker's run under a sweep run). */
  parentRunId?: string
  /** Resume this existing run instead of creating one. */
  runId?: string
  tags?: Record<string, unknown>
  /** Markdown stored as mlflow.note.content. */
  description?: string
  /** A git commit (mlflow.source.git.commit). */
  codeVersion?: string
  /** The training script's text; its SHA-256 becomes the code version when no commit is given. */
  sourceCode?: string
}

/** A started run; `await using run = await mlflow.startRun()` ends it when the scope exits. */
export type ActiveRun = Run & { [Symbol.asyncDispose](): Promise<void> }

const DEFAULT_EXPERIMENT_ID = '0'

let trackingUri = DEFAULT_TRACKING_URI
let client = new MlflowClient(trackingUri)
let activeExperimentId: string | undefined
const activeRuns: string[] = []
let lastRunId: string | undefined

function activeRunId(): string | undefined { return activeRuns[activeRuns.length - 1] }

/** The active run's id, starting a run first when none is active (as MLflow's fluent logging does). */
async function runIdForLogging(): Promise<string> {
  return activeRunId() ?? (await startRun()).info.runId
}

function withDispose(run: Run): ActiveRun {
  return Object.assign(run, {
    async [Symbol.asyncDispose]() {
      if (activeRuns.includes(run.info.runId)) await endRun('FINISHED', run.info.runId)
    },
  })
}

export function setTrackingUri(uri: string): void {
  const next = new MlflowClient(uri)
  trackingUri = uri
  client = next
  activeExperimentId = undefined
}
export function getTrackingUri(): string { return trackingUri }
/** The client behind the fluent API. */
export function getClient(): MlflowClient { return client }

export function createExperiment(name: string, options?: { artifactLocation?: string; tags?: Record<string, unknown> }): Promise<string> {
  return client.createExperiment(name, options)
}
export function getExperiment(experimentId: string): Promise<Experiment> { return client.getExperiment(experimentId) }
export function getExperimentByName(name: string): Promise<Experiment | null> { return client.getExperimentByName(name) }
export function searchExperiments(options?: SearchExperimentsOptions) { return client.searchExperiments(options) }
export function deleteExperiment(experimentId: string): Promise<void> { return client.deleteExperiment(experimentId) }
export function restoreExperiment(experimentId: string): Promise<void> { return client.restoreExperiment(experimentId) }
export function renameExperiment(experimentId: string, newName: string): Promise<void> { return client.renameExperiment(experimentId, newName) }

/** Makes the experiment active, creating it when no experiment has this name. */
export async function setExperiment(nameOrOptions: string | { experimentName?: string; experimentId?: string }): Promise<Experiment> {
  const options = typeof nameOrOptions === 'string' ? { experimentName: nameOrOptions } : nameOrOptions
  let experiment: Experiment | null
  if (options.experimentId !== undefined) experiment = await client.getExperiment(options.experimentId)
  else if (options.experimentName) {
    experiment = await client.getExperimentByName(options.experimentName)
    if (!experiment) experiment = await client.getExperiment(await client.createExperiment(options.experimentName))
  } else throw invalidParameter('setExperiment needs an experiment name or id.')
  if (experiment.lifecycleStage !== 'active') {
    throw invalidParameter(`Cannot set a deleted experiment '${experiment.name}' as the active experiment. You can restore the experiment, or permanently delete the experiment to create a new one.`)
  }
  activeExperimentId = experiment.experimentId
  return experiment
}
export function setExperimentTag(key: string, value: unknown): Promise<void> {
  return client.setExperimentTag(activeExperimentId ?? DEFAULT_EXPERIMENT_ID, key, value)
}
export async function setExperimentTags(tags: Record<string, unknown>): Promise<void> {
  for (const [key, value] of Object.entries(tags)) await setExperimentTag(key, value)
}

export async function startRun(options: StartRunOptions = {}): Promise<ActiveRun> {
  const current = activeRunId()
  if (current && !options.nested && options.runId !== current) {
    throw new MlflowError('INVALID_STATE', `Run with UUID ${current} is already active. To start a new run, first end the current run with mlflow.endRun(). To start a nested run, call startRun with { nested: true }.`)
  }
  let run: Run
  if (options.runId) {
    run = await client.getRun(options.runId)
    if (run.info.status !== 'RUNNING') await client.updateRun(run.info.runId, { status: 'RUNNING' })
    run = await client.getRun(options.runId)
  } else {
    const parent = options.parentRunId ?? (options.nested ? current : undefined)
    const tags = { ...await systemTags({ ...options, nested: parent }), ...options.tags }
    run = await client.createRun(options.experimentId ?? activeExperimentId ?? DEFAULT_EXPERIMENT_ID, { runName: options.runName, tags })
  }
  activeRuns.push(run.info.runId)
  return withDispose(run)
}

/** Ends the active run (or the given one); its queued metrics are written first. */
export async function endRun(status: RunStatus = 'FINISHED', runId: string | undefined = activeRunId()): Promise<void> {
  if (!runId) return
  const index = activeRuns.lastIndexOf(runId)
  if (index >= 0) activeRuns.splice(index, 1)
  lastRunId = runId
  await client.setTerminated(runId, status)
}

/** Runs `body` inside a run: FINISHED when it returns, FAILED when it throws (and the error is rethrown). */
export async function withRun<T>(options: StartRunOptions, body: (run: ActiveRun) => Promise<T> | T): Promise<T> {
  const run = await startRun(options)
  try {
    const result = await body(run)
    await endRun('FINISHED', run.info.runId)
    return result
  } catch (error) {
    await endRun('FAILED', run.info.runId)
    throw error
  }
}

export async function activeRun(): Promise<Run | null> {
  const runId = activeRunId()
  return runId ? client.getRun(runId) : null
}
export async function lastActiveRun(): Promise<Run | null> {
  const runId = activeRunId() ?? lastRunId
  return runId ? client.getRun(runId) : null
}
export function getRun(runId: string): Promise<Run> { return client.getRun(runId) }
export function searchRuns(options: Partial<SearchRunsOptions> = {}) {
  return client.searchRuns({ ...options, experimentIds: options.experimentIds ?? [activeExperimentId ?? DEFAULT_EXPERIMENT_ID] })
}
export function deleteRun(runId: string): Promise<void> { return client.deleteRun(runId) }

export async function logParam(key: string, value: unknown): Promise<void> { await client.logParam(await runIdForLogging(), key, value) }
export async function logParams(params: Record<string, unknown>): Promise<void> {
  const runId = await runIdForLogging()
  const entries = Object.entries(params).map(([key, value]) => ({ key, value }))
  for (let start = 0; start < entries.length; start += 100) await client.logBatch(runId, { params: entries.slice(start, start + 100) })
}
/** Queued (write-behind): not awaiting each call is fast; `flush()` or `endRun()` makes it durable. */
export function logMetric(key: string, value: number, options: MetricOptions = {}): Promise<void> {
  const runId = activeRunId()
  if (runId) return client.logMetric(runId, key, value, options)
  return runIdForLogging().then(id => client.logMetric(id, key, value, options))
}
export async function logMetrics(metrics: Record<string, number>, options: MetricOptions = {}): Promise<void> {
  const runId = activeRunId() ?? await runIdForLogging()
  const timestamp = options.timestamp ?? Date.now()
  await Promise.all(Object.entries(metrics).map(([key, value]) => client.logMetric(runId, key, value, { ...options, timestamp })))
}
export async function setTag(key: string, value: unknown): Promise<void> { await client.setTag(await runIdForLogging(), key, value) }
export async function setTags(tags: Record<string, unknown>): Promise<void> {
  const runId = await runIdForLogging()
  const entries = Object.entries(tags).map(([key, value]) => ({ key, value }))
  for (let start = 0; start < entries.length; start += 100) await client.logBatch(runId, { tags: entries.slice(start, start + 100) })
}
export async function deleteTag(key: string): Promise<void> { await client.deleteTag(await runIdForLogging(), key) }
export async function logInputs(datasets: DatasetInput[]): Promise<void> { await client.logInputs(await runIdForLogging(), datasets) }

export async function logArtifact(data: Blob, artifactPath?: string, fileName?: string): Promise<void> {
  await client.logArtifact(await runIdForLogging(), data, artifactPath, fileName)
}
export async function logText(text: string, artifactFile: string): Promise<void> { await client.logText(await runIdForLogging(), text, artifactFile) }
export async function logDict(dictionary: unknown, artifactFile: string): Promise<void> { await client.logDict(await runIdForLogging(), dictionary, artifactFile) }
export async function logImage(image: ImageSource, artifactFile: string): Promise<void> { await client.logImage(await runIdForLogging(), image, artifactFile) }
export async function logFigure(figure: { data: unknown[]; layout?: unknown }, artifactFile: string): Promise<void> {
  await client.logFigure(await runIdForLogging(), figure, artifactFile)
}
export function listArtifacts(runId: string, path?: string): Promise<FileInfo[]> { return client.listArtifacts(runId, path) }

/** Makes every queued metric point durable; throws the writes that failed. */
export function flush(): Promise<void> { return client.flush() }

/**
 * Registers the model at `modelUri` (usually `runs:/<runId>/<path>`) as a new version of the
 * registered model `name`, creating that model when absent. `tags` go on the version.
 */
export function registerModel(modelUri: string, name: string, options?: { tags?: Record<string, unknown> }): Promise<ModelVersion> {
  return registerModelVersion(client, modelUri, name, options)
}
