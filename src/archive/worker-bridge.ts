/**
 * The window side of archive export and import in a Web Worker (zipping and parsing 10M metric points
 * would freeze the page): starts the worker lazily, reuses it while jobs keep coming, ends it when idle,
 * forwards progress and cancel, and keeps errors' errorCode across the boundary.
 */
import { proxy } from 'comlink'
import { LazyWorker } from '../core/lazy-worker.ts'
import type { ExportArchiveOptions } from './export-archive.ts'
import type { ImportArchiveOptions, ImportArchiveResult } from './import-archive.ts'
import type { ArchiveWorkerApi } from './worker-api.ts'

export interface ArchiveBridgeOptions {
  /** Makes an archive worker; the app passes `createArchiveWorker` from workers/. */
  createWorker: () => Worker
  /** An idle worker is ended after this long. Default 30 s. */
  idleTimeoutMs?: number
}

/** exportArchive and importArchive, run in a worker; same options, same results, same errors. */
export class ArchiveBridge {
  private readonly worker: LazyWorker<ArchiveWorkerApi>

  constructor(options: ArchiveBridgeOptions) {
    this.worker = new LazyWorker('archive', options.createWorker, options.idleTimeoutMs)
  }

  /** Whether a worker is alive now. */
  get hasWorker(): boolean { return this.worker.alive }

  /** The zip as a Blob (Chromium keeps large Blobs out of the page's heap). Aborting rejects with CANCELLED. */
  exportArchiveBlob(options: ExportArchiveOptions = {}): Promise<Blob> {
    const { onProgress, signal, ...rest } = options
    const progress = onProgress ? proxy(onProgress) : undefined
    return this.worker.run('archive export', signal, (api, id) => api.exportArchive(id, rest, progress))
  }

  /** Imports a zip (a File from an <input>, say), all or nothing. Aborting rejects with CANCELLED and writes nothing. */
  importArchive(zip: Blob, options: ImportArchiveOptions = {}): Promise<ImportArchiveResult> {
    const { onProgress, signal, ...rest } = options
    const progress = onProgress ? proxy(onProgress) : undefined
    return this.worker.run('archive import', signal, (api, id) => api.importArchive(id, zip, rest, progress))
  }

  /** Ends the worker now; jobs in flight reject with CANCELLED (an import in flight writes nothing). */
  terminate(): void { this.worker.terminate() }
}
