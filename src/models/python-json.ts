/**
 * JSON text as Python's json.dumps writes it (", " and ": " separators, one line), so the
 * signature strings and input examples we write read like the ones MLflow writes.
 */

/** `JSON.stringify` with Python's default separators; NaN and ±Infinity become null, as MLflow's examples do. */
export function pythonJsonDumps(value: unknown): string {
  if (value === null || value === undefined) return 'null'
  if (typeof value === 'number') return Number.isFinite(value) ? JSON.stringify(value) : 'null'
  if (typeof value === 'string' || typeof value === 'boolean') return JSON.stringify(value)
  if (Array.isArray(value)) return `[${value.map(pythonJsonDumps).join(', ')}]`
  if (ArrayBuffer.isView(value) && !(value instanceof DataView)) {
    return pythonJsonDumps(Array.from(value as unknown as ArrayLike<number>))
  }
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, item]) => item !== undefined)
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}: ${pythonJsonDumps(item)}`).join(', ')}}`
  }
  throw new TypeError(`Cannot write a ${typeof value} as JSON.`)
}
