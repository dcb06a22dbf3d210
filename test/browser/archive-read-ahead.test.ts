// Import's read-ahead (src/archive/read-ahead.ts) in real Chromium: runs whose files the worker read
// ahead come back exactly as the thread reads them, whatever order they are asked for in, and a corrupt
// metric or params file is refused with the thread's own error; importArchive then writes nothing.
import { zipSync } from 'fflate'
import { expect, test } from 'vitest'
import { exportArchive, importArchive, streamToBlob } from '../../src/archive/index.ts'
import type { PendingRun } from '../../src/archive/model.ts'
import { runReader } from '../../src/archive/read-ahead.ts'
import { startReadAheadWorker } from '../../src/archive/read-ahead-worker.ts'
import { scanArchive } from '../../src/archive/read-archive.ts'
import type { ZipEntry } from '../../src/archive/zip-reader.ts'
import { MlflowClient } from '../../src/index.ts'
import type { LocalTrackingStore } from '../../src/store/local/local-store.ts'
import { storesFor } from '../../src/store/uri.ts'
import { freshTrackingUri } from '../helpers.ts'

const RUNS = 6

/** A small mlruns zip (the tests lower the metric bytes from which the worker is used). */
async function archiveWithMetrics(): Promise<Blob> {
  const uri = freshTrackingUri('read-ahead')
  const client = new MlflowClient(uri)
  const experimentId = await client.createExperiment('read-ahead')
  for (let runIndex = 0; runIndex < RUNS; runIndex++) {
    const runId = (await client.createRun(experimentId, { runName: `run-${runIndex}`, tags: { note: `ünïcode ${runIndex}` } })).info.runId
    await client.logBatch(runId, { params: [{ key: 'lr', value: String(0.1 * runIndex) }, { key: 'layers', value: String(runIndex) }] })
    await storesFor(uri).tracking.logMetrics(runId, Array.from({ length: 600 }, (_, index) => ({
      key: `m${index % 2}`, value: index % 97 === 0 ? NaN : Math.sin(index * (runIndex + 1)), step: Math.floor(index / 2), timestamp: 1_700_000_000_000 + index,
    })))
  }
  return streamToBlob(await exportArchive({ trackingUri: uri, experimentIds: [experimentId] }))
}

async function outcome<T>(promise: Promise<T>): Promise<{ value: T } | { error: string; code: unknown }> {
  try { return { value: await promise } } catch (error) { return { error: (error as Error).message, code: (error as { errorCode?: unknown }).errorCode } }
}

const pendingRuns = async (zip: Blob): Promise<PendingRun[]> => (await scanArchive(zip)).contents.experiments.flatMap(item => item.runs)

/** What a reader gives for a run, without its functions: fields, metric keys and histories. */
async function loaded(read: Promise<{ run: { info: unknown; params: unknown; tags: unknown; inputs: unknown; metricKeys: string[] }; columns: unknown[] }>) {
  const { run, columns } = await read
  return { info: run.info, params: run.params, tags: run.tags, inputs: run.inputs, metricKeys: run.metricKeys, columns }
}

async function inThread(run: PendingRun) {
  const read = await run.read()
  return { run: read, columns: await read.readMetrics() }
}

test('runs read ahead on the worker come back as the thread reads them, in any order asked', async () => {
  const zip = await archiveWithMetrics()
  const runs = await pendingRuns(zip)
  expect(runs).toHaveLength(RUNS)
  expect(runs.every(run => run.readAhead!.texts.length >= 4 && run.readAhead!.metrics.length === 2)).toBe(true)
  const reader = runReader(runs, startReadAheadWorker(zip), 0)
  try {
    const order = [runs[0]!, runs[3]!, runs[1]!, runs[2]!, runs[4]!, runs[5]!, runs[3]!] // one skipped ahead, one asked twice
    for (const run of order) {
      const expected = await loaded(inThread(run))
      expect(expected.params).toMatchObject({ lr: expect.any(String), layers: expect.any(String) })
      expect(await loaded(reader.read(run))).toEqual(expected)
    }
  } finally {
    reader.close()
  }
})

