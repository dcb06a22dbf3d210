/** A run's page: header with rename/delete, and the overview, metrics and artifacts tabs. Live while it runs. */
import { useEffect, useMemo, useState } from 'preact/hooks'
import { ArtifactBrowser } from '../artifacts/artifact-browser.tsx'
import { ChartControls, useChartSettings } from '../charts/chart-settings.tsx'
import { MetricChart } from '../charts/metric-chart.tsx'
import { loadPlotly, SERIES_COLORS } from '../charts/plotly-loader.ts'
import { type MetricSeriesState, seriesIdOf, useMetricSeries } from '../charts/use-metric-series.ts'
import { Modal } from '../components/modal.tsx'
import { StatusBadge } from '../components/status-badge.tsx'
import { showError, showToast } from '../components/toasts.tsx'
import { describeError } from '../errors.ts'
import { useAsync } from '../hooks/use-async.ts'
import { useStoreChanges } from '../hooks/use-store-changes.ts'
import { client } from '../lablog.ts'
import { PREF, writePref } from '../prefs.ts'
import { type RunTab, hrefFor, navigate } from '../router.ts'
import { RunOverview } from './run/run-overview.tsx'
import type { Run } from '../../index.ts'

const TAB_LABELS: Record<RunTab, string> = { overview: 'Overview', metrics: 'Metrics', artifacts: 'Artifacts' }

function MetricsTab({ run, series }: { run: Run; series: MetricSeriesState }) {
  const [settings, setSettings] = useChartSettings()
  const keys = Object.keys(run.data.metrics).sort((a, b) => a.localeCompare(b))
  if (keys.length === 0) return <p class="muted">This run has no metrics.</p>
  return (
    <>
      <ChartControls settings={settings} onChange={setSettings} />
      <div class="chart-grid">
        {keys.map(key => (
          <MetricChart key={key} title={key} settings={settings} version={series.version}
            series={[{ seriesId: seriesIdOf({ runId: run.info.runId, key }), label: key, color: SERIES_COLORS[0]! }]} />
        ))}
      </div>
    </>
  )
}

function RenameRunDialog({ run, onClose, onRenamed }: { run: Run; onClose: () => void; onRenamed: () => void }) {
  const [name, setName] = useState(run.info.runName)
  const [error, setError] = useState<string>()
  const submit = async () => {
    try { await client.updateRun(run.info.runId, { name: name.trim() }); onRenamed(); onClose() } catch (caught) { setError(describeError(caught)) }
  }
  return (
    <Modal title="Rename run" onClose={onClose} onSubmit={submit} footer={<>
      <button type="button" class="button" onClick={onClose}>Cancel</button>
      <button type="submit" class="button button-primary">Rename</button>
    </>}>
      <label class="field"><span class="field-label">Run name</span>
        <input class="input" value={name} autoFocus onInput={event => setName(event.currentTarget.value)} /></label>
      {error && <p class="form-error" role="alert">{error}</p>}
    </Modal>
  )
}

export function RunPage({ runId, tab, artifactPath }: { runId: string; tab: RunTab; artifactPath?: string }) {
  const run = useAsync(() => client.getRun(runId), [runId])
  const experimentId = run.value?.info.experimentId
  const experiment = useAsync(async () => (experimentId ? client.getExperiment(experimentId) : undefined), [experimentId])
  const [renaming, setRenaming] = useState(false)
  const live = run.value?.info.status === 'RUNNING'
  useStoreChanges(change => { if (change.runs) run.reload(true) }, 1000)
  // The sidebar follows the run's experiment.
  useEffect(() => { if (experimentId) writePref(PREF.activeExperiment, experimentId) }, [experimentId])
  // Start fetching plotly while the data loads: the first chart then draws sooner.
  useEffect(() => { void loadPlotly() }, [])

  const metricKeys = useMemo(() => Object.keys(run.value?.data.metrics ?? {}).sort().join('\n'), [run.value])
  const refs = useMemo(() => (metricKeys ? metricKeys.split('\n').map(key => ({ runId, key })) : []), [runId, metricKeys])
  const series = useMetricSeries(refs, live)

  if (run.error) return <div class="page-message"><h1>Run not found</h1><p class="muted">{describeError(run.error)}</p><a href="#/experiments">Back to experiments</a></div>
  if (!run.value) return <div class="page-message muted" aria-busy="true">Loading…</div>
  const current = run.value
  const deleted = current.info.lifecycleStage === 'deleted'

  const setLifecycle = async () => {
    try {
      await (deleted ? client.restoreRun(runId) : client.deleteRun(runId))
      showToast(deleted ? 'Run restored.' : 'Run deleted. Restore it from the Deleted view of its experiment.')
      run.reload(true)
    } catch (error) { showError(error) }
  }

  return (
    <section class="page" aria-labelledby="run-title">
      <nav class="breadcrumbs" aria-label="Breadcrumbs">
        <a href={hrefFor({ page: 'experiments', experimentId: current.info.experimentId })}>{experiment.value?.name ?? 'Experiment'}</a>
        <span aria-hidden="true">/</span><span>Run</span>
      </nav>
      <header class="page-header">
        <div class="page-title-block">
          <h1 id="run-title" class="page-title">{current.info.runName}</h1>
          <p class="page-meta"><StatusBadge status={current.info.status} /><code>{runId}</code>{live && <span class="live-dot">live</span>}</p>
        </div>
        <div class="page-actions">
          {!deleted && <button type="button" class="button" onClick={() => setRenaming(true)}>Rename</button>}
          <button type="button" class={deleted ? 'button' : 'button button-danger-quiet'} onClick={() => void setLifecycle()}>{deleted ? 'Restore' : 'Delete'}</button>
        </div>
      </header>
      {deleted && <p class="banner banner-warning" role="status">This run is deleted.</p>}
      <nav class="tabs" aria-label="Run sections">
        {(Object.keys(TAB_LABELS) as RunTab[]).map(name => (
          <a key={name} href={hrefFor({ page: 'run', runId, tab: name })} aria-current={tab === name ? 'page' : undefined}>{TAB_LABELS[name]}</a>
        ))}
      </nav>
      {tab === 'overview' && <RunOverview run={current} experiment={experiment.value} stats={series.stats} onChanged={() => run.reload(true)} />}
      {tab === 'metrics' && <MetricsTab run={current} series={series} />}
      {tab === 'artifacts' && <ArtifactBrowser runId={runId} selectedPath={artifactPath}
        onSelectPath={path => navigate({ page: 'run', runId, tab: 'artifacts', artifactPath: path }, { replace: true })} />}
      {renaming && <RenameRunDialog run={current} onClose={() => setRenaming(false)} onRenamed={() => run.reload(true)} />}
    </section>
  )
}
