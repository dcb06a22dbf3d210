/**
 * Plotly figure specs ({data, layout} JSON) for the evaluate artifacts, with the titles, axis labels and
 * legend texts of MLflow's matplotlib plots. Long curves are thinned to `maxPoints` per trace.
 */
import type { CalibrationCurve } from './calibration-curve.ts'
import type { LiftCurve } from './lift-curve.ts'
import type { Label, PlotlyFigure, PlotlyTrace } from './types.ts'

/** Default most points of one curve trace. */
export const DEFAULT_MAX_CURVE_POINTS = 2000

/**
 * Python's `format(x, '.{digits}f')`: like `toFixed`, but an exact tie rounds half to even
 * (0.8125 → '0.812', where `toFixed` gives '0.813').
 */
export function pyFixed(x: number, digits: number): string {
  const scaled = x * 2 ** (digits + 1)
  if (Number.isFinite(x) && Number.isInteger(scaled) && Math.abs(scaled) % 2 === 1) {
    // x = odd / 2^(digits+1) is a tie only when x·10^digits ends in .5 exactly
    const t = x * 10 ** digits
    const floor = Math.floor(t)
    if (t - floor === 0.5) {
      const even = floor % 2 === 0 ? floor : floor + 1
      return (even / 10 ** digits).toFixed(digits)
    }
  }
  return x.toFixed(digits)
}

/** Python's `format(x, '.2g')` (what sklearn's ConfusionMatrixDisplay prints for floats). */
export function pyG2(x: number): string {
  if (x === 0) return '0'
  if (!Number.isFinite(x)) return String(x).toLowerCase()
  const [mant, expText] = x.toExponential(1).split('e') as [string, string]
  const exp = Number(expText)
  const strip = (s: string) => (s.includes('.') ? s.replace(/0+$/, '').replace(/\.$/, '') : s)
  if (exp < -4 || exp >= 2) return `${strip(mant)}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`
  return strip(pyFixed(x, Math.max(0, 1 - exp)))
}

/** Python truthiness of a label (MLflow writes "(Positive label: …)" only when `if pos_label:`). */
function truthy(label: Label | null | undefined): label is Label {
  return label !== null && label !== undefined && label !== 0 && label !== ''
}

/**
 * At most `maxPoints` points of a curve: the first, the last and evenly spaced ones between, as plain
 * arrays (typed arrays do not serialize as JSON arrays; NaN becomes null in JSON, a gap in plotly).
 */
export function thin(x: ArrayLike<number>, y: ArrayLike<number>, maxPoints = DEFAULT_MAX_CURVE_POINTS): { x: number[]; y: number[] } {
  const n = x.length
  if (n <= maxPoints || maxPoints < 2) return { x: Array.from(x), y: Array.from(y) }
  const xs: number[] = [], ys: number[] = []
  const step = (n - 1) / (maxPoints - 1)
  for (let q = 0; q < maxPoints; q++) {
    const i = q === maxPoints - 1 ? n - 1 : Math.round(q * step)
    xs.push(x[i]!)
    ys.push(y[i]!)
  }
  return { x: xs, y: ys }
}

function layout(title: string | null, xTitle: string, yTitle: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    ...(title === null ? {} : { title: { text: title } }),
    xaxis: { title: { text: xTitle } },
    yaxis: { title: { text: yTitle } },
    ...extra,
  }
}

function dashed(x: number[], y: number[], name: string | null, style: Record<string, unknown>): PlotlyTrace {
  return { type: 'scatter', mode: 'lines', x, y, ...(name === null ? { showlegend: false, hoverinfo: 'skip' } : { name }), line: style }
}

/**
 * MLflow's `confusion_matrix` artifact: heatmap of the matrix normalized by true label (rows), titled
 * "Normalized confusion matrix", each cell showing the normalized value and the count.
 * @param counts row-major k×k counts (row = true label), in `labels` order
 * @param normalized the same matrix normalized by rows
 */
export function confusionMatrixFigure(counts: ArrayLike<number>, normalized: ArrayLike<number>, labels: readonly Label[]): PlotlyFigure {
  const k = labels.length
  const names = labels.map(String)
  const z: number[][] = [], text: string[][] = [], custom: number[][] = []
  for (let r = 0; r < k; r++) {
    z.push([]); text.push([]); custom.push([])
    for (let c = 0; c < k; c++) {
      const v = normalized[r * k + c]!, count = counts[r * k + c]!
      z[r]!.push(v)
      custom[r]!.push(count)
      text[r]!.push(`${pyG2(v)}<br>(${count})`)
    }
  }
  return {
    data: [{
      type: 'heatmap', x: names, y: names, z, text, customdata: custom, texttemplate: '%{text}',
      hovertemplate: 'True label: %{y}<br>Predicted label: %{x}<br>Normalized: %{z:.3f}<br>Count: %{customdata}<extra></extra>',
      colorscale: 'Blues', zmin: 0, zmax: 1,
    }],
    layout: layout('Normalized confusion matrix', 'Predicted label', 'True label', {
      xaxis: { title: { text: 'Predicted label' }, type: 'category' },
      yaxis: { title: { text: 'True label' }, type: 'category', autorange: 'reversed' },
    }),
  }
}

/** One line of a ROC or PR figure. `classLabel` set for multiclass one-vs-rest lines. */
export interface CurveSeries { classLabel?: Label; x: ArrayLike<number>; y: ArrayLike<number>; area: number }

