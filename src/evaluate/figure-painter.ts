/**
 * Draws the evaluate figures (plotly `{data, layout}` of lines, markers and one annotated heatmap) through a
 * small `Painter` interface, so a canvas and the pure rasterizer produce the same picture: title, axes,
 * nice ticks, traces, legend.
 */
import type { PlotlyFigure, PlotlyTrace } from './types.ts'

/** An sRGB color with alpha in 0–1. */
export type Rgba = readonly [number, number, number, number]

export interface TextStyle {
  size: number
  color: Rgba
  align: 'left' | 'center' | 'right'
  baseline: 'top' | 'middle' | 'bottom'
  bold?: boolean
  /** Rotated 90° counter-clockwise (y-axis titles). */
  vertical?: boolean
}

/** What a backend draws; coordinates in pixels, origin top-left. */
export interface Painter {
  fillRect(x: number, y: number, w: number, h: number, color: Rgba): void
  polyline(xs: ArrayLike<number>, ys: ArrayLike<number>, color: Rgba, width: number, dash?: readonly number[]): void
  marker(x: number, y: number, size: number, color: Rgba, shape: 'square' | 'circle'): void
  /** Draws text if the backend can; returns false when it skipped it. */
  text(text: string, x: number, y: number, style: TextStyle): boolean
  measure(text: string, size: number): number
  /** False for a backend that draws numbers only: legends (names) are then left out. */
  readonly drawsWords: boolean
}

const BLACK: Rgba = [0, 0, 0, 1]
const AXIS: Rgba = [68, 68, 68, 1]
const GRID: Rgba = [235, 235, 235, 1]
/** plotly's default trace colors. */
const COLORWAY = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf']
const NAMED: Record<string, Rgba> = { black: [0, 0, 0, 1], white: [255, 255, 255, 1], gray: [128, 128, 128, 1], grey: [128, 128, 128, 1] }
/** Light to dark blue, as matplotlib's Blues (the confusion matrix colormap of MLflow's PNGs). */
const BLUES: readonly (readonly [number, number, number])[] = [[247, 251, 255], [198, 219, 239], [107, 174, 214], [33, 113, 181], [8, 48, 107]]

/** Parses `#rgb`, `#rrggbb`, `rgb(...)`, `rgba(...)` and a few names; anything else is the fallback. */
export function parseColor(text: unknown, fallback: Rgba): Rgba {
  if (typeof text !== 'string') return fallback
  const t = text.trim().toLowerCase()
  if (NAMED[t]) return NAMED[t]
  const hex = /^#([0-9a-f]{3}|[0-9a-f]{6})$/.exec(t)
  if (hex) {
    const h = hex[1]!.length === 3 ? hex[1]!.split('').map((c) => c + c).join('') : hex[1]!
    return [parseInt(h.slice(0, 2), 16), parseInt(h.slice(2, 4), 16), parseInt(h.slice(4, 6), 16), 1]
  }
  const fn = /^rgba?\(([^)]*)\)$/.exec(t)
  if (fn) {
    const [r = 0, g = 0, b = 0, a = 1] = fn[1]!.split(',').map(Number)
    return [r, g, b, a]
  }
  return fallback
}

function blues(v: number): Rgba {
  const t = Math.min(1, Math.max(0, Number.isFinite(v) ? v : 0)) * (BLUES.length - 1)
  const i = Math.min(BLUES.length - 2, Math.floor(t)), f = t - i
  const a = BLUES[i]!, b = BLUES[i + 1]!
  return [a[0] + (b[0] - a[0]) * f, a[1] + (b[1] - a[1]) * f, a[2] + (b[2] - a[2]) * f, 1]
}

/** Evenly spaced "nice" tick values (steps of 1, 2 or 5 × 10^k) covering [lo, hi]. */
export function niceTicks(lo: number, hi: number, target = 6): { values: number[]; decimals: number } {
  const span = hi - lo
  const raw = span / target
  const power = 10 ** Math.floor(Math.log10(raw))
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => span / s <= target) ?? 10 * power
  const values: number[] = []
  for (let v = Math.ceil(lo / step - 1e-9) * step; v <= hi + step * 1e-9; v += step) values.push(Math.abs(v) < step * 1e-9 ? 0 : v)
  return { values, decimals: Math.max(0, -Math.floor(Math.log10(step) + 1e-9)) }
}

const titleOf = (axis: unknown): string => {
  const title = (axis as { title?: { text?: unknown } | string } | undefined)?.title
  return typeof title === 'string' ? title : typeof title?.text === 'string' ? title.text : ''
}

