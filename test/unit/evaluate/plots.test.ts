/** Plotly figure specs: MLflow's titles, axis labels and legends; JSON-safe data; thinning. */
import { describe, expect, it } from 'vitest'
import {
  computeEvaluation, confusionMatrixFigure, pyFixed, pyG2, thin, type PlotlyFigure,
} from '../../../src/evaluate/index.ts'

const title = (f: PlotlyFigure) => (f.layout.title as { text: string } | undefined)?.text
const axis = (f: PlotlyFigure, a: 'xaxis' | 'yaxis') => (f.layout[a] as { title: { text: string } }).title.text
const names = (f: PlotlyFigure) => f.data.map((t) => t.name).filter((n) => n !== undefined)

describe('binary figures', () => {
  const out = computeEvaluation({ modelType: 'classifier', targets: [0, 0, 1, 1], predictions: [0, 0, 0, 1], probabilities: [0.1, 0.4, 0.35, 0.8] })
  it('ROC: "ROC curve", axis labels with the positive label, legend AUC=0.750, steps-post line, dashed diagonal', () => {
    const f = out.figures.roc_curve_plot!
    expect(title(f)).toBe('ROC curve')
    expect(axis(f, 'xaxis')).toBe('False Positive Rate (Positive label: 1)')
    expect(axis(f, 'yaxis')).toBe('True Positive Rate (Positive label: 1)')
    expect(names(f)).toEqual(['AUC=0.750'])
    expect(f.data[0]).toMatchObject({ x: [0, 0, 0.5, 0.5, 1], y: [0, 0.5, 0.5, 1, 1], line: { shape: 'hv' } })
    expect(f.data[1]).toMatchObject({ x: [0, 1], y: [0, 1], line: { dash: 'dash' } })
  })
  it('PR: "Precision recall curve", x = recall, legend AP=0.833', () => {
    const f = out.figures.precision_recall_curve_plot!
    expect([title(f), axis(f, 'xaxis'), axis(f, 'yaxis')]).toEqual(['Precision recall curve', 'Recall (Positive label: 1)', 'Precision (Positive label: 1)'])
    expect(names(f)).toEqual(['AP=0.833'])
    expect(f.data[0]!.x).toEqual([1, 1, 0.5, 0.5, 0])
  })
  it('lift: "Lift Curve", one line per class and the baseline', () => {
    const f = out.figures.lift_curve_plot!
    expect([title(f), axis(f, 'xaxis'), axis(f, 'yaxis')]).toEqual(['Lift Curve', 'Percentage of sample', 'Lift'])
    expect(names(f)).toEqual(['Class 0', 'Class 1', 'Baseline'])
    // class 1 ranked by P(1) = 0.8, 0.4, 0.35, 0.1 → positives found 1, 1, 2, 2 of 2 → lift 2, 1, 4/3, 1
    expect(f.data[1]!.y).toEqual([2, 1, (2 / 2) / 0.75, 1])
  })
  it('calibration: sklearn CalibrationDisplay labels, no title; 0.35 and 0.4 share the bin (0.3, 0.4]', () => {
    const f = out.figures.calibration_curve_plot!
    expect(title(f)).toBeUndefined()
    expect(axis(f, 'xaxis')).toBe('Mean predicted probability (Positive class: 1)')
    expect(axis(f, 'yaxis')).toBe('Fraction of positives (Positive class: 1)')
    expect(names(f)).toEqual(['Perfectly calibrated'])
    expect(f.data[1]).toMatchObject({ x: [0.1, 0.375, 0.8], y: [0, 0.5, 1] }) // sklearn 1.2.1's calibration_curve
  })
  it('confusion matrix: normalized by true label, counts in the cell text, "Normalized confusion matrix"', () => {
    const f = out.figures.confusion_matrix!
    expect([title(f), axis(f, 'xaxis'), axis(f, 'yaxis')]).toEqual(['Normalized confusion matrix', 'Predicted label', 'True label'])
    expect(f.data[0]).toMatchObject({ type: 'heatmap', x: ['0', '1'], y: ['0', '1'], z: [[1, 0], [0.5, 0.5]] })
    expect(f.data[0]!.text).toEqual([['1<br>(2)', '0<br>(0)'], ['0.5<br>(1)', '0.5<br>(1)']])
  })
  it('every figure survives JSON as the same arrays', () => {
    for (const f of Object.values(out.figures)) expect(JSON.parse(JSON.stringify(f))).toEqual(f)
  })
})

