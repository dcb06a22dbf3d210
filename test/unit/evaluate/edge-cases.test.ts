/** computeEvaluation on awkward data: one class, constant predictions, strings, label_list, bad input. */
import { describe, expect, it } from 'vitest'
import { isMlflowError } from '../../../src/core/errors.ts'
import { computeEvaluation, type EvaluationInput } from '../../../src/evaluate/index.ts'

function expectInvalid(input: EvaluationInput, message: RegExp) {
  let error: unknown
  try { computeEvaluation(input) } catch (e) { error = e }
  expect(isMlflowError(error, 'INVALID_PARAMETER_VALUE'), String(error)).toBe(true)
  expect((error as Error).message).toMatch(message)
}

describe('a single class in the targets', () => {
  const input: EvaluationInput = {
    modelType: 'classifier', targets: [1, 1, 1, 1], predictions: [1, 0, 1, 1], probabilities: [0.9, 0.4, 0.8, 0.7],
  }
  const out = computeEvaluation(input)
  it('does not throw; roc_auc is left out with sklearn\'s reason (MLflow raises unless it suppresses class-imbalance errors)', () => {
    expect(out.metrics.roc_auc).toBeUndefined()
    expect(out.warnings.join('\n')).toMatch(/Only one class present in y_true/)
  })
  it('keeps the label metrics, log_loss and average precision (1 when every row is positive)', () => {
    expect(out.metrics).toMatchObject({ true_negatives: 0, false_positives: 0, false_negatives: 1, true_positives: 3, accuracy_score: 0.75 })
    expect(out.metrics.precision_score).toBe(1)
    expect(out.metrics.recall_score).toBe(0.75)
    expect(out.metrics.precision_recall_auc).toBe(1)
    expect(out.metrics.log_loss).toBeGreaterThan(0)
  })
  it('draws no ROC or lift curve (undefined for one class), but the PR curve and confusion matrix', () => {
    expect(Object.keys(out.figures).sort()).toEqual(['calibration_curve_plot', 'confusion_matrix', 'precision_recall_curve_plot'])
  })
  it('one label overall is an error, as in MLflow; with label_list it is evaluated', () => {
    expectInvalid({ modelType: 'classifier', targets: [1, 1], predictions: [1, 1] }, /at least two unique labels, but only 1/)
    const withList = computeEvaluation({ modelType: 'classifier', targets: [1, 1], predictions: [1, 1], evaluatorConfig: { labelList: [0, 1] } })
    expect(withList.metrics).toMatchObject({
      true_negatives: 0, false_positives: 0, false_negatives: 0, true_positives: 2, accuracy_score: 1, precision_score: 1, recall_score: 1, f1_score: 1,
    })
  })
  it('multiclass with a label_list class absent from the targets: roc_auc left out, per-class AUC NaN for it', () => {
    const m = computeEvaluation({
      modelType: 'classifier', targets: [0, 1, 0, 1], predictions: [0, 1, 2, 1], evaluatorConfig: { labelList: [0, 1, 2] },
      probabilities: [[0.7, 0.2, 0.1], [0.1, 0.8, 0.1], [0.3, 0.2, 0.5], [0.2, 0.6, 0.2]],
    })
    expect(m.metrics.roc_auc).toBeUndefined()
    expect(m.tables.per_class_metrics![2]!.roc_auc).toBeNaN()
    expect(m.tables.per_class_metrics![0]!.roc_auc).toBe(1)
  })
})

describe('constant predictions', () => {
  const out = computeEvaluation({ modelType: 'classifier', targets: [0, 1, 1, 0], predictions: [0, 0, 0, 0], probabilities: [0.5, 0.5, 0.5, 0.5] })
  it('precision of the never-predicted positive class is 0.0 with sklearn\'s UndefinedMetricWarning text', () => {
    expect(out.metrics).toMatchObject({ precision_score: 0, recall_score: 0, f1_score: 0, accuracy_score: 0.5 })
    expect(out.warnings).toContain('Precision is ill-defined and being set to 0.0 due to no predicted samples. Use `zero_division` parameter to control this behavior.')
  })
  it('constant scores give the diagonal: roc_auc 0.5, AP = positive rate 0.5', () => {
    expect(out.metrics.roc_auc).toBe(0.5)
    expect(out.metrics.precision_recall_auc).toBe(0.5)
  })
  it('a multiclass model that always predicts one class', () => {
    const m = computeEvaluation({ modelType: 'classifier', targets: [0, 1, 2, 2], predictions: [2, 2, 2, 2] })
    expect(m.metrics.accuracy_score).toBe(0.5)
    expect(m.metrics.precision_score).toBe(0.25) // weighted: class 2 has P 2/4 and support 2 of 4; others 0
    expect(m.tables.per_class_metrics!.map((r) => r.precision_score)).toEqual([0, 0, 0.5])
  })
})

