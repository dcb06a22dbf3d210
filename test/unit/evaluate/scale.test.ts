/**
 * A 300,000-row, 10-class evaluation with probabilities completes with sensible results and figures
 * thinned for the UI. Its speed is measured by npm run bench (evaluate), never asserted here.
 */
import { describe, expect, it } from 'vitest'
import { computeEvaluation } from '../../../src/evaluate/index.ts'

describe('scale', () => {
  it('300k rows × 10 classes: metrics, curves, table and thinned figures', () => {
    const n = 300_000, k = 10
    let seed = 7
    const rand = () => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed / 2147483648 }
    const targets = new Int32Array(n), predictions = new Int32Array(n), data = new Float64Array(n * k)
    for (let i = 0; i < n; i++) {
      const t = Math.floor(rand() * k)
      targets[i] = t
      let s = 0, best = 0
      for (let c = 0; c < k; c++) { const v = Math.exp((c === t ? 1.5 : 0) + 2 * rand()); data[i * k + c] = v; s += v }
      for (let c = 0; c < k; c++) { data[i * k + c]! /= s; if (data[i * k + c]! > data[i * k + best]!) best = c }
      predictions[i] = best
    }
    const out = computeEvaluation({ modelType: 'classifier', targets, predictions, probabilities: { data, rows: n, cols: k } })
    expect(out.metrics.example_count).toBe(n)
    expect(out.metrics.roc_auc).toBeGreaterThan(0.9)
    expect(out.tables.per_class_metrics).toHaveLength(k)
    expect(JSON.stringify(out.figures).length).toBeLessThan(5_000_000) // curves thinned to 2000 points
  })
})
