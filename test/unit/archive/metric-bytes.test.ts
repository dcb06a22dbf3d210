// parseMetricBytes (import's byte parser) against parseMetricFile (the text rules): the same columns,
// bit for bit, and the same error naming the file and line, on plain and tricky metric files alike.
import { expect, test } from 'vitest'
import { parseMetricBytes } from '../../../src/archive/metric-bytes.ts'
import { metricFileBytes, parseMetricFile } from '../../../src/archive/metric-file.ts'
import type { MetricColumns } from '../../../src/store/tracking-store.ts'

const encoder = new TextEncoder()

/** The columns, or the error message, that a parser gives for `bytes`. */
function outcome(parse: () => MetricColumns): { columns: number[][] } | { error: string } {
  try {
    const { steps, values, timestamps } = parse()
    // Strings keep -0 and NaN apart from 0 (toEqual on numbers would too, but this prints the culprit).
    const show = (column: Float64Array) => Array.from(column, value => (Object.is(value, -0) ? '-0' : String(value)))
    return { columns: [show(timestamps), show(values), show(steps)] as unknown as number[][] }
  } catch (error) {
    return { error: (error as Error).message }
  }
}

function expectSame(bytes: Uint8Array, path = 'mlruns/0/abc/metrics/loss'): void {
  let text: string | undefined
  try { text = new TextDecoder('utf-8', { fatal: true }).decode(bytes) } catch { /* invalid UTF-8: readText refused it */ }
  const reference = text === undefined ? { error: `Archive entry '${path}': the file is not valid UTF-8 text` } : outcome(() => parseMetricFile(text, path))
  expect(outcome(() => parseMetricBytes(bytes, path))).toEqual(reference)
}

const sameText = (text: string) => expectSame(encoder.encode(text))

test('plain lines: negatives, exponents, nan/inf, large timestamps and steps, signed zeros', () => {
  sameText('1700000000000 0.5 0\n1700000000001 -0.25 1\n1700000000002 1e-05 2\n1700000000003 1.5e+16 -3\n')
  sameText('0 nan 0\n1 inf 1\n2 -inf 2\n3 +inf 3\n4 -nan 4\n5 NaN 5\n6 Infinity 6\n7 -Infinity 7\n8 INF 8\n')
  sameText('0 -0.0 -0\n0 0.0 0\n0 -0 0\n0 +0.0 0\n0 0e5 0\n0 -0e-5 0\n')
  sameText(`${Number.MAX_SAFE_INTEGER} 1 ${Number.MAX_SAFE_INTEGER}\n${Number.MAX_SAFE_INTEGER} 1 -${Number.MAX_SAFE_INTEGER}\n`)
  sameText('9007199254740992 1 0\n') // 2^53: not a safe integer
  sameText('1 1 9007199254740993\n')
  sameText('99999999999999999 1 0\n') // 17 digits
  sameText('1 1.7976931348623157e+308 0\n1 5e-324 1\n1 2.2250738585072014e-308 2\n1 1e400 3\n1 -1e400 4\n1 1e-400 5\n')
  sameText('1 0.30000000000000004 0\n1 0.1 1\n1 123456789012345680000.0 2\n1 9007199254740993 3\n1 9007199254740992.5 4\n')
  sameText('1 1E5 0\n1 1.e5 1\n1 .5 2\n1 5. 3\n1 +.5e-3 4\n1 00012 5\n1 1e00005 6\n1 1e+0 7\n')
  sameText('1 0.0000000000000000000000001 0\n1 1000000000000000000000000 1\n1 1e22 2\n1 1e23 3\n1 123e-22 4\n1 123e-23 5\n')
})

test('line endings: CRLF, no trailing newline, blank and two-field lines, empty file', () => {
  sameText('1 0.5 0\r\n2 0.25 1\r\n')
  sameText('1 0.5 0\n2 0.25 1')
  sameText('1 0.5\n2 0.25\n') // very old files: no step
  sameText('')
  sameText('\n')
  sameText('1 0.5 0\n\n2 0.5 1\n')
  sameText('  1 0.5 0  \n1\t0.5\t0\n')
  sameText('1 1_000.5 +2\n')
})