/** The zip with one byte of `entry`'s data changed, so it still parses but its CRC differs. */
async function corrupted(zip: Blob, entry: ZipEntry, at: number): Promise<Blob> {
  const bytes = new Uint8Array(await zip.arrayBuffer())
  const offset = entry.localOffset + 30 + entry.nameBytes.length + at
  bytes[offset] = bytes[offset] === 0x31 ? 0x32 : 0x31
  return new Blob([bytes])
}

for (const [what, pick, pattern] of [
  ['metric', (run: PendingRun) => run.readAhead!.metrics[1]!, /CRC-32/],
  ['params', (run: PendingRun) => run.readAhead!.texts.find(entry => entry.path.endsWith('/params/layers'))!, /params\/layers/],
] as const) {
  test(`a corrupt ${what} file read ahead is refused with the thread's error, and importing the zip writes nothing`, async () => {
    const zip = await archiveWithMetrics()
    const bad = await corrupted(zip, pick((await pendingRuns(zip))[RUNS - 2]!), 0)
    const runs = await pendingRuns(bad)
    const reader = runReader(runs, startReadAheadWorker(bad), 0)
    try {
      for (const [index, run] of runs.entries()) {
        const got = await outcome(loaded(reader.read(run)))
        expect(got).toEqual(await outcome(loaded(inThread(run))))
        if (index === RUNS - 2) expect(got).toMatchObject({ code: 'INVALID_PARAMETER_VALUE', error: expect.stringMatching(pattern) })
        else expect(got).toHaveProperty('value')
      }
    } finally {
      reader.close()
    }
    const uri = freshTrackingUri('read-ahead-import')
    await expect(importArchive(bad, { trackingUri: uri })).rejects.toThrow(pattern)
    const { db } = storesFor(uri).tracking as LocalTrackingStore
    expect([await db.runs.count(), await db.metricChunks.count(), await db.experiments.where('name').equals('read-ahead').count()]).toEqual([0, 0, 0])
  })
}

test('a run whose text files are too large to read ahead is read by the thread, which refuses its first overlong param', async () => {
  const run = '0123456789abcdef0123456789abcdef'
  const encoder = new TextEncoder()
  const files: Record<string, Uint8Array> = {
    'mlruns/1/meta.yaml': encoder.encode("artifact_location: mlruns/1\ncreation_time: 1\nexperiment_id: '1'\nlast_update_time: 1\nlifecycle_stage: active\nname: wide\n"),
    [`mlruns/1/${run}/meta.yaml`]: encoder.encode(`artifact_uri: mlruns/1/${run}/artifacts\nexperiment_id: '1'\nlifecycle_stage: active\nrun_id: ${run}\nrun_uuid: ${run}\nstart_time: 1\nstatus: 3\nuser_id: u\n`),
    [`mlruns/1/${run}/metrics/loss`]: encoder.encode('1 0.5 0\n'),
  }
  // 300 params of 20 KB (over a param's 6,000 characters): 6 MB of text, highly compressible.
  for (let index = 0; index < 300; index++) files[`mlruns/1/${run}/params/p${String(index).padStart(3, '0')}`] = new Uint8Array(20_000).fill(0x61)
  const zip = new Blob([zipSync(files, { level: 6 }) as Uint8Array<ArrayBuffer>])
  const [pending] = await pendingRuns(zip)
  expect(pending!.readAhead).toEqual({ texts: [], metrics: [expect.objectContaining({ path: `mlruns/1/${run}/metrics/loss` })] })
  const reader = runReader([pending!], startReadAheadWorker(zip), 0)
  try {
    const got = await outcome(loaded(reader.read(pending!)))
    expect(got).toEqual(await outcome(loaded(inThread(pending!))))
    expect(got).toMatchObject({ code: 'INVALID_PARAMETER_VALUE', error: expect.stringMatching(/params\/p000/) })
  } finally {
    reader.close()
  }
})
