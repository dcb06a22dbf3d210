/** The Train page's right side: each job's runs with a progress bar and Stop, a sweep's "Stop all", and live charts. */
import { useMemo } from 'preact/hooks'
import { MetricChart } from '../charts/metric-chart.tsx'
import { SERIES_COLORS } from '../charts/plotly-loader.ts'
import { useChartSettings } from '../charts/chart-settings.tsx'
import { seriesIdOf, useMetricSeries } from '../charts/use-metric-series.ts'
import { StatusBadge } from '../components/status-badge.tsx'
import { formatNumber } from '../format.ts'
import { hrefFor } from '../router.ts'
import { type TrackedRun, type TrainingJob, hasEnded, stopJob, stopRun } from './training-jobs.ts'

const PHASE_TEXT: Record<string, string> = { queued: 'Queued', starting: 'Starting worker…', running: 'Running', skipped: 'Not started' }

/** The metrics shown beside a run: loss and accuracy first (train, then validation), then the rest. */
function headlineMetrics(metrics: Record<string, number>): Array<[string, number]> {
  const order = (key: string) => ['loss', 'acc', 'accuracy', 'mae', 'val_loss', 'val_acc', 'val_accuracy', 'val_mae'].indexOf(key)
  return Object.entries(metrics).filter(([key]) => order(key) >= 0).sort(([a], [b]) => order(a) - order(b)).slice(0, 4)
}

function RunRow({ job, run, color }: { job: TrainingJob; run: TrackedRun; color: string }) {
  const ended = hasEnded(run)
  const fraction = run.epochs > 0 ? Math.min(1, run.progress / run.epochs) : 0
  const percent = Math.round(fraction * 100)
  const epochText = `epoch ${Math.min(run.epochs, Math.floor(run.progress))} of ${run.epochs}`
  return (
    <li class="job-run" data-phase={run.phase}>
      <div class="job-run-head">
        <span class="run-swatch" style={{ background: color }} aria-hidden="true" />
        {run.runId ? <a class="job-run-name" href={hrefFor({ page: 'run', runId: run.runId, tab: 'overview' })}>{run.label}</a> : <span class="job-run-name">{run.label}</span>}
        <span class="job-run-status">
          {run.phase === 'FINISHED' || run.phase === 'FAILED' || run.phase === 'KILLED' ? <StatusBadge status={run.phase} /> : <span class="muted">{run.stopping ? 'Stopping…' : PHASE_TEXT[run.phase]}</span>}
        </span>
        {!ended && <button type="button" class="button button-small button-danger-quiet" aria-label={`Stop ${run.label}`} disabled={run.stopping} onClick={() => stopRun(job.id, run.key)}>Stop</button>}
      </div>
      <div class="job-run-bar" role="progressbar" aria-label={`Progress of ${run.label}`} aria-valuemin={0} aria-valuemax={100} aria-valuenow={percent} aria-valuetext={`${epochText}, ${run.phase.toLowerCase()}`}>
        <div class={`job-run-fill job-run-fill-${run.phase.toLowerCase()}`} style={{ width: `${run.phase === 'queued' ? 0 : Math.max(2, percent)}%` }} />
      </div>
      <div class="job-run-meta">
        <span class="mono">{epochText}</span>
        {headlineMetrics(run.metrics).map(([key, value]) => <span key={key}><span class="muted">{key}</span> <span class="mono">{formatNumber(value)}</span></span>)}
      </div>
      {run.error && <p class="form-error">{run.error}</p>}
    </li>
  )
}

/** Live charts of a job: one per epoch metric, one line per run, extended as the workers log. */
function JobCharts({ job }: { job: TrainingJob }) {
  const [settings] = useChartSettings()
  // Loss first, then the other metrics; training before validation (val_ charts sit under their training twins).
  const rank = (key: string) => (key.startsWith('val_') ? 2 : 0) + (key.replace(/^val_/, '') === 'loss' ? 0 : 1)
  const keys = useMemo(() => [...new Set(job.runs.flatMap(run => run.metricKeys))].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b)), [job.runs])
  const withIds = job.runs.map((run, index) => ({ run, color: SERIES_COLORS[index % SERIES_COLORS.length]! })).filter(item => item.run.runId)
  const refsKey = keys.join('\n') + '|' + withIds.map(item => item.run.runId).join(',')
  const refs = useMemo(() => withIds.flatMap(({ run }) => keys.map(key => ({ runId: run.runId!, key }))),
    // The refs key stands for the ids and keys: a new job snapshot with the same runs must not reload.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [refsKey])
  // Always live while shown: the last epoch's points land just before a run ends.
  const series = useMetricSeries(refs, true)
  if (keys.length === 0) return <p class="muted train-charts-empty">Charts appear after the first epoch.</p>
  return (
    <div class="chart-grid train-charts">
      {keys.map(key => (
        <MetricChart key={key} title={key} settings={settings} version={series.version}
          series={withIds.map(({ run, color }) => ({ seriesId: seriesIdOf({ runId: run.runId!, key }), label: run.shortLabel, color }))} />
      ))}
    </div>
  )
}

/** One job: a single run, or a sweep with its parent run link and "Stop all". */
export function JobCard({ job, showCharts }: { job: TrainingJob; showCharts: boolean }) {
  const active = job.runs.some(run => !hasEnded(run))
  const counts = job.runs.reduce<Record<string, number>>((tally, run) => ({ ...tally, [run.phase]: (tally[run.phase] ?? 0) + 1 }), {})
  const summary = ['running', 'starting', 'queued', 'FINISHED', 'KILLED', 'FAILED', 'skipped'].filter(phase => counts[phase])
    .map(phase => `${counts[phase]} ${(PHASE_TEXT[phase] ?? phase).toLowerCase().replace('…', '')}`).join(' · ')
  return (
    <article class="job-card" aria-label={`${job.kind === 'sweep' ? 'Sweep' : 'Training'} ${job.name}`}>
      <header class="job-head">
        <div>
          <h3 class="job-title">{job.name}</h3>
          <p class="job-meta muted">
            {job.kind === 'sweep' ? `Sweep of ${job.runs.length} runs, ${job.concurrency} at a time` : 'Single run'}
            {job.parentRunId && <> · <a href={hrefFor({ page: 'run', runId: job.parentRunId, tab: 'overview' })}>parent run</a></>}
            {' · '}<a href={hrefFor({ page: 'experiments', experimentId: job.experimentId })}>experiment</a>
            {summary && <> · {summary}</>}
          </p>
        </div>
        {active && job.runs.length > 1 && <button type="button" class="button button-small button-danger-quiet" onClick={() => stopJob(job.id)}>Stop all</button>}
      </header>
      <ul class="job-runs">
        {job.runs.map((run, index) => <RunRow key={run.key} job={job} run={run} color={SERIES_COLORS[index % SERIES_COLORS.length]!} />)}
      </ul>
      {showCharts && <JobCharts job={job} />}
    </article>
  )
}
