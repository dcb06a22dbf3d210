/**
 * A streaming zip writer (ZIP64 when sizes, offsets or entry counts need it) that emits
 * a ReadableStream with backpressure: memory stays near one 1 MiB output chunk plus the
 * stream's high-water mark, whatever the total.
 * fflate's Zip class has no ZIP64 and no backpressure, so only its Deflate is used here.
 */
import { Deflate, deflateSync } from 'fflate'
import { MlflowError } from '../core/errors.ts'
import { crc32 } from './crc32.ts'

/** How an entry's bytes are stored: deflated, stored as they are, or decided from a sample. */
export type EntryCompression = 'deflate' | 'store' | 'auto'

interface CentralRecord {
  name: Uint8Array
  crc: number
  compressedSize: number
  size: number
  offset: number
  method: 0 | 8
  flags: number
  isDirectory: boolean
}

const UTF8_FLAG = 0x0800
const DESCRIPTOR_FLAG = 0x0008
const MAX_32 = 0xffffffff
// Blobs above this get ZIP64 sizes in their data descriptor: deflate can grow incompressible input a little.
const ZIP64_BLOB_THRESHOLD = 0xf0000000
const OUTPUT_CHUNK = 1 << 20
const SMALL_ENTRY_BYTES = 1024
const SAMPLE_BYTES = 64 * 1024
/**
 * Formats that are compressed already, or model weights (float bytes deflate by a few percent at
 * ~50 MB/s): deflating them costs time and saves next to nothing, so they are stored.
 */
const COMPRESSED_EXTENSIONS = /\.(png|jpe?g|gif|webp|avif|zip|gz|tgz|bz2|xz|zst|7z|npz|parquet|mp3|mp4|webm|ogg|pdf|woff2?|bin|safetensors|onnx|pt|pth|ckpt|h5|tflite|pb)$/i
const encoder = new TextEncoder()
const RESOLVED = Promise.resolve()

/** Writes a zip as a byte stream; every add* resolves once the stream's queue has room again. */
export class ZipStreamWriter {
  /** The archive bytes. Reading it drives the writer; cancelling it aborts the writer with CANCELLED. */
  readonly stream: ReadableStream<Uint8Array>
  private controller!: ReadableStreamDefaultController<Uint8Array>
  private offset = 0
  private readonly records: CentralRecord[] = []
  private readonly names = new Set<string>()
  private demand: (() => void) | null = null
  private cancelled: unknown = null
  private readonly dosTime: number
  private readonly dosDate: number
  // Small entries are packed into one OUTPUT_CHUNK buffer before they are handed to the reader:
  // a stream chunk per header and per param file cost more than the bytes themselves.
  private buffer = new Uint8Array(OUTPUT_CHUNK)
  private used = 0

  constructor(options: { highWaterMarkBytes?: number; modified?: Date } = {}) {
    const modified = options.modified ?? new Date()
    this.dosTime = (modified.getHours() << 11) | (modified.getMinutes() << 5) | (modified.getSeconds() >> 1)
    this.dosDate = ((Math.max(modified.getFullYear(), 1980) - 1980) << 9) | ((modified.getMonth() + 1) << 5) | modified.getDate()
    this.stream = new ReadableStream<Uint8Array>({
      start: controller => { this.controller = controller },
      pull: () => { const resume = this.demand; this.demand = null; resume?.() },
      cancel: reason => {
        this.cancelled = reason ?? new MlflowError('CANCELLED', 'The archive stream was cancelled by its reader.')
        const resume = this.demand; this.demand = null; resume?.()
      },
    }, { highWaterMark: options.highWaterMarkBytes ?? 1 << 20, size: chunk => chunk.byteLength })
  }

  /** Bytes written so far (the archive's size once finish() resolves). */
  get bytesWritten(): number { return this.offset + this.used }

