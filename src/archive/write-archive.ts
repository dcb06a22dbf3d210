/**
 * Turns ArchiveContents into a zip byte stream in either layout, with the manifest, progress
 * and cancel. Shared by exportArchive (contents from the store) and convert (from a zip).
 */
import { isMlflowError } from '../core/errors.ts'
import { throwIfAborted } from './archive-errors.ts'
import { writeExportImport } from './export-import-writer.ts'
import { type ArchiveManifest, LABLOG_VERSION, MANIFEST_FORMAT_VERSION, MANIFEST_PATH, manifestJson } from './manifest.ts'
import { writeMlruns } from './mlruns-writer.ts'
import type { ArchiveCompression, ArchiveContents, ArchiveFormat, ArchiveProgress, ExportImportLayout } from './model.ts'
import { ZipStreamWriter } from './zip-writer.ts'

export interface WriteArchiveOptions {
  format: ArchiveFormat
  exportImportLayout?: ExportImportLayout
  includeArtifacts?: boolean
  /** Recorded in the manifest: whether deleted runs and experiments were selected. */
  includeDeleted?: boolean
  onProgress?: (progress: ArchiveProgress) => void
  signal?: AbortSignal
  /** 'fast' (default) stores long metric histories uncompressed; 'small' deflates everything. */
  compression?: ArchiveCompression
  /** Total artifact bytes, when known, for progress. */
  artifactBytesTotal?: number
}

/** The archive as a byte stream; writing happens as the stream is read (backpressure), errors end the stream. */
export function archiveStream(contents: ArchiveContents, options: WriteArchiveOptions): ReadableStream<Uint8Array> {
  const zip = new ZipStreamWriter()
  const includeArtifacts = options.includeArtifacts ?? true
  const layout = options.exportImportLayout ?? 'released'
  const runsTotal = contents.experiments.reduce((sum, item) => sum + item.runs.length, 0)
  const progress: ArchiveProgress = { phase: 'writing', runsDone: 0, runsTotal, bytesDone: 0, bytesTotal: options.artifactBytesTotal ?? 0 }
  let artifacts = 0
  let lastReport = 0
  const report = (force = false) => {
    const now = Date.now()
    if (force || now - lastReport > 100) { lastReport = now; options.onProgress?.({ ...progress }) }
  }
  const common = {
    includeArtifacts, signal: options.signal, compression: options.compression ?? 'fast',
    onRunWritten: () => { progress.runsDone++; report() },
    onArtifactBytes: (bytes: number) => { progress.bytesDone += bytes; report() },
  }
  const onAbort = () => zip.fail(abortError(options.signal))
  options.signal?.addEventListener('abort', onAbort, { once: true })
  const produce = async () => {
    throwIfAborted(options.signal)
    report(true)
    if (options.format === 'mlruns') await writeMlruns(contents, zip, common)
    else await writeExportImport(contents, zip, { ...common, layout })
    if (includeArtifacts) for (const item of contents.experiments) for (const run of item.runs) artifacts += (await run.listArtifacts()).length
    const manifest: ArchiveManifest = {
      format: 'lablog-archive', formatVersion: MANIFEST_FORMAT_VERSION, layout: options.format,
      ...(options.format === 'export-import' ? { exportImportLayout: layout } : {}),
      lablogVersion: LABLOG_VERSION, createdAt: new Date().toISOString(),
      includeArtifacts, includeDeleted: options.includeDeleted ?? false,
      experiments: contents.experiments.map(item => ({ experimentId: item.experiment.experimentId, name: item.experiment.name, runs: item.runs.length })),
      runs: runsTotal,
      ...(contents.registeredModels?.length
        ? { registeredModels: contents.registeredModels.map(model => ({ name: model.name, versions: model.versions.map(version => version.version) })) }
        : {}),
      artifacts, artifactBytes: progress.bytesDone,
    }
    await zip.addBytes(MANIFEST_PATH, manifestJson(manifest))
    await zip.finish()
    progress.phase = 'done'
    report(true)
  }
  produce().catch(error => zip.fail(isMlflowError(error, 'CANCELLED') && options.signal?.aborted ? abortError(options.signal) : error))
    .finally(() => options.signal?.removeEventListener('abort', onAbort))
  return zip.stream
}

function abortError(signal: AbortSignal | undefined) {
  try { throwIfAborted(signal) } catch (error) { return error }
  return new Error('aborted')
}

/**
 * Reads a zip stream into a Blob built from 2 MiB Blob parts: the JS heap holds one part at a
 * time, and Chromium keeps large Blobs out of the page's heap (on disk when needed).
 */
export async function streamToBlob(stream: ReadableStream<Uint8Array>): Promise<Blob> {
  const blobs: Blob[] = []
  let parts: Uint8Array[] = [], pending = 0
  const reader = stream.getReader()
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    parts.push(value); pending += value.length
    if (pending >= 2 << 20) { blobs.push(new Blob(parts as Uint8Array<ArrayBuffer>[])); parts = []; pending = 0 }
  }
  blobs.push(new Blob(parts as Uint8Array<ArrayBuffer>[]))
  return new Blob(blobs, { type: 'application/zip' })
}
