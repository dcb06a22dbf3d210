/**
 * The packed form of an experiment's run rows (a digest): one IndexedDB value instead of thousands
 * of rows, because IndexedDB's read cost is per row (10,000 rows: ~150 ms in Chromium, whatever
 * their size) while one large value reads at memory speed.
 *
 * Rows are packed in order into two streams: `refs` (indices into one table of distinct strings:
 * ids, names, keys, param and tag values, which repeat a lot across a sweep) and `numbers` (times,
 * metric and series fields). Which params, tags and metrics a run has, in which order, is its
 * "shape" (a list of key indices): a sweep's runs share a handful of shapes, and a run with keys no
 * other run has costs only its own values. A row the packing cannot hold exactly is kept as is.
 */
import type { DatasetInput } from '../../core/types.ts'
import type { LatestMetric, RunRow, SeriesInfo } from './db.ts'

export const RUN_DIGESTS = 'runDigests'
/** The key of the one non-digest row of `runDigests`: a number, so it can never be an experiment id. */
export const DIGEST_EPOCH_KEY = 0
/** Changed by every delete of run rows; a digest built before the change is not written. */
export interface DigestEpochRow { experimentId: typeof DIGEST_EPOCH_KEY; epoch: string }

/** Bumped when the packing changes: a digest of another format reads as absent. */
export const DIGEST_FORMAT = 1

export interface RunDigestRow {
  experimentId: string
  /** Every run row of the experiment with modifiedAt < watermark is in here, at its latest version. */
  watermark: number
  format: number
  /** How many runs `refs` and `numbers` hold. */
  packedCount: number
  /** JSON of [strings, shapes]: the distinct strings, and each shape as indices of its keys in them. */
  text: string
  refs: Uint32Array
  numbers: Float64Array
  /** The dataset inputs of packed runs that have any, by index among the packed runs. */
  inputs: Array<[number, DatasetInput[]]>
  /** Rows the packing cannot hold exactly (an unknown field, a NaN end time, a `__proto__` key, …), as they are. */
  rows: RunRow[]
}

export function isRunDigest(row: RunDigestRow | DigestEpochRow | undefined): row is RunDigestRow {
  return row !== undefined && typeof row.experimentId === 'string' && (row as RunDigestRow).format === DIGEST_FORMAT
}

const ROW_FIELDS = new Set(['runId', 'experimentId', 'runName', 'userId', 'status', 'startTime', 'endTime', 'artifactUri',
  'lifecycleStage', 'deletedTime', 'params', 'tags', 'latestMetrics', 'series', 'inputs', 'modifiedAt'])

const isNumber = (value: unknown): value is number => typeof value === 'number' && !Number.isNaN(value)

function isStringRecord(record: unknown): boolean {
  if (typeof record !== 'object' || record === null || Object.hasOwn(record, '__proto__')) return false
  for (const key in record) if (typeof (record as Record<string, unknown>)[key] !== 'string') return false
  return true
}

function isRecordOf(record: unknown, fields: Record<string, string>): boolean {
  if (typeof record !== 'object' || record === null || Object.hasOwn(record, '__proto__')) return false
  const wanted = Object.keys(fields).length
  for (const key in record) {
    const entry = (record as Record<string, Record<string, unknown>>)[key]
    if (typeof entry !== 'object' || entry === null) return false
    let count = 0
    for (const field in entry) {
      if (typeof entry[field] !== fields[field]) return false
      count++
    }
    if (count !== wanted) return false
  }
  return true
}

const LATEST_FIELDS = { value: 'number', step: 'number', timestamp: 'number' }
const SERIES_FIELDS = { count: 'number', ordered: 'boolean', lastStep: 'number', lastTimestamp: 'number' }

/** True when decode(encode(row)) gives back an equal row. */
function isPackable(row: RunRow, experimentId: string): boolean {
  for (const field in row) if (!ROW_FIELDS.has(field)) return false
  return row.experimentId === experimentId && typeof row.runId === 'string' && typeof row.runName === 'string'
    && typeof row.userId === 'string' && typeof row.status === 'string' && typeof row.artifactUri === 'string'
    && typeof row.lifecycleStage === 'string' && typeof row.startTime === 'number' && typeof row.modifiedAt === 'number'
    && (row.endTime === null || isNumber(row.endTime)) && (!('deletedTime' in row) || isNumber(row.deletedTime))
    && isStringRecord(row.params) && isStringRecord(row.tags) && Array.isArray(row.inputs)
    && isRecordOf(row.latestMetrics, LATEST_FIELDS) && isRecordOf(row.series, SERIES_FIELDS)
}

