// The mlruns metric file, written byte by byte and parsed on a fast path: both must agree exactly
// with the plain rules (a template string per line; Python's float() and int() per field).
import { expect, test } from 'vitest'
import { metricFileBytes, parseMetricFile } from '../../../src/archive/metric-file.ts'
import { pythonFloatRepr } from '../../../src/core/python-str.ts'

const EDGE_INTEGERS = [0, -0, 1, -1, 9, 10, 99, 100, 101, 999_999_999, 1_000_000_000, 2 ** 31 - 1, 2 ** 31, -(2 ** 31),
  1_700_000_000_000, 1_700_000_000_009, 1_000_000_000_000, Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER, 2 ** 53, 1e21, 1.5, -2.25]
const EDGE_VALUES = [0, -0, 1, -1, 0.1, 1 / 3, 1e-5, 1e-4, 9.999e-5, 1e16, 1.5e16, 123456789012345680000, 5e-324, Number.MAX_VALUE, NaN, Infinity, -Infinity]

function reference(steps: Float64Array, values: Float64Array, timestamps: Float64Array): string {
  let text = ''
  for (let index = 0; index < steps.length; index++) text += `${timestamps[index]} ${pythonFloatRepr(values[index]!)} ${steps[index]}\n`
  return text
}

test('metricFileBytes writes exactly what the template-string version wrote, edge numbers included', () => {
  let seed = 7
  const random = () => ((seed = (seed * 48271) % 2147483647) / 2147483647)
  const count = 20_000
  const steps = new Float64Array(count), values = new Float64Array(count), timestamps = new Float64Array(count)
  for (let index = 0; index < count; index++) {
    const pick = random()
    steps[index] = pick < 0.2 ? EDGE_INTEGERS[index % EDGE_INTEGERS.length]! : Math.floor((random() - 0.3) * 10 ** Math.floor(random() * 16))
    timestamps[index] = pick > 0.8 ? EDGE_INTEGERS[(index * 7) % EDGE_INTEGERS.length]! : 1_700_000_000_000 + Math.floor(random() * 1e9)
    values[index] = pick < 0.3 ? EDGE_VALUES[index % EDGE_VALUES.length]! : (random() - 0.5) * 10 ** Math.floor(random() * 40 - 20)
  }
  expect(new TextDecoder().decode(metricFileBytes({ steps, values, timestamps }))).toBe(reference(steps, values, timestamps))
})

test('parseMetricFile reads plain and unusual lines alike, and names the first bad line', () => {
  const text = '1700000000000 0.5 0\n1700000000001 nan 1\n  1700000000002 1e-05 -3 \r\n5 inf\n7 1_000.5 +2\n8 -0.0 -0\n'
  const { steps, values, timestamps } = parseMetricFile(text, 'metrics/loss')
  expect(Array.from(timestamps)).toEqual([1_700_000_000_000, 1_700_000_000_001, 1_700_000_000_002, 5, 7, 8])
  expect(Array.from(values)).toEqual([0.5, NaN, 1e-5, Infinity, 1000.5, -0])
  expect(Array.from(steps)).toEqual([0, 1, -3, 0, 2, -0])
  expect(() => parseMetricFile('1 0.5 0\n99999999999999999 0.5 1\n', 'metrics/loss')).toThrow(/line 2/)
  expect(() => parseMetricFile('1 0.5 0\n2 0.5 1.5\n', 'metrics/loss')).toThrow(/line 2/)
  expect(() => parseMetricFile('-1 0.5 0\n', 'metrics/loss')).toThrow(/line 1/)
})

test('what metricFileBytes writes parses back to the same columns', () => {
  const steps = Float64Array.from({ length: 3000 }, (_, index) => index - 5)
  const values = Float64Array.from({ length: 3000 }, (_, index) => Math.sin(index) * 10 ** ((index % 50) - 25))
  const timestamps = Float64Array.from({ length: 3000 }, (_, index) => 1_700_000_000_000 + index * 17)
  const parsed = parseMetricFile(new TextDecoder().decode(metricFileBytes({ steps, values, timestamps })), 'metrics/x')
  expect(parsed).toEqual({ steps, values, timestamps })
})