function curveFigure(kind: 'roc' | 'pr', series: readonly CurveSeries[], posLabel: Label | null, maxPoints: number): PlotlyFigure {
  const metric = kind === 'roc' ? 'AUC' : 'AP'
  const data: PlotlyTrace[] = series.map((s) => {
    const pts = thin(s.x, s.y, maxPoints)
    const text = `${metric}=${pyFixed(s.area, 3)}`
    return {
      type: 'scatter', mode: 'lines', x: pts.x, y: pts.y, line: { shape: 'hv', width: 1 },
      name: s.classLabel === undefined ? text : `label=${s.classLabel},${text}`,
    }
  })
  data.push(kind === 'roc'
    ? dashed([0, 1], [0, 1], null, { dash: 'dash', color: 'rgba(128,128,128,0.3)' })
    : dashed([0, 1], [1, 0], null, { dash: 'dash', color: 'rgba(128,128,128,0.3)' }))
  const suffix = truthy(posLabel) ? ` (Positive label: ${posLabel})` : ''
  const [title, xTitle, yTitle] = kind === 'roc'
    ? ['ROC curve', `False Positive Rate${suffix}`, `True Positive Rate${suffix}`]
    : ['Precision recall curve', `Recall${suffix}`, `Precision${suffix}`]
  return { data, layout: layout(title, xTitle, yTitle, { showlegend: true }) }
}

/** MLflow's `roc_curve_plot`: legend `AUC=0.977` (binary) or `label=<c>,AUC=…` per class. */
export function rocCurveFigure(series: readonly CurveSeries[], posLabel: Label | null, maxPoints = DEFAULT_MAX_CURVE_POINTS): PlotlyFigure {
  return curveFigure('roc', series, posLabel, maxPoints)
}

/** MLflow's `precision_recall_curve_plot` (x = recall, y = precision): legend `AP=…` or `label=<c>,AP=…`. */
export function precisionRecallFigure(series: readonly CurveSeries[], posLabel: Label | null, maxPoints = DEFAULT_MAX_CURVE_POINTS): PlotlyFigure {
  return curveFigure('pr', series, posLabel, maxPoints)
}

/** MLflow's `lift_curve_plot`: one line per class ("Class <label>") and the "Baseline" at 1. */
export function liftCurveFigure(classes: readonly [Label, Label], curves: readonly [LiftCurve, LiftCurve], maxPoints = DEFAULT_MAX_CURVE_POINTS): PlotlyFigure {
  const data: PlotlyTrace[] = curves.map((c, i) => {
    const pts = thin(c.percentages, c.lift, maxPoints)
    return { type: 'scatter', mode: 'lines', x: pts.x, y: pts.y, name: `Class ${classes[i]}`, line: { width: 3 } }
  })
  data.push(dashed([0, 1], [1, 1], 'Baseline', { dash: 'dash', color: 'black', width: 2 }))
  return { data, layout: layout('Lift Curve', 'Percentage of sample', 'Lift', { showlegend: true }) }
}

/**
 * MLflow's `calibration_curve_plot` for a binary classifier (sklearn's CalibrationDisplay: square markers,
 * "Perfectly calibrated" diagonal, no title). The line is named only when a classifier name is given.
 */
export function binaryCalibrationFigure(curve: CalibrationCurve, posLabel: Label, classifierName?: string): PlotlyFigure {
  const line: PlotlyTrace = {
    type: 'scatter', mode: 'lines+markers', x: Array.from(curve.probPred), y: Array.from(curve.probTrue), marker: { symbol: 'square' },
    ...(classifierName === undefined ? { showlegend: false } : { name: classifierName }),
  }
  return {
    data: [dashed([0, 1], [0, 1], 'Perfectly calibrated', { dash: 'dot', color: 'black' }), line],
    layout: layout(null, `Mean predicted probability (Positive class: ${posLabel})`, `Fraction of positives (Positive class: ${posLabel})`, { showlegend: true }),
  }
}

/** MLflow's multiclass `calibration_curve_plot`: "Class <label>" per class, "<name> Calibration" title. */
export function multiclassCalibrationFigure(curves: readonly CalibrationCurve[], labels: readonly Label[], classifierName = 'Classifier'): PlotlyFigure {
  const data: PlotlyTrace[] = curves.map((c, i) => ({
    type: 'scatter', mode: 'lines+markers', x: Array.from(c.probPred), y: Array.from(c.probTrue), name: `Class ${labels[i]}`, marker: { size: 3 },
  }))
  data.push(dashed([0, 1], [0, 1], 'Perfect Calibration', { dash: 'dot', color: 'black' }))
  return {
    data,
    layout: layout(`${classifierName} Calibration`, 'Mean Predicted Probability', 'Fraction of True Positives', { showlegend: true, legend: { orientation: 'h' } }),
  }
}

/**
 * Lablog's `residuals_plot` for regressors (MLflow logs no such plot): residual (target − prediction)
 * against prediction, with a zero line; at most `maxPoints` evenly spaced rows.
 */
export function residualsFigure(targets: ArrayLike<number>, predictions: ArrayLike<number>, maxPoints = 10 * DEFAULT_MAX_CURVE_POINTS): PlotlyFigure {
  const n = targets.length
  const residuals = new Float64Array(n)
  for (let i = 0; i < n; i++) residuals[i] = targets[i]! - predictions[i]!
  const pts = thin(predictions, residuals, maxPoints)
  let lo = Infinity, hi = -Infinity
  for (const v of pts.x) { if (v < lo) lo = v; if (v > hi) hi = v }
  return {
    data: [
      { type: 'scatter', mode: 'markers', x: pts.x, y: pts.y, name: 'Residuals', marker: { size: 4, opacity: 0.6 } },
      dashed(n ? [lo, hi] : [0, 1], [0, 0], null, { dash: 'dash', color: 'gray' }),
    ],
    layout: layout('Residuals', 'Predicted value', 'Residual (target − prediction)', { showlegend: false }),
  }
}
