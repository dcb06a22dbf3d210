/**
 * Shape-keeping downsampling of a series for charts: LTTB and min/max buckets, plus EMA smoothing.
 * Pure and deterministic (same input, same output), so charts are stable and testable.
 */

/** How a series is reduced: LTTB keeps visual shape, min/max keeps every spike. */
export type DownsampleMethod = 'lttb' | 'minmax'

/**
 * Indices (ascending) of at most `threshold` points of `x`/`y` within [start, end) chosen by
 * Largest-Triangle-Three-Buckets: the first and last point, and per bucket the point forming the
 * largest triangle with the previous pick and the next bucket's mean. Returns every index when
 * the range already has `threshold` points or fewer.
 */
export function lttbIndices(x: ArrayLike<number>, y: ArrayLike<number>, threshold: number, start = 0, end = x.length): Uint32Array {
  const count = end - start
  if (count <= 0) return new Uint32Array(0)
  if (threshold >= count || count <= 2) return rangeIndices(start, end)
  if (threshold < 3) return Uint32Array.of(start, end - 1)
  const picked = new Uint32Array(threshold)
  const bucketSize = (count - 2) / (threshold - 2)
  let previous = start
  picked[0] = start
  for (let bucket = 0; bucket < threshold - 2; bucket++) {
    const from = start + 1 + Math.floor(bucket * bucketSize)
    const to = start + 1 + Math.floor((bucket + 1) * bucketSize)
    // The next bucket's centroid (the last point for the final bucket).
    const nextFrom = to
    const nextTo = Math.min(start + 1 + Math.floor((bucket + 2) * bucketSize), end - 1)
    let meanX = 0, meanY = 0
    if (nextTo > nextFrom) {
      for (let i = nextFrom; i < nextTo; i++) { meanX += x[i]!; meanY += y[i]! }
      meanX /= nextTo - nextFrom; meanY /= nextTo - nextFrom
    } else { meanX = x[end - 1]!; meanY = y[end - 1]! }
    const ax = x[previous]!, ay = y[previous]!
    let best = from, bestArea = -1
    for (let i = from; i < to; i++) {
      const area = Math.abs((ax - meanX) * (y[i]! - ay) - (ax - x[i]!) * (meanY - ay))
      if (area > bestArea) { bestArea = area; best = i }
    }
    picked[bucket + 1] = best
    previous = best
  }
  picked[threshold - 1] = end - 1
  return picked
}

/**
 * Indices (ascending) of the minimum and maximum `y` of each of `threshold / 2` equal-count
 * buckets within [start, end), plus the first and last point: every spike survives.
 */
export function minMaxIndices(y: ArrayLike<number>, threshold: number, start = 0, end = y.length): Uint32Array {
  const count = end - start
  if (count <= 0) return new Uint32Array(0)
  if (threshold >= count || count <= 2) return rangeIndices(start, end)
  const buckets = Math.max(1, Math.floor((threshold - 2) / 2))
  const bucketSize = count / buckets
  const picked: number[] = [start]
  for (let bucket = 0; bucket < buckets; bucket++) {
    const from = start + Math.floor(bucket * bucketSize)
    const to = Math.min(end, start + Math.floor((bucket + 1) * bucketSize))
    if (to <= from) continue
    let min = from, max = from
    for (let i = from + 1; i < to; i++) {
      if (y[i]! < y[min]!) min = i
      if (y[i]! > y[max]!) max = i
    }
    if (min < max) picked.push(min, max)
    else if (max < min) picked.push(max, min)
    else picked.push(min)
  }
  picked.push(end - 1)
  return dedupeSorted(picked)
}

/** The chosen method's indices. */
export function downsampleIndices(method: DownsampleMethod, x: ArrayLike<number>, y: ArrayLike<number>, threshold: number, start = 0, end = x.length): Uint32Array {
  return method === 'minmax' ? minMaxIndices(y, threshold, start, end) : lttbIndices(x, y, threshold, start, end)
}

/**
 * Exponential moving average with TensorBoard's debiasing (early points are not pulled to 0).
 * `weight` in [0, 1): 0 returns a copy. Non-finite values pass through and do not poison the average.
 */
export function emaSmooth(values: ArrayLike<number>, weight: number): Float64Array {
  const out = new Float64Array(values.length)
  let last = 0, steps = 0
  for (let i = 0; i < values.length; i++) {
    const value = values[i]!
    if (!Number.isFinite(value) || weight <= 0) { out[i] = value; continue }
    last = last * weight + (1 - weight) * value
    steps++
    out[i] = last / (1 - Math.pow(weight, steps))
  }
  return out
}

/** First index whose value is >= `target` in ascending `sorted` (binary search). */
export function lowerBound(sorted: ArrayLike<number>, target: number, start = 0, end = sorted.length): number {
  let low = start, high = end
  while (low < high) {
    const middle = (low + high) >>> 1
    if (sorted[middle]! < target) low = middle + 1
    else high = middle
  }
  return low
}

/** True when `values` never decreases (then ranges can be found by binary search). */
export function isAscending(values: ArrayLike<number>): boolean {
  for (let i = 1; i < values.length; i++) if (values[i]! < values[i - 1]!) return false
  return true
}

function rangeIndices(start: number, end: number): Uint32Array {
  const indices = new Uint32Array(end - start)
  for (let i = 0; i < indices.length; i++) indices[i] = start + i
  return indices
}

function dedupeSorted(indices: number[]): Uint32Array {
  const out: number[] = []
  for (const index of indices) if (out[out.length - 1] !== index) out.push(index)
  return Uint32Array.from(out)
}