function numbers(values: unknown): number[] {
  return Array.isArray(values) ? values.map((v) => (typeof v === 'number' ? v : NaN)) : []
}

interface Frame { left: number; top: number; width: number; height: number }

function drawChrome(figure: PlotlyFigure, p: Painter, w: number, h: number, frame: Frame): void {
  p.fillRect(0, 0, w, h, [255, 255, 255, 1])
  const title = titleOf(figure.layout)
  if (title) p.text(title, w / 2, 12, { size: 16, color: BLACK, align: 'center', baseline: 'top', bold: true })
  const xTitle = titleOf(figure.layout.xaxis), yTitle = titleOf(figure.layout.yaxis)
  if (xTitle) p.text(xTitle, frame.left + frame.width / 2, h - 10, { size: 12, color: BLACK, align: 'center', baseline: 'bottom' })
  if (yTitle) p.text(yTitle, 14, frame.top + frame.height / 2, { size: 12, color: BLACK, align: 'center', baseline: 'middle', vertical: true })
}

function drawHeatmap(trace: PlotlyTrace, figure: PlotlyFigure, p: Painter, frame: Frame): void {
  const z = (trace.z as number[][] | undefined) ?? []
  const text = trace.text as string[][] | undefined
  const xNames = ((trace.x as unknown[] | undefined) ?? z[0]?.map((_, i) => i) ?? []).map(String)
  const yNames = ((trace.y as unknown[] | undefined) ?? z.map((_, i) => i)).map(String)
  const zmin = typeof trace.zmin === 'number' ? trace.zmin : 0, zmax = typeof trace.zmax === 'number' ? trace.zmax : 1
  const reversed = (figure.layout.yaxis as { autorange?: unknown } | undefined)?.autorange === 'reversed'
  const rows = z.length, cols = xNames.length
  const cw = frame.width / Math.max(1, cols), ch = frame.height / Math.max(1, rows)
  const fontSize = Math.max(8, Math.min(14, Math.floor(Math.min(cw / 5, ch / 3))))
  for (let r = 0; r < rows; r++) {
    const y = frame.top + (reversed ? r : rows - 1 - r) * ch
    for (let c = 0; c < cols; c++) {
      const v = z[r]?.[c] ?? NaN
      const t = (v - zmin) / (zmax - zmin || 1)
      p.fillRect(frame.left + c * cw, y, cw + 0.5, ch + 0.5, blues(t))
      const lines = (text?.[r]?.[c] ?? '').split('<br>').filter((l) => l !== '')
      const color: Rgba = t > 0.5 ? [255, 255, 255, 1] : BLACK
      lines.forEach((line, i) => {
        const dy = (i - (lines.length - 1) / 2) * fontSize * 1.3
        p.text(line, frame.left + (c + 0.5) * cw, y + ch / 2 + dy, { size: fontSize, color, align: 'center', baseline: 'middle' })
      })
    }
  }
  xNames.forEach((name, c) => p.text(name, frame.left + (c + 0.5) * cw, frame.top + frame.height + 6, { size: 11, color: AXIS, align: 'center', baseline: 'top' }))
  yNames.forEach((name, r) => {
    const y = frame.top + ((reversed ? r : rows - 1 - r) + 0.5) * ch
    p.text(name, frame.left - 6, y, { size: 11, color: AXIS, align: 'right', baseline: 'middle' })
  })
}

function range(traces: readonly PlotlyTrace[], key: 'x' | 'y'): [number, number] {
  let lo = Infinity, hi = -Infinity
  for (const t of traces) for (const v of numbers(t[key])) if (Number.isFinite(v)) { if (v < lo) lo = v; if (v > hi) hi = v }
  if (!Number.isFinite(lo)) return [0, 1]
  if (lo === hi) { const pad = Math.abs(lo) * 0.1 || 1; return [lo - pad, hi + pad] }
  const pad = (hi - lo) * 0.03
  return [lo - pad, hi + pad]
}

/** Splits a trace into runs of finite points (NaN / null leave a gap, as plotly draws them). */
function segments(xs: number[], ys: number[], stepped: boolean): { x: number[]; y: number[] }[] {
  const out: { x: number[]; y: number[] }[] = []
  let cur: { x: number[]; y: number[] } | null = null
  for (let i = 0; i < Math.min(xs.length, ys.length); i++) {
    const x = xs[i]!, y = ys[i]!
    if (!Number.isFinite(x) || !Number.isFinite(y)) { cur = null; continue }
    if (!cur) out.push(cur = { x: [], y: [] })
    else if (stepped) { cur.x.push(x); cur.y.push(cur.y[cur.y.length - 1]!) }
    cur.x.push(x); cur.y.push(y)
  }
  return out
}

