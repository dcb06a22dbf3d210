/**
 * Tiny datasets whose metric values are worked out by hand (in the comments), so the definitions are
 * checked independently of the goldens.
 */
import { describe, expect, it } from 'vitest'
import {
  accuracy, auc, averagePrecision, binaryClfCurve, classSums, computeEvaluation, precisionRecallCurve, precisionRecallF1,
  regressorMetrics, rocAucFromCurve, rocCurve, EPS,
} from '../../../src/evaluate/index.ts'

const codes = (a: number[]) => Int32Array.from(a)

describe('binary: y = [0, 0, 1, 1], P(1) = [0.1, 0.4, 0.35, 0.8], predictions at 0.5 = [0, 0, 0, 1]', () => {
  const targets = [0, 0, 1, 1], p1 = [0.1, 0.4, 0.35, 0.8], predictions = [0, 0, 0, 1]
  const out = computeEvaluation({ modelType: 'classifier', targets, predictions, probabilities: p1 })

  it('counts: TN 2 (rows 0, 1), FP 0, FN 1 (row 2), TP 1 (row 3)', () => {
    expect(out.metrics).toMatchObject({ true_negatives: 2, false_positives: 0, false_negatives: 1, true_positives: 1, example_count: 4 })
  })
  it('accuracy 3/4, precision 1/1, recall 1/2, f1 2·1·½/(1+½) = 2/3', () => {
    expect(out.metrics.accuracy_score).toBe(0.75)
    expect(out.metrics.precision_score).toBe(1)
    expect(out.metrics.recall_score).toBe(0.5)
    expect(out.metrics.f1_score).toBeCloseTo(2 / 3, 15)
  })
  it('log_loss = mean(−ln 0.9, −ln 0.6, −ln 0.35, −ln 0.8)', () => {
    const want = (-Math.log(0.9) - Math.log(0.6) - Math.log(0.35) - Math.log(0.8)) / 4
    expect(out.metrics.log_loss).toBeCloseTo(want, 14)
  })
  it('roc_auc: 3 of the 4 (positive, negative) pairs are ranked right = 0.75', () => {
    expect(out.metrics.roc_auc).toBe(0.75)
  })
  it('ROC curve points after drop_intermediate, first threshold = max score + 1', () => {
    const roc = rocCurve(binaryClfCurve(p1, targets))
    expect(Array.from(roc.fpr)).toEqual([0, 0, 0.5, 0.5, 1])
    expect(Array.from(roc.tpr)).toEqual([0, 0.5, 0.5, 1, 1])
    expect(Array.from(roc.thresholds)).toEqual([1.8, 0.8, 0.4, 0.35, 0.1])
  })
  it('PR curve (every threshold, recall decreasing, ends at (0, 1)); AP = ½·1 + ½·⅔ = 5/6', () => {
    const pr = precisionRecallCurve(binaryClfCurve(p1, targets))
    expect(Array.from(pr.precision)).toEqual([0.5, 2 / 3, 0.5, 1, 1])
    expect(Array.from(pr.recall)).toEqual([1, 1, 0.5, 0.5, 0])
    expect(Array.from(pr.thresholds)).toEqual([0.1, 0.35, 0.4, 0.8])
    expect(out.metrics.precision_recall_auc).toBeCloseTo(5 / 6, 15)
  })
})

describe('ranking details', () => {
  it('a tie between a positive and a negative counts one half: AUC = (½ + 1 + 1 + 1) / 4', () => {
    expect(rocAucFromCurve(binaryClfCurve([0.5, 0.5, 0.2, 0.9], [0, 1, 0, 1]))).toBe(0.875)
  })
  it('drop_intermediate removes collinear points (0.4 and 0.2 here)', () => {
    const curve = binaryClfCurve([0.1, 0.2, 0.3, 0.4, 0.5, 0.9], [0, 0, 1, 1, 0, 1])
    expect(Array.from(rocCurve(curve).thresholds)).toEqual([1.9, 0.9, 0.5, 0.3, 0.1])
    expect(Array.from(rocCurve(curve, false).thresholds)).toEqual([1.9, 0.9, 0.5, 0.4, 0.3, 0.2, 0.1])
  })
  it('weights: a row of weight 2 counts twice, weight 0 rows vanish', () => {
    const weighted = binaryClfCurve([0.9, 0.8, 0.7, 0.6], [1, 0, 1, 0], [2, 1, 1, 0])
    expect(Array.from(weighted.tps)).toEqual([2, 2, 3])
    expect(Array.from(weighted.fps)).toEqual([0, 1, 1])
  })
  it('no positive rows: recall is 1 everywhere and AP is 0 (sklearn 1.2.1 warns)', () => {
    const warnings: string[] = []
    const ap = averagePrecision(precisionRecallCurve(binaryClfCurve([0.1, 0.5, 0.3], [0, 0, 0]), (w) => warnings.push(w)))
    expect(ap === 0).toBe(true)
    expect(warnings[0]).toMatch(/No positive class found in y_true/)
  })
  it('auc() integrates decreasing x too and rejects non-monotonic x', () => {
    expect(auc([1, 0], [1, 1])).toBe(1)
    expect(() => auc([0, 1, 0.5], [0, 1, 1])).toThrow(/neither increasing nor decreasing/)
  })
})

