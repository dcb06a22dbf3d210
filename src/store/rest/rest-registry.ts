/**
 * The ModelRegistryStore over an MLflow server's registry endpoints (REST API 2.0:
 * registered-models/…, model-versions/…). Input is checked with MLflow's rules before any request,
 * so it fails like the local registry; only idempotent calls are retried (see http-transport.ts).
 */
import { invalidParameter } from '../../core/errors.ts'
import {
  ACTIVE_STAGES, REGISTRY_LIMITS, canonicalStage, parseModelVersion, parseRunsSource, registryMaxResults, validateAliasName, validateModelName, validateRegistryTag,
} from '../../core/registry-validation.ts'
import type { ModelVersion, Page, RegisteredModel, RunTag, SearchModelVersionsQuery, SearchRegisteredModelsQuery } from '../../core/types.ts'
import type { CreateModelVersionRequest, ModelRegistryStore, VersionNumber } from '../registry-store.ts'
import type { HttpTransport, RestRequest } from './http-transport.ts'
import { type WireModelVersion, type WireRegisteredModel, readModelVersion, readRegisteredModel } from './registry-wire.ts'
import { tagsToWire } from './wire-format.ts'

const api = (endpoint: string) => `/api/2.0/mlflow/${endpoint}`

type ModelAnswer = { registered_model: WireRegisteredModel }
type VersionAnswer = { model_version: WireModelVersion }


/** A version number as the proto's string field wants it ('3'), after Python-int() checking. */
const versionText = (version: VersionNumber) => String(parseModelVersion(version))

function validateTags(tags: RunTag[]): void {
  for (const tag of tags) validateRegistryTag(tag.key, tag.value)
}

function page<T>(items: T[], nextPageToken: string | undefined): Page<T> {
  return nextPageToken ? { items, nextPageToken } : { items }
}

function withoutUndefined(json: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(json).filter(([, value]) => value !== undefined))
}

/**
 * The registry of one MLflow tracking server, sharing the tracking store's transport (auth, retries,
 * timeouts). `runArtifactUri` resolves a `runs:/` source to the run's artifact URI on that server,
 * as MLflow's own register_model does before calling model-versions/create.
 */
export class RestModelRegistryStore implements ModelRegistryStore {
  constructor(private readonly transport: HttpTransport, private readonly runArtifactUri: (runId: string) => Promise<string>) {}

  private send<T>(method: RestRequest['method'], endpoint: string, fields: Record<string, unknown>, idempotent: boolean): Promise<T> {
    const request: RestRequest = method === 'GET'
      ? { method, path: api(endpoint), query: withoutUndefined(fields) as RestRequest['query'], idempotent }
      : { method, path: api(endpoint), json: withoutUndefined(fields), idempotent }
    return this.transport.json<T>(request)
  }

  // Registered models

  async createRegisteredModel(name: string, options: { tags?: RunTag[]; description?: string } = {}): Promise<RegisteredModel> {
    validateModelName(name)
    const tags = options.tags ?? []
    validateTags(tags)
    const answer = await this.send<ModelAnswer>('POST', 'registered-models/create', {
      name, tags: tags.length ? tagsToWire(tags) : undefined, description: options.description || undefined,
    }, false)
    return readRegisteredModel(answer.registered_model)
  }

  async getRegisteredModel(name: string): Promise<RegisteredModel> {
    validateModelName(name)
    return readRegisteredModel((await this.send<ModelAnswer>('GET', 'registered-models/get', { name }, true)).registered_model)
  }

  /** Not retried: a rename whose answer was lost would fail again with RESOURCE_DOES_NOT_EXIST. */
  async renameRegisteredModel(name: string, newName: string): Promise<RegisteredModel> {
    validateModelName(name)
    validateModelName(newName, 'new_name')
    if (newName === name) return this.getRegisteredModel(name)
    return readRegisteredModel((await this.send<ModelAnswer>('POST', 'registered-models/rename', { name, new_name: newName }, false)).registered_model)
  }

  async updateRegisteredModel(name: string, description: string): Promise<RegisteredModel> {
    validateModelName(name)
    const answer = await this.send<ModelAnswer>('PATCH', 'registered-models/update', { name, description: description ?? '' }, true)
    return readRegisteredModel(answer.registered_model)
  }

  async deleteRegisteredModel(name: string): Promise<void> {
    validateModelName(name)
    await this.send('DELETE', 'registered-models/delete', { name }, false)
  }

  /** One page; the server gives a token only while more models remain. */
  async searchRegisteredModels(query: SearchRegisteredModelsQuery = {}): Promise<Page<RegisteredModel>> {
    if (query.maxResults !== undefined) registryMaxResults(query.maxResults, REGISTRY_LIMITS.registeredModelsDefaultResults, REGISTRY_LIMITS.registeredModelsMaxResults)
    const answer = await this.send<{ registered_models?: WireRegisteredModel[]; next_page_token?: string }>('GET', 'registered-models/search', {
      filter: query.filter || undefined, max_results: query.maxResults, order_by: query.orderBy?.length ? query.orderBy : undefined,
      page_token: query.pageToken || undefined,
    }, true)
    return page((answer.registered_models ?? []).map(readRegisteredModel), answer.next_page_token)
  }

  async getLatestVersions(name: string, stages?: string[]): Promise<ModelVersion[]> {
    validateModelName(name)
    const wanted = stages?.length ? [...new Set(stages.map(canonicalStage))] : undefined
    // POST is the endpoint MLflow's own client uses; it only reads, so it is safe to repeat.
    const answer = await this.send<{ model_versions?: WireModelVersion[] }>('POST', 'registered-models/get-latest-versions', { name, stages: wanted }, true)
    return (answer.model_versions ?? []).map(readModelVersion)
  }

