/**
 * The API the archive worker exposes through comlink: export to a Blob and import a Blob, each with
 * a progress proxy and a job id to cancel by. Everything crossing it is structured-cloneable
 * (Blobs cross by reference, not by copy); errors keep their errorCode (core/error-transfer.ts).
 */
import { releaseProxy, type Remote } from 'comlink'
import { type ExportArchiveOptions, exportArchiveBlob } from './export-archive.ts'
import { type ImportArchiveOptions, type ImportArchiveResult, importArchive } from './import-archive.ts'
import type { ArchiveProgress } from './model.ts'

/** Export options without the callback and signal, which cannot cross to a worker. */
export type WorkerExportOptions = Omit<ExportArchiveOptions, 'onProgress' | 'signal'>
/** Import options without the callback and signal, which cannot cross to a worker. */
export type WorkerImportOptions = Omit<ImportArchiveOptions, 'onProgress' | 'signal'>

export interface ArchiveWorkerApi {
  /** exportArchiveBlob in the worker; `onProgress` is a comlink proxy of the window's callback. */
  exportArchive(jobId: string, options: WorkerExportOptions, onProgress?: (progress: ArchiveProgress) => void): Promise<Blob>
  /** importArchive in the worker: all or nothing, as in the window. */
  importArchive(jobId: string, zip: Blob, options: WorkerImportOptions, onProgress?: (progress: ArchiveProgress) => void): Promise<ImportArchiveResult>
  /** Cancels a job by id (it rejects with CANCELLED; an import writes nothing). Unknown ids are ignored. */
  cancel(jobId: string): void
}

/** The worker's API object, for `expose(createArchiveWorkerApi())`. */
export function createArchiveWorkerApi(): ArchiveWorkerApi {
  const controllers = new Map<string, AbortController>()
  async function job<T>(jobId: string, onProgress: ((progress: ArchiveProgress) => void) | undefined, body: (extra: { signal: AbortSignal; onProgress?: (progress: ArchiveProgress) => void }) => Promise<T>): Promise<T> {
    const controller = new AbortController()
    controllers.set(jobId, controller)
    try {
      // Progress is fire-and-forget: the job never waits for the window to handle an event.
      const forward = onProgress ? { onProgress: (progress: ArchiveProgress) => { void Promise.resolve(onProgress(progress)).catch(() => {}) } } : {}
      return await body({ signal: controller.signal, ...forward })
    } finally {
      controllers.delete(jobId)
      ;(onProgress as Partial<Remote<unknown>> | undefined)?.[releaseProxy]?.()
    }
  }
  return {
    exportArchive: (jobId, options, onProgress) => job(jobId, onProgress, extra => exportArchiveBlob({ ...options, ...extra })),
    importArchive: (jobId, zip, options, onProgress) => job(jobId, onProgress, extra => importArchive(zip, { ...options, ...extra })),
    cancel(jobId) { controllers.get(jobId)?.abort() },
  }
}
