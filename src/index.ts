/** Lablog's public API: everything a user imports comes from here, and nothing else is public. */
export { mlflow, MlflowClient, setUserName } from './tracking/index.ts'
export type { ActiveRun, StartRunOptions, MetricOptions, SearchExperimentsOptions, SearchRunsOptions } from './tracking/index.ts'
export { MlflowError, isMlflowError } from './core/errors.ts'
export type { ErrorCode } from './core/errors.ts'
export { DEFAULT_TRACKING_URI } from './store/uri.ts'
export type {
  Dataset, DatasetInput, Experiment, FileInfo, LifecycleStage, Metric, Param, Run, RunData, RunInfo, RunStatus, RunTag, ViewType,
} from './core/types.ts'
