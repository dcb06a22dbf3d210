/**
 * Python's str() of a value, so params logged from JavaScript compare equal to the
 * same params logged by MLflow's Python client (True, None, 1e-05, [64, 32]).
 */

export function pythonStr(value: unknown): string {
  if (typeof value === 'string') return value
  return pythonRepr(value)
}

function pythonRepr(value: unknown): string {
  if (value === null || value === undefined) return 'None'
  if (typeof value === 'boolean') return value ? 'True' : 'False'
  if (typeof value === 'number') return pythonFloat(value)
  if (typeof value === 'bigint') return value.toString()
  if (typeof value === 'string') return `'${value.replaceAll('\\', '\\\\').replaceAll("'", "\\'")}'`
  if (Array.isArray(value)) return `[${value.map(pythonRepr).join(', ')}]`
  if (ArrayBuffer.isView(value) && !(value instanceof DataView)) return pythonRepr(Array.from(value as unknown as ArrayLike<number>))
  if (typeof value === 'object') {
    return `{${Object.entries(value as Record<string, unknown>).map(([key, item]) => `${pythonRepr(key)}: ${pythonRepr(item)}`).join(', ')}}`
  }
  return String(value)
}

/** JS numbers print like Python ints when integral, else like Python's float repr (1e-05, 1e+16). */
function pythonFloat(value: number): string {
  if (Number.isNaN(value)) return 'nan'
  if (value === Infinity) return 'inf'
  if (value === -Infinity) return '-inf'
  if (Number.isInteger(value) && Math.abs(value) < 1e16) return String(value)
  const abs = Math.abs(value)
  if (abs >= 1e-4 && abs < 1e16) return String(value)
  // Python switches to exponent form below 1e-4 and from 1e16, with at least two exponent digits.
  const [mantissa, exponent] = value.toExponential().split('e') as [string, string]
  const sign = exponent.startsWith('-') ? '-' : '+'
  const digits = exponent.replace(/^[+-]/, '').padStart(2, '0')
  return `${mantissa}e${sign}${digits}`
}