function drawScatter(figure: PlotlyFigure, p: Painter, frame: Frame): void {
  const traces = figure.data
  const [x0, x1] = range(traces, 'x'), [y0, y1] = range(traces, 'y')
  const px = (v: number) => frame.left + ((v - x0) / (x1 - x0)) * frame.width
  const py = (v: number) => frame.top + frame.height - ((v - y0) / (y1 - y0)) * frame.height
  const xt = niceTicks(x0, x1), yt = niceTicks(y0, y1)
  for (const v of xt.values) {
    p.fillRect(px(v), frame.top, 1, frame.height, GRID)
    p.text(v.toFixed(xt.decimals), px(v), frame.top + frame.height + 6, { size: 11, color: AXIS, align: 'center', baseline: 'top' })
  }
  for (const v of yt.values) {
    p.fillRect(frame.left, py(v), frame.width, 1, GRID)
    p.text(v.toFixed(yt.decimals), frame.left - 6, py(v), { size: 11, color: AXIS, align: 'right', baseline: 'middle' })
  }
  const legend: { name: string; color: Rgba; dash: readonly number[] | undefined }[] = []
  traces.forEach((trace, index) => {
    const line = (trace.line ?? {}) as { color?: unknown; width?: unknown; dash?: unknown; shape?: unknown }
    const markerStyle = (trace.marker ?? {}) as { color?: unknown; size?: unknown; opacity?: unknown; symbol?: unknown }
    const base = parseColor(line.color ?? markerStyle.color ?? COLORWAY[index % COLORWAY.length], parseColor(COLORWAY[index % COLORWAY.length], BLACK))
    const mode = typeof trace.mode === 'string' ? trace.mode : 'lines'
    const dash = line.dash === 'dash' ? [6, 4] : line.dash === 'dot' ? [2, 3] : undefined
    const xs = numbers(trace.x).map(px), ys = numbers(trace.y).map(py)
    if (mode.includes('lines')) {
      for (const s of segments(xs, ys, line.shape === 'hv')) {
        p.polyline(s.x, s.y, base, typeof line.width === 'number' ? Math.max(1, line.width) : 2, dash)
      }
    }
    if (mode.includes('markers')) {
      const size = typeof markerStyle.size === 'number' ? markerStyle.size : 6
      const color: Rgba = typeof markerStyle.opacity === 'number' ? [base[0], base[1], base[2], base[3] * markerStyle.opacity] : base
      const shape = markerStyle.symbol === 'square' ? 'square' : 'circle'
      for (let i = 0; i < xs.length; i++) if (Number.isFinite(xs[i]) && Number.isFinite(ys[i])) p.marker(xs[i]!, ys[i]!, size, color, shape)
    }
    if (typeof trace.name === 'string' && trace.showlegend !== false) legend.push({ name: trace.name, color: base, dash })
  })
  p.polyline([frame.left, frame.left, frame.left + frame.width], [frame.top, frame.top + frame.height, frame.top + frame.height], AXIS, 1)
  if (figure.layout.showlegend === false || legend.length === 0 || !p.drawsWords) return
  const size = 11, rowH = 16
  const textW = Math.max(...legend.map((l) => p.measure(l.name, size)))
  const boxW = textW + 40, boxH = legend.length * rowH + 8
  const bx = frame.left + frame.width - boxW - 8, by = frame.top + frame.height - boxH - 8
  p.fillRect(bx, by, boxW, boxH, [255, 255, 255, 0.85])
  legend.forEach((entry, i) => {
    const y = by + 4 + i * rowH + rowH / 2
    p.polyline([bx + 6, bx + 26], [y, y], entry.color, 2, entry.dash)
    p.text(entry.name, bx + 32, y, { size, color: BLACK, align: 'left', baseline: 'middle' })
  })
}

/** Draws one evaluate figure (scatter lines/markers, or a heatmap with cell labels) at w × h pixels. */
export function drawFigure(figure: PlotlyFigure, p: Painter, w: number, h: number): void {
  const heatmap = figure.data.find((t) => t.type === 'heatmap')
  const frame: Frame = { left: 72, top: 44, width: w - 72 - 24, height: h - 44 - 56 }
  drawChrome(figure, p, w, h, frame)
  if (heatmap) drawHeatmap(heatmap, figure, p, frame)
  else drawScatter(figure, p, frame)
}
