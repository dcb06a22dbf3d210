// The import's metric worker (src/archive/metric-worker.ts) in real Chromium: it parses what the
// thread would, bit for bit, and refuses a bad file with the same error, code and all.
import { zipSync } from 'fflate'
import { expect, test } from 'vitest'
import { readMetricFile } from '../../src/archive/metric-bytes.ts'
import { metricFileBytes } from '../../src/archive/metric-file.ts'
import { startMetricWorker } from '../../src/archive/metric-worker.ts'
import { ZipArchive } from '../../src/archive/zip-reader.ts'

const encoder = new TextEncoder()

async function outcome<T>(promise: Promise<T>): Promise<{ value: T } | { error: string; code: unknown }> {
  try { return { value: await promise } } catch (error) { return { error: (error as Error).message, code: (error as { errorCode?: unknown }).errorCode } }
}

test('the metric worker parses stored and deflated metric files exactly as the thread does, errors included', async () => {
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
  const worker = startMetricWorker(zip)
  expect(worker).not.toBeNull()
  try {
    const good = entries.slice(0, 3)
    const inThread = await Promise.all(good.map(entry => readMetricFile(archive, entry)))
    expect(await worker!.parse(good)).toEqual(inThread)
    const bad = await outcome(worker!.parse([entries[3]!]))
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
  const worker = startMetricWorker(zip)!
  try {
    expect(await outcome(worker.parse([entry]))).toMatchObject({ code: 'INVALID_PARAMETER_VALUE', error: expect.stringMatching(/CRC-32/) })
  } finally {
    worker.terminate()
  }
})
