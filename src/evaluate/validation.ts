/**
 * Model validation as MLflow's `MetricThreshold` and `mlflow.validate_evaluation_results`: a candidate's
 * metrics against absolute thresholds and against a baseline's, every failing check listed.
 *
 * Error code: MLflow raises `ModelValidationFailedException`, which carries MlflowException's default
 * INTERNAL_ERROR. Lablog throws a `ModelValidationFailedError` (an MlflowError) with `INVALID_STATE`
 * instead, so a failed validation is not mistaken for a crash; `validationResult` holds each failure.
 */
import { invalidParameter, MlflowError } from '../core/errors.ts'
import { pythonStr } from '../core/python-str.ts'
import type { EvaluationResult } from './evaluate.ts'

/** MLflow's `MetricThreshold(threshold, min_absolute_change, min_relative_change, greater_is_better)`. */
export interface MetricThreshold {
  /** The candidate's value must be ≥ this (≤ when lower is better). */
  threshold?: number
  /** The candidate must beat the baseline by at least this much (a positive number). */
  minAbsoluteChange?: number
  /** The candidate must beat the baseline by at least this fraction of it (between 0 and 1). */
  minRelativeChange?: number
  /** Whether a higher value of the metric is better. Required, as in MLflow. */
  greaterIsBetter: boolean
}

/** Which check of one metric failed. */
export type ValidationCheck = 'missing_candidate' | 'missing_baseline' | 'threshold' | 'min_absolute_change' | 'min_relative_change'

/** One metric that did not pass, with MLflow's message for it. */
export interface MetricValidationFailure {
  metric: string
  candidate: number | null
  baseline: number | null
  threshold: MetricThreshold
  failedChecks: ValidationCheck[]
  message: string
}

/** The outcome of validating every thresholded metric. */
export interface ValidationResult {
  passed: boolean
  failures: MetricValidationFailure[]
  /** MLflow's exception message: one line per failing metric ('' when all passed). */
  message: string
}

/** Thrown by `validateEvaluationResults` (and `evaluate` with `validationThresholds`) when a check fails. */
export class ModelValidationFailedError extends MlflowError {
  /** Set by `evaluate`: the evaluation that was logged before validation failed. */
  evaluationResult?: EvaluationResult

  constructor(readonly validationResult: ValidationResult) {
    super('INVALID_STATE', validationResult.message)
  }
}

/** True for the error a failed model validation throws (also after crossing a worker boundary, by message shape). */
export function isModelValidationFailure(error: unknown): error is ModelValidationFailedError {
  return error instanceof ModelValidationFailedError
}

/** MLflow's MetricThreshold constructor checks: INVALID_PARAMETER_VALUE naming the metric and the field. */
export function checkThresholds(thresholds: Readonly<Record<string, MetricThreshold>>): void {
  for (const [metric, t] of Object.entries(thresholds)) {
    const where = `validation threshold for '${metric}'`
    if (typeof t !== 'object' || t === null) throw invalidParameter(`The ${where} must be a MetricThreshold object.`)
    if (t.threshold !== undefined && (typeof t.threshold !== 'number' || Number.isNaN(t.threshold))) {
      throw invalidParameter(`The ${where}: \`threshold\` parameter must be a number.`)
    }
    if (t.minAbsoluteChange !== undefined && (typeof t.minAbsoluteChange !== 'number' || !(t.minAbsoluteChange > 0))) {
      throw invalidParameter(`The ${where}: \`min_absolute_change\` parameter must be a positive number.`)
    }
    if (t.minRelativeChange !== undefined) {
      if (typeof t.minRelativeChange !== 'number' || Number.isNaN(t.minRelativeChange)) throw invalidParameter(`The ${where}: \`min_relative_change\` parameter must be a floating point number.`)
      if (t.minRelativeChange < 0 || t.minRelativeChange > 1) throw invalidParameter(`The ${where}: \`min_relative_change\` parameter must be between 0 and 1.`)
    }
    if (t.greaterIsBetter === undefined || t.greaterIsBetter === null) throw invalidParameter(`The ${where}: \`greater_is_better\` parameter must be defined.`)
    if (typeof t.greaterIsBetter !== 'boolean') throw invalidParameter(`The ${where}: \`greater_is_better\` parameter must be a boolean.`)
  }
}

const py = (v: number | null | undefined) => pythonStr(v ?? null)

