/**
 * The window side of worker training: starts workers lazily (one per training in flight, idle ones
 * reused then ended), passes cancel, turns worker errors back into MlflowError, and before each
 * training marks runs left RUNNING by dead workers KILLED.
 */
import { proxy, wrap, type Remote } from 'comlink'
import { installErrorTransfer } from '../core/error-transfer.ts'
import { MlflowError } from '../core/errors.ts'
import { DEFAULT_TRACKING_URI } from '../store/uri.ts'
import { MlflowClient } from '../tracking/client.ts'
import { markStaleRunsKilled } from './heartbeat.ts'
import type { TrainingProgress, TrainingResult, TrainingSpec } from './spec.ts'
import type { TrainingWorkerApi } from './worker-api.ts'

export interface TrainingBridgeOptions {
  /** Makes a training worker; the app passes `createTrainingWorker` from workers/. */
  createWorker: () => Worker
  /** An idle worker is ended after this long. Default 60 s. */
  idleTimeoutMs?: number
  /** Heartbeat age after which a RUNNING run counts as abandoned. Default 30 s (see heartbeat.ts). */
  staleAfterMs?: number
}

export interface BridgeTrainOptions {
  onProgress?: (progress: TrainingProgress) => void
  /** Aborting cancels the training: its run ends KILLED and keeps what was logged. */
  signal?: AbortSignal
}

interface WorkerSlot {
  worker: Worker
  api: Remote<TrainingWorkerApi>
  busy: boolean
  idleTimer?: ReturnType<typeof setTimeout>
  /** Rejects the training in flight when the worker dies. */
  fail?: (error: Error) => void
}

export class TrainingBridge {
  private readonly slots = new Set<WorkerSlot>()
  private readonly recoveries = new Map<string, Promise<string[]>>()
  private nextTrainingId = 0

  constructor(private readonly options: TrainingBridgeOptions) {
    installErrorTransfer()
  }

  /** Workers alive now (busy or idle). */
  get workerCount(): number { return this.slots.size }

  /**
   * Marks KILLED the runs under this tracking URI that dead workers left RUNNING (stale heartbeat);
   * train() does it before every training. Concurrent calls share one check. Resolves with their ids.
   */
  recoverAbandonedRuns(trackingUri: string = DEFAULT_TRACKING_URI): Promise<string[]> {
    let check = this.recoveries.get(trackingUri)
    if (!check) {
      const staleAfter = this.options.staleAfterMs
      check = markStaleRunsKilled(new MlflowClient(trackingUri), staleAfter === undefined ? {} : { staleAfterMs: staleAfter })
        .finally(() => this.recoveries.delete(trackingUri))
      this.recoveries.set(trackingUri, check)
    }
    return check
  }

  /** Trains in a worker; resolves with the outcome (status KILLED when cancelled), rejects with the worker's MlflowError. */
  async train(spec: TrainingSpec, options: BridgeTrainOptions = {}): Promise<TrainingResult> {
    if (options.signal?.aborted) throw new MlflowError('CANCELLED', 'Training was cancelled before it started.')
    await this.recoverAbandonedRuns(spec.trackingUri ?? DEFAULT_TRACKING_URI).catch(() => [])
    // A stop asked for while abandoned runs were being checked: nothing has started yet.
    if (options.signal?.aborted) throw new MlflowError('CANCELLED', 'Training was cancelled before it started.')
    const slot = this.acquire()
    const trainingId = `training-${++this.nextTrainingId}`
    const cancel = () => { void slot.api.cancel(trainingId).catch(() => {}) }
    options.signal?.addEventListener('abort', cancel)
    const died = new Promise<never>((_, reject) => { slot.fail = reject })
    try {
      const progress = options.onProgress ? proxy(options.onProgress) : undefined
      return await Promise.race([slot.api.train(trainingId, spec, progress), died])
    } finally {
      options.signal?.removeEventListener('abort', cancel)
      delete slot.fail
      this.release(slot)
    }
  }

  /** Ends every worker now. Trainings in flight reject with CANCELLED; their runs stay RUNNING until their heartbeat goes stale. */
  terminate(): void {
    for (const slot of [...this.slots]) this.kill(slot, new MlflowError('CANCELLED', 'The training worker was terminated before training ended.'))
  }

  private acquire(): WorkerSlot {
    for (const slot of this.slots) {
      if (slot.busy) continue
      clearTimeout(slot.idleTimer)
      slot.busy = true
      return slot
    }
    const worker = this.options.createWorker()
    const slot: WorkerSlot = { worker, api: wrap<TrainingWorkerApi>(worker), busy: true }
    worker.addEventListener('error', event => {
      event.preventDefault()
      this.kill(slot, new MlflowError('INTERNAL_ERROR', `The training worker failed: ${event.message || 'it could not start'}.`))
    })
    this.slots.add(slot)
    return slot
  }

  private release(slot: WorkerSlot): void {
    if (!this.slots.has(slot)) return
    slot.busy = false
    slot.idleTimer = setTimeout(() => this.kill(slot), this.options.idleTimeoutMs ?? 60_000)
  }

  private kill(slot: WorkerSlot, reason?: Error): void {
    if (!this.slots.delete(slot)) return
    clearTimeout(slot.idleTimer)
    slot.worker.terminate()
    if (reason) slot.fail?.(reason)
  }
}
