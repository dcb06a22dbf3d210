/**
 * The compute half of `mlflow.evaluate()`: check every option, read the data, run the model (and the
 * baseline), compute MLflow's metrics and render the artifacts — all without touching a run. It runs on the
 * main thread or in the evaluate worker; its result is plain data that `logEvaluation` writes.
 */
import { invalidParameter, MlflowError } from '../core/errors.ts'
import type { MlflowClient } from '../tracking/client.ts'
import { computeEvaluation } from './compute-evaluation.ts'
import {
  type EvaluationData, type EvaluationTable, featureColumnNames, featureColumns, loadEvaluationData, requireColumn,
} from './data.ts'
import { type ArtifactFile, buildEvalArtifacts, evalResultsTable } from './eval-artifacts.ts'
import { describeDataset, type EvalDatasetInfo } from './eval-dataset.ts'
import { numericColumn, resolveConfig } from './inputs.ts'
import { type EvaluateModel, runModel, type ModelPredictions } from './model-adapter.ts'
import { pngRenderer, type PngRenderer } from './png.ts'
import type { EvaluationOutput, EvaluatorConfig, ExtraMetric, Label } from './types.ts'
import { checkThresholds, type MetricThreshold } from './validation.ts'

/** What to evaluate and how; everything except where to log. */
export interface EvaluateComputeOptions {
  /** A model URI (`runs:/<id>/model`), a tfjs LayersModel or a function; omit it when `predictions` names a column. */
  model?: EvaluateModel
  /** Columns, row objects, or CSV (File, Blob or text) with a header row. */
  data: EvaluationData
  /** The label (classifier) or target value (regressor) column. */
  targets: string
  modelType: 'classifier' | 'regressor'
  /** A column of precomputed predictions, instead of a model. */
  predictions?: string
  evaluatorConfig?: EvaluatorConfig
  /** Custom metrics, as MLflow's `extra_metrics` made with `make_metric`. */
  extraMetrics?: readonly ExtraMetric[]
  /** The columns fed to the model (MLflow's `feature_names`). Default: all but targets and predictions. */
  featureNames?: readonly string[]
  /** A model to compare with; its metrics are computed on the same data and returned, not logged. */
  baselineModel?: EvaluateModel
  /** Metric name → threshold; checked after logging, as MLflow does (throws ModelValidationFailedError). */
  validationThresholds?: Readonly<Record<string, MetricThreshold>>
  /** Names the dataset in the `mlflow.datasets` tag and the run input. Default: its hash, and `dataset`. */
  datasetName?: string
  /** Write `eval_results_table.json` (inputs, targets, predictions). Default true. */
  logEvalResultsTable?: boolean
}

/** Where an evaluation is; `fraction` runs from 0 to 1 over the whole call. */
export interface EvaluationProgress {
  stage: 'data' | 'predict' | 'baseline' | 'metrics' | 'plots' | 'log' | 'done'
  fraction: number
}

/** Everything computed, ready to log (plain data and Blobs: it crosses a worker boundary as is). */
export interface PreparedEvaluation {
  metrics: Record<string, number>
  baselineModelMetrics?: Record<string, number>
  files: ArtifactFile[]
  artifacts: Record<string, string>
  plotlyArtifacts: Record<string, string>
  dataset: EvalDatasetInfo
  modelUuid: string | null
  warnings: string[]
  pngRenderer: PngRenderer
}

/** Context of one preparation: the client that resolves model URIs, progress and cancellation. */
export interface PrepareContext {
  client?: MlflowClient | undefined
  onProgress?: ((progress: EvaluationProgress) => void) | undefined
  signal?: AbortSignal | undefined
}

const isModel = (m: unknown) => typeof m === 'string' || typeof m === 'function' || (typeof m === 'object' && m !== null)

const isAbort = (error: unknown) => typeof error === 'object' && error !== null && (error as { name?: unknown }).name === 'AbortError'

