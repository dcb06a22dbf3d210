/**
 * The model registry of the test MLflow server: registered models, versions, tags, stages and
 * aliases in memory, answering like MLflow 2.x's SQL registry store (shapes, codes, messages).
 */
import { HTTP_STATUS, isMlflowError } from '../../src/core/errors.ts'
import {
  ACTIVE_STAGES, REGISTRY_LIMITS, canonicalStage, parseModelVersion, registryMaxResults, validateAliasName, validateModelName, validateRegistryTag,
} from '../../src/core/registry-validation.ts'
import { decodePageToken, encodePageToken } from '../../src/core/search/paging.ts'
import {
  compileModelVersionFilter, compileModelVersionOrderBy, compileRegisteredModelFilter, compileRegisteredModelOrderBy,
} from '../../src/core/search/registry-search.ts'
import { MODEL_VERSION_STAGES, type ModelVersion, type ModelVersionStage, type RegisteredModel } from '../../src/core/types.ts'
import { RequestRejected } from './mlflow-request-rules.ts'

type Json = Record<string, unknown>
interface WireTag { key: string; value?: string }

interface ServerModel {
  name: string; creationTimestamp: number; lastUpdatedTimestamp: number; description: string
  tags: Map<string, string>; aliases: Map<string, number>; versions: Map<number, ServerVersion>; lastVersion: number
}
interface ServerVersion {
  version: number; creationTimestamp: number; lastUpdatedTimestamp: number; description: string; currentStage: ModelVersionStage
  source: string; runId: string; runLink: string; tags: Map<string, string>
}

const fail = (status: number, code: string, message: string) => new RequestRejected(status, code, message)

/** Runs a check from Lablog's core (MLflow's rules and wording); its MlflowError becomes the server's answer. */
function guard<T>(check: () => T): T {
  try { return check() } catch (error) {
    if (isMlflowError(error)) throw fail(HTTP_STATUS[error.errorCode], error.errorCode, error.message)
    throw error
  }
}

const tagsOf = (request: Json) => (request.tags as WireTag[] | undefined) ?? []
const text = (value: unknown) => (typeof value === 'string' ? value : '')
const tagList = (map: Map<string, string>) => [...map].map(([key, value]) => ({ key, value }))

/** MLflow's _validate_source: no local paths (they would let a client read the server's disk), no '..' in other URIs. */
function checkSource(source: string): void {
  const scheme = /^([a-zA-Z][a-zA-Z0-9+.-]*):/.exec(source)?.[1]?.toLowerCase()
  if (!scheme || scheme === 'file') {
    throw fail(400, 'INVALID_PARAMETER_VALUE', `Invalid model version source: '${source}'. To use a local path as a model version source, the run_id request parameter has to be specified and the local path has to be contained within the artifact directory of the run specified by the run_id.`)
  }
  let decoded = source
  try { decoded = decodeURIComponent(source) } catch { /* MLflow checks the raw text then */ }
  if (decoded.split(/[/\\]/).some(part => part === '..')) {
    throw fail(400, 'INVALID_PARAMETER_VALUE', `Invalid model version source: '${source}'. If supplying a source as an http, https, local file path, ftp, objectstore, or mlflow-artifacts uri, an absolute path must be provided without relative path references present. Please provide an absolute path.`)
  }
}

export class MlflowRegistryState {
  readonly models = new Map<string, ServerModel>()

