/**
 * Checks and normalizes what `computeEvaluation` is given: evaluator config (camelCase or MLflow's
 * snake_case), numeric columns, sample weights and probabilities (to a column-major k×n Float64Array).
 */
import { invalidParameter } from '../core/errors.ts'
import type { Average, EvaluatorConfig, Label, ProbabilitiesInput, ProbabilityMatrix } from './types.ts'

/** The evaluator config with defaults applied. */
export interface ResolvedConfig {
  labelList: readonly Label[] | undefined
  posLabel: Label | undefined
  average: Average
  metricPrefix: string
  sampleWeights: ArrayLike<number> | undefined
  maxClassesForMulticlassRocPr: number
  calibrationNBins: number
  calibrationClassifierName: string | undefined
  maxCurvePoints: number
  logResidualsPlot: boolean
}

const SNAKE: Record<string, string> = {
  label_list: 'labelList', pos_label: 'posLabel', metric_prefix: 'metricPrefix', sample_weights: 'sampleWeights',
  max_classes_for_multiclass_roc_pr: 'maxClassesForMulticlassRocPr', calibration_n_bins: 'calibrationNBins',
  calibration_classifier_name: 'calibrationClassifierName',
}

/** Applies defaults; MLflow's snake_case keys are read when the camelCase key is absent. */
export function resolveConfig(config: EvaluatorConfig | undefined): ResolvedConfig {
  const c: Record<string, unknown> = { ...(config ?? {}) }
  for (const [snake, camel] of Object.entries(SNAKE)) if (c[camel] === undefined && c[snake] !== undefined) c[camel] = c[snake]
  const average = (c.average ?? 'weighted') as Average
  if (!['micro', 'macro', 'weighted', 'binary'].includes(average as string)) {
    throw invalidParameter(`average has to be one of ('micro', 'macro', 'weighted', 'binary'), got ${JSON.stringify(c.average)}.`)
  }
  const prefix = c.metricPrefix ?? ''
  if (typeof prefix !== 'string') throw invalidParameter('metric_prefix must be a string.')
  const positiveInt = (key: string, fallback: number): number => {
    const v = c[key] ?? fallback
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) throw invalidParameter(`${key} must be a positive integer, got ${JSON.stringify(v)}.`)
    return v
  }
  const name = c.calibrationClassifierName
  if (name !== undefined && typeof name !== 'string') throw invalidParameter('calibration_classifier_name should be of type string')
  const labelList = c.labelList as readonly Label[] | undefined
  if (labelList !== undefined && (labelList === null || typeof labelList !== 'object' || typeof labelList.length !== 'number')) {
    throw invalidParameter('label_list must be an array of labels.')
  }
  return {
    labelList,
    posLabel: (c.posLabel ?? undefined) as Label | undefined,
    average,
    metricPrefix: prefix,
    sampleWeights: c.sampleWeights as ArrayLike<number> | undefined,
    maxClassesForMulticlassRocPr: positiveInt('maxClassesForMulticlassRocPr', 10),
    calibrationNBins: positiveInt('calibrationNBins', 10),
    calibrationClassifierName: name as string | undefined,
    maxCurvePoints: positiveInt('maxCurvePoints', 2000),
    logResidualsPlot: c.logResidualsPlot === true,
  }
}

/** A column of finite numbers as Float64Array; NaN, missing or non-numbers name the column and row. */
export function numericColumn(values: ArrayLike<unknown>, column: string): Float64Array {
  const n = values.length
  const out = new Float64Array(n)
  for (let i = 0; i < n; i++) {
    const v = values[i]
    if (typeof v !== 'number') {
      throw invalidParameter(`Column '${column}' has ${v === null || v === undefined ? 'a missing value' : `the non-numeric value ${JSON.stringify(v)}`} at row ${i} (0-based).`)
    }
    if (Number.isNaN(v)) throw invalidParameter(`Column '${column}' contains NaN at row ${i} (0-based).`)
    if (!Number.isFinite(v)) throw invalidParameter(`Column '${column}' contains ${v} at row ${i} (0-based); values must be finite.`)
    out[i] = v
  }
  return out
}

