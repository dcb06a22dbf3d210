/**
 * Full-resolution metric series held where they are sampled (the downsampling worker), and the
 * message protocol the window uses to load, extend and sample them. Pure: testable in Node.
 */
import { type DownsampleMethod, downsampleIndices, emaSmooth, isAscending, lowerBound } from './downsample.ts'

/** The x-axis of a metric chart: step, wall-clock time (ms since epoch) or seconds since the first point. */
export type XAxisKind = 'step' | 'time' | 'relative'

export interface SeriesColumns { steps: Float64Array; values: Float64Array; timestamps: Float64Array }

/** Summary of a whole series, computed where the data lives. */
export interface SeriesStats { count: number; min: number; max: number; last: number; lastStep: number; firstTimestamp: number; lastTimestamp: number }

export interface SampleOptions {
  xAxis: XAxisKind
  /** Visible x-range; the whole series when absent. */
  range?: [number, number]
  /** Target number of points (the user's "sample size"). */
  points: number
  method: DownsampleMethod
  /** EMA weight in [0, 1); 0 for none. */
  smoothing: number
}

/** What a chart draws: sampled x and y, the smoothed y when smoothing is on. */
export interface SampledSeries { x: Float64Array; y: Float64Array; smoothed?: Float64Array; total: number; inRange: number }

export type DownsampleRequest =
  | { type: 'load'; id: number; seriesId: string; columns: SeriesColumns }
  | { type: 'append'; id: number; seriesId: string; columns: SeriesColumns }
  | { type: 'sample'; id: number; seriesId: string; options: SampleOptions }
  | { type: 'drop'; id: number; seriesId: string }

export type DownsampleResponse =
  | { id: number; ok: true; stats?: SeriesStats; sample?: SampledSeries }
  | { id: number; ok: false; error: string }

interface Series {
  steps: Float64Array; values: Float64Array; timestamps: Float64Array; count: number
  smoothCache?: { weight: number; count: number; values: Float64Array }
  relativeCache?: { count: number; values: Float64Array }
}

/** Series by id, with the operations the worker answers. */
export class SeriesStore {
  private readonly series = new Map<string, Series>()

  load(seriesId: string, columns: SeriesColumns): SeriesStats {
    const series: Series = { ...columns, count: columns.steps.length }
    this.series.set(seriesId, series)
    return statsOf(series)
  }

  /** Appends points (already in step order after the existing ones); capacity grows geometrically. */
  append(seriesId: string, columns: SeriesColumns): SeriesStats {
    const series = this.series.get(seriesId)
    if (!series) return this.load(seriesId, columns)
    const needed = series.count + columns.steps.length
    if (needed > series.steps.length) {
      const capacity = Math.max(needed, Math.ceil(series.steps.length * 1.5))
      series.steps = grow(series.steps, capacity, series.count)
      series.values = grow(series.values, capacity, series.count)
      series.timestamps = grow(series.timestamps, capacity, series.count)
    }
    series.steps.set(columns.steps, series.count)
    series.values.set(columns.values, series.count)
    series.timestamps.set(columns.timestamps, series.count)
    series.count = needed
    return statsOf(series)
  }

  drop(seriesId: string): void { this.series.delete(seriesId) }

  sample(seriesId: string, options: SampleOptions): SampledSeries {
    const series = this.series.get(seriesId)
    if (!series || series.count === 0) return { x: new Float64Array(0), y: new Float64Array(0), total: 0, inRange: 0 }
    const n = series.count
    const x = this.xValues(series, options.xAxis)
    const y = series.values.subarray(0, n)
    let start = 0, end = n
    if (options.range && isAscending(x)) {
      // One point beyond each edge, so the line runs to the border of the zoomed view.
      start = Math.max(0, lowerBound(x, options.range[0]) - 1)
      end = Math.min(n, lowerBound(x, options.range[1]) + 1)
    }
    const indices = downsampleIndices(options.method, x, y, Math.max(3, Math.round(options.points)), start, end)
    const smoothedAll = options.smoothing > 0 ? this.smoothed(series, options.smoothing) : undefined
    const outX = new Float64Array(indices.length), outY = new Float64Array(indices.length)
    const outSmoothed = smoothedAll ? new Float64Array(indices.length) : undefined
    for (let i = 0; i < indices.length; i++) {
      const index = indices[i]!
      outX[i] = x[index]!
      outY[i] = y[index]!
      if (outSmoothed) outSmoothed[i] = smoothedAll![index]!
    }
    return { x: outX, y: outY, ...(outSmoothed ? { smoothed: outSmoothed } : {}), total: n, inRange: end - start }
  }

  private xValues(series: Series, kind: XAxisKind): Float64Array {
    const n = series.count
    if (kind === 'step') return series.steps.subarray(0, n)
    if (kind === 'time') return series.timestamps.subarray(0, n)
    if (series.relativeCache?.count !== n) {
      const t0 = series.timestamps[0]!
      series.relativeCache = { count: n, values: series.timestamps.subarray(0, n).map(t => (t - t0) / 1000) }
    }
    return series.relativeCache.values
  }

  private smoothed(series: Series, weight: number): Float64Array {
    const cache = series.smoothCache
    if (cache?.weight === weight && cache.count === series.count) return cache.values
    const values = emaSmooth(series.values.subarray(0, series.count), weight)
    series.smoothCache = { weight, count: series.count, values }
    return values
  }
}

function grow(array: Float64Array, capacity: number, used: number): Float64Array {
  const next = new Float64Array(capacity)
  next.set(array.subarray(0, used))
  return next
}

function statsOf(series: Series): SeriesStats {
  let min = Infinity, max = -Infinity
  for (let i = 0; i < series.count; i++) {
    const value = series.values[i]!
    if (value < min) min = value
    if (value > max) max = value
  }
  const last = series.count - 1
  return {
    count: series.count, min, max,
    last: last >= 0 ? series.values[last]! : NaN, lastStep: last >= 0 ? series.steps[last]! : NaN,
    firstTimestamp: series.timestamps[0] ?? NaN, lastTimestamp: last >= 0 ? series.timestamps[last]! : NaN,
  }
}
