/**
 * MLflow's metric file parsed straight from its bytes: importing spent most of its time decoding
 * metric files to text, finding lines with indexOf and calling Number() on a substring per value.
 * Plain ASCII lines (`<timestamp> <value> <step>`) are read here byte by byte; the first line that is
 * anything else hands the rest of the file to parseMetricFile's text rules, so every result and every
 * error is the one the text parser gives.
 */
import type { MetricColumns } from '../store/tracking-store.ts'
import { badEntry } from './archive-errors.ts'
import { parseMetricLines } from './metric-file.ts'
import type { ZipArchive, ZipEntry } from './zip-reader.ts'

/** What readText allowed a metric file when metric files were read as text (≈ 7M points). */
const MAX_METRIC_FILE_BYTES = 256 << 20

/** An mlruns metric file read from the zip (size- and CRC-checked) and parsed. */
export async function readMetricFile(archive: ZipArchive, entry: ZipEntry): Promise<MetricColumns> {
  if (entry.size > MAX_METRIC_FILE_BYTES) throw badEntry(entry.path, `the file is ${entry.size} bytes, over the limit of ${MAX_METRIC_FILE_BYTES}`)
  return parseMetricBytes(await archive.readBytes(entry), entry.path)
}

/** Exact powers of ten as literals (Math.pow need not be exact); 1e22 is the largest exact one. */
const EXACT_POWERS_OF_TEN = [1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22]
const TWO_53 = 2 ** 53
const utf8 = new TextDecoder('utf-8', { fatal: true })
const latin1 = new TextDecoder('latin1')
const SPACE = 32, NEWLINE = 10, MINUS = 45, PLUS = 43, POINT = 46, ZERO = 48, NINE = 57

/** What parseValue found: the value, or that the line is not plain (NOT_PLAIN), or that Number() must decide (USE_NUMBER). */
const NOT_PLAIN = -1, USE_NUMBER = -2

/**
 * The metric file's columns, exactly as parseMetricFile(utf8 text) gives them, errors included
 * (the file's path and line number; 'not valid UTF-8' for bytes that are not).
 */
export function parseMetricBytes(bytes: Uint8Array, path: string): MetricColumns {
  const length = bytes.length
  // Lines go into scratch columns first and are copied out at the end: cheaper than counting lines first.
  let { steps, values, timestamps } = scratch
  const value = { number: 0 }
  /**
   * The file as Latin-1 text, decoded only when a value needs Number(): the value's bytes are ASCII, so
   * its offsets and characters are the same as in UTF-8 (and Chromium decodes Latin-1 faster).
   */
  let ascii: string | undefined
  let index = 0
  for (let start = 0; start < length; index++) {
    if (index === steps.length) ({ steps, values, timestamps } = growScratch(index))
    let at = start
    // Timestamp: 1–16 digits, a safe integer.
    let timestamp = 0
    for (; at < length; at++) {
      const code = bytes[at]!
      if (code < ZERO || code > NINE) break
      timestamp = timestamp * 10 + (code - ZERO)
    }
    let plain = at > start && at - start <= 16 && at < length && bytes[at] === SPACE && Number.isSafeInteger(timestamp)
    let valueEnd = 0
    if (plain) {
      const valueStart = ++at
      valueEnd = parseValue(bytes, valueStart, value)
      if (valueEnd === USE_NUMBER) {
        for (valueEnd = valueStart; valueEnd < length && bytes[valueEnd] !== SPACE && bytes[valueEnd] !== NEWLINE; valueEnd++);
        ascii ??= latin1.decode(bytes)
        value.number = Number(ascii.slice(valueStart, valueEnd))
        // NaN here means characters Number() refuses ('1e', '-'): the text rules decide (and name the line).
        if (Number.isNaN(value.number)) valueEnd = NOT_PLAIN
      }
      plain = valueEnd !== NOT_PLAIN && valueEnd < length && bytes[valueEnd] === SPACE
    }
    // Step: an optional '-', then 1–16 digits, a safe integer, then the line's end.
    let step = 0
    if (plain) {
      at = valueEnd + 1
      const negative = bytes[at] === MINUS
      if (negative) at++
      const digitsStart = at
      for (; at < length; at++) {
        const code = bytes[at]!
        if (code < ZERO || code > NINE) break
        step = step * 10 + (code - ZERO)
      }
      plain = at > digitsStart && at - digitsStart <= 16 && Number.isSafeInteger(step) && (at === length || bytes[at] === NEWLINE)
      if (negative) step = -step
    }
    if (!plain) return finishAsText(decode(bytes, path), path, index, start)
    timestamps[index] = timestamp; values[index] = value.number; steps[index] = step
    start = at + 1
  }
  return { steps: steps.slice(0, index), values: values.slice(0, index), timestamps: timestamps.slice(0, index) }
}

