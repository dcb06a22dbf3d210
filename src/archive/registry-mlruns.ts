/**
 * The model registry in MLflow's file store layout (mlflow/store/model_registry/file_store.py):
 * `mlruns/models/<name>/meta.yaml`, `tags/<key>`, `aliases/<alias>` (the version number), and
 * `version-<n>/meta.yaml` with its own `tags/`. Written and read here; the tracking tree is
 * mlruns-writer.ts / mlruns-reader.ts, which call in.
 */
import { readYamlMapping } from './meta-yaml.ts'
import { invalidParameter } from '../core/errors.ts'
import { REGISTRY_LIMITS, validateAliasName, validateModelName, validateRegistryTag } from '../core/registry-validation.ts'
import { MODEL_VERSION_STAGES, type ModelVersionStage, type ModelVersionStatus } from '../core/types.ts'
import { badEntry, throwIfAborted, withEntry } from './archive-errors.ts'
import type { ArchiveContents, ArchiveModelVersion, ArchiveRegisteredModel } from './model.ts'
import { MLRUNS_ROOT, mlflowYaml, mlrunsArtifactLocation } from './mlruns-writer.ts'
import type { ZipArchive, ZipEntry } from './zip-reader.ts'
import type { ZipStreamWriter } from './zip-writer.ts'

/** MLflow's file store marks a deleted version with this stage and keeps its folder. */
const DELETED_STAGE = 'Deleted_Internal'
const STATUSES: readonly ModelVersionStatus[] = ['PENDING_REGISTRATION', 'FAILED_REGISTRATION', 'READY']

/** `location` + '/' + `path` ('' path: the location itself). */
export function joinArtifactPath(location: string, path: string): string {
  return path ? `${location.replace(/\/+$/, '')}/${path}` : location
}

/**
 * The path of `source` inside a run's artifacts (artifact URI `artifactUri`), or undefined when it
 * points elsewhere. Accepts `runs:/<id>/<path>`, the URI itself (file:// or not), and a location
 * ending in `<runId>/artifacts/<path>` (an mlruns tree moved to another folder).
 */
export function artifactPathInRun(source: string, runId: string, artifactUri: string): string | undefined {
  const strip = (uri: string) => uri.replace(/^file:(\/\/)?/, '').replace(/\/+$/, '')
  const runs = /^runs:\/([^/]+)\/?(.*)$/.exec(source)
  if (runs) return runs[1] === runId ? runs[2]!.replace(/\/+$/, '') : undefined
  const plain = strip(source), root = strip(artifactUri)
  if (root && plain === root) return ''
  if (root && plain.startsWith(`${root}/`)) return plain.slice(root.length + 1)
  const marker = `/${runId}/artifacts`
  const at = `/${plain}`.lastIndexOf(marker)
  if (at >= 0) {
    const rest = `/${plain}`.slice(at + marker.length)
    if (rest === '') return ''
    if (rest.startsWith('/')) return rest.slice(1)
  }
  return undefined
}

// ---------------------------------------------------------------- writing

/** Writes `contents.registeredModels` under `mlruns/models/`, sources rebased onto the archive's relative run locations. */
export async function writeRegistryMlruns(contents: ArchiveContents, zip: ZipStreamWriter, signal?: AbortSignal): Promise<void> {
  const models = contents.registeredModels ?? []
  if (models.length === 0) return
  const runLocations = new Map<string, string>()
  for (const { experiment, runs } of contents.experiments) {
    for (const run of runs) runLocations.set(run.info.runId, `${mlrunsArtifactLocation(experiment.experimentId)}/${run.info.runId}/artifacts`)
  }
  await zip.addDirectory(`${MLRUNS_ROOT}models/`)
  for (const model of models) {
    throwIfAborted(signal)
    if (model.name.includes('/') || model.name.includes('%') || model.name === '.' || model.name === '..') {
      throw invalidParameter(`Cannot write registered model '${model.name}' as an mlruns folder: its name is not a valid folder name.`)
    }
    const dir = `${MLRUNS_ROOT}models/${model.name}/`
    await zip.addBytes(`${dir}meta.yaml`, mlflowYaml({
      aliases: { ...model.aliases },
      creation_timestamp: model.creationTimestamp,
      description: model.description || null,
      last_updated_timestamp: model.lastUpdatedTimestamp,
      name: model.name,
    }))
    for (const [key, value] of Object.entries(model.tags)) await zip.addBytes(`${dir}tags/${key}`, value)
    for (const [alias, version] of Object.entries(model.aliases)) await zip.addBytes(`${dir}aliases/${alias}`, version)
    for (const version of model.versions) {
      const location = runLocations.get(version.runId)
      const source = location !== undefined && version.runArtifactPath !== undefined ? joinArtifactPath(location, version.runArtifactPath) : version.source
      const versionDir = `${dir}version-${version.version}/`
      await zip.addBytes(`${versionDir}meta.yaml`, mlflowYaml({
        aliases: Object.keys(model.aliases).filter(alias => model.aliases[alias] === String(version.version)).sort(),
        creation_timestamp: version.creationTimestamp,
        current_stage: version.currentStage,
        description: version.description || null,
        last_updated_timestamp: version.lastUpdatedTimestamp,
        name: model.name,
        run_id: version.runId || null,
        run_link: version.runLink || null,
        source,
        status: version.status,
        status_message: version.statusMessage || null,
        storage_location: source,
        user_id: version.userId || null,
        version: version.version,
      }))
      for (const [key, value] of Object.entries(version.tags)) await zip.addBytes(`${versionDir}tags/${key}`, value)
    }
  }
}

