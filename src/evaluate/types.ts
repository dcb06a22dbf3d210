/**
 * Shared types of the evaluate computation: labels, evaluator config, inputs, figures, tables and the result.
 * Names mirror MLflow's default evaluator (`mlflow.evaluate`, §7 of docs/mlflow-compat.md).
 */

/** A class label: all labels of one evaluation are numbers (integers) or all are strings. */
export type Label = number | string

/** The averaging sklearn applies to multiclass precision, recall and f1 (MLflow's `average`). */
export type Average = 'micro' | 'macro' | 'weighted' | 'binary'

/**
 * MLflow's `evaluator_config` in camelCase. The MLflow snake_case spellings (`label_list`,
 * `pos_label`, `metric_prefix`, `sample_weights`, ...) are accepted too; camelCase wins when both are given.
 */
export interface EvaluatorConfig {
  /** Class labels; sorted ascending whatever order is given. Default: sorted distinct targets ∪ predictions. */
  labelList?: readonly Label[]
  /** Positive class of a binary problem. Default: the largest label. */
  posLabel?: Label
  /** Multiclass averaging of precision/recall/f1 (and roc_auc when macro or weighted). Default `weighted`. */
  average?: Average
  /** Prefix of every metric name (and of the PNG file names MLflow would write). Default `''`. */
  metricPrefix?: string
  /** Per-row weights, as sklearn's `sample_weight`. */
  sampleWeights?: ArrayLike<number>
  /** Above this many classes no multiclass ROC/PR figures and no per-class AUC columns. Default 10. */
  maxClassesForMulticlassRocPr?: number
  /** Bins of the calibration curve. Default 10. */
  calibrationNBins?: number
  /** Classifier name in the calibration figure. */
  calibrationClassifierName?: string
  /** Lablog only: most points one curve trace of a figure keeps (metrics always use every row). Default 2000. */
  maxCurvePoints?: number
  /** Lablog only: also return a `residuals_plot` figure for regressors (MLflow logs none). Default false. */
  logResidualsPlot?: boolean
  /** Other keys (MLflow's SHAP options and so on) are accepted and ignored. */
  [key: string]: unknown
}

/** A row-major probability matrix, e.g. a tfjs tensor's `dataSync()` with its shape. */
export interface ProbabilityMatrix {
  data: ArrayLike<number>
  rows: number
  cols: number
}

/**
 * Class probabilities: one row per example with one column per label in ascending label order
 * (as sklearn's `predict_proba` and `classes_`), or, for a binary problem, a 1-D array with the
 * positive label's probability.
 */
export type ProbabilitiesInput = ArrayLike<ArrayLike<number>> | ProbabilityMatrix | ArrayLike<number>

/** The value an extra metric returns: a number, aggregates by name, or nothing (then it is not logged). */
export type ExtraMetricValue = number | Record<string, number> | null | undefined

/** A custom metric, as `mlflow.models.make_metric(eval_fn, greater_is_better, name)`. */
export interface ExtraMetric {
  name: string
  /** Called with the predictions, the targets and the built-in metrics (unprefixed names). */
  fn: (predictions: readonly Label[], targets: readonly Label[], metrics: Readonly<Record<string, number>>) => ExtraMetricValue
  greaterIsBetter: boolean
  /** When set, the metric is logged as `name/version`. */
  version?: string
}

/** Everything `computeEvaluation` needs; the predictions were already made by the model. */
export interface EvaluationInput {
  modelType: 'classifier' | 'regressor'
  targets: ArrayLike<Label>
  predictions: ArrayLike<Label>
  probabilities?: ProbabilitiesInput
  evaluatorConfig?: EvaluatorConfig
  extraMetrics?: readonly ExtraMetric[]
  /**
   * Also emit `score` the way an sklearn model's `.score()` would (accuracy for a classifier, R² for a
   * regressor). MLflow logs `score` only for sklearn-flavor models. Default false.
   */
  includeScore?: boolean
  /** Names used in error messages for the two columns. Default `targets` and `predictions`. */
  columnNames?: { targets?: string; predictions?: string }
}

/** One trace of a plotly figure (plain JSON: arrays, strings, numbers). */
export type PlotlyTrace = Record<string, unknown>

/** A plotly figure as JSON, ready for `Plotly.newPlot(el, fig.data, fig.layout)`. */
export interface PlotlyFigure {
  data: PlotlyTrace[]
  layout: Record<string, unknown>
}

/** One row of an artifact table (e.g. `per_class_metrics`), keys in column order. */
export type TableRow = Record<string, number | string>

/** What `computeEvaluation` returns. */
export interface EvaluationOutput {
  /** Metric name (with the prefix) → value, as MLflow logs them (counts are plain numbers). */
  metrics: Record<string, number>
  /** MLflow artifact name (`confusion_matrix`, `roc_curve_plot`, ...) → figure. PNG name: prefix + name + `.png`. */
  figures: Record<string, PlotlyFigure>
  /** `per_class_metrics` for multiclass (its CSV name carries no prefix). */
  tables: Record<string, TableRow[]>
  /** What sklearn would have warned about, and metrics left out because they are undefined for this data. */
  warnings: string[]
}
