/**
 * The classifier half of MLflow's default evaluator: which metrics, figures and tables it produces for a
 * binary or multiclass problem, with or without probabilities, and what it leaves out when undefined.
 */
import { invalidParameter } from '../core/errors.ts'
import { calibrationCurve, type CalibrationCurve } from './calibration-curve.ts'
import { accuracy, classSums, confusionMatrix, logLoss, normalizeRows, precisionRecallF1 } from './classifier-metrics.ts'
import type { ResolvedConfig } from './inputs.ts'
import type { LabelSetup } from './labels.ts'
import { liftCurve } from './lift-curve.ts'
import { npSum } from './numpy-sum.ts'
import { perClassMetricsRows } from './per-class-metrics.ts'
import {
  binaryCalibrationFigure, confusionMatrixFigure, liftCurveFigure, multiclassCalibrationFigure, precisionRecallFigure,
  rocCurveFigure, thin, type CurveSeries,
} from './plots.ts'
import { auc, averageClassScores, averagePrecision, binaryClfCurve, precisionRecallCurve, rocCurve } from './ranking.ts'
import type { PlotlyFigure, TableRow } from './types.ts'

/** Built-in classifier results before prefixing. */
export interface ClassifierResult {
  metrics: Record<string, number>
  figures: Record<string, PlotlyFigure>
  tables: Record<string, TableRow[]>
}

/** AUCs of one one-vs-rest (or the binary) score column, and its curves thinned for the figures. */
interface ScoreCurves { roc: { x: number[]; y: number[] } | null; rocAuc: number; pr: { x: number[]; y: number[] }; ap: number }

/** Class c's probabilities (column-major storage: a view, no copy). */
function column(probs: Float64Array, n: number, c: number): Float64Array {
  return probs.subarray(c * n, (c + 1) * n)
}

function flags(codes: Int32Array, c: number): Uint8Array {
  const f = new Uint8Array(codes.length)
  for (let i = 0; i < codes.length; i++) f[i] = codes[i] === c ? 1 : 0
  return f
}

function scoreCurves(scores: Float64Array, positive: Uint8Array, weights: Float64Array | null, maxPoints: number, warn: (m: string) => void): ScoreCurves {
  const clf = binaryClfCurve(scores, positive, weights)
  let roc: ScoreCurves['roc'] = null
  let rocAuc = NaN
  if (clf.positives > 0 && clf.negatives > 0) {
    const r = rocCurve(clf, true, warn)
    rocAuc = auc(r.fpr, r.tpr)
    roc = thin(r.fpr, r.tpr, maxPoints)
  }
  const pr = precisionRecallCurve(clf, warn)
  return { roc, rocAuc, pr: thin(pr.recall, pr.precision, maxPoints), ap: averagePrecision(pr) }
}

/** True when every row sums to 1 within numpy's `allclose` tolerance (sklearn's multiclass roc_auc check). */
function rowsSumToOne(probs: Float64Array, n: number, k: number): boolean {
  const row = new Float64Array(k)
  for (let i = 0; i < n; i++) {
    for (let c = 0; c < k; c++) row[c] = probs[c * n + i]!
    const s = npSum(row, 0, k)
    if (!(Math.abs(1 - s) <= 1e-8 + 1e-5 * Math.abs(s))) return false
  }
  return true
}

function calibration(scores: Float64Array, positive: Uint8Array, nBins: number, warn: (m: string) => void): CalibrationCurve | null {
  try {
    return calibrationCurve(scores, positive, nBins)
  } catch (e) {
    warn(`No calibration_curve_plot: ${(e as Error).message}`)
    return null
  }
}

/**
 * Metrics, figures and the per-class table for a classifier, as MLflow 2.17's default evaluator:
 * - binary: TN/FP/FN/TP (unweighted, over the sorted labels), example_count, accuracy_score, recall/
 *   precision/f1 (`average="binary"`, `pos_label`), and with probabilities log_loss, roc_auc and
 *   precision_recall_auc (average precision) of the positive label's column;
 * - multiclass: example_count, accuracy_score, recall/precision/f1 with `average`, log_loss, and roc_auc
 *   (one-vs-rest) when `average` is macro or weighted;
 * - undefined metrics (roc_auc with one class in the targets) are left out with a warning.
 */
