/**
 * When the outbox is replayed without anyone asking: on the window's `online` event, on a timer
 * while entries wait, and through Background Sync where the browser has it (the service worker's
 * `sync` event for tag {@link OUTBOX_SYNC_TAG} calls replayOutbox()).
 */
import { replayDatabase } from './outbox-replay.ts'

/** The Background Sync tag Lablog registers; a service worker replays the outbox when it fires. */
export const OUTBOX_SYNC_TAG = 'lablog-outbox'

const timers = new Map<string, ReturnType<typeof setInterval>>()
const listening = new Set<string>()

/** Starts the triggers for database `databaseName` (idempotent); they stop once a replay empties the outbox. */
export function scheduleOutboxReplay(databaseName: string, retryMs: number): void {
  const scope = globalThis as { addEventListener?: (type: string, listener: () => void) => void }
  if (!listening.has(databaseName) && typeof scope.addEventListener === 'function') {
    listening.add(databaseName)
    scope.addEventListener('online', () => void replayAndSettle(databaseName))
  }
  if (!timers.has(databaseName)) {
    const timer = setInterval(() => void replayAndSettle(databaseName), retryMs)
    // In Node, a waiting outbox must not keep the process alive.
    ;(timer as { unref?: () => void }).unref?.()
    timers.set(databaseName, timer)
  }
  void registerBackgroundSync()
}

/** Replays, and stops the timer when nothing waits any more. Failures stay in the outbox for the next try. */
export async function replayAndSettle(databaseName: string) {
  const result = await replayDatabase(databaseName)
  if (result.remaining === 0) stopOutboxTimer(databaseName)
  return result
}

export function stopOutboxTimer(databaseName: string): void {
  const timer = timers.get(databaseName)
  if (timer !== undefined) clearInterval(timer)
  timers.delete(databaseName)
}

interface SyncRegistration { sync?: { register(tag: string): Promise<void> } }

/** Asks the browser to wake the service worker when the network is back (Chromium's Background Sync); a no-op elsewhere. */
async function registerBackgroundSync(): Promise<void> {
  const container = (globalThis.navigator as { serviceWorker?: { controller?: unknown; ready: Promise<SyncRegistration> } } | undefined)?.serviceWorker
  // Without a controlling worker `ready` may never settle, and nobody would handle the event.
  if (!container?.controller) return
  try {
    await (await container.ready).sync?.register(OUTBOX_SYNC_TAG)
  } catch {
    // Refused (permissions, private mode): the online event and the timer still replay.
  }
}
