/**
 * The window side of evaluation in a worker: starts the worker lazily (one at a time, reused while
 * evaluations keep coming, ended when idle), forwards progress and cancel, and logs the prepared result
 * on this thread so the active-run rules of `mlflow.evaluate` hold.
 */
import { proxy, wrap, type Remote } from 'comlink'
import { installErrorTransfer } from '../core/error-transfer.ts'
import { MlflowError } from '../core/errors.ts'
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

/** The worker and, for each evaluation in flight, how to reject it when the worker dies. */
interface Slot { worker: Worker; api: Remote<EvaluateWorkerApi>; failures: Set<(error: Error) => void> }

/** Runs `mlflow.evaluate` with the heavy part (parsing, prediction, metrics, PNGs) in a Web Worker. */
export class EvaluateBridge {
  private slot: Slot | null = null
  private busy = 0
  private idleTimer: ReturnType<typeof setTimeout> | undefined
  private nextId = 0

  constructor(private readonly options: EvaluateBridgeOptions) {
    installErrorTransfer()
  }

  /** Whether a worker is alive now. */
  get hasWorker(): boolean { return this.slot !== null }

  /**
   * Evaluates like `mlflow.evaluate` (same options, except models are URIs and there are no extra metric
   * functions), computing in the worker and logging here. Resolves with the EvaluationResult.
   */
  async evaluate(options: WorkerEvaluateOptions, control: BridgeEvaluateOptions = {}): Promise<EvaluationResult> {
    checkWorkerOptions(options)
    checkEvaluateOptions(options)
    if (control.signal?.aborted) throw new MlflowError('CANCELLED', 'The evaluation was cancelled before it started.')
    if (options.runId !== undefined) await checkRunForLogging(fluent.getClient(), options.runId)
    const slot = this.acquire()
    const id = `evaluation-${++this.nextId}`
    const cancel = () => { void slot.api.cancel(id).catch(() => {}) }
    control.signal?.addEventListener('abort', cancel)
    let fail: (error: Error) => void = () => {}
    const died = new Promise<never>((_, reject) => { fail = reject })
    slot.failures.add(fail)
    let prepared
    try {
      const progress = control.onProgress ? proxy(control.onProgress) : undefined
      prepared = await Promise.race([slot.api.prepare(id, options, fluent.getTrackingUri(), progress), died])
    } finally {
      control.signal?.removeEventListener('abort', cancel)
      slot.failures.delete(fail)
      this.release()
    }
    if (control.signal?.aborted) throw new MlflowError('CANCELLED', 'The evaluation was cancelled before anything was logged.')
    return logEvaluation(prepared, { runId: options.runId, validationThresholds: options.validationThresholds, onProgress: control.onProgress })
  }

  /** Ends the worker now; evaluations in flight reject with CANCELLED and log nothing. */
  terminate(): void {
    this.kill(new MlflowError('CANCELLED', 'The evaluate worker was terminated before the evaluation ended.'))
  }

  private acquire(): Slot {
    clearTimeout(this.idleTimer)
    this.busy++
    if (this.slot) return this.slot
    const worker = this.options.createWorker()
    const slot: Slot = { worker, api: wrap<EvaluateWorkerApi>(worker), failures: new Set() }
    worker.addEventListener('error', (event) => {
      event.preventDefault()
      this.kill(new MlflowError('INTERNAL_ERROR', `The evaluate worker failed: ${event.message || 'it could not start'}.`))
    })
    this.slot = slot
    return slot
  }

  private release(): void {
    this.busy = Math.max(0, this.busy - 1)
    if (this.busy === 0 && this.slot) this.idleTimer = setTimeout(() => this.kill(), this.options.idleTimeoutMs ?? 30_000)
  }

  private kill(reason?: Error): void {
    const slot = this.slot
    if (!slot) return
    this.slot = null
    this.busy = 0
    clearTimeout(this.idleTimer)
    slot.worker.terminate()
    if (reason) for (const fail of slot.failures) fail(reason)
  }
}