// ---------------------------------------------------------------- reading

interface ModelFiles { meta?: ZipEntry; tags: Map<string, ZipEntry>; aliases: Map<string, ZipEntry>; versions: Map<string, { meta?: ZipEntry; tags: Map<string, ZipEntry> }> }

/**
 * Reads `models/` entries (paths relative to the models folder) into registered models. Versions
 * whose run is in `runArtifactUris` get `runArtifactPath`. MLflow's deleted versions are left out.
 * Anything malformed is refused with the entry's path.
 */
export async function readRegistryMlruns(archive: ZipArchive, entries: Map<string, ZipEntry>, runArtifactUris: Map<string, string>, signal?: AbortSignal): Promise<ArchiveRegisteredModel[]> {
  const byModel = new Map<string, ModelFiles>()
  for (const [path, entry] of entries) {
    const parts = path.split('/')
    if (parts.length < 2 || parts[0] === '' || parts.at(-1) === '') continue
    const name = parts[0]!
    let files = byModel.get(name)
    if (!files) byModel.set(name, files = { tags: new Map(), aliases: new Map(), versions: new Map() })
    const rest = parts.slice(1)
    if (rest.length === 1 && rest[0] === 'meta.yaml') files.meta = entry
    else if (rest[0] === 'tags' && rest.length > 1) files.tags.set(rest.slice(1).join('/'), entry)
    else if (rest[0] === 'aliases' && rest.length === 2) files.aliases.set(rest[1]!, entry)
    else if (/^version-/.test(rest[0]!) && rest.length > 1) {
      let version = files.versions.get(rest[0]!)
      if (!version) files.versions.set(rest[0]!, version = { tags: new Map() })
      if (rest.length === 2 && rest[1] === 'meta.yaml') version.meta = entry
      else if (rest[1] === 'tags' && rest.length > 2) version.tags.set(rest.slice(2).join('/'), entry)
    }
  }
  const models: ArchiveRegisteredModel[] = []
  for (const [folder, files] of byModel) {
    throwIfAborted(signal)
    if (!files.meta) continue // MLflow lists only folders with a meta.yaml
    models.push(await readModel(archive, folder, files, runArtifactUris))
  }
  return models
}

async function readModel(archive: ZipArchive, folder: string, files: ModelFiles, runArtifactUris: Map<string, string>): Promise<ArchiveRegisteredModel> {
  const metaEntry = files.meta!
  const meta = await readYamlMapping(archive, metaEntry)
  if (meta.name !== folder) throw badEntry(metaEntry.path, `name '${String(meta.name)}' does not match its folder '${folder}'`)
  withEntry(metaEntry.path, () => validateModelName(meta.name))
  const creationTimestamp = time(meta, 'creation_timestamp', metaEntry.path) ?? 0
  const model: ArchiveRegisteredModel = {
    name: folder, creationTimestamp, lastUpdatedTimestamp: time(meta, 'last_updated_timestamp', metaEntry.path) ?? creationTimestamp,
    description: optionalText(meta, 'description', metaEntry.path), tags: await readTags(archive, files.tags), aliases: {}, versions: [],
  }
  // MLflow reads aliases from aliases/<alias> files; the meta.yaml mapping is a copy (used when the files are absent).
  const metaAliases = meta.aliases ?? {}
  if (typeof metaAliases !== 'object' || Array.isArray(metaAliases)) throw badEntry(metaEntry.path, "'aliases' must be a mapping of alias to version")
  for (const [alias, version] of Object.entries(metaAliases as Record<string, unknown>)) {
    withEntry(metaEntry.path, () => validateAliasName(alias))
    model.aliases[alias] = versionText(version, metaEntry.path)
  }
  for (const [alias, entry] of files.aliases) {
    withEntry(entry.path, () => validateAliasName(alias))
    model.aliases[alias] = versionText((await archive.readText(entry, 64)).trim(), entry.path)
  }
  for (const [versionFolder, versionFiles] of files.versions) {
    if (!versionFiles.meta) continue
    const version = await readVersion(archive, folder, versionFolder, versionFiles.meta, versionFiles.tags, runArtifactUris)
    if (version) model.versions.push(version)
  }
  model.versions.sort((a, b) => a.version - b.version)
  const present = new Set(model.versions.map(version => String(version.version)))
  for (const [alias, version] of Object.entries(model.aliases)) if (!present.has(version)) delete model.aliases[alias] // pointed at a deleted version
  return model
}

