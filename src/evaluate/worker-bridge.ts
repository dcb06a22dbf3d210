/**
 * The window side of evaluation in a worker: starts the worker lazily (one at a time, reused while
 * evaluations keep coming, ended when idle), forwards progress and cancel, and logs the prepared result
 * on this thread so the active-run rules of `mlflow.evaluate` hold.
 */
import { proxy } from 'comlink'
import { MlflowError } from '../core/errors.ts'
import { LazyWorker } from '../core/lazy-worker.ts'
import * as fluent from '../tracking/fluent.ts'
import { checkRunForLogging, type EvaluationResult, logEvaluation } from './evaluate.ts'
import { checkEvaluateOptions, type EvaluationProgress } from './prepare-evaluation.ts'
import { checkWorkerOptions, type EvaluateWorkerApi, type WorkerEvaluateOptions } from './worker-api.ts'

export interface EvaluateBridgeOptions {
  /** Makes an evaluate worker; the app passes `createEvaluateWorker` from workers/. */
  createWorker: () => Worker
  /** An idle worker is ended after this long. Default 30 s. */
  idleTimeoutMs?: number
}

export interface BridgeEvaluateOptions {
  onProgress?: (progress: EvaluationProgress) => void
  /** Aborting before logging starts cancels with CANCELLED; nothing is logged. */
  signal?: AbortSignal
}

/** Runs `mlflow.evaluate` with the heavy part (parsing, prediction, metrics, PNGs) in a Web Worker. */
export class EvaluateBridge {
  private readonly worker: LazyWorker<EvaluateWorkerApi>

  constructor(options: EvaluateBridgeOptions) {
    this.worker = new LazyWorker('evaluate', options.createWorker, options.idleTimeoutMs)
  }

  /** Whether a worker is alive now. */
  get hasWorker(): boolean { return this.worker.alive }

  /**
   * Evaluates like `mlflow.evaluate` (same options, except models are URIs and there are no extra metric
   * functions), computing in the worker and logging here. Resolves with the EvaluationResult.
   */
  async evaluate(options: WorkerEvaluateOptions, control: BridgeEvaluateOptions = {}): Promise<EvaluationResult> {
    checkWorkerOptions(options)
    checkEvaluateOptions(options)
    if (control.signal?.aborted) throw new MlflowError('CANCELLED', 'The evaluation was cancelled before it started.')
    if (options.runId !== undefined) await checkRunForLogging(fluent.getClient(), options.runId)
    const progress = control.onProgress ? proxy(control.onProgress) : undefined
    const prepared = await this.worker.run('evaluation', control.signal, (api, id) => api.prepare(id, options, fluent.getTrackingUri(), progress))
    if (control.signal?.aborted) throw new MlflowError('CANCELLED', 'The evaluation was cancelled before anything was logged.')
    return logEvaluation(prepared, { runId: options.runId, validationThresholds: options.validationThresholds, onProgress: control.onProgress })
  }

  /** Ends the worker now; evaluations in flight reject with CANCELLED and log nothing. */
  terminate(): void { this.worker.terminate() }
}
