/**
 * Run rows of searched experiments kept in memory, so repeated searches (the runs
 * table filtering, sorting, refreshing) skip re-reading thousands of rows. Dexie
 * announces every committed change, from this context or another tab or worker
 * (BroadcastChannel); only the runs it names are read again.
 */
import Dexie, { type ObservabilitySet } from 'dexie'
import type { Run } from '../../core/types.ts'
import type { LablogDb, RunRow } from './db.ts'
import { toRun } from './runs.ts'

/** A row and the Run view the search predicates read; the view is never handed out. */
export interface CachedRun { row: RunRow; view: Run }

interface RangeNode { from: unknown; to: unknown; l?: RangeNode | null; r?: RangeNode | null }

export class RunSearchCache {
  private readonly byExperiment = new Map<string, Map<string, CachedRun>>()
  private changedRunIds = new Set<string>()
  private everythingChanged = false
  private readonly partKey: string
  private readonly onMutation = (parts: ObservabilitySet) => this.noteMutation(parts as unknown as Record<string, RangeNode>)

  constructor(private readonly db: LablogDb) {
    this.partKey = `idb://${db.name}/runs/`
    Dexie.on('storagemutated', this.onMutation)
  }

  /** Every run of these experiments, current as of all changes announced so far. */
  async runsOf(experimentIds: string[]): Promise<CachedRun[]> {
    await this.refresh()
    const missing = experimentIds.filter(id => !this.byExperiment.has(id))
    if (missing.length > 0) {
      // One equality read per experiment: Dexie's anyOf walks a cursor, a third slower for one key.
      const rowsPerExperiment = await Promise.all(missing.map(id => this.db.runs.where('experimentId').equals(id).toArray()))
      missing.forEach((id, index) => {
        this.byExperiment.set(id, new Map(rowsPerExperiment[index]!.map(row => [row.runId, { row, view: toRun(row) }])))
      })
    }
    return experimentIds.flatMap(id => [...this.byExperiment.get(id)!.values()])
  }

  close(): void { Dexie.on('storagemutated').unsubscribe(this.onMutation) }

  private async refresh(): Promise<void> {
    if (this.everythingChanged) {
      this.everythingChanged = false
      this.changedRunIds.clear()
      this.byExperiment.clear()
      return
    }
    if (this.changedRunIds.size === 0 || this.byExperiment.size === 0) return this.changedRunIds.clear()
    const runIds = [...this.changedRunIds]
    this.changedRunIds = new Set()
    const rows = await this.db.runs.bulkGet(runIds)
    runIds.forEach((runId, index) => {
      for (const runs of this.byExperiment.values()) runs.delete(runId)
      const row = rows[index]
      if (row) this.byExperiment.get(row.experimentId)?.set(runId, { row, view: toRun(row) })
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