async function readVersion(archive: ZipArchive, name: string, folder: string, metaEntry: ZipEntry, tagEntries: Map<string, ZipEntry>, runArtifactUris: Map<string, string>): Promise<ArchiveModelVersion | undefined> {
  const meta = await readYamlMapping(archive, metaEntry)
  const path = metaEntry.path
  if (meta.name !== name) throw badEntry(path, `name '${String(meta.name)}' does not match the model folder '${name}'`)
  const version = Number(versionText(meta.version, path))
  if (folder !== `version-${version}`) throw badEntry(path, `version ${version} does not match its folder '${folder}'`)
  if (version < 1) throw badEntry(path, `version ${version} is not a positive number`)
  const stage = meta.current_stage ?? 'None'
  if (stage === DELETED_STAGE) return undefined
  if (!MODEL_VERSION_STAGES.includes(stage as ModelVersionStage)) throw badEntry(path, `current_stage '${String(stage)}' is not one of ${MODEL_VERSION_STAGES.join(', ')}`)
  const status = meta.status ?? 'READY'
  if (!STATUSES.includes(status as ModelVersionStatus)) throw badEntry(path, `status '${String(status)}' is not one of ${STATUSES.join(', ')}`)
  const source = meta.source ?? meta.storage_location
  if (typeof source !== 'string' || source === '') throw badEntry(path, "'source' is missing or not a string")
  const runId = optionalText(meta, 'run_id', path)
  if (runId && !/^[\w-]+$/.test(runId)) throw badEntry(path, `run_id '${runId}' is not a run id`)
  const creationTimestamp = time(meta, 'creation_timestamp', path) ?? 0
  const artifactUri = runId ? runArtifactUris.get(runId) : undefined
  const runArtifactPath = artifactUri !== undefined ? artifactPathInRun(source, runId, artifactUri) : undefined
  return {
    version, creationTimestamp, lastUpdatedTimestamp: time(meta, 'last_updated_timestamp', path) ?? creationTimestamp,
    description: optionalText(meta, 'description', path), userId: optionalText(meta, 'user_id', path),
    currentStage: stage as ModelVersionStage, source, runId, runLink: optionalText(meta, 'run_link', path),
    status: status as ModelVersionStatus, statusMessage: optionalText(meta, 'status_message', path),
    tags: await readTags(archive, tagEntries), ...(runArtifactPath !== undefined ? { runArtifactPath } : {}),
  }
}

async function readTags(archive: ZipArchive, entries: Map<string, ZipEntry>): Promise<Record<string, string>> {
  const tags: Record<string, string> = {}
  for (const [key, entry] of entries) {
    const value = await archive.readText(entry, REGISTRY_LIMITS.tagValueLength * 4)
    withEntry(entry.path, () => validateRegistryTag(key, value))
    tags[key] = value
  }
  return tags
}

/** A version number (int or digit string) as its decimal text. */
function versionText(value: unknown, path: string): string {
  const text = typeof value === 'bigint' || typeof value === 'number' ? String(value) : value
  if (typeof text !== 'string' || !/^\d+$/.test(text) || !Number.isSafeInteger(Number(text))) throw badEntry(path, `version '${String(value)}' is not a version number`)
  return String(Number(text))
}

/** A string field MLflow writes as null when unset: '' then. */
function optionalText(meta: Record<string, unknown>, field: string, path: string): string {
  const value = meta[field]
  if (value === undefined || value === null) return ''
  if (typeof value !== 'string') throw badEntry(path, `'${field}' must be a string`)
  return value
}

/** A time in ms (non-negative integer), or null when absent. */
function time(meta: Record<string, unknown>, field: string, path: string): number | null {
  const raw = meta[field]
  if (raw === undefined || raw === null) return null
  const value = typeof raw === 'bigint' && raw >= 0n && raw <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(raw) : typeof raw === 'number' && Number.isSafeInteger(raw) && raw >= 0 ? raw : undefined
  if (value === undefined) throw badEntry(path, `'${field}' must be a non-negative integer (milliseconds), got ${String(raw)}`)
  return value
}
