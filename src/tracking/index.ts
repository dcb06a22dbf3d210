/** The `mlflow` namespace object: the fluent functions, gathered as MLflow's module exposes them. */
import * as fluent from './fluent.ts'

export const mlflow = { ...fluent }
export type { ActiveRun, StartRunOptions } from './fluent.ts'
export { MlflowClient } from './client.ts'
export type { MetricOptions, SearchExperimentsOptions, SearchRunsOptions } from './client.ts'
export { setUserName } from './context.ts'