  /** Handlers by "METHOD endpoint", like MlflowServerState's; requests arrive already checked field by field. */
  readonly handlers: Record<string, (request: Json) => Json> = {
    'POST registered-models/create': request => ({ registered_model: this.modelJson(this.createModel(request)) }),
    'GET registered-models/get': request => ({ registered_model: this.modelJson(this.model(request.name)) }),
    'POST registered-models/rename': request => ({ registered_model: this.modelJson(this.rename(request)) }),
    'PATCH registered-models/update': request => {
      const model = this.model(request.name)
      model.description = text(request.description)
      model.lastUpdatedTimestamp = Date.now()
      return { registered_model: this.modelJson(model) }
    },
    'DELETE registered-models/delete': request => { this.models.delete(this.model(request.name).name); return {} },
    'GET registered-models/search': request => this.searchModels(request),
    'POST registered-models/get-latest-versions': request => this.latest(request),
    'GET registered-models/get-latest-versions': request => this.latest(request),
    'POST registered-models/set-tag': request => {
      const model = this.model(request.name)
      guard(() => validateRegistryTag(request.key, request.value))
      model.tags.set(String(request.key), String(request.value))
      return {}
    },
    'DELETE registered-models/delete-tag': request => { this.model(request.name).tags.delete(String(request.key)); return {} },
    'POST registered-models/alias': request => {
      guard(() => validateAliasName(request.alias))
      const { model, version } = this.version(request.name, request.version)
      model.aliases.set(String(request.alias), version.version)
      return {}
    },
    'DELETE registered-models/alias': request => {
      guard(() => validateAliasName(request.alias))
      this.model(request.name).aliases.delete(String(request.alias))
      return {}
    },
    'GET registered-models/alias': request => {
      guard(() => validateAliasName(request.alias))
      const model = this.model(request.name)
      const number = model.aliases.get(String(request.alias))
      if (number === undefined) throw fail(400, 'INVALID_PARAMETER_VALUE', `Registered model alias ${String(request.alias)} not found.`)
      return { model_version: this.versionJson(model, this.version(model.name, String(number)).version) }
    },
    'POST model-versions/create': request => this.createVersion(request),
    'GET model-versions/get': request => {
      const { model, version } = this.version(request.name, request.version)
      return { model_version: this.versionJson(model, version) }
    },
    'PATCH model-versions/update': request => {
      const { model, version } = this.version(request.name, request.version)
      version.description = text(request.description)
      version.lastUpdatedTimestamp = Date.now()
      return { model_version: this.versionJson(model, version) }
    },
    'DELETE model-versions/delete': request => {
      const { model, version } = this.version(request.name, request.version)
      model.versions.delete(version.version)
      for (const [alias, number] of model.aliases) if (number === version.version) model.aliases.delete(alias)
      return {}
    },
    'GET model-versions/search': request => this.searchVersions(request),
    'GET model-versions/get-download-uri': request => ({ artifact_uri: this.version(request.name, request.version).version.source }),
    'POST model-versions/transition-stage': request => this.transition(request),
    'POST model-versions/set-tag': request => {
      const { version } = this.version(request.name, request.version)
      guard(() => validateRegistryTag(request.key, request.value))
      version.tags.set(String(request.key), String(request.value))
      return {}
    },
    'DELETE model-versions/delete-tag': request => { this.version(request.name, request.version).version.tags.delete(String(request.key)); return {} },
  }

  /** The model; RESOURCE_DOES_NOT_EXIST (404) with MLflow's message when absent. */
  private model(name: unknown): ServerModel {
    guard(() => validateModelName(name))
    const model = this.models.get(name as string)
    if (!model) throw fail(404, 'RESOURCE_DOES_NOT_EXIST', `Registered Model with name=${String(name)} not found`)
    return model
  }

  private version(name: unknown, version: unknown): { model: ServerModel; version: ServerVersion } {
    const model = this.model(name)
    const number = guard(() => parseModelVersion(version))
    const found = model.versions.get(number)
    if (!found) throw fail(404, 'RESOURCE_DOES_NOT_EXIST', `Model Version (name=${model.name}, version=${String(version).trim()}) not found`)
    return { model, version: found }
  }

  private alreadyExists(name: string): RequestRejected {
    return fail(400, 'RESOURCE_ALREADY_EXISTS', `Registered Model (name=${name}) already exists. Error: (sqlite3.IntegrityError) UNIQUE constraint failed: registered_models.name`)
  }

