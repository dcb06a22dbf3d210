/**
 * `mlflow.evaluate()`: validate and compute first (`prepareEvaluation`), then log into the given run, the
 * active run or a new one — metrics in few log-batches at step 0, artifacts, the `mlflow.datasets` tag and a
 * dataset input — and return MLflow's EvaluationResult. Nothing is logged when anything fails before logging.
 */
import { invalidParameter, MlflowError } from '../core/errors.ts'
import type { Metric, Run } from '../core/types.ts'
import { splitArtifactFile } from '../tracking/artifact-encoding.ts'
import type { MlflowClient } from '../tracking/client.ts'
import * as fluent from '../tracking/fluent.ts'
import { DATASETS_TAG, datasetInput, datasetsTagValue } from './eval-dataset.ts'
import {
  cancellable, checkEvaluateOptions, type EvaluateComputeOptions, type EvaluationProgress, prepareEvaluation, type PreparedEvaluation,
} from './prepare-evaluation.ts'
import type { PngRenderer } from './png.ts'
import { checkMetricThresholds, type MetricThreshold, ModelValidationFailedError, type ValidationResult } from './validation.ts'

/** `mlflow.evaluate` options: what to evaluate, plus where to log and how to follow it. */
export interface EvaluateOptions extends EvaluateComputeOptions {
  /** Log into this run. Default: the active run, else a new run (ended when evaluate returns). */
  runId?: string
  /** Called as the evaluation moves through its stages. */
  onProgress?: (progress: EvaluationProgress) => void
  /** Aborting before logging starts cancels with CANCELLED; nothing is logged. */
  signal?: AbortSignal
}

/** What `evaluate` returns (MLflow's `EvaluationResult`, camelCased, plus Lablog's extras). */
export interface EvaluationResult {
  /** The run the evaluation was logged to. */
  runId: string
  /** Metric name (prefixed) → value, as logged. */
  metrics: Record<string, number>
  /** MLflow artifact name (`confusion_matrix`, `roc_curve_plot`, `per_class_metrics`, `eval_results_table`, …) → artifact URI. */
  artifacts: Record<string, string>
  /** Figure name → URI of its plotly JSON (drawn live by Lablog's UI). */
  plotlyArtifacts: Record<string, string>
  /** The baseline model's metrics, when `baselineModel` was given (not logged, as in MLflow). */
  baselineModelMetrics?: Record<string, number>
  /** The validation outcome, when `validationThresholds` were given and passed. */
  validation?: ValidationResult
  /** The dataset as recorded in the `mlflow.datasets` tag. */
  dataset: { name: string; hash: string; digest: string }
  /** Which renderer drew the PNGs (`raster` has numbers but no words). */
  pngRenderer: PngRenderer
  /** Undefined metrics left out, sklearn's warnings, and rendering notes. */
  warnings: string[]
}

/** The tag `mlflow.log_table` sets, listing table artifacts. */
const LOGGED_ARTIFACTS_TAG = 'mlflow.loggedArtifacts'
const METRICS_PER_BATCH = 1000

/** Checks a given run can take the logs: it exists and is not deleted. */
export async function checkRunForLogging(client: MlflowClient, runId: string): Promise<Run> {
  const run = await client.getRun(runId)
  if (run.info.lifecycleStage !== 'active') throw invalidParameter(`Run '${runId}' is deleted; restore it or evaluate into another run.`)
  return run
}

function loggedArtifactsValue(existing: string | undefined, path: string): string {
  let entries: { path?: unknown; type?: unknown }[] = []
  try {
    const parsed = existing ? JSON.parse(existing) as unknown : []
    if (Array.isArray(parsed)) entries = parsed
  } catch {
    entries = []
  }
  if (!entries.some((e) => e.path === path)) entries.push({ path, type: 'table' })
  return JSON.stringify(entries)
}

/**
 * Logs a prepared evaluation into `runId` (the active run, or a new one that is ended afterwards when absent)
 * and validates it against `validationThresholds`. A failed validation throws ModelValidationFailedError
 * after logging (as MLflow); a run evaluate started then ends FAILED.
 */
