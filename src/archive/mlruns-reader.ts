/**
 * Reads MLflow's file store (`mlruns/`) out of a zip, as MLflow 2.x/3.x writes it (see docs
 * mlflow-compat §1): experiments at once, each run when it is read (PendingRun). Everything is checked;
 * anything malformed is refused with the entry's path, so a later write never sees half-valid data.
 */
import { readYamlMapping } from './meta-yaml.ts'
import type { DatasetInput, Experiment, LifecycleStage, RunInfo } from '../core/types.ts'
import { LIMITS, validateExperimentId, validateExperimentName, validateExperimentTag, validateKey, validateParam, validateRunId } from '../core/validation.ts'
import type { MetricColumns } from '../store/tracking-store.ts'
import { MAX_SYSTEM_TAG_LENGTH, badArchive, badEntry, throwIfAborted, validateRunTag, withEntry } from './archive-errors.ts'
import { type ArchiveArtifact, type ArchiveRun, type PendingExperiment, type PendingRun, type ScannedContents, lazyRun, mlflowDataset } from './model.ts'
import { readMetricFile } from './metric-bytes.ts'
import { STATUS_BY_CODE } from './python-format.ts'
import { artifactPathFrom } from './entry-path.ts'
import { readRegistryMlruns } from './registry-mlruns.ts'
import { type TextReader, type ZipArchive, type ZipEntry, entryText } from './zip-reader.ts'

/** Folders inside an experiment that are never runs (2.x and 3.x). */
const RESERVED_IN_EXPERIMENT = new Set(['tags', 'datasets', 'traces', 'models'])

type Files = Map<string, ZipEntry>

/** Where the mlruns tree starts inside the zip ('' when zipped from inside it); null when none. */
export function findMlrunsRoot(archive: ZipArchive): string | null {
  const named = new Set<string>()
  let shallowest: string | null = null
  for (const entry of archive.entries) {
    const match = /^(.*?(?:^|\/))mlruns\//.exec(entry.path)
    if (match) named.add(`${match[1]}mlruns/`)
    const meta = /^(.*?)[^/]+\/meta\.yaml$/.exec(entry.path)
    if (meta && (shallowest === null || meta[1]!.length < shallowest.length)) shallowest = meta[1]!
  }
  if (named.size > 1) throw badArchive(`it holds more than one mlruns folder (${[...named].join(', ')})`)
  return named.size === 1 ? [...named][0]! : shallowest
}

