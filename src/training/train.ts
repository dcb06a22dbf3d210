/**
 * Trains a model from a TrainingSpec with autolog on, reporting progress and honouring cancel.
 * The worker only calls this; it works the same in a window or in Node.
 */
import type { LayersModel, Tensor } from '@tensorflow/tfjs'
import { MlflowError } from '../core/errors.ts'
import type { RunStatus } from '../core/types.ts'
import { DEFAULT_TRACKING_URI } from '../store/uri.ts'
import { autolog, stopTraining } from '../tfjs/autolog.ts'
import { loadTf } from '../tfjs/load-tf.ts'
import * as fluent from '../tracking/fluent.ts'
import { useBackend, type WasmPaths } from './backend.ts'
import { startHeartbeat } from './heartbeat.ts'
import { buildModel } from './presets.ts'
import { createProgressCallback } from './progress-callback.ts'
import type { DatasetSpec, TrainingProgress, TrainingResult, TrainingSpec } from './spec.ts'
import { loadTrainingTable, trainingTensors } from './training-data.ts'

export interface TrainOptions {
  onProgress?: (progress: TrainingProgress) => void
  /** Aborting stops training after the current batch; the run ends KILLED and keeps what was logged. */
  signal?: AbortSignal
  /** Where the wasm backend's binaries are served (the worker entry passes Vite `?url` imports). */
  wasmPaths?: WasmPaths
  /** Where a browser fetches the built-in CSVs (default `/datasets/`). */
  datasetBaseUrl?: string
  /** Minimum time between batch progress events. Default 100 ms. */
  batchProgressIntervalMs?: number
}

/** The tag saying where a run was trained: `worker` or `window` (or `node`). */
export const TRAINED_IN_TAG = 'lablog.training.context'
export const TRAINING_SPEC_FILE = 'training_spec.json'

// One training at a time per realm: the fluent API's active run and autolog's options are per realm.
let queue: Promise<unknown> = Promise.resolve()

function trainingContext(): string {
  const scope = globalThis as { WorkerGlobalScope?: unknown; window?: unknown }
  return scope.WorkerGlobalScope !== undefined ? 'worker' : scope.window !== undefined ? 'window' : 'node'
}

/** The spec as saved with the run: inline rows and CSV text are summarised, not copied. */
function specForRecord(spec: TrainingSpec): TrainingSpec {
  const dataset = spec.dataset
  const summary: DatasetSpec = 'features' in dataset ? { ...dataset, features: [], targets: [] }
    : 'csv' in dataset ? { ...dataset, csv: `<${dataset.csv.length} characters>` } : dataset
  return { ...spec, dataset: summary }
}

const datasetName = (dataset: DatasetSpec) => ('builtin' in dataset ? dataset.builtin : dataset.name)

/** Trains as the spec says; resolves with the run's outcome (KILLED when cancelled), rejects when training fails. */
export function train(spec: TrainingSpec, options: TrainOptions = {}): Promise<TrainingResult> {
  const result = queue.then(() => trainNow(spec, options))
  queue = result.catch(() => {})
  return result
}

async function trainNow(spec: TrainingSpec, options: TrainOptions): Promise<TrainingResult> {
  if (options.signal?.aborted) throw new MlflowError('CANCELLED', 'Training was cancelled before it started.')
  const tf = await loadTf()
  const backend = await useBackend(tf, spec.backend ?? 'auto', options.wasmPaths)
  const trackingUri = spec.trackingUri ?? DEFAULT_TRACKING_URI
  if (fluent.getTrackingUri() !== trackingUri) fluent.setTrackingUri(trackingUri)
  const experiment = spec.experiment?.id !== undefined ? await fluent.setExperiment({ experimentId: spec.experiment.id })
    : spec.experiment?.name ? await fluent.setExperiment(spec.experiment.name) : undefined
  const table = await loadTrainingTable(spec.dataset, options.datasetBaseUrl)
  const seed = spec.seed ?? 0
  const epochs = spec.fit?.epochs ?? 20

  const client = fluent.getClient()
  const run = await fluent.startRun({
    ...(spec.runName ? { runName: spec.runName } : {}),
    ...(experiment ? { experimentId: experiment.experimentId } : {}),
    nested: Boolean(await fluent.activeRun()),
    ...(spec.parentRunId ? { parentRunId: spec.parentRunId } : {}),
    tags: { ...spec.tags, [TRAINED_IN_TAG]: trainingContext() },
  })
  const runId = run.info.runId
  const heartbeat = await startHeartbeat(client, runId, spec.heartbeatIntervalMs)
  let status: RunStatus = 'FAILED'
  let model: LayersModel | undefined
  let tensors: Tensor[] = []
  let progress: ReturnType<typeof createProgressCallback> | undefined
  const cancel = () => { if (model) stopTraining(model) }
  options.signal?.addEventListener('abort', cancel)
  try {
    await client.logBatch(runId, {
      params: [
        { key: 'dataset', value: datasetName(spec.dataset) },
        { key: 'model_preset', value: 'preset' in spec.model ? spec.model.preset : 'layers-json' },
        { key: 'seed', value: seed },
      ],
    })
    await client.logDict(runId, specForRecord(spec), TRAINING_SPEC_FILE)
    model = await buildModel(tf, spec.model, spec.compile ?? {}, table, { seed, ...(spec.standardize !== undefined ? { standardize: spec.standardize } : {}) })
    const { x, y } = trainingTensors(tf, table, seed)
    tensors = [x, y]
    await autolog({ ...spec.autolog })
    progress = createProgressCallback(tf, {
      runId, epochs, shouldStop: () => options.signal?.aborted === true, ...(options.onProgress ? { onProgress: options.onProgress } : {}),
      ...(options.batchProgressIntervalMs !== undefined ? { batchIntervalMs: options.batchProgressIntervalMs } : {}),
    })
    options.onProgress?.({ type: 'started', runId, experimentId: run.info.experimentId, backend, epochs })
    if (options.signal?.aborted) stopTraining(model)
    else {
      await model.fit(x, y, {
        epochs,
        batchSize: spec.fit?.batchSize ?? 32,
        validationSplit: spec.fit?.validationSplit ?? 0.2,
        shuffle: spec.fit?.shuffle ?? true,
        verbose: 0,
        callbacks: [progress],
      })
    }
    status = options.signal?.aborted ? 'KILLED' : 'FINISHED'
  } finally {
    options.signal?.removeEventListener('abort', cancel)
    progress?.close()
    await heartbeat.stop()
    await fluent.endRun(status, runId)
    tf.dispose(tensors)
    model?.dispose()
  }
  const logged = status === 'FINISHED' && spec.autolog?.logModels !== false && spec.autolog?.disable !== true
  return {
    runId, experimentId: run.info.experimentId, status, epochs: progress?.epochsDone ?? 0,
    metrics: progress?.lastEpochMetrics ?? {}, backend, ...(logged ? { modelUri: `runs:/${runId}/model` } : {}),
  }
}
