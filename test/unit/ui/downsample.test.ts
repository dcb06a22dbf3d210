// Downsampling keeps shape (LTTB), spikes (min/max), is deterministic, and re-samples zoomed ranges at full resolution.
import { describe, expect, test } from 'vitest'
import { emaSmooth, lowerBound, lttbIndices, minMaxIndices } from '../../../src/ui/charts/downsample.ts'
import { SeriesStore } from '../../../src/ui/charts/series-store.ts'

const ramp = (n: number) => Float64Array.from({ length: n }, (_, i) => i)

describe('lttbIndices', () => {
  test('keeps the first and last point, returns the threshold count, ascending', () => {
    const x = ramp(10_000), y = x.map(v => Math.sin(v / 100))
    const picked = lttbIndices(x, y, 500)
    expect(picked.length).toBe(500)
    expect(picked[0]).toBe(0)
    expect(picked[499]).toBe(9999)
    for (let i = 1; i < picked.length; i++) expect(picked[i]!).toBeGreaterThan(picked[i - 1]!)
  })
  test('keeps an isolated spike and is deterministic', () => {
    const x = ramp(100_000), y = new Float64Array(100_000)
    y[54_321] = 100
    const picked = lttbIndices(x, y, 1000)
    expect(Array.from(picked)).toContain(54_321)
    expect(lttbIndices(x, y, 1000)).toEqual(picked)
  })
  test('returns every index when there are fewer points than the threshold; honours a sub-range', () => {
    expect(Array.from(lttbIndices(ramp(5), ramp(5), 10))).toEqual([0, 1, 2, 3, 4])
    const picked = lttbIndices(ramp(1000), ramp(1000), 10, 200, 300)
    expect(picked[0]).toBe(200)
    expect(picked[picked.length - 1]).toBe(299)
  })
})

describe('minMaxIndices', () => {
  test('keeps each bucket\'s minimum and maximum', () => {
    const y = Float64Array.from({ length: 10_000 }, (_, i) => (i === 777 ? -50 : i === 8888 ? 50 : Math.sin(i)))
    const picked = Array.from(minMaxIndices(y, 200))
    expect(picked).toContain(777)
    expect(picked).toContain(8888)
    expect(picked.length).toBeLessThanOrEqual(200)
  })
})

describe('emaSmooth and lowerBound', () => {
  test('a debiased EMA starts at the first value and passes NaN through', () => {
    const smoothed = emaSmooth([2, 2, NaN, 2], 0.9)
    expect(smoothed[0]).toBeCloseTo(2)
    expect(Number.isNaN(smoothed[2])).toBe(true)
    expect(smoothed[3]).toBeCloseTo(2)
  })
  test('lowerBound finds the first index at or above the target', () => {
    expect(lowerBound([0, 1, 1, 3], 1)).toBe(1)
    expect(lowerBound([0, 1, 1, 3], 2)).toBe(3)
    expect(lowerBound([0, 1, 1, 3], 9)).toBe(4)
  })
})

describe('SeriesStore', () => {
  test('samples a million points to the target, then a zoomed range at full resolution; appends grow the series', () => {
    const store = new SeriesStore()
    const n = 1_000_000
    const steps = ramp(n), values = steps.map(v => Math.sin(v / 1000)), timestamps = steps.map(v => 1e12 + v)
    const stats = store.load('s', { steps, values, timestamps })
    expect(stats.count).toBe(n)
    const whole = store.sample('s', { xAxis: 'step', points: 1000, method: 'lttb', smoothing: 0 })
    expect(whole.x.length).toBe(1000)
    const zoomed = store.sample('s', { xAxis: 'step', points: 1000, method: 'lttb', smoothing: 0, range: [500_000, 500_500] })
    expect(zoomed.x.length).toBe(zoomed.inRange)
    expect(zoomed.x[1]! - zoomed.x[0]!).toBe(1)
    const next = store.append('s', { steps: Float64Array.of(n), values: Float64Array.of(5), timestamps: Float64Array.of(2e12) })
    expect(next.count).toBe(n + 1)
    expect(next.last).toBe(5)
    expect(next.max).toBe(5)
    const smoothed = store.sample('s', { xAxis: 'relative', points: 100, method: 'minmax', smoothing: 0.5 })
    expect(smoothed.smoothed?.length).toBe(smoothed.x.length)
  })
})
