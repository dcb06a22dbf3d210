/**
 * Issue 4's archive figures in Chromium on real IndexedDB: export and import of 1,000 runs ×
 * (20 params, 10 metrics × 1,000 steps) + 100 MB of 1 MB artifacts — metadata runs/s, artifact MB/s
 * (the artifacts sit on 100 runs of their own, so neither figure hides in the other) and peak memory.
 * scripts/bench.mjs runs Chromium with an on-disk profile. Each metadata archive ('fast': metric files
 * stored, the default; 'small': deflated) is streamed into a file of the origin private file system
 * and imported from that File, as a user imports a file from disk: kept as a Blob, the ≈ 360 MB 'fast'
 * archive fails to read once the page's Blobs pass ≈ 500 MB. Each archive is dropped once its figures
 * are taken, and each import goes to a fresh database.
 */
import Dexie from 'dexie'
import { exportArchive, importArchive, streamToBlob } from '../../src/archive/index.ts'
import type { ExportArchiveOptions } from '../../src/archive/index.ts'
import { MlflowClient } from '../../src/index.ts'
import { storesFor } from '../../src/store/uri.ts'
import type { Metric } from '../../src/index.ts'
import type { BenchResult } from './types.ts'

const RUNS = 1000, PARAMS = 20, METRICS = 10, STEPS = 1000
const ARTIFACT_RUNS = 100, ARTIFACT_BYTES = 1 << 20 // 100 MB of artifacts in all
const MB = 2 ** 20

const heap = () => (performance as unknown as { memory?: { usedJSHeapSize: number } }).memory?.usedJSHeapSize ?? 0
const gc = () => (globalThis as { gc?: () => void }).gc?.()

/** Bytes that do not compress, like model weights and images. */
function noise(length: number, seed: number): Uint8Array {
  const bytes = new Uint8Array(length)
  const words = new Uint32Array(bytes.buffer)
  let state = seed || 1
  for (let index = 0; index < words.length; index++) { state ^= state << 13; state ^= state >>> 17; state ^= state << 5; words[index] = state >>> 0 }
  return bytes
}

/** The runs: params and metric histories. */
async function seedRuns(uri: string): Promise<string> {
  const client = new MlflowClient(uri)
  const store = storesFor(uri).tracking
  const experimentId = await client.createExperiment('bench-archive')
  const now = Date.now()
  for (let runIndex = 0; runIndex < RUNS; runIndex++) {
    const runId = (await client.createRun(experimentId, { runName: `run-${runIndex}`, startTime: now + runIndex })).info.runId
    await client.logBatch(runId, { params: Array.from({ length: PARAMS }, (_, index) => ({ key: `param_${index}`, value: `${index * runIndex}` })) })
    const metrics: Metric[] = new Array(METRICS * STEPS)
    for (let key = 0; key < METRICS; key++) {
      for (let step = 0; step < STEPS; step++) metrics[key * STEPS + step] = { key: `metric_${key}`, value: Math.random(), step, timestamp: now + step }
    }
    await store.logMetrics(runId, metrics)
    await client.setTerminated(runId, 'FINISHED', now + 10_000)
  }
  return experimentId
}

/** The 100 MB of artifacts, on runs that hold only a 1 MB weights file each. */
async function seedArtifacts(uri: string): Promise<string> {
  const client = new MlflowClient(uri)
  const experimentId = await client.createExperiment('bench-artifacts')
  for (let runIndex = 0; runIndex < ARTIFACT_RUNS; runIndex++) {
    const runId = (await client.createRun(experimentId, { runName: `weights-${runIndex}` })).info.runId
    await client.logArtifact(runId, new Blob([noise(ARTIFACT_BYTES, 1000 + runIndex) as Uint8Array<ArrayBuffer>]), 'model', 'weights.bin')
    await client.setTerminated(runId, 'FINISHED')
  }
  return experimentId
}

