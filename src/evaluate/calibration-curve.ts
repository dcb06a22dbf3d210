/**
 * Reliability (calibration) curve as scikit-learn's `calibration_curve` (strategy "uniform") computes it:
 * probabilities binned on [0, 1]; per non-empty bin the mean probability and the fraction of positives.
 */
import { invalidParameter } from '../core/errors.ts'

/** Non-empty bins only, in increasing probability. */
export interface CalibrationCurve {
  /** Fraction of rows of the positive class in each bin. */
  probTrue: Float64Array
  /** Mean predicted probability in each bin. */
  probPred: Float64Array
  /** Rows in each bin. */
  counts: Float64Array
}

/**
 * sklearn `calibration_curve(y_true, y_prob, n_bins, strategy="uniform")`. Bin edges are numpy's
 * `linspace(0, 1, n_bins + 1)`; a probability equal to an inner edge falls in the lower bin.
 * Probabilities outside [0, 1] are INVALID_PARAMETER_VALUE, as sklearn raises.
 */
export function calibrationCurve(probs: ArrayLike<number>, isPositive: ArrayLike<number>, nBins = 10): CalibrationCurve {
  if (!Number.isInteger(nBins) || nBins < 1) throw invalidParameter(`calibration_n_bins must be a positive integer, got ${nBins}.`)
  const n = probs.length
  const step = 1 / nBins
  const inner = new Float64Array(nBins - 1)
  for (let b = 1; b < nBins; b++) inner[b - 1] = b * step
  const sums = new Float64Array(nBins + 1), trues = new Float64Array(nBins + 1), totals = new Float64Array(nBins + 1)
  for (let i = 0; i < n; i++) {
    const p = probs[i]!
    if (!(p >= 0 && p <= 1)) throw invalidParameter('y_prob has values outside [0, 1].')
    // searchsorted(inner, p, side="left"): the number of inner edges below p, from a guess then exact
    let lo = Math.min(nBins - 1, Math.floor(p * nBins))
    while (lo > 0 && inner[lo - 1]! >= p) lo--
    while (lo < nBins - 1 && inner[lo]! < p) lo++
    sums[lo]! += p
    trues[lo]! += isPositive[i] ? 1 : 0
    totals[lo]!++
  }
  const probTrue: number[] = [], probPred: number[] = [], counts: number[] = []
  for (let b = 0; b <= nBins; b++) {
    if (totals[b] === 0) continue
    probTrue.push(trues[b]! / totals[b]!)
    probPred.push(sums[b]! / totals[b]!)
    counts.push(totals[b]!)
  }
  return { probTrue: Float64Array.from(probTrue), probPred: Float64Array.from(probPred), counts: Float64Array.from(counts) }
}
