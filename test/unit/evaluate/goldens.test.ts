import { describe, expect, it } from 'vitest'
import { computeEvaluation, perClassMetricsCsv } from '../../../src/evaluate/index.ts'
import { CASES, goldenNumber, loadCase } from './golden-fixtures.ts'

// `score` is an sklearn model's own .score(); Lablog emits it (accuracy / R²) only with includeScore.
describe.each(CASES)('golden %s (MLflow 2.17.2)', (name) => {
  const c = loadCase(name)
  const run = (includeScore: boolean) => computeEvaluation({
    modelType: c.modelType, targets: c.targets, predictions: c.predictions, includeScore,
    ...(c.probabilities ? { probabilities: c.probabilities } : {}),
  })

  it('produces every metric MLflow reported, each within 1e-6, and no other', () => {
    const hasScore = 'score' in c.golden.metrics
    const out = run(hasScore)
    expect(Object.keys(out.metrics).sort()).toEqual(Object.keys(c.golden.metrics).sort())
    for (const [key, want] of Object.entries(c.golden.metrics)) {
      expect(out.metrics[key], key).toBeCloseTo(goldenNumber(want), 6)
      expect(Math.abs(out.metrics[key]! - goldenNumber(want)), key).toBeLessThanOrEqual(1e-6)
    }
  })

  it('matches MLflow bit for bit (numpy summation order reproduced)', () => {
    const out = run('score' in c.golden.metrics)
    const off = Object.entries(c.golden.metrics).filter(([k, v]) => out.metrics[k] !== goldenNumber(v))
    expect(off).toEqual([])
  })

  it('leaves out score without includeScore', () => {
    const out = run(false)
    expect(Object.keys(out.metrics).sort()).toEqual(Object.keys(c.golden.metrics).filter((k) => k !== 'score').sort())
  })

  it('produces the artifacts MLflow logged (plus the newer calibration plot)', () => {
    const out = run(false)
    const produced = [...Object.keys(out.figures), ...Object.keys(out.tables)].sort()
    const expected = Object.keys(c.golden.artifacts)
    const calibration = c.probabilities ? ['calibration_curve_plot'] : []
    expect(produced).toEqual([...expected, ...calibration].sort())
  })

  if (c.golden.per_class_metrics) {
    it('per_class_metrics rows agree with the CSV MLflow wrote, and the CSV text is byte-identical', () => {
      const rows = run(false).tables.per_class_metrics!
      const want = c.golden.per_class_metrics!
      expect(rows.map((r) => Object.keys(r))).toEqual(want.map((r) => Object.keys(r)))
      rows.forEach((row, i) => {
        for (const [key, v] of Object.entries(want[i]!)) {
          if (key === 'positive_class') expect(row[key]).toBe(v)
          else expect(row[key], `${i}/${key}`).toBe(goldenNumber(v))
        }
      })
      expect(perClassMetricsCsv(rows)).toBe(c.perClassCsv)
    })
  }
})
