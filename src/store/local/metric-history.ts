/**
 * Metric history in chunks of CHUNK_SIZE points stored as typed-array columns:
 * IndexedDB costs ~40 µs per row in Chromium, so one row per point caps at ~25k/s.
 * Callers run these inside a transaction that also updates the run row.
 */
import type { Metric } from '../../core/types.ts'
import type { MetricColumns } from '../tracking-store.ts'
import { decodeColumn, encodeColumn } from './chunk-encoding.ts'
import { CHUNK_SIZE, type LablogDb, type LatestMetric, type MetricChunkRow, type RunRow, type SeriesInfo } from './db.ts'

/** MLflow's "latest" rule: the point with the largest (step, timestamp, value). */
export function isLaterPoint(candidate: LatestMetric, current: LatestMetric | undefined): boolean {
  if (!current) return true
  if (candidate.step !== current.step) return candidate.step > current.step
  if (candidate.timestamp !== current.timestamp) return candidate.timestamp > current.timestamp
  return candidate.value > current.value || (Number.isNaN(current.value) && !Number.isNaN(candidate.value))
}

/** Reads one stored chunk, by [runId, key, seq], inside the caller's transaction. */
export type ChunkReader = (key: [string, string, number]) => Promise<MetricChunkRow | undefined>

/**
 * Appends points (in the order given) to the run's series: updates run.latestMetrics and run.series
 * in place and returns the chunk rows to put. Reads at most the last, partly filled chunk of a series.
 */
export async function appendMetricPoints(run: RunRow, metrics: Metric[], readChunk: ChunkReader): Promise<MetricChunkRow[]> {
  const byKey = new Map<string, Metric[]>()
  for (const metric of metrics) {
    const points = byKey.get(metric.key)
    if (points) points.push(metric)
    else byKey.set(metric.key, [metric])
  }
  const writes: MetricChunkRow[] = []
  for (const [key, logged] of byKey) {
    const series: SeriesInfo = run.series[key] ?? { count: 0, ordered: true, lastStep: -Infinity, lastTimestamp: -Infinity }
    const previousLatest = run.latestMetrics[key]
    let latest = previousLatest
    for (const point of logged) {
      if (point.step < series.lastStep || (point.step === series.lastStep && point.timestamp < series.lastTimestamp)) series.ordered = false
      series.lastStep = point.step
      series.lastTimestamp = point.timestamp
      if (isLaterPoint(point, latest)) latest = { value: point.value, step: point.step, timestamp: point.timestamp }
    }
    // A lone point lives only in latestMetrics (most summary metrics never get a second one):
    // its chunk is written when the series grows.
    const points = series.count === 1 && previousLatest ? [{ key, ...previousLatest }, ...logged] : logged
    const stored = series.count === 1 ? 0 : series.count
    series.count += logged.length
    run.series[key] = series
    if (latest) run.latestMetrics[key] = latest
    if (series.count === 1) continue
    let offset = 0
    const partial = stored % CHUNK_SIZE
    if (partial > 0) {
      const last = await readChunk([run.runId, key, Math.floor(stored / CHUNK_SIZE)])
      if (last) {
        offset = Math.min(CHUNK_SIZE - partial, points.length)
        writes.push(chunkOf(run.runId, key, last.seq, points.slice(0, offset), last))
      }
    }
    for (let seq = Math.ceil(stored / CHUNK_SIZE); offset < points.length; offset += CHUNK_SIZE, seq++) {
      writes.push(chunkOf(run.runId, key, seq, points.slice(offset, offset + CHUNK_SIZE)))
    }
  }
  return writes
}

