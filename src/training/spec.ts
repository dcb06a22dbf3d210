/**
 * The training spec: everything a training run needs as plain, structured-cloneable data, so
 * the window can hand it to a worker (and a run's spec can be saved and replayed).
 */
import type { BuiltinDatasetName, DatasetTask } from '../datasets/catalog.ts'
import type { AutologOptions } from '../tfjs/autolog-options.ts'

/** A tfjs backend. webgpu needs `@tensorflow/tfjs-backend-webgpu`, which Lablog does not bundle. */
export type BackendName = 'cpu' | 'wasm' | 'webgl' | 'webgpu'
/** `auto`: wasm where its binaries are served (workers of the app), else tfjs's own default. */
export type BackendChoice = BackendName | 'auto'

/** Where the rows come from: a built-in dataset, rows given inline, or CSV text (an upload). */
export type DatasetSpec =
  | { builtin: BuiltinDatasetName }
  | {
    name: string
    features: number[][]
    targets: number[]
    task: DatasetTask
    featureNames?: string[]
    /** For classification; max(target) + 1 when absent. */
    classCount?: number
  }
  | { name: string; csv: string; task: DatasetTask; targetColumn?: string; classCount?: number }

/** A model to build: a preset, or a tfjs layers model JSON (what `model.toJSON(null, false)` returns). */
export type ModelSpec =
  | { preset: 'logistic-regression' }
  | { preset: 'mlp'; hiddenUnits?: number[]; activation?: 'relu' | 'tanh' | 'sigmoid' | 'elu'; dropout?: number }
  | { preset: 'cnn'; filters?: number[]; denseUnits?: number }
  | { layersJson: Record<string, unknown> | string }

export interface CompileSpec {
  /** Default `adam`. */
  optimizer?: 'adam' | 'sgd' | 'rmsprop' | 'adagrad' | 'adadelta' | 'adamax'
  /** The optimizer's default when absent (adam: 0.001). */
  learningRate?: number
  /** Default: categoricalCrossentropy for classification, meanSquaredError for regression. */
  loss?: string
  /** Default: ['accuracy'] for classification, ['mae'] for regression. */
  metrics?: string[]
}

export interface FitSpec {
  /** Default 20. */
  epochs?: number
  /** Default 32. */
  batchSize?: number
  /** Fraction of rows held out for val_ metrics, taken after a seeded shuffle. Default 0.2. */
  validationSplit?: number
  /** Shuffle batches every epoch (tfjs's own, unseeded shuffle). Default true. */
  shuffle?: boolean
}

export interface TrainingSpec {
  dataset: DatasetSpec
  model: ModelSpec
  compile?: CompileSpec
  fit?: FitSpec
  /** Autolog options for this training; logModels defaults to true as in mlflow.autolog. */
  autolog?: AutologOptions
  /** Experiment by name (created when absent) or id; the Default experiment when neither. */
  experiment?: { name?: string; id?: string }
  runName?: string
  /** Tags set on the run when it is created (e.g. a sweep's labels). */
  tags?: Record<string, string>
  /** Nest the run under this one (tag mlflow.parentRunId), as a sweep's children are. */
  parentRunId?: string
  /** Default `indexeddb://lablog`. */
  trackingUri?: string
  /** Default `auto`. */
  backend?: BackendChoice
  /** Seeds weight initialisation and the row order before the validation split. Default 0. */
  seed?: number
  /**
   * Presets only: put a fixed standardisation layer (features scaled to mean 0, std 1) in front,
   * so the logged model takes raw rows. Default true for tabular data; images are scaled to [0, 1].
   */
  standardize?: boolean
  /** How often the run's heartbeat tag is refreshed. Default 5000 ms. */
  heartbeatIntervalMs?: number
}

/** Progress a training reports: once started, after each epoch, and (throttled) after batches. */
export type TrainingProgress =
  | { type: 'started'; runId: string; experimentId: string; backend: string; epochs: number }
  | { type: 'epoch'; runId: string; epoch: number; epochs: number; metrics: Record<string, number> }
  | { type: 'batch'; runId: string; epoch: number; batch: number; metrics: Record<string, number> }

/** How a training ended. */
export interface TrainingResult {
  runId: string
  experimentId: string
  status: 'FINISHED' | 'FAILED' | 'KILLED'
  /** Epochs that completed. */
  epochs: number
  /** The last epoch's metrics under tfjs's names. */
  metrics: Record<string, number>
  /** `runs:/<runId>/model` when the model was logged. */
  modelUri?: string
  backend: string
}
