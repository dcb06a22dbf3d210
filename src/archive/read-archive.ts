/**
 * Opens a zip and reads whichever layout it holds (detected, or named by its manifest). Shared by
 * importArchive, which reads each run as it writes it (scanArchive), and the CLI's convert, which
 * takes the whole archive at once (readArchive). Nothing here writes.
 */
import { badArchive, throwIfAborted } from './archive-errors.ts'
import { looksLikeExportImport, readExportImport } from './export-import-reader.ts'
import { type ArchiveManifest, MANIFEST_PATH, parseManifest } from './manifest.ts'
import { findMlrunsRoot, scanMlruns } from './mlruns-reader.ts'
import type { ArchiveContents, ArchiveFormat, ArchiveRun, ScannedContents } from './model.ts'
import { ZipArchive, type ZipLimits } from './zip-reader.ts'

/** A parsed archive: its layout, its manifest when Lablog wrote it, and its contents. */
export interface ReadArchive {
  format: ArchiveFormat
  manifest?: ArchiveManifest
  contents: ArchiveContents
}

/** An opened archive whose runs are listed, each read when asked for. */
export interface ScannedArchive {
  format: ArchiveFormat
  manifest?: ArchiveManifest
  contents: ScannedContents
}

export interface ReadArchiveOptions {
  limits?: Partial<ZipLimits>
  signal?: AbortSignal
  /** Skip detection and read this layout. */
  format?: ArchiveFormat
}

/** Opens `zip` with the safety limits, detects its layout and reads all of it; refuses anything malformed. */
export async function readArchive(zip: Blob, options: ReadArchiveOptions = {}): Promise<ReadArchive> {
  const scanned = await scanArchive(zip, options)
  return { ...scanned, contents: await readAll(scanned.contents, options.signal) }
}

/** Opens `zip` with the safety limits and reads its experiments; its runs are read one by one as asked for. */
export async function scanArchive(zip: Blob, options: ReadArchiveOptions = {}): Promise<ScannedArchive> {
  throwIfAborted(options.signal)
  const archive = await ZipArchive.open(zip, options.limits)
  const manifestEntry = archive.get(MANIFEST_PATH)
  const manifest = manifestEntry ? parseManifest(await archive.readText(manifestEntry, 1 << 20)) : undefined
  // Looked for once, and only when needed (finding two mlruns folders refuses the archive).
  let root: string | null | undefined
  const mlrunsRoot = () => (root === undefined ? root = findMlrunsRoot(archive) : root)
  const format = options.format ?? manifest?.layout ?? detectFormat(archive, mlrunsRoot)
  throwIfAborted(options.signal)
  const described = { format, ...(manifest ? { manifest } : {}) }
  if (format === 'export-import') return { ...described, contents: await pending(await readExportImport(archive, options.signal)) }
  if (mlrunsRoot() === null) throw badArchive('it holds no mlruns tree (no <experiment>/meta.yaml)')
  return { ...described, contents: await scanMlruns(archive, mlrunsRoot()!, options.signal) }
}

/** Every run read, in order, then the registry. */
async function readAll(scanned: ScannedContents, signal?: AbortSignal): Promise<ArchiveContents> {
  const runArtifactUris = new Map<string, string>()
  const experiments = []
  for (const { experiment, runs } of scanned.experiments) {
    const read: ArchiveRun[] = []
    for (const run of runs) {
      throwIfAborted(signal)
      const archiveRun = await run.read()
      runArtifactUris.set(run.runId, archiveRun.info.artifactUri)
      read.push(archiveRun)
    }
    experiments.push({ experiment, runs: read })
  }
  const registeredModels = await scanned.readRegisteredModels(runArtifactUris)
  return { experiments, ...(registeredModels.length ? { registeredModels } : {}) }
}

/** Contents already read whole (the export-import layout's JSON), in the scanned shape. */
async function pending(contents: ArchiveContents): Promise<ScannedContents> {
  const experiments = []
  for (const { experiment, runs } of contents.experiments) {
    const listed = []
    for (const run of runs) {
      const artifactBytes = (await run.listArtifacts()).reduce((sum, artifact) => sum + artifact.size, 0)
      listed.push({ runId: run.info.runId, artifactBytes, read: () => Promise.resolve(run) })
    }
    experiments.push({ experiment, runs: listed })
  }
  return { experiments, readRegisteredModels: async () => contents.registeredModels ?? [] }
}

function detectFormat(archive: ZipArchive, mlrunsRoot: () => string | null): ArchiveFormat {
  const topLevelExport = archive.get('experiments.json') || archive.get('run.json') || archive.get('models/models.json') || archive.get('experiments/experiments.json')
    || archive.entries.some(entry => entry.path.endsWith('experiment.json') && /^([^/]+\/)?experiment\.json$/.test(entry.path))
  if (topLevelExport) return 'export-import'
  if (mlrunsRoot() !== null) return 'mlruns'
  if (looksLikeExportImport(archive)) return 'export-import'
  throw badArchive('it is neither an MLflow file store (mlruns/) nor an mlflow-export-import archive')
}
