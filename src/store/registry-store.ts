/**
 * The contract every model registry backend meets (MLflow's model registry AbstractStore, in
 * camelCase): registered models, their versions, tags, stages and aliases, failing with MLflow's codes.
 */
import type {
  ModelVersion, ModelVersionStage, Page, RegisteredModel, RunTag, SearchModelVersionsQuery, SearchRegisteredModelsQuery,
} from '../core/types.ts'

export type {
  ModelVersion, ModelVersionStage, ModelVersionStatus, RegisteredModel, RegisteredModelAlias,
  SearchModelVersionsQuery, SearchRegisteredModelsQuery,
} from '../core/types.ts'

/** A version is an integer; callers may pass it as MLflow's string ('3') or as a number. */
export type VersionNumber = string | number

/** What a new model version is made from. */
export interface CreateModelVersionRequest {
  name: string
  /**
   * Where the model is. A `runs:/<runId>/<path>` URI is stored resolved, as the run's artifact URI
   * + '/' + path (what MLflow writes), and gives the version its run id.
   */
  source: string
  /** The run that logged the model; must agree with the run of a `runs:/` source. */
  runId?: string
  tags?: RunTag[]
  description?: string
  runLink?: string
}

/** A model registry backend. Writes are validated first, then applied whole or not at all. */
export interface ModelRegistryStore {
  /** RESOURCE_ALREADY_EXISTS when the name is taken; INVALID_PARAMETER_VALUE for a bad name or tag. */
  createRegisteredModel(name: string, options?: { tags?: RunTag[]; description?: string }): Promise<RegisteredModel>
  /** RESOURCE_DOES_NOT_EXIST when absent. */
  getRegisteredModel(name: string): Promise<RegisteredModel>
  /** Renames the model; its versions, tags and aliases follow. RESOURCE_ALREADY_EXISTS when `newName` is taken. */
  renameRegisteredModel(name: string, newName: string): Promise<RegisteredModel>
  updateRegisteredModel(name: string, description: string): Promise<RegisteredModel>
  /** Deletes the model with all its versions; a model created later under the name counts from 1 again. */
  deleteRegisteredModel(name: string): Promise<void>
  /** Filter on `name` and `tags.<key>`; order by name, creation_timestamp, last_updated_timestamp. */
  searchRegisteredModels(query?: SearchRegisteredModelsQuery): Promise<Page<RegisteredModel>>
  /** The highest version in each of `stages` (every stage when empty or omitted), in MLflow's stage order. */
  getLatestVersions(name: string, stages?: string[]): Promise<ModelVersion[]>
  setRegisteredModelTag(name: string, key: string, value: string): Promise<void>
  /** The model must exist; an absent tag is not an error (as in MLflow's stores). */
  deleteRegisteredModelTag(name: string, key: string): Promise<void>

  /** The next integer version of the model (numbers of deleted versions are not reused), READY, stage None. */
  createModelVersion(request: CreateModelVersionRequest): Promise<ModelVersion>
  /** RESOURCE_DOES_NOT_EXIST for an unknown model or version. */
  getModelVersion(name: string, version: VersionNumber): Promise<ModelVersion>
  updateModelVersion(name: string, version: VersionNumber, description: string): Promise<ModelVersion>
  /** Deletes the version and the aliases pointing at it. */
  deleteModelVersion(name: string, version: VersionNumber): Promise<void>
  /** Where the version's files are (its source). */
  getModelVersionDownloadUri(name: string, version: VersionNumber): Promise<string>
  /** Filter on name, version_number, run_id, source_path and tags.<key>. */
  searchModelVersions(query?: SearchModelVersionsQuery): Promise<Page<ModelVersion>>
  /**
   * Moves the version to `stage` (any letter case). With `archiveExistingVersions` (only for
   * Staging and Production) the model's other versions in that stage move to Archived.
   */
  transitionModelVersionStage(name: string, version: VersionNumber, stage: ModelVersionStage | string, archiveExistingVersions: boolean): Promise<ModelVersion>
  setModelVersionTag(name: string, version: VersionNumber, key: string, value: string): Promise<void>
  /** The version must exist; an absent tag is not an error. */
  deleteModelVersionTag(name: string, version: VersionNumber, key: string): Promise<void>

  /** Points the alias at the version, moving it from any other version. */
  setRegisteredModelAlias(name: string, alias: string, version: VersionNumber): Promise<void>
  /** The model must exist; an absent alias is not an error. */
  deleteRegisteredModelAlias(name: string, alias: string): Promise<void>
  /** INVALID_PARAMETER_VALUE "Registered model alias … not found." when unset: MLflow's own code for it. */
  getModelVersionByAlias(name: string, alias: string): Promise<ModelVersion>
}
