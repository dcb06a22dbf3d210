/**
 * One metric chart (plotly, lazily loaded) of one or more series. It draws what the worker samples,
 * and on zoom asks for a fresh sample of just the visible range from the full-resolution data.
 */
import { useEffect, useRef, useState } from 'preact/hooks'
import { showError } from '../components/toasts.tsx'
import type { ChartSettings } from './chart-settings.tsx'
import { sampleSeries } from './downsampler.ts'
import { PLOT_CONFIG, baseLayout, loadPlotly } from './plotly-loader.ts'
import type { PlotData, PlotlyElement } from './plotly-types.ts'
import type { SampledSeries } from './series-store.ts'

export interface ChartSeries { seriesId: string; label: string; color: string }

// Plotly shows epoch milliseconds as UTC; shifting by the zone offset makes its labels local time.
const zoneShift = (ms: number) => ms - new Date(ms).getTimezoneOffset() * 60_000
const X_TITLES = { step: 'Step', time: 'Time', relative: 'Seconds since start' }

function parseAxisValue(value: unknown, xAxis: ChartSettings['xAxis']): number {
  if (typeof value === 'number') return xAxis === 'time' ? value + new Date(value).getTimezoneOffset() * 60_000 : value
  const ms = Date.parse(`${String(value).replace(' ', 'T')}Z`)
  return xAxis === 'time' ? ms + new Date(ms).getTimezoneOffset() * 60_000 : Number(value)
}

function traces(series: ChartSeries, sample: SampledSeries, settings: ChartSettings, many: boolean): PlotData[] {
  const x = settings.xAxis === 'time' ? sample.x.map(zoneShift) : sample.x
  const markers = sample.x.length <= 60 ? 'lines+markers' : 'lines'
  const raw: PlotData = {
    type: 'scatter', mode: markers, x, y: sample.y, name: series.label, legendgroup: series.seriesId,
    line: { color: series.color, width: 1.6 }, marker: { size: 4 },
    hovertemplate: `${many ? `${series.label}<br>` : ''}%{x}: %{y:.6g}<extra></extra>`,
  }
  if (!sample.smoothed) return [raw]
  return [
    { ...raw, opacity: 0.25, showlegend: false, hoverinfo: 'skip', hovertemplate: undefined },
    { ...raw, y: sample.smoothed, name: series.label, hovertemplate: `${many ? `${series.label}<br>` : ''}%{x}: %{y:.6g} (smoothed)<extra></extra>` },
  ]
}

export function MetricChart({ title, series, settings, version, tall }: {
  title: string
  series: ChartSeries[]
  settings: ChartSettings
  /** Changes when data grew (live runs): the chart re-samples and redraws. */
  version: number
  tall?: boolean
}) {
  const root = useRef<HTMLDivElement>(null)
  const range = useRef<[number, number] | undefined>(undefined)
  const generation = useRef(0)
  const [status, setStatus] = useState('')
  const [themeTick, setThemeTick] = useState(0)
  const seriesKey = series.map(item => `${item.seriesId}\u0000${item.color}`).join('\n')

  const draw = async () => {
    const element = root.current
    if (!element) return
    const mine = ++generation.current
    const started = performance.now()
    const [Plotly, samples] = await Promise.all([
      loadPlotly(),
      Promise.all(series.map(item => sampleSeries(item.seriesId, { ...settings, ...(range.current ? { range: range.current } : {}) }))),
    ])
    if (mine !== generation.current || !root.current) return
    const many = series.length > 1
    const data = series.flatMap((item, index) => traces(item, samples[index]!, settings, many))
    const base = baseLayout()
    const layout = {
      ...base,
      // Same uirevision: plotly keeps the user's zoom across redraws; a new one (axis change) resets it.
      uirevision: `${settings.xAxis}|${settings.logY}`,
      showlegend: many, legend: { orientation: 'h', y: -0.22, font: { size: 11 } },
      margin: { ...(base.margin as object), b: many ? 60 : 36 },
      xaxis: { ...(base.xaxis as object), title: { text: X_TITLES[settings.xAxis], font: { size: 11 } }, ...(settings.xAxis === 'time' ? { type: 'date' } : {}) },
      yaxis: { ...(base.yaxis as object), type: settings.logY ? 'log' : 'linear', exponentformat: 'e' },
    }
    const plot = await Plotly.react(element, data, layout, PLOT_CONFIG) as PlotlyElement
    const drawMs = performance.now() - started
    element.dataset.drawMs = drawMs.toFixed(1)
    element.dataset.drawCount = String(Number(element.dataset.drawCount ?? 0) + 1)
    const total = samples.reduce((sum, sample) => sum + sample.total, 0)
    const shown = samples.reduce((sum, sample) => sum + sample.x.length, 0)
    setStatus(total > shown ? `${shown.toLocaleString()} of ${total.toLocaleString()} points${range.current ? ' in view' : ''}` : '')
    if (!element.dataset.listening) {
      element.dataset.listening = '1'
      plot.on('plotly_relayout', update => {
        const xAxis = settingsRef.current.xAxis
        if (update['xaxis.autorange']) range.current = undefined
        else if ('xaxis.range[0]' in update) range.current = [parseAxisValue(update['xaxis.range[0]'], xAxis), parseAxisValue(update['xaxis.range[1]'], xAxis)]
        else if (Array.isArray(update['xaxis.range'])) range.current = (update['xaxis.range'] as unknown[]).map(value => parseAxisValue(value, xAxis)) as [number, number]
        else return
        void drawRef.current().catch(showError)
      })
    }
  }
  // The relayout handler is registered once but must see the latest settings and series.
  const drawRef = useRef(draw)
  drawRef.current = draw
  const settingsRef = useRef(settings)
  settingsRef.current = settings

  useEffect(() => {
    const onTheme = () => setThemeTick(tick => tick + 1)
    window.addEventListener('lablog-theme', onTheme)
    return () => window.removeEventListener('lablog-theme', onTheme)
  }, [])
  useEffect(() => { range.current = undefined }, [settings.xAxis])
  useEffect(() => { void drawRef.current().catch(showError) }, [seriesKey, settings.xAxis, settings.logY, settings.points, settings.method, settings.smoothing, version, themeTick])
  useEffect(() => () => {
    const element = root.current
    generation.current++
    if (element) void loadPlotly().then(Plotly => Plotly.purge(element))
  }, [])

  return (
    <figure class="chart-card" aria-label={`Chart of ${title}`}>
      <h3><span>{title}</span><span class="muted chart-status">{status}</span></h3>
      <div ref={root} class={tall ? 'chart-plot chart-plot-tall' : 'chart-plot'} data-chart={title} />
    </figure>
  )
}
