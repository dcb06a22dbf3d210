/** An experiment's page: its header and actions, and the runs table with filter, columns and selection. */
import { useEffect, useMemo, useRef, useState } from 'preact/hooks'
import type { Experiment, ViewType } from '../../index.ts'
import { ConfirmDialog } from '../components/modal.tsx'
import { showError, showToast } from '../components/toasts.tsx'
import { RenameExperimentDialog } from '../experiments/experiment-dialog.tsx'
import { useAsync } from '../hooks/use-async.ts'
import { client } from '../lablog.ts'
import { PREF, usePref, writePref } from '../prefs.ts'
import { navigate } from '../router.ts'
import { ColumnPicker } from '../runs/column-picker.tsx'
import { type RunKeys, availableColumns, collectKeys, defaultColumnIds, mergeKeys } from '../runs/columns.ts'
import { downloadText, runsToCsv } from '../runs/export-csv.ts'
import { FilterBox } from '../runs/filter-box.tsx'
import { type SortState, buildRunRows, compareRunsBy } from '../runs/run-tree.ts'
import { RunsTable } from '../runs/runs-table.tsx'
import { useExperimentRuns } from '../runs/use-experiment-runs.ts'
import { NAME_COLUMN } from '../runs/columns.ts'

const DEFAULT_SORT: SortState = { columnId: 'attributes.start_time', ascending: false }
const EMPTY_KEYS: RunKeys = { metrics: [], params: [], tags: [] }

export function ExperimentPage({ experimentId }: { experimentId: string }) {
  const experiment = useAsync(() => client.getExperiment(experimentId), [experimentId])
  useEffect(() => { if (experiment.value) writePref(PREF.activeExperiment, experimentId) }, [experiment.value, experimentId])

  if (experiment.error) {
    return <div class="page-message"><h1>Experiment not found</h1><p class="muted">No experiment has id {experimentId}.</p><a href="#/experiments/0">Go to the Default experiment</a></div>
  }
  if (!experiment.value) return <div class="page-message muted" aria-busy="true">Loading…</div>
  return <ExperimentRuns experiment={experiment.value} onChanged={() => experiment.reload(true)} />
}

