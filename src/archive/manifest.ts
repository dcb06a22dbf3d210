/**
 * The small JSON manifest every archive Lablog writes carries at its root: which format and
 * version it is, which Lablog wrote it, and what it holds, so readers can check and upgrade.
 */
import packageJson from '../../package.json' with { type: 'json' }
import { badEntry } from './archive-errors.ts'
import type { ArchiveFormat, ExportImportLayout } from './model.ts'

export const MANIFEST_PATH = 'lablog-manifest.json'
/** Bumped when the archive layout changes in a way readers must know about. */
export const MANIFEST_FORMAT_VERSION = 1
export const LABLOG_VERSION: string = packageJson.version

/** What `lablog-manifest.json` says. */
export interface ArchiveManifest {
  format: 'lablog-archive'
  formatVersion: number
  layout: ArchiveFormat
  /** For export-import archives: where run folders are (see ExportImportLayout). */
  exportImportLayout?: ExportImportLayout
  lablogVersion: string
  createdAt: string
  includeArtifacts: boolean
  includeDeleted: boolean
  experiments: Array<{ experimentId: string; name: string; runs: number }>
  runs: number
  /**
   * The registered models carried (mlruns/models/ in the mlruns layout, models/ in export-import's),
   * with the version numbers kept. Only versions logged by runs in this archive are exported.
   */
  registeredModels?: Array<{ name: string; versions: number[] }>
  artifacts: number
  artifactBytes: number
}

/** The manifest's JSON text (2-space indent, trailing newline). */
export function manifestJson(manifest: ArchiveManifest): string {
  return `${JSON.stringify(manifest, null, 2)}\n`
}

/** Parses and checks a manifest; refuses one written by a newer, incompatible Lablog. */
export function parseManifest(text: string): ArchiveManifest {
  let value: unknown
  try { value = JSON.parse(text) } catch { throw badEntry(MANIFEST_PATH, 'the manifest is not valid JSON') }
  const manifest = value as Partial<ArchiveManifest> | null
  if (!manifest || typeof manifest !== 'object' || manifest.format !== 'lablog-archive') throw badEntry(MANIFEST_PATH, "the manifest does not say format 'lablog-archive'")
  if (typeof manifest.formatVersion !== 'number' || manifest.formatVersion > MANIFEST_FORMAT_VERSION) {
    throw badEntry(MANIFEST_PATH, `format version ${String(manifest.formatVersion)} is newer than this Lablog reads (${MANIFEST_FORMAT_VERSION}); update Lablog`)
  }
  if (manifest.layout !== 'mlruns' && manifest.layout !== 'export-import') throw badEntry(MANIFEST_PATH, `unknown layout '${String(manifest.layout)}'`)
  return manifest as ArchiveManifest
}
