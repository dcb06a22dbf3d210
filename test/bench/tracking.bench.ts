/** Issue 2's tracking figures, measured in Chromium on real IndexedDB: logging, history reads, run creation, search. */
import Dexie from 'dexie'
import { MlflowClient } from '../../src/index.ts'
import type { Metric } from '../../src/index.ts'
import { LablogDb } from '../../src/store/local/db.ts'
import { rowsToReadCold } from '../../src/store/local/run-digests.ts'
import { clearStoreCache } from '../../src/store/uri.ts'
import type { BenchResult } from './types.ts'

const created: string[] = []
const fresh = () => {
  const name = `bench-${crypto.randomUUID()}`
  created.push(name)
  return new MlflowClient(`indexeddb://${name}`)
}

/** Pause between measures; see settle(). */
const SETTLE_MS = 3000

/**
 * Drops the databases the last measure wrote, then waits: Chromium's storage backend goes on
 * compacting what a measure wrote (3M points, 10,000 runs) for seconds after, on the same two cores,
 * and that would be charged to whichever measure runs next.
 */
async function settle(): Promise<void> {
  clearStoreCache()
  await Promise.all(created.splice(0).map(name => Dexie.delete(name)))
  await new Promise(resolve => setTimeout(resolve, SETTLE_MS))
}

async function timed<T>(body: () => Promise<T>): Promise<{ ms: number; result: T }> {
  const start = performance.now()
  const result = await body()
  return { ms: performance.now() - start, result }
}

async function logBatchThroughput(): Promise<BenchResult> {
  const client = fresh()
  const runId = (await client.createRun('0')).info.runId
  const points = 1_000_000, batch = 1000, now = Date.now()
  const { ms } = await timed(async () => {
    for (let start = 0; start < points; start += batch) {
      const metrics: Metric[] = new Array(batch)
      for (let index = 0; index < batch; index++) metrics[index] = { key: 'loss', value: Math.random(), step: start + index, timestamp: now }
      await client.logBatch(runId, { metrics })
    }
  })
  return { name: 'logBatch, 1,000 points per call (1M points)', value: points / (ms / 1000), unit: 'points/s', target: '≥ 500,000' }
}

async function unawaitedLoopThroughput(): Promise<BenchResult> {
  const client = fresh()
  const runId = (await client.createRun('0')).info.runId
  const points = 1_000_000
  const { ms } = await timed(async () => {
    for (let step = 0; step < points; step++) void client.logMetric(runId, 'loss', step * 1e-6, { step })
    await client.flush()
  })
  const stored = (await client.getMetricColumns(runId, 'loss')).steps.length
  if (stored !== points) throw new Error(`expected ${points} points stored, found ${stored}`)
  return { name: 'un-awaited logMetric loop + flush (1M points)', value: points / (ms / 1000), unit: 'points/s', target: '≥ 300,000' }
}

async function historyRead(): Promise<BenchResult[]> {
  const client = fresh()
  const runId = (await client.createRun('0')).info.runId
  const points = 1_000_000, batch = 1000
  for (let start = 0; start < points; start += batch) {
    await client.logBatch(runId, { metrics: Array.from({ length: batch }, (_, index) => ({ key: 'loss', value: index, step: start + index, timestamp: 1 })) })
  }
  const objects = await timed(() => client.getMetricHistory(runId, 'loss'))
  const columns = await timed(() => client.getMetricColumns(runId, 'loss'))
  if (objects.result.length !== points) throw new Error('history incomplete')
  return [
    { name: 'getMetricHistory, 1M points (Metric objects)', value: objects.ms, unit: 'ms', target: '≤ 200' },
    { name: 'getMetricColumns, 1M points (typed arrays)', value: columns.ms, unit: 'ms' },
  ]
}

