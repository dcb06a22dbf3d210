/** Shared by the archive tests: the real-MLflow fixtures as zips, fresh stores, row counts. */
import { readdirSync, readFileSync, statSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { deflateSync, zipSync, type Zippable } from 'fflate'
import * as crcModule from '../../../src/archive/crc32.ts'
import { freshTrackingUri } from '../../helpers.ts'
import { LocalTrackingStore } from '../../../src/store/local/local-store.ts'
import { storesFor } from '../../../src/store/uri.ts'

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..')
/** ../shared/fixtures beside the repo root: data written by a real MLflow 2.17.2. */
export const FIXTURES = path.resolve(repoRoot, '../shared/fixtures')
export const FILESTORE = path.join(FIXTURES, 'mlflow-filestore')

/** Every file under `dir`, keyed by its path relative to `base` with '/' separators. */
export function filesUnder(dir: string, base = dir): Record<string, Uint8Array> {
  const out: Record<string, Uint8Array> = {}
  for (const name of readdirSync(dir)) {
    const full = path.join(dir, name)
    if (statSync(full).isDirectory()) Object.assign(out, filesUnder(full, base))
    else out[path.relative(base, full).split(path.sep).join('/')] = new Uint8Array(readFileSync(full))
  }
  return out
}

/** A zip Blob of the given files (path → bytes), made by fflate as any zip tool would. */
export function zipFiles(files: Record<string, Uint8Array | string>, level: 0 | 6 = 6): Blob {
  const zippable: Zippable = {}
  for (const [name, content] of Object.entries(files)) zippable[name] = [typeof content === 'string' ? new TextEncoder().encode(content) : content, { level }]
  return new Blob([zipSync(zippable) as Uint8Array<ArrayBuffer>])
}

/** The fixture folder zipped as a user would: mlruns/ and custom-artifact-root/ side by side. */
export function fixtureZip(level: 0 | 6 = 6): Blob {
  return zipFiles(filesUnder(FILESTORE), level)
}

/** A fresh, empty local store and its URI. */
export function freshStore(): { uri: string; store: LocalTrackingStore } {
  const uri = freshTrackingUri('archive')
  return { uri, store: storesFor(uri).tracking as LocalTrackingStore }
}

/** Row counts of every table: equal before and after means nothing was written. */
export async function rowCounts(store: LocalTrackingStore): Promise<Record<'experiments' | 'runs' | 'metricChunks' | 'artifacts' | 'registeredModels' | 'modelVersions', number>> {
  const { db } = store
  return {
    experiments: await db.experiments.count(), runs: await db.runs.count(),
    metricChunks: await db.metricChunks.count(), artifacts: await db.artifacts.count(),
    registeredModels: await db.registeredModels.count(), modelVersions: await db.modelVersions.count(),
  }
}

export async function bytesOf(blob: Blob): Promise<Uint8Array> { return new Uint8Array(await blob.arrayBuffer()) }

export const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes)

/** One entry of a hand-built zip: anything goes, so tests can build what no honest tool writes. */
export interface RawEntry {
  name: string
  data?: Uint8Array | string
  /** 8 deflates the data; default 0 (stored). */
  method?: 0 | 8
  /** Unix mode bits for the external attributes (0o120777 makes a symlink). */
  unixMode?: number
  /** Size to declare instead of the real one. */
  declaredSize?: number
  flags?: number
}

/** A zip built byte by byte from `entries` (duplicates, symlinks and lies included). */
export function rawZip(entries: RawEntry[]): Uint8Array {
  const { crc32 } = crcModule
  const chunks: Uint8Array[] = []
  const central: Uint8Array[] = []
  let offset = 0
  for (const entry of entries) {
    const name = new TextEncoder().encode(entry.name)
    const raw = typeof entry.data === 'string' ? new TextEncoder().encode(entry.data) : entry.data ?? new Uint8Array(0)
    const stored = entry.method === 8 ? deflateSync(raw) : raw
    const size = entry.declaredSize ?? raw.length
    const crc = crc32(raw)
    const local = new DataView(new ArrayBuffer(30 + name.length))
    local.setUint32(0, 0x04034b50, true); local.setUint16(4, 20, true); local.setUint16(6, entry.flags ?? 0x0800, true)
    local.setUint16(8, entry.method ?? 0, true); local.setUint32(14, crc, true)
    local.setUint32(18, stored.length, true); local.setUint32(22, size, true); local.setUint16(26, name.length, true)
    new Uint8Array(local.buffer).set(name, 30)
    const record = new DataView(new ArrayBuffer(46 + name.length))
    record.setUint32(0, 0x02014b50, true); record.setUint16(4, (3 << 8) | 20, true); record.setUint16(6, 20, true)
    record.setUint16(8, entry.flags ?? 0x0800, true); record.setUint16(10, entry.method ?? 0, true); record.setUint32(16, crc, true)
    record.setUint32(20, stored.length, true); record.setUint32(24, size, true); record.setUint16(28, name.length, true)
    record.setUint32(38, ((entry.unixMode ?? 0o100644) << 16) >>> 0, true); record.setUint32(42, offset, true)
    new Uint8Array(record.buffer).set(name, 46)
    chunks.push(new Uint8Array(local.buffer), stored)
    central.push(new Uint8Array(record.buffer))
    offset += 30 + name.length + stored.length
  }
  const directorySize = central.reduce((sum, chunk) => sum + chunk.length, 0)
  const end = new DataView(new ArrayBuffer(22))
  end.setUint32(0, 0x06054b50, true); end.setUint16(8, entries.length, true); end.setUint16(10, entries.length, true)
  end.setUint32(12, directorySize, true); end.setUint32(16, offset, true)
  const all = [...chunks, ...central, new Uint8Array(end.buffer)]
  const out = new Uint8Array(all.reduce((sum, chunk) => sum + chunk.length, 0))
  let at = 0
  for (const chunk of all) { out.set(chunk, at); at += chunk.length }
  return out
}