export async function logEvaluation(
  prepared: PreparedEvaluation,
  options: { runId?: string | undefined; validationThresholds?: Readonly<Record<string, MetricThreshold>> | undefined; onProgress?: ((p: EvaluationProgress) => void) | undefined } = {},
): Promise<EvaluationResult> {
  const client = fluent.getClient()
  let runId = options.runId ?? (await fluent.activeRun())?.info.runId
  const startedHere = runId === undefined
  if (runId === undefined) runId = (await fluent.startRun()).info.runId
  options.onProgress?.({ stage: 'log', fraction: 0.9 })
  let status: 'FINISHED' | 'FAILED' = 'FAILED'
  try {
    const run = await client.getRun(runId)
    const tags = [{ key: DATASETS_TAG, value: datasetsTagValue(run.data.tags[DATASETS_TAG], prepared.dataset, prepared.modelUuid) }]
    const tablePath = prepared.artifacts.eval_results_table
    if (tablePath) tags.push({ key: LOGGED_ARTIFACTS_TAG, value: loggedArtifactsValue(run.data.tags[LOGGED_ARTIFACTS_TAG], tablePath) })
    const timestamp = Date.now()
    const metrics: Metric[] = Object.entries(prepared.metrics).map(([key, value]) => ({ key, value, timestamp, step: 0 }))
    for (let start = 0; start === 0 || start < metrics.length; start += METRICS_PER_BATCH) {
      await client.logBatch(runId, { metrics: metrics.slice(start, start + METRICS_PER_BATCH), ...(start === 0 ? { tags } : {}) })
    }
    for (const file of prepared.files) {
      const { directory, fileName } = splitArtifactFile(file.path)
      await client.logArtifact(runId, file.blob, directory, fileName)
    }
    await client.logInputs(runId, [datasetInput(prepared.dataset, run.data.tags)])
    const uri = (path: string) => `${run.info.artifactUri}/${path}`
    const mapUris = (paths: Record<string, string>) => Object.fromEntries(Object.entries(paths).map(([name, path]) => [name, uri(path)]))
    const result: EvaluationResult = {
      runId,
      metrics: prepared.metrics,
      artifacts: mapUris(prepared.artifacts),
      plotlyArtifacts: mapUris(prepared.plotlyArtifacts),
      ...(prepared.baselineModelMetrics ? { baselineModelMetrics: prepared.baselineModelMetrics } : {}),
      dataset: { name: prepared.dataset.name, hash: prepared.dataset.hash, digest: prepared.dataset.digest },
      pngRenderer: prepared.pngRenderer,
      warnings: prepared.warnings,
    }
    if (options.validationThresholds) {
      const validation = checkMetricThresholds(options.validationThresholds, prepared.metrics, prepared.baselineModelMetrics)
      if (!validation.passed) throw Object.assign(new ModelValidationFailedError(validation), { evaluationResult: result })
      result.validation = validation
    }
    status = 'FINISHED'
    options.onProgress?.({ stage: 'done', fraction: 1 })
    return result
  } finally {
    if (startedHere) await fluent.endRun(status, runId)
  }
}

/**
 * MLflow's `mlflow.evaluate` with the default evaluator, for classifiers and regressors.
 *
 * ```ts
 * const result = await mlflow.evaluate({ model: 'runs:/<id>/model', data: csvFile, targets: 'label',
 *                                        modelType: 'classifier', evaluatorConfig: { labelList: [0, 1, 2] } })
 * result.metrics.accuracy_score; result.artifacts.confusion_matrix   // URI of confusion_matrix.png
 * ```
 *
 * Everything is checked and computed before the first write: bad options, data that does not fit the
 * model, or NaN in the inputs are INVALID_PARAMETER_VALUE and leave the store untouched. For data too large
 * for the main thread, `EvaluateBridge` runs the same computation in a worker.
 */
export async function evaluate(options: EvaluateOptions): Promise<EvaluationResult> {
  checkEvaluateOptions(options)
  const client = fluent.getClient()
  if (options.runId !== undefined) await checkRunForLogging(client, options.runId)
  const prepared = await cancellable(
    () => prepareEvaluation(options, { client, onProgress: options.onProgress, signal: options.signal }), options.signal)
  if (options.signal?.aborted) throw new MlflowError('CANCELLED', 'The evaluation was cancelled before anything was logged.')
  return logEvaluation(prepared, { runId: options.runId, validationThresholds: options.validationThresholds, onProgress: options.onProgress })
}
