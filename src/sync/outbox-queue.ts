/**
 * The outbox's storage: writes waiting for a tracking server, in IndexedDB (tables outbox and
 * outboxRunIds of a LablogDb), plus the placeholder run ids handed out for runs created offline.
 */
import { LablogDb, type OutboxRow } from '../store/local/db.ts'

export type { OutboxRow }

/** Which store call an entry replays. */
export type OutboxOp = 'createRun' | 'logBatch' | 'logMetrics' | 'updateRun' | 'deleteRun' | 'restoreRun' | 'deleteTag' | 'logInputs' | 'logArtifact'

/** The outbox of one IndexedDB database. One instance per database name in a JS context. */
export class OutboxQueue {
  readonly db: LablogDb
  /** Pending entries per target, as this context last counted them; refreshed from the database when non-zero. */
  private readonly pending = new Map<string, number>()
  /** Placeholder → remote run id (null until its createRun is replayed), per target. */
  private readonly placeholders = new Map<string, Map<string, string | null>>()

  constructor(readonly databaseName: string) {
    this.db = new LablogDb(databaseName)
  }

  /** True while `target` has pending writes: new writes must queue behind them to keep their order. */
  async hasPending(target: string): Promise<boolean> {
    const known = this.pending.get(target)
    if (known === 0) return false
    // Another context (a worker, a service worker) may have replayed or queued: count again.
    const count = await this.db.outbox.where('target').equals(target).filter(row => row.state === 'pending').count()
    this.pending.set(target, count)
    return count > 0
  }

  async enqueue(target: string, op: OutboxOp, runId: string | undefined, args: unknown[], attempts = 0): Promise<number> {
    const seq = await this.db.outbox.add({ target, op, runId, args, createdAt: Date.now(), attempts, state: 'pending' })
    this.pending.set(target, (this.pending.get(target) ?? 0) + 1)
    return seq
  }

  /** The oldest pending entry for `target`. */
  async next(target: string): Promise<OutboxRow | undefined> {
    return this.db.outbox.where('target').equals(target).filter(row => row.state === 'pending').sortBy('seq').then(rows => rows[0])
  }

  /** Targets with pending entries. */
  async targets(): Promise<string[]> {
    const rows = await this.db.outbox.where('state').equals('pending').toArray()
    return [...new Set(rows.map(row => row.target))]
  }

  /** Counts a send before it is made, so a replay after a crash knows the server may hold it. */
  async markAttempt(seq: number): Promise<void> {
    await this.db.outbox.where('seq').equals(seq).modify(row => { row.attempts++ })
  }

  async done(row: OutboxRow): Promise<void> {
    await this.db.outbox.delete(row.seq!)
    this.pending.set(row.target, Math.max(0, (this.pending.get(row.target) ?? 1) - 1))
  }

  /** The server refused the write for good: kept, marked failed, out of the way of later writes. */
  async fail(row: OutboxRow, message: string): Promise<void> {
    await this.db.outbox.update(row.seq!, { state: 'failed', lastError: message })
    this.pending.set(row.target, Math.max(0, (this.pending.get(row.target) ?? 1) - 1))
  }

  /** Why the last replay of this entry stopped (the server was unreachable again). */
  async note(row: OutboxRow, message: string): Promise<void> {
    await this.db.outbox.update(row.seq!, { lastError: message })
  }

  // Placeholder run ids

  /** Remembers a placeholder handed out for a run created offline. */
  addPlaceholder(target: string, placeholderId: string): void {
    this.placeholdersOf(target).set(placeholderId, null)
  }

  async setRemoteRunId(target: string, placeholderId: string, remoteRunId: string): Promise<void> {
    await this.db.outboxRunIds.put({ target, placeholderId, remoteRunId })
    this.placeholdersOf(target).set(placeholderId, remoteRunId)
  }

  /**
   * What `runId` means on the server now: the remote id for a replayed placeholder, `null` for a
   * placeholder still waiting in the outbox, and `runId` itself for every other id.
   */
  async resolveRunId(target: string, runId: string): Promise<string | null> {
    const known = this.placeholdersOf(target)
    if (known.has(runId)) return known.get(runId) ?? null
    const stored = await this.db.outboxRunIds.get([target, runId])
    if (stored) {
      known.set(runId, stored.remoteRunId)
      return stored.remoteRunId
    }
    const waiting = await this.db.outbox.where('target').equals(target)
      .filter(row => row.op === 'createRun' && row.runId === runId).first()
    if (waiting?.state === 'pending') {
      known.set(runId, null)
      return null
    }
    return runId
  }

  private placeholdersOf(target: string): Map<string, string | null> {
    let map = this.placeholders.get(target)
    if (!map) this.placeholders.set(target, map = new Map())
    return map
  }
}

const queues = new Map<string, OutboxQueue>()

/** The outbox kept in IndexedDB database `databaseName`. */
export function outboxQueue(databaseName: string): OutboxQueue {
  let queue = queues.get(databaseName)
  if (!queue) queues.set(databaseName, queue = new OutboxQueue(databaseName))
  return queue
}
