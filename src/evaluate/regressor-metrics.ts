/**
 * MLflow's regressor metrics (`_get_regressor_metrics`, MLflow 2.17) on float64 columns, with scikit-learn
 * 1.2.1's definitions and numpy's summation order so values match MLflow's bit for bit.
 */
import { EPS } from './classifier-metrics.ts'
import { npAverage, npSum } from './numpy-sum.ts'

/** The regressor metrics under MLflow's names. */
export interface RegressorMetrics {
  example_count: number
  mean_absolute_error: number
  mean_squared_error: number
  root_mean_squared_error: number
  sum_on_target: number
  mean_on_target: number
  r2_score: number
  max_error: number
  mean_absolute_percentage_error: number
}

/**
 * sklearn `r2_score` (force_finite): 1 − SS_res/SS_tot; 1.0 when both are 0, 0.0 when only SS_tot is 0;
 * NaN with fewer than two rows (sklearn warns).
 */
export function r2Score(y: Float64Array, yHat: Float64Array, weights?: ArrayLike<number> | null): number {
  const n = y.length
  if (n < 2) return NaN
  const res = new Float64Array(n), tot = new Float64Array(n)
  const mean = npAverage(y, weights)
  for (let i = 0; i < n; i++) {
    const w = weights ? weights[i]! : 1
    const d = y[i]! - yHat[i]!
    const e = y[i]! - mean
    res[i] = w * (d * d)
    tot[i] = w * (e * e)
  }
  const numerator = npSum(res), denominator = npSum(tot)
  if (numerator === 0) return 1
  if (denominator === 0) return 0
  return 1 - numerator / denominator
}

/**
 * Every regressor metric MLflow logs. `sum_on_target` is Python's left-to-right `sum(y)` (numpy's
 * `(y*w).sum()` when weighted) and `mean_on_target` divides it by the row count even when weighted.
 * `max_error` ignores weights; MAPE divides by max(|y|, ε) and is a fraction, not a percentage.
 */
export function regressorMetrics(y: Float64Array, yHat: Float64Array, weights?: ArrayLike<number> | null): RegressorMetrics {
  const n = y.length
  const abs = new Float64Array(n), sq = new Float64Array(n), ape = new Float64Array(n)
  let maxErr = 0
  let seqSum = 0
  const yw = weights ? new Float64Array(n) : null
  for (let i = 0; i < n; i++) {
    const a = Math.abs(yHat[i]! - y[i]!)
    const d = y[i]! - yHat[i]!
    abs[i] = a
    sq[i] = d * d
    ape[i] = a / Math.max(Math.abs(y[i]!), EPS)
    if (a > maxErr) maxErr = a
    seqSum += y[i]!
    if (yw) yw[i] = y[i]! * weights![i]!
  }
  const mse = npAverage(sq, weights)
  const sumOnTarget = yw ? npSum(yw) : seqSum
  return {
    example_count: n,
    mean_absolute_error: npAverage(abs, weights),
    mean_squared_error: mse,
    root_mean_squared_error: Math.sqrt(mse),
    sum_on_target: sumOnTarget,
    mean_on_target: sumOnTarget / n,
    r2_score: r2Score(y, yHat, weights),
    max_error: maxErr,
    mean_absolute_percentage_error: npAverage(ape, weights),
  }
}