export function evaluateClassifier(
  setup: LabelSetup, probs: Float64Array | null, weights: Float64Array | null, config: ResolvedConfig, warnings: string[],
): ClassifierResult {
  const warn = (m: string) => { if (!warnings.includes(m)) warnings.push(m) }
  const { yTrue, yPred, sorted, isBinary, posIndex } = setup
  const n = yTrue.length, k = sorted.length
  const counts = classSums(yTrue, yPred, k)
  const sums = weights ? classSums(yTrue, yPred, k, weights) : counts
  const metrics: Record<string, number> = {}
  const figures: Record<string, PlotlyFigure> = {}
  const tables: Record<string, TableRow[]> = {}
  const maxPoints = config.maxCurvePoints

  if (isBinary) {
    const tp = counts.tp[1]!, fp = counts.pred[1]! - tp, fn = counts.true[1]! - tp
    metrics.true_negatives = n - tp - fp - fn
    metrics.false_positives = fp
    metrics.false_negatives = fn
    metrics.true_positives = tp
  }
  metrics.example_count = n
  metrics.accuracy_score = accuracy(yTrue, yPred, weights)
  const prf = precisionRecallF1(sums, isBinary ? 'binary' : config.average, posIndex)
  prf.warnings.forEach(warn)
  metrics.recall_score = prf.recall
  metrics.precision_score = prf.precision
  metrics.f1_score = prf.f1
  if (probs) metrics.log_loss = logLoss(yTrue, probs, k, weights)

  if (isBinary && probs) {
    const scores = column(probs, n, posIndex)
    const positive = flags(yTrue, posIndex)
    const curves = scoreCurves(scores, positive, weights, maxPoints, warn)
    if (curves.roc) metrics.roc_auc = curves.rocAuc
    else warn('roc_auc left out: Only one class present in y_true. ROC AUC score is not defined in that case.')
    metrics.precision_recall_auc = curves.ap
    if (curves.roc) figures.roc_curve_plot = rocCurveFigure([{ ...curves.roc, area: curves.rocAuc }], setup.posLabel, maxPoints)
    figures.precision_recall_curve_plot = precisionRecallFigure([{ ...curves.pr, area: curves.ap }], setup.posLabel, maxPoints)
    if (counts.true[0]! > 0 && counts.true[1]! > 0) {
      const lifts = [0, 1].map((c) => liftCurve(column(probs, n, c), c === posIndex ? positive : flags(yTrue, c)))
      figures.lift_curve_plot = liftCurveFigure([sorted[0]!, sorted[1]!], [lifts[0]!, lifts[1]!], maxPoints)
    } else {
      warn('No lift_curve_plot: Cannot calculate Lift Curve for data with 1 category/ies')
    }
    const cal = calibration(scores, positive, config.calibrationNBins, warn)
    if (cal) figures.calibration_curve_plot = binaryCalibrationFigure(cal, setup.posLabel!, config.calibrationClassifierName)
  }

  let perClassCurves: ScoreCurves[] | null = null
  if (!isBinary && probs) {
    const wantRoc = config.average === 'macro' || config.average === 'weighted'
    const drawCurves = k <= config.maxClassesForMulticlassRocPr
    if (wantRoc && !rowsSumToOne(probs, n, k)) {
      throw invalidParameter('Target scores need to be probabilities for multiclass roc_auc, i.e. they should sum up to 1.0 over classes')
    }
    const classFlags = Array.from({ length: k }, (_, c) => flags(yTrue, c))
    if (wantRoc || drawCurves) {
      perClassCurves = []
      for (let c = 0; c < k; c++) perClassCurves.push(scoreCurves(column(probs, n, c), classFlags[c]!, weights, maxPoints, warn))
    }
    if (wantRoc && perClassCurves) {
      const missing = sorted.filter((_, c) => counts.true[c] === 0)
      if (missing.length) {
        warn(`roc_auc left out: labels ${JSON.stringify(missing)} never occur in the targets, so their one-vs-rest ROC AUC is not defined (sklearn: Number of classes in y_true not equal to the number of columns in 'y_score').`)
      } else {
        metrics.roc_auc = averageClassScores(perClassCurves.map((s) => s.rocAuc), sums.true, config.average as 'macro' | 'weighted')
      }
    }
    if (!drawCurves) {
      warn(`The classifier num_classes > ${config.maxClassesForMulticlassRocPr}, skip logging ROC curve and Precision-Recall curve. You can add evaluator config 'max_classes_for_multiclass_roc_pr' to increase the threshold.`)
    }
    if (drawCurves && perClassCurves) {
      const roc: CurveSeries[] = [], pr: CurveSeries[] = []
      perClassCurves.forEach((s, c) => {
        if (s.roc) roc.push({ classLabel: sorted[c]!, ...s.roc, area: s.rocAuc })
        pr.push({ classLabel: sorted[c]!, ...s.pr, area: s.ap })
      })
      figures.roc_curve_plot = rocCurveFigure(roc, setup.posLabel, maxPoints)
      figures.precision_recall_curve_plot = precisionRecallFigure(pr, setup.posLabel, maxPoints)
    }
    const cals: CalibrationCurve[] = []
    for (let c = 0; c < k; c++) {
      const cal = calibration(column(probs, n, c), classFlags[c]!, config.calibrationNBins, warn)
      if (!cal) break
      cals.push(cal)
    }
    if (cals.length === k) figures.calibration_curve_plot = multiclassCalibrationFigure(cals, sorted, config.calibrationClassifierName)
  }

  if (!isBinary) {
    const draw = perClassCurves && k <= config.maxClassesForMulticlassRocPr
    tables.per_class_metrics = perClassMetricsRows(sorted, yTrue, yPred, counts, weights ? sums : null, weights,
      draw ? { rocAuc: perClassCurves!.map((s) => s.rocAuc), averagePrecision: perClassCurves!.map((s) => s.ap) } : undefined, warnings)
  }

  const order = setup.labelList.map((l) => sorted.indexOf(l))
  const cm = confusionMatrix(yTrue, yPred, k, weights, order)
  figures.confusion_matrix = confusionMatrixFigure(cm, normalizeRows(cm, k), setup.labelList)
  return { metrics, figures, tables }
}
