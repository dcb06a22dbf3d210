// The streaming zip writer: readable by our reader (and, by design, any unzip), with ZIP64 end
// records once entries pass 65,535, and backpressure that stops writing when nobody reads.
import { unzipSync } from 'fflate'
import { expect, test } from 'vitest'
import { ZipArchive } from '../../../src/archive/zip-reader.ts'
import { ZipStreamWriter } from '../../../src/archive/zip-writer.ts'
import { streamToBlob } from '../../../src/archive/write-archive.ts'
import { bytesOf, text } from './helpers.ts'

test('entries written in every mode read back identical, through our reader and fflate', async () => {
  const zip = new ZipStreamWriter()
  const random = Uint8Array.from({ length: 3 << 20 }, (_, index) => (index * 2654435761) >>> 24)
  const produced = (async () => {
    await zip.addBytes('small.txt', 'hello\n')
    await zip.addDirectory('empty')
    await zip.addBlob('images/plot.png', new Blob([random]))
    await zip.addBlob('logs/train.log', new Blob(['epoch 1 loss 0.5\n'.repeat(100_000)]))
    await zip.addBlob('empty.bin', new Blob([]))
    await zip.finish()
  })()
  const blob = await streamToBlob(zip.stream)
  await produced
  const archive = await ZipArchive.open(blob)
  expect(text(await archive.readBytes(archive.get('small.txt')!))).toBe('hello\n')
  // Buffer.equals: toEqual on megabytes of typed array is very slow.
  expect(Buffer.from(await bytesOf(await archive.readBlob(archive.get('images/plot.png')!))).equals(random)).toBe(true)
  expect(archive.get('logs/train.log')!.method).toBe(8)
  expect(archive.get('images/plot.png')!.method).toBe(0)
  expect(archive.get('logs/train.log')!.compressedSize).toBeLessThan(100_000)
  expect(archive.directories.has('empty')).toBe(true)
  const viaFflate = unzipSync(await bytesOf(blob))
  expect(text(viaFflate['logs/train.log']!)).toBe('epoch 1 loss 0.5\n'.repeat(100_000))
})

test('more than 65,535 entries get ZIP64 end records and still read back', async () => {
  const zip = new ZipStreamWriter()
  const produced = (async () => {
    for (let index = 0; index < 70_000; index++) await zip.addBytes(`f/${index}`, '')
    await zip.finish()
  })()
  const blob = await streamToBlob(zip.stream)
  await produced
  const archive = await ZipArchive.open(blob)
  expect(archive.entries).toHaveLength(70_000)
})

test('the writer waits while nobody reads: memory stays near the stream high-water mark', async () => {
  const zip = new ZipStreamWriter({ highWaterMarkBytes: 1 << 20 })
  let written = 0
  void (async () => {
    for (let index = 0; index < 64; index++) { await zip.addBlob(`chunk-${index}.bin`, new Blob([new Uint8Array(1 << 20)]), 'store'); written++ }
    await zip.finish()
  })().catch((error: unknown) => error)
  await new Promise(resolve => setTimeout(resolve, 200))
  expect(written).toBeLessThan(4)
  const reader = zip.stream.getReader()
  await reader.cancel()
})
