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

/** JS numbers print like Python ints when integral (below 1e16), else like Python's float repr. */
function pythonFloat(value: number): string {
  return Number.isInteger(value) && Math.abs(value) < 1e16 ? String(value) : pythonFloatRepr(value)
}

/** Python's repr() of a float: '0.5', '1.0', '1e-05', '1.5e+16', 'nan', 'inf', '-inf'. */
export function pythonFloatRepr(value: number): string {
  if (Number.isNaN(value)) return 'nan'
  if (value === Infinity) return 'inf'
  if (value === -Infinity) return '-inf'
  if (Object.is(value, -0)) return '-0.0'
  const magnitude = Math.abs(value)
  // Fast path: in [1e-4, 1e16) JS and Python print the same shortest digits, in fixed notation.
  if (magnitude >= 1e-4 && magnitude < 1e16) {
    const text = String(value)
    return Number.isInteger(value) ? `${text}.0` : text
  }
  const [mantissa, exponentText] = value.toExponential().split('e') as [string, string]
  const exponent = Number(exponentText)
  const negative = mantissa.startsWith('-')
  const digits = mantissa.replace(/^-/, '').replace('.', '')
  if (exponent < -4 || exponent >= 16) {
    const body = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits
    return `${negative ? '-' : ''}${body}e${exponent < 0 ? '-' : '+'}${String(Math.abs(exponent)).padStart(2, '0')}`
  }
  let fixed: string
  if (exponent < 0) fixed = `0.${'0'.repeat(-exponent - 1)}${digits}`
  else if (digits.length > exponent + 1) fixed = `${digits.slice(0, exponent + 1)}.${digits.slice(exponent + 1)}`
  else fixed = `${digits}${'0'.repeat(exponent + 1 - digits.length)}.0`
  return (negative ? '-' : '') + fixed
}
