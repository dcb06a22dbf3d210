/**
 * The virtualised runs table: only the rows in view (plus a margin) are in the DOM, so 10,000
 * runs scroll smoothly. Sticky header and name column; nested runs indent under their parent.
 */
import { memo } from 'preact/compat'
import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks'
import { StatusBadge } from '../components/status-badge.tsx'
import { hrefFor } from '../router.ts'
import { type Column, NAME_COLUMN } from './columns.ts'
import type { RunRow, SortState } from './run-tree.ts'

/** Row height in pixels: fixed, so a row's position is its index times this. */
export const ROW_HEIGHT = 30
const OVERSCAN = 12
const CHECK_WIDTH = 36

export interface RunsTableProps {
  rows: RunRow[]
  columns: Column[]
  selected: ReadonlySet<string>
  sort: SortState
  now: number
  onSort: (columnId: string) => void
  /** `range` is true for shift-click: select from the last clicked row to this one. */
  onSelect: (runId: string, index: number, range: boolean) => void
  onSelectAll: (select: boolean) => void
  onToggleExpand: (runId: string) => void
}

export function RunsTable({ rows, columns, selected, sort, now, onSort, onSelect, onSelectAll, onToggleExpand }: RunsTableProps) {
  const scroller = useRef<HTMLDivElement>(null)
  const [scrollTop, setScrollTop] = useState(0)
  const [viewport, setViewport] = useState(600)
  const frame = useRef(0)

  useLayoutEffect(() => {
    const element = scroller.current
    if (!element) return
    const observer = new ResizeObserver(() => setViewport(element.clientHeight))
    observer.observe(element)
    setViewport(element.clientHeight)
    return () => observer.disconnect()
  }, [])
  useEffect(() => () => cancelAnimationFrame(frame.current), [])

  const onScroll = () => {
    cancelAnimationFrame(frame.current)
    frame.current = requestAnimationFrame(() => setScrollTop(scroller.current?.scrollTop ?? 0))
  }

  const first = Math.max(0, Math.floor(scrollTop / ROW_HEIGHT) - OVERSCAN)
  const last = Math.min(rows.length, Math.ceil((scrollTop + viewport) / ROW_HEIGHT) + OVERSCAN)
  const allColumns = [NAME_COLUMN, ...columns]
  const totalWidth = CHECK_WIDTH + allColumns.reduce((sum, column) => sum + column.width, 0)
  const allSelected = rows.length > 0 && rows.every(row => selected.has(row.run.info.runId))
  // A trailing flexible track lets the row's background and borders span a wide viewport.
  const template = `${CHECK_WIDTH}px ${allColumns.map(column => `${column.width}px`).join(' ')} minmax(0, 1fr)`
  const rowWidth = `max(${totalWidth}px, 100%)`

  const header = (
    <div class="rt-row rt-header" role="row" aria-rowindex={1} style={{ gridTemplateColumns: template, width: rowWidth }}>
      <div class="rt-cell rt-check rt-sticky" role="columnheader">
        <input type="checkbox" aria-label="Select all runs" checked={allSelected}
          onChange={event => onSelectAll(event.currentTarget.checked)} />
      </div>
      {allColumns.map((column, index) => {
        const sorted = sort.columnId === column.id
        return (
          <div key={column.id} role="columnheader" class={`rt-cell rt-head-cell rt-kind-${column.kind} ${index === 0 ? 'rt-sticky rt-name' : ''} ${column.numeric ? 'rt-num' : ''}`}
            aria-sort={sorted ? (sort.ascending ? 'ascending' : 'descending') : 'none'}>
            <button type="button" class="rt-sort" onClick={() => onSort(column.id)} title={`${column.id} — sort`}
              aria-label={column.kind === 'attribute' ? column.label : `${column.label} (${column.kind})`}>
              {column.kind !== 'attribute' && <span class="rt-kind-badge" aria-hidden="true">{column.kind === 'metric' ? 'M' : column.kind === 'param' ? 'P' : 'T'}</span>}
              <span class="rt-label">{column.label}</span>
              <span class="rt-sort-mark" aria-hidden="true">{sorted ? (sort.ascending ? '▲' : '▼') : ''}</span>
            </button>
          </div>
        )
      })}
    </div>
  )

  const body = []
  for (let index = first; index < last; index++) {
    const row = rows[index]!
    body.push(<RunRowView key={row.run.info.runId} row={row} index={index} columns={columns} template={template} rowWidth={rowWidth}
      selected={selected.has(row.run.info.runId)} now={now} onSelect={onSelect} onToggleExpand={onToggleExpand} />)
  }

  return (
    <div ref={scroller} class="rt-scroller" onScroll={onScroll} role="table" aria-label="Runs" aria-rowcount={rows.length + 1} tabIndex={-1}>
      {header}
      <div class="rt-body" role="rowgroup" style={{ height: `${rows.length * ROW_HEIGHT}px`, width: rowWidth }}>
        {body}
      </div>
      {rows.length === 0 && <div class="rt-empty">No runs match.</div>}
    </div>
  )
}

interface RunRowViewProps {
  row: RunRow; index: number; columns: Column[]; template: string; rowWidth: string; selected: boolean; now: number
  onSelect: RunsTableProps['onSelect']; onToggleExpand: RunsTableProps['onToggleExpand']
}

/** One row; memoised so scrolling renders only the rows that come into view. */
const RunRowView = memo(function RunRowView({ row, index, columns, template, rowWidth, selected, now, onSelect, onToggleExpand }: RunRowViewProps) {
  const { run } = row
  const runId = run.info.runId
  return (
    <div class={`rt-row ${selected ? 'rt-selected' : ''} ${run.info.lifecycleStage === 'deleted' ? 'rt-deleted' : ''}`} role="row"
      aria-rowindex={index + 2} aria-selected={selected}
      style={{ transform: `translateY(${index * ROW_HEIGHT}px)`, gridTemplateColumns: template, width: rowWidth }}>
      <div class="rt-cell rt-check rt-sticky" role="cell">
        <input type="checkbox" checked={selected} aria-label={`Select run ${run.info.runName}`}
          onClick={event => { event.preventDefault(); onSelect(runId, index, event.shiftKey) }} />
      </div>
      <div class="rt-cell rt-sticky rt-name" role="cell" style={{ paddingLeft: `${8 + row.depth * 18}px` }}>
        {row.childCount > 0 ? (
          <button type="button" class="rt-expander" aria-expanded={row.expanded} aria-label={`${row.expanded ? 'Collapse' : 'Expand'} ${row.childCount} child runs of ${run.info.runName}`}
            onClick={() => onToggleExpand(runId)}>{row.expanded ? '▾' : '▸'}</button>
        ) : <span class="rt-expander-space" aria-hidden="true" />}
        <a class="rt-run-link" href={hrefFor({ page: 'run', runId, tab: 'overview' })} title={run.info.runName}>{run.info.runName}</a>
        {row.childCount > 0 && <span class="rt-child-count" title={`${row.childCount} child runs`}>{row.childCount}</span>}
      </div>
      {columns.map(column => (
        <div key={column.id} role="cell" class={`rt-cell ${column.numeric ? 'rt-num' : ''}`} title={column.title?.(run)}>
          {column.id === 'attributes.status' ? <StatusBadge status={run.info.status} /> : column.text(run, now)}
        </div>
      ))}
    </div>
  )
})