/** Sample weights: one finite, non-negative number per row. */
export function sampleWeights(weights: ArrayLike<number> | undefined, n: number): Float64Array | null {
  if (weights === undefined || weights === null) return null
  if (weights.length !== n) throw invalidParameter(`sample_weights has ${weights.length} values but the dataset has ${n} rows.`)
  const w = numericColumn(weights, 'sample_weights')
  for (let i = 0; i < n; i++) if (w[i]! < 0) throw invalidParameter(`sample_weights has the negative value ${w[i]} at row ${i} (0-based).`)
  return w
}

function isMatrix(p: unknown): p is ProbabilityMatrix {
  return typeof p === 'object' && p !== null && 'data' in p && 'rows' in p && 'cols' in p
}

function checkProbability(v: unknown, row: number, col: number): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) {
    throw invalidParameter(`Column 'probabilities' has ${typeof v === 'number' ? v : JSON.stringify(v ?? null)} at row ${row} (0-based), class column ${col}; probabilities must be finite numbers.`)
  }
  return v
}

/**
 * Probabilities as a column-major Float64Array: class c's column is `out.subarray(c * n, (c + 1) * n)`,
 * classes in ascending label order. A 1-D array (or a one-column matrix) is allowed for binary problems
 * and holds the positive label's probability p; the other column becomes 1 − p.
 */
export function probabilityMatrix(input: ProbabilitiesInput, n: number, k: number, posIndex: number): Float64Array {
  const out = new Float64Array(n * k)
  const oneD = (get: (i: number) => unknown) => {
    if (k !== 2 || posIndex < 0) {
      throw invalidParameter(`A 1-D probability array only fits a binary problem; this one has ${k} classes: give one column per class.`)
    }
    const posOff = posIndex * n, negOff = (1 - posIndex) * n
    for (let i = 0; i < n; i++) {
      const p = checkProbability(get(i), i, posIndex)
      out[posOff + i] = p
      out[negOff + i] = 1 - p
    }
    return out
  }
  const wrongCols = (cols: number) => invalidParameter(
    `probabilities have ${cols} columns but there are ${k} labels; give one column per label in ascending label order (or set label_list).`)
  if (isMatrix(input)) {
    if (input.rows !== n) throw invalidParameter(`probabilities have ${input.rows} rows but the dataset has ${n}.`)
    if (input.data.length !== input.rows * input.cols) throw invalidParameter('probabilities: data length is not rows × cols.')
    const src = input.data
    if (input.cols === 1) return oneD((i) => src[i])
    if (input.cols !== k) throw wrongCols(input.cols)
    const typed = src instanceof Float64Array || src instanceof Float32Array
    for (let i = 0, j = 0; i < n; i++) {
      for (let c = 0; c < k; c++, j++) {
        const v = src[j]!
        out[c * n + i] = typed && Number.isFinite(v) ? v : checkProbability(v, i, c)
      }
    }
    return out
  }
  if (input.length !== n) throw invalidParameter(`probabilities have ${input.length} rows but the dataset has ${n}.`)
  const first = n > 0 ? (input as ArrayLike<unknown>)[0] : undefined
  if (typeof first !== 'object' || first === null) return oneD((i) => (input as ArrayLike<unknown>)[i])
  const rows = input as ArrayLike<ArrayLike<number>>
  for (let i = 0; i < n; i++) {
    const row = rows[i]
    if (!row || typeof row !== 'object' || row.length !== k) throw wrongCols(row && typeof row === 'object' ? row.length : 0)
    for (let c = 0; c < k; c++) out[c * n + i] = checkProbability(row[c], i, c)
  }
  return out
}
