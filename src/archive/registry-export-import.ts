/**
 * The model registry in mlflow-export-import's `export-models` layout (docs/archives.md, "The model
 * registry"): `experiments/` (what import-experiments reads), `models/models.json` listing the
 * model names, `models/<name>/model.json` with `mlflow.registered_model` and its `versions`, and a
 * top-level `manifest.json`. `import-models --input-dir` reads exactly that. The run trees are
 * written by export-import-writer.ts, which calls in here when the archive carries models.
 */
import { invalidParameter } from '../core/errors.ts'
import { validateAliasName, validateModelName, validateRegistryTag } from '../core/registry-validation.ts'
import { MODEL_VERSION_STAGES, type ModelVersionStage, type ModelVersionStatus } from '../core/types.ts'
import { badEntry, throwIfAborted, withEntry } from './archive-errors.ts'
import type { ArchiveContents, ArchiveModelVersion, ArchiveRegisteredModel } from './model.ts'
import { stringifyPythonJson } from './python-format.ts'
import { artifactPathInRun, joinArtifactPath } from './registry-mlruns.ts'
import type { ZipArchive, ZipEntry } from './zip-reader.ts'
import type { ZipStreamWriter } from './zip-writer.ts'

type Json = Record<string, unknown>

/** Where export-models puts the experiments when it also exports models. */
export const EXPERIMENTS_DIR = 'experiments/'
const MODELS_DIR = 'models/'
const STATUSES: readonly ModelVersionStatus[] = ['PENDING_REGISTRATION', 'FAILED_REGISTRATION', 'READY']

export interface RegistryWriteOptions {
  /** The tool's common `system` block for a script name. */
  system: (script: string) => Json
  /** Folder of a run inside the archive (ends with '/'). */
  runFolder: (experimentId: string, runId: string) => string
  signal?: AbortSignal
}

/** True when the archive carries models, so the experiments go under `experiments/`. */
export function carriesRegistry(contents: ArchiveContents): boolean {
  return (contents.registeredModels?.length ?? 0) > 0
}

/** 'YYYY-MM-DD HH:MM:SS' (UTC), the tool's human-readable `_`-prefixed timestamps. */
const niceTime = (ms: number) => new Date(ms).toISOString().slice(0, 19).replace('T', ' ')

// ---------------------------------------------------------------- writing

/** Writes `models/models.json`, one `models/<name>/model.json` per model, and `manifest.json`. */
export async function writeRegistryExportImport(contents: ArchiveContents, zip: ZipStreamWriter, options: RegistryWriteOptions): Promise<void> {
  const models = contents.registeredModels ?? []
  const runs = new Map<string, { folder: string; artifactUri: string; experimentName: string }>()
  for (const { experiment, runs: list } of contents.experiments) {
    for (const run of list) runs.set(run.info.runId, { folder: options.runFolder(experiment.experimentId, run.info.runId), artifactUri: run.info.artifactUri, experimentName: experiment.name })
  }
  for (const model of models) {
    throwIfAborted(options.signal)
    if (model.name.includes('/') || model.name.includes('\\') || model.name === '.' || model.name === '..') {
      throw invalidParameter(`Cannot write registered model '${model.name}' as an export-import folder: its name is not a valid folder name.`)
    }
    const versionAliases = (version: number) => Object.keys(model.aliases).filter(alias => model.aliases[alias] === String(version)).sort()
    const versions = model.versions.map(version => {
      const run = runs.get(version.runId)
      // The tool re-derives the imported source from the imported run: it keeps what follows 'artifacts/'.
      const source = run && version.runArtifactPath !== undefined ? joinArtifactPath(`${run.folder}artifacts`, version.runArtifactPath) : version.source
      return {
        name: model.name, version: String(version.version),
        creation_timestamp: version.creationTimestamp, last_updated_timestamp: version.lastUpdatedTimestamp,
        description: version.description, user_id: version.userId, current_stage: version.currentStage,
        source, run_id: version.runId, run_link: version.runLink, status: version.status, status_message: version.statusMessage,
        tags: { ...version.tags }, aliases: versionAliases(version.version),
        _run_artifact_uri: run?.artifactUri ?? '', _experiment_name: run?.experimentName ?? '',
        _creation_timestamp: niceTime(version.creationTimestamp), _last_updated_timestamp: niceTime(version.lastUpdatedTimestamp),
      }
    })
    await zip.addBytes(`${MODELS_DIR}${model.name}/model.json`, stringifyPythonJson({
      system: options.system('export_model.py'),
      info: {
        num_target_stages: 0, num_target_versions: 0, num_src_versions: versions.length, num_dst_versions: versions.length,
        failed_versions: [], export_latest_versions: false, export_permissions: false,
      },
      mlflow: {
        registered_model: {
          name: model.name, creation_timestamp: model.creationTimestamp, last_updated_timestamp: model.lastUpdatedTimestamp,
          description: model.description,
          _creation_timestamp: niceTime(model.creationTimestamp), _last_updated_timestamp: niceTime(model.lastUpdatedTimestamp),
          tags: Object.entries(model.tags).map(([key, value]) => ({ key, value })),
          aliases: Object.entries(model.aliases).map(([alias, version]) => ({ alias, version })),
          versions,
        },
      },
    }))
  }
  const names = models.map(model => model.name)
  const summary = {
    model_names: names, stages: '', export_latest_versions: false, notebook_formats: '', use_threads: false,
    num_total_models: names.length, num_ok_models: names.length, num_failed_models: 0, duration: 0, failed_models: [],
  }
  await zip.addBytes(`${MODELS_DIR}models.json`, stringifyPythonJson({ system: options.system('export_models.py'), info: { ...summary, output_dir: 'models' }, mlflow: { models: names } }))
  await zip.addBytes('manifest.json', stringifyPythonJson({
    system: options.system('export_models.py'),
    info: { model_names: names, stages: '', export_all_runs: false, export_latest_versions: false, export_permissions: false, notebook_formats: '', use_threads: false, output_dir: '.', models: summary },
    mlflow: {},
  }))
}

