/**
 * One worker started on first use, reused while jobs keep coming and ended when idle: the
 * lifecycle the archive and evaluate bridges share. A job gets an id the worker can cancel by,
 * and rejects with the worker's death instead of hanging when the worker fails or is ended.
 */
import { wrap, type Remote } from 'comlink'
import { installErrorTransfer } from './error-transfer.ts'
import { MlflowError } from './errors.ts'

/** What every such worker exposes besides its jobs: cancel a job by id (unknown ids ignored). */
export interface CancellableWorkerApi { cancel(jobId: string): unknown }

interface Slot<Api> { worker: Worker; api: Remote<Api>; failures: Set<(error: Error) => void> }

export class LazyWorker<Api extends CancellableWorkerApi> {
  private slot: Slot<Api> | null = null
  private busy = 0
  private idleTimer: ReturnType<typeof setTimeout> | undefined
  private nextId = 0

  /** `name` appears in errors ("The archive worker failed: …"). */
  constructor(private readonly name: string, private readonly createWorker: () => Worker, private readonly idleTimeoutMs = 30_000) {
    installErrorTransfer()
  }

  /** Whether a worker is alive now. */
  get alive(): boolean { return this.slot !== null }

  /**
   * Runs one job: `body` gets the worker's API and the job's id; aborting `signal` asks the
   * worker to cancel that id. Rejects with CANCELLED when already aborted.
   */
  async run<T>(kind: string, signal: AbortSignal | undefined, body: (api: Remote<Api>, jobId: string) => Promise<T>): Promise<T> {
    if (signal?.aborted) throw new MlflowError('CANCELLED', `The ${kind} was cancelled before it started.`)
    const slot = this.acquire()
    const jobId = `${kind}-${++this.nextId}`
    const cancel = () => { void Promise.resolve(slot.api.cancel(jobId)).catch(() => {}) }
    signal?.addEventListener('abort', cancel)
    let fail: (error: Error) => void = () => {}
    const died = new Promise<never>((_, reject) => { fail = reject })
    slot.failures.add(fail)
    try {
      return await Promise.race([body(slot.api, jobId), died])
    } finally {
      signal?.removeEventListener('abort', cancel)
      slot.failures.delete(fail)
      this.release()
    }
  }

  /** Ends the worker now; jobs in flight reject with CANCELLED. */
  terminate(): void {
    this.kill(new MlflowError('CANCELLED', `The ${this.name} worker was terminated before the job ended.`))
  }

  private acquire(): Slot<Api> {
    clearTimeout(this.idleTimer)
    this.busy++
    if (this.slot) return this.slot
    const worker = this.createWorker()
    const slot: Slot<Api> = { worker, api: wrap<Api>(worker), failures: new Set() }
    worker.addEventListener('error', event => {
      event.preventDefault()
      this.kill(new MlflowError('INTERNAL_ERROR', `The ${this.name} worker failed: ${event.message || 'it could not start'}.`))
    })
    this.slot = slot
    return slot
  }

  private release(): void {
    this.busy = Math.max(0, this.busy - 1)
    if (this.busy === 0 && this.slot) this.idleTimer = setTimeout(() => this.kill(), this.idleTimeoutMs)
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
