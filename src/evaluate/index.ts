/**
 * Public surface of Lablog's evaluate computation (MLflow default-evaluator metrics, curves, figures).
 */
export { computeEvaluation } from './compute-evaluation.ts'
export type {
  Average, EvaluationInput, EvaluationOutput, EvaluatorConfig, ExtraMetric, ExtraMetricValue, Label, PlotlyFigure,
  PlotlyTrace, ProbabilitiesInput, ProbabilityMatrix, TableRow,
} from './types.ts'
export { compareLabels, resolveLabels, type LabelSetup } from './labels.ts'
export {
  EPS, accuracy, classSums, confusionMatrix, logLoss, normalizeRows, precisionRecallF1, type ClassSums, type PrfResult,
} from './classifier-metrics.ts'
export {
  auc, averageClassScores, averagePrecision, binaryClfCurve, precisionRecallCurve, rocAucFromCurve, rocCurve,
  type ClfCurve, type PrCurve, type RocCurve,
} from './ranking.ts'
export { liftCurve, type LiftCurve } from './lift-curve.ts'
export { calibrationCurve, type CalibrationCurve } from './calibration-curve.ts'
export { r2Score, regressorMetrics, type RegressorMetrics } from './regressor-metrics.ts'
export { PER_CLASS_COUNT_COLUMNS, perClassMetricsCsv, perClassMetricsRows, pyFloatRepr } from './per-class-metrics.ts'
export {
  DEFAULT_MAX_CURVE_POINTS, binaryCalibrationFigure, confusionMatrixFigure, liftCurveFigure, multiclassCalibrationFigure,
  precisionRecallFigure, pyFixed, pyG2, residualsFigure, rocCurveFigure, thin, type CurveSeries,
} from './plots.ts'
export { npAverage, npMean, npSum } from './numpy-sum.ts'
export { sortFloat64 } from './radix-sort.ts'
