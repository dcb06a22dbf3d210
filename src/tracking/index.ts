/** The `mlflow` namespace object: the fluent functions, gathered as MLflow's module exposes them. */
import * as fluent from './fluent.ts'
import { autolog, tfjs } from '../tfjs/index.ts'
import { evaluate } from '../evaluate/evaluate.ts'
import { validateEvaluationResults } from '../evaluate/validation.ts'

export const mlflow = { ...fluent, autolog, tfjs, evaluate, validateEvaluationResults }
export type { ActiveRun, StartRunOptions } from './fluent.ts'
export { MlflowClient } from './client.ts'
export type { MetricOptions, SearchExperimentsOptions, SearchRunsOptions } from './client.ts'
export { setUserName } from './context.ts'
