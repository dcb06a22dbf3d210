/** Shared by unit and browser tests: a fresh, uniquely named local store per test. */
export function freshTrackingUri(prefix = 'test'): string {
  return `indexeddb://${prefix}-${crypto.randomUUID()}`
}
