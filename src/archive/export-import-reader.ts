/**
 * Reads mlflow-export-import archives into ArchiveContents: experiment folders (experiment.json)
 * with run folders in either place the tool has used (`<exp>/<run>/` in 1.2.0, `<exp>/runs/<run>/`
 * on master since Oct 2025), and single runs exported with export-run (run.json at the top).
 */
import { isMlflowError } from '../core/errors.ts'
import { RUN_STATUSES, type DatasetInput, type Experiment, type RunInfo } from '../core/types.ts'
import { validateExperimentId, validateExperimentName, validateExperimentTag, validateKey, validateParam, validateRunId } from '../core/validation.ts'
import type { MetricColumns } from '../store/tracking-store.ts'
import { badEntry, throwIfAborted, validateRunTag, withEntry } from './archive-errors.ts'
import { type ArchiveArtifact, type ArchiveContents, type ArchiveExperiment, type ArchiveRun, memoryRun, mlflowDataset } from './model.ts'
import { parsePythonJson } from './python-format.ts'
import { artifactPathFrom } from './entry-path.ts'
import { readRegistryExportImport } from './registry-export-import.ts'
import type { ZipArchive, ZipEntry } from './zip-reader.ts'

type Json = Record<string, unknown>

/** True when the zip looks like an export-import archive (an experiment.json or a top-level run.json). */
export function looksLikeExportImport(archive: ZipArchive): boolean {
  return archive.entries.some(entry => /(^|\/)experiment\.json$/.test(entry.path)) || archive.get('run.json') !== undefined
}

/** Parses every experiment folder (and a lone top-level run); artifacts stay in the zip until read. */
export async function readExportImport(archive: ZipArchive, signal?: AbortSignal): Promise<ArchiveContents> {
  const experiments: ArchiveExperiment[] = []
  for (const entry of archive.entries) {
    if (!/(^|\/)experiment\.json$/.test(entry.path)) continue
    throwIfAborted(signal)
    const dir = entry.path.slice(0, -'experiment.json'.length)
    const mlflow = objectField(await readJson(archive, entry), 'mlflow', entry.path)
    const experiment = parseExperiment(objectField(mlflow, 'experiment', entry.path), entry.path)
    const runIds = mlflow.runs
    if (!Array.isArray(runIds) || runIds.some(id => typeof id !== 'string')) throw badEntry(entry.path, "'mlflow.runs' must be a list of run ids")
    const runs: ArchiveRun[] = []
    for (const runId of runIds as string[]) {
      throwIfAborted(signal)
      withEntry(entry.path, () => validateRunId(runId))
      const runDir = [`${dir}${runId}/`, `${dir}runs/${runId}/`].find(candidate => archive.get(`${candidate}run.json`))
      if (!runDir) throw badEntry(entry.path, `it lists run ${runId}, but neither ${dir}${runId}/run.json nor ${dir}runs/${runId}/run.json is in the archive`)
      runs.push(await readRun(archive, runDir, experiment.experimentId))
    }
    experiments.push({ experiment, runs })
  }
  const lone = archive.get('run.json')
  if (lone && experiments.length === 0) {
    // export-run writes one run with no experiment: it goes to the Default experiment, as MLflow's client would.
    const now = Date.now()
    const run = await readRun(archive, '', '0')
    experiments.push({
      experiment: { experimentId: '0', name: 'Default', artifactLocation: '', lifecycleStage: 'active', tags: {}, creationTime: now, lastUpdateTime: now },
      runs: [run],
    })
  }
  // export-models' layout: models/models.json and models/<name>/model.json beside experiments/.
  const runArtifactUris = new Map(experiments.flatMap(item => item.runs.map(run => [run.info.runId, run.info.artifactUri] as const)))
  const registeredModels = await readRegistryExportImport(archive, runArtifactUris, entry => readJson(archive, entry), signal)
  return { experiments, ...(registeredModels.length ? { registeredModels } : {}) }
}

function parseExperiment(raw: Json, path: string): Experiment {
  const experimentId = String(raw.experiment_id ?? '')
  withEntry(path, () => { validateExperimentId(experimentId); validateExperimentName(raw.name) })
  const tags = stringRecord(raw.tags ?? {}, 'mlflow.experiment.tags', path)
  for (const [key, value] of Object.entries(tags)) withEntry(path, () => validateExperimentTag({ key, value }))
  const creationTime = optionalTime(raw.creation_time, 'creation_time', path) ?? Date.now()
  return {
    experimentId, name: raw.name as string,
    artifactLocation: typeof raw.artifact_location === 'string' ? raw.artifact_location : '',
    lifecycleStage: stage(raw.lifecycle_stage, path), tags, creationTime,
    lastUpdateTime: optionalTime(raw.last_update_time, 'last_update_time', path) ?? creationTime,
  }
}