/** Packs `rows` (all of one experiment's runs, as of `watermark`). */
export function encodeRunDigest(experimentId: string, watermark: number, rows: Iterable<RunRow>): RunDigestRow {
  const strings: string[] = [], stringIndex = new Map<string, number>()
  const ref = (value: string) => {
    let index = stringIndex.get(value)
    if (index === undefined) stringIndex.set(value, index = strings.push(value) - 1)
    return index
  }
  const shapes: number[][] = [], shapeIndex = new Map<string, number>()
  const shapeOf = (record: object) => {
    const keys = Object.keys(record)
    const id = keys.join('\u0000')
    let index = shapeIndex.get(id)
    if (index === undefined) shapeIndex.set(id, index = shapes.push(keys.map(ref)) - 1)
    return index
  }
  const refs: number[] = [], numbers: number[] = [], inputs: Array<[number, DatasetInput[]]> = [], unpacked: RunRow[] = []
  let packedCount = 0
  for (const row of rows) {
    if (!isPackable(row, experimentId)) { unpacked.push(row); continue }
    refs.push(ref(row.runId), ref(row.runName), ref(row.userId), ref(row.status), ref(row.artifactUri), ref(row.lifecycleStage),
      shapeOf(row.params), shapeOf(row.tags), shapeOf(row.latestMetrics), shapeOf(row.series))
    for (const key in row.params) refs.push(ref(row.params[key]!))
    for (const key in row.tags) refs.push(ref(row.tags[key]!))
    numbers.push(row.startTime, row.endTime ?? NaN, row.deletedTime ?? NaN, row.modifiedAt)
    for (const key in row.latestMetrics) {
      const latest = row.latestMetrics[key]!
      numbers.push(latest.value, latest.step, latest.timestamp)
    }
    for (const key in row.series) {
      const series = row.series[key]!
      numbers.push(series.count, series.ordered ? 1 : 0, series.lastStep, series.lastTimestamp)
    }
    if (row.inputs.length > 0) inputs.push([packedCount, row.inputs])
    packedCount++
  }
  return {
    experimentId, watermark, format: DIGEST_FORMAT, packedCount, text: JSON.stringify([strings, shapes]),
    refs: Uint32Array.from(refs), numbers: Float64Array.from(numbers), inputs, rows: unpacked,
  }
}

/** Every run row a digest holds, as fresh objects. */
export function decodeRunDigest(digest: RunDigestRow): RunRow[] {
  const [strings, shapeRefs] = JSON.parse(digest.text) as [string[], number[][]]
  const shapes = shapeRefs.map(keys => keys.map(index => strings[index]!))
  const { refs, numbers } = digest
  const inputs = new Map(digest.inputs)
  const rows: RunRow[] = new Array(digest.packedCount)
  let r = 0, n = 0
  for (let index = 0; index < digest.packedCount; index++) {
    const runId = strings[refs[r]!]!, runName = strings[refs[r + 1]!]!, userId = strings[refs[r + 2]!]!
    const status = strings[refs[r + 3]!]! as RunRow['status'], artifactUri = strings[refs[r + 4]!]!
    const lifecycleStage = strings[refs[r + 5]!]! as RunRow['lifecycleStage']
    const paramKeys = shapes[refs[r + 6]!]!, tagKeys = shapes[refs[r + 7]!]!, metricKeys = shapes[refs[r + 8]!]!, seriesKeys = shapes[refs[r + 9]!]!
    r += 10
    const params: Record<string, string> = {}
    for (const key of paramKeys) params[key] = strings[refs[r++]!]!
    const tags: Record<string, string> = {}
    for (const key of tagKeys) tags[key] = strings[refs[r++]!]!
    const startTime = numbers[n]!, endTime = numbers[n + 1]!, deletedTime = numbers[n + 2]!, modifiedAt = numbers[n + 3]!
    n += 4
    const latestMetrics: Record<string, LatestMetric> = {}
    for (const key of metricKeys) {
      latestMetrics[key] = { value: numbers[n]!, step: numbers[n + 1]!, timestamp: numbers[n + 2]! }
      n += 3
    }
    const series: Record<string, SeriesInfo> = {}
    for (const key of seriesKeys) {
      series[key] = { count: numbers[n]!, ordered: numbers[n + 1] === 1, lastStep: numbers[n + 2]!, lastTimestamp: numbers[n + 3]! }
      n += 4
    }
    const row: RunRow = {
      runId, experimentId: digest.experimentId, runName, userId, status, startTime, endTime: Number.isNaN(endTime) ? null : endTime,
      artifactUri, lifecycleStage, params, tags, latestMetrics, series, inputs: inputs.get(index) ?? [], modifiedAt,
    }
    if (!Number.isNaN(deletedTime)) row.deletedTime = deletedTime
    rows[index] = row
  }
  return rows.concat(digest.rows)
}
