/**
 * Parallel coordinates of params → a chosen metric, drawn as plain SVG: plotly's parcoords needs
 * WebGL through regl, which compiles code with eval and so would need 'unsafe-eval' in our CSP.
 */
import { useLayoutEffect, useRef, useState } from 'preact/hooks'
import { formatNumber } from '../format.ts'

export interface ParallelLine { id: string; label: string; color: string; values: Array<string | number | undefined> }
export interface ParallelAxis { label: string }

interface Scale { position: (value: string | number) => number; ticks: Array<{ value: string; at: number }> }

const HEIGHT = 320, TOP = 34, BOTTOM = 24, SIDE = 60

/** Numbers when every present value is numeric; otherwise evenly spaced categories in natural order. */
function scaleFor(values: Array<string | number | undefined>): Scale {
  const present = values.filter((value): value is string | number => value !== undefined && value !== '')
  const numbers = present.map(Number)
  const span = HEIGHT - TOP - BOTTOM
  if (present.length > 0 && numbers.every(Number.isFinite)) {
    let min = Math.min(...numbers), max = Math.max(...numbers)
    if (min === max) { min -= 1; max += 1 }
    const position = (value: string | number) => TOP + span * (1 - (Number(value) - min) / (max - min))
    const ticks = [0, 0.5, 1].map(t => ({ value: formatNumber(min + (max - min) * t), at: TOP + span * (1 - t) }))
    return { position, ticks }
  }
  const categories = [...new Set(present.map(String))].sort((a, b) => a.localeCompare(b, undefined, { numeric: true }))
  const step = categories.length > 1 ? span / (categories.length - 1) : 0
  const index = new Map(categories.map((category, at) => [category, at]))
  const position = (value: string | number) => (categories.length > 1 ? TOP + span - step * index.get(String(value))! : TOP + span / 2)
  return { position, ticks: categories.slice(0, 12).map(category => ({ value: category, at: position(category) })) }
}

export function ParallelCoordinates({ axes, lines }: { axes: ParallelAxis[]; lines: ParallelLine[] }) {
  // The viewBox follows the element's width, so text keeps its real size.
  const [width, setWidth] = useState(600)
  const svg = useRef<SVGSVGElement>(null)
  useLayoutEffect(() => {
    const element = svg.current
    if (!element) return
    const observer = new ResizeObserver(() => setWidth(Math.max(320, element.clientWidth)))
    observer.observe(element)
    return () => observer.disconnect()
  }, [axes.length >= 2])
  if (axes.length < 2) return <p class="muted">Needs at least one parameter that differs between the runs, and a metric.</p>
  const gap = (width - 2 * SIDE) / (axes.length - 1)
  const scales = axes.map((_, axis) => scaleFor(lines.map(line => line.values[axis])))
  return (
    <svg ref={svg} class="parcoords" viewBox={`0 0 ${width} ${HEIGHT}`} role="img" aria-label={`Parallel coordinates of ${axes.map(axis => axis.label).join(', ')}`}>
      {lines.map(line => {
        const points: string[] = []
        line.values.forEach((value, axis) => {
          if (value !== undefined && value !== '') points.push(`${SIDE + axis * gap},${scales[axis]!.position(value).toFixed(1)}`)
        })
        return <polyline key={line.id} class="line" points={points.join(' ')} stroke={line.color}><title>{line.label}</title></polyline>
      })}
      {axes.map((axis, index) => {
        const x = SIDE + index * gap
        return (
          <g key={axis.label}>
            <line class="axis-line" x1={x} x2={x} y1={TOP} y2={HEIGHT - BOTTOM} />
            <text class="axis-title" x={x} y={16} text-anchor="middle">{axis.label.length > 18 ? `${axis.label.slice(0, 17)}…` : axis.label}</text>
            {scales[index]!.ticks.map(tick => (
              <text key={tick.value} x={x - 6} y={tick.at + 4} text-anchor="end">{tick.value.length > 10 ? `${tick.value.slice(0, 9)}…` : tick.value}</text>
            ))}
          </g>
        )
      })}
    </svg>
  )
}
