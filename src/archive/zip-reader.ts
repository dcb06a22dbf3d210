/**
 * Reads a zip from a Blob (a File in the browser, fs.openAsBlob in Node) without loading it:
 * the central directory is checked whole against limits before any entry is read, and every
 * entry is bounds-checked, size-checked and CRC-checked as it is read. Hostile zips are refused.
 */
import { Inflate, inflateSync } from 'fflate'
import { isMlflowError } from '../core/errors.ts'
import { badArchive, badEntry } from './archive-errors.ts'
import { ByteSource } from './byte-source.ts'
import { crc32 } from './crc32.ts'
import { checkEntryName, isOsClutter } from './entry-path.ts'

/** Safety limits for reading an archive; callers may raise them for very large archives. */
export interface ZipLimits {
  /** Most entries (files and folders) an archive may hold. Default 500,000. */
  maxEntries: number
  /** Most uncompressed bytes, all entries together, as declared in the central directory. Default 16 GiB. */
  maxTotalBytes: number
  /** Highest uncompressed/compressed ratio of one entry over 1 MiB (zip bombs reach 1000+). Default 1000. */
  maxCompressionRatio: number
}

export const DEFAULT_ZIP_LIMITS: ZipLimits = { maxEntries: 500_000, maxTotalBytes: 16 * 2 ** 30, maxCompressionRatio: 1000 }

/** One file in the archive, as its central directory describes it. */
export interface ZipEntry {
  path: string
  size: number
  compressedSize: number
  crc: number
  method: 0 | 8
  localOffset: number
  /** Where the next entry (or the central directory) starts: this entry's bytes must end before it. */
  boundary: number
  nameBytes: Uint8Array
}

/** Reads an entry as checked UTF-8 text: a ZipArchive, or files a worker already read from it. */
export interface TextReader {
  readText(entry: ZipEntry, maxBytes?: number): Promise<string>
}

const READ_CHUNK = 1 << 20
const INFLATE_PIECE = 16 << 10
/**
 * Deflated metadata up to this many compressed bytes is inflated in one call into a buffer of its
 * declared size: twice as fast as the streaming Inflate, which grows and copies its output per push.
 * The cap bounds the work a lying entry can cause (≈ 1,000× its compressed bytes) before it is refused.
 */
const WHOLE_INFLATE_MAX = 256 << 10
const WHOLE_INFLATE_MAX_SIZE = 64 << 20
const RATIO_MIN_SIZE = 1 << 20
const MAX_DIRECTORY_BYTES = 512 << 20
const utf8 = new TextDecoder('utf-8', { fatal: true })
const latin1 = new TextDecoder('latin1')

/** An opened zip: its file entries by path, and verified reads of their contents. */
export class ZipArchive {
  private readonly byPath: Map<string, ZipEntry>
  private constructor(private readonly source: ByteSource, readonly entries: ZipEntry[], readonly directories: Set<string>) {
    this.byPath = new Map(entries.map(entry => [entry.path, entry]))
  }

