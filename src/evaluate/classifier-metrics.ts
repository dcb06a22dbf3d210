/**
 * Label-based classifier metrics on class-index arrays, as scikit-learn 1.2.1 defines them: confusion
 * matrix, accuracy, precision/recall/f1 with every `average`, zero_division="warn" (0.0), and log_loss.
 */
import { invalidParameter } from '../core/errors.ts'
import { npAverage, npSum } from './numpy-sum.ts'
import type { Average } from './types.ts'

/** Float64 machine epsilon, sklearn 1.2.1's `eps="auto"` for float64 probabilities. */
export const EPS = 2.220446049250313e-16

/** Per-class sums (weights, or counts when unweighted), each added up in row order like `np.bincount`. */
export interface ClassSums {
  /** Rows with target c predicted as c. */
  tp: Float64Array
  /** Rows predicted as c. */
  pred: Float64Array
  /** Rows whose target is c. */
  true: Float64Array
  /** 1 when class c occurs among targets or predictions (whatever the weights). */
  present: Uint8Array
}

/** Per-class true-positive, predicted and true sums in one pass. */
export function classSums(yTrue: Int32Array, yPred: Int32Array, k: number, weights?: ArrayLike<number> | null): ClassSums {
  const tp = new Float64Array(k), pred = new Float64Array(k), tru = new Float64Array(k), present = new Uint8Array(k)
  for (let i = 0; i < yTrue.length; i++) {
    const t = yTrue[i]!, p = yPred[i]!, w = weights ? weights[i]! : 1
    tru[t]! += w
    pred[p]! += w
    if (t === p) tp[t]! += w
    present[t] = 1
    present[p] = 1
  }
  return { tp, pred, true: tru, present }
}

/**
 * `sklearn.metrics.confusion_matrix` over classes 0..k-1 in the order of `order` (default 0..k-1):
 * row = true class, column = predicted class, entries summed in row order. Row-major k×k.
 */
export function confusionMatrix(yTrue: Int32Array, yPred: Int32Array, k: number, weights?: ArrayLike<number> | null, order?: readonly number[]): Float64Array {
  const cm = new Float64Array(k * k)
  const pos = new Int32Array(k)
  for (let c = 0; c < k; c++) pos[order ? order[c]! : c] = c
  for (let i = 0; i < yTrue.length; i++) cm[pos[yTrue[i]!]! * k + pos[yPred[i]!]!]! += weights ? weights[i]! : 1
  return cm
}

/** Divides each row by its sum (`normalize="true"`); rows summing to 0 become 0 (sklearn's nan_to_num). */
export function normalizeRows(cm: Float64Array, k: number): Float64Array {
  const out = new Float64Array(k * k)
  for (let r = 0; r < k; r++) {
    const s = npSum(cm, r * k, k)
    for (let c = 0; c < k; c++) {
      const v = cm[r * k + c]! / s
      out[r * k + c] = Number.isFinite(v) ? v : 0
    }
  }
  return out
}

/** `accuracy_score`: (weighted) fraction of rows predicted right. */
export function accuracy(yTrue: Int32Array, yPred: Int32Array, weights?: ArrayLike<number> | null): number {
  const n = yTrue.length
  if (!weights) {
    let right = 0
    for (let i = 0; i < n; i++) if (yTrue[i] === yPred[i]) right++
    return right / n
  }
  const hit = new Float64Array(n)
  for (let i = 0; i < n; i++) hit[i] = yTrue[i] === yPred[i] ? 1 : 0
  return npAverage(hit, weights)
}

/** Precision, recall and F1 of one averaging, plus sklearn's UndefinedMetricWarning texts. */
export interface PrfResult { precision: number; recall: number; f1: number; warnings: string[] }

function warnText(metric: string, modifier: string, many: boolean): string {
  return `${metric} ill-defined and being set to 0.0 ${many ? 'in labels with' : 'due to'} no ${modifier} samples. Use \`zero_division\` parameter to control this behavior.`
}