/** Creates `count` runs (createRun + one logBatch each), `inFlight` at a time, as a sweep's workers would. */
async function createRuns(client: MlflowClient, experimentId: string, count: number, first: number, inFlight: number): Promise<number> {
  const createOne = async (index: number) => {
    const run = await client.createRun(experimentId, { runName: `run-${index}` })
    await client.logBatch(run.info.runId, {
      params: Array.from({ length: 20 }, (_, p) => ({ key: `param_${p}`, value: String((index * 7 + p) % 13) })),
      metrics: Array.from({ length: 10 }, (_, m) => ({ key: `metric_${m}`, value: ((index * 31 + m) % 1000) / 1000, step: 0, timestamp: 1 })),
      tags: Array.from({ length: 5 }, (_, t) => ({ key: `tag_${t}`, value: `v${(index + t) % 4}` })),
    })
  }
  const { ms } = await timed(async () => {
    let next = first
    const lane = async () => { while (next < first + count) await createOne(next++) }
    await Promise.all(Array.from({ length: inFlight }, lane))
  })
  return count / (ms / 1000)
}

/** How long the writer is idle before the app opens: its digest rebuild waits for ~1 s of quiet, then once more for older rows. */
const WRITER_IDLE_MS = 3000

async function runCreationAndSearch(): Promise<BenchResult[]> {
  const client = fresh()
  const experimentId = await client.createExperiment('search-bench')
  const runsPerSecond = await createRuns(client, experimentId, 8_000, 0, 1)
  const runsPerSecondConcurrent = await createRuns(client, experimentId, 2_000, 8_000, 4)
  const filter = "metrics.metric_0 > 0.5 and params.param_3 = '4' and tags.tag_1 != 'v0'"
  const search = (searcher: MlflowClient) => timed(() => searcher.searchRuns({ experimentIds: [experimentId], filter, orderBy: ['metrics.metric_1 DESC'], maxResults: 100 }))
  const databaseName = client.trackingUri.slice('indexeddb://'.length)

  // As when the app is opened after a sweep: the writer has been idle a while, long enough for its
  // context to write the experiment's digest in the background; a new connection then searches.
  await new Promise(resolve => setTimeout(resolve, WRITER_IDLE_MS))
  const db = new LablogDb(databaseName)
  // Counted by key: reading the digest here would warm the cold search's read.
  if (await db.runDigests.where('experimentId').equals(experimentId).count() !== 1) throw new Error(`no digest after the writer was idle ${WRITER_IDLE_MS} ms`)
  clearStoreCache()
  const coldClient = new MlflowClient(client.trackingUri)
  const viaDigest = await search(coldClient)
  const samples: number[] = []
  for (let repeat = 0; repeat < 5; repeat++) samples.push((await search(coldClient)).ms)
  samples.sort((a, b) => a - b)
  const deltaRows = await rowsToReadCold(db, experimentId)

  // The worst case, as right after writing (before the writer's idle rebuild): no digest, every row is read.
  await db.runDigests.clear()
  db.close()
  clearStoreCache()
  const noDigest = await search(new MlflowClient(client.trackingUri))
  if (JSON.stringify(noDigest.result) !== JSON.stringify(viaDigest.result)) throw new Error('the searches through a digest and over every row differ')
  return [
    { name: 'createRun + logBatch (20 params, 10 metrics, 5 tags), one after another', value: runsPerSecond, unit: 'runs/s', target: '≥ 1,000' },
    { name: 'the same, 4 runs in flight', value: runsPerSecondConcurrent, unit: 'runs/s' },
    { name: `searchRuns over 10,000 runs, 3 clauses + order by metric, first 100: first search on a new connection, writer idle ${WRITER_IDLE_MS / 1000} s before (digest + ${deltaRows} rows read)`, value: viaDigest.ms, unit: 'ms', target: '≤ 100' },
    { name: 'searchRuns, the same, repeated (median of 5)', value: samples[2]!, unit: 'ms', target: '≤ 100' },
    { name: 'searchRuns, the same, first search on a new connection with no digest yet (all 10,000 rows read)', value: noDigest.ms, unit: 'ms' },
  ]
}

export async function run(): Promise<BenchResult[]> {
  const results: BenchResult[] = []
  for (const measure of [logBatchThroughput, unawaitedLoopThroughput, historyRead, runCreationAndSearch]) {
    results.push(...[await measure()].flat())
    await settle()
  }
  return results
}