// ---------------------------------------------------------------- reading

/** The `models/models.json` entry (at the root, or in the one folder the zip wraps everything in). */
export function findModelsList(archive: ZipArchive): ZipEntry | undefined {
  return archive.entries.find(entry => /^(?:[^/]+\/)?models\/models\.json$/.test(entry.path))
}

/**
 * Reads the models listed in `models/models.json`. Versions whose run is in `runArtifactUris` get
 * `runArtifactPath`. Anything malformed is refused naming the entry.
 */
export async function readRegistryExportImport(archive: ZipArchive, runArtifactUris: Map<string, string>, readJson: (entry: ZipEntry) => Promise<Json>, signal?: AbortSignal): Promise<ArchiveRegisteredModel[]> {
  const list = findModelsList(archive)
  if (!list) return []
  const root = list.path.slice(0, -'models/models.json'.length)
  const names = object((await readJson(list)).mlflow, 'mlflow', list.path).models
  if (!Array.isArray(names) || names.some(name => typeof name !== 'string')) throw badEntry(list.path, "'mlflow.models' must be a list of model names")
  const models: ArchiveRegisteredModel[] = []
  const seen = new Set<string>()
  for (const name of names as string[]) {
    throwIfAborted(signal)
    withEntry(list.path, () => validateModelName(name))
    if (seen.has(name)) throw badEntry(list.path, `model '${name}' is listed twice`)
    seen.add(name)
    const entry = archive.get(`${root}models/${name}/model.json`)
    if (!entry) throw badEntry(list.path, `it lists model '${name}', but ${root}models/${name}/model.json is not in the archive`)
    const raw = object(object((await readJson(entry)).mlflow, 'mlflow', entry.path).registered_model, 'mlflow.registered_model', entry.path)
    models.push(parseModel(raw, name, entry.path, runArtifactUris))
  }
  return models
}

function parseModel(raw: Json, name: string, path: string, runArtifactUris: Map<string, string>): ArchiveRegisteredModel {
  if (raw.name !== name) throw badEntry(path, `name '${String(raw.name)}' does not match its folder '${name}'`)
  const creationTimestamp = time(raw, 'creation_timestamp', path) ?? 0
  const model: ArchiveRegisteredModel = {
    name, creationTimestamp, lastUpdatedTimestamp: time(raw, 'last_updated_timestamp', path) ?? creationTimestamp,
    description: text(raw, 'description', path), tags: tags(raw.tags, 'registered_model.tags', path), aliases: {}, versions: [],
  }
  const aliases = raw.aliases ?? []
  const pairs = Array.isArray(aliases) ? aliases.map(item => [(item as Json)?.alias, (item as Json)?.version]) : typeof aliases === 'object' ? Object.entries(aliases) : null
  if (!pairs) throw badEntry(path, "'aliases' must be a list of {alias, version}")
  for (const [alias, version] of pairs) {
    withEntry(path, () => validateAliasName(alias))
    model.aliases[alias as string] = versionText(version, path)
  }
  const versions = raw.versions ?? raw.latest_versions ?? []
  if (!Array.isArray(versions)) throw badEntry(path, "'versions' must be a list")
  for (const item of versions) {
    const version = parseVersion(object(item, 'a version', path), name, path, runArtifactUris)
    if (model.versions.some(other => other.version === version.version)) throw badEntry(path, `version ${version.version} is listed twice`)
    model.versions.push(version)
    // import-models sets aliases from each version's own list.
    const own = (item as Json).aliases ?? []
    if (!Array.isArray(own) || own.some(alias => typeof alias !== 'string')) throw badEntry(path, `version ${version.version}: 'aliases' must be a list of names`)
    for (const alias of own as string[]) { withEntry(path, () => validateAliasName(alias)); model.aliases[alias] = String(version.version) }
  }
  model.versions.sort((a, b) => a.version - b.version)
  const present = new Set(model.versions.map(version => String(version.version)))
  for (const [alias, version] of Object.entries(model.aliases)) if (!present.has(version)) delete model.aliases[alias]
  return model
}