describe('string labels and label order', () => {
  it('binary strings: the positive label is the largest ("yes"); 1-D probabilities are P(yes)', () => {
    const out = computeEvaluation({ modelType: 'classifier', targets: ['no', 'yes', 'yes', 'no'], predictions: ['no', 'yes', 'no', 'no'], probabilities: [0.2, 0.9, 0.4, 0.3] })
    expect(out.metrics).toMatchObject({ true_negatives: 2, false_positives: 0, false_negatives: 1, true_positives: 1, recall_score: 0.5, roc_auc: 1 })
    expect(out.figures.roc_curve_plot!.layout.xaxis).toEqual({ title: { text: 'False Positive Rate (Positive label: yes)' } })
  })
  it('labels sort by code point (numpy order): "B" < "a" < "b" < "é"', () => {
    const out = computeEvaluation({ modelType: 'classifier', targets: ['é', 'a', 'B', 'b'], predictions: ['é', 'a', 'B', 'b'] })
    expect(out.tables.per_class_metrics!.map((r) => r.positive_class)).toEqual(['B', 'a', 'b', 'é'])
  })
  it('label_list in any order is sorted; probability columns follow the sorted order', () => {
    const out = computeEvaluation({
      modelType: 'classifier', targets: ['c', 'a', 'b'], predictions: ['c', 'a', 'a'], evaluatorConfig: { labelList: ['c', 'b', 'a'] },
      probabilities: [[0.1, 0.1, 0.8], [0.8, 0.1, 0.1], [0.6, 0.3, 0.1]],
    })
    expect(out.tables.per_class_metrics!.map((r) => r.positive_class)).toEqual(['a', 'b', 'c'])
    expect(out.figures.confusion_matrix!.data[0]!.x).toEqual(['a', 'b', 'c'])
    expect(out.metrics.log_loss).toBeCloseTo((-Math.log(0.8) - Math.log(0.8) - Math.log(0.3)) / 3, 14)
  })
  it('a given pos_label is the positive class and moves to the end of label_list (confusion matrix order)', () => {
    const base = { modelType: 'classifier' as const, targets: [0, 0, 1, 1, 1], predictions: [0, 1, 1, 1, 0], probabilities: [0.2, 0.6, 0.7, 0.9, 0.4] }
    const pos0 = computeEvaluation({ ...base, probabilities: base.probabilities.map((p) => [1 - p, p]), evaluatorConfig: { posLabel: 0 } })
    const pos1 = computeEvaluation(base)
    expect(pos0.metrics.precision_score).toBe(0.5) // predicted 0 twice, right once
    expect(pos0.metrics.recall_score).toBe(0.5)
    expect(pos0.metrics.roc_auc).toBeCloseTo(pos1.metrics.roc_auc!, 15) // the ranking of P(0) is the ranking of P(1) reversed
    expect(pos0.metrics.true_positives).toBe(pos1.metrics.true_positives) // raveled over sorted labels, whatever pos_label
    expect(pos0.figures.confusion_matrix!.data[0]!.x).toEqual(['1', '0'])
    expect(pos0.figures.roc_curve_plot!.layout.xaxis).toEqual({ title: { text: 'False Positive Rate' } }) // Python: `if pos_label:` is false for 0
  })
  it('pos_label outside the labels, labels outside label_list, duplicate label_list entries: errors', () => {
    expectInvalid({ modelType: 'classifier', targets: [0, 1], predictions: [0, 1], evaluatorConfig: { posLabel: 2 } }, /'pos_label' 2 must exist in 'label_list'/)
    expectInvalid({ modelType: 'classifier', targets: [0, 1, 2], predictions: [0, 1, 1], evaluatorConfig: { labelList: [0, 1] } }, /'targets' has the label 2 at row 2.*not in label_list/)
    expectInvalid({ modelType: 'classifier', targets: [0, 1], predictions: [0, 1], evaluatorConfig: { labelList: [0, 1, 1] } }, /duplicate/)
  })
})