  /** Parses and checks the central directory; refuses truncated, hostile or over-limit archives. */
  static async open(blob: Blob, limits: Partial<ZipLimits> = {}): Promise<ZipArchive> {
    const { maxEntries, maxTotalBytes, maxCompressionRatio } = { ...DEFAULT_ZIP_LIMITS, ...limits }
    const source = new ByteSource(blob)
    const { count, directoryOffset, directorySize } = await readEnd(source, blob.size)
    if (count > maxEntries) throw badArchive(`it has ${count} entries, over the limit of ${maxEntries}`)
    if (directorySize > MAX_DIRECTORY_BYTES) throw badArchive('its central directory is implausibly large')
    const directory = new DataView((await source.read(directoryOffset, directorySize)).slice().buffer)
    const directoryText = latin1.decode(directory)
    const entries: ZipEntry[] = []
    const directories = new Set<string>()
    const seen = new Set<string>()
    const offsets: number[] = []
    let total = 0
    let at = 0
    for (let index = 0; index < count; index++) {
      if (at + 46 > directorySize || directory.getUint32(at, true) !== 0x02014b50) throw badArchive(`central directory record ${index + 1} is damaged or truncated`)
      const madeBy = directory.getUint16(at + 4, true)
      const flags = directory.getUint16(at + 8, true)
      const method = directory.getUint16(at + 10, true)
      const crc = directory.getUint32(at + 16, true)
      let compressedSize = directory.getUint32(at + 20, true)
      let size = directory.getUint32(at + 24, true)
      const nameLength = directory.getUint16(at + 28, true)
      const extraLength = directory.getUint16(at + 30, true)
      const commentLength = directory.getUint16(at + 32, true)
      const disk = directory.getUint16(at + 34, true)
      const externalAttributes = directory.getUint32(at + 38, true)
      let localOffset = directory.getUint32(at + 42, true)
      const end = at + 46 + nameLength + extraLength + commentLength
      if (end > directorySize) throw badArchive(`central directory record ${index + 1} is truncated`)
      const nameBytes = new Uint8Array(directory.buffer, at + 46, nameLength).slice()
      const rawName = decodeName(nameBytes, (flags & 0x0800) !== 0, directoryText, at + 46)
      const extra = new DataView(directory.buffer, at + 46 + nameLength, extraLength)
      ;({ size, compressedSize, localOffset } = applyZip64(extra, { size, compressedSize, localOffset }, rawName))
      at = end
      const { path, isDirectory } = checkEntryName(rawName)
      if (seen.has(path)) throw badEntry(path, 'the archive holds this entry twice')
      seen.add(path)
      if (flags & 0x0041) throw badEntry(path, 'encrypted entries are not supported')
      if (disk !== 0) throw badEntry(path, 'multi-part (spanned) archives are not supported')
      const unixMode = (madeBy >> 8) === 3 || (madeBy >> 8) === 19 ? externalAttributes >>> 16 : 0
      if ((unixMode & 0o170000) === 0o120000) throw badEntry(path, 'symbolic links are not allowed')
      if (method !== 0 && method !== 8) throw badEntry(path, `compression method ${method} is not supported (only stored and deflate)`)
      if (method === 0 && size !== compressedSize) throw badEntry(path, 'a stored entry declares different compressed and uncompressed sizes')
      if (localOffset >= directoryOffset) throw badEntry(path, 'its data offset points past the entries')
      if (size > RATIO_MIN_SIZE && size / Math.max(compressedSize, 1) > maxCompressionRatio) {
        throw badEntry(path, `compression ratio ${Math.round(size / Math.max(compressedSize, 1))}:1 is over the limit of ${maxCompressionRatio}:1 (a zip bomb?)`)
      }
      total += size
      if (total > maxTotalBytes) throw badArchive(`its entries expand to more than the limit of ${maxTotalBytes} bytes (a zip bomb?)`)
      offsets.push(localOffset)
      if (isDirectory) {
        if (size !== 0) throw badEntry(path, 'a folder entry holds data')
        directories.add(path)
        continue
      }
      if (isOsClutter(path)) continue
      entries.push({ path, size, compressedSize, crc, method: method as 0 | 8, localOffset, boundary: directoryOffset, nameBytes })
    }
    checkNoOverlap(entries, offsets, directoryOffset)
    checkFileFolderClashes(entries, directories)
    return new ZipArchive(source, entries, directories)
  }

  /**
   * Reads entries that ZipArchive.open already checked, from the same Blob: a worker handed the Blob
   * and those entries reads them without parsing the central directory again. Every read still
   * checks the local header, bounds, size and CRC.
   */
  static ofCheckedEntries(blob: Blob): ZipArchive { return new ZipArchive(new ByteSource(blob), [], new Set()) }

  /** The file entry at `path`, if any. */
  get(path: string): ZipEntry | undefined { return this.byPath.get(path) }

  /** The entry's bytes, inflated and checked (size and CRC). For metadata: artifacts use readBlob. */
  async readBytes(entry: ZipEntry): Promise<Uint8Array> {
    if (entry.method === 8 && entry.compressedSize > 0 && entry.compressedSize <= WHOLE_INFLATE_MAX && entry.size <= WHOLE_INFLATE_MAX_SIZE) return this.inflateWhole(entry)
    const parts: Uint8Array[] = []
    await this.pump(entry, chunk => { parts.push(chunk) })
    return concat(parts, entry.size)
  }

