/** A scatter of two run fields (param or metric), one point per run in its compare colour. */
import { usePlot } from './use-plot.ts'

export interface ScatterPoint { label: string; color: string; x: string | number | undefined; y: string | number | undefined }

export function ScatterPlot({ points, xLabel, yLabel }: { points: ScatterPoint[]; xLabel: string; yLabel: string }) {
  const root = usePlot(base => {
    const shown = points.filter(point => point.x !== undefined && point.y !== undefined)
    return {
      data: [{
        type: 'scatter', mode: 'markers', x: shown.map(point => point.x), y: shown.map(point => point.y), text: shown.map(point => point.label),
        marker: { color: shown.map(point => point.color), size: 11, line: { width: 1, color: 'rgba(0,0,0,0.25)' } },
        hovertemplate: `%{text}<br>${xLabel}: %{x}<br>${yLabel}: %{y}<extra></extra>`,
      }],
      layout: {
        ...base,
        margin: { l: 60, r: 16, t: 8, b: 44 },
        xaxis: { ...(base.xaxis as object), title: { text: xLabel, font: { size: 11 } } },
        yaxis: { ...(base.yaxis as object), title: { text: yLabel, font: { size: 11 } } },
      },
    }
  }, [points, xLabel, yLabel])
  return <div ref={root} class="chart-plot-tall" aria-label={`Scatter of ${yLabel} against ${xLabel}`} role="img" />
}