  /**
   * A small entry held in memory (metadata): sizes go in the local header, no descriptor. The bytes
   * are copied, so the caller may reuse `content`'s buffer. 'auto' stores entries under 1 KiB
   * (deflating them saves a few bytes and costs ~20 µs each) and deflates the rest.
   */
  addBytes(path: string, content: Uint8Array | string, compression: EntryCompression = 'auto'): Promise<void> {
    this.throwIfCancelled()
    const data = typeof content === 'string' ? encoder.encode(content) : content
    const name = this.claimName(path)
    const deflate = data.length > 0 && (compression === 'deflate' || (compression === 'auto' && data.length >= SMALL_ENTRY_BYTES))
    let method: 0 | 8 = deflate ? 8 : 0
    let stored = deflate ? deflateSync(data, { level: 6 }) : data
    if (method === 8 && stored.length >= data.length) { method = 0; stored = data }
    const crc = crc32(data)
    const offset = this.bytesWritten
    this.writeLocalHeader(name, method, UTF8_FLAG, crc, stored.length, data.length, false)
    this.write(stored)
    this.records.push({ name, crc, compressedSize: stored.length, size: data.length, offset, method, flags: UTF8_FLAG, isDirectory: false })
    return this.room()
  }

  /** A directory entry ('path/'), so empty folders such as params/ exist after unzipping. */
  addDirectory(path: string): Promise<void> {
    this.throwIfCancelled()
    const name = this.claimName(path.endsWith('/') ? path : `${path}/`)
    const offset = this.bytesWritten
    this.writeLocalHeader(name, 0, UTF8_FLAG, 0, 0, 0, false)
    this.records.push({ name, crc: 0, compressedSize: 0, size: 0, offset, method: 0, flags: UTF8_FLAG, isDirectory: true })
    return this.room()
  }

  /**
   * A Blob streamed through (Blob.stream(): Chromium streams ~5× faster than it serves slice reads),
   * never held whole. `onBytes` reports uncompressed bytes as they pass. 'auto' stores known
   * compressed formats (images, archives, model weights) and anything whose first 64 KiB does not
   * shrink by 10 %; the rest is deflated at level 1.
   */
  async addBlob(path: string, blob: Blob, compression: EntryCompression = 'auto', onBytes?: (bytes: number) => void): Promise<void> {
    this.throwIfCancelled()
    const name = this.claimName(path)
    const reader = blob.stream().getReader()
    try {
      // The first chunks decide the method (the local header names it), then go out like the rest.
      const held: Uint8Array[] = []
      let heldBytes = 0, ended = false
      while (heldBytes < Math.min(SAMPLE_BYTES, blob.size) && !ended) {
        const { done, value } = await reader.read()
        if (done) ended = true
        else { held.push(value); heldBytes += value.length }
      }
      const deflate = blob.size > 0 && (compression === 'deflate' || (compression === 'auto' && worthDeflating(path, held)))
      const method: 0 | 8 = deflate ? 8 : 0
      const zip64 = blob.size >= ZIP64_BLOB_THRESHOLD
      const flags = UTF8_FLAG | DESCRIPTOR_FLAG
      const offset = this.bytesWritten
      this.writeLocalHeader(name, method, flags, 0, 0, 0, zip64)
      let crc = 0, size = 0, compressedSize = 0
      const pending: Uint8Array[] = []
      const deflater = method === 8 ? new Deflate({ level: 1 }, chunk => { pending.push(chunk) }) : null
      for (;;) {
        const next = held.shift() ?? (ended ? undefined : await reader.read().then(({ done, value }) => (done ? undefined : value)))
        if (next === undefined) break
        this.throwIfCancelled()
        crc = crc32(next, crc)
        size += next.length
        if (deflater) {
          deflater.push(next)
          for (const out of pending.splice(0)) { compressedSize += out.length; this.write(out) }
        } else {
          compressedSize += next.length
          this.handOver(next)
        }
        onBytes?.(next.length)
        await this.room()
      }
      if (deflater) {
        deflater.push(new Uint8Array(0), true)
        for (const out of pending.splice(0)) { compressedSize += out.length; this.write(out) }
      }
      if (size !== blob.size) throw new MlflowError('DATA_LOSS', `Artifact '${path}' changed size while it was being archived.`)
      this.write(descriptor(crc, compressedSize, size, zip64))
      this.records.push({ name, crc, compressedSize, size, offset, method, flags, isDirectory: false })
    } catch (error) {
      reader.cancel().catch(() => {})
      throw error
    }
    return this.room()
  }

