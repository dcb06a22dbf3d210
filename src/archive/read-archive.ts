/**
 * Opens a zip and reads whichever layout it holds (detected, or named by its manifest) into
 * ArchiveContents. Shared by importArchive and the CLI's convert: nothing here writes.
 */
import { badArchive, throwIfAborted } from './archive-errors.ts'
import { looksLikeExportImport, readExportImport } from './export-import-reader.ts'
import { type ArchiveManifest, MANIFEST_PATH, parseManifest } from './manifest.ts'
import { findMlrunsRoot, readMlruns } from './mlruns-reader.ts'
import type { ArchiveContents, ArchiveFormat } from './model.ts'
import { ZipArchive, type ZipLimits } from './zip-reader.ts'

/** A parsed archive: its layout, its manifest when Lablog wrote it, and its contents. */
export interface ReadArchive {
  format: ArchiveFormat
  manifest?: ArchiveManifest
  contents: ArchiveContents
}

export interface ReadArchiveOptions {
  limits?: Partial<ZipLimits>
  signal?: AbortSignal
  /** Skip detection and read this layout. */
  format?: ArchiveFormat
}

/** Opens `zip` with the safety limits, detects its layout and parses it; refuses anything malformed. */
export async function readArchive(zip: Blob, options: ReadArchiveOptions = {}): Promise<ReadArchive> {
  throwIfAborted(options.signal)
  const archive = await ZipArchive.open(zip, options.limits)
  const manifestEntry = archive.get(MANIFEST_PATH)
  const manifest = manifestEntry ? parseManifest(await archive.readText(manifestEntry, 1 << 20)) : undefined
  const format = options.format ?? manifest?.layout ?? detectFormat(archive)
  throwIfAborted(options.signal)
  if (format === 'export-import') return { format, ...(manifest ? { manifest } : {}), contents: await readExportImport(archive, options.signal) }
  const root = findMlrunsRoot(archive)
  if (root === null) throw badArchive('it holds no mlruns tree (no <experiment>/meta.yaml)')
  return { format, ...(manifest ? { manifest } : {}), contents: await readMlruns(archive, root, options.signal) }
}

function detectFormat(archive: ZipArchive): ArchiveFormat {
  const topLevelExport = archive.get('experiments.json') || archive.get('run.json') || archive.get('models/models.json') || archive.get('experiments/experiments.json')
    || archive.entries.some(entry => /^([^/]+\/)?experiment\.json$/.test(entry.path))
  if (topLevelExport) return 'export-import'
  if (findMlrunsRoot(archive) !== null) return 'mlruns'
  if (looksLikeExportImport(archive)) return 'export-import'
  throw badArchive('it is neither an MLflow file store (mlruns/) nor an mlflow-export-import archive')
}