async function readRun(archive: ZipArchive, dir: string, experimentId: string): Promise<ArchiveRun> {
  const entry = archive.get(`${dir}run.json`)!
  const document = await readJson(archive, entry)
  const mlflow = objectField(document, 'mlflow', entry.path)
  const rawInfo = objectField(mlflow, 'info', entry.path)
  const runId = String(rawInfo.run_id ?? rawInfo.run_uuid ?? '')
  withEntry(entry.path, () => validateRunId(runId))
  if (dir !== '' && !dir.endsWith(`/${runId}/`) && dir !== `${runId}/`) throw badEntry(entry.path, `run_id '${runId}' does not match its folder`)
  const status = rawInfo.status ?? 'FINISHED'
  if (!RUN_STATUSES.includes(status as never)) throw badEntry(entry.path, `status '${String(status)}' is not a run status`)
  const params = stringRecord(mlflow.params ?? {}, 'mlflow.params', entry.path)
  const tags = stringRecord(mlflow.tags ?? {}, 'mlflow.tags', entry.path)
  for (const [key, value] of Object.entries(params)) withEntry(entry.path, () => validateParam({ key, value }))
  for (const [key, value] of Object.entries(tags)) withEntry(entry.path, () => validateRunTag(key, value))
  const metrics = new Map<string, MetricColumns>()
  for (const [key, points] of Object.entries(objectField(mlflow, 'metrics', entry.path, true))) {
    withEntry(entry.path, () => validateKey('metric', key))
    metrics.set(key, parsePoints(points, key, entry.path))
  }
  const lablog = (typeof document.lablog === 'object' && document.lablog !== null ? document.lablog : {}) as Json
  const info: RunInfo = {
    runId, experimentId, status: status as RunInfo['status'],
    runName: typeof rawInfo.run_name === 'string' && rawInfo.run_name ? rawInfo.run_name : tags['mlflow.runName'] ?? '',
    userId: typeof rawInfo.user_id === 'string' ? rawInfo.user_id : 'unknown',
    startTime: optionalTime(rawInfo.start_time, 'start_time', entry.path) ?? 0,
    endTime: optionalTime(rawInfo.end_time, 'end_time', entry.path),
    artifactUri: typeof rawInfo.artifact_uri === 'string' ? rawInfo.artifact_uri : '',
    lifecycleStage: stage(rawInfo.lifecycle_stage, entry.path),
  }
  const deletedTime = optionalTime(lablog.deleted_time, 'lablog.deleted_time', entry.path)
  const inputs = parseInputs(lablog.dataset_inputs ?? mlflow.inputs, entry.path)
  const artifacts: ArchiveArtifact[] = []
  const prefix = `${dir}artifacts/`
  for (const file of archive.entries) {
    if (!file.path.startsWith(prefix)) continue
    const path = artifactPathFrom(file.path, prefix)
    artifacts.push({ path, size: file.size, read: onBytes => archive.readBlob(file, onBytes) })
  }
  return memoryRun({ info, params, tags, inputs, ...(deletedTime !== null ? { deletedTime } : {}) }, metrics, artifacts)
}

function parsePoints(points: unknown, key: string, path: string): MetricColumns {
  if (!Array.isArray(points)) throw badEntry(path, `metric '${key}' must be a list of {value, timestamp, step}`)
  const steps = new Float64Array(points.length), values = new Float64Array(points.length), timestamps = new Float64Array(points.length)
  points.forEach((point: Json, index) => {
    const value = typeof point?.value === 'string' ? Number(point.value) : point?.value
    const { timestamp, step = 0 } = point ?? {}
    if (typeof value !== 'number' || typeof timestamp !== 'number' || !Number.isSafeInteger(timestamp) || timestamp < 0
      || typeof step !== 'number' || !Number.isSafeInteger(step)) {
      throw badEntry(path, `metric '${key}' point ${index + 1} is not {value: number, timestamp: ms, step: integer}`)
    }
    values[index] = value; timestamps[index] = timestamp; steps[index] = step
  })
  return { steps, values, timestamps }
}

/** Dataset inputs in any of the tool's shapes: `{dataset_inputs: [...]}` (master), a list (2023–2025), or `{}`. */
function parseInputs(raw: unknown, path: string): DatasetInput[] {
  const list = Array.isArray(raw) ? raw : (raw as Json | undefined)?.dataset_inputs ?? []
  if (!Array.isArray(list)) throw badEntry(path, "'inputs' must be a list or an object with 'dataset_inputs'")
  return list.map((item: Json) => {
    const dataset = (item?.dataset ?? {}) as Json
    for (const field of ['name', 'digest', 'source_type', 'source']) {
      if (typeof dataset[field] !== 'string') throw badEntry(path, `a dataset input's '${field}' must be a string`)
    }
    const tags = Array.isArray(item.tags)
      ? Object.fromEntries((item.tags as Json[]).map(tag => [String(tag.key), String(tag.value)]))
      : stringRecord(item.tags ?? {}, 'dataset input tags', path)
    return { dataset: mlflowDataset(dataset), tags }
  })
}

async function readJson(archive: ZipArchive, entry: ZipEntry): Promise<Json> {
  let value: unknown
  try { value = parsePythonJson(await archive.readText(entry)) } catch (error) {
    if (isMlflowError(error)) throw error
    throw badEntry(entry.path, `malformed JSON: ${error instanceof Error ? error.message : String(error)}`)
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw badEntry(entry.path, 'the file must hold a JSON object')
  return value as Json
}

function objectField(parent: Json, field: string, path: string, optional = false): Json {
  const value = parent[field] ?? (optional ? {} : undefined)
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw badEntry(path, `'${field}' must be a JSON object`)
  return value as Json
}

function stringRecord(value: unknown, what: string, path: string): Record<string, string> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw badEntry(path, `'${what}' must be an object of strings`)
  const out: Record<string, string> = {}
  for (const [key, item] of Object.entries(value)) {
    if (typeof item !== 'string') throw badEntry(path, `'${what}.${key}' must be a string`)
    out[key] = item
  }
  return out
}

function optionalTime(value: unknown, field: string, path: string): number | null {
  if (value === undefined || value === null) return null
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) throw badEntry(path, `'${field}' must be milliseconds since the epoch`)
  return value
}

function stage(value: unknown, path: string): 'active' | 'deleted' {
  const result = value ?? 'active'
  if (result !== 'active' && result !== 'deleted') throw badEntry(path, `lifecycle_stage must be 'active' or 'deleted'`)
  return result
}