  /** The entry as UTF-8 text; refuses invalid UTF-8 and entries over `maxBytes`. */
  async readText(entry: ZipEntry, maxBytes = MAX_TEXT_BYTES): Promise<string> {
    checkTextSize(entry, maxBytes)
    return decodeText(entry, await this.readBytes(entry))
  }

  /**
   * The entry as a Blob, checked before it is returned. A stored entry is a slice of the archive
   * (no copy); a deflated one is inflated into Blob parts so the JS heap holds ~8 MiB at a time.
   */
  async readBlob(entry: ZipEntry, onBytes?: (bytes: number) => void): Promise<Blob> {
    if (entry.method === 0) {
      const start = await this.dataStart(entry)
      await this.pump(entry, chunk => { onBytes?.(chunk.length) })
      return this.source.blob.slice(start, start + entry.size)
    }
    const blobs: Blob[] = []
    let parts: Uint8Array[] = [], pending = 0
    await this.pump(entry, chunk => {
      parts.push(chunk); pending += chunk.length
      onBytes?.(chunk.length)
      if (pending >= 8 << 20) { blobs.push(new Blob(parts as Uint8Array<ArrayBuffer>[])); parts = []; pending = 0 }
    })
    blobs.push(new Blob(parts as Uint8Array<ArrayBuffer>[]))
    return blobs.length === 1 ? blobs[0]! : new Blob(blobs)
  }

  /** Where the entry's data starts, after checking its local header against the central directory. */
  private async dataStart(entry: ZipEntry): Promise<number> {
    if (entry.localOffset + 30 > entry.boundary) throw badEntry(entry.path, 'its local header is truncated')
    const header = new DataView((await this.source.read(entry.localOffset, 30)).slice().buffer)
    if (header.getUint32(0, true) !== 0x04034b50) throw badEntry(entry.path, 'its local header is missing or damaged')
    const nameLength = header.getUint16(26, true), extraLength = header.getUint16(28, true)
    const start = entry.localOffset + 30 + nameLength + extraLength
    if (start + entry.compressedSize > entry.boundary) throw badEntry(entry.path, 'its data overlaps the next entry or runs past the end (truncated?)')
    const localName = await this.source.read(entry.localOffset + 30, nameLength)
    if (!sameBytes(localName, entry.nameBytes)) throw badEntry(entry.path, 'the local header names a different file than the central directory')
    return start
  }

  /** A small deflated entry inflated in one call, with the same checks as pump. */
  private async inflateWhole(entry: ZipEntry): Promise<Uint8Array> {
    const start = await this.dataStart(entry)
    const data = await this.source.read(start, entry.compressedSize)
    // One byte of room past the declared size: filling it means the data inflates past it.
    let out: Uint8Array
    try { out = inflateSync(data, { out: new Uint8Array(entry.size + 1) }) } catch (error) {
      if (error instanceof RangeError) throw badEntry(entry.path, `it inflates past its declared size of ${entry.size} bytes (a zip bomb?)`)
      throw badEntry(entry.path, `its compressed data is corrupt (${error instanceof Error ? error.message : String(error)})`)
    }
    if (out.length > entry.size) throw badEntry(entry.path, `it inflates past its declared size of ${entry.size} bytes (a zip bomb?)`)
    checkSizeAndCrc(entry, out.length, crc32(out))
    return out
  }

