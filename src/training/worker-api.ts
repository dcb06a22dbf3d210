/**
 * The API a training worker exposes through comlink: train with a progress proxy, cancel by id.
 * Everything crossing it is structured-cloneable; errors keep their errorCode (error-transfer.ts).
 */
import { releaseProxy, type Remote } from 'comlink'
import type { WasmPaths } from './backend.ts'
import type { TrainingProgress, TrainingResult, TrainingSpec } from './spec.ts'
import { train } from './train.ts'

/** Set by the worker entry: what only a bundled worker knows (served wasm binaries, the app's base URL). */
export interface TrainingWorkerConfig {
  wasmPaths?: WasmPaths
  datasetBaseUrl?: string
}

export interface TrainingWorkerApi {
  /** Trains; `onProgress` is a comlink proxy of the window's callback. */
  train(trainingId: string, spec: TrainingSpec, onProgress?: (progress: TrainingProgress) => void): Promise<TrainingResult>
  /** Cancels a training by id: it stops after the current batch and its run ends KILLED. Unknown ids are ignored. */
  cancel(trainingId: string): void
}

/** The worker's API object, for `expose(createTrainingWorkerApi(config))`. */
export function createTrainingWorkerApi(config: TrainingWorkerConfig = {}): TrainingWorkerApi {
  const controllers = new Map<string, AbortController>()
  return {
    async train(trainingId, spec, onProgress) {
      const controller = new AbortController()
      controllers.set(trainingId, controller)
      try {
        return await train(spec, {
          signal: controller.signal,
          ...(config.wasmPaths ? { wasmPaths: config.wasmPaths } : {}),
          ...(config.datasetBaseUrl ? { datasetBaseUrl: config.datasetBaseUrl } : {}),
          // Progress is fire-and-forget: training never waits for the window to handle an event.
          ...(onProgress ? { onProgress: (progress: TrainingProgress) => { void Promise.resolve(onProgress(progress)).catch(() => {}) } } : {}),
        })
      } finally {
        controllers.delete(trainingId)
        ;(onProgress as Partial<Remote<unknown>> | undefined)?.[releaseProxy]?.()
      }
    },
    cancel(trainingId) {
      controllers.get(trainingId)?.abort()
    },
  }
}
