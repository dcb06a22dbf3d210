/**
 * Paging of sorted search results with MLflow's page tokens: base64 of `{"offset": N}`, exactly
 * the bytes MLflow's file and SQL stores produce. Uses btoa/atob, so it runs in Node and browsers.
 */
import { invalidParameter } from '../errors.ts'
import type { Page } from '../types.ts'
import { LIMITS } from '../validation.ts'

/** The largest `max_results` MLflow's search endpoints accept. */
export const MAX_SEARCH_RESULTS: number = LIMITS.maxSearchResults

/** base64 of UTF-8 bytes (btoa itself only takes Latin-1). */
function base64Encode(text: string): string {
  let binary = ''
  for (const byte of new TextEncoder().encode(text)) binary += String.fromCharCode(byte)
  return btoa(binary)
}

/** UTF-8 text of base64; throws on bad base64 or bad UTF-8. */
function base64Decode(token: string): string {
  const binary = atob(token)
  const bytes = Uint8Array.from(binary, ch => ch.charCodeAt(0))
  return new TextDecoder('utf-8', { fatal: true }).decode(bytes)
}

/** The token of the page that starts at `offset`: base64 of `{"offset": N}` as Python's json.dumps writes it. */
export function encodePageToken(offset: number): string {
  return base64Encode(`{"offset": ${offset}}`)
}

/**
 * The offset a page token stands for; 0 for an undefined or empty token. Accepts MLflow's own
 * tokens (the offset may also be a numeric string, as MLflow's int() allows).
 * @throws MlflowError INVALID_PARAMETER_VALUE "Invalid page token…" for anything else.
 */
export function decodePageToken(token: string | undefined): number {
  if (token === undefined || token === '') return 0
  let parsed: unknown
  try {
    parsed = JSON.parse(base64Decode(token))
  } catch {
    throw invalidParameter('Invalid page token: it is not base64-encoded JSON')
  }
  const raw = typeof parsed === 'object' && parsed !== null ? (parsed as { offset?: unknown }).offset : undefined
  const offset = typeof raw === 'string' && /^\s*\d+\s*$/.test(raw) ? Number(raw) : raw
  if (typeof offset !== 'number' || !Number.isSafeInteger(offset) || offset < 1) {
    throw invalidParameter('Invalid page token: it holds no positive integer offset')
  }
  return offset
}

/**
 * Checks a `max_results` request value: undefined gives `defaultMax`; otherwise it must be an
 * integer from 1 to 50000.
 * @throws MlflowError INVALID_PARAMETER_VALUE with MLflow's wording.
 */
export function resolveMaxResults(maxResults: number | undefined, defaultMax = 1000): number {
  if (maxResults === undefined) return defaultMax
  if (!Number.isInteger(maxResults) || maxResults < 1) {
    throw invalidParameter(`Invalid value for request parameter max_results. It must be a positive integer, but got ${maxResults}`)
  }
  if (maxResults > MAX_SEARCH_RESULTS) {
    throw invalidParameter(`Invalid value for request parameter max_results. It must be at most ${MAX_SEARCH_RESULTS}, but got value ${maxResults}`)
  }
  return maxResults
}

/**
 * One page of `sortedItems`: up to `maxResults` items (default `defaultMax`) from the offset in
 * `pageToken`. `nextPageToken` is set only when items remain after this page. A token past the end
 * gives an empty page. Keep the filter and order the same between pages.
 *
 * @example
 * let page = paginate(sorted, 100, undefined)
 * while (page.nextPageToken) page = paginate(sorted, 100, page.nextPageToken)
 * @throws MlflowError INVALID_PARAMETER_VALUE for max_results outside 1..50000 or an invalid token.
 */
export function paginate<T>(sortedItems: T[], maxResults: number | undefined, pageToken: string | undefined, defaultMax = 1000): Page<T> {
  const max = resolveMaxResults(maxResults, defaultMax)
  const offset = decodePageToken(pageToken)
  const end = offset + max
  const items = sortedItems.slice(offset, end)
  return end < sortedItems.length ? { items, nextPageToken: encodePageToken(end) } : { items }
}
