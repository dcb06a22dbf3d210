/**
 * Issue 4's archive figures in Chromium on real IndexedDB: export and import of 1,000 runs ×
 * (20 params, 10 metrics × 1,000 steps) + 100 MB of 1 MB artifacts — metadata runs/s, artifact MB/s
 * (the artifacts sit on 100 runs of their own, so neither figure hides in the other) and peak memory.
 * The bench's Chromium profile keeps Blobs and IndexedDB in memory and refuses to read Blobs past
 * ≈ 500 MB in all ("network error"): archives are dropped after use, exports with metric files
 * stored are measured by reading their stream without keeping it, and imports read deflated ones.
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

/** Runs `body` while sampling the heap: its duration and the peak growth (garbage included: no gc() in between). */
async function timed<T>(body: () => Promise<T>): Promise<{ seconds: number; peakGrowthMb: number; result: T }> {
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

/** Exports and reads the stream to its end without keeping it (a writer to disk would do the same). */
async function exportDiscarded(options: ExportArchiveOptions): Promise<number> {
  const reader = (await exportArchive(options)).getReader()
  let bytes = 0
  for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) bytes += chunk.value.length
  return bytes
}

/**
 * Runs `body` on a fresh database, then deletes it: the bench's Chromium profile keeps IndexedDB and
 * Blobs in memory, and past ≈ 500 MB of them Blob reads fail ("network error").
 */
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

  // Each archive is dropped once its figures are taken (see the header).
  await timedValue(() => exportDiscarded({ ...runs, includeArtifacts: false }), ({ seconds }) =>
    add(`export mlruns, metadata (${RUNS} runs, ${RUNS * METRICS * STEPS / 1e6}M points)`, RUNS / seconds, 'runs/s', '≥ 200'))
  // Kept as a Blob to import, the 360 MB 'fast' archive would pass the profile's Blob limit: import the deflated one.
  let zip = await exportBlob({ ...runs, includeArtifacts: false, compression: 'small' })
  add("export mlruns, metadata: archive size with compression 'small' (≈ 2.4× that with 'fast')", zip.size / MB, 'MB')
  await withFreshDatabase(uri => timedValue(() => importArchive(zip, { trackingUri: uri }), ({ seconds, peakGrowthMb }) => {
    add("import mlruns, metadata (deflated: compression 'small')", RUNS / seconds, 'runs/s', '≥ export')
    add('import mlruns, metadata: peak JS heap growth (garbage included)', peakGrowthMb, 'MB')
  }))
  // No live-heap figure for import: its sampler does not get to run while the import's transaction is held open.

  zip = await timedValue(() => exportBlob(weights), ({ seconds }) =>
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