/** A chunk row holding `points` after the points of `previous`, if any. */
export function chunkOf(runId: string, key: string, seq: number, points: Metric[], previous?: MetricChunkRow): MetricChunkRow {
  const before = previous ? decodeChunk(previous) : undefined
  const offset = before?.values.length ?? 0
  const size = offset + points.length
  const steps = new Float64Array(size), values = new Float64Array(size), timestamps = new Float64Array(size)
  if (before) { steps.set(before.steps); values.set(before.values); timestamps.set(before.timestamps) }
  points.forEach((point, index) => {
    steps[offset + index] = point.step; values[offset + index] = point.value; timestamps[offset + index] = point.timestamp
  })
  return { runId, key, seq, steps: encodeColumn(steps), values, timestamps: encodeColumn(timestamps) }
}

export function decodeChunk(chunk: MetricChunkRow): MetricColumns {
  return { steps: decodeColumn(chunk.steps), values: chunk.values, timestamps: decodeColumn(chunk.timestamps) }
}

/** A metric's points from index `from` on; `from` is 0 when the whole history came back. */
export interface MetricTail { from: number; total: number; columns: MetricColumns }

/**
 * Every point of one metric as columns, sorted by (step, timestamp) unless it was logged in order
 * already. With `knownCount`, only the points after the first `knownCount` (live charts append them),
 * unless points arrived out of order: then the whole sorted history, with `from: 0`.
 */
export async function readMetricColumns(db: LablogDb, run: RunRow, key: string, knownCount = 0): Promise<MetricTail> {
  const series = run.series[key]
  const lone = series?.count === 1 ? run.latestMetrics[key] : undefined
  if (lone) {
    const columns = { steps: Float64Array.of(lone.step), values: Float64Array.of(lone.value), timestamps: Float64Array.of(lone.timestamp) }
    return knownCount === 1 ? { from: 1, total: 1, columns: emptyColumns() } : { from: 0, total: 1, columns }
  }
  const tail = series?.ordered !== false && knownCount > 0 && knownCount <= (series?.count ?? 0) ? knownCount : 0
  const firstSeq = Math.floor(tail / CHUNK_SIZE)
  const chunks = await db.metricChunks.where('[runId+key+seq]')
    .between([run.runId, key, firstSeq], [run.runId, key, Infinity], true, true).toArray()
  const columns = joinChunks(chunks, tail - firstSeq * CHUNK_SIZE, series)
  return { from: tail, total: tail + columns.values.length, columns }
}

/**
 * Every metric history of a run as columns, from ONE range read of its chunks (exporters read whole
 * runs; one query per key cost a transaction each). Same points and order as readMetricColumns.
 */
export async function readRunMetricColumns(db: LablogDb, run: RunRow): Promise<Map<string, MetricColumns>> {
  const chunks = await db.metricChunks.where('[runId+key+seq]')
    .between([run.runId, '', -Infinity], [run.runId, '\uffff', Infinity], true, true).toArray()
  const byKey = new Map<string, MetricChunkRow[]>()
  for (const chunk of chunks) {
    const list = byKey.get(chunk.key)
    if (list) list.push(chunk)
    else byKey.set(chunk.key, [chunk])
  }
  const result = new Map<string, MetricColumns>()
  for (const key of new Set([...Object.keys(run.latestMetrics), ...Object.keys(run.series)])) {
    const series = run.series[key]
    const lone = series?.count === 1 ? run.latestMetrics[key] : undefined
    result.set(key, lone
      ? { steps: Float64Array.of(lone.step), values: Float64Array.of(lone.value), timestamps: Float64Array.of(lone.timestamp) }
      : joinChunks(byKey.get(key) ?? [], 0, series))
  }
  return result
}

/** Chunks (in seq order) joined into columns, the first `skip` points left out; sorted when logged out of order. */
function joinChunks(chunks: MetricChunkRow[], skip: number, series: SeriesInfo | undefined): MetricColumns {
  const decoded = chunks.map(decodeChunk)
  const size = Math.max(0, decoded.reduce((sum, chunk) => sum + chunk.values.length, 0) - skip)
  let columns: MetricColumns = { steps: new Float64Array(size), values: new Float64Array(size), timestamps: new Float64Array(size) }
  let at = 0
  for (const chunk of decoded) {
    const start = Math.min(skip, chunk.values.length)
    skip -= start
    columns.steps.set(chunk.steps.subarray(start), at)
    columns.values.set(chunk.values.subarray(start), at)
    columns.timestamps.set(chunk.timestamps.subarray(start), at)
    at += chunk.values.length - start
  }
  if (series?.ordered === false) columns = sortColumns(columns)
  return columns
}