/**
 * sklearn's `precision_recall_fscore_support` + averaging, as `precision_score`, `recall_score` and
 * `f1_score` (zero_division="warn": an undefined ratio is 0.0).
 * - `binary`: only class `posIndex` (must be a two-class problem).
 * - `micro`/`macro`/`weighted`: over the classes present in targets or predictions (sklearn's
 *   `unique_labels`), not over absent classes of a given label list.
 */
export function precisionRecallF1(sums: ClassSums, average: Average, posIndex = -1): PrfResult {
  const k = sums.tp.length
  let labels: number[]
  if (average === 'binary') {
    if (k > 2 || posIndex < 0) {
      throw invalidParameter("Target is multiclass but average='binary'. Please choose another average setting, one of [None, 'micro', 'macro', 'weighted'].")
    }
    labels = [posIndex]
  } else if (average === 'micro' || average === 'macro' || average === 'weighted') {
    labels = []
    for (let c = 0; c < k; c++) if (sums.present[c]) labels.push(c)
  } else {
    throw invalidParameter(`average has to be one of ('micro', 'macro', 'weighted', 'binary'), got ${JSON.stringify(average)}.`)
  }
  const L = labels.length
  let tp = new Float64Array(L), predSum = new Float64Array(L), trueSum = new Float64Array(L)
  for (let q = 0; q < L; q++) {
    const c = labels[q]!, t = sums.tp[c]!
    tp[q] = t
    predSum[q] = t + (sums.pred[c]! - t) // sklearn rebuilds these from the multilabel confusion matrix
    trueSum[q] = t + (sums.true[c]! - t)
  }
  if (average === 'micro') {
    tp = Float64Array.of(npSum(tp)); predSum = Float64Array.of(npSum(predSum)); trueSum = Float64Array.of(npSum(trueSum))
  }
  const m = tp.length
  const precision = new Float64Array(m), recall = new Float64Array(m), f1 = new Float64Array(m)
  const warnings: string[] = []
  let noPred = false, noTrue = false, neither = false
  for (let q = 0; q < m; q++) {
    if (predSum[q] === 0) noPred = true; else precision[q] = tp[q]! / predSum[q]!
    if (trueSum[q] === 0) noTrue = true; else recall[q] = tp[q]! / trueSum[q]!
    if (predSum[q] === 0 && trueSum[q] === 0) neither = true
    const p = precision[q]!, r = recall[q]!
    const denom = p + r === 0 ? 1 : p + r
    f1[q] = 2 * p * r / denom
  }
  if (noPred) warnings.push(warnText('Precision is', 'predicted', m > 1))
  if (noTrue) warnings.push(warnText('Recall is', 'true', m > 1))
  if (neither) warnings.push(warnText('F-score is', 'true nor predicted', m > 1))
  if (average === 'weighted') {
    // No true weight at all: sklearn returns zero_division (0.0) for all three.
    if (npSum(trueSum) === 0) return { precision: 0, recall: 0, f1: 0, warnings }
    return { precision: npAverage(precision, trueSum), recall: npAverage(recall, trueSum), f1: npAverage(f1, trueSum), warnings }
  }
  return { precision: npAverage(precision, null), recall: npAverage(recall, null), f1: npAverage(f1, null), warnings }
}

/**
 * sklearn 1.2.1 `log_loss` with `labels` = all k classes: each probability clipped to [ε, 1−ε], each row
 * divided by its sum, mean (or weighted mean) of −log p(true class).
 * @param probs column-major probabilities: class c of row i at `probs[c * n + i]`, classes in label order
 */
export function logLoss(yTrue: Int32Array, probs: Float64Array, k: number, weights?: ArrayLike<number> | null): number {
  const n = yTrue.length
  const row = new Float64Array(k)
  const loss = new Float64Array(n)
  const hi = 1 - EPS
  for (let i = 0; i < n; i++) {
    let s = 0
    for (let c = 0; c < k; c++) {
      const p = probs[c * n + i]!
      const q = p < EPS ? EPS : p > hi ? hi : p
      row[c] = q
      s += q
    }
    if (k >= 8) s = npSum(row, 0, k) // numpy adds 8 or more values pairwise; fewer left to right
    loss[i] = -Math.log(row[yTrue[i]!]! / s)
  }
  return npAverage(loss, weights)
}
