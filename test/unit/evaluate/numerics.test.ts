/** numpy-order summation, Python float repr / per-class CSV, the radix sort and label ordering. */
import { describe, expect, it } from 'vitest'
import {
  compareLabels, npAverage, npSum, perClassMetricsCsv, pyFloatRepr, resolveLabels, sortFloat64,
} from '../../../src/evaluate/index.ts'

describe('npSum (numpy pairwise summation)', () => {
  it('small arrays add left to right', () => {
    expect(npSum([0.1, 0.2, 0.3])).toBe(0.1 + 0.2 + 0.3)
  })
  it('8 or more values use eight running sums: ((r0+r1)+(r2+r3))+((r4+r5)+(r6+r7))', () => {
    const a = [1e16, 1, 1, 1, 1, 1, 1, 1, 1]
    // r0 = 1e16 + 1 (= 1e16), r1..r7 = 1: (1e16 + 1) + 2 + 2 = 1e16 + 4 after combining; then + the ninth 1
    expect(npSum(a)).toBe(((1e16 + 1) + (1 + 1)) + ((1 + 1) + (1 + 1)) + 1)
    expect(npSum(a)).not.toBe(a.reduce((s, v) => s + v, 0))
  })
  it('slices and weighted averages', () => {
    expect(npSum([5, 1, 2, 3], 1, 2)).toBe(3)
    expect(npAverage([1, 2, 3], [1, 0, 1])).toBe(2)
    expect(npAverage([1, 2], [0, 0])).toBeNaN()
  })
})

describe('pyFloatRepr / perClassMetricsCsv', () => {
  it('formats like Python repr()', () => {
    const cases: [number, string][] = [
      [1, '1.0'], [0, '0.0'], [0.9814814814814815, '0.9814814814814815'], [0.0001, '0.0001'], [0.00001, '1e-05'],
      [1.5e-7, '1.5e-07'], [1e16, '1e+16'], [123456789012345.6, '123456789012345.6'], [-2.5, '-2.5'], [1e22, '1e+22'],
      [0.9999999999999998, '0.9999999999999998'], [NaN, 'nan'], [-Infinity, '-inf'],
    ]
    for (const [x, want] of cases) expect(pyFloatRepr(x), String(x)).toBe(want)
  })
  it('writes counts as integers, rates as floats, NaN as empty, quotes string labels when needed', () => {
    const csv = perClassMetricsCsv([
      { positive_class: 'a,b', true_negatives: 1, example_count: 2, accuracy_score: 1, roc_auc: NaN },
    ])
    expect(csv).toBe('positive_class,true_negatives,example_count,accuracy_score,roc_auc\n"a,b",1,2,1.0,\n')
  })
})

describe('sortFloat64', () => {
  it('sorts like a numeric comparator, negatives and ±0 included, and is stable for the payload', () => {
    for (const n of [10, 1500, 70000]) {
      const keys = Float64Array.from({ length: n }, (_, i) => (i % 7 === 0 ? 0.5 : i % 11 === 0 ? -0 : (Math.sin(i) * 1e3) | 0) / 8)
      const payload = Float64Array.from({ length: n }, (_, i) => i)
      const expected = Array.from(keys, (k, i) => [k, i] as const).sort((a, b) => a[0] - b[0] || a[1] - b[1])
      sortFloat64(keys, payload)
      let ordered = true
      for (let i = 1; i < n; i++) if (!(keys[i - 1]! <= keys[i]!)) ordered = false
      expect(ordered).toBe(true)
      const want = expected.map(([k, i]) => [k === 0 ? 0 : k, i])
      const got = Array.from(keys, (k, i) => [k === 0 ? 0 : k, payload[i]!])
      // equal keys (±0 aside) keep their original order
      expect(JSON.stringify(got.filter(([k]) => k !== 0))).toBe(JSON.stringify(want.filter(([k]) => k !== 0)))
    }
  })
})

describe('labels', () => {
  it('compareLabels orders numbers numerically and strings by code point (astral after BMP)', () => {
    expect([10, 2, -1].sort(compareLabels)).toEqual([-1, 2, 10])
    expect(['\u{1F600}', '\uFFFF', 'a'].sort(compareLabels)).toEqual(['a', '\uFFFF', '\u{1F600}'])
  })
  it('resolveLabels: sorted list, binary with the largest label positive, codes per row', () => {
    const s = resolveLabels([3, 7, 7], [7, 3, 3])
    expect(s).toMatchObject({ sorted: [3, 7], labelList: [3, 7], isBinary: true, posLabel: 7, posIndex: 1 })
    expect(Array.from(s.yTrue)).toEqual([0, 1, 1])
    const pos3 = resolveLabels([3, 7, 7], [7, 3, 3], { posLabel: 3 })
    expect(pos3).toMatchObject({ sorted: [3, 7], labelList: [7, 3], posLabel: 3, posIndex: 0 })
    const multi = resolveLabels(['x', 'y', 'z'], ['x', 'x', 'x'])
    expect(multi).toMatchObject({ isBinary: false, posLabel: null, posIndex: -1, labelList: ['x', 'y', 'z'] })
  })
})
