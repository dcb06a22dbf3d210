/**
 * The API the evaluate worker exposes through comlink: prepare an evaluation (data, model, metrics, PNGs)
 * off the main thread, with a progress proxy and cancel by id. Logging stays with the window (bridge).
 */
import { releaseProxy, type Remote } from 'comlink'
import { invalidParameter } from '../core/errors.ts'
import { MlflowClient } from '../tracking/client.ts'
import type { EvaluateOptions } from './evaluate.ts'
import { cancellable, type EvaluationProgress, prepareEvaluation, type PreparedEvaluation } from './prepare-evaluation.ts'

/**
 * Evaluate options that can cross to a worker (structured-cloneable): models only as URIs, no functions
 * (extra metrics and function models run with `mlflow.evaluate` on the calling thread).
 */
export type WorkerEvaluateOptions = Omit<EvaluateOptions, 'model' | 'baselineModel' | 'extraMetrics' | 'onProgress' | 'signal'> & {
  model?: string
  baselineModel?: string
}

export interface EvaluateWorkerApi {
  /** Computes one evaluation; `onProgress` is a comlink proxy of the window's callback. */
  prepare(evaluationId: string, options: WorkerEvaluateOptions, trackingUri: string,
    onProgress?: (progress: EvaluationProgress) => void): Promise<PreparedEvaluation>
  /** Cancels an evaluation by id (it stops at its next step with CANCELLED). Unknown ids are ignored. */
  cancel(evaluationId: string): void
}

/** Rejects what cannot be sent to a worker, before anything is sent. */
export function checkWorkerOptions(options: WorkerEvaluateOptions): void {
  const raw = options as EvaluateOptions
  for (const key of ['model', 'baselineModel'] as const) {
    if (raw[key] !== undefined && typeof raw[key] !== 'string') {
      throw invalidParameter(`In a worker, ${key} must be a model URI (runs:/<run_id>/<path>): functions and loaded tfjs models cannot cross to a worker. Use mlflow.evaluate on this thread for those.`)
    }
  }
  if (raw.extraMetrics?.length) throw invalidParameter('extraMetrics hold functions, which cannot cross to a worker: use mlflow.evaluate on this thread for them.')
}

/** The worker's API object, for `expose(createEvaluateWorkerApi())`. */
export function createEvaluateWorkerApi(): EvaluateWorkerApi {
  const controllers = new Map<string, AbortController>()
  return {
    async prepare(evaluationId, options, trackingUri, onProgress) {
      const controller = new AbortController()
      controllers.set(evaluationId, controller)
      try {
        checkWorkerOptions(options)
        return await cancellable(() => prepareEvaluation(options, {
          client: new MlflowClient(trackingUri),
          signal: controller.signal,
          // Progress is fire-and-forget: the computation never waits for the window.
          ...(onProgress ? { onProgress: (progress: EvaluationProgress) => { void Promise.resolve(onProgress(progress)).catch(() => {}) } } : {}),
        }), controller.signal)
      } finally {
        controllers.delete(evaluationId)
        ;(onProgress as Partial<Remote<unknown>> | undefined)?.[releaseProxy]?.()
      }
    },
    cancel(evaluationId) {
      controllers.get(evaluationId)?.abort()
    },
  }
}