  private createModel(request: Json): ServerModel {
    const name = guard(() => { validateModelName(request.name); return request.name as string })
    const tags = tagsOf(request)
    tags.forEach(tag => guard(() => validateRegistryTag(tag.key, tag.value ?? '')))
    if (this.models.has(name)) throw this.alreadyExists(name)
    const now = Date.now()
    const model: ServerModel = {
      name, creationTimestamp: now, lastUpdatedTimestamp: now, description: text(request.description),
      tags: new Map(tags.map(tag => [tag.key, tag.value ?? ''])), aliases: new Map(), versions: new Map(), lastVersion: 0,
    }
    this.models.set(name, model)
    return model
  }

  private rename(request: Json): ServerModel {
    const model = this.model(request.name)
    const newName = guard(() => { validateModelName(request.new_name, 'new_name'); return request.new_name as string })
    if (newName === model.name) return model
    if (this.models.has(newName)) throw this.alreadyExists(newName)
    this.models.delete(model.name)
    model.name = newName
    model.lastUpdatedTimestamp = Date.now()
    this.models.set(newName, model)
    return model
  }

  private createVersion(request: Json): Json {
    // The handler checks the source before the store looks the model up.
    const source = String(request.source)
    checkSource(source)
    const model = this.model(request.name)
    const tags = tagsOf(request)
    tags.forEach(tag => guard(() => validateRegistryTag(tag.key, tag.value ?? '')))
    // The SQL store never reuses a number: deleted versions stay behind as rows in stage Deleted_Internal.
    const number = ++model.lastVersion
    const now = Date.now()
    const version: ServerVersion = {
      version: number, creationTimestamp: now, lastUpdatedTimestamp: now, description: text(request.description), currentStage: 'None',
      source, runId: text(request.run_id), runLink: text(request.run_link), tags: new Map(tags.map(tag => [tag.key, tag.value ?? ''])),
    }
    model.versions.set(number, version)
    model.lastUpdatedTimestamp = now
    return { model_version: this.versionJson(model, version) }
  }

  private transition(request: Json): Json {
    const stage = guard(() => canonicalStage(request.stage))
    const { model, version } = this.version(request.name, request.version)
    if (request.archive_existing_versions === true && !ACTIVE_STAGES.includes(stage)) {
      throw fail(400, 'INVALID_PARAMETER_VALUE', `Model version transition cannot archive existing model versions because '${String(request.stage)}' is not an Active stage. Valid stages are ['Staging', 'Production']`)
    }
    const now = Date.now()
    if (request.archive_existing_versions === true) {
      for (const other of model.versions.values()) {
        if (other !== version && other.currentStage === stage) { other.currentStage = 'Archived'; other.lastUpdatedTimestamp = now }
      }
    }
    version.currentStage = stage
    version.lastUpdatedTimestamp = now
    return { model_version: this.versionJson(model, version) }
  }

  private latest(request: Json): Json {
    const model = this.model(request.name)
    const asked = (request.stages as string[] | undefined) ?? []
    const stages = asked.length ? [...new Set(asked.map(stage => guard(() => canonicalStage(stage))))] : MODEL_VERSION_STAGES
    const found = this.latestEntities(model).filter(version => stages.includes(version.currentStage))
    const ordered = stages.flatMap(stage => found.filter(version => version.currentStage === stage))
    return ordered.length ? { model_versions: ordered.map(versionToJson) } : {}
  }

  private searchModels(request: Json): Json {
    const max = guard(() => registryMaxResults(request.max_results === undefined ? undefined : Number(request.max_results),
      REGISTRY_LIMITS.registeredModelsDefaultResults, REGISTRY_LIMITS.registeredModelsMaxResults))
    const matches = guard(() => compileRegisteredModelFilter(request.filter as string | undefined))
    const compare = guard(() => compileRegisteredModelOrderBy(request.order_by as string[] | undefined))
    const found = [...this.models.values()].map(model => this.modelEntity(model)).filter(matches).sort(compare)
    return pageOf(found.map(modelToJson), max, request.page_token, 'registered_models')
  }

