/**
 * Run rows of searched experiments kept in memory, so repeated searches (the runs
 * table filtering, sorting, refreshing) skip re-reading thousands of rows. Dexie
 * announces every committed change, from this context or another tab or worker
 * (BroadcastChannel); only the runs it names are read again. The first search of an
 * experiment reads its digest plus the rows changed since (run-digests.ts).
 */
import Dexie, { type ObservabilitySet } from 'dexie'
import type { Run } from '../../core/types.ts'
import type { LablogDb, RunRow } from './db.ts'
import { RunDigestWriter } from './run-digest-writer.ts'
import { readExperimentRuns } from './run-digests.ts'
import { toRun } from './runs.ts'

/** A row and the Run view the search predicates read; the view is never handed out. */
export interface CachedRun { row: RunRow; view: Run }

// The view shares the row's params, tags and inputs (nothing changes a cached row: a change replaces
// it, and the view never leaves the cache); a cold search builds 10,000 of these.
const cachedRun = (row: RunRow): CachedRun => ({ row, view: toRun(row, { shared: true }) })

interface RangeNode { from: unknown; to: unknown; l?: RangeNode | null; r?: RangeNode | null }

export class RunSearchCache {
  private readonly byExperiment = new Map<string, Map<string, CachedRun>>()
  private changedRunIds = new Set<string>()
  private everythingChanged = false
  /** Cold reads in flight: changes announced meanwhile are kept for the next refresh, not dropped. */
  private loading = 0
  readonly digests: RunDigestWriter
  private readonly partKey: string
  private readonly onMutation = (parts: ObservabilitySet) => this.noteMutation(parts as unknown as Record<string, RangeNode>)

  constructor(private readonly db: LablogDb) {
    this.partKey = `idb://${db.name}/runs/`
    this.digests = new RunDigestWriter(db)
    Dexie.on('storagemutated', this.onMutation)
  }

  /** Every run of these experiments, current as of all changes announced so far. */
  async runsOf(experimentIds: string[]): Promise<CachedRun[]> {
    await this.refresh()
    const missing = experimentIds.filter(id => !this.byExperiment.has(id))
    if (missing.length > 0) {
      this.loading++
      try {
        for (const runs of await Promise.all(missing.map(id => readExperimentRuns(this.db, id)))) {
          const cached = new Map<string, CachedRun>()
          for (const [runId, row] of runs.rows) cached.set(runId, cachedRun(row))
          this.byExperiment.set(runs.experimentId, cached)
          this.digests.writeAfterSearch(runs)
        }
      } finally {
        this.loading--
      }
    }
    return experimentIds.flatMap(id => [...this.byExperiment.get(id)!.values()])
  }

  close(): void {
    Dexie.on('storagemutated').unsubscribe(this.onMutation)
    this.digests.close()
  }

  private async refresh(): Promise<void> {
    // A cold read in flight may have read before the changes announced so far: while one is, they
    // are applied and kept, to be applied again once it has landed.
    if (this.everythingChanged) {
      this.everythingChanged = this.loading > 0
      this.changedRunIds.clear()
      this.byExperiment.clear()
      return
    }
    if (this.changedRunIds.size === 0) return
    const runIds = [...this.changedRunIds]
    if (this.loading === 0) this.changedRunIds = new Set()
    if (this.byExperiment.size === 0) return
    const rows = await this.db.runs.bulkGet(runIds)
    runIds.forEach((runId, index) => {
      for (const runs of this.byExperiment.values()) runs.delete(runId)
      const row = rows[index]
      if (row) this.byExperiment.get(row.experimentId)?.set(runId, cachedRun(row))
    })
  }

  private noteMutation(parts: Record<string, RangeNode>): void {
    const changed = parts[this.partKey]
    if (!changed) return
    const walk = (node: RangeNode | null | undefined): void => {
      if (!node || this.everythingChanged) return
      if (typeof node.from === 'string' && node.from === node.to) this.changedRunIds.add(node.from)
      else if (node.from !== undefined) this.everythingChanged = true
      walk(node.l)
      walk(node.r)
    }
    walk(changed)
  }
}
