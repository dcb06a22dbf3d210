/** Chart settings shared by every metric chart on a page: x-axis, smoothing, log scale, sample size, method. */
import type { DownsampleMethod } from './downsample.ts'
import { PREF, usePref } from '../prefs.ts'
import type { XAxisKind } from './series-store.ts'

export interface ChartSettings {
  xAxis: XAxisKind
  /** EMA weight in [0, 0.99]. */
  smoothing: number
  logY: boolean
  /** Points drawn per series (the downsampling target). */
  points: number
  method: DownsampleMethod
}

export const DEFAULT_CHART_SETTINGS: ChartSettings = { xAxis: 'step', smoothing: 0, logY: false, points: 1000, method: 'lttb' }

/** The remembered chart settings. */
export function useChartSettings(): [ChartSettings, (settings: ChartSettings) => void] {
  const [stored, setStored] = usePref<Partial<ChartSettings>>(PREF.chartSettings, DEFAULT_CHART_SETTINGS)
  return [{ ...DEFAULT_CHART_SETTINGS, ...stored }, setStored]
}

export function ChartControls({ settings, onChange }: { settings: ChartSettings; onChange: (settings: ChartSettings) => void }) {
  const set = (patch: Partial<ChartSettings>) => onChange({ ...settings, ...patch })
  return (
    <div class="chart-controls" role="group" aria-label="Chart settings">
      <label>X-axis
        <select class="input input-small" value={settings.xAxis} onChange={event => set({ xAxis: event.currentTarget.value as XAxisKind })}>
          <option value="step">Step</option>
          <option value="time">Wall time</option>
          <option value="relative">Relative time (s)</option>
        </select>
      </label>
      <label>Smoothing
        <input type="range" min={0} max={0.99} step={0.01} value={settings.smoothing} aria-valuetext={settings.smoothing.toFixed(2)}
          onInput={event => set({ smoothing: Number(event.currentTarget.value) })} />
        <span class="mono">{settings.smoothing.toFixed(2)}</span>
      </label>
      <label><input type="checkbox" checked={settings.logY} onChange={event => set({ logY: event.currentTarget.checked })} /> Log scale</label>
      <label>Points
        <input class="input input-small" type="number" min={50} max={20000} step={50} value={settings.points}
          onChange={event => set({ points: Math.min(20000, Math.max(50, Number(event.currentTarget.value) || DEFAULT_CHART_SETTINGS.points)) })} />
      </label>
      <label>Sampling
        <select class="input input-small" value={settings.method} onChange={event => set({ method: event.currentTarget.value as DownsampleMethod })}>
          <option value="lttb">LTTB (shape)</option>
          <option value="minmax">Min/max (spikes)</option>
        </select>
      </label>
    </div>
  )
}
