/** MLflow's entities in camelCase. Ids are strings: MLflow's experiment ids can exceed 2^53. */

export type RunStatus = 'RUNNING' | 'SCHEDULED' | 'FINISHED' | 'FAILED' | 'KILLED'
export const RUN_STATUSES: readonly RunStatus[] = ['RUNNING', 'SCHEDULED', 'FINISHED', 'FAILED', 'KILLED']
export type LifecycleStage = 'active' | 'deleted'
/** Which runs or experiments a search sees, by lifecycle stage. */
export type ViewType = 'ACTIVE_ONLY' | 'DELETED_ONLY' | 'ALL'

export interface Experiment {
  experimentId: string
  name: string
  artifactLocation: string
  lifecycleStage: LifecycleStage
  tags: Record<string, string>
  creationTime: number
  lastUpdateTime: number
}

export interface RunInfo {
  runId: string
  runName: string
  experimentId: string
  userId: string
  status: RunStatus
  startTime: number
  endTime: number | null
  artifactUri: string
  lifecycleStage: LifecycleStage
}

export interface RunData {
  params: Record<string, string>
  /** The latest value of each metric (largest step, then timestamp, then value). */
  metrics: Record<string, number>
  tags: Record<string, string>
}

export interface Dataset {
  name: string
  digest: string
  sourceType: string
  source: string
  schema?: string
  profile?: string
}

export interface DatasetInput {
  dataset: Dataset
  tags: Record<string, string>
}

export interface Run {
  info: RunInfo
  data: RunData
  inputs: { datasetInputs: DatasetInput[] }
}

export interface Metric { key: string; value: number; timestamp: number; step: number }
export interface Param { key: string; value: string }
export interface RunTag { key: string; value: string }

export interface FileInfo { path: string; isDir: boolean; fileSize?: number }

export interface Page<T> { items: T[]; nextPageToken?: string }

export interface SearchRunsQuery {
  experimentIds: string[]
  filter?: string
  orderBy?: string[]
  maxResults?: number
  runViewType?: ViewType
  pageToken?: string
}

export interface SearchExperimentsQuery {
  filter?: string
  orderBy?: string[]
  maxResults?: number
  viewType?: ViewType
  pageToken?: string
}

// Model registry (MLflow's RegisteredModel and ModelVersion entities).

/** A model version's classic stage. Aliases (`champion`, …) are MLflow's newer way to mark versions. */
export type ModelVersionStage = 'None' | 'Staging' | 'Production' | 'Archived'
/** Every stage, in MLflow's order (ALL_STAGES). */
export const MODEL_VERSION_STAGES: readonly ModelVersionStage[] = ['None', 'Staging', 'Production', 'Archived']
/** A version's registration state; local versions are READY at once. */
export type ModelVersionStatus = 'PENDING_REGISTRATION' | 'FAILED_REGISTRATION' | 'READY'

/** One registered version of a model (MLflow's ModelVersion). */
export interface ModelVersion {
  name: string
  /** An integer written as a string, as MLflow sends it ('1', '2', …). */
  version: string
  creationTimestamp: number
  lastUpdatedTimestamp: number
  /** '' when unset. */
  description: string
  userId: string
  currentStage: ModelVersionStage
  /** Where the model's files are: for a `runs:/` source, the run's artifact URI + '/' + the model's path. */
  source: string
  /** The run that logged the model; '' when the version was created from a plain location. */
  runId: string
  runLink: string
  status: ModelVersionStatus
  statusMessage: string
  tags: Record<string, string>
  /** The registered model's aliases that point at this version. */
  aliases: string[]
}

/** One alias of a registered model and the version it points at. */
export interface RegisteredModelAlias { alias: string; version: string }

/** A named model with its versions' summary, tags and aliases (MLflow's RegisteredModel). */
export interface RegisteredModel {
  name: string
  creationTimestamp: number
  lastUpdatedTimestamp: number
  /** '' when unset. */
  description: string
  /** The highest version in each stage that has one. */
  latestVersions: ModelVersion[]
  tags: Record<string, string>
  aliases: RegisteredModelAlias[]
}

/** search_registered_models arguments. */
export interface SearchRegisteredModelsQuery { filter?: string; orderBy?: string[]; maxResults?: number; pageToken?: string }
/** search_model_versions arguments. */
export interface SearchModelVersionsQuery { filter?: string; orderBy?: string[]; maxResults?: number; pageToken?: string }