  /** Streams the entry's uncompressed bytes to `sink`, refusing more bytes than declared, then checks size and CRC. */
  private async pump(entry: ZipEntry, sink: (chunk: Uint8Array) => void): Promise<void> {
    const start = await this.dataStart(entry)
    let crc = 0, produced = 0
    const accept = (chunk: Uint8Array) => {
      produced += chunk.length
      if (produced > entry.size) throw badEntry(entry.path, `it inflates past its declared size of ${entry.size} bytes (a zip bomb?)`)
      crc = crc32(chunk, crc)
      sink(chunk)
    }
    let finished = entry.method === 0
    const inflater = entry.method === 8 ? new Inflate((chunk, final) => { accept(chunk); if (final) finished = true }) : null
    for (let offset = 0; offset < entry.compressedSize; offset += READ_CHUNK) {
      const length = Math.min(READ_CHUNK, entry.compressedSize - offset)
      const data = await this.source.read(start + offset, length)
      if (!inflater) { accept(data); continue }
      for (let piece = 0; piece < data.length; piece += INFLATE_PIECE) {
        const last = offset + piece + INFLATE_PIECE >= entry.compressedSize
        try { inflater.push(data.subarray(piece, piece + INFLATE_PIECE), last) } catch (error) {
          if (isMlflowError(error)) throw error
          throw badEntry(entry.path, `its compressed data is corrupt (${error instanceof Error ? error.message : String(error)})`)
        }
      }
    }
    if (inflater && entry.compressedSize === 0) throw badEntry(entry.path, 'its compressed data is empty')
    if (!finished) throw badEntry(entry.path, 'its compressed data ends early (truncated?)')
    checkSizeAndCrc(entry, produced, crc)
  }
}

async function readEnd(source: ByteSource, size: number): Promise<{ count: number; directoryOffset: number; directorySize: number }> {
  if (size < 22) throw badArchive('the file is too short to be a zip (truncated?)')
  const tailStart = Math.max(0, size - 22 - 0xffff)
  const tail = await source.read(tailStart, size - tailStart)
  const view = new DataView(tail.slice().buffer)
  let end = -1
  for (let at = tail.length - 22; at >= 0; at--) {
    if (view.getUint32(at, true) === 0x06054b50 && at + 22 + view.getUint16(at + 20, true) === tail.length) { end = at; break }
  }
  if (end < 0) throw badArchive('no end-of-central-directory record: not a zip, or truncated')
  if (view.getUint16(end + 4, true) !== 0 || view.getUint16(end + 6, true) !== 0) throw badArchive('multi-part (spanned) archives are not supported')
  let count = view.getUint16(end + 10, true)
  let directorySize = view.getUint32(end + 12, true)
  let directoryOffset = view.getUint32(end + 16, true)
  let directoryEnd = tailStart + end
  if (count === 0xffff || directorySize === 0xffffffff || directoryOffset === 0xffffffff) {
    const locatorAt = end - 20
    if (locatorAt < 0 || view.getUint32(locatorAt, true) !== 0x07064b50) throw badArchive('the ZIP64 end locator is missing (truncated?)')
    const recordOffset = Number(view.getBigUint64(locatorAt + 8, true))
    if (recordOffset + 56 > tailStart + locatorAt) throw badArchive('the ZIP64 end record is out of range')
    const record = new DataView((await source.read(recordOffset, 56)).slice().buffer)
    if (record.getUint32(0, true) !== 0x06064b50) throw badArchive('the ZIP64 end record is damaged')
    count = Number(record.getBigUint64(32, true))
    directorySize = Number(record.getBigUint64(40, true))
    directoryOffset = Number(record.getBigUint64(48, true))
    directoryEnd = recordOffset
  }
  if (directoryOffset + directorySize !== directoryEnd) throw badArchive('the central directory is not where the end record says (truncated or damaged)')
  return { count, directoryOffset, directorySize }
}

function applyZip64(extra: DataView, fields: { size: number; compressedSize: number; localOffset: number }, name: string) {
  const needs = [fields.size === 0xffffffff, fields.compressedSize === 0xffffffff, fields.localOffset === 0xffffffff]
  if (!needs.some(Boolean)) return fields
  for (let at = 0; at + 4 <= extra.byteLength;) {
    const id = extra.getUint16(at, true), length = extra.getUint16(at + 2, true)
    if (id === 1) {
      const values: number[] = []
      for (let field = at + 4; field + 8 <= at + 4 + length && field + 8 <= extra.byteLength; field += 8) values.push(Number(extra.getBigUint64(field, true)))
      const next = () => { const value = values.shift(); if (value === undefined) throw badEntry(name, 'its ZIP64 extra field is short'); return value }
      return {
        size: needs[0] ? next() : fields.size,
        compressedSize: needs[1] ? next() : fields.compressedSize,
        localOffset: needs[2] ? next() : fields.localOffset,
      }
    }
    at += 4 + length
  }
  throw badEntry(name, 'it declares ZIP64 sizes but has no ZIP64 extra field')
}

