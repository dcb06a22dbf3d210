/**
 * exportArchive: runs from any tracking store to a zip MLflow (or mlflow-export-import) reads,
 * streamed so memory stays near one read chunk whatever the archive's size.
 */
import { DEFAULT_TRACKING_URI, storesFor } from '../store/uri.ts'
import { throwIfAborted } from './archive-errors.ts'
import type { ArchiveCompression, ArchiveFormat, ArchiveProgress, ExportImportLayout } from './model.ts'
import { type ExportSelection, contentsFromStore } from './store-source.ts'
import { archiveStream, streamToBlob } from './write-archive.ts'

export interface ExportArchiveOptions extends ExportSelection {
  /** 'mlruns' (MLflow's file store, default) or 'export-import' (mlflow-export-import's layout). */
  format?: ArchiveFormat
  /** For 'export-import': 'released' (PyPI 1.2.0, default) or 'runs-subfolder' (its GitHub master). */
  exportImportLayout?: ExportImportLayout
  /** 'fast' (default) stores long metric histories uncompressed; 'small' deflates everything (slower, smaller). */
  compression?: ArchiveCompression
  /** Include artifact files (default true). */
  includeArtifacts?: boolean
  /** Where the runs are read from; default 'indexeddb://lablog'. */
  trackingUri?: string
  onProgress?: (progress: ArchiveProgress) => void
  /** Aborting ends the stream with CANCELLED. */
  signal?: AbortSignal
}

/**
 * Resolves the selection (unknown ids reject here), then returns the zip as a byte stream that is
 * written as it is read. Pipe it to a file, or use exportArchiveBlob for a Blob.
 */
export async function exportArchive(options: ExportArchiveOptions = {}): Promise<ReadableStream<Uint8Array>> {
  throwIfAborted(options.signal)
  const stores = storesFor(options.trackingUri ?? DEFAULT_TRACKING_URI)
  options.onProgress?.({ phase: 'listing', runsDone: 0, runsTotal: 0, bytesDone: 0, bytesTotal: 0 })
  const contents = await contentsFromStore(stores, options)
  let artifactBytesTotal = 0
  if (options.includeArtifacts ?? true) {
    for (const item of contents.experiments) {
      for (const run of item.runs) {
        throwIfAborted(options.signal)
        for (const artifact of await run.listArtifacts()) artifactBytesTotal += artifact.size
      }
    }
  }
  return archiveStream(contents, {
    format: options.format ?? 'mlruns', exportImportLayout: options.exportImportLayout ?? 'released',
    includeArtifacts: options.includeArtifacts ?? true, includeDeleted: options.includeDeleted ?? false,
    artifactBytesTotal, ...(options.compression ? { compression: options.compression } : {}), ...(options.onProgress ? { onProgress: options.onProgress } : {}), ...(options.signal ? { signal: options.signal } : {}),
  })
}

/** exportArchive collected into a Blob (type application/zip), built from parts so the JS heap stays small. */
export async function exportArchiveBlob(options: ExportArchiveOptions = {}): Promise<Blob> {
  return streamToBlob(await exportArchive(options))
}
