/**
 * The training's own tfjs callback: reports epochs (and throttled batches) as progress events and
 * yields to the event loop now and then, so a cancel message or a heartbeat timer gets its turn.
 */
import type { Callback, Logs, Tensor } from '@tensorflow/tfjs'
import type { Tf } from '../tfjs/load-tf.ts'
import type { TrainingProgress } from './spec.ts'

/** How long training may hold the thread before it yields once. Small enough for a responsive cancel. */
const YIELD_EVERY_MS = 40

/**
 * Resolves on the next macrotask. A MessageChannel avoids setTimeout's 4 ms clamp for nested timers;
 * Node's setImmediate does the same without keeping a port open.
 */
function createYield(): { next(): Promise<void>; close(): void } {
  const setImmediateFn = (globalThis as { setImmediate?: (callback: () => void) => unknown }).setImmediate
  if (setImmediateFn) return { next: () => new Promise(resolve => { setImmediateFn(resolve) }), close() {} }
  const channel = new MessageChannel()
  let waiting: (() => void) | undefined
  channel.port1.onmessage = () => { const resume = waiting; waiting = undefined; resume?.() }
  return {
    next: () => new Promise<void>(resolve => { waiting = resolve; channel.port2.postMessage(0) }),
    close: () => { channel.port1.close(); channel.port2.close() },
  }
}

async function numbersOf(logs: Logs | undefined, skip: ReadonlySet<string>): Promise<Record<string, number>> {
  const values: Record<string, number> = {}
  for (const [key, value] of Object.entries((logs ?? {}) as Record<string, number | Tensor>)) {
    if (skip.has(key)) continue
    if (typeof value === 'number') values[key] = value
    else if (value && !value.isDisposed) values[key] = Number((await value.data())[0])
  }
  return values
}

const BOOKKEEPING = new Set(['batch', 'size'])

export interface ProgressCallbackOptions {
  runId: string
  epochs: number
  onProgress?: (progress: TrainingProgress) => void
  /** Minimum time between batch events. Default 100 ms. */
  batchIntervalMs?: number
  /** Checked after each batch: true stops training (a cancel that arrived while fit was starting is not lost). */
  shouldStop?: () => boolean
}

/** A tfjs callback reporting progress; `close()` it after fit. `lastEpochMetrics` holds the final epoch's values. */
export function createProgressCallback(tf: Tf, options: ProgressCallbackOptions): Callback & { close(): void; lastEpochMetrics: Record<string, number>; epochsDone: number } {
  const yielder = createYield()
  const batchInterval = options.batchIntervalMs ?? 100
  class ProgressCallback extends tf.Callback {
    lastEpochMetrics: Record<string, number> = {}
    epochsDone = 0
    private epoch = 0
    private lastYield = Date.now()
    private lastBatchEvent = 0

    override async onEpochBegin(epoch: number): Promise<void> { this.epoch = epoch }

    override async onBatchEnd(batch: number, logs?: Logs): Promise<void> {
      const now = Date.now()
      if (options.onProgress && now - this.lastBatchEvent >= batchInterval) {
        this.lastBatchEvent = now
        options.onProgress({ type: 'batch', runId: options.runId, epoch: this.epoch, batch, metrics: await numbersOf(logs, BOOKKEEPING) })
      }
      if (now - this.lastYield >= YIELD_EVERY_MS) {
        await yielder.next()
        this.lastYield = Date.now()
      }
      if (options.shouldStop?.()) this.model.stopTraining = true
    }

    override async onEpochEnd(epoch: number, logs?: Logs): Promise<void> {
      this.lastEpochMetrics = await numbersOf(logs, BOOKKEEPING)
      this.epochsDone = epoch + 1
      options.onProgress?.({ type: 'epoch', runId: options.runId, epoch, epochs: options.epochs, metrics: this.lastEpochMetrics })
      await yielder.next()
      this.lastYield = Date.now()
    }

    close(): void { yielder.close() }
  }
  return new ProgressCallback()
}
