/** Loads the plotly partial bundle once, on first chart, in its own chunk (it is ~350 kB gzipped). */
import type { PlotlyApi } from './plotly-types.ts'

let loading: Promise<PlotlyApi> | undefined

/** Resolves to plotly; starts the download on the first call. */
export function loadPlotly(): Promise<PlotlyApi> {
  loading ??= import('./plotly-bundle.ts').then(module => module.default)
  return loading
}

/** Theme-aware base layout: colours come from the app's CSS variables, so charts follow light/dark. */
export function baseLayout(): Record<string, unknown> {
  const css = getComputedStyle(document.documentElement)
  const color = (name: string) => css.getPropertyValue(name).trim()
  const axis = { gridcolor: color('--chart-grid'), zerolinecolor: color('--chart-grid'), linecolor: color('--border'), tickfont: { size: 11 } }
  return {
    paper_bgcolor: 'rgba(0,0,0,0)', plot_bgcolor: 'rgba(0,0,0,0)',
    font: { family: css.getPropertyValue('--font-sans').trim() || 'system-ui, sans-serif', size: 12, color: color('--text') },
    margin: { l: 52, r: 12, t: 8, b: 36 },
    xaxis: { ...axis }, yaxis: { ...axis },
    hoverlabel: { font: { size: 12 } },
    showlegend: false,
  }
}

/** Plotly config shared by every chart: no logo, no cloud links, responsive. */
export const PLOT_CONFIG = { displaylogo: false, responsive: true, modeBarButtonsToRemove: ['select2d', 'lasso2d', 'toImage'] }

/** A categorical palette readable on light and dark backgrounds (one colour per run in overlays). */
export const SERIES_COLORS = ['#3b82f6', '#f97316', '#10b981', '#e11d48', '#8b5cf6', '#0891b2', '#ca8a04', '#db2777', '#65a30d', '#64748b']
