// Import's metric prefetch (src/archive/metric-prefetch.ts) in real Chromium: runs parsed ahead on the
// worker come back exactly as the thread parses them, whatever order they are asked for in, and a corrupt
// metric file is refused with the thread's own error; importArchive then writes nothing.
import { expect, test } from 'vitest'
import { exportArchive, importArchive, readArchive, streamToBlob } from '../../src/archive/index.ts'
import { metricSource } from '../../src/archive/metric-prefetch.ts'
import type { ArchiveRun } from '../../src/archive/model.ts'
import { MlflowClient } from '../../src/index.ts'
import type { LocalTrackingStore } from '../../src/store/local/local-store.ts'
import { storesFor } from '../../src/store/uri.ts'
import { freshTrackingUri } from '../helpers.ts'

const RUNS = 6

/** A small mlruns zip (the tests lower the metric bytes from which the worker is used). */
async function archiveWithMetrics(): Promise<Blob> {
  const uri = freshTrackingUri('metric-prefetch')
  const client = new MlflowClient(uri)
  const experimentId = await client.createExperiment('prefetch')
  for (let runIndex = 0; runIndex < RUNS; runIndex++) {
    const runId = (await client.createRun(experimentId, { runName: `run-${runIndex}` })).info.runId
    await storesFor(uri).tracking.logMetrics(runId, Array.from({ length: 600 }, (_, index) => ({
      key: `m${index % 2}`, value: index % 97 === 0 ? NaN : Math.sin(index * (runIndex + 1)), step: Math.floor(index / 2), timestamp: 1_700_000_000_000 + index,
    })))
  }
  const zip = await streamToBlob(await exportArchive({ trackingUri: uri, experimentIds: [experimentId] }))
  return zip
}

async function outcome<T>(promise: Promise<T>): Promise<{ value: T } | { error: string; code: unknown }> {
  try { return { value: await promise } } catch (error) { return { error: (error as Error).message, code: (error as { errorCode?: unknown }).errorCode } }
}

const runsOf = async (zip: Blob): Promise<ArchiveRun[]> => (await readArchive(zip)).contents.experiments.flatMap(item => item.runs)

test('runs parsed ahead on the worker come back as the thread parses them, in any order asked', async () => {
  const zip = await archiveWithMetrics()
  const runs = await runsOf(zip)
  expect(runs).toHaveLength(RUNS)
  const source = metricSource(zip, runs, 0)
  try {
    const order = [runs[0]!, runs[3]!, runs[1]!, runs[2]!, runs[4]!, runs[5]!, runs[3]!] // one skipped ahead, one asked twice
    for (const run of order) expect(await source.read(run)).toEqual(await run.readMetrics())
  } finally {
    source.close()
  }
})

test('a corrupt metric file read ahead is refused with the thread\'s error, and importing the zip writes nothing', async () => {
  const zip = await archiveWithMetrics()
  const entry = (await runsOf(zip))[RUNS - 2]!.metricFiles![1]!
  const corrupt = new Uint8Array(await zip.arrayBuffer())
  const at = entry.localOffset + 30 + entry.nameBytes.length + 40
  corrupt[at] = corrupt[at] === 0x31 ? 0x32 : 0x31 // a digit changed: still parses, CRC differs
  const bad = new Blob([corrupt])
  const runs = await runsOf(bad)
  const source = metricSource(bad, runs, 0)
  try {
    for (const [index, run] of runs.entries()) {
      const got = await outcome(source.read(run))
      expect(got).toEqual(await outcome(run.readMetrics()))
      if (index === RUNS - 2) expect(got).toMatchObject({ code: 'INVALID_PARAMETER_VALUE', error: expect.stringMatching(/CRC-32/) })
      else expect(got).toHaveProperty('value')
    }
  } finally {
    source.close()
  }
  const uri = freshTrackingUri('metric-prefetch-import')
  await expect(importArchive(bad, { trackingUri: uri })).rejects.toThrow(/CRC-32/)
  const { db } = storesFor(uri).tracking as LocalTrackingStore
  expect([await db.runs.count(), await db.metricChunks.count(), await db.experiments.where('name').equals('prefetch').count()]).toEqual([0, 0, 0])
})
