/**
 * Score-ranking metrics of one binary problem, as scikit-learn 1.2.1 computes them: the threshold curve
 * (`_binary_clf_curve`), ROC curve (drop_intermediate) and its trapezoid AUC, PR curve, average precision.
 */
import { invalidParameter } from '../core/errors.ts'
import { npAverage, npMean, npSum } from './numpy-sum.ts'
import { sortFloat64 } from './radix-sort.ts'

/** Cumulative false/true positive counts (or weights) at each distinct score, scores descending. */
export interface ClfCurve {
  fps: Float64Array
  tps: Float64Array
  thresholds: Float64Array
  /** Rows with a positive / negative target (before dropping zero weights), for the one-class checks. */
  positives: number
  negatives: number
}

/** Points of a ROC curve: false positive rate, true positive rate, thresholds (first = highest + 1). */
export interface RocCurve { fpr: Float64Array; tpr: Float64Array; thresholds: Float64Array }

/** Points of a precision-recall curve in sklearn's order (recall decreasing; last point (0, 1)). */
export interface PrCurve { precision: Float64Array; recall: Float64Array; thresholds: Float64Array }

/**
 * sklearn's `_binary_clf_curve`: for each distinct score, from the highest down, how many negatives (fps)
 * and positives (tps) score at least that much. Weighted sums run in sklearn's order (score descending,
 * later rows first among ties); rows of weight 0 are dropped first, as sklearn does.
 * @param scores score of each row (finite)
 * @param positive 1 where the row's target is the positive class, else 0
 */
export function binaryClfCurve(scores: ArrayLike<number>, positive: ArrayLike<number>, weights?: ArrayLike<number> | null): ClfCurve {
  const n = scores.length
  let positives = 0
  for (let i = 0; i < n; i++) positives += positive[i] ? 1 : 0
  const negatives = n - positives
  let nPos = 0, nNeg = 0
  for (let i = 0; i < n; i++) {
    if (weights && weights[i] === 0) continue
    if (positive[i]) nPos++; else nNeg++
  }
  const pos = new Float64Array(nPos), neg = new Float64Array(nNeg)
  const posW = weights ? new Float64Array(nPos) : null, negW = weights ? new Float64Array(nNeg) : null
  for (let i = 0, a = 0, b = 0; i < n; i++) {
    if (weights && weights[i] === 0) continue
    if (positive[i]) { pos[a] = scores[i]!; if (posW) posW[a] = weights![i]!; a++ } else { neg[b] = scores[i]!; if (negW) negW[b] = weights![i]!; b++ }
  }
  sortFloat64(pos, posW)
  sortFloat64(neg, negW)
  const cap = nPos + nNeg
  const fps = new Float64Array(cap), tps = new Float64Array(cap), thresholds = new Float64Array(cap)
  let i = nPos - 1, j = nNeg - 1, m = 0, tp = 0, fp = 0
  while (i >= 0 || j >= 0) {
    const v = i < 0 ? neg[j]! : j < 0 ? pos[i]! : Math.max(pos[i]!, neg[j]!)
    while (i >= 0 && pos[i] === v) { tp += posW ? posW[i]! : 1; i-- }
    while (j >= 0 && neg[j] === v) { fp += negW ? negW[j]! : 1; j-- }
    fps[m] = fp; tps[m] = tp; thresholds[m] = v; m++
  }
  return { fps: fps.slice(0, m), tps: tps.slice(0, m), thresholds: thresholds.slice(0, m), positives, negatives }
}

/**
 * sklearn 1.2.1 `roc_curve`: with `dropIntermediate`, drops points collinear with their neighbours
 * (second differences of fps and tps both zero), then prepends (0, 0) with threshold `thresholds[0] + 1`.
 * A rate whose denominator is zero is NaN throughout (sklearn warns); `warn` receives the message.
 */
