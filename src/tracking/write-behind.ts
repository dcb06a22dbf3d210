/**
 * Coalesces metric points logged without awaiting into few transactions. Each
 * call's promise settles when its point is durable; a failure that nobody awaited
 * is kept and thrown by the next flush(), so no write is lost silently.
 */
import { MlflowError } from '../core/errors.ts'
import type { Metric } from '../core/types.ts'
import { validateMetric } from '../core/validation.ts'
import type { TrackingStore } from '../store/tracking-store.ts'

interface Pending { runId: string; metric: Metric; resolve: () => void; reject: (error: unknown) => void }

/** Past this many queued points a flush starts at once, bounding memory in long synchronous loops. */
const MAX_QUEUED = 50_000

export class MetricWriteBehind {
  private queue: Pending[] = []
  private scheduled = false
  private writing: Promise<void> = Promise.resolve()
  private failures: unknown[] = []

  constructor(private readonly store: TrackingStore) {}

  /** Validates now (so one bad point never fails its neighbours), writes soon. */
  log(runId: string, metric: Metric): Promise<void> {
    try { validateMetric(metric) } catch (error) { return Promise.reject(error) }
    const written = new Promise<void>((resolve, reject) => this.queue.push({ runId, metric, resolve, reject }))
    // Callers often do not await: the failure is kept for flush() instead of surfacing as an unhandled rejection.
    written.catch(() => {})
    if (this.queue.length >= MAX_QUEUED) this.startWrite()
    else if (!this.scheduled) {
      this.scheduled = true
      queueMicrotask(() => this.startWrite())
    }
    return written
  }

  /** Resolves once every point queued so far is durable; throws the failures no caller awaited. */
  async flush(): Promise<void> {
    this.startWrite()
    await this.writing
    const failures = this.failures
    this.failures = []
    if (failures.length === 1) throw failures[0]
    if (failures.length > 1) {
      const first = failures[0] as Error
      throw new MlflowError((first as MlflowError).errorCode ?? 'INTERNAL_ERROR', `${failures.length} metric writes failed; the first: ${first.message}`, { cause: failures })
    }
  }

  private startWrite(): void {
    this.scheduled = false
    if (this.queue.length === 0) return
    const batch = this.queue
    this.queue = []
    this.writing = this.writing.then(() => this.write(batch))
  }

  private async write(batch: Pending[]): Promise<void> {
    const byRun = new Map<string, Pending[]>()
    for (const pending of batch) {
      const group = byRun.get(pending.runId)
      if (group) group.push(pending)
      else byRun.set(pending.runId, [pending])
    }
    for (const [runId, group] of byRun) {
      try {
        await this.store.logMetrics(runId, group.map(pending => pending.metric))
        for (const pending of group) pending.resolve()
      } catch (error) {
        this.failures.push(error)
        for (const pending of group) pending.reject(error)
      }
    }
  }
}