/** Runs `body`, turning an AbortSignal's abort into MLflow's CANCELLED. */
export async function cancellable<T>(body: () => Promise<T>, signal?: AbortSignal): Promise<T> {
  try {
    return await body()
  } catch (error) {
    if (isAbort(error) || (signal?.aborted && error === signal.reason)) {
      throw new MlflowError('CANCELLED', 'The evaluation was cancelled before anything was logged.', { cause: error })
    }
    throw error
  }
}

/** The checks that need no data: option types, the evaluator config, thresholds, extra metrics. */
export function checkEvaluateOptions(options: EvaluateComputeOptions): void {
  if (!options || typeof options !== 'object') throw invalidParameter('evaluate needs an options object.')
  if (options.modelType !== 'classifier' && options.modelType !== 'regressor') {
    throw invalidParameter(`model_type must be 'classifier' or 'regressor', got ${JSON.stringify(options.modelType)}.`)
  }
  if (typeof options.targets !== 'string' || options.targets === '') throw invalidParameter('targets must name the label column of the data.')
  if (options.data === undefined || options.data === null) throw invalidParameter('data is required: columns, row objects or CSV.')
  const hasModel = options.model !== undefined && options.model !== null
  if (hasModel && options.predictions !== undefined) {
    throw invalidParameter('Give either a model or a predictions column, not both: with a model, evaluate makes the predictions itself.')
  }
  if (!hasModel && options.predictions === undefined) throw invalidParameter('Give a model, or name a column of precomputed predictions with `predictions`.')
  if (hasModel && !isModel(options.model)) throw invalidParameter('model must be a model URI, a tfjs LayersModel or a function.')
  if (options.predictions !== undefined && (typeof options.predictions !== 'string' || options.predictions === '')) {
    throw invalidParameter('predictions must name a column of the data.')
  }
  if (options.predictions === options.targets) throw invalidParameter(`targets and predictions both name column '${options.targets}'.`)
  if (options.baselineModel !== undefined && !isModel(options.baselineModel)) throw invalidParameter('baselineModel must be a model URI, a tfjs LayersModel or a function.')
  resolveConfig(options.evaluatorConfig)
  if (options.validationThresholds) checkThresholds(options.validationThresholds)
  for (const [index, metric] of (options.extraMetrics ?? []).entries()) {
    if (!metric || typeof metric.name !== 'string' || metric.name === '') throw invalidParameter(`extraMetrics[${index}] needs a name.`)
    if (typeof metric.fn !== 'function') throw invalidParameter(`Extra metric '${metric.name}' needs fn: (predictions, targets, metrics) => number.`)
    if (typeof metric.greaterIsBetter !== 'boolean') throw invalidParameter(`Extra metric '${metric.name}' needs greaterIsBetter (true or false).`)
  }
}

/** Targets are checked before any model runs, so bad labels fail fast and name the row. */
function checkTargets(values: ArrayLike<unknown>, options: EvaluateComputeOptions): void {
  if (options.modelType === 'regressor') { numericColumn(values, options.targets); return }
  for (let i = 0; i < values.length; i++) {
    const v = values[i]
    if (typeof v === 'string') continue
    if (typeof v !== 'number' || Number.isNaN(v)) {
      throw invalidParameter(`Column '${options.targets}' has ${typeof v === 'number' ? 'NaN' : 'a missing value'} at row ${i} (0-based); every example needs a label.`)
    }
  }
}

interface Stage { start: number; end: number; stage: EvaluationProgress['stage'] }

async function predict(model: EvaluateModel, table: EvaluationTable, options: EvaluateComputeOptions, ctx: PrepareContext, stage: Stage): Promise<ModelPredictions> {
  const exclude = [options.targets, ...(options.predictions ? [options.predictions] : [])]
  const featureNames = featureColumnNames(table, exclude, options.featureNames)
  const config = resolveConfig(options.evaluatorConfig)
  return runModel(model, {
    modelType: options.modelType, features: featureColumns(table, featureNames), featureNames, rowCount: table.rowCount,
    targets: table.values[options.targets]!, labelList: config.labelList, posLabel: config.posLabel, client: ctx.client, signal: ctx.signal,
    onProgress: (f) => ctx.onProgress?.({ stage: stage.stage, fraction: stage.start + (stage.end - stage.start) * f }),
  })
}

