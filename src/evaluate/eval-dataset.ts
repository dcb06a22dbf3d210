/**
 * How `evaluate` records its dataset, as MLflow's evaluate does: a hash for the `mlflow.datasets` tag and a
 * dataset input (name `dataset`, source type `code`, column schema, row/element profile) on the run.
 */
import { md5Hex } from '../archive/md5.ts'
import type { DatasetInput } from '../core/types.ts'
import type { DataColumn, EvaluationTable } from './data.ts'

/** The `mlflow.datasets` run tag. */
export const DATASETS_TAG = 'mlflow.datasets'

/** Rows from each end that go into the hash (MLflow also hashes a head and tail sample, not every row). */
const HASHED_ROWS = 20

/** What evaluate records about its dataset. */
export interface EvalDatasetInfo {
  /** The tag's `name`: the given dataset name, or the hash (as MLflow names an unnamed evaluation dataset). */
  name: string
  /** md5 (hex) of the row count, column names, and the first and last rows. */
  hash: string
  /** MLflow's 8-character dataset digest (the hash's prefix here). */
  digest: string
  /** `{"mlflow_colspec": [...]}` in Python's json.dumps spacing. */
  schema: string
  /** `{"num_rows": n, "num_elements": n × columns}`. */
  profile: string
  /** The name of the logged dataset input (`dataset` unless given). */
  inputName: string
}

function columnType(column: DataColumn): string {
  if (column instanceof Float64Array) {
    for (let i = 0; i < column.length; i++) if (!Number.isInteger(column[i]!)) return 'double'
    return 'long'
  }
  const kinds = new Set(column.filter((v) => v !== null).map((v) => typeof v))
  if (kinds.size === 1 && kinds.has('boolean')) return 'boolean'
  if (kinds.size === 1 && kinds.has('number')) return 'double'
  return 'string'
}

function sampleValue(v: unknown): string {
  return typeof v === 'number' && !Number.isFinite(v) ? String(v) : JSON.stringify(v ?? null)
}

/** Describes the dataset; `datasetName` names it in the tag and the input. */
export function describeDataset(table: EvaluationTable, datasetName?: string): EvalDatasetInfo {
  const parts: string[] = [String(table.rowCount), JSON.stringify(table.columns)]
  const rows = table.rowCount <= 2 * HASHED_ROWS
    ? Array.from({ length: table.rowCount }, (_, i) => i)
    : [...Array.from({ length: HASHED_ROWS }, (_, i) => i), ...Array.from({ length: HASHED_ROWS }, (_, i) => table.rowCount - HASHED_ROWS + i)]
  for (const name of table.columns) {
    const column = table.values[name]!
    parts.push(rows.map((r) => sampleValue(column[r])).join(','))
  }
  const hash = md5Hex(parts.join('\n'))
  const spec = table.columns.map((name) => `{"type": "${columnType(table.values[name]!)}", "name": ${JSON.stringify(name)}, "required": true}`)
  return {
    name: datasetName ?? hash,
    hash,
    digest: hash.slice(0, 8),
    schema: `{"mlflow_colspec": [${spec.join(', ')}]}`,
    profile: `{"num_rows": ${table.rowCount}, "num_elements": ${table.rowCount * table.columns.length}}`,
    inputName: datasetName ?? 'dataset',
  }
}

/** The `mlflow.datasets` tag value with this evaluation added (unless the same name, hash and model are there). */
export function datasetsTagValue(existing: string | undefined, info: EvalDatasetInfo, modelUuid: string | null): string {
  let entries: { name?: unknown; hash?: unknown; model?: unknown }[] = []
  try {
    const parsed = existing ? JSON.parse(existing) as unknown : []
    if (Array.isArray(parsed)) entries = parsed
  } catch {
    entries = []
  }
  if (!entries.some((e) => e.name === info.name && e.hash === info.hash && (e.model ?? null) === modelUuid)) {
    entries.push({ name: info.name, hash: info.hash, model: modelUuid })
  }
  return JSON.stringify(entries)
}

/** The run input MLflow 2.17 logs for an evaluation dataset (source: the run's user and source tags). */
export function datasetInput(info: EvalDatasetInfo, runTags: Readonly<Record<string, string>>): DatasetInput {
  const sourceTags: Record<string, string> = {}
  for (const key of ['mlflow.user', 'mlflow.source.name', 'mlflow.source.type']) if (runTags[key] !== undefined) sourceTags[key] = runTags[key]!
  const source = `{"tags": {${Object.entries(sourceTags).map(([k, v]) => `${JSON.stringify(k)}: ${JSON.stringify(v)}`).join(', ')}}}`
  return {
    dataset: { name: info.inputName, digest: info.digest, sourceType: 'code', source, schema: info.schema, profile: info.profile },
    tags: {},
  }
}