export function rocCurve(curve: ClfCurve, dropIntermediate = true, warn?: (msg: string) => void): RocCurve {
  const { fps, tps, thresholds } = curve
  const m = fps.length
  const keep: number[] = []
  if (dropIntermediate && m > 2) {
    keep.push(0)
    for (let i = 1; i < m - 1; i++) {
      const df = (fps[i + 1]! - fps[i]!) - (fps[i]! - fps[i - 1]!)
      const dt = (tps[i + 1]! - tps[i]!) - (tps[i]! - tps[i - 1]!)
      if (df !== 0 || dt !== 0) keep.push(i)
    }
    keep.push(m - 1)
  } else {
    for (let i = 0; i < m; i++) keep.push(i)
  }
  const len = keep.length + 1
  const fpr = new Float64Array(len), tpr = new Float64Array(len), thr = new Float64Array(len)
  const lastF = m ? fps[m - 1]! : 0, lastT = m ? tps[m - 1]! : 0
  thr[0] = m ? thresholds[0]! + 1 : Infinity
  if (lastF <= 0) warn?.('No negative samples in y_true, false positive value should be meaningless')
  if (lastT <= 0) warn?.('No positive samples in y_true, true positive value should be meaningless')
  fpr[0] = lastF <= 0 ? NaN : 0
  tpr[0] = lastT <= 0 ? NaN : 0
  for (let q = 0; q < keep.length; q++) {
    const i = keep[q]!
    fpr[q + 1] = lastF <= 0 ? NaN : fps[i]! / lastF
    tpr[q + 1] = lastT <= 0 ? NaN : tps[i]! / lastT
    thr[q + 1] = thresholds[i]!
  }
  return { fpr, tpr, thresholds: thr }
}

/** sklearn `auc(x, y)`: trapezoid area (`np.trapz`), x monotonic in either direction. */
export function auc(x: ArrayLike<number>, y: ArrayLike<number>): number {
  const n = x.length
  if (n < 2 || y.length !== n) throw invalidParameter(`At least 2 points are needed to compute area under curve, but x.shape = ${n}`)
  let decreasing = false, increasing = false
  for (let i = 1; i < n; i++) {
    const d = x[i]! - x[i - 1]!
    if (d < 0) decreasing = true
    else if (d > 0) increasing = true
  }
  if (decreasing && increasing) throw invalidParameter('x is neither increasing nor decreasing.')
  const terms = new Float64Array(n - 1)
  for (let i = 0; i < n - 1; i++) terms[i] = (x[i + 1]! - x[i]!) * (y[i + 1]! + y[i]!) / 2.0
  return (decreasing ? -1 : 1) * npSum(terms)
}

/** `roc_auc_score` of one binary problem; NaN when y_true holds only one class (sklearn raises). */
export function rocAucFromCurve(curve: ClfCurve): number {
  if (curve.positives === 0 || curve.negatives === 0) return NaN
  const roc = rocCurve(curve)
  return auc(roc.fpr, roc.tpr)
}

/**
 * sklearn 1.2.1 `precision_recall_curve` (every threshold kept). With no positive row recall is 1
 * everywhere and `warn` receives sklearn's warning.
 */
export function precisionRecallCurve(curve: ClfCurve, warn?: (msg: string) => void): PrCurve {
  const { fps, tps, thresholds } = curve
  const m = fps.length
  const precision = new Float64Array(m + 1), recall = new Float64Array(m + 1), thr = new Float64Array(m)
  const last = m ? tps[m - 1]! : 0
  if (last === 0) warn?.('No positive class found in y_true, recall is set to one for all thresholds.')
  for (let q = 0; q < m; q++) {
    const i = m - 1 - q
    const ps = tps[i]! + fps[i]!
    precision[q] = ps !== 0 ? tps[i]! / ps : 0
    recall[q] = last === 0 ? 1 : tps[i]! / last
    thr[q] = thresholds[i]!
  }
  precision[m] = 1
  recall[m] = 0
  return { precision, recall, thresholds: thr }
}

/** sklearn `average_precision_score` (non-interpolated): −Σ (R[i+1] − R[i]) · P[i] over the PR curve. */
export function averagePrecision(pr: PrCurve): number {
  const m = pr.recall.length - 1
  const terms = new Float64Array(m)
  for (let i = 0; i < m; i++) terms[i] = (pr.recall[i + 1]! - pr.recall[i]!) * pr.precision[i]!
  return -npSum(terms)
}

/**
 * Averages one-vs-rest scores as sklearn's `_average_binary_score`: `macro` is the plain mean, `weighted`
 * weighs class c by its (weighted) count of true rows and returns 0 when those sum to (nearly) zero.
 */
export function averageClassScores(scores: ArrayLike<number>, classWeights: ArrayLike<number>, average: 'macro' | 'weighted'): number {
  if (average === 'macro') return npMean(scores)
  const total = npSum(classWeights)
  if (Math.abs(total) <= 1e-8) return 0
  const s = Float64Array.from(scores)
  for (let c = 0; c < s.length; c++) if (classWeights[c] === 0) s[c] = 0
  return npAverage(s, classWeights)
}