/**
 * The pause before each measure: Chromium's storage backend goes on compacting what the seeding or the
 * last measure wrote (80 MB of metric values, a 360 MB archive) for seconds after, on the same two
 * cores, and that would be charged to whichever measure runs next (the tracking bench pauses too).
 */
const SETTLE_MS = 3000
const settle = () => new Promise(resolve => setTimeout(resolve, SETTLE_MS))

/** Runs `body` while sampling the heap: its duration and the peak growth (garbage included: no gc() in between). */
async function timed<T>(body: () => Promise<T>): Promise<{ seconds: number; peakGrowthMb: number; result: T }> {
  await settle()
  gc()
  const baseline = heap()
  let peak = baseline
  const sampler = setInterval(() => { peak = Math.max(peak, heap()) }, 10)
  const start = performance.now()
  const result = await body()
  const seconds = (performance.now() - start) / 1000
  clearInterval(sampler)
  peak = Math.max(peak, heap())
  return { seconds, peakGrowthMb: (peak - baseline) / MB, result }
}

/** The peak of LIVE memory: gc() before every sample (slows the body; its time is not reported). */
async function livePeakMb(body: () => Promise<unknown>): Promise<number> {
  await settle()
  gc()
  const baseline = heap()
  let peak = baseline
  const sample = () => { gc(); peak = Math.max(peak, heap()) }
  const sampler = setInterval(sample, 50)
  await body()
  clearInterval(sampler)
  sample()
  return (peak - baseline) / MB
}

const exportBlob = async (options: ExportArchiveOptions) => streamToBlob(await exportArchive(options))

const OPFS_NAME = 'bench-archive.zip'

/** Exports into a file of the origin private file system: a File read back from disk, as a user's would be. */
async function exportToFile(options: ExportArchiveOptions): Promise<File> {
  const handle = await (await navigator.storage.getDirectory()).getFileHandle(OPFS_NAME, { create: true })
  await (await exportArchive(options)).pipeTo(await handle.createWritable())
  return handle.getFile()
}

const removeFile = async () => (await navigator.storage.getDirectory()).removeEntry(OPFS_NAME)

/** Exports and reads the stream to its end without keeping it (a writer to disk would do the same). */
async function exportDiscarded(options: ExportArchiveOptions): Promise<number> {
  const reader = (await exportArchive(options)).getReader()
  let bytes = 0
  for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) bytes += chunk.value.length
  return bytes
}

/** Runs `body` on a fresh database, then deletes it, so each import starts from an empty store and disk stays small. */
async function withFreshDatabase<T>(body: (trackingUri: string) => Promise<T>): Promise<T> {
  const name = `bench-archive-import-${crypto.randomUUID()}`
  try { return await body(`indexeddb://${name}`) } finally { await Dexie.delete(name) }
}

