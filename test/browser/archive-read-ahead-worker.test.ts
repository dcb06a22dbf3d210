// The import's read-ahead worker (src/archive/read-ahead-worker.ts) in real Chromium: it reads and parses
// what the thread would, bit for bit, and refuses a bad file with the same error, code and all.
import { zipSync } from 'fflate'
import { expect, test } from 'vitest'
import { readMetricFile } from '../../src/archive/metric-bytes.ts'
import { metricFileBytes } from '../../src/archive/metric-file.ts'
import { startReadAheadWorker } from '../../src/archive/read-ahead-worker.ts'
import { ZipArchive } from '../../src/archive/zip-reader.ts'

const encoder = new TextEncoder()

async function outcome<T>(promise: Promise<T>): Promise<{ value: T } | { error: string; code: unknown }> {
  try { return { value: await promise } } catch (error) { return { error: (error as Error).message, code: (error as { errorCode?: unknown }).errorCode } }
}

test('the worker parses stored and deflated metric files exactly as the thread does, errors included', async () => {
  const steps = Float64Array.from({ length: 3000 }, (_, index) => index)
  const values = Float64Array.from({ length: 3000 }, (_, index) => (index % 100 === 0 ? NaN : Math.sin(index) * 10 ** ((index % 40) - 20)))
  const timestamps = Float64Array.from({ length: 3000 }, (_, index) => 1_700_000_000_000 + index)
  const plain = metricFileBytes({ steps, values, timestamps }).slice()
  const files = {
    'm/stored': [plain, { level: 0 }] as const,
    'm/deflated': [plain, { level: 6 }] as const,
    'm/tricky': [encoder.encode('1 inf 0\r\n2 -0.0 -1\n3 1_0.5 +2\n4 NaN 3'), { level: 6 }] as const,
    'm/bad': [encoder.encode('1 0.5 0\n2 0.5 1.5\n'), { level: 0 }] as const,
  }
  const zip = new Blob([zipSync(files as never) as Uint8Array<ArrayBuffer>])
  const archive = await ZipArchive.open(zip)
  const entries = Object.keys(files).map(path => archive.get(path)!)
  const worker = startReadAheadWorker(zip)
  expect(worker).not.toBeNull()
  try {
    const good = entries.slice(0, 3)
    const inThread = await Promise.all(good.map(entry => readMetricFile(archive, entry)))
    expect((await worker!.read({ texts: [], metrics: good })).columns).toEqual(inThread)
    const bad = await outcome(worker!.read({ texts: [], metrics: [entries[3]!] }))
    expect(bad).toEqual(await outcome(readMetricFile(archive, entries[3]!)))
    expect(bad).toMatchObject({ code: 'INVALID_PARAMETER_VALUE', error: expect.stringMatching(/'m\/bad': line 2/) })
  } finally {
    worker!.terminate()
  }
})

test('a corrupt metric file is refused by the worker with its CRC error', async () => {
  const bytes = zipSync({ 'm/x': [encoder.encode('1 0.5 0\n'.repeat(100)), { level: 0 }] })
  const archive0 = await ZipArchive.open(new Blob([bytes as Uint8Array<ArrayBuffer>]))
  const entry = archive0.get('m/x')!
  const corrupt = bytes.slice()
  corrupt[entry.localOffset + 30 + entry.nameBytes.length + 5] = 0x39 // a digit changed: still parses, CRC differs
  const zip = new Blob([corrupt as Uint8Array<ArrayBuffer>])
  const worker = startReadAheadWorker(zip)!
  try {
    expect(await outcome(worker.read({ texts: [], metrics: [entry] }))).toMatchObject({ code: 'INVALID_PARAMETER_VALUE', error: expect.stringMatching(/CRC-32/) })
  } finally {
    worker.terminate()
  }
})

test('the worker hands back text files as the checked bytes the thread reads, in request order, whatever their order in the zip', async () => {
  const files = {
    'r/metrics/m': [encoder.encode('1 0.5 0\n'), { level: 0 }] as const,
    'r/tags/t': [encoder.encode('é'.repeat(500)), { level: 6 }] as const,
    'r/meta.yaml': [encoder.encode('run_id: r\n'), { level: 0 }] as const,
    'r/params/p': [new Uint8Array(0), { level: 0 }] as const,
  }
  const zip = new Blob([zipSync(files as never) as Uint8Array<ArrayBuffer>])
  const archive = await ZipArchive.open(zip)
  const texts = ['r/meta.yaml', 'r/params/p', 'r/tags/t'].map(path => archive.get(path)!)
  const worker = startReadAheadWorker(zip)!
  try {
    const read = await worker.read({ texts, metrics: [archive.get('r/metrics/m')!] })
    const expected = await Promise.all(texts.map(entry => archive.readText(entry)))
    const decoder = new TextDecoder()
    let at = 0
    expect(texts.map(entry => decoder.decode(read.texts.subarray(at, at += entry.size)))).toEqual(expected)
    expect(read.columns).toEqual([await readMetricFile(archive, archive.get('r/metrics/m')!)])
  } finally {
    worker.terminate()
  }
})
