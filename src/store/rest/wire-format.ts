/**
 * MLflow's REST JSON (snake_case, fields left out when unset, enums as names) to Lablog's
 * entities and back. int64 fields may arrive as numbers or strings; doubles may be "NaN"/"Infinity".
 */
import { MlflowError } from '../../core/errors.ts'
import type { DatasetInput, Experiment, Metric, Run, RunInfo, RunStatus, RunTag } from '../../core/types.ts'
import type { MetricColumns } from '../tracking-store.ts'

export interface WireTag { key: string; value?: string }
export interface WireMetric { key: string; value: number | string; timestamp: number | string; step?: number | string }
export interface WireExperiment {
  experiment_id: string; name: string; artifact_location?: string; lifecycle_stage?: string
  last_update_time?: number | string; creation_time?: number | string; tags?: WireTag[]
}
export interface WireRunInfo {
  run_id?: string; run_uuid?: string; run_name?: string; experiment_id: string; user_id?: string; status?: string
  start_time?: number | string; end_time?: number | string | null; artifact_uri?: string; lifecycle_stage?: string
}
export interface WireDatasetInput {
  tags?: WireTag[]
  dataset: { name: string; digest: string; source_type: string; source: string; schema?: string; profile?: string }
}
export interface WireRun {
  info: WireRunInfo
  data?: { metrics?: WireMetric[]; params?: WireTag[]; tags?: WireTag[] }
  inputs?: { dataset_inputs?: WireDatasetInput[] }
}

/** A SQL-backed MLflow stores ±Infinity as ±max double; they come back as such and are read as infinities. */
const CLAMPED_INFINITY = Number.MAX_VALUE

/** A double as MLflow sends it: a number, or "NaN", "Infinity", "-Infinity" or a numeric string. */
export function readDouble(value: number | string | undefined | null): number {
  if (typeof value === 'number') return value === CLAMPED_INFINITY ? Infinity : value === -CLAMPED_INFINITY ? -Infinity : value
  if (value === 'NaN') return NaN
  if (value === 'Infinity') return Infinity
  if (value === '-Infinity') return -Infinity
  const parsed = typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN
  if (Number.isNaN(parsed)) throw new MlflowError('INTERNAL_ERROR', `The server sent '${String(value)}' where a number was expected.`)
  return readDouble(parsed)
}

/** A double for a request: protobuf JSON spells the non-finite ones as strings (JSON.stringify would send null, which MLflow refuses). */
export function writeDouble(value: number): number | string {
  if (Number.isNaN(value)) return 'NaN'
  if (value === Infinity) return 'Infinity'
  if (value === -Infinity) return '-Infinity'
  return value
}

/** An int64 as a JS number (exact up to 2^53, which is what Lablog keeps); missing becomes `fallback`. */
export function readInt64(value: number | string | undefined | null, fallback = 0): number {
  if (value === undefined || value === null || value === '') return fallback
  const parsed = typeof value === 'number' ? value : Number(value)
  if (!Number.isFinite(parsed)) throw new MlflowError('INTERNAL_ERROR', `The server sent '${String(value)}' where an integer was expected.`)
  return parsed
}

export const tagsToRecord = (tags: WireTag[] | undefined): Record<string, string> =>
  Object.fromEntries((tags ?? []).map(tag => [tag.key, tag.value ?? '']))

export const recordToTags = (record: Record<string, string>): WireTag[] =>
  Object.entries(record).map(([key, value]) => ({ key, value }))

export const tagsToWire = (tags: RunTag[]): WireTag[] => tags.map(tag => ({ key: tag.key, value: tag.value }))

export function readExperiment(wire: WireExperiment): Experiment {
  return {
    experimentId: String(wire.experiment_id),
    name: wire.name,
    artifactLocation: wire.artifact_location ?? '',
    lifecycleStage: wire.lifecycle_stage === 'deleted' ? 'deleted' : 'active',
    tags: tagsToRecord(wire.tags),
    creationTime: readInt64(wire.creation_time),
    lastUpdateTime: readInt64(wire.last_update_time),
  }
}

export function readRunInfo(wire: WireRunInfo): RunInfo {
  const endTime = wire.end_time === undefined || wire.end_time === null ? null : readInt64(wire.end_time)
  return {
    runId: wire.run_id ?? wire.run_uuid ?? '',
    runName: wire.run_name ?? '',
    experimentId: String(wire.experiment_id),
    userId: wire.user_id ?? '',
    status: (wire.status ?? 'RUNNING') as RunStatus,
    startTime: readInt64(wire.start_time),
    endTime,
    artifactUri: wire.artifact_uri ?? '',
    lifecycleStage: wire.lifecycle_stage === 'deleted' ? 'deleted' : 'active',
  }
}

export function readRun(wire: WireRun): Run {
  const metrics: Record<string, number> = {}
  for (const metric of wire.data?.metrics ?? []) metrics[metric.key] = readDouble(metric.value)
  return {
    info: readRunInfo(wire.info),
    data: { params: tagsToRecord(wire.data?.params), metrics, tags: tagsToRecord(wire.data?.tags) },
    inputs: { datasetInputs: (wire.inputs?.dataset_inputs ?? []).map(readDatasetInput) },
  }
}

function readDatasetInput(wire: WireDatasetInput): DatasetInput {
  const { name, digest, source_type: sourceType, source, schema, profile } = wire.dataset
  return {
    dataset: { name, digest, sourceType, source, ...(schema !== undefined ? { schema } : {}), ...(profile !== undefined ? { profile } : {}) },
    tags: tagsToRecord(wire.tags),
  }
}

export function datasetInputToWire(input: DatasetInput): WireDatasetInput {
  const { name, digest, sourceType, source, schema, profile } = input.dataset
  return {
    tags: recordToTags(input.tags ?? {}),
    dataset: { name, digest, source_type: sourceType, source, ...(schema !== undefined ? { schema } : {}), ...(profile !== undefined ? { profile } : {}) },
  }
}

export function metricToWire(metric: Metric): WireMetric {
  return { key: metric.key, value: writeDouble(metric.value), timestamp: metric.timestamp, step: metric.step }
}

export function readMetric(wire: WireMetric): Metric {
  return { key: wire.key, value: readDouble(wire.value), timestamp: readInt64(wire.timestamp), step: readInt64(wire.step) }
}

/** Points as columns sorted by (step, timestamp), stable: equal points keep the server's order. */
export function wireMetricsToColumns(points: readonly WireMetric[]): MetricColumns {
  const count = points.length
  const steps = new Float64Array(count), values = new Float64Array(count), timestamps = new Float64Array(count)
  let ordered = true
  for (let index = 0; index < count; index++) {
    const point = points[index]!
    steps[index] = readInt64(point.step)
    timestamps[index] = readInt64(point.timestamp)
    values[index] = readDouble(point.value)
    if (index > 0 && (steps[index]! < steps[index - 1]! || (steps[index] === steps[index - 1] && timestamps[index]! < timestamps[index - 1]!))) ordered = false
  }
  if (ordered) return { steps, values, timestamps }
  const order = Array.from({ length: count }, (_, index) => index)
    .sort((a, b) => (steps[a]! - steps[b]!) || (timestamps[a]! - timestamps[b]!) || (a - b))
  return {
    steps: Float64Array.from(order, index => steps[index]!),
    values: Float64Array.from(order, index => values[index]!),
    timestamps: Float64Array.from(order, index => timestamps[index]!),
  }
}