function failureMessage(f: Omit<MetricValidationFailure, 'message'>): string {
  const { metric: m, candidate, baseline, threshold: t } = f
  if (f.failedChecks.includes('missing_candidate')) {
    return `Metric validation failed: metric ${m} was missing from the evaluation result of the candidate model.`
  }
  const parts: string[] = []
  if (f.failedChecks.includes('threshold')) {
    parts.push(`Metric ${m} value threshold check failed: candidate model ${m} = ${py(candidate)}, ${m} threshold = ${py(t.threshold)}.`)
  }
  if (f.failedChecks.includes('missing_baseline')) {
    parts.push(`Model comparison failed: metric ${m} was missing from the evaluation result of the baseline model.`)
  } else {
    if (f.failedChecks.includes('min_absolute_change')) {
      parts.push(`Metric ${m} minimum absolute change check failed: candidate model ${m} = ${py(candidate)}, baseline model ${m} = ${py(baseline)}, ${m} minimum absolute change threshold = ${py(t.minAbsoluteChange)}.`)
    }
    if (f.failedChecks.includes('min_relative_change')) {
      parts.push(`Metric ${m} minimum relative change check failed: candidate model ${m} = ${py(candidate)}, baseline model ${m} = ${py(baseline)}, ${m} minimum relative change threshold = ${py(t.minRelativeChange)}.`)
    }
  }
  return parts.join(' ')
}

/**
 * Checks each thresholded metric as MLflow does. With `greaterIsBetter` (else the mirror image):
 * - `threshold`: candidate ≥ threshold;
 * - `minAbsoluteChange`: candidate ≥ baseline + minAbsoluteChange;
 * - `minRelativeChange`: (candidate − baseline) / baseline ≥ minRelativeChange; with a baseline of 0 the
 *   candidate only has to be at least as good;
 * - a metric the candidate lacks fails; a change check whose metric the baseline lacks fails.
 * Returns the result without throwing.
 */
export function checkMetricThresholds(
  thresholds: Readonly<Record<string, MetricThreshold>>,
  candidateMetrics: Readonly<Record<string, number>>,
  baselineMetrics?: Readonly<Record<string, number>> | null,
): ValidationResult {
  checkThresholds(thresholds)
  const failures: MetricValidationFailure[] = []
  for (const [metric, t] of Object.entries(thresholds)) {
    const failed: ValidationCheck[] = []
    const candidate = candidateMetrics[metric]
    const baseline = baselineMetrics?.[metric]
    const atLeast = (value: number, bound: number) => (t.greaterIsBetter ? value >= bound : value <= bound)
    if (candidate === undefined) failed.push('missing_candidate')
    else {
      if (t.threshold !== undefined && !atLeast(candidate, t.threshold)) failed.push('threshold')
      const compares = t.minAbsoluteChange !== undefined || t.minRelativeChange !== undefined
      if (compares && baseline === undefined) failed.push('missing_baseline')
      else if (compares && baseline !== undefined) {
        if (t.minAbsoluteChange !== undefined) {
          const bound = t.greaterIsBetter ? baseline + t.minAbsoluteChange : baseline - t.minAbsoluteChange
          if (!atLeast(candidate, bound)) failed.push('min_absolute_change')
        }
        if (t.minRelativeChange !== undefined) {
          if (baseline === 0) {
            if (!atLeast(candidate, baseline)) failed.push('min_relative_change')
          } else {
            const change = (t.greaterIsBetter ? candidate - baseline : baseline - candidate) / baseline
            if (change < t.minRelativeChange) failed.push('min_relative_change')
          }
        }
      }
    }
    if (failed.length) {
      const entry = { metric, candidate: candidate ?? null, baseline: baseline ?? null, threshold: t, failedChecks: failed }
      failures.push({ ...entry, message: failureMessage(entry) })
    }
  }
  return { passed: failures.length === 0, failures, message: failures.map((f) => f.message).join('\n') }
}

/**
 * MLflow's `mlflow.validate_evaluation_results`: validates a candidate evaluation (and optionally a baseline
 * one) against thresholds. Resolves with the result when every check passes; throws
 * `ModelValidationFailedError` (INVALID_STATE, `validationResult` set) when any fails.
 */
export function validateEvaluationResults(options: {
  validationThresholds: Readonly<Record<string, MetricThreshold>>
  candidateResult: { metrics: Readonly<Record<string, number>> }
  baselineResult?: { metrics: Readonly<Record<string, number>> } | null
}): ValidationResult {
  const result = checkMetricThresholds(options.validationThresholds, options.candidateResult.metrics, options.baselineResult?.metrics)
  if (!result.passed) throw new ModelValidationFailedError(result)
  return result
}
