/**
 * Cases the MLflow goldens do not cover (ties, weights, string labels, a smaller pos_label, 12 classes,
 * every average, absent labels, >8192 rows), against scikit-learn 1.2.1 / numpy 1.24.2 reference values
 * made by fixtures/gen_sklearn_crosscheck.py.
 */
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import {
  binaryClfCurve, calibrationCurve, computeEvaluation, liftCurve, precisionRecallCurve, rocCurve, type Label,
} from '../../../src/evaluate/index.ts'

interface Variant {
  name: string
  sampleWeights: number[] | null
  posLabel?: Label
  labelList?: Label[]
  calibrationNBins?: number
  expected?: Record<string, number>
  byAverage?: Record<string, Record<string, number>>
  perClass?: Record<string, Label>[]
  confusionNormalized?: number[][]
  curves?: {
    roc: { fpr: number[]; tpr: number[]; thresholds: number[] }
    pr: { precision: number[]; recall: number[]; thresholds: number[] }
    calibration: { probTrue: number[]; probPred: number[] }
    lift: [number[], number[]] | null
  } | null
}
interface Case {
  name: string
  modelType: 'classifier' | 'regressor'
  inputs: { targets?: Label[]; predictions?: Label[]; probabilities?: number[][]; formula?: string; n?: number }
  variants: Variant[]
}

const here = path.dirname(fileURLToPath(import.meta.url))
const data = JSON.parse(readFileSync(path.join(here, 'fixtures/sklearn-crosscheck.json'), 'utf8')) as { cases: Case[] }

/** Inputs of the large cases, made with the same IEEE operations as the generator's numpy code. */
function formulaInputs(formula: string, n: number): { targets: number[]; predictions: number[]; probabilities?: number[][] } {
  const targets: number[] = [], predictions: number[] = [], probabilities: number[][] = []
  for (let i = 0; i < n; i++) {
    if (formula === 'binary-20000') {
      const u = ((i * 7919) % 10007) / 10007
      const y = ((i * 31) % 7) < 3 ? 1 : 0
      const p1 = y === 1 ? 0.3 + 0.7 * u : 0.7 * u
      targets.push(y); predictions.push(p1 > 0.5 ? 1 : 0); probabilities.push([1 - p1, p1])
    } else {
      const y = ((i * 7919) % 10007) - 5003.5
      targets.push(y); predictions.push(y * 0.9 + (((i * 104729) % 1009) - 504) / 3)
    }
  }
  return formula === 'binary-20000' ? { targets, predictions, probabilities } : { targets, predictions }
}

function close(got: number | undefined, want: number, what: string) {
  expect(got, what).toBeTypeOf('number')
  const tol = 1e-12 * Math.max(1, Math.abs(want))
  expect(Math.abs(got! - want), `${what}: got ${got}, sklearn ${want}`).toBeLessThanOrEqual(tol)
}

function closeArray(got: ArrayLike<number>, want: number[], what: string) {
  expect(got.length, `${what} length`).toBe(want.length)
  want.forEach((w, i) => close(got[i], w, `${what}[${i}]`))
}

let exact = 0, total = 0
function tally(got: Record<string, number>, want: Record<string, number>) {
  for (const [k, v] of Object.entries(want)) { total++; if (got[k] === v) exact++ }
}

describe.each(data.cases)('sklearn 1.2.1 cross-check: $name', (c) => {
  const inputs = c.inputs.formula ? formulaInputs(c.inputs.formula, c.inputs.n!) : c.inputs
  it.each(c.variants)('$name', (v) => {
    const config = {
      ...(v.sampleWeights ? { sampleWeights: v.sampleWeights } : {}),
      ...(v.posLabel !== undefined ? { posLabel: v.posLabel } : {}),
      ...(v.labelList ? { labelList: v.labelList } : {}),
      ...(v.calibrationNBins ? { calibrationNBins: v.calibrationNBins } : {}),
      maxClassesForMulticlassRocPr: 20,
    }
    const base = {
      modelType: c.modelType, targets: inputs.targets!, predictions: inputs.predictions!,
      ...(inputs.probabilities ? { probabilities: inputs.probabilities } : {}),
    }
    if (v.expected) {
      const out = computeEvaluation({ ...base, evaluatorConfig: config })
      for (const [k, want] of Object.entries(v.expected)) close(out.metrics[k], want, k)
      tally(out.metrics, v.expected)
    }
    for (const [average, want] of Object.entries(v.byAverage ?? {})) {
      const out = computeEvaluation({ ...base, evaluatorConfig: { ...config, average: average as 'micro' } })
      for (const [k, w] of Object.entries(want)) close(out.metrics[k], w, `${average} ${k}`)
      expect(Object.keys(out.metrics).sort()).toEqual(Object.keys(want).sort())
      tally(out.metrics, want)
      if (average === 'weighted' && v.perClass) {
        const rows = out.tables.per_class_metrics!
        v.perClass.forEach((wantRow, i) => {
          for (const [k, w] of Object.entries(wantRow)) {
            if (k === 'positive_class') expect(rows[i]![k]).toBe(w)
            else close(rows[i]![k] as number, w as number, `class ${wantRow.positive_class} ${k}`)
          }
          if (!('roc_auc' in wantRow)) expect(rows[i]!.roc_auc).toBeNaN()
        })
      }
      if (average === 'weighted' && v.confusionNormalized) {
        const z = out.figures.confusion_matrix!.data[0]!.z as number[][]
        v.confusionNormalized.forEach((row, r) => closeArray(z[r]!, row, `confusion row ${r}`))
      }
    }
    if (v.curves) {
      const labels = [...new Set(inputs.targets as Label[])].sort()
      const pos = v.posLabel!
      const pi = labels.indexOf(pos)
      const scores = inputs.probabilities!.map((r) => r[pi]!)
      const positive = (inputs.targets as Label[]).map((t) => (t === pos ? 1 : 0))
      const clf = binaryClfCurve(scores, positive, v.sampleWeights)
      const roc = rocCurve(clf)
      closeArray(roc.fpr, v.curves.roc.fpr, 'fpr'); closeArray(roc.tpr, v.curves.roc.tpr, 'tpr')
      closeArray(roc.thresholds, v.curves.roc.thresholds, 'roc thresholds')
      const pr = precisionRecallCurve(clf)
      closeArray(pr.precision, v.curves.pr.precision, 'precision'); closeArray(pr.recall, v.curves.pr.recall, 'recall')
      closeArray(pr.thresholds, v.curves.pr.thresholds, 'pr thresholds')
      const cal = calibrationCurve(scores, positive, v.calibrationNBins)
      closeArray(cal.probTrue, v.curves.calibration.probTrue, 'prob_true'); closeArray(cal.probPred, v.curves.calibration.probPred, 'prob_pred')
      if (v.curves.lift) {
        v.curves.lift.forEach((want, cls) => {
          const lift = liftCurve(inputs.probabilities!.map((r) => r[cls]!), (inputs.targets as Label[]).map((t) => (t === labels[cls] ? 1 : 0)))
          closeArray(lift.lift, want, `lift ${cls}`)
        })
      }
    }
  })
})

describe('bit-exactness against sklearn', () => {
  // Runs after the cases above (vitest runs tests in order): numpy's summation order is reproduced, so
  // every metric is the very double sklearn computed, not only within the 1e-12 checked above.
  it('every reference metric matches to the last bit', () => {
    expect(total).toBeGreaterThan(100)
    expect(`${exact}/${total}`).toBe(`${total}/${total}`)
  })
})
