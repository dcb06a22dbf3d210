/**
 * The offline outbox's public side. With `configureRemote(uri, { offline: 'queue' })`, run writes
 * that cannot reach the server wait in IndexedDB (see outbox-store.ts for placeholder run ids);
 * they are replayed in order, each exactly once, on `online`, on a timer, by Background Sync, or
 * when the page or service worker calls replayOutbox(). getOutbox and watchOutbox show what waits.
 */
import { liveQuery } from 'dexie'
import type { OutboxRow } from '../store/local/db.ts'
import { type OutboxOp, outboxQueue } from './outbox-queue.ts'
import type { ReplayResult } from './outbox-replay.ts'
import { replayAndSettle } from './outbox-triggers.ts'

export { OUTBOX_SYNC_TAG } from './outbox-triggers.ts'
export { CLIENT_RUN_TAG } from './outbox-replay.ts'
export type { ReplayResult }

/** One waiting (or refused) write, as the UI lists it. */
export interface OutboxEntry {
  seq: number
  /** The server's base URL. */
  target: string
  op: OutboxOp
  /** The run it writes to; a placeholder id for runs created offline. */
  runId?: string
  createdAt: number
  attempts: number
  state: 'pending' | 'failed'
  /** Why the last try did not go through. */
  lastError?: string
  /** Metric points, params and tags it carries (1 for other writes). */
  items: number
}

/** Where the outbox lives: the IndexedDB database name given as `outboxDatabase` to configureRemote. Default 'lablog'. */
export interface OutboxLocation { database?: string }

const databaseOf = (location: OutboxLocation = {}) => location.database ?? 'lablog'

function toEntry(row: OutboxRow): OutboxEntry {
  const args = row.args as [unknown, { metrics?: unknown[]; params?: unknown[]; tags?: unknown[] } | unknown[] | undefined]
  const payload = args[1]
  const items = row.op === 'logMetrics' && Array.isArray(payload) ? payload.length
    : row.op === 'logBatch' && payload && !Array.isArray(payload) ? (payload.metrics?.length ?? 0) + (payload.params?.length ?? 0) + (payload.tags?.length ?? 0)
      : 1
  return {
    seq: row.seq!, target: row.target, op: row.op as OutboxOp, ...(row.runId ? { runId: row.runId } : {}), createdAt: row.createdAt,
    attempts: row.attempts, state: row.state, ...(row.lastError ? { lastError: row.lastError } : {}), items,
  }
}

/**
 * Sends what waits, oldest first, and resolves with what happened. Safe to call any time, from a
 * page or a service worker's `sync` handler (configure the server there too when it needs auth).
 */
export function replayOutbox(location?: OutboxLocation): Promise<ReplayResult> {
  return replayAndSettle(databaseOf(location))
}

/** Every entry in order: pending ones first in line, refused ones kept with their error. */
export async function getOutbox(location?: OutboxLocation): Promise<OutboxEntry[]> {
  return (await outboxQueue(databaseOf(location)).db.outbox.orderBy('seq').toArray()).map(toEntry)
}

/** Calls `listener` with the entries now and after every change (from any tab or worker); returns a function that stops it. */
export function watchOutbox(listener: (entries: OutboxEntry[]) => void, location?: OutboxLocation): () => void {
  const subscription = liveQuery(() => getOutbox(location)).subscribe({ next: listener, error: () => {} })
  return () => subscription.unsubscribe()
}

/** Drops a refused entry (state 'failed') the user has seen; a pending one stays (order matters). Returns whether one was dropped. */
export async function discardOutboxEntry(seq: number, location?: OutboxLocation): Promise<boolean> {
  const db = outboxQueue(databaseOf(location)).db
  return db.transaction('rw', db.outbox, async () => {
    const row = await db.outbox.get(seq)
    if (row?.state !== 'failed') return false
    await db.outbox.delete(seq)
    return true
  })
}