export async function run(): Promise<BenchResult[]> {
  const sourceName = `bench-archive-source-${crypto.randomUUID()}`
  const source = `indexeddb://${sourceName}`
  const experimentId = await seedRuns(source)
  const artifactsId = await seedArtifacts(source)
  const artifactMb = (ARTIFACT_RUNS * ARTIFACT_BYTES) / MB
  const live = typeof (globalThis as { gc?: unknown }).gc === 'function' ? 'live, gc() every 50 ms' : 'no gc(): garbage included'
  const results: BenchResult[] = []
  const add = (name: string, value: number, unit: string, target?: string) => results.push({ name, value, unit, ...(target ? { target } : {}) })
  const runs = { trackingUri: source, experimentIds: [experimentId] }
  const weights = { trackingUri: source, experimentIds: [artifactsId] }
  const everything = { trackingUri: source, experimentIds: [experimentId, artifactsId] }
  const timedValue = async <T>(body: () => Promise<T>, keep: (figures: { seconds: number; peakGrowthMb: number }) => void): Promise<T> => {
    const { result, ...figures } = await timed(body)
    keep(figures)
    return result
  }

  // Warm-up, untimed: 50 runs exported to a file and imported (through the read-ahead worker: over 4 MB).
  // The first timed export compiles the export path for the rows after it; this compiles the import path too.
  const warmUpRuns = (await new MlflowClient(source).searchRuns({ experimentIds: [experimentId], maxResults: 50 })).runs.map(run => run.info.runId)
  const warmUp = await exportToFile({ trackingUri: source, runIds: warmUpRuns, includeArtifacts: false })
  await withFreshDatabase(uri => importArchive(warmUp, { trackingUri: uri }))
  await removeFile()

  // Each archive is dropped once its figures are taken (see the header).
  await timedValue(() => exportDiscarded({ ...runs, includeArtifacts: false }), ({ seconds }) =>
    add(`export mlruns, metadata (${RUNS} runs, ${RUNS * METRICS * STEPS / 1e6}M points)`, RUNS / seconds, 'runs/s', '≥ 200'))
  // Each metadata archive is written to a file (OPFS) and imported from it, as a user imports a File:
  // kept as a Blob instead, the ≈ 380 MB 'fast' archive fails to read ("network error"), even with the
  // on-disk profile, once the heap's Blobs pass ≈ 500 MB.
  for (const compression of ['fast', 'small'] as const) {
    const label = compression === 'fast' ? "metric files stored: compression 'fast', the default" : "metric files deflated: compression 'small'"
    const file = await timedValue(() => exportToFile({ ...runs, includeArtifacts: false, compression }), ({ seconds }) =>
      add(`export mlruns, metadata, written to a file (${label})`, RUNS / seconds, 'runs/s'))
    add(`export mlruns, metadata: archive size (${label})`, file.size / MB, 'MB')
    await withFreshDatabase(uri => timedValue(() => importArchive(file, { trackingUri: uri }), ({ seconds, peakGrowthMb }) => {
      add(`import mlruns, metadata, from that file (${label})`, RUNS / seconds, 'runs/s', '≥ export')
      add(`import mlruns, metadata ('${compression}'): peak JS heap growth (garbage included)`, peakGrowthMb, 'MB')
    }))
    await removeFile()
  }
  // No live-heap figure for import: its sampler does not get to run while the import's transaction is held open.

  let zip = await timedValue(() => exportBlob(weights), ({ seconds }) =>
    add(`export mlruns, artifacts (${ARTIFACT_RUNS} × 1 MB weights.bin, stored)`, artifactMb / seconds, 'MB/s', '≥ 50'))
  await withFreshDatabase(uri => timedValue(() => importArchive(zip, { trackingUri: uri }), ({ seconds }) => add('import mlruns, artifacts', artifactMb / seconds, 'MB/s', '≥ export')))
  zip = new Blob([])

  await timedValue(() => exportDiscarded(everything), ({ seconds, peakGrowthMb }) => {
    add(`export mlruns, metadata + ${artifactMb} MB of artifacts, stream read and dropped`, (RUNS + ARTIFACT_RUNS) / seconds, 'runs/s')
    add('export mlruns, everything: peak JS heap growth (garbage included)', peakGrowthMb, 'MB')
  })
  add(`export mlruns, everything: peak JS heap growth (${live}; largest artifact 1 MB)`, await livePeakMb(() => exportDiscarded(everything)), 'MB', '≈ 1 artifact')

  zip = await timedValue(() => exportBlob({ ...runs, format: 'export-import', includeArtifacts: false, compression: 'small' }), ({ seconds }) =>
    add("export export-import layout, metadata (compression 'small')", RUNS / seconds, 'runs/s'))
  await withFreshDatabase(uri => timedValue(() => importArchive(zip, { trackingUri: uri }), ({ seconds }) => add('import export-import layout, metadata', RUNS / seconds, 'runs/s')))
  await Dexie.delete(sourceName)
  return results
}
