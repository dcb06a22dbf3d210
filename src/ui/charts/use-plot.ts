/** A plotly chart as a hook: drawn once plotly has loaded, redrawn in place when its inputs change, freed on unmount. */
import { useEffect, useRef } from 'preact/hooks'
import { showError } from '../components/toasts.tsx'
import { PLOT_CONFIG, baseLayout, loadPlotly } from './plotly-loader.ts'
import type { PlotData, PlotLayout } from './plotly-types.ts'

/**
 * Returns the ref of the element to draw into. `figureOf` gets the app's themed base layout and
 * returns the traces and layout; it runs again (Plotly.react) whenever `inputs` change.
 */
export function usePlot(figureOf: (base: Record<string, unknown>) => { data: PlotData[]; layout: PlotLayout }, inputs: unknown[]) {
  const root = useRef<HTMLDivElement>(null)
  useEffect(() => {
    const element = root.current
    if (!element) return
    let live = true
    loadPlotly().then(Plotly => {
      if (!live) return
      const { data, layout } = figureOf(baseLayout())
      return Plotly.react(element, data, layout, PLOT_CONFIG)
    }).catch(showError)
    return () => { live = false }
  }, inputs)
  useEffect(() => () => { const element = root.current; if (element) void loadPlotly().then(Plotly => Plotly.purge(element)) }, [])
  return root
}
