/**
 * The autolog callback: a plain tfjs callback that queues epoch metrics (step = epoch) and,
 * when asked, batch metrics. It only reads the logs: it never stops, yields or alters training.
 */
import type { Callback, Logs, Tensor } from '@tensorflow/tfjs'
import type { MlflowClient } from '../tracking/client.ts'
import { autologWarning, type ResolvedAutologOptions } from './autolog-options.ts'
import type { Tf } from './load-tf.ts'

/** Keys tfjs puts in batch logs that are bookkeeping, not metrics. */
const BATCH_BOOKKEEPING = new Set(['batch', 'size'])

/** How long batch points may wait before they are handed to the write-behind (live charts stay live). */
const BATCH_SEND_INTERVAL_MS = 250

/** The prefix of per-batch metric keys, so they never mix with epoch metrics (whose step is the epoch). */
export const BATCH_METRIC_PREFIX = 'batch_'

export interface AutologCallbackTarget {
  client: MlflowClient
  runId: string
  options: ResolvedAutologOptions
}

/** What the callback saw, for the end-of-fit records. */
export interface AutologCallbackState {
  /** The last epoch that ended, or -1. */
  lastEpoch: number
  /** Global batch count over the whole fit. */
  batchesSeen: number
}

/** Reads a logs object into numbers without mutating it: later callbacks may still want its tensors. */
async function readLogs(logs: Logs | undefined, skip?: Set<string>): Promise<Record<string, number>> {
  const values: Record<string, number> = {}
  if (!logs) return values
  const pending: Promise<void>[] = []
  for (const [key, value] of Object.entries(logs as Record<string, number | Tensor>)) {
    if (skip?.has(key)) continue
    if (typeof value === 'number') values[key] = value
    else if (value && typeof (value as Tensor).data === 'function' && !(value as Tensor).isDisposed) {
      pending.push((value as Tensor).data().then(data => { values[key] = Number(data[0]) }))
    }
  }
  await Promise.all(pending)
  return values
}

type AutologCallback = Callback & {
  readonly state: AutologCallbackState
  /** Hands points still held to the write-behind (after a failed fit, whose onTrainEnd never ran). */
  sendHeld(): void
}
type AutologCallbackClass = new (target: AutologCallbackTarget) => AutologCallback

const classes = new WeakMap<Tf, AutologCallbackClass>()

/** The autolog callback class for this tfjs instance (it must extend that instance's tf.Callback). */
function autologCallbackClass(tf: Tf): AutologCallbackClass {
  const cached = classes.get(tf)
  if (cached) return cached
  class TfjsAutologCallback extends tf.Callback {
    readonly state: AutologCallbackState = { lastEpoch: -1, batchesSeen: 0 }
    private warned = false
    /** Batch points wait here and go to the write-behind in bursts: one burst becomes one transaction. */
    private pending: { key: string; value: number; step: number; timestamp: number }[] = []
    private lastSent = Date.now()

    constructor(private readonly target: AutologCallbackTarget) { super() }

    private hold(metrics: Record<string, number>, step: number, prefix = ''): void {
      const timestamp = Date.now()
      for (const [key, value] of Object.entries(metrics)) this.pending.push({ key: prefix + key, value, step, timestamp })
    }

    /** Hands the held points to the write-behind without awaiting: training never waits for IndexedDB. */
    sendHeld(): void {
      const points = this.pending
      this.pending = []
      this.lastSent = Date.now()
      for (const point of points) {
        this.target.client.logMetric(this.target.runId, point.key, point.value, { step: point.step, timestamp: point.timestamp }).catch(error => {
          if (this.warned) return
          this.warned = true
          autologWarning(this.target.options, `could not log metric '${point.key}' to run ${this.target.runId}`, error)
        })
      }
    }

    override async onEpochEnd(epoch: number, logs?: Logs): Promise<void> {
      this.state.lastEpoch = epoch
      this.hold(await readLogs(logs), epoch)
      this.sendHeld()
    }

    override async onBatchEnd(_batch: number, logs?: Logs): Promise<void> {
      const step = this.state.batchesSeen++
      const every = this.target.options.logEveryNSteps
      if (every > 0 && step % every === 0) {
        this.hold(await readLogs(logs, BATCH_BOOKKEEPING), step, BATCH_METRIC_PREFIX)
        if (Date.now() - this.lastSent >= BATCH_SEND_INTERVAL_MS) this.sendHeld()
      }
    }

    override async onTrainEnd(): Promise<void> { this.sendHeld() }
  }
  classes.set(tf, TfjsAutologCallback)
  return TfjsAutologCallback
}

/** A new autolog callback logging into `target.runId`. */
export function createAutologCallback(tf: Tf, target: AutologCallbackTarget): AutologCallback {
  return new (autologCallbackClass(tf))(target)
}
