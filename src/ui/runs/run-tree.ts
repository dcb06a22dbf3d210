/**
 * The runs table's visible rows: runs sorted by a column, children nested under their parent
 * (tag mlflow.parentRunId) and shown only when the parent is expanded. Pure.
 */
import type { Run } from '../../index.ts'
import type { Column } from './columns.ts'
import { TAGS } from '../lablog.ts'

export interface SortState { columnId: string; ascending: boolean }

export interface RunRow {
  run: Run
  depth: number
  childCount: number
  expanded: boolean
}

const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' })

/** A comparator for a column: missing values last in either direction, strings in natural order. */
export function compareRunsBy(column: Column, ascending: boolean, now: number): (a: Run, b: Run) => number {
  const sign = ascending ? 1 : -1
  return (a, b) => {
    const x = column.value(a, now), y = column.value(b, now)
    const missingX = x === undefined || (typeof x === 'number' && Number.isNaN(x))
    const missingY = y === undefined || (typeof y === 'number' && Number.isNaN(y))
    if (missingX || missingY) return missingX === missingY ? 0 : missingX ? 1 : -1
    if (typeof x === 'number' && typeof y === 'number') return (x - y) * sign
    return collator.compare(String(x), String(y)) * sign
  }
}

/** Flattens runs into rows: roots sorted, each expanded parent followed by its sorted children. */
export function buildRunRows(runs: readonly Run[], compare: (a: Run, b: Run) => number, expanded: ReadonlySet<string>): RunRow[] {
  const byId = new Map(runs.map(run => [run.info.runId, run]))
  const children = new Map<string, Run[]>()
  const roots: Run[] = []
  for (const run of runs) {
    const parentId = run.data.tags[TAGS.parentRunId]
    // A child whose parent is filtered out (or missing) stands at the top level.
    if (parentId && parentId !== run.info.runId && byId.has(parentId)) {
      const siblings = children.get(parentId)
      if (siblings) siblings.push(run)
      else children.set(parentId, [run])
    } else roots.push(run)
  }
  const rows: RunRow[] = []
  const visited = new Set<string>()
  const visit = (run: Run, depth: number) => {
    if (visited.has(run.info.runId)) return
    visited.add(run.info.runId)
    const kids = children.get(run.info.runId) ?? []
    const isExpanded = expanded.has(run.info.runId)
    rows.push({ run, depth, childCount: kids.length, expanded: isExpanded })
    if (isExpanded && kids.length > 0) for (const kid of kids.sort(compare)) visit(kid, depth + 1)
  }
  for (const root of roots.sort(compare)) visit(root, 0)
  // Runs caught in a parent cycle reach no root: show them rather than lose them.
  if (visited.size < runs.length) {
    for (const run of runs) if (!visited.has(run.info.runId) && !reachesRoot(run, byId)) visit(run, 0)
  }
  return rows
}

function reachesRoot(run: Run, byId: Map<string, Run>): boolean {
  const seen = new Set<string>()
  let current: Run | undefined = run
  while (current) {
    if (seen.has(current.info.runId)) return false
    seen.add(current.info.runId)
    const parentId: string | undefined = current.data.tags[TAGS.parentRunId]
    if (!parentId || !byId.has(parentId)) return true
    current = byId.get(parentId)
  }
  return true
}