  async setRegisteredModelTag(name: string, key: string, value: string): Promise<void> {
    validateModelName(name)
    validateRegistryTag(key, value)
    await this.send('POST', 'registered-models/set-tag', { name, key, value }, true)
  }

  async deleteRegisteredModelTag(name: string, key: string): Promise<void> {
    validateModelName(name)
    await this.send('DELETE', 'registered-models/delete-tag', { name, key }, true)
  }

  // Model versions

  /** A `runs:/` source is resolved to the run's artifact URI on the server first (runs/get), as MLflow's register_model does. */
  async createModelVersion(request: CreateModelVersionRequest): Promise<ModelVersion> {
    const { name, source } = request
    validateModelName(name)
    if (typeof source !== 'string' || source === '') throw invalidParameter("Missing value for required parameter 'source'.")
    const tags = request.tags ?? []
    validateTags(tags)
    const fromRun = parseRunsSource(source)
    if (fromRun && request.runId && request.runId !== fromRun.runId) {
      throw invalidParameter(`The run id '${request.runId}' does not match the run of the source '${source}'.`)
    }
    let location = source
    if (fromRun) {
      const root = await this.runArtifactUri(fromRun.runId)
      location = fromRun.path ? `${root}/${fromRun.path}` : root
    }
    const answer = await this.send<VersionAnswer>('POST', 'model-versions/create', {
      name, source: location, run_id: fromRun?.runId ?? (request.runId || undefined), tags: tags.length ? tagsToWire(tags) : undefined,
      run_link: request.runLink || undefined, description: request.description || undefined,
    }, false)
    return readModelVersion(answer.model_version)
  }

  async getModelVersion(name: string, version: VersionNumber): Promise<ModelVersion> {
    validateModelName(name)
    return readModelVersion((await this.send<VersionAnswer>('GET', 'model-versions/get', { name, version: versionText(version) }, true)).model_version)
  }

  async updateModelVersion(name: string, version: VersionNumber, description: string): Promise<ModelVersion> {
    validateModelName(name)
    const answer = await this.send<VersionAnswer>('PATCH', 'model-versions/update', { name, version: versionText(version), description: description ?? '' }, true)
    return readModelVersion(answer.model_version)
  }

  async deleteModelVersion(name: string, version: VersionNumber): Promise<void> {
    validateModelName(name)
    await this.send('DELETE', 'model-versions/delete', { name, version: versionText(version) }, false)
  }

  async getModelVersionDownloadUri(name: string, version: VersionNumber): Promise<string> {
    validateModelName(name)
    const answer = await this.send<{ artifact_uri?: string }>('GET', 'model-versions/get-download-uri', { name, version: versionText(version) }, true)
    return answer.artifact_uri ?? ''
  }

  /** One page; the server gives a token only while more versions remain. */
  async searchModelVersions(query: SearchModelVersionsQuery = {}): Promise<Page<ModelVersion>> {
    if (query.maxResults !== undefined) registryMaxResults(query.maxResults, REGISTRY_LIMITS.modelVersionsDefaultResults, REGISTRY_LIMITS.modelVersionsMaxResults)
    const answer = await this.send<{ model_versions?: WireModelVersion[]; next_page_token?: string }>('GET', 'model-versions/search', {
      filter: query.filter || undefined, max_results: query.maxResults, order_by: query.orderBy?.length ? query.orderBy : undefined,
      page_token: query.pageToken || undefined,
    }, true)
    return page((answer.model_versions ?? []).map(readModelVersion), answer.next_page_token)
  }

  /** Repeating a transition lands in the same state, so it is retried like a read. */
  async transitionModelVersionStage(name: string, version: VersionNumber, stage: string, archiveExistingVersions: boolean): Promise<ModelVersion> {
    validateModelName(name)
    const target = canonicalStage(stage)
    const number = versionText(version)
    if (archiveExistingVersions && !ACTIVE_STAGES.includes(target)) {
      throw invalidParameter(`Model version transition cannot archive existing model versions because '${stage}' is not an Active stage. Valid stages are [${ACTIVE_STAGES.map(known => `'${known}'`).join(', ')}]`)
    }
    const answer = await this.send<VersionAnswer>('POST', 'model-versions/transition-stage', {
      name, version: number, stage: target, archive_existing_versions: archiveExistingVersions === true,
    }, true)
    return readModelVersion(answer.model_version)
  }

  async setModelVersionTag(name: string, version: VersionNumber, key: string, value: string): Promise<void> {
    validateModelName(name)
    const number = versionText(version)
    validateRegistryTag(key, value)
    await this.send('POST', 'model-versions/set-tag', { name, version: number, key, value }, true)
  }

  async deleteModelVersionTag(name: string, version: VersionNumber, key: string): Promise<void> {
    validateModelName(name)
    await this.send('DELETE', 'model-versions/delete-tag', { name, version: versionText(version), key }, true)
  }

  // Aliases

  async setRegisteredModelAlias(name: string, alias: string, version: VersionNumber): Promise<void> {
    validateModelName(name)
    validateAliasName(alias)
    await this.send('POST', 'registered-models/alias', { name, alias, version: versionText(version) }, true)
  }

  async deleteRegisteredModelAlias(name: string, alias: string): Promise<void> {
    validateModelName(name)
    validateAliasName(alias)
    await this.send('DELETE', 'registered-models/alias', { name, alias }, true)
  }

  async getModelVersionByAlias(name: string, alias: string): Promise<ModelVersion> {
    validateModelName(name)
    validateAliasName(alias)
    return readModelVersion((await this.send<VersionAnswer>('GET', 'registered-models/alias', { name, alias }, true)).model_version)
  }
}