/** The mlruns tree under `root`: experiments read and checked, runs listed to be read in turn (see PendingRun). */
export async function scanMlruns(archive: ZipArchive, root: string, signal?: AbortSignal): Promise<ScannedContents> {
  const experimentDirs = new Map<string, { deleted: boolean; files: Files }>()
  const modelFiles: Files = new Map()
  for (const entry of archive.entries) {
    if (!entry.path.startsWith(root)) continue
    const rest = entry.path.slice(root.length)
    const trashed = rest.startsWith('.trash/')
    const inside = trashed ? rest.slice('.trash/'.length) : rest
    const slash = inside.indexOf('/')
    if (slash < 0) continue
    const experimentDir = inside.slice(0, slash)
    if (!trashed && experimentDir === 'models') modelFiles.set(inside.slice(slash + 1), entry)
    if (!trashed && (experimentDir === 'models' || experimentDir.startsWith('.'))) continue
    const key = (trashed ? '.trash/' : '') + experimentDir
    let bucket = experimentDirs.get(key)
    if (!bucket) experimentDirs.set(key, bucket = { deleted: trashed, files: new Map() })
    bucket.files.set(inside.slice(slash + 1), entry)
  }
  const runIds = new Set<string>()
  for (const { files } of experimentDirs.values()) {
    for (const path of files.keys()) {
      const match = /^([^/]+)\/meta\.yaml$/.exec(path)
      if (match && !RESERVED_IN_EXPERIMENT.has(match[1]!)) runIds.add(match[1]!)
    }
  }
  const artifactDirs = indexArtifactDirs(archive, runIds)
  const experiments: PendingExperiment[] = []
  const seenIds = new Set<string>()
  for (const [key, { files }] of experimentDirs) {
    throwIfAborted(signal)
    const dir = root + key + '/'
    const metaEntry = files.get('meta.yaml')
    if (!metaEntry) continue // MLflow skips folders without meta.yaml
    const experiment = await readExperiment(archive, metaEntry, key.replace(/^\.trash\//, ''), files)
    if (seenIds.has(experiment.experimentId)) throw badEntry(metaEntry.path, `experiment id ${experiment.experimentId} appears twice (also in .trash?)`)
    seenIds.add(experiment.experimentId)
    // Each run's files, grouped once (a scan of the experiment per run is quadratic in runs).
    const runDirs = new Map<string, Files>()
    for (const [path, entry] of files) {
      const slash = path.indexOf('/')
      if (slash <= 0 || RESERVED_IN_EXPERIMENT.has(path.slice(0, slash))) continue
      const runDir = path.slice(0, slash)
      let runFiles = runDirs.get(runDir)
      if (!runFiles) runDirs.set(runDir, runFiles = new Map())
      runFiles.set(path.slice(slash + 1), entry)
    }
    // In the order the runs sit in the zip, so reading them streams forward.
    const runOrder = [...runDirs].filter(([, runFiles]) => runFiles.has('meta.yaml'))
      .sort(([a, left], [b, right]) => left.get('meta.yaml')!.localOffset - right.get('meta.yaml')!.localOffset || (a < b ? -1 : 1))
    const runs = runOrder.map(([runDir, runFiles]) => pendingRun(archive, { experimentDir: dir, runDir, experiment, files, runFiles, artifactDirs: artifactDirs.get(runDir) }))
    experiments.push({ experiment, runs })
  }
  return { experiments, readRegisteredModels: runArtifactUris => readRegistryMlruns(archive, modelFiles, runArtifactUris, signal) }
}

/** Where a run's files are: its folder's entries by path inside it, the experiment's (for datasets), and candidate artifact folders. */
interface RunFolder {
  experimentDir: string
  runDir: string
  experiment: Experiment
  files: Files
  runFiles: Files
  artifactDirs: Map<string, ZipEntry[]> | undefined
}

/** Files of a run folder that readRun reads as text. */
const isRunText = (rest: string) => rest === 'meta.yaml' || rest.startsWith('params/') || rest.startsWith('tags/') || /^inputs\/[^/]+\/meta\.yaml$/.test(rest)
/**
 * A worker reads all of a run's text files before readRun checks any, so it reads ahead at most this
 * much of them (a real run's are a few KB; thousands of params make hundreds): a hostile run's texts
 * are left to readRun, which refuses the first that is too long before reading the rest.
 */
const READ_AHEAD_MAX_TEXT_BYTES = 4 << 20

function pendingRun(archive: ZipArchive, folder: RunFolder): PendingRun {
  let texts: ZipEntry[] = []
  const metrics: ZipEntry[] = []
  let textBytes = 0
  for (const [rest, entry] of folder.runFiles) {
    if (rest.startsWith('metrics/')) metrics.push(entry)
    else if (isRunText(rest)) { texts.push(entry); textBytes += entry.size }
  }
  if (textBytes > READ_AHEAD_MAX_TEXT_BYTES) texts = []
  const defaultPrefix = `${folder.experimentDir}${folder.runDir}/artifacts/`
  const artifactBytes = (entries: ZipEntry[]) => entries.reduce((sum, entry) => sum + entry.size, 0)
  const dirs = folder.artifactDirs
  // Until meta.yaml is read, the artifact folder is known only when it is the run's own; else the largest candidate.
  const ownArtifacts = dirs?.get(defaultPrefix)
  return {
    runId: folder.runDir,
    artifactBytes: ownArtifacts ? artifactBytes(ownArtifacts) : Math.max(0, ...[...dirs?.values() ?? []].map(artifactBytes)),
    readAhead: { texts, metrics },
    read: readAhead => {
      const reader: TextReader = !readAhead ? archive : {
        readText: (entry, maxBytes) => {
          const bytes = readAhead.get(entry.path)
          return bytes ? Promise.resolve(entryText(entry, bytes, maxBytes)) : archive.readText(entry, maxBytes)
        },
      }
      return readRun(archive, reader, folder)
    },
  }
}

async function readExperiment(archive: ZipArchive, metaEntry: ZipEntry, folder: string, files: Files): Promise<Experiment> {
  const meta = await readYamlMapping(archive, metaEntry)
  const experimentId = idField(meta, 'experiment_id', metaEntry.path)
  if (experimentId !== folder) throw badEntry(metaEntry.path, `experiment_id '${experimentId}' does not match its folder '${folder}'`)
  withEntry(metaEntry.path, () => { validateExperimentId(experimentId); validateExperimentName(meta.name) })
  const tags: Record<string, string> = {}
  for (const [path, entry] of files) {
    if (!path.startsWith('tags/')) continue
    const key = path.slice('tags/'.length)
    const value = await archive.readText(entry, LIMITS.experimentTagValueLength * 4)
    withEntry(entry.path, () => validateExperimentTag({ key, value }))
    tags[key] = value
  }
  const creationTime = timeField(meta, 'creation_time', metaEntry.path) ?? timeField(meta, 'last_update_time', metaEntry.path) ?? 0
  return {
    experimentId, name: meta.name as string,
    artifactLocation: typeof meta.artifact_location === 'string' ? meta.artifact_location : '',
    lifecycleStage: stageField(meta, metaEntry.path), tags,
    creationTime, lastUpdateTime: timeField(meta, 'last_update_time', metaEntry.path) ?? creationTime,
  }
}

/** Reads and checks a run: its metadata as text through `texts`, its metric files and artifacts from `archive` when asked. */
async function readRun(archive: ZipArchive, texts: TextReader, { experimentDir, runDir, experiment, files, runFiles, artifactDirs }: RunFolder): Promise<ArchiveRun> {
  const metaEntry = runFiles.get('meta.yaml')!
  const meta = await readYamlMapping(texts, metaEntry)
  const runId = typeof meta.run_id === 'string' && meta.run_id ? meta.run_id : idField(meta, 'run_uuid', metaEntry.path)
  if (runId !== runDir) throw badEntry(metaEntry.path, `run_id '${runId}' does not match its folder '${runDir}'`)
  withEntry(metaEntry.path, () => validateRunId(runId))
  const experimentId = idField(meta, 'experiment_id', metaEntry.path)
  if (experimentId !== experiment.experimentId) throw badEntry(metaEntry.path, `experiment_id '${experimentId}' does not match the experiment folder '${experiment.experimentId}'`)
  const statusCode = meta.status === undefined || meta.status === null ? 1 : integerValue(meta.status)
  const status = typeof meta.status === 'string' && Object.values(STATUS_BY_CODE).includes(meta.status as never) ? meta.status as RunInfo['status'] : STATUS_BY_CODE[statusCode ?? -1]
  if (!status) throw badEntry(metaEntry.path, `status ${String(meta.status)} is not a run status (1-5)`)
  const params: Record<string, string> = {}, tags: Record<string, string> = {}
  // Metric files are parsed when read (import writes each run as it parses it): 10,000 runs of
  // history would not fit in memory at once. A malformed line is refused then, before anything commits.
  const metricEntries = new Map<string, ZipEntry>()
  const inputs: DatasetInput[] = []
  for (const [rest, entry] of runFiles) {
    if (rest.startsWith('params/')) {
      const key = rest.slice('params/'.length)
      if (entry.size > LIMITS.paramValueLength * 4) throw badEntry(entry.path, `the params file is ${entry.size} bytes; a param value holds at most ${LIMITS.paramValueLength} characters`)
      const value = await texts.readText(entry)
      withEntry(entry.path, () => validateParam({ key, value }))
      params[key] = value
    } else if (rest.startsWith('tags/')) {
      const key = rest.slice('tags/'.length)
      const value = await texts.readText(entry, MAX_SYSTEM_TAG_LENGTH * 4)
      withEntry(entry.path, () => validateRunTag(key, value))
      tags[key] = value
    } else if (rest.startsWith('metrics/')) {
      const key = rest.slice('metrics/'.length)
      withEntry(entry.path, () => validateKey('metric', key))
      metricEntries.set(key, entry)
    } else if (/^inputs\/[^/]+\/meta\.yaml$/.test(rest)) {
      inputs.push(await readInput(texts, entry, experimentDir, files))
    }
  }
  const runName = typeof meta.run_name === 'string' && meta.run_name !== '' ? meta.run_name : tags['mlflow.runName'] ?? ''
  const info: RunInfo = {
    runId, runName, experimentId, status,
    userId: typeof meta.user_id === 'string' ? meta.user_id : meta.user_id == null ? 'unknown' : String(meta.user_id),
    startTime: timeField(meta, 'start_time', metaEntry.path) ?? 0,
    endTime: timeField(meta, 'end_time', metaEntry.path),
    artifactUri: typeof meta.artifact_uri === 'string' ? meta.artifact_uri : '',
    lifecycleStage: stageField(meta, metaEntry.path),
  }
  const deletedTime = timeField(meta, 'deleted_time', metaEntry.path)
  const artifacts = pickArtifacts(archive, `${experimentDir}${runDir}/artifacts/`, info.artifactUri, artifactDirs)
  const readMetric = (key: string): Promise<MetricColumns> => readMetricFile(archive, metricEntries.get(key)!)
  const run = lazyRun({ info, params, tags, inputs, ...(deletedTime !== null ? { deletedTime } : {}) }, [...metricEntries.keys()], readMetric, artifacts)
  return { ...run, metricFiles: [...metricEntries.values()] }
}

async function readInput(archive: TextReader, entry: ZipEntry, experimentDir: string, files: Files): Promise<DatasetInput> {
  const meta = await readYamlMapping(archive, entry)
  const sourceId = meta.source_id
  if (typeof sourceId !== 'string' || !/^[\w-]+$/.test(sourceId)) throw badEntry(entry.path, 'source_id is missing or not a dataset id')
  const datasetEntry = files.get(`datasets/${sourceId}/meta.yaml`)
  if (!datasetEntry) throw badEntry(entry.path, `it names dataset ${sourceId}, but ${experimentDir}datasets/${sourceId}/meta.yaml is missing`)
  const dataset = await readYamlMapping(archive, datasetEntry)
  for (const field of ['name', 'digest', 'source_type', 'source'] as const) {
    if (typeof dataset[field] !== 'string') throw badEntry(datasetEntry.path, `'${field}' must be a string`)
  }
  const rawTags = meta.tags ?? {}
  if (typeof rawTags !== 'object' || Array.isArray(rawTags)) throw badEntry(entry.path, "'tags' must be a mapping")
  const tags = Object.fromEntries(Object.entries(rawTags as Record<string, unknown>).map(([key, value]) => [key, String(value)]))
  return { dataset: mlflowDataset(dataset), tags }
}

/** Every `<run_id>/artifacts/` folder in the zip, by run id, also outside mlruns (custom artifact locations). */
function indexArtifactDirs(archive: ZipArchive, runIds: Set<string>): Map<string, Map<string, ZipEntry[]>> {
  const index = new Map<string, Map<string, ZipEntry[]>>()
  for (const entry of archive.entries) {
    for (let at = entry.path.indexOf('/artifacts/'); at > 0; at = entry.path.indexOf('/artifacts/', at + 1)) {
      const runId = entry.path.slice(entry.path.lastIndexOf('/', at - 1) + 1, at)
      if (!runIds.has(runId)) continue
      const prefix = entry.path.slice(0, at + '/artifacts/'.length)
      let byPrefix = index.get(runId)
      if (!byPrefix) index.set(runId, byPrefix = new Map())
      let list = byPrefix.get(prefix)
      if (!list) byPrefix.set(prefix, list = [])
      list.push(entry)
      break
    }
  }
  return index
}

/** The run's own artifacts folder when present, else the folder whose path best matches the end of artifact_uri. */
function pickArtifacts(archive: ZipArchive, defaultPrefix: string, artifactUri: string, dirs: Map<string, ZipEntry[]> | undefined): ArchiveArtifact[] {
  if (!dirs) return []
  let chosen: [string, ZipEntry[]] | undefined = dirs.has(defaultPrefix) ? [defaultPrefix, dirs.get(defaultPrefix)!] : undefined
  if (!chosen) {
    const uriSegments = artifactUri.replace(/^file:(\/\/)?/, '').split('/').filter(Boolean)
    let best = -1
    for (const [prefix, entries] of dirs) {
      const segments = prefix.split('/').filter(Boolean)
      let shared = 0
      while (shared < segments.length && shared < uriSegments.length
        && segments[segments.length - 1 - shared] === uriSegments[uriSegments.length - 1 - shared]) shared++
      if (shared > best) { best = shared; chosen = [prefix, entries] }
    }
  }
  if (!chosen) return []
  const [prefix, entries] = chosen
  return entries.map(entry => {
    const path = artifactPathFrom(entry.path, prefix)
    return { path, size: entry.size, read: (onBytes?: (bytes: number) => void) => archive.readBlob(entry, onBytes) }
  })
}

function integerValue(value: unknown): number | undefined {
  if (typeof value === 'bigint') return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : undefined
  if (typeof value === 'number' && Number.isSafeInteger(value)) return value
  return undefined
}

/** A time in ms: a non-negative integer, or null when absent. */
function timeField(meta: Record<string, unknown>, field: string, path: string): number | null {
  const raw = meta[field]
  if (raw === undefined || raw === null) return null
  const value = integerValue(raw)
  if (value === undefined || value < 0) throw badEntry(path, `'${field}' must be a non-negative integer (milliseconds), got ${String(raw)}`)
  return value
}

/** Ids are strings in MLflow 2.x ('0'); very old files hold an int, read exactly through BigInt. */
function idField(meta: Record<string, unknown>, field: string, path: string): string {
  const raw = meta[field]
  if (typeof raw === 'string' && raw !== '') return raw
  if (typeof raw === 'bigint' && raw >= 0n) return raw.toString()
  throw badEntry(path, `'${field}' is missing or not an id`)
}

function stageField(meta: Record<string, unknown>, path: string): LifecycleStage {
  const stage = meta.lifecycle_stage ?? 'active'
  if (stage !== 'active' && stage !== 'deleted') throw badEntry(path, `lifecycle_stage must be 'active' or 'deleted', got '${String(stage)}'`)
  return stage
}
