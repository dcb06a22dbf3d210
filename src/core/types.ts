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
