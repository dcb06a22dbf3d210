/** The evaluate benchmark cases, shared by the Node and Chromium runs: 1M-row classifier and regressor. */
import { mlflow } from '../../src/index.ts'
import { computeEvaluation } from '../../src/evaluate/index.ts'
import { buildEvalArtifacts } from '../../src/evaluate/eval-artifacts.ts'
import type { EvaluationInput } from '../../src/evaluate/types.ts'
import type { BenchResult } from './types.ts'

const ROWS = 1_000_000

/** A deterministic pseudo-random sequence (no Math.random: the same data every run). */
function lcg(seed: number): () => number {
  let state = seed >>> 0
  return () => { state = (Math.imul(state, 1664525) + 1013904223) >>> 0; return state / 2 ** 32 }
}

function classifierData(): { targets: Int32Array; predictions: Int32Array; probabilities: Float32Array } {
  const random = lcg(1)
  const targets = new Int32Array(ROWS), predictions = new Int32Array(ROWS), probabilities = new Float32Array(ROWS * 10)
  for (let i = 0; i < ROWS; i++) {
    const label = Math.floor(random() * 10)
    targets[i] = label
    const predicted = random() < 0.8 ? label : Math.floor(random() * 10)
    predictions[i] = predicted
    let sum = 0
    for (let c = 0; c < 10; c++) { const p = c === predicted ? 5 + random() : random(); probabilities[i * 10 + c] = p; sum += p }
    for (let c = 0; c < 10; c++) probabilities[i * 10 + c]! /= sum
  }
  return { targets, predictions, probabilities }
}

function regressorData(): { targets: Float64Array; predictions: Float64Array } {
  const random = lcg(2)
  const targets = new Float64Array(ROWS), predictions = new Float64Array(ROWS)
  for (let i = 0; i < ROWS; i++) { targets[i] = 100 * random(); predictions[i] = targets[i]! + 10 * (random() - 0.5) }
  return { targets, predictions }
}

async function ms(body: () => unknown): Promise<number> {
  const start = performance.now()
  await body()
  return performance.now() - start
}

async function metricsAndPlots(input: EvaluationInput): Promise<{ metrics: number; withPlots: number }> {
  const metrics = await ms(() => computeEvaluation(input))
  const withPlots = await ms(async () => buildEvalArtifacts(computeEvaluation(input), ''))
  return { metrics, withPlots }
}

/** Runs every case; `where` labels the environment in the names. */
export async function runEvaluateBench(): Promise<BenchResult[]> {
  const results: BenchResult[] = []
  const cls = classifierData()
  const labels = { modelType: 'classifier' as const, targets: cls.targets, predictions: cls.predictions }
  const c = await metricsAndPlots(labels)
  results.push({ name: 'classifier, 1M precomputed predictions, 10 classes: metrics', value: c.metrics, unit: 'ms', target: '≤ 1,000' })
  results.push({ name: 'classifier, 1M precomputed predictions, 10 classes: metrics + plot artifacts', value: c.withPlots, unit: 'ms', target: '≤ 2,000' })

  const reg = regressorData()
  const r = await metricsAndPlots({ modelType: 'regressor', targets: reg.targets, predictions: reg.predictions, evaluatorConfig: { logResidualsPlot: true } })
  results.push({ name: 'regressor, 1M predictions: metrics (+ residuals figure spec)', value: r.metrics, unit: 'ms', target: '≤ 1,000' })
  results.push({ name: 'regressor, 1M predictions: metrics + plot artifacts', value: r.withPlots, unit: 'ms', target: '≤ 2,000' })

  const p = await metricsAndPlots({ ...labels, probabilities: { data: cls.probabilities, rows: ROWS, cols: 10 } })
  results.push({ name: 'classifier, 1M rows with 10-class probabilities: metrics (log_loss, roc_auc)', value: p.metrics, unit: 'ms' })
  results.push({ name: 'classifier, 1M rows with 10-class probabilities: metrics + ROC/PR/calibration/confusion plots', value: p.withPlots, unit: 'ms' })

  mlflow.setTrackingUri(`indexeddb://bench-evaluate-${crypto.randomUUID()}`)
  const full = await ms(() => mlflow.evaluate({ data: { label: cls.targets, prediction: cls.predictions }, targets: 'label', predictions: 'prediction', modelType: 'classifier' }))
  results.push({ name: 'mlflow.evaluate end to end, 1M precomputed predictions (metrics, plots, 1M-row results table, logging)', value: full, unit: 'ms' })
  return results
}
