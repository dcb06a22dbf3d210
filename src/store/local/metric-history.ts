/**
 * Metric history in chunks of CHUNK_SIZE points stored as typed-array columns:
 * IndexedDB costs ~40 µs per row in Chromium, so one row per point caps at ~25k/s.
 * Callers run these inside a transaction that also updates the run row.
 */
import type { Metric } from '../../core/types.ts'
import type { MetricColumns } from '../tracking-store.ts'
import { CHUNK_SIZE, type LablogDb, type LatestMetric, type MetricChunkRow, type RunRow, type SeriesInfo } from './db.ts'

/** MLflow's "latest" rule: the point with the largest (step, timestamp, value). */
export function isLaterPoint(candidate: LatestMetric, current: LatestMetric | undefined): boolean {
  if (!current) return true
  if (candidate.step !== current.step) return candidate.step > current.step
  if (candidate.timestamp !== current.timestamp) return candidate.timestamp > current.timestamp
  return candidate.value > current.value || (Number.isNaN(current.value) && !Number.isNaN(candidate.value))
}

/** Appends points (in the order given) to the run's chunks and updates run.latestMetrics and run.series in place. */
export async function appendMetricPoints(db: LablogDb, run: RunRow, metrics: Metric[]): Promise<void> {
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
      const last = await db.metricChunks.get([run.runId, key, Math.floor(stored / CHUNK_SIZE)])
      if (last) {
        offset = Math.min(CHUNK_SIZE - partial, points.length)
        writes.push(extendChunk(last, points.slice(0, offset)))
      }
    }
    for (let seq = Math.ceil(stored / CHUNK_SIZE); offset < points.length; offset += CHUNK_SIZE, seq++) {
      writes.push(extendChunk({ runId: run.runId, key, seq, steps: EMPTY, values: EMPTY, timestamps: EMPTY },
        points.slice(offset, offset + CHUNK_SIZE)))
    }
  }
  await db.metricChunks.bulkPut(writes)
}

const EMPTY = new Float64Array(0)

function extendChunk(chunk: MetricChunkRow, points: Metric[]): MetricChunkRow {
  const size = chunk.steps.length + points.length
  const steps = new Float64Array(size), values = new Float64Array(size), timestamps = new Float64Array(size)
  steps.set(chunk.steps); values.set(chunk.values); timestamps.set(chunk.timestamps)
  points.forEach((point, index) => {
    const at = chunk.steps.length + index
    steps[at] = point.step; values[at] = point.value; timestamps[at] = point.timestamp
  })
  return { ...chunk, steps, values, timestamps }
}

/** Every point of one metric as columns, sorted by (step, timestamp) unless it was logged in order already. */
export async function readMetricColumns(db: LablogDb, run: RunRow, key: string): Promise<MetricColumns> {
  const lone = run.series[key]?.count === 1 ? run.latestMetrics[key] : undefined
  if (lone) return { steps: Float64Array.of(lone.step), values: Float64Array.of(lone.value), timestamps: Float64Array.of(lone.timestamp) }
  const chunks = await db.metricChunks.where('[runId+key+seq]')
    .between([run.runId, key, 0], [run.runId, key, Infinity], true, true).toArray()
  const total = chunks.reduce((sum, chunk) => sum + chunk.steps.length, 0)
  let columns: MetricColumns = { steps: new Float64Array(total), values: new Float64Array(total), timestamps: new Float64Array(total) }
  let at = 0
  for (const chunk of chunks) {
    columns.steps.set(chunk.steps, at); columns.values.set(chunk.values, at); columns.timestamps.set(chunk.timestamps, at)
    at += chunk.steps.length
  }
  if (run.series[key]?.ordered === false) columns = sortColumns(columns)
  return columns
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