describe('bad input is INVALID_PARAMETER_VALUE naming the column and the first bad row', () => {
  it('NaN in targets or predictions', () => {
    expectInvalid({ modelType: 'classifier', targets: [0, 1, NaN, NaN], predictions: [0, 1, 1, 0] }, /Column 'targets' contains NaN at row 2/)
    expectInvalid({ modelType: 'regressor', targets: [0, 1, 2], predictions: [0.5, NaN, 1] }, /Column 'predictions' contains NaN at row 1/)
    expectInvalid({ modelType: 'regressor', targets: [0, 1], predictions: [0, 1], evaluatorConfig: { sampleWeights: [1, NaN] } }, /'sample_weights' contains NaN at row 1/)
  })
  it('uses the caller\'s column names', () => {
    expectInvalid({ modelType: 'regressor', targets: [1, null as unknown as number], predictions: [1, 2], columnNames: { targets: 'price' } }, /Column 'price' has a missing value at row 1/)
  })
  it('mixed label types, non-integer numeric labels, infinite values, lengths', () => {
    expectInvalid({ modelType: 'classifier', targets: [0, 1], predictions: ['0', '1'] }, /Mix of label input types.*'predictions' row 0/)
    expectInvalid({ modelType: 'classifier', targets: [0, 0.5], predictions: [0, 1] }, /non-integer value 0.5 at row 1/)
    expectInvalid({ modelType: 'regressor', targets: [0, Infinity], predictions: [0, 1] }, /Infinity at row 1/)
    expectInvalid({ modelType: 'regressor', targets: [0, 1], predictions: [0] }, /has 2 rows but 'predictions' has 1/)
    expectInvalid({ modelType: 'classifier', targets: [], predictions: [] }, /empty/)
  })
  it('probabilities: NaN, wrong column count, 1-D for multiclass, rows not summing to 1 (multiclass roc_auc)', () => {
    const base = { modelType: 'classifier' as const, targets: [0, 1, 2], predictions: [0, 1, 2] }
    expectInvalid({ ...base, probabilities: [[1, 0, 0], [0, NaN, 1], [0, 0, 1]] }, /'probabilities' has NaN at row 1.*column 1/)
    expectInvalid({ ...base, probabilities: [[1, 0], [0, 1], [0, 1]] }, /2 columns but there are 3 labels/)
    expectInvalid({ ...base, probabilities: [0.2, 0.3, 0.4] }, /only fits a binary problem/)
    expectInvalid({ ...base, probabilities: [[0.5, 0.1, 0.1], [0, 1, 0], [0, 0, 1]] }, /sum up to 1.0 over classes/)
    // micro averaging computes no roc_auc, so sklearn never checks the sums
    expect(computeEvaluation({ ...base, probabilities: [[0.5, 0.1, 0.1], [0, 1, 0], [0, 0, 1]], evaluatorConfig: { average: 'micro' } }).metrics.roc_auc).toBeUndefined()
  })
  it('average: binary for multiclass and unknown values are refused; binary problems always use binary', () => {
    expectInvalid({ modelType: 'classifier', targets: [0, 1, 2], predictions: [0, 1, 2], evaluatorConfig: { average: 'binary' } }, /Target is multiclass but average='binary'/)
    expectInvalid({ modelType: 'classifier', targets: [0, 1], predictions: [0, 1], evaluatorConfig: { average: 'samples' as 'micro' } }, /average has to be one of/)
    const bin = computeEvaluation({ modelType: 'classifier', targets: [0, 1, 1], predictions: [1, 1, 1], evaluatorConfig: { average: 'macro' } })
    expect(bin.metrics.precision_score).toBe(2 / 3)
  })
  it('negative sample weights, wrong model type', () => {
    expectInvalid({ modelType: 'regressor', targets: [0, 1], predictions: [0, 1], evaluatorConfig: { sampleWeights: [1, -1] } }, /negative/)
    expectInvalid({ modelType: 'ranker' as 'regressor', targets: [0, 1], predictions: [0, 1] }, /model_type/)
  })
})

