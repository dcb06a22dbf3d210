/**
 * Issue 4's archive figures in Chromium on real IndexedDB: export and import of 1,000 runs ×
 * (20 params, 10 metrics × 1,000 steps) + 100 MB of artifacts — throughput and peak heap.
 */
import { exportArchive, importArchive, streamToBlob } from '../../src/archive/index.ts'
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

async function seed(uri: string): Promise<string> {
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
    if (runIndex < ARTIFACT_RUNS) await client.logArtifact(runId, new Blob([noise(ARTIFACT_BYTES, runIndex + 1) as Uint8Array<ArrayBuffer>]), 'model', 'weights.bin')
    await client.setTerminated(runId, 'FINISHED', now + 10_000)
  }
  return experimentId
}

/** Runs `body` while sampling the heap; returns its duration and the heap growth at the peak. */
async function measured<T>(body: () => Promise<T>): Promise<{ seconds: number; peakGrowthMb: number; result: T }> {
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

export async function run(): Promise<BenchResult[]> {
  const source = `indexeddb://bench-archive-${crypto.randomUUID()}`
  const experimentId = await seed(source)
  const artifactMb = (ARTIFACT_RUNS * ARTIFACT_BYTES) / MB
  const results: BenchResult[] = []

  const metadataOnly = await measured(async () => streamToBlob(await exportArchive({ trackingUri: source, experimentIds: [experimentId], includeArtifacts: false })))
  results.push({ name: `export mlruns, metadata only (${RUNS} runs, ${RUNS * METRICS * STEPS / 1e6}M points)`, value: RUNS / metadataOnly.seconds, unit: 'runs/s', target: '≥ 200' })

  const full = await measured(async () => streamToBlob(await exportArchive({ trackingUri: source, experimentIds: [experimentId] })))
  results.push({ name: `export mlruns with ${artifactMb} MB of artifacts: runs`, value: RUNS / full.seconds, unit: 'runs/s', target: '≥ 200' })
  results.push({ name: `export mlruns with ${artifactMb} MB of artifacts: artifact throughput`, value: artifactMb / full.seconds, unit: 'MB/s', target: '≥ 50' })
  results.push({ name: 'export: archive size', value: full.result.size / MB, unit: 'MB' })
  results.push({ name: 'export: peak JS heap growth (largest artifact 1 MB)', value: full.peakGrowthMb, unit: 'MB' })

  const target = `indexeddb://bench-archive-import-${crypto.randomUUID()}`
  const imported = await measured(() => importArchive(full.result, { trackingUri: target }))
  results.push({ name: 'import mlruns archive: runs', value: imported.result.runsImported.length / imported.seconds, unit: 'runs/s', target: '≥ 200' })
  results.push({ name: 'import mlruns archive: artifact throughput', value: artifactMb / imported.seconds, unit: 'MB/s', target: '≥ 50' })
  results.push({ name: 'import: peak JS heap growth (holds every metric point until the one transaction)', value: imported.peakGrowthMb, unit: 'MB' })

  const exportImport = await measured(async () => streamToBlob(await exportArchive({ trackingUri: source, experimentIds: [experimentId], format: 'export-import' })))
  results.push({ name: 'export export-import layout: runs', value: RUNS / exportImport.seconds, unit: 'runs/s', target: '≥ 200' })
  const importedExim = await measured(() => importArchive(exportImport.result, { trackingUri: `indexeddb://bench-archive-exim-${crypto.randomUUID()}` }))
  results.push({ name: 'import export-import layout: runs', value: importedExim.result.runsImported.length / importedExim.seconds, unit: 'runs/s', target: '≥ 200' })
  return results
}
