/**
 * The CLI's local store: Node has no IndexedDB, so push and pull stage runs in an in-memory one
 * (fake-indexeddb), gone when the process ends. Re-pushes are still idempotent through run tags.
 */
import Dexie from 'dexie'

/** Installs an in-memory IndexedDB (unless the platform has one) and returns a fresh tracking URI on it. */
export async function inMemoryTrackingUri(label: string): Promise<string> {
  const scope = globalThis as { indexedDB?: IDBFactory; IDBKeyRange?: typeof IDBKeyRange }
  if (!scope.indexedDB) {
    const fake = await import('fake-indexeddb')
    scope.indexedDB = fake.indexedDB
    scope.IDBKeyRange = fake.IDBKeyRange
  }
  // Dexie reads its IndexedDB when first imported, which may have been before the line above.
  Dexie.dependencies.indexedDB = scope.indexedDB!
  Dexie.dependencies.IDBKeyRange = scope.IDBKeyRange!
  return `indexeddb://lablog-cli-${label}-${crypto.randomUUID()}`
}

/** An AbortSignal that Ctrl-C (SIGINT) aborts while `body` runs, so a push stops between requests and can resume. */
export async function withInterrupt<T>(body: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController()
  const onInterrupt = () => controller.abort(new Error('interrupted (SIGINT)'))
  process.once('SIGINT', onInterrupt)
  try {
    return await body(controller.signal)
  } finally {
    process.off('SIGINT', onInterrupt)
  }
}
