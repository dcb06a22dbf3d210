/**
 * Numbers and JSON as Python reads and writes them, because MLflow's readers are Python: metric lines
 * hold repr(float) (written with core/python-str.ts's pythonFloatRepr) and mlflow-export-import's JSON
 * carries bare NaN/Infinity.
 */
import type { RunStatus } from '../core/types.ts'

/** RunStatus as the file store's integer (mlflow/protos/service.proto). */
export const STATUS_CODES: Record<RunStatus, number> = { RUNNING: 1, SCHEDULED: 2, FINISHED: 3, FAILED: 4, KILLED: 5 }
export const STATUS_BY_CODE: Record<number, RunStatus> = { 1: 'RUNNING', 2: 'SCHEDULED', 3: 'FINISHED', 4: 'FAILED', 5: 'KILLED' }

const FLOAT_TEXT = /^[+-]?(?:\d[\d_]*(?:\.[\d_]*)?|\.\d[\d_]*)(?:[eE][+-]?\d+)?$/
const SPECIAL_FLOATS: Record<string, number> = { nan: NaN, inf: Infinity, infinity: Infinity }

/** Python's float() of a metric value text; undefined when Python would refuse it. */
export function parsePythonFloat(text: string): number | undefined {
  // Fast path for plain decimals (digits, sign, point, exponent), where JS Number() agrees with Python.
  let plain = text.length > 0
  for (let index = 0; index < text.length && plain; index++) {
    const code = text.charCodeAt(index)
    plain = (code >= 48 && code <= 57) || code === 46 || code === 45 || code === 43 || code === 101 || code === 69
  }
  if (plain) {
    const value = Number(text)
    if (!Number.isNaN(value)) return value
  }
  const trimmed = text.trim()
  const special = SPECIAL_FLOATS[trimmed.replace(/^[+-]/, '').toLowerCase()]
  if (special !== undefined) return trimmed.startsWith('-') ? -special : special
  if (!FLOAT_TEXT.test(trimmed) || /_(_|$|\.|e)|(^|[.eE+-])_/.test(trimmed)) return undefined
  return Number(trimmed.replaceAll('_', ''))
}

/** A decimal integer text as a number, when it is one and fits a double exactly. */
export function parseSafeInteger(text: string): number | undefined {
  let index = text.charCodeAt(0) === 45 || text.charCodeAt(0) === 43 ? 1 : 0
  if (index >= text.length) return undefined
  for (; index < text.length; index++) {
    const code = text.charCodeAt(index)
    if (code < 48 || code > 57) return undefined
  }
  const value = Number(text)
  return Number.isSafeInteger(value) ? value : undefined
}

const SENTINELS: Record<string, number> = { '\u0000NaN': NaN, '\u0000Infinity': Infinity, '\u0000-Infinity': -Infinity }

/** JSON.parse that also reads Python's bare NaN, Infinity and -Infinity (json.dump writes them). */
export function parsePythonJson(text: string): unknown {
  let out = ''
  let copiedUpTo = 0
  for (let at = 0; at < text.length; at++) {
    const char = text[at]
    if (char === '"') {
      for (at++; at < text.length && text[at] !== '"'; at++) if (text[at] === '\\') at++
      continue
    }
    for (const token of ['NaN', 'Infinity', '-Infinity']) {
      if (text.startsWith(token, at)) {
        out += `${text.slice(copiedUpTo, at)}"\\u0000${token}"`
        at += token.length - 1
        copiedUpTo = at + 1
        break
      }
    }
  }
  out += text.slice(copiedUpTo)
  return JSON.parse(out, (_key, value: unknown) => (typeof value === 'string' && value in SENTINELS ? SENTINELS[value] : value))
}

/** JSON.stringify with 2-space indent that writes non-finite numbers bare, as Python's json.dump does. */
export function stringifyPythonJson(value: unknown): string {
  const text = JSON.stringify(value, (_key, item: unknown) => {
    if (typeof item !== 'number' || Number.isFinite(item)) return item
    return Number.isNaN(item) ? '\u0000NaN' : item > 0 ? '\u0000Infinity' : '\u0000-Infinity'
  }, 2)
  return `${text.replace(/"\\u0000(NaN|Infinity|-Infinity)"/g, '$1')}\n`
}