const MAX_TEXT_BYTES = 256 << 20

function checkTextSize(entry: ZipEntry, maxBytes: number): void {
  if (entry.size > maxBytes) throw badEntry(entry.path, `the file is ${entry.size} bytes, over the limit of ${maxBytes}`)
}

/** The entry's bytes (already read and checked) as text, refused as ZipArchive.readText refuses it. */
export function entryText(entry: ZipEntry, bytes: Uint8Array, maxBytes = MAX_TEXT_BYTES): string {
  checkTextSize(entry, maxBytes)
  return decodeText(entry, bytes)
}

function decodeText(entry: ZipEntry, bytes: Uint8Array): string {
  try { return utf8.decode(bytes) } catch {
    throw badEntry(entry.path, 'the file is not valid UTF-8 text')
  }
}

/** The last checks of every read: as many bytes as declared, with the declared CRC-32. */
function checkSizeAndCrc(entry: ZipEntry, size: number, crc: number): void {
  if (size !== entry.size) throw badEntry(entry.path, `it holds ${size} bytes but declares ${entry.size}`)
  if (crc !== entry.crc) throw badEntry(entry.path, 'its CRC-32 does not match: the data is corrupt')
}

/**
 * An entry's name. `directoryText` is the whole central directory decoded as Latin-1 once: nearly every
 * name is ASCII, the same in any of these encodings, and a TextDecoder call per name cost more than the
 * rest of open() for archives of 100,000s of entries.
 */
function decodeName(bytes: Uint8Array, flaggedUtf8: boolean, directoryText: string, at: number): string {
  let ascii = true
  for (let index = 0; index < bytes.length && ascii; index++) ascii = bytes[index]! < 0x80
  if (ascii) return directoryText.slice(at, at + bytes.length)
  try { return utf8.decode(bytes) } catch {
    if (flaggedUtf8) throw badArchive(`an entry name is not valid UTF-8 although flagged so (${Array.from(bytes.subarray(0, 40), b => String.fromCharCode(b)).join('')}…)`)
    return Array.from(bytes, byte => String.fromCharCode(byte)).join('') // legacy code page, read as Latin-1
  }
}

/** Each entry's bytes must end before the next entry starts: overlapping entries are the classic zip-bomb trick. */
function checkNoOverlap(entries: ZipEntry[], offsets: number[], directoryOffset: number): void {
  const sorted = [...new Set(offsets)].sort((a, b) => a - b)
  if (sorted.length !== offsets.length) throw badArchive('two entries share the same data (overlapping entries, a zip-bomb trick)')
  const next = new Map<number, number>()
  sorted.forEach((offset, index) => next.set(offset, sorted[index + 1] ?? directoryOffset))
  for (const entry of entries) entry.boundary = next.get(entry.localOffset)!
}

function checkFileFolderClashes(entries: ZipEntry[], directories: Set<string>): void {
  const files = new Set(entries.map(entry => entry.path))
  for (const entry of entries) {
    if (directories.has(entry.path)) throw badEntry(entry.path, 'the archive holds it both as a file and as a folder')
    for (let slash = entry.path.lastIndexOf('/'); slash > 0; slash = entry.path.lastIndexOf('/', slash - 1)) {
      if (files.has(entry.path.slice(0, slash))) throw badEntry(entry.path, `'${entry.path.slice(0, slash)}' is both a file and a folder`)
    }
  }
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false
  for (let index = 0; index < a.length; index++) if (a[index] !== b[index]) return false
  return true
}

function concat(parts: Uint8Array[], size: number): Uint8Array {
  if (parts.length === 1) return parts[0]!
  const out = new Uint8Array(size)
  let at = 0
  for (const part of parts) { out.set(part, at); at += part.length }
  return out
}
