/**
 * The window side of archive export and import in a Web Worker (zipping and parsing 10M metric points
 * would freeze the page): starts the worker lazily, reuses it while jobs keep coming, ends it when idle,
 * forwards progress and cancel, and keeps errors' errorCode across the boundary.
 */
import { proxy, wrap, type Remote } from 'comlink'
import { installErrorTransfer } from '../core/error-transfer.ts'
import { MlflowError } from '../core/errors.ts'
import type { ExportArchiveOptions } from './export-archive.ts'
import type { ImportArchiveOptions, ImportArchiveResult } from './import-archive.ts'
import type { ArchiveProgress } from './model.ts'
import type { ArchiveWorkerApi } from './worker-api.ts'

export interface ArchiveBridgeOptions {
  /** Makes an archive worker; the app passes `createArchiveWorker` from workers/. */
  createWorker: () => Worker
  /** An idle worker is ended after this long. Default 30 s. */
  idleTimeoutMs?: number
}

/** The worker and, for each job in flight, how to reject it when the worker dies. */
interface Slot { worker: Worker; api: Remote<ArchiveWorkerApi>; failures: Set<(error: Error) => void> }

/** exportArchive and importArchive, run in a worker; same options, same results, same errors. */
export class ArchiveBridge {
  private slot: Slot | null = null
  private busy = 0
  private idleTimer: ReturnType<typeof setTimeout> | undefined
  private nextId = 0

  constructor(private readonly options: ArchiveBridgeOptions) {
    installErrorTransfer()
  }

  /** Whether a worker is alive now. */
  get hasWorker(): boolean { return this.slot !== null }

  /** The zip as a Blob (Chromium keeps large Blobs out of the page's heap). Aborting rejects with CANCELLED. */
  exportArchiveBlob(options: ExportArchiveOptions = {}): Promise<Blob> {
    const { onProgress, signal, ...rest } = options
    return this.run('export', signal, onProgress, (api, id, progress) => api.exportArchive(id, rest, progress))
  }

  /** Imports a zip (a File from an <input>, say), all or nothing. Aborting rejects with CANCELLED and writes nothing. */
  importArchive(zip: Blob, options: ImportArchiveOptions = {}): Promise<ImportArchiveResult> {
    const { onProgress, signal, ...rest } = options
    return this.run('import', signal, onProgress, (api, id, progress) => api.importArchive(id, zip, rest, progress))
  }

  /** Ends the worker now; jobs in flight reject with CANCELLED (an import in flight writes nothing). */
  terminate(): void {
    this.kill(new MlflowError('CANCELLED', 'The archive worker was terminated before the job ended.'))
  }

  private async run<T>(kind: string, signal: AbortSignal | undefined, onProgress: ((progress: ArchiveProgress) => void) | undefined,
    call: (api: Remote<ArchiveWorkerApi>, id: string, progress?: (progress: ArchiveProgress) => void) => Promise<T>): Promise<T> {
    if (signal?.aborted) throw new MlflowError('CANCELLED', `The archive ${kind} was cancelled before it started.`)
    const slot = this.acquire()
    const id = `${kind}-${++this.nextId}`
    const cancel = () => { void slot.api.cancel(id).catch(() => {}) }
    signal?.addEventListener('abort', cancel)
    let fail: (error: Error) => void = () => {}
    const died = new Promise<never>((_, reject) => { fail = reject })
    slot.failures.add(fail)
    try {
      return await Promise.race([call(slot.api, id, onProgress ? proxy(onProgress) : undefined), died])
    } finally {
      signal?.removeEventListener('abort', cancel)
      slot.failures.delete(fail)
      this.release()
    }
  }

  private acquire(): Slot {
    clearTimeout(this.idleTimer)
    this.busy++
    if (this.slot) return this.slot
    const worker = this.options.createWorker()
    const slot: Slot = { worker, api: wrap<ArchiveWorkerApi>(worker), failures: new Set() }
    worker.addEventListener('error', event => {
      event.preventDefault()
      this.kill(new MlflowError('INTERNAL_ERROR', `The archive worker failed: ${event.message || 'it could not start'}.`))
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