function emptyColumns(): MetricColumns {
  return { steps: new Float64Array(0), values: new Float64Array(0), timestamps: new Float64Array(0) }
}

function sortColumns({ steps, values, timestamps }: MetricColumns): MetricColumns {
  const order = new Uint32Array(steps.length).map((_, index) => index)
  // Stable: equal (step, timestamp) keep their logging order.
  order.sort((a, b) => (steps[a]! - steps[b]!) || (timestamps[a]! - timestamps[b]!) || (a - b))
  return {
    steps: Float64Array.from(order, index => steps[index]!),
    values: Float64Array.from(order, index => values[index]!),
    timestamps: Float64Array.from(order, index => timestamps[index]!),
  }
}

export function columnsToMetrics(key: string, columns: MetricColumns): Metric[] {
  const metrics = new Array<Metric>(columns.steps.length)
  for (let index = 0; index < metrics.length; index++) {
    metrics[index] = { key, value: columns.values[index]!, timestamp: columns.timestamps[index]!, step: columns.steps[index]! }
  }
  return metrics
}

/**
 * Chunk rows for a whole metric history given as columns, in logging order (bulk import):
 * sets run.series[key] and run.latestMetrics[key] as appendMetricPoints would for the same
 * points, and stores them in the same layout (encoded columns; a lone point has no chunk).
 * The run must hold no points for `key` yet.
 */
export function chunkMetricColumns(run: RunRow, key: string, columns: MetricColumns): MetricChunkRow[] {
  const { steps, values, timestamps } = columns
  const series: SeriesInfo = { count: steps.length, ordered: true, lastStep: -Infinity, lastTimestamp: -Infinity }
  // The latest point kept as numbers: an object per point cost more than the rest of the loop. Only a tie
  // on step needs isLaterPoint's full rule.
  let latest = -1, latestStep = 0, latestTimestamp = 0, latestValue = 0
  for (let index = 0; index < steps.length; index++) {
    const step = steps[index]!, timestamp = timestamps[index]!
    if (step < series.lastStep || (step === series.lastStep && timestamp < series.lastTimestamp)) series.ordered = false
    series.lastStep = step
    series.lastTimestamp = timestamp
    if (latest >= 0 && step < latestStep) continue
    const value = values[index]!
    if (latest < 0 || step > latestStep || isLaterPoint({ value, step, timestamp }, { value: latestValue, step: latestStep, timestamp: latestTimestamp })) {
      latest = index; latestStep = step; latestTimestamp = timestamp; latestValue = value
    }
  }
  const rows: MetricChunkRow[] = []
  // A column that is exactly one chunk is stored as it is; otherwise slice, not subarray: IndexedDB clones a view's whole buffer.
  const piece = (column: Float64Array, start: number) =>
    start === 0 && column.length <= CHUNK_SIZE && column.byteOffset === 0 && column.byteLength === column.buffer.byteLength ? column : column.slice(start, start + CHUNK_SIZE)
  for (let start = 0, seq = 0; steps.length > 1 && start < steps.length; start += CHUNK_SIZE, seq++) {
    rows.push({
      runId: run.runId, key, seq, values: piece(values, start),
      steps: encodeColumn(piece(steps, start)), timestamps: encodeColumn(piece(timestamps, start)),
    })
  }
  run.series[key] = series
  if (latest >= 0) run.latestMetrics[key] = { value: latestValue, step: latestStep, timestamp: latestTimestamp }
  return rows
}
