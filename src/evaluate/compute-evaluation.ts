/**
 * `computeEvaluation`: the pure core of `mlflow.evaluate()`'s default evaluator. Given targets, the model's
 * predictions (and probabilities), it returns MLflow's metrics, figures and tables; no I/O, no store.
 */
import { invalidParameter } from '../core/errors.ts'
import { evaluateClassifier } from './classifier-evaluation.ts'
import { numericColumn, probabilityMatrix, resolveConfig, sampleWeights } from './inputs.ts'
import { resolveLabels } from './labels.ts'
import { residualsFigure } from './plots.ts'
import { regressorMetrics } from './regressor-metrics.ts'
import type { EvaluationInput, EvaluationOutput, ExtraMetric, Label } from './types.ts'

/**
 * Names under which an extra metric's value is logged, as MLflow's `_update_aggregate_metrics` does: a
 * number is logged as `name` (`name/version` when versioned); an aggregate `agg` as `name/agg`, or as
 * `name` when `agg` equals the name. With a prefix MLflow prefixes both the metric and its aggregate
 * names (`p_name/p_mean`); that quirk is kept.
 */
function extraMetricEntries(metric: ExtraMetric, value: number | Record<string, number>, prefix: string): [string, number][] {
  const name = prefix + (metric.version ? `${metric.name}/${metric.version}` : metric.name)
  if (typeof value === 'number') return [[name, value]]
  const out: [string, number][] = []
  for (const [agg, v] of Object.entries(value)) {
    if (v === null || v === undefined) continue
    const key = prefix + agg
    out.push([key === name.split('/')[0] ? name : `${name}/${key}`, v])
  }
  return out
}

/**
 * Computes what MLflow's default evaluator logs for a classifier or regressor.
 *
 * - Classifier: label list, binary/multiclass and positive label as MLflow resolves them; label metrics
 *   always; `log_loss`, `roc_auc`, `precision_recall_auc` (binary) only when probabilities are given.
 *   Figures: `confusion_matrix` always; with probabilities `roc_curve_plot`, `precision_recall_curve_plot`,
 *   `lift_curve_plot` (binary), `calibration_curve_plot`. Multiclass adds the `per_class_metrics` table.
 * - Regressor: MLflow's nine regressor metrics; no figures (a `residuals_plot` with `logResidualsPlot`).
 * - `score` only with `includeScore` (MLflow logs it for sklearn models only).
 * - Extra metrics run after the built-ins and get the built-in values (unprefixed).
 * - `metricPrefix` prefixes every metric name; figure and table keys stay unprefixed.
 *
 * Bad input (NaN, missing or mixed-type labels, wrong lengths or shapes, labels outside `labelList`,
 * an unknown `posLabel` or `average`, fewer than two labels) is INVALID_PARAMETER_VALUE.
 */
export function computeEvaluation(input: EvaluationInput): EvaluationOutput {
  const config = resolveConfig(input.evaluatorConfig)
  const columns = { targets: input.columnNames?.targets ?? 'targets', predictions: input.columnNames?.predictions ?? 'predictions' }
  const { targets, predictions } = input
  if (!targets || typeof targets.length !== 'number') throw invalidParameter(`'${columns.targets}' must be an array.`)
  if (!predictions || typeof predictions.length !== 'number') throw invalidParameter(`'${columns.predictions}' must be an array.`)
  const warnings: string[] = []
  let builtIn: Record<string, number>
  let figures: EvaluationOutput['figures'] = {}
  let tables: EvaluationOutput['tables'] = {}

  if (input.modelType === 'classifier') {
    const setup = resolveLabels(targets, predictions, { labelList: config.labelList, posLabel: config.posLabel, columns })
    const n = setup.yTrue.length
    const weights = sampleWeights(config.sampleWeights, n)
    const probs = input.probabilities === undefined || input.probabilities === null
      ? null
      : probabilityMatrix(input.probabilities, n, setup.sorted.length, setup.posIndex)
    const result = evaluateClassifier(setup, probs, weights, config, warnings)
    builtIn = input.includeScore ? { score: result.metrics.accuracy_score!, ...result.metrics } : result.metrics
    figures = result.figures
    tables = result.tables
  } else if (input.modelType === 'regressor') {
    if (targets.length !== predictions.length) {
      throw invalidParameter(`'${columns.targets}' has ${targets.length} rows but '${columns.predictions}' has ${predictions.length}.`)
    }
    if (targets.length === 0) throw invalidParameter('The evaluation dataset is empty.')
    const y = numericColumn(targets, columns.targets)
    const yHat = numericColumn(predictions, columns.predictions)
    const weights = sampleWeights(config.sampleWeights, y.length)
    const m = regressorMetrics(y, yHat, weights)
    if (y.length < 2) warnings.push('R^2 score is not well-defined with less than two samples.')
    builtIn = { ...(input.includeScore ? { score: m.r2_score } : {}), ...m }
    if (config.logResidualsPlot) figures.residuals_plot = residualsFigure(y, yHat)
  } else {
    throw invalidParameter(`model_type must be 'classifier' or 'regressor', got ${JSON.stringify(input.modelType)}.`)
  }

  const prefix = config.metricPrefix
  const metrics: Record<string, number> = {}
  for (const [name, value] of Object.entries(builtIn)) metrics[prefix + name] = value
  if (input.extraMetrics?.length) {
    const preds: Label[] = Array.from(predictions)
    const targs: Label[] = Array.from(targets)
    for (const metric of input.extraMetrics) {
      const value = metric.fn(preds, targs, { ...builtIn })
      if (value === null || value === undefined) continue
      if (typeof value !== 'number' && typeof value !== 'object') {
        throw invalidParameter(`Extra metric '${metric.name}' returned ${typeof value}; return a number or a record of numbers.`)
      }
      for (const [name, v] of extraMetricEntries(metric, value, prefix)) metrics[name] = v
    }
  }
  return { metrics, figures, tables, warnings }
}