/** Lines from `index` on (starting at `start`, a text offset too: all before was ASCII) by the text rules; the scratch holds the lines before. */
function finishAsText(text: string, path: string, index: number, start: number): MetricColumns {
  let count = index
  for (let at = text.indexOf('\n', start); at >= 0; at = text.indexOf('\n', at + 1)) count++
  if (!text.endsWith('\n')) count++
  const columns: MetricColumns = { steps: new Float64Array(count), values: new Float64Array(count), timestamps: new Float64Array(count) }
  columns.steps.set(scratch.steps.subarray(0, index)); columns.values.set(scratch.values.subarray(0, index)); columns.timestamps.set(scratch.timestamps.subarray(0, index))
  parseMetricLines(text, path, columns, index, start)
  return columns
}

let scratch: MetricColumns = { steps: new Float64Array(4096), values: new Float64Array(4096), timestamps: new Float64Array(4096) }

function growScratch(length: number): MetricColumns {
  const grown = (column: Float64Array) => { const next = new Float64Array(length * 2); next.set(column); return next }
  scratch = { steps: grown(scratch.steps), values: grown(scratch.values), timestamps: grown(scratch.timestamps) }
  return scratch
}

/**
 * A value of the plain form `[+-]digits[.digits][e[+-]digits]` (or MLflow's 'nan', 'inf', '-inf')
 * followed by a space, into `out.number`; returns where it ends. Computes the value itself only where
 * that is exact — at most 2^53 for the digits, a power of ten up to 1e22 — so it is the double Number()
 * gives (one correctly rounded IEEE operation on exact operands, Clinger's fast path). Other texts of
 * digits, signs, points and exponents return USE_NUMBER; anything else NOT_PLAIN.
 */
function parseValue(bytes: Uint8Array, at: number, out: { number: number }): number {
  const length = bytes.length
  let negative = false
  const first = bytes[at]
  if (first === MINUS || first === PLUS) { negative = first === MINUS; at++ }
  const special = specialValue(bytes, at)
  if (special !== 0) { out.number = negative ? -special : special; return at + 3 }
  let digits = 0, fractionDigits = 0, mantissa = 0
  for (; at < length; at++) {
    const code = bytes[at]!
    if (code < ZERO || code > NINE) break
    mantissa = mantissa * 10 + (code - ZERO); digits++
  }
  if (at < length && bytes[at] === POINT) {
    for (at++; at < length; at++) {
      const code = bytes[at]!
      if (code < ZERO || code > NINE) break
      mantissa = mantissa * 10 + (code - ZERO); digits++; fractionDigits++
    }
  }
  let exponent = 0
  if (digits > 0 && at < length && (bytes[at] === 101 || bytes[at] === 69)) { // e, E
    at++
    const exponentNegative = bytes[at] === MINUS
    if (exponentNegative || bytes[at] === PLUS) at++
    const exponentStart = at
    for (; at < length; at++) {
      const code = bytes[at]!
      if (code < ZERO || code > NINE) break
      exponent = exponent * 10 + (code - ZERO)
    }
    if (at === exponentStart || at - exponentStart > 4) return isNumberText(bytes, at) ? USE_NUMBER : NOT_PLAIN
    if (exponentNegative) exponent = -exponent
  }
  if (digits === 0 || at >= length || bytes[at] !== SPACE) return isNumberText(bytes, at) ? USE_NUMBER : NOT_PLAIN
  const scale = exponent - fractionDigits
  // A rounded mantissa is never below 2^53 when the exact one is not: the test is safe.
  if (mantissa === 0) out.number = negative ? -0 : 0
  else if (mantissa < TWO_53 && scale >= -22 && scale <= 22) {
    const magnitude = scale < 0 ? mantissa / EXACT_POWERS_OF_TEN[-scale]! : mantissa * EXACT_POWERS_OF_TEN[scale]!
    out.number = negative ? -magnitude : magnitude
  } else return USE_NUMBER
  return at
}

/** NaN or Infinity for MLflow's 'nan' and 'inf' followed by a space, else 0. */
function specialValue(bytes: Uint8Array, at: number): number {
  if (bytes[at + 3] !== SPACE) return 0
  const a = bytes[at], b = bytes[at + 1], c = bytes[at + 2]
  if (a === 110 && b === 97 && c === 110) return NaN // nan
  if (a === 105 && b === 110 && c === 102) return Infinity // inf
  return 0
}

/** Whether the value's characters from `at` to the next space are ones parseMetricFile hands to Number(). */
function isNumberText(bytes: Uint8Array, at: number): boolean {
  for (; at < bytes.length; at++) {
    const code = bytes[at]!
    if (code === SPACE) return true
    if (!((code >= ZERO && code <= NINE) || code === POINT || code === MINUS || code === PLUS || code === 101 || code === 69)) return false
  }
  return false
}

function decode(bytes: Uint8Array, path: string): string {
  try { return utf8.decode(bytes) } catch {
    throw badEntry(path, 'the file is not valid UTF-8 text')
  }
}
