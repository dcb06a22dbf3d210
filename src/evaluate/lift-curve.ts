/**
 * Lift curve of a binary classifier, as MLflow's `plot_lift_curve` (copied from scikit-plot) computes it:
 * rows ranked by score, cumulative share of the class found, divided by the share of rows inspected.
 */
import { sortFloat64 } from './radix-sort.ts'

/** One class's lift at each prefix of the ranking (x = share of rows, from 1/n to 1). */
export interface LiftCurve {
  /** Share of rows inspected: (i + 1) / n. */
  percentages: Float64Array
  /** Cumulative gain / percentage. */
  lift: Float64Array
}

/**
 * scikit-plot's cumulative gain divided by the percentage, for the class marked in `isClass`, ranking
 * rows by `scores` descending. Ties are taken in descending row order (numpy's unstable argsort may order
 * tied rows differently; only points inside a tie group can differ). NaN lift when the class never occurs.
 */
export function liftCurve(scores: ArrayLike<number>, isClass: ArrayLike<number>): LiftCurve {
  const n = scores.length
  const keys = Float64Array.from(scores)
  const flags = new Float64Array(n)
  let total = 0
  for (let i = 0; i < n; i++) { flags[i] = isClass[i] ? 1 : 0; total += flags[i]! }
  sortFloat64(keys, flags)
  const percentages = new Float64Array(n), lift = new Float64Array(n)
  let gain = 0
  for (let q = 0; q < n; q++) {
    gain += flags[n - 1 - q]!
    const pct = (q + 1) / n
    percentages[q] = pct
    lift[q] = (gain / total) / pct
  }
  return { percentages, lift }
}
