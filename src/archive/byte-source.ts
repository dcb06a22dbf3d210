/**
 * Byte ranges of a zip Blob, read through one forward stream: Chromium charges ~0.5 ms per Blob
 * slice read but streams a Blob at ~1.5 GB/s, and an archive's entries are mostly read in order.
 */
import { badArchive } from './archive-errors.ts'

/** A forward gap up to this is streamed through; a longer one (or a step back) restarts the stream there. */
const MAX_SKIP = 2 << 20
/**
 * Each stream covers a slice of the Blob, growing from FIRST_SPAN to MAX_SPAN while reads go forward:
 * Chromium copies the bytes of a slice of an in-memory Blob, so slice(offset) to the end could copy
 * hundreds of MB for a read of a few KB.
 */
const FIRST_SPAN = 1 << 20
const MAX_SPAN = 16 << 20

export class ByteSource {
  private reader: ReadableStreamDefaultReader<Uint8Array> | null = null
  /** Where the current stream's slice ends, and how long the next one will be. */
  private spanEnd = 0
  private span = FIRST_SPAN
  /**
   * The stream's chunks still wanted, as they came (never joined: a file's chunks are hundreds of KB,
   * and joining the rest of one to the next per read that crosses them copied the archive twice over).
   * chunks[0] starts at archive offset `position`; the stream's next byte follows the last chunk.
   */
  private chunks: Uint8Array[] = []
  private position = 0
  private bufferedEnd = 0
  /** Reads that must stream wait their turn: the stream and chunks are shared state. */
  private queue: Promise<unknown> = Promise.resolve()

  constructor(readonly blob: Blob) {}

  /**
   * `length` bytes at `offset`. The result may be a view of a stream chunk that is never written
   * again: keep it as long as needed, but do not modify it.
   */
  read(offset: number, length: number): Promise<Uint8Array> {
    if (offset < 0 || length < 0 || offset + length > this.blob.size) return Promise.reject(badArchive('the zip is truncated (a range points past its end)'))
    const buffered = this.buffered(offset, length)
    if (buffered) return Promise.resolve(buffered)
    const result = this.queue.then(() => this.readStreaming(offset, length))
    this.queue = result.catch(() => {})
    return result
  }

  /** The range from the chunks held: a view when one chunk holds it, else a copy of just the range; null when not all held. */
  private buffered(offset: number, length: number): Uint8Array | null {
    if (length === 0) return new Uint8Array(0)
    if (offset < this.position || offset + length > this.bufferedEnd) return null
    let start = this.position, index = 0
    while (start + this.chunks[index]!.length <= offset && index < this.chunks.length - 1) start += this.chunks[index++]!.length
    const first = this.chunks[index]!
    if (offset + length <= start + first.length) return first.subarray(offset - start, offset - start + length)
    const out = new Uint8Array(length)
    for (let at = 0; at < length; start += this.chunks[index++]!.length) {
      const chunk = this.chunks[index]!
      const piece = chunk.subarray(offset + at - start, Math.min(chunk.length, offset + length - start))
      out.set(piece, at)
      at += piece.length
    }
    return out
  }

  private async readStreaming(offset: number, length: number): Promise<Uint8Array> {
    const ready = this.buffered(offset, length)
    if (ready) return ready
    if (!this.reader || offset < this.position || offset > this.bufferedEnd + MAX_SKIP) this.restart(offset)
    this.dropBefore(offset)
    while (this.bufferedEnd < offset + length) {
      const { done, value } = await this.reader!.read()
      if (done) {
        if (this.spanEnd >= this.blob.size) throw badArchive('the zip ended early while it was read (was the file changed?)')
        this.openSpan(this.spanEnd)
        continue
      }
      if (value.length === 0) continue
      this.chunks.push(value)
      this.bufferedEnd += value.length
      this.dropBefore(offset)
    }
    return this.buffered(offset, length)!
  }

  /** Lets go of chunks that end at or before `offset`: reads go forward. */
  private dropBefore(offset: number): void {
    while (this.chunks.length > 0 && this.position + this.chunks[0]!.length <= offset) this.position += this.chunks.shift()!.length
    if (this.chunks.length === 0) this.position = this.bufferedEnd
  }

  private restart(offset: number): void {
    this.reader?.cancel().catch(() => {})
    this.span = FIRST_SPAN
    this.openSpan(offset)
    this.chunks = []
    this.position = this.bufferedEnd = offset
  }

  private openSpan(start: number): void {
    this.spanEnd = Math.min(this.blob.size, start + this.span)
    this.reader = this.blob.slice(start, this.spanEnd).stream().getReader()
    this.span = Math.min(MAX_SPAN, this.span * 2)
  }
}