  private searchVersions(request: Json): Json {
    const max = guard(() => registryMaxResults(request.max_results === undefined ? undefined : Number(request.max_results),
      REGISTRY_LIMITS.modelVersionsDefaultResults, REGISTRY_LIMITS.modelVersionsMaxResults))
    const matches = guard(() => compileModelVersionFilter(request.filter as string | undefined))
    const compare = guard(() => compileModelVersionOrderBy(request.order_by as string[] | undefined))
    const found = [...this.models.values()].flatMap(model => [...model.versions.values()].map(version => this.versionEntity(model, version)))
      .filter(matches).sort(compare)
    return pageOf(found.map(versionToJson), max, request.page_token, 'model_versions')
  }

  private versionEntity(model: ServerModel, version: ServerVersion): ModelVersion {
    return {
      name: model.name, version: String(version.version), creationTimestamp: version.creationTimestamp, lastUpdatedTimestamp: version.lastUpdatedTimestamp,
      description: version.description, userId: '', currentStage: version.currentStage, source: version.source, runId: version.runId,
      runLink: version.runLink, status: 'READY', statusMessage: '', tags: Object.fromEntries(version.tags),
      aliases: [...model.aliases].filter(([, number]) => number === version.version).map(([alias]) => alias).sort(),
    }
  }

  /** The highest version in each stage, in MLflow's stage order. */
  private latestEntities(model: ServerModel): ModelVersion[] {
    const latest = new Map<string, ServerVersion>()
    for (const version of model.versions.values()) {
      const held = latest.get(version.currentStage)
      if (!held || held.version < version.version) latest.set(version.currentStage, version)
    }
    return MODEL_VERSION_STAGES.flatMap(stage => latest.get(stage) ?? []).map(version => this.versionEntity(model, version))
  }

  private modelEntity(model: ServerModel): RegisteredModel {
    return {
      name: model.name, creationTimestamp: model.creationTimestamp, lastUpdatedTimestamp: model.lastUpdatedTimestamp, description: model.description,
      tags: Object.fromEntries(model.tags), latestVersions: this.latestEntities(model),
      aliases: [...model.aliases].map(([alias, version]) => ({ alias, version: String(version) })).sort((a, b) => (a.alias < b.alias ? -1 : 1)),
    }
  }

  private modelJson(model: ServerModel): Json { return modelToJson(this.modelEntity(model)) }
  private versionJson(model: ServerModel, version: ServerVersion): Json { return versionToJson(this.versionEntity(model, version)) }
}

/** As MLflow's message_to_json writes it: snake_case, empty strings and lists left out. */
function versionToJson(version: ModelVersion): Json {
  return {
    name: version.name, version: version.version, creation_timestamp: version.creationTimestamp, last_updated_timestamp: version.lastUpdatedTimestamp,
    current_stage: version.currentStage, source: version.source, status: version.status,
    ...(version.description ? { description: version.description } : {}), ...(version.runId ? { run_id: version.runId } : {}),
    ...(version.runLink ? { run_link: version.runLink } : {}),
    ...(Object.keys(version.tags).length ? { tags: tagList(new Map(Object.entries(version.tags))) } : {}),
    ...(version.aliases.length ? { aliases: version.aliases } : {}),
  }
}

function modelToJson(model: RegisteredModel): Json {
  return {
    name: model.name, creation_timestamp: model.creationTimestamp, last_updated_timestamp: model.lastUpdatedTimestamp,
    ...(model.description ? { description: model.description } : {}),
    ...(model.latestVersions.length ? { latest_versions: model.latestVersions.map(versionToJson) } : {}),
    ...(Object.keys(model.tags).length ? { tags: tagList(new Map(Object.entries(model.tags))) } : {}),
    ...(model.aliases.length ? { aliases: model.aliases } : {}),
  }
}

/** The SQL registry store's paging: it reads one item past the page, so a token only comes while more remain. */
function pageOf(items: Json[], max: number, pageToken: unknown, field: string): Json {
  let offset = 0
  if (typeof pageToken === 'string' && pageToken) {
    try { offset = decodePageToken(pageToken) } catch { throw fail(400, 'INVALID_PARAMETER_VALUE', 'Invalid page token, could not base64-decode') }
  }
  const page = items.slice(offset, offset + max)
  return { ...(page.length ? { [field]: page } : {}), ...(offset + max < items.length ? { next_page_token: encodePageToken(offset + max) } : {}) }
}