function ExperimentRuns({ experiment, onChanged }: { experiment: Experiment; onChanged: () => void }) {
  const experimentId = experiment.experimentId
  const [filter, setFilter] = useState('')
  const [viewType, setViewType] = useState<ViewType>('ACTIVE_ONLY')
  const [sort, setSort] = usePref<SortState>(PREF.sort(experimentId), DEFAULT_SORT)
  const [chosenColumns, setChosenColumns] = usePref<string[] | null>(PREF.columns(experimentId), null)
  const [expanded, setExpanded] = useState<ReadonlySet<string>>(new Set())
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set())
  const [dialog, setDialog] = useState<'rename' | 'delete' | 'delete-runs' | undefined>()
  const [now, setNow] = useState(Date.now())
  const anchor = useRef<number | undefined>(undefined)
  const seenKeys = useRef<RunKeys>(EMPTY_KEYS)
  const { runs, error, loading, searchMs } = useExperimentRuns(experimentId, filter, viewType)

  const anyRunning = runs?.some(run => run.info.status === 'RUNNING') ?? false
  useEffect(() => {
    if (!anyRunning) return
    const timer = setInterval(() => setNow(Date.now()), 5000)
    return () => clearInterval(timer)
  }, [anyRunning])

  const keys = useMemo(() => (seenKeys.current = mergeKeys(seenKeys.current, collectKeys(runs ?? []))), [runs])
  const available = useMemo(() => availableColumns(keys), [keys])
  const columnIds = chosenColumns ?? defaultColumnIds(keys)
  const columns = useMemo(() => {
    const byId = new Map(available.map(column => [column.id, column]))
    return columnIds.map(id => byId.get(id)).filter(column => column !== undefined)
  }, [available, columnIds.join('\n')])
  const rows = useMemo(() => {
    const sortColumn = [NAME_COLUMN, ...available].find(column => column.id === sort.columnId) ?? available[0]!
    return buildRunRows(runs ?? [], compareRunsBy(sortColumn, sort.ascending, now), expanded)
  }, [runs, sort, expanded, available, now])

  const selectedRuns = (runs ?? []).filter(run => selected.has(run.info.runId))

  const onSort = (columnId: string) => setSort(sort.columnId === columnId ? { columnId, ascending: !sort.ascending } : { columnId, ascending: true })
  const onSelect = (runId: string, index: number, range: boolean) => {
    const next = new Set(selected)
    if (range && anchor.current !== undefined) {
      const [from, to] = anchor.current < index ? [anchor.current, index] : [index, anchor.current]
      for (let at = from; at <= to; at++) next.add(rows[at]!.run.info.runId)
    } else if (next.has(runId)) next.delete(runId)
    else next.add(runId)
    anchor.current = index
    setSelected(next)
  }
  const toggleExpand = (runId: string) => {
    const next = new Set(expanded)
    if (next.has(runId)) next.delete(runId)
    else next.add(runId)
    setExpanded(next)
  }
  const expandAll = () => setExpanded(new Set((runs ?? []).map(run => run.data.tags['mlflow.parentRunId']).filter((id): id is string => !!id)))

  const setRunsLifecycle = async (deleted: boolean) => {
    try {
      for (const run of selectedRuns) await (deleted ? client.deleteRun(run.info.runId) : client.restoreRun(run.info.runId))
      showToast(`${deleted ? 'Deleted' : 'Restored'} ${selectedRuns.length} run${selectedRuns.length === 1 ? '' : 's'}`)
      setSelected(new Set())
    } catch (caught) { showError(caught) }
  }
  const deleteExperiment = async () => {
    try {
      await client.deleteExperiment(experimentId)
      showToast(`Deleted “${experiment.name}”. Restore it from Deleted experiments.`)
      writePref(PREF.activeExperiment, '0')
      navigate({ page: 'experiments', experimentId: '0' })
    } catch (caught) { showError(caught) }
  }
  const restoreExperiment = async () => {
    try { await client.restoreExperiment(experimentId); onChanged() } catch (caught) { showError(caught) }
  }

  const deletedExperiment = experiment.lifecycleStage === 'deleted'
  const userTags = Object.entries(experiment.tags).filter(([key]) => !key.startsWith('mlflow.'))
  return (
    <section class="page experiment-page" aria-labelledby="experiment-title">
      <header class="page-header">
        <div class="page-title-block">
          <h1 id="experiment-title" class="page-title">{experiment.name}</h1>
          <p class="page-meta">
            <span>ID <code>{experimentId}</code></span>
            <span title={experiment.artifactLocation}>Artifacts <code>{experiment.artifactLocation}</code></span>
            {userTags.map(([key, value]) => <span key={key} class="chip" title={`${key}: ${value}`}>{key}: {value}</span>)}
          </p>
        </div>
        <div class="page-actions">
          {deletedExperiment ? (
            <button type="button" class="button" onClick={restoreExperiment}>Restore experiment</button>
          ) : <>
            <button type="button" class="button" onClick={() => setDialog('rename')}>Rename</button>
            {experimentId !== '0' && <button type="button" class="button button-danger-quiet" onClick={() => setDialog('delete')}>Delete</button>}
          </>}
        </div>
      </header>
      {deletedExperiment && <p class="banner banner-warning" role="status">This experiment is deleted. Restore it to log new runs.</p>}

      <div class="toolbar">
        <FilterBox key={experimentId} value={filter} keys={keys} error={error} onApply={setFilter} />
        <div class="toolbar-group">
          <div class="segmented" role="group" aria-label="Runs to show">
            <button type="button" aria-pressed={viewType === 'ACTIVE_ONLY'} onClick={() => { setViewType('ACTIVE_ONLY'); setSelected(new Set()) }}>Active</button>
            <button type="button" aria-pressed={viewType === 'DELETED_ONLY'} onClick={() => { setViewType('DELETED_ONLY'); setSelected(new Set()) }}>Deleted</button>
          </div>
          <ColumnPicker available={available} chosen={columnIds} onChange={setChosenColumns} onReset={() => setChosenColumns(null)} />
          <button type="button" class="button button-quiet" onClick={expanded.size ? () => setExpanded(new Set()) : expandAll}>
            {expanded.size ? 'Collapse all' : 'Expand all'}
          </button>
        </div>
      </div>

      <div class="selection-bar" aria-live="polite">
        <span class="run-count">
          {runs ? `${runs.length.toLocaleString()} run${runs.length === 1 ? '' : 's'}` : 'Loading…'}
          {runs && <span class="muted"> · {Math.round(searchMs)} ms</span>}
          {anyRunning && <span class="live-dot" title="Live: runs are being logged">live</span>}
        </span>
        {selected.size > 0 && <>
          <span class="selection-count">{selected.size} selected</span>
          <button type="button" class="button button-small button-primary" disabled={selected.size < 2}
            onClick={() => navigate({ page: 'compare', runIds: selectedRuns.map(run => run.info.runId) })}>Compare</button>
          <button type="button" class="button button-small" onClick={() => downloadText(runsToCsv(selectedRuns, columns), `${experiment.name}-runs.csv`)}>Export CSV</button>
          <button type="button" class="button button-small" title="Export as an MLflow archive (mlruns or export-import zip)"
            onClick={() => navigate({ page: 'data', runIds: selectedRuns.map(run => run.info.runId) })}>Export</button>
          <button type="button" class="button button-small" title="Push to a remote MLflow server"
            onClick={() => navigate({ page: 'sync', runIds: selectedRuns.map(run => run.info.runId) })}>Push</button>
          {viewType === 'DELETED_ONLY'
            ? <button type="button" class="button button-small" onClick={() => setRunsLifecycle(false)}>Restore</button>
            : <button type="button" class="button button-small button-danger-quiet" onClick={() => setDialog('delete-runs')}>Delete</button>}
          <button type="button" class="link-button" onClick={() => setSelected(new Set())}>Clear selection</button>
        </>}
      </div>

      <div class={`table-wrap ${loading ? 'is-loading' : ''} ${error ? 'is-stale' : ''}`} title={error ? 'Showing the previous results: the filter has an error.' : undefined}>
        <RunsTable rows={rows} columns={columns} selected={selected} sort={sort} now={now} onSort={onSort} onSelect={onSelect}
          onSelectAll={all => setSelected(all ? new Set(rows.map(row => row.run.info.runId)) : new Set())} onToggleExpand={toggleExpand} />
      </div>

      {dialog === 'rename' && <RenameExperimentDialog experiment={experiment} onClose={() => setDialog(undefined)} onRenamed={onChanged} />}
      {dialog === 'delete' && <ConfirmDialog title="Delete experiment" confirmLabel="Delete" onClose={() => setDialog(undefined)} onConfirm={deleteExperiment}
        message={<>Delete “{experiment.name}” and its runs? You can restore it from Deleted experiments.</>} />}
      {dialog === 'delete-runs' && <ConfirmDialog title="Delete runs" confirmLabel="Delete" onClose={() => setDialog(undefined)} onConfirm={() => setRunsLifecycle(true)}
        message={<>Delete {selected.size} run{selected.size === 1 ? '' : 's'}? They stay restorable from the Deleted view.</>} />}
    </section>
  )
}
