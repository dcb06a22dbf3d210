/** Compare runs: overlaid metric charts, parallel coordinates of params → a metric, a scatter, and a side-by-side table. */
import { useMemo, useState } from 'preact/hooks'
import type { Run } from '../../index.ts'
import { ChartControls, useChartSettings } from '../charts/chart-settings.tsx'
import { MetricChart } from '../charts/metric-chart.tsx'
import { ParallelCoordinates } from '../charts/parallel-coordinates.tsx'
import { SERIES_COLORS } from '../charts/plotly-loader.ts'
import { ScatterPlot } from '../charts/scatter-plot.tsx'
import { seriesIdOf, useMetricSeries } from '../charts/use-metric-series.ts'
import { useAsync } from '../hooks/use-async.ts'
import { useStoreChanges } from '../hooks/use-store-changes.ts'
import { client } from '../lablog.ts'
import { hrefFor } from '../router.ts'
import { CompareTable } from './compare/compare-table.tsx'

async function loadRuns(runIds: string[]): Promise<Run[]> {
  const runs = await Promise.all(runIds.map(runId => client.getRun(runId).catch(() => undefined)))
  return runs.filter((run): run is Run => run !== undefined)
}

const fieldValue = (run: Run, field: string): string | number | undefined =>
  field.startsWith('metrics.') ? run.data.metrics[field.slice(8)] : run.data.params[field.slice(7)]

export function ComparePage({ runIds }: { runIds: string[] }) {
  const runs = useAsync(() => loadRuns(runIds), [runIds.join(',')])
  useStoreChanges(change => { if (change.runs) runs.reload(true) }, 1000)
  const list = runs.value ?? []
  const colors = list.map((_, index) => SERIES_COLORS[index % SERIES_COLORS.length]!)
  const [settings, setSettings] = useChartSettings()
  const firstExperiment = runs.value?.[0]?.info.experimentId
  const experimentName = useAsync(async () => (firstExperiment ? (await client.getExperiment(firstExperiment)).name : undefined), [firstExperiment])

  const metricKeys = useMemo(() => [...new Set(list.flatMap(run => Object.keys(run.data.metrics)))].sort((a, b) => a.localeCompare(b)), [runs.value])
  const paramKeys = useMemo(() => [...new Set(list.flatMap(run => Object.keys(run.data.params)))].sort((a, b) => a.localeCompare(b)), [runs.value])
  const refs = useMemo(() => list.flatMap(run => Object.keys(run.data.metrics).map(key => ({ runId: run.info.runId, key }))), [runs.value])
  const series = useMetricSeries(refs, list.some(run => run.info.status === 'RUNNING'))

  const varyingParams = paramKeys.filter(key => new Set(list.map(run => run.data.params[key])).size > 1)
  const [targetMetric, setTargetMetric] = useState<string>()
  const metric = targetMetric && metricKeys.includes(targetMetric) ? targetMetric : metricKeys[0]
  const fields = [...paramKeys.map(key => `params.${key}`), ...metricKeys.map(key => `metrics.${key}`)]
  const [xField, setXField] = useState<string>()
  const [yField, setYField] = useState<string>()
  const scatterX = xField && fields.includes(xField) ? xField : varyingParams[0] ? `params.${varyingParams[0]}` : fields[0]
  const scatterY = yField && fields.includes(yField) ? yField : metric ? `metrics.${metric}` : fields[1]

  if (runs.value && list.length === 0) return <div class="page-message"><h1>Nothing to compare</h1><p class="muted">Select two or more runs in an experiment's table, then choose Compare.</p></div>
  if (!runs.value) return <div class="page-message muted" aria-busy="true">Loading…</div>
  const experimentId = list[0]!.info.experimentId

  return (
    <section class="page" aria-labelledby="compare-title">
      <nav class="breadcrumbs" aria-label="Breadcrumbs"><a href={hrefFor({ page: 'experiments', experimentId })}>{experimentName.value ?? 'Experiment'}</a><span aria-hidden="true">/</span><span>Compare</span></nav>
      <header class="page-header"><h1 id="compare-title">Comparing {list.length} runs</h1></header>
      <div class="compare-runs">
        {list.map((run, index) => (
          <a key={run.info.runId} class="run-chip" href={hrefFor({ page: 'run', runId: run.info.runId, tab: 'overview' })}>
            <span class="run-swatch" style={{ background: colors[index] }} aria-hidden="true" />{run.info.runName}
          </a>
        ))}
      </div>

      <div class="compare-plots">
        <section class="section" aria-labelledby="parcoords-title">
          <div class="section-head">
            <h2 id="parcoords-title">Parameters → metric</h2>
            <label class="toolbar-group">Metric
              <select class="input input-small" value={metric} onChange={event => setTargetMetric(event.currentTarget.value)}>
                {metricKeys.map(key => <option key={key} value={key}>{key}</option>)}
              </select>
            </label>
          </div>
          <ParallelCoordinates
            axes={[...varyingParams.map(key => ({ label: key })), ...(metric ? [{ label: metric }] : [])]}
            lines={list.map((run, index) => ({ id: run.info.runId, label: run.info.runName, color: colors[index]!,
              values: [...varyingParams.map(key => run.data.params[key]), ...(metric ? [run.data.metrics[metric]] : [])] }))} />
        </section>
        <section class="section" aria-labelledby="scatter-title">
          <div class="section-head">
            <h2 id="scatter-title">Scatter</h2>
            <span class="toolbar-group">
              <label class="toolbar-group">X <select class="input input-small" value={scatterX} onChange={event => setXField(event.currentTarget.value)}>
                {fields.map(field => <option key={field} value={field}>{field}</option>)}</select></label>
              <label class="toolbar-group">Y <select class="input input-small" value={scatterY} onChange={event => setYField(event.currentTarget.value)}>
                {fields.map(field => <option key={field} value={field}>{field}</option>)}</select></label>
            </span>
          </div>
          {scatterX && scatterY ? <ScatterPlot xLabel={scatterX} yLabel={scatterY}
            points={list.map((run, index) => ({ label: run.info.runName, color: colors[index]!, x: fieldValue(run, scatterX), y: fieldValue(run, scatterY) }))} />
            : <p class="muted">These runs have no params or metrics.</p>}
        </section>
      </div>

      {metricKeys.length > 0 && <>
        <h2 class="section-title">Metrics</h2>
        <ChartControls settings={settings} onChange={setSettings} />
        <div class="chart-grid">
          {metricKeys.map(key => (
            <MetricChart key={key} title={key} settings={settings} version={series.version}
              series={list.flatMap((run, index) => (key in run.data.metrics ? [{ seriesId: seriesIdOf({ runId: run.info.runId, key }), label: run.info.runName, color: colors[index]! }] : []))} />
          ))}
        </div>
      </>}
      <div style={{ height: '16px' }} />
      <CompareTable runs={list} colors={colors} />
    </section>
  )
}