test('malformed lines are refused with the same message, naming the file and line', () => {
  for (const text of ['1 0.5 0\n2 0.5 1.5\n', '-1 0.5 0\n', '1 0.5 0\nx 1 2\n', '1 1e 0\n', '1 - 0\n', '1 . 0\n', '1 .e5 0\n',
    '1 --1 0\n', '1 1e5.5 0\n', '1 0x10 0\n', '1 0.5 0 7\n', '1  0.5 0\n', '1 0.5  0\n', '1 0.5 -\n', '1 0.5 0-\n', '1 nanx 0\n', '1 infinity1 0\n']) {
    sameText(text)
    expect(() => parseMetricBytes(encoder.encode(text), 'metrics/loss')).toThrow(/^Archive entry 'metrics\/loss': line \d+ is not/)
  }
})

test('bytes that are not UTF-8 are refused as before; other non-ASCII text goes by the text rules', () => {
  expectSame(Uint8Array.from([49, 32, 48, 46, 53, 32, 48, 10, 0xff, 0xfe, 10]))
  expectSame(Uint8Array.from([49, 32, 0xc3, 10]))
  sameText('1 0.5 0\n2 ½ 1\n')
  sameText('1 0.5 0\n2 0.5 1\u00a0\n')
})

test('random files mixing plain and tricky tokens agree with the text rules', () => {
  let seed = 11
  const random = () => ((seed = (seed * 48271) % 2147483647) / 2147483647)
  const pick = <T>(items: T[]) => items[Math.floor(random() * items.length)]!
  const timestamps = ['0', '1', '1700000000000', '9007199254740991', '9007199254740992', '-5', '+5', '00', '1.0', '']
  const values = ['0.5', '-0.5', '1e-05', '1.5e+16', 'nan', 'inf', '-inf', '-0.0', '0.30000000000000004', String(Math.PI), '1e', '.', 'x', '1_0', '9007199254740993', '4.9e-324', '1e309', '2.5E-3']
  const steps = ['0', '-1', '42', '9007199254740991', '-9007199254740991', '9007199254740992', '+1', '1.5', '', '0 ']
  const endings = ['\n', '\n', '\n', '\r\n', ' \n']
  for (let file = 0; file < 400; file++) {
    let text = ''
    const lines = 1 + Math.floor(random() * 12)
    for (let line = 0; line < lines; line++) {
      const value = random() < 0.5 ? String((random() - 0.5) * 10 ** Math.floor(random() * 40 - 20)) : pick(values)
      text += random() < 0.8 ? `${pick(timestamps.slice(0, 3))} ${value} ${pick(steps.slice(0, 3))}` : `${pick(timestamps)} ${value} ${pick(steps)}`
      text += random() < 0.9 ? '\n' : pick(endings)
    }
    if (random() < 0.2) text = text.trimEnd()
    sameText(text)
  }
})

test('files metricFileBytes writes, across magnitudes, parse back to the very same doubles', () => {
  let seed = 5
  const random = () => ((seed = (seed * 48271) % 2147483647) / 2147483647)
  const count = 20_000
  const steps = Float64Array.from({ length: count }, (_, index) => (index % 7 === 1 ? -index : index * 1_000_003))
  const timestamps = Float64Array.from({ length: count }, () => 1_700_000_000_000 + Math.floor(random() * 1e9))
  const values = Float64Array.from({ length: count }, (_, index) => {
    if (index % 97 === 0) return [NaN, Infinity, -Infinity, -0, 0, 5e-324, Number.MAX_VALUE][index % 7]!
    const magnitude = 10 ** Math.floor(random() * 60 - 30)
    return index % 3 === 0 ? Math.fround(random()) : (random() - 0.5) * magnitude
  })
  const bytes = metricFileBytes({ steps, values, timestamps }).slice()
  const parsed = parseMetricBytes(bytes, 'metrics/x')
  expect(parsed).toEqual({ steps, values, timestamps })
  expect(Array.from(parsed.values, value => Object.is(value, -0))).toEqual(Array.from(values, value => Object.is(value, -0)))
  expectSame(bytes)
})

test('a file longer than the scratch columns parses whole', () => {
  const count = 50_000
  const steps = Float64Array.from({ length: count }, (_, index) => index)
  const values = Float64Array.from({ length: count }, (_, index) => index / 7)
  const timestamps = Float64Array.from({ length: count }, (_, index) => 1_700_000_000_000 + index)
  expect(parseMetricBytes(metricFileBytes({ steps, values, timestamps }).slice(), 'metrics/x')).toEqual({ steps, values, timestamps })
  // And a tricky line near the end after the scratch has grown.
  const text = new TextDecoder().decode(metricFileBytes({ steps, values, timestamps })) + '5 nan 1\r\n'
  sameText(text)
})