  /** Resolves once the reader's queue has room: writers of many small entries await it now and then. */
  room(): Promise<void> {
    this.throwIfCancelled()
    if ((this.controller.desiredSize ?? 1) > 0) return RESOLVED
    return this.waitForRoom()
  }

  /** Writes the central directory (and the ZIP64 end records when needed) and closes the stream. */
  async finish(): Promise<void> {
    const directoryOffset = this.bytesWritten
    for (const [index, record] of this.records.entries()) {
      this.write(centralHeader(record, this.dosTime, this.dosDate))
      if (index % 1024 === 1023) await this.room()
    }
    const directorySize = this.bytesWritten - directoryOffset
    const count = this.records.length
    if (count >= 0xffff || directoryOffset >= MAX_32 || directorySize >= MAX_32) {
      const zip64EndOffset = this.bytesWritten
      const record = new DataView(new ArrayBuffer(56 + 20))
      record.setUint32(0, 0x06064b50, true)
      record.setBigUint64(4, 44n, true)
      record.setUint16(12, 45, true); record.setUint16(14, 45, true)
      record.setBigUint64(24, BigInt(count), true); record.setBigUint64(32, BigInt(count), true)
      record.setBigUint64(40, BigInt(directorySize), true); record.setBigUint64(48, BigInt(directoryOffset), true)
      record.setUint32(56, 0x07064b50, true)
      record.setBigUint64(64, BigInt(zip64EndOffset), true)
      record.setUint32(72, 1, true)
      this.write(new Uint8Array(record.buffer))
    }
    const end = new DataView(new ArrayBuffer(22))
    end.setUint32(0, 0x06054b50, true)
    end.setUint16(8, Math.min(count, 0xffff), true); end.setUint16(10, Math.min(count, 0xffff), true)
    end.setUint32(12, Math.min(directorySize, MAX_32), true); end.setUint32(16, Math.min(directoryOffset, MAX_32), true)
    this.write(new Uint8Array(end.buffer))
    this.flush()
    await this.room()
    this.controller.close()
  }

  /** Ends the stream with an error (the reader sees it); used when the producer fails. */
  fail(error: unknown): void {
    if (this.cancelled) return
    try { this.controller.error(error) } catch { /* already closed */ }
  }

  private claimName(path: string): Uint8Array {
    if (this.names.has(path)) throw new MlflowError('INTERNAL_ERROR', `Archive entry '${path}' was written twice.`)
    this.names.add(path)
    return encoder.encode(path)
  }

  private throwIfCancelled(): void {
    if (this.cancelled) throw new MlflowError('CANCELLED', 'The archive stream was cancelled by its reader.', { cause: this.cancelled })
  }

  private async waitForRoom(): Promise<void> {
    while ((this.controller.desiredSize ?? 1) <= 0 && !this.cancelled) {
      await new Promise<void>(resolve => { this.demand = resolve })
    }
    this.throwIfCancelled()
  }

  /** Copies bytes into the output buffer, handing full buffers to the reader. */
  private write(bytes: Uint8Array): void {
    let at = 0
    while (at < bytes.length) {
      if (this.used === this.buffer.length) this.flush()
      const length = Math.min(bytes.length - at, this.buffer.length - this.used)
      this.buffer.set(bytes.subarray(at, at + length), this.used)
      this.used += length
      at += length
    }
    if (this.used === this.buffer.length) this.flush()
  }

  /** Hands a large chunk the writer owns straight to the reader (no copy), after what is buffered. */
  private handOver(chunk: Uint8Array): void {
    if (chunk.length < OUTPUT_CHUNK / 4) return this.write(chunk)
    this.flush()
    this.enqueue(chunk)
  }

  /** Enqueues what is buffered. Chunks never share an ArrayBuffer, so a reader may transfer them. */
  private flush(): void {
    if (this.used === 0) return
    if (this.used === this.buffer.length) {
      this.enqueue(this.buffer)
      this.buffer = new Uint8Array(OUTPUT_CHUNK)
    } else {
      this.enqueue(this.buffer.slice(0, this.used))
    }
    this.used = 0
  }

  private enqueue(chunk: Uint8Array): void {
    this.throwIfCancelled()
    if (chunk.length === 0) return
    this.controller.enqueue(chunk)
    this.offset += chunk.length
  }