describe('multiclass figures', () => {
  const out = computeEvaluation({
    modelType: 'classifier', targets: ['a', 'b', 'c', 'a'], predictions: ['a', 'b', 'b', 'a'],
    probabilities: [[0.7, 0.2, 0.1], [0.1, 0.8, 0.1], [0.2, 0.5, 0.3], [0.6, 0.3, 0.1]],
    evaluatorConfig: { calibrationClassifierName: 'LogReg' },
  })
  it('one one-vs-rest line per class labelled label=<c>,AUC=… / AP=…, no positive label in the axes', () => {
    const roc = out.figures.roc_curve_plot!
    expect(names(roc)).toEqual(['label=a,AUC=1.000', 'label=b,AUC=1.000', 'label=c,AUC=1.000'])
    expect(axis(roc, 'xaxis')).toBe('False Positive Rate')
    expect(names(out.figures.precision_recall_curve_plot!)).toEqual(['label=a,AP=1.000', 'label=b,AP=1.000', 'label=c,AP=1.000'])
  })
  it('calibration: "<name> Calibration", a line per class and "Perfect Calibration"', () => {
    const f = out.figures.calibration_curve_plot!
    expect([title(f), axis(f, 'xaxis'), axis(f, 'yaxis')]).toEqual(['LogReg Calibration', 'Mean Predicted Probability', 'Fraction of True Positives'])
    expect(names(f)).toEqual(['Class a', 'Class b', 'Class c', 'Perfect Calibration'])
  })
})

describe('formatting and thinning', () => {
  it('legend numbers round like Python: an exact tie goes to even (0.8125 → 0.812)', () => {
    expect(pyFixed(0.8125, 3)).toBe('0.812')
    expect(pyFixed(0.9375, 3)).toBe('0.938')
    expect(pyFixed(0.97677836, 3)).toBe('0.977')
    expect(pyFixed(1, 3)).toBe('1.000')
  })
  it('cell text as Python\'s .2g', () => {
    expect([0, 1, 0.5, 0.92063, 0.125, 0.00001234, 0.0001234, 0.0625, 9.96, 0.995].map(pyG2))
      .toEqual(['0', '1', '0.5', '0.92', '0.12', '1.2e-05', '0.00012', '0.062', '10', '0.99'])
  })
  it('thin keeps the first and last point and at most maxPoints', () => {
    const x = Array.from({ length: 10001 }, (_, i) => i)
    const t = thin(x, x, 100)
    expect(t.x.length).toBe(100)
    expect([t.x[0], t.x[99]]).toEqual([0, 10000])
    expect(thin([1, 2], [3, 4], 100)).toEqual({ x: [1, 2], y: [3, 4] })
  })
  it('a confusion row with no true rows is all zeros (sklearn nan_to_num)', () => {
    const f = confusionMatrixFigure([0, 0, 1, 1], [0, 0, 0.5, 0.5], [0, 1])
    expect(f.data[0]!.z).toEqual([[0, 0], [0.5, 0.5]])
  })
})

describe('residuals (Lablog only)', () => {
  it('residual = target − prediction against prediction, zero line', () => {
    const f = computeEvaluation({ modelType: 'regressor', targets: [1, 2, 3], predictions: [1.5, 2, 2], evaluatorConfig: { logResidualsPlot: true } }).figures.residuals_plot!
    expect(f.data[0]).toMatchObject({ x: [1.5, 2, 2], y: [-0.5, 0, 1], mode: 'markers' })
    expect(f.data[1]).toMatchObject({ x: [1.5, 2], y: [0, 0] })
    expect(title(f)).toBe('Residuals')
  })
})
