/**
 * MLflow's metric file (`<timestamp> <value> <step>` lines), written straight into bytes and parsed
 * straight into columns: with ~10,000 lines a run, strings per line dominated archive time.
 */
import type { MetricColumns } from '../store/tracking-store.ts'
import { badEntry } from './archive-errors.ts'
import { pythonFloatRepr } from '../core/python-str.ts'
import { parsePythonFloat, parseSafeInteger } from './python-format.ts'

// The longest line: two 17-character integers, a 24-character float repr, three separators.
const LINE_ROOM = 128
let scratch = new Uint8Array(1 << 16)

/**
 * The metric file's bytes, exactly as `${timestamp} ${pythonFloatRepr(value)} ${step}\n` per point.
 * The result is a view of a shared scratch buffer, valid until the next call: copy it or use it at once
 * (ZipStreamWriter.addBytes copies).
 */
export function metricFileBytes({ steps, values, timestamps }: MetricColumns): Uint8Array {
  let out = scratch
  let at = 0
  for (let index = 0; index < steps.length; index++) {
    if (at + LINE_ROOM > out.length) {
      const grown = new Uint8Array(out.length * 2)
      grown.set(out.subarray(0, at))
      out = scratch = grown
    }
    at = writeNumber(out, at, timestamps[index]!)
    out[at++] = 32
    at = writeText(out, at, pythonFloatRepr(values[index]!))
    out[at++] = 32
    at = writeNumber(out, at, steps[index]!)
    out[at++] = 10
  }
  return out.subarray(0, at)
}

/** Two ASCII digits for each of 0–99: halves the divisions of integer printing. */
const DIGIT_PAIRS = Uint8Array.from({ length: 200 }, (_, index) => 48 + (index % 2 ? (index >> 1) % 10 : Math.floor((index >> 1) / 10)))

/** Digits of a safe integer written without a string; anything else as JS prints it (what the template wrote). */
function writeNumber(out: Uint8Array, at: number, value: number): number {
  if (!Number.isSafeInteger(value) || Object.is(value, -0)) return writeText(out, at, String(value))
  if (value < 0) { out[at++] = 45; value = -value }
  if (value < 2 ** 31) return writeSmallInteger(out, at, value)
  // Timestamps (13 digits): the high part, then the low 9 digits with their leading zeros.
  const high = Math.floor(value / 1e9)
  at = writeSmallInteger(out, at, high)
  let low = value - high * 1e9
  for (let position = at + 8; position > at; position -= 2) {
    const quotient = Math.floor(low / 100), pair = (low - quotient * 100) * 2
    out[position - 1] = DIGIT_PAIRS[pair]!; out[position] = DIGIT_PAIRS[pair + 1]!
    low = quotient
  }
  out[at] = 48 + low
  return at + 9
}

/** A non-negative integer below 2^31, two digits at a time. */
function writeSmallInteger(out: Uint8Array, at: number, value: number): number {
  let digits = 1
  for (let power = 10; power <= value; power *= 10) digits++
  let position = at + digits - 1
  while (value >= 100) {
    const quotient = Math.floor(value / 100), pair = (value - quotient * 100) * 2
    out[position - 1] = DIGIT_PAIRS[pair]!; out[position] = DIGIT_PAIRS[pair + 1]!
    position -= 2
    value = quotient
  }
  if (value >= 10) { out[position - 1] = DIGIT_PAIRS[value * 2]!; out[position] = DIGIT_PAIRS[value * 2 + 1]! }
  else out[position] = 48 + value
  return at + digits
}

function writeText(out: Uint8Array, at: number, text: string): number {
  for (let index = 0; index < text.length; index++) out[at++] = text.charCodeAt(index)
  return at
}

/**
 * Parses `<timestamp> <value> <step>` lines (two fields in very old files: step 0) into columns.
 * Plain lines take a fast path over character codes; any other line goes through the general rules,
 * which accept what Python's float() and int() accept and refuse the rest, naming the line.
 * (Import reads bytes with parseMetricBytes, which comes here for the first line that is not plain.)
 */
export function parseMetricFile(text: string, path: string): MetricColumns {
  let count = 0
  for (let at = text.indexOf('\n'); at >= 0; at = text.indexOf('\n', at + 1)) count++
  if (text.length > 0 && !text.endsWith('\n')) count++
  const columns = { steps: new Float64Array(count), values: new Float64Array(count), timestamps: new Float64Array(count) }
  parseMetricLines(text, path, columns, 0, 0)
  return columns
}

/** Fills `columns` from line `firstIndex` on, which starts at `start` in `text`; the columns hold one slot per line. */
export function parseMetricLines(text: string, path: string, columns: MetricColumns, firstIndex: number, start: number): void {
  const { steps, values, timestamps } = columns
  for (let index = firstIndex; index < steps.length; index++) {
    let end = text.indexOf('\n', start)
    if (end < 0) end = text.length
    if (!parsePlainLine(text, start, end, index, steps, values, timestamps)) parseLine(text.slice(start, end), index, path, steps, values, timestamps)
    start = end + 1
  }
}

/** `digits SP value SP [-]digits` with nothing around it; false (nothing stored) for anything else. */
function parsePlainLine(text: string, start: number, end: number, index: number, steps: Float64Array, values: Float64Array, timestamps: Float64Array): boolean {
  let at = start
  let timestamp = 0
  for (; at < end; at++) {
    const code = text.charCodeAt(at)
    if (code < 48 || code > 57) break
    timestamp = timestamp * 10 + (code - 48)
  }
  if (at === start || at - start > 16 || at >= end || text.charCodeAt(at) !== 32 || !Number.isSafeInteger(timestamp)) return false
  const valueStart = ++at
  // Digits, point, sign and exponent only: where JS Number() and Python float() agree (parsePythonFloat's fast path).
  for (; at < end; at++) {
    const code = text.charCodeAt(at)
    if (code === 32) break
    if (!((code >= 48 && code <= 57) || code === 46 || code === 45 || code === 43 || code === 101 || code === 69)) return false
  }
  if (at === valueStart || at >= end) return false
  const value = Number(text.slice(valueStart, at))
  if (Number.isNaN(value)) return false
  const stepStart = ++at
  const negative = text.charCodeAt(at) === 45
  if (negative) at++
  let step = 0
  for (; at < end; at++) {
    const code = text.charCodeAt(at)
    if (code < 48 || code > 57) return false
    step = step * 10 + (code - 48)
  }
  const digits = at - stepStart - (negative ? 1 : 0)
  if (digits === 0 || digits > 16 || !Number.isSafeInteger(step)) return false
  timestamps[index] = timestamp; values[index] = value; steps[index] = negative ? -step : step
  return true
}

function parseLine(raw: string, index: number, path: string, steps: Float64Array, values: Float64Array, timestamps: Float64Array): void {
  const line = raw.trim()
  const first = line.indexOf(' ')
  const second = first < 0 ? -1 : line.indexOf(' ', first + 1)
  const timestamp = first < 0 ? undefined : parseSafeInteger(line.slice(0, first))
  const value = first < 0 ? undefined : parsePythonFloat(line.slice(first + 1, second < 0 ? line.length : second))
  const step = second < 0 ? 0 : parseSafeInteger(line.slice(second + 1)) // very old files have no step: 0
  if (timestamp === undefined || timestamp < 0 || value === undefined || step === undefined) {
    throw badEntry(path, `line ${index + 1} is not "<timestamp> <value> <step>": '${line.slice(0, 80)}'`)
  }
  timestamps[index] = timestamp; values[index] = value; steps[index] = step
}