  private writeLocalHeader(name: Uint8Array, method: number, flags: number, crc: number, compressedSize: number, size: number, zip64: boolean): void {
    const extraLength = zip64 ? 20 : 0
    const header = new DataView(new ArrayBuffer(30 + name.length + extraLength))
    header.setUint32(0, 0x04034b50, true)
    header.setUint16(4, zip64 ? 45 : 20, true)
    header.setUint16(6, flags, true)
    header.setUint16(8, method, true)
    header.setUint16(10, this.dosTime, true); header.setUint16(12, this.dosDate, true)
    header.setUint32(14, crc, true)
    header.setUint32(18, zip64 ? MAX_32 : compressedSize, true)
    header.setUint32(22, zip64 ? MAX_32 : size, true)
    header.setUint16(26, name.length, true)
    header.setUint16(28, extraLength, true)
    const bytes = new Uint8Array(header.buffer)
    bytes.set(name, 30)
    if (zip64) { header.setUint16(30 + name.length, 1, true); header.setUint16(32 + name.length, 16, true) }
    this.write(bytes)
  }
}

function descriptor(crc: number, compressedSize: number, size: number, zip64: boolean): Uint8Array {
  const view = new DataView(new ArrayBuffer(zip64 ? 24 : 16))
  view.setUint32(0, 0x08074b50, true)
  view.setUint32(4, crc, true)
  if (zip64) { view.setBigUint64(8, BigInt(compressedSize), true); view.setBigUint64(16, BigInt(size), true) }
  else { view.setUint32(8, compressedSize, true); view.setUint32(12, size, true) }
  return new Uint8Array(view.buffer)
}

function centralHeader(record: CentralRecord, dosTime: number, dosDate: number): Uint8Array {
  const wide = [record.size >= MAX_32, record.compressedSize >= MAX_32, record.offset >= MAX_32]
  const wideCount = wide.filter(Boolean).length
  const extraLength = wideCount ? 4 + 8 * wideCount : 0
  const view = new DataView(new ArrayBuffer(46 + record.name.length + extraLength))
  view.setUint32(0, 0x02014b50, true)
  view.setUint16(4, (3 << 8) | 45, true) // made by: Unix, so the mode bits below are read
  view.setUint16(6, wideCount ? 45 : 20, true)
  view.setUint16(8, record.flags, true)
  view.setUint16(10, record.method, true)
  view.setUint16(12, dosTime, true); view.setUint16(14, dosDate, true)
  view.setUint32(16, record.crc, true)
  view.setUint32(20, wide[1] ? MAX_32 : record.compressedSize, true)
  view.setUint32(24, wide[0] ? MAX_32 : record.size, true)
  view.setUint16(28, record.name.length, true)
  view.setUint16(30, extraLength, true)
  const mode = record.isDirectory ? 0o040755 : 0o100644
  view.setUint32(38, ((mode << 16) | (record.isDirectory ? 0x10 : 0)) >>> 0, true)
  view.setUint32(42, wide[2] ? MAX_32 : record.offset, true)
  const bytes = new Uint8Array(view.buffer)
  bytes.set(record.name, 46)
  if (wideCount) {
    let at = 46 + record.name.length
    view.setUint16(at, 1, true); view.setUint16(at + 2, 8 * wideCount, true); at += 4
    for (const [index, value] of [record.size, record.compressedSize, record.offset].entries()) {
      if (wide[index]) { view.setBigUint64(at, BigInt(value), true); at += 8 }
    }
  }
  return bytes
}

/** Judged on the first chunks read, so deciding costs no extra read. */
function worthDeflating(path: string, first: Uint8Array[]): boolean {
  const length = first.reduce((sum, chunk) => sum + chunk.length, 0)
  if (length < 256 || COMPRESSED_EXTENSIONS.test(path)) return false
  const sample = new Uint8Array(Math.min(length, SAMPLE_BYTES))
  for (let at = 0, index = 0; at < sample.length; index++) {
    const part = first[index]!.subarray(0, sample.length - at)
    sample.set(part, at)
    at += part.length
  }
  return deflateSync(sample, { level: 1 }).length < sample.length * 0.9
}
