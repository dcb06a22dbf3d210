// The zip reader's byte source streams a Blob forward and restarts on a step back: whatever the
// order of reads (forward, back, far ahead, concurrent), every read returns the Blob's own bytes.
import { expect, test } from 'vitest'
import { ByteSource } from '../../../src/archive/byte-source.ts'

const SIZE = 5 << 20
const bytes = Uint8Array.from({ length: SIZE }, (_, index) => (index * 2654435761) >>> 24)
const blob = new Blob([bytes])

function same(actual: Uint8Array, offset: number, length: number): boolean {
  return actual.length === length && Buffer.from(actual).equals(Buffer.from(bytes.subarray(offset, offset + length)))
}

test('forward, backward, overlapping and far reads all return the right bytes', async () => {
  const source = new ByteSource(blob)
  let seed = 3
  const random = (limit: number) => (seed = (seed * 48271) % 2147483647) % limit
  const reads: Array<[number, number]> = [[0, 30], [30, 100], [10, 5], [SIZE - 22, 22], [1 << 20, 2 << 20], [0, SIZE], [4 << 20, 1]]
  for (let index = 0; index < 300; index++) {
    const length = random(4) === 0 ? random(3 << 20) : random(5000)
    reads.push([random(SIZE - length), length])
  }
  for (const [offset, length] of reads) expect(same(await source.read(offset, length), offset, length), `${offset}+${length}`).toBe(true)
})

test('concurrent reads wait their turn and still get their own bytes', async () => {
  const source = new ByteSource(blob)
  const ranges = Array.from({ length: 40 }, (_, index) => [((index * 7919) % 97) * 50_000, 1000 + index * 3000] as const)
  const results = await Promise.all(ranges.map(([offset, length]) => source.read(offset, length)))
  ranges.forEach(([offset, length], index) => expect(same(results[index]!, offset, length)).toBe(true))
})

test('a range past the end is refused as a truncated zip', async () => {
  await expect(new ByteSource(blob).read(SIZE - 10, 11)).rejects.toMatchObject({ errorCode: 'INVALID_PARAMETER_VALUE' })
})

/** The same bytes, streamed in chunks of `chunk` bytes: reads then cross many chunk boundaries. */
function chunkedBlob(chunk: number): Blob {
  const sliceOf = (start: number, end: number) => ({
    size: end - start,
    slice: (from = 0, to = end - start) => sliceOf(start + from, start + Math.min(to, end - start)),
    stream: () => {
      let at = start
      return new ReadableStream<Uint8Array>({
        pull(controller) {
          if (at >= end) { controller.close(); return }
          controller.enqueue(bytes.slice(at, Math.min(end, at + chunk)))
          at += chunk
        },
      })
    },
  })
  return sliceOf(0, SIZE) as unknown as Blob
}

test('reads spanning many stream chunks get their own bytes, and views handed out stay intact', async () => {
  const source = new ByteSource(chunkedBlob(777))
  const kept: Array<[Uint8Array, number, number]> = []
  for (let offset = 0, length = 1; offset + length < 200_000; offset += length + (length % 5) * 300, length = (length * 7 + 11) % 5000) {
    const read = await source.read(offset, length)
    expect(same(read, offset, length), `${offset}+${length}`).toBe(true)
    kept.push([read, offset, length])
  }
  for (const [read, offset, length] of kept) expect(same(read, offset, length)).toBe(true)
  expect(same(await source.read(100, 3000), 100, 3000)).toBe(true) // back: the stream restarts
  expect((await source.read(50, 0)).length).toBe(0)
})