describe('config, prefix, extra metrics and input shapes', () => {
  const targets = [0, 1, 2, 0, 1, 2], predictions = [0, 2, 2, 0, 1, 1]
  const rows = [[0.8, 0.1, 0.1], [0.1, 0.3, 0.6], [0.2, 0.2, 0.6], [0.6, 0.3, 0.1], [0.1, 0.7, 0.2], [0.3, 0.4, 0.3]]
  it('multiclass: roc_auc only for macro and weighted (one-vs-rest), not micro', () => {
    const got = (average: 'micro' | 'macro' | 'weighted') => computeEvaluation({ modelType: 'classifier', targets, predictions, probabilities: rows, evaluatorConfig: { average } }).metrics
    expect(got('micro').roc_auc).toBeUndefined()
    expect(got('macro').roc_auc).toBeTypeOf('number')
    expect(got('weighted').roc_auc).toBe(got('macro').roc_auc) // equal supports
  })
  it('metric_prefix prefixes every metric (extra ones too) but no figure or table key; snake_case config works', () => {
    const out = computeEvaluation({
      modelType: 'classifier', targets, predictions, probabilities: rows, evaluatorConfig: { metric_prefix: 'val_' },
      extraMetrics: [{ name: 'mine', fn: () => 1, greaterIsBetter: true }],
    })
    expect(Object.keys(out.metrics).every((k) => k.startsWith('val_'))).toBe(true)
    expect(out.metrics.val_mine).toBe(1)
    expect(Object.keys(out.figures)).toContain('confusion_matrix')
    expect(Object.keys(out.tables)).toEqual(['per_class_metrics'])
  })
  it('extra metrics: get predictions, targets and built-in metrics; versions, aggregates, null skipped', () => {
    const seen: unknown[] = []
    const out = computeEvaluation({
      modelType: 'regressor', targets: [1, 2, 3], predictions: [1, 2, 4], evaluatorConfig: { metricPrefix: 'p_' },
      extraMetrics: [
        { name: 'errors', fn: (p, t, m) => { seen.push(p, t, m.mean_absolute_error); return 7 }, greaterIsBetter: false, version: 'v1' },
        { name: 'stats', fn: () => ({ mean: 2, stats: 3 }), greaterIsBetter: true },
        { name: 'nothing', fn: () => null, greaterIsBetter: true },
      ],
    })
    expect(seen).toEqual([[1, 2, 4], [1, 2, 3], 1 / 3])
    expect(out.metrics['p_errors/v1']).toBe(7)
    expect(out.metrics['p_stats/p_mean']).toBe(2) // MLflow prefixes aggregate names too
    expect(out.metrics.p_stats).toBe(3)
    expect(Object.keys(out.metrics).some((k) => k.includes('nothing'))).toBe(false)
  })
  it('rows of arrays, a row-major matrix (Float32Array too) and typed rows agree', () => {
    const flat = Float64Array.from(rows.flat())
    const a = computeEvaluation({ modelType: 'classifier', targets, predictions, probabilities: rows }).metrics
    const b = computeEvaluation({ modelType: 'classifier', targets, predictions, probabilities: { data: flat, rows: 6, cols: 3 } }).metrics
    const c = computeEvaluation({ modelType: 'classifier', targets, predictions, probabilities: rows.map((r) => Float64Array.from(r)) }).metrics
    expect(b).toEqual(a)
    expect(c).toEqual(a)
    const f32 = computeEvaluation({ modelType: 'classifier', targets, predictions, probabilities: { data: Float32Array.from(rows.flat()), rows: 6, cols: 3 } }).metrics
    expect(f32.roc_auc).toBe(a.roc_auc)
  })
  it('includeScore adds score = accuracy (classifier) or r2 (regressor), first like MLflow', () => {
    const c = computeEvaluation({ modelType: 'classifier', targets, predictions, includeScore: true })
    expect(Object.keys(c.metrics)[0]).toBe('score')
    expect(c.metrics.score).toBe(c.metrics.accuracy_score)
    const r = computeEvaluation({ modelType: 'regressor', targets: [1, 2, 3], predictions: [1, 2, 4], includeScore: true })
    expect(r.metrics.score).toBe(r.metrics.r2_score)
  })
  it('regressors: no figures unless logResidualsPlot; a one-row dataset warns that r2 is undefined', () => {
    expect(computeEvaluation({ modelType: 'regressor', targets: [1, 2], predictions: [1, 3] }).figures).toEqual({})
    expect(Object.keys(computeEvaluation({ modelType: 'regressor', targets: [1, 2], predictions: [1, 3], evaluatorConfig: { logResidualsPlot: true } }).figures)).toEqual(['residuals_plot'])
    const one = computeEvaluation({ modelType: 'regressor', targets: [1], predictions: [2] })
    expect(one.metrics.r2_score).toBeNaN()
    expect(one.warnings).toContain('R^2 score is not well-defined with less than two samples.')
  })
  it('more classes than max_classes_for_multiclass_roc_pr: no ROC/PR figures nor per-class AUC columns, roc_auc still logged', () => {
    const out = computeEvaluation({ modelType: 'classifier', targets, predictions, probabilities: rows, evaluatorConfig: { maxClassesForMulticlassRocPr: 2 } })
    expect(out.figures.roc_curve_plot).toBeUndefined()
    expect(Object.keys(out.tables.per_class_metrics![0]!)).not.toContain('roc_auc')
    expect(out.metrics.roc_auc).toBeTypeOf('number')
  })
})
