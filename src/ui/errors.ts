/** Turns any thrown value into a message a user can act on (quota, MLflow errors, the rest). */
import { isMlflowError } from '../index.ts'

/** True when the browser refused a write for lack of storage space. */
export function isQuotaError(error: unknown): boolean {
  const seen = new Set<unknown>()
  for (let current = error; current && !seen.has(current); current = (current as { cause?: unknown; inner?: unknown }).cause ?? (current as { inner?: unknown }).inner) {
    seen.add(current)
    const name = (current as { name?: unknown }).name
    if (name === 'QuotaExceededError') return true
    if (/quota/i.test(String((current as { message?: unknown }).message ?? ''))) return true
  }
  return false
}

/** A one-line, human message for an error. */
export function describeError(error: unknown): string {
  if (isQuotaError(error)) {
    return 'Storage is full: the browser refused to save more data. Free space on the Data page (delete runs or artifacts), or ask the browser to keep more with “Keep data”.'
  }
  if (isMlflowError(error)) return error.message
  if (error instanceof Error) return error.message || error.name
  return String(error)
}

/** The filter position of a search-syntax error, when the library reports one. */
export function filterErrorSpan(error: unknown): { position: number; length: number; problem: string } | undefined {
  const candidate = error as { position?: unknown; length?: unknown; problem?: unknown; message?: unknown }
  if (typeof candidate?.position !== 'number') return undefined
  const length = typeof candidate.length === 'number' ? candidate.length : 0
  const problem = typeof candidate.problem === 'string' ? candidate.problem : String(candidate.message ?? '')
  return { position: candidate.position, length, problem }
}
