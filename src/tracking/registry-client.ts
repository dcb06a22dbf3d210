/**
 * The model registry half of MlflowClient (MLflow's client registry methods, camelCase), over the
 * registry store of the tracking URI. MlflowClient extends it, so users call both on one client.
 */
import { MlflowError, isMlflowError } from '../core/errors.ts'
import { pythonStr } from '../core/python-str.ts'
import type { ModelVersion, ModelVersionStage, RegisteredModel } from '../core/types.ts'
import { type ModelsUriRegistry, modelVersionForUri } from '../models/registry-uri.ts'
import type { ModelRegistryStore, VersionNumber } from '../store/registry-store.ts'
import type { Stores } from '../store/uri.ts'

/** search_registered_models and search_model_versions arguments. */
export interface SearchRegistryOptions {
  filter?: string
  orderBy?: string[]
  maxResults?: number
  pageToken?: string
}

/** Tags and description for a new registered model or model version; tag values are stringified as Python's str() does. */
export interface RegistryEntityOptions { tags?: Record<string, unknown>; description?: string }

const toEntries = (record: Record<string, unknown> = {}) =>
  Object.entries(record).map(([key, value]) => ({ key, value: pythonStr(value) }))

/**
 * MLflow's client registry methods over the stores of one tracking URI. Every method is async, so a
 * missing registry or a bad argument is a rejection, never a synchronous throw.
 */
export class RegistryClient {
  constructor(protected readonly stores: Stores) {}

  /** The registry store; NOT_IMPLEMENTED for a backend without one. */
  private get registry(): ModelRegistryStore {
    const registry = this.stores.registry
    if (!registry) throw new MlflowError('NOT_IMPLEMENTED', 'This tracking URI has no model registry yet; use an indexeddb:// tracking URI.')
    return registry
  }

  // Registered models

  /** RESOURCE_ALREADY_EXISTS when the name is taken. */
  async createRegisteredModel(name: string, options: RegistryEntityOptions = {}): Promise<RegisteredModel> {
    return this.registry.createRegisteredModel(name, { tags: toEntries(options.tags), description: options.description })
  }
  async getRegisteredModel(name: string): Promise<RegisteredModel> { return this.registry.getRegisteredModel(name) }
  /** Its versions, tags and aliases follow the new name. */
  async renameRegisteredModel(name: string, newName: string): Promise<RegisteredModel> { return this.registry.renameRegisteredModel(name, newName) }
  async updateRegisteredModel(name: string, description = ''): Promise<RegisteredModel> { return this.registry.updateRegisteredModel(name, description) }
  /** Deletes the model and all of its versions. */
  async deleteRegisteredModel(name: string): Promise<void> { return this.registry.deleteRegisteredModel(name) }
  /** Filter on `name` and `tags.<key>` (= != LIKE ILIKE); at most 1000 per page, 100 by default. */
  async searchRegisteredModels(options: SearchRegistryOptions = {}): Promise<{ registeredModels: RegisteredModel[]; nextPageToken?: string }> {
    const page = await this.registry.searchRegisteredModels(options)
    return { registeredModels: page.items, ...(page.nextPageToken ? { nextPageToken: page.nextPageToken } : {}) }
  }
  async setRegisteredModelTag(name: string, key: string, value: unknown): Promise<void> {
    return this.registry.setRegisteredModelTag(name, key, pythonStr(value))
  }
  async deleteRegisteredModelTag(name: string, key: string): Promise<void> { return this.registry.deleteRegisteredModelTag(name, key) }
  /** The highest version in each of `stages` (every stage when omitted). */
  async getLatestVersions(name: string, stages?: string[]): Promise<ModelVersion[]> { return this.registry.getLatestVersions(name, stages) }

  // Model versions

  /**
   * A new version of the model from `source`: a `runs:/<runId>/<path>` URI (stored as the run's
   * artifact location, with the run id) or any other location with an optional `runId`.
   */
  async createModelVersion(name: string, source: string, runId?: string, options: RegistryEntityOptions & { runLink?: string } = {}): Promise<ModelVersion> {
    return this.registry.createModelVersion({
      name, source, runId, tags: toEntries(options.tags), description: options.description, runLink: options.runLink,
    })
  }
  async getModelVersion(name: string, version: VersionNumber): Promise<ModelVersion> { return this.registry.getModelVersion(name, version) }
  async updateModelVersion(name: string, version: VersionNumber, description = ''): Promise<ModelVersion> {
    return this.registry.updateModelVersion(name, version, description)
  }
  /** Deletes the version and its aliases; its number is not reused. */
  async deleteModelVersion(name: string, version: VersionNumber): Promise<void> { return this.registry.deleteModelVersion(name, version) }
  async getModelVersionDownloadUri(name: string, version: VersionNumber): Promise<string> { return this.registry.getModelVersionDownloadUri(name, version) }
  /** Filter on name, version_number, run_id (also IN), source_path and tags.<key>. */
  async searchModelVersions(options: SearchRegistryOptions = {}): Promise<{ modelVersions: ModelVersion[]; nextPageToken?: string }> {
    const page = await this.registry.searchModelVersions(options)
    return { modelVersions: page.items, ...(page.nextPageToken ? { nextPageToken: page.nextPageToken } : {}) }
  }
  /** With `archiveExistingVersions` (Staging and Production only), the model's other versions in `stage` become Archived. */
  async transitionModelVersionStage(name: string, version: VersionNumber, stage: ModelVersionStage | string, archiveExistingVersions = false): Promise<ModelVersion> {
    return this.registry.transitionModelVersionStage(name, version, stage, archiveExistingVersions)
  }
  async setModelVersionTag(name: string, version: VersionNumber, key: string, value: unknown): Promise<void> {
    return this.registry.setModelVersionTag(name, version, key, pythonStr(value))
  }
  async deleteModelVersionTag(name: string, version: VersionNumber, key: string): Promise<void> {
    return this.registry.deleteModelVersionTag(name, version, key)
  }

  // Aliases

  /** Points `alias` at the version, moving it from another version if needed. */
  async setRegisteredModelAlias(name: string, alias: string, version: VersionNumber): Promise<void> {
    return this.registry.setRegisteredModelAlias(name, alias, version)
  }
  async deleteRegisteredModelAlias(name: string, alias: string): Promise<void> { return this.registry.deleteRegisteredModelAlias(name, alias) }
  /** INVALID_PARAMETER_VALUE "Registered model alias … not found." when unset, as MLflow answers. */
  async getModelVersionByAlias(name: string, alias: string): Promise<ModelVersion> { return this.registry.getModelVersionByAlias(name, alias) }
}

/**
 * MLflow's register_model: creates the registered model when no model has `name`, then a new
 * version from `modelUri` (`runs:/<runId>/<path>`, `models:/…` to copy another version's source
 * and run, or a plain location). `tags` go on the new version, as in MLflow.
 */
export async function registerModelVersion(
  client: RegistryClient & ModelsUriRegistry, modelUri: string, name: string, options: { tags?: Record<string, unknown> } = {},
): Promise<ModelVersion> {
  let source = modelUri
  let runId: string | undefined
  if (typeof modelUri === 'string' && modelUri.toLowerCase().startsWith('models:')) {
    const registered = await modelVersionForUri(modelUri, client)
    source = registered.source
    runId = registered.runId || undefined
  }
  try {
    await client.createRegisteredModel(name)
  } catch (error) {
    if (!isMlflowError(error, 'RESOURCE_ALREADY_EXISTS')) throw error
  }
  return client.createModelVersion(name, source, runId, { tags: options.tags })
}
