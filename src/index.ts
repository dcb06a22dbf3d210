/** Lablog's public API: everything a user imports comes from here, and nothing else is public. */
export { mlflow, MlflowClient, setUserName } from './tracking/index.ts'
export type { ActiveRun, StartRunOptions, MetricOptions, SearchExperimentsOptions, SearchRunsOptions } from './tracking/index.ts'
export { MlflowError, isMlflowError } from './core/errors.ts'
export type { ErrorCode } from './core/errors.ts'
export { DEFAULT_TRACKING_URI } from './store/uri.ts'
export type {
  Dataset, DatasetInput, Experiment, FileInfo, LifecycleStage, Metric, Param, Run, RunData, RunInfo, RunStatus, RunTag, ViewType,
} from './core/types.ts'
export { watchStore, getMetricColumnsTail } from './tracking/watch.ts'
export type { StoreChange, WatchOptions, MetricTail } from './tracking/watch.ts'
export type { MetricColumns } from './store/tracking-store.ts'
// Model registry
export { RegistryClient } from './tracking/registry-client.ts'
export type { RegistryEntityOptions, SearchRegistryOptions } from './tracking/registry-client.ts'
export type {
  ModelVersion, ModelVersionStage, ModelVersionStatus, RegisteredModel, RegisteredModelAlias,
} from './core/types.ts'
export { MODEL_VERSION_STAGES } from './core/types.ts'
export { parseModelsUri, resolveModelsUri } from './models/registry-uri.ts'
export type { ModelsUri, ModelsUriRegistry } from './models/registry-uri.ts'
export type { ModelRegistryStore } from './store/registry-store.ts'
// TensorFlow.js: autolog, the tfjs model flavor, MLmodel files, built-in datasets, training in workers
export { tfjs, AUTOLOG_DEFAULTS } from './tfjs/index.ts'
export type { AutologOptions, ColumnarData, LogModelOptions, ModelInfo, PredictInput, PredictOptions, ResolvedModel } from './tfjs/index.ts'
export { parseMlModel, mlModelToYaml, resolveModelUri, parseRunsUri } from './models/index.ts'
export type { ColumnSpec, InputExample, MlModel, ModelLocation, ModelSignature, SchemaSpec, TensorSpec } from './models/index.ts'
export { BUILTIN_DATASETS, loadBuiltinDataset, parseNumericCsv } from './datasets/index.ts'
export type { BuiltinDataset, BuiltinDatasetInfo, BuiltinDatasetName, NumericTable } from './datasets/index.ts'
export { TrainingBridge } from './training/bridge.ts'
export type { BridgeTrainOptions, TrainingBridgeOptions } from './training/bridge.ts'
export { train } from './training/train.ts'
export type { TrainOptions } from './training/train.ts'
export type { BackendChoice, CompileSpec, DatasetSpec, FitSpec, ModelSpec, TrainingProgress, TrainingResult, TrainingSpec } from './training/spec.ts'
export { markStaleRunsKilled, HEARTBEAT_TAG } from './training/heartbeat.ts'
export { installErrorTransfer } from './core/error-transfer.ts'
// Archives: MLflow file store (mlruns) and mlflow-export-import zips, export and import
export { exportArchive, exportArchiveBlob, importArchive, DEFAULT_ZIP_LIMITS } from './archive/index.ts'
export type {
  ArchiveFormat, ArchiveManifest, ArchiveProgress, ExportArchiveOptions, ExportImportLayout, ImportArchiveOptions, ImportArchiveResult, RunConflictPolicy, ZipLimits,
} from './archive/index.ts'
// Tracking servers (REST API 2.0): per-server options, and pushing local runs to a server
export { configureRemote } from './store/rest/remote-options.ts'
export type { RemoteOptions, RetryPolicy } from './store/rest/remote-options.ts'
export type { RestAuth } from './store/rest/auth.ts'
export { pushRuns } from './sync/push.ts'
export type { PushOptions, PushProgress, PushedRun } from './sync/push.ts'
export { SOURCE_RUN_TAG } from './sync/push.ts'
export { pullRuns, PULLED_FROM_TAG } from './sync/pull.ts'
export type { PullOptions, PullProgress, PulledRun } from './sync/pull.ts'
export { replayOutbox, getOutbox, watchOutbox, discardOutboxEntry, OUTBOX_SYNC_TAG, CLIENT_RUN_TAG } from './sync/outbox.ts'
export type { OutboxEntry, OutboxLocation, ReplayResult } from './sync/outbox.ts'
export type { OutboxOp } from './sync/outbox-queue.ts'
// mlflow.evaluate: MLflow's default evaluator (metrics, plots as PNG + plotly JSON), model validation, a worker bridge
export { EvaluateBridge } from './evaluate/worker-bridge.ts'
export type { BridgeEvaluateOptions, EvaluateBridgeOptions } from './evaluate/worker-bridge.ts'
export type { WorkerEvaluateOptions } from './evaluate/worker-api.ts'
export type { EvaluateOptions, EvaluationResult } from './evaluate/evaluate.ts'
export type { EvaluateComputeOptions, EvaluationProgress } from './evaluate/prepare-evaluation.ts'
export type { EvaluationData } from './evaluate/data.ts'
export type { EvaluateModel, LayersModelLike, ModelCallInfo, ModelFunction, ModelOutput } from './evaluate/model-adapter.ts'
export type { EvaluatorConfig, ExtraMetric, ExtraMetricValue, Label as EvaluationLabel } from './evaluate/types.ts'
export { ModelValidationFailedError, checkMetricThresholds, isModelValidationFailure, validateEvaluationResults } from './evaluate/validation.ts'
export type { MetricThreshold, MetricValidationFailure, ValidationCheck, ValidationResult } from './evaluate/validation.ts'
