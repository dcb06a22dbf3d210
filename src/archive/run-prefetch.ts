/**
 * Reads whole runs' metric histories ahead of an exporter, several runs per store transaction:
 * while one batch is formatted and zipped, the next is read, and a transaction's fixed cost is shared.
 */
import type { MetricColumns } from '../store/tracking-store.ts'

/** Points a batch aims at (≈ 12 MB of columns): few runs when they are long, many when short. */
const BATCH_POINTS = 500_000
const MAX_BATCH_RUNS = 32

type RunMetrics = Map<string, MetricColumns>

export class RunMetricsPrefetch {
  private readonly position = new Map<string, number>()
  private readonly pending = new Map<string, Promise<RunMetrics>>()
  /** Index in `order` of the first run no batch has asked for yet. */
  private nextUnread = 0
  private batchRuns = 8

  /** `readBatch` reads the given runs in one go; `order` is the order the runs will be asked for. */
  constructor(private readonly readBatch: (runIds: string[]) => Promise<RunMetrics[]>, private readonly order: string[]) {
    order.forEach((runId, index) => this.position.set(runId, index))
  }

  /** The run's histories. Keeps one to two batches read ahead of the caller; each run is handed out once. */
  read(runId: string): Promise<RunMetrics> {
    const position = this.position.get(runId)
    if (position === undefined || position < this.nextUnread && !this.pending.has(runId)) {
      // Not in the plan, or asked for twice: read it alone.
      return this.readBatch([runId]).then(([metrics]) => metrics!)
    }
    if (!this.pending.has(runId)) { this.nextUnread = position; this.startBatch() }
    const metrics = this.pending.get(runId)!
    this.pending.delete(runId)
    if (this.pending.size < this.batchRuns && this.nextUnread < this.order.length) this.startBatch()
    return metrics
  }

  private startBatch(): void {
    const runIds = this.order.slice(this.nextUnread, this.nextUnread + this.batchRuns)
    this.nextUnread += runIds.length
    const batch = this.readBatch(runIds)
    batch.then(list => {
      const points = list.reduce((sum, metrics) => sum + [...metrics.values()].reduce((total, columns) => total + columns.values.length, 0), 0)
      const perRun = Math.max(1, points / Math.max(1, list.length))
      this.batchRuns = Math.max(1, Math.min(MAX_BATCH_RUNS, Math.floor(BATCH_POINTS / perRun)))
    }, () => {})
    runIds.forEach((runId, index) => {
      const metrics = batch.then(list => list[index]!)
      metrics.catch(() => {}) // an export cancelled mid-batch never asks for the rest
      this.pending.set(runId, metrics)
    })
  }
}