describe('multiclass: y = [0, 0, 0, 1, 1, 2], ŷ = [0, 0, 1, 1, 2, 2]', () => {
  // class 0: tp 2, predicted 2, true 3 → P 1,   R 2/3, F 0.8
  // class 1: tp 1, predicted 2, true 2 → P 1/2, R 1/2, F 1/2
  // class 2: tp 1, predicted 2, true 1 → P 1/2, R 1,   F 2/3
  const sums = classSums(codes([0, 0, 0, 1, 1, 2]), codes([0, 0, 1, 1, 2, 2]), 3)
  it('macro = plain mean over classes', () => {
    const r = precisionRecallF1(sums, 'macro')
    expect(r.precision).toBeCloseTo((1 + 0.5 + 0.5) / 3, 15)
    expect(r.recall).toBeCloseTo((2 / 3 + 0.5 + 1) / 3, 15)
    expect(r.f1).toBeCloseTo((0.8 + 0.5 + 2 / 3) / 3, 15)
  })
  it('weighted = mean weighted by true counts 3, 2, 1 (weighted recall is the accuracy)', () => {
    const r = precisionRecallF1(sums, 'weighted')
    expect(r.precision).toBeCloseTo((3 * 1 + 2 * 0.5 + 1 * 0.5) / 6, 15)
    expect(r.recall).toBeCloseTo(4 / 6, 15)
    expect(r.f1).toBeCloseTo((3 * 0.8 + 2 * 0.5 + 2 / 3) / 6, 15)
  })
  it('micro = global tp / predicted = accuracy 4/6 for all three', () => {
    const r = precisionRecallF1(sums, 'micro')
    expect([r.precision, r.recall, r.f1].map((v) => v.toFixed(15))).toEqual(Array(3).fill((4 / 6).toFixed(15)))
  })
  it('binary averaging is refused for three classes, as sklearn does', () => {
    expect(() => precisionRecallF1(sums, 'binary', 1)).toThrow(/Target is multiclass but average='binary'/)
  })
  it('accuracy with weights: Σ w(right) / Σ w', () => {
    expect(accuracy(codes([0, 1, 1]), codes([0, 0, 1]), [1, 2, 3])).toBe(4 / 6)
  })
})

describe('regressor: y = [1, 2, 3, 0], ŷ = [1.5, 2, 2, 0.5]', () => {
  const m = regressorMetrics(Float64Array.of(1, 2, 3, 0), Float64Array.of(1.5, 2, 2, 0.5))
  it('errors |e| = [.5, 0, 1, .5]: MAE 0.5, MSE (.25+0+1+.25)/4 = 0.375, RMSE √0.375, max 1', () => {
    expect(m.mean_absolute_error).toBe(0.5)
    expect(m.mean_squared_error).toBe(0.375)
    expect(m.root_mean_squared_error).toBe(Math.sqrt(0.375))
    expect(m.max_error).toBe(1)
  })
  it('r2 = 1 − 1.5 / 5 (mean 1.5, SS_tot = .25 + .25 + 2.25 + 2.25)', () => {
    expect(m.r2_score).toBeCloseTo(0.7, 15)
  })
  it('MAPE divides by max(|y|, ε): the y = 0 row contributes 0.5 / ε', () => {
    expect(m.mean_absolute_percentage_error).toBeCloseTo((0.5 + 0 + 1 / 3 + 0.5 / EPS) / 4, 0)
    expect(m.mean_absolute_percentage_error).toBe(562949953421312.2) // sklearn 1.2.1's value
  })
  it('sum_on_target 6, mean_on_target 1.5, example_count 4', () => {
    expect([m.sum_on_target, m.mean_on_target, m.example_count]).toEqual([6, 1.5, 4])
  })
  it('weighted: mean_on_target still divides Σ y·w by the row count', () => {
    const w = regressorMetrics(Float64Array.of(1, 2, 3, 0), Float64Array.of(1.5, 2, 2, 0.5), [1, 1, 2, 0])
    expect(w.sum_on_target).toBe(1 + 2 + 6)
    expect(w.mean_on_target).toBe(9 / 4)
    expect(w.mean_absolute_error).toBe((0.5 + 0 + 2) / 4)
    expect(w.max_error).toBe(1)
  })
  it('r2 edge cases: perfect constant → 1, constant target missed → 0, one row → NaN', () => {
    expect(regressorMetrics(Float64Array.of(2, 2), Float64Array.of(2, 2)).r2_score).toBe(1)
    expect(regressorMetrics(Float64Array.of(2, 2), Float64Array.of(1, 3)).r2_score).toBe(0)
    expect(regressorMetrics(Float64Array.of(2), Float64Array.of(1)).r2_score).toBeNaN()
  })
})