function parseVersion(raw: Json, name: string, path: string, runArtifactUris: Map<string, string>): ArchiveModelVersion {
  const version = Number(versionText(raw.version, path))
  const at = `version ${version}`
  if (version < 1) throw badEntry(path, `${at} is not a positive number`)
  if (raw.name !== undefined && raw.name !== name) throw badEntry(path, `${at}: name '${String(raw.name)}' does not match the model '${name}'`)
  const stage = raw.current_stage ?? 'None'
  if (!MODEL_VERSION_STAGES.includes(stage as ModelVersionStage)) throw badEntry(path, `${at}: current_stage '${String(stage)}' is not one of ${MODEL_VERSION_STAGES.join(', ')}`)
  const status = raw.status ?? 'READY'
  if (!STATUSES.includes(status as ModelVersionStatus)) throw badEntry(path, `${at}: status '${String(status)}' is not one of ${STATUSES.join(', ')}`)
  if (typeof raw.source !== 'string' || raw.source === '') throw badEntry(path, `${at}: 'source' is missing or not a string`)
  const runId = text(raw, 'run_id', path)
  if (runId && !/^[\w-]+$/.test(runId)) throw badEntry(path, `${at}: run_id '${runId}' is not a run id`)
  const artifactUri = runId ? runArtifactUris.get(runId) : undefined
  const hint = typeof raw._run_artifact_uri === 'string' && raw._run_artifact_uri ? raw._run_artifact_uri : undefined
  const runArtifactPath = artifactUri === undefined ? undefined
    : artifactPathInRun(raw.source, runId, artifactUri) ?? (hint ? artifactPathInRun(raw.source, runId, hint) : undefined)
  const creationTimestamp = time(raw, 'creation_timestamp', path) ?? 0
  return {
    version, creationTimestamp, lastUpdatedTimestamp: time(raw, 'last_updated_timestamp', path) ?? creationTimestamp,
    description: text(raw, 'description', path), userId: text(raw, 'user_id', path), currentStage: stage as ModelVersionStage,
    source: raw.source, runId, runLink: text(raw, 'run_link', path), status: status as ModelVersionStatus,
    statusMessage: text(raw, 'status_message', path), tags: tags(raw.tags, `${at} tags`, path),
    ...(runArtifactPath !== undefined ? { runArtifactPath } : {}),
  }
}

function object(value: unknown, what: string, path: string): Json {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw badEntry(path, `'${what}' must be a JSON object`)
  return value as Json
}

/** Tags as the REST list `[{key, value}]` (models) or a mapping (versions, the Python entity's dict). */
function tags(value: unknown, what: string, path: string): Record<string, string> {
  const pairs = value === undefined || value === null ? [] : Array.isArray(value) ? value.map(item => [(item as Json)?.key, (item as Json)?.value])
    : typeof value === 'object' ? Object.entries(value) : null
  if (!pairs) throw badEntry(path, `'${what}' must be a list of {key, value} or an object`)
  const out: Record<string, string> = {}
  for (const [key, item] of pairs) {
    withEntry(path, () => validateRegistryTag(key, item))
    out[key as string] = item as string
  }
  return out
}

function text(raw: Json, field: string, path: string): string {
  const value = raw[field]
  if (value === undefined || value === null) return ''
  if (typeof value !== 'string') throw badEntry(path, `'${field}' must be a string`)
  return value
}

function versionText(value: unknown, path: string): string {
  const textValue = typeof value === 'number' ? String(value) : value
  if (typeof textValue !== 'string' || !/^\d+$/.test(textValue) || !Number.isSafeInteger(Number(textValue))) throw badEntry(path, `version '${String(value)}' is not a version number`)
  return String(Number(textValue))
}

function time(raw: Json, field: string, path: string): number | null {
  const value = raw[field]
  if (value === undefined || value === null) return null
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) throw badEntry(path, `'${field}' must be a non-negative integer (milliseconds), got ${String(value)}`)
  return value
}
