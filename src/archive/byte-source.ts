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
  /** Archive offset of buffer[0]; the stream's next byte follows buffer's last. */
  private position = 0
  private buffer: Uint8Array = new Uint8Array(0)
  /** Reads that must stream wait their turn: the stream and buffer are shared state. */
  private queue: Promise<unknown> = Promise.resolve()

  constructor(readonly blob: Blob) {}

  /**
   * `length` bytes at `offset`. The result may be a view of a shared buffer that is never written
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

  private buffered(offset: number, length: number): Uint8Array | null {
    const from = offset - this.position
    return from >= 0 && from + length <= this.buffer.length ? this.buffer.subarray(from, from + length) : null
  }

  private async readStreaming(offset: number, length: number): Promise<Uint8Array> {
    const ready = this.buffered(offset, length)
    if (ready) return ready
    const streamed = this.position + this.buffer.length
    if (!this.reader || offset < this.position || offset > streamed + MAX_SKIP) this.restart(offset)
    else if (offset >= streamed) { this.buffer = new Uint8Array(0); this.position = streamed }
    else { this.buffer = this.buffer.subarray(offset - this.position); this.position = offset }
    while (this.position + this.buffer.length < offset + length) {
      const { done, value } = await this.reader!.read()
      if (done) {
        if (this.spanEnd >= this.blob.size) throw badArchive('the zip ended early while it was read (was the file changed?)')
        this.openSpan(this.spanEnd)
        continue
      }
      const end = this.position + this.buffer.length + value.length
      if (end <= offset) { this.buffer = new Uint8Array(0); this.position = end; continue }
      if (this.buffer.length === 0) {
        // Start the buffer at `offset`: bytes before it are not wanted.
        const skip = Math.max(0, offset - this.position)
        this.buffer = value.subarray(skip)
        this.position += skip
      } else {
        // A new array, never an in-place write: views handed out earlier stay valid.
        const joined = new Uint8Array(this.buffer.length + value.length)
        joined.set(this.buffer)
        joined.set(value, this.buffer.length)
        this.buffer = joined
      }
    }
    return this.buffered(offset, length)!
  }

  private restart(offset: number): void {
    this.reader?.cancel().catch(() => {})
    this.span = FIRST_SPAN
    this.openSpan(offset)
    this.position = offset
    this.buffer = new Uint8Array(0)
  }

  private openSpan(start: number): void {
    this.spanEnd = Math.min(this.blob.size, start + this.span)
    this.reader = this.blob.slice(start, this.spanEnd).stream().getReader()
    this.span = Math.min(MAX_SPAN, this.span * 2)
  }
}
