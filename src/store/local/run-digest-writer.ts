/**
 * Who writes digests, and when; never on the write path (createRun and logBatch only stamp).
 *
 * - A context that wrote runs of an experiment, once quiet for QUIET_MS, counts the rows a cold
 *   read would read one by one and, above DIGEST_MIN_ROWS, rebuilds the digest from the stored
 *   digest plus those rows (every row only when there is no digest yet). A sweep's worker leaves a
 *   digest behind for the page that opens next. Rows written within DIGEST_SKEW_MS of the rebuild
 *   are read again by every cold read, so while the writer stays quiet it checks once more when
 *   they have aged past that.
 * - A cold search that read more than DIGEST_MIN_ROWS rows writes the digest from what it read,
 *   after the search has answered.
 * One rebuild per experiment at a time; a later request waits for it, then checks again.
 */
import { type LablogDb, onRunStamped } from './db.ts'
import { encodeRunDigest } from './run-digest-format.ts'
import { DIGEST_MIN_ROWS, DIGEST_SKEW_MS, type ExperimentRuns, readExperimentRuns, rowsToReadCold, writeRunDigest } from './run-digests.ts'

/** How long a context must have written no run before it rebuilds digests. */
export const QUIET_MS = 1000
/** How long after a search that read many rows its digest is written: the caller renders first. */
const AFTER_SEARCH_MS = 50

type Timer = ReturnType<typeof setTimeout>

/** Node keeps a process alive for a pending timer; a background digest is never a reason to. */
function background(callback: () => void, ms: number): Timer {
  const timer = setTimeout(callback, ms)
  ;(timer as { unref?: () => void }).unref?.()
  return timer
}

export class RunDigestWriter {
  private readonly written = new Set<string>()
  private lastWriteAt = 0
  private timer: Timer | undefined
  private readonly busy = new Map<string, Promise<void>>()
  private readonly stopListening: () => void
  private closed = false

  constructor(private readonly db: LablogDb) {
    this.stopListening = onRunStamped(experimentId => {
      this.written.add(experimentId)
      this.lastWriteAt = Date.now()
      this.timer ??= background(() => this.whenQuiet(), QUIET_MS)
    })
  }

  /** After a cold search that read `runs` (unless a digest of that experiment is already being written). */
  writeAfterSearch(runs: ExperimentRuns): void {
    if (runs.rowsRead <= DIGEST_MIN_ROWS || this.busy.has(runs.experimentId)) return
    this.serialise(runs.experimentId, () => new Promise<void>(resolve => background(resolve, AFTER_SEARCH_MS)).then(() => this.write(runs)))
  }

  /** Settles once no digest is being written (tests and benches wait on it). */
  async idle(): Promise<void> {
    while (this.busy.size > 0) await Promise.all(this.busy.values())
  }

  close(): void {
    this.closed = true
    this.stopListening()
    if (this.timer !== undefined) clearTimeout(this.timer)
    this.timer = undefined
  }

  private whenQuiet(): void {
    this.timer = undefined
    if (this.closed) return
    const quietFor = Date.now() - this.lastWriteAt
    if (quietFor < QUIET_MS) {
      this.timer = background(() => this.whenQuiet(), QUIET_MS - quietFor)
      return
    }
    const experiments = [...this.written]
    this.written.clear()
    for (const experimentId of experiments) this.serialise(experimentId, () => this.rebuildIfStale(experimentId))
  }

  private async rebuildIfStale(experimentId: string): Promise<void> {
    if (this.closed || await rowsToReadCold(this.db, experimentId) <= DIGEST_MIN_ROWS) return
    const runs = await readExperimentRuns(this.db, experimentId)
    if (this.closed) return
    await this.write(runs)
    // Rows written in the last DIGEST_SKEW_MS before this digest are read again by cold reads:
    // look again once they are older, if no write came meanwhile (a write schedules its own check).
    const settledAt = this.lastWriteAt + DIGEST_SKEW_MS
    if (runs.watermark < settledAt && this.timer === undefined) {
      this.written.add(experimentId)
      this.timer = background(() => this.whenQuiet(), settledAt + 50 - Date.now())
    }
  }

  private async write(runs: ExperimentRuns): Promise<void> {
    if (this.closed) return
    await writeRunDigest(this.db, encodeRunDigest(runs.experimentId, runs.watermark, runs.rows.values()), runs.epoch)
  }

  /** Runs `task` after any digest work on the experiment; a failure only costs the digest. */
  private serialise(experimentId: string, task: () => Promise<void>): void {
    const previous = this.busy.get(experimentId) ?? Promise.resolve()
    const next: Promise<void> = previous.then(task).catch(() => {}).finally(() => {
      if (this.busy.get(experimentId) === next) this.busy.delete(experimentId)
    })
    this.busy.set(experimentId, next)
  }
}