function compute(options: EvaluateComputeOptions, targets: ArrayLike<Label>, made: { predictions: ArrayLike<Label>; probabilities?: ModelPredictions['probabilities'] }): EvaluationOutput {
  return computeEvaluation({
    modelType: options.modelType, targets, predictions: made.predictions,
    ...(made.probabilities ? { probabilities: made.probabilities } : {}),
    ...(options.evaluatorConfig ? { evaluatorConfig: options.evaluatorConfig } : {}),
    ...(options.extraMetrics ? { extraMetrics: options.extraMetrics } : {}),
    columnNames: { targets: options.targets, predictions: options.predictions ?? 'predictions' },
  })
}

/**
 * Computes one evaluation: metrics (MLflow's names, `metricPrefix` applied), the baseline's metrics, and
 * the artifact files. Throws INVALID_PARAMETER_VALUE (naming the column, row or shape) before anything is
 * logged; `signal` cancels between steps (CANCELLED via AbortSignal's reason).
 */
export async function prepareEvaluation(options: EvaluateComputeOptions, ctx: PrepareContext = {}): Promise<PreparedEvaluation> {
  checkEvaluateOptions(options)
  const progress = (stage: EvaluationProgress['stage'], fraction: number) => ctx.onProgress?.({ stage, fraction })
  progress('data', 0)
  const table = await loadEvaluationData(options.data)
  const targets = requireColumn(table, options.targets, 'targets')
  checkTargets(targets, options)
  if (options.predictions) requireColumn(table, options.predictions, 'predictions')
  ctx.signal?.throwIfAborted()
  progress('predict', 0.1)

  const made: ModelPredictions = options.model !== undefined && options.model !== null
    ? await predict(options.model, table, options, ctx, { stage: 'predict', start: 0.1, end: 0.5 })
    : { predictions: table.values[options.predictions!] as ArrayLike<Label>, modelUuid: null }
  ctx.signal?.throwIfAborted()

  let baselineModelMetrics: Record<string, number> | undefined
  if (options.baselineModel !== undefined) {
    progress('baseline', 0.5)
    const base = await predict(options.baselineModel, table, options, ctx, { stage: 'baseline', start: 0.5, end: 0.6 })
    baselineModelMetrics = compute(options, targets as ArrayLike<Label>, base).metrics
    ctx.signal?.throwIfAborted()
  }

  progress('metrics', 0.6)
  const output = compute(options, targets as ArrayLike<Label>, made)
  ctx.signal?.throwIfAborted()

  progress('plots', 0.75)
  const prefix = resolveConfig(options.evaluatorConfig).metricPrefix
  const featureNames = featureColumnNames(table, [options.targets, ...(options.predictions ? [options.predictions] : [])], options.featureNames)
  const resultsTable = options.logEvalResultsTable === false ? undefined : evalResultsTable(table, featureNames,
    { name: options.targets, values: targets }, { name: options.predictions ?? 'outputs', values: made.predictions })
  const built = await buildEvalArtifacts(output, prefix, resultsTable, (done, total) => progress('plots', 0.75 + 0.15 * (done / total)))
  const renderer = pngRenderer()
  const warnings = [...output.warnings]
  if (renderer === 'raster' && Object.keys(output.figures).length) {
    warnings.push('No OffscreenCanvas here (Node): the PNG plots were drawn without words (numbers only); the plotly JSON files hold the full figures.')
  }
  ctx.signal?.throwIfAborted()
  return {
    metrics: output.metrics,
    ...(baselineModelMetrics ? { baselineModelMetrics } : {}),
    ...built,
    dataset: describeDataset(table, options.datasetName),
    modelUuid: made.modelUuid,
    warnings,
    pngRenderer: renderer,
  }
}
