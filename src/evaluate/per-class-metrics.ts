/**
 * MLflow's multiclass `per_class_metrics` table (one one-vs-rest row per label) and its CSV text exactly
 * as pandas' `to_csv(index=False)` writes it.
 */
import { precisionRecallF1, type ClassSums } from './classifier-metrics.ts'
import { npAverage } from './numpy-sum.ts'
import type { Label, TableRow } from './types.ts'

/** The integer columns of the table (unweighted counts, as MLflow computes them). */
export const PER_CLASS_COUNT_COLUMNS = ['true_negatives', 'false_positives', 'false_negatives', 'true_positives', 'example_count'] as const

/**
 * One row per label, in label order: the unweighted one-vs-rest confusion counts, example_count, and
 * accuracy/recall/precision/f1 of "this class vs the rest" (weighted when weights are given); plus
 * `roc_auc` and `precision_recall_auc` when those arrays are given (NaN where undefined).
 * @param counts unweighted class sums; `weighted` the same with weights (or null)
 */
export function perClassMetricsRows(
  labels: readonly Label[],
  yTrue: Int32Array,
  yPred: Int32Array,
  counts: ClassSums,
  weighted: ClassSums | null,
  weights: ArrayLike<number> | null,
  curves?: { rocAuc: ArrayLike<number>; averagePrecision: ArrayLike<number> },
  warnings?: string[],
): TableRow[] {
  const n = yTrue.length
  const rows: TableRow[] = []
  const hit = weights ? new Float64Array(n) : null
  labels.forEach((label, c) => {
    const tp = counts.tp[c]!, fp = counts.pred[c]! - tp, fn = counts.true[c]! - tp
    const tn = n - tp - fp - fn
    const sums = weighted ?? counts
    const binary: ClassSums = {
      tp: Float64Array.of(0, sums.tp[c]!), pred: Float64Array.of(0, sums.pred[c]!), true: Float64Array.of(0, sums.true[c]!),
      present: Uint8Array.of(1, 1),
    }
    const prf = precisionRecallF1(binary, 'binary', 1)
    for (const w of prf.warnings) if (warnings && !warnings.includes(w)) warnings.push(w)
    let acc: number
    if (hit) {
      for (let i = 0; i < n; i++) hit[i] = (yTrue[i] === c) === (yPred[i] === c) ? 1 : 0
      acc = npAverage(hit, weights)
    } else {
      acc = (tp + tn) / n
    }
    const row: TableRow = {
      positive_class: label, true_negatives: tn, false_positives: fp, false_negatives: fn, true_positives: tp, example_count: n,
      accuracy_score: acc, recall_score: prf.recall, precision_score: prf.precision, f1_score: prf.f1,
    }
    if (curves) {
      row.roc_auc = curves.rocAuc[c]!
      row.precision_recall_auc = curves.averagePrecision[c]!
    }
    rows.push(row)
  })
  return rows
}

/**
 * Python's `repr(float)`: the shortest digits that read back as the same double, in fixed notation for
 * exponents -4..15 (always with a decimal point, `1.0`) and as `1e-05` / `1.5e+16` otherwise.
 */
export function pyFloatRepr(x: number): string {
  if (Number.isNaN(x)) return 'nan'
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf'
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0'
  const [mantissa, expText] = x.toExponential().split('e') as [string, string]
  const exp = Number(expText)
  const sign = mantissa.startsWith('-') ? '-' : ''
  const digits = mantissa.replace('-', '').replace('.', '')
  if (exp >= -4 && exp < 16) {
    if (exp < 0) return `${sign}0.${'0'.repeat(-exp - 1)}${digits}`
    const intPart = digits.slice(0, exp + 1).padEnd(exp + 1, '0')
    const frac = digits.slice(exp + 1)
    return `${sign}${intPart}.${frac === '' ? '0' : frac}`
  }
  const m = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits
  return `${sign}${m}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`
}

function csvField(text: string): string {
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text
}

/**
 * The `per_class_metrics.csv` text as MLflow writes it (pandas, `\n` line ends): labels as they are,
 * counts as integers, other numbers as Python floats, NaN as an empty field.
 */
export function perClassMetricsCsv(rows: readonly TableRow[]): string {
  if (rows.length === 0) return '\n'
  const columns = Object.keys(rows[0]!)
  const ints = new Set<string>(PER_CLASS_COUNT_COLUMNS)
  const lines = [columns.map(csvField).join(',')]
  for (const row of rows) {
    lines.push(columns.map((col) => {
      const v = row[col]
      if (typeof v === 'string') return csvField(v)
      if (v === undefined || Number.isNaN(v)) return ''
      if (col === 'positive_class' || (ints.has(col) && Number.isInteger(v))) return String(v)
      return pyFloatRepr(v)
    }).join(','))
  }
  return lines.join('\n') + '\n'
}
