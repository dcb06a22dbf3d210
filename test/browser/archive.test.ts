// Browser-only: exporting 100 MB of artifacts from real IndexedDB in Chromium streams — the
// page's JS memory grows by less than twice the largest artifact — and the zip imports back.
import { expect, test } from 'vitest'
import { exportArchive, importArchive, streamToBlob } from '../../src/archive/index.ts'
import { ZipArchive } from '../../src/archive/zip-reader.ts'
import { MlflowClient } from '../../src/index.ts'
import { freshTrackingUri } from '../helpers.ts'

// Two 50 MB artifacts: V8 collects dead ArrayBuffers only once ~64 MB of them pile up, so without
// --js-flags=--expose-gc the heap reading includes up to ~64 MB of garbage; 2 × 50 MB leaves room for it.
const ARTIFACT_BYTES = 50 << 20
const ARTIFACTS = 2

/** Bytes that neither compress nor repeat between artifacts (xorshift). */
function noise(length: number, seed: number): Uint8Array {
  const bytes = new Uint8Array(length)
  const words = new Uint32Array(bytes.buffer)
  let state = seed || 1
  for (let index = 0; index < words.length; index++) {
    state ^= state << 13; state ^= state >>> 17; state ^= state << 5
    words[index] = state >>> 0
  }
  return bytes
}

const collect = (globalThis as { gc?: () => void }).gc
/** The page's JS heap (ArrayBuffers included); after a full GC when the browser exposes gc(). */
const heapUsed = () => { collect?.(); return (performance as unknown as { memory: { usedJSHeapSize: number } }).memory.usedJSHeapSize }

test('exporting 100 MB of artifacts (2 × 50 MB) keeps the page heap within twice the largest artifact', async () => {
  const uri = freshTrackingUri('archive-browser')
  const client = new MlflowClient(uri)
  const experimentId = await client.createExperiment('big-artifacts')
  const runId = (await client.createRun(experimentId, { runName: 'big' })).info.runId
  for (let index = 0; index < ARTIFACTS; index++) {
    await client.logArtifact(runId, new Blob([noise(ARTIFACT_BYTES, index + 1) as Uint8Array<ArrayBuffer>]), 'weights', `part-${index}.bin`)
  }
  await client.logText(runId, 'loss: 0.1\n'.repeat(50_000), 'logs/train.txt')
  await client.setTerminated(runId)
  await new Promise(resolve => setTimeout(resolve, 1000))

  const baseline = heapUsed()
  let peak = baseline
  const sampler = setInterval(() => { peak = Math.max(peak, heapUsed()) }, collect ? 50 : 5)
  const stream = await exportArchive({ trackingUri: uri, experimentIds: [experimentId], onProgress: () => { peak = Math.max(peak, heapUsed()) } })
  const zip = await streamToBlob(stream)
  clearInterval(sampler)
  peak = Math.max(peak, heapUsed())
  const growth = peak - baseline
  console.log(`export: ${(zip.size / 2 ** 20).toFixed(1)} MB zip, heap ${(baseline / 2 ** 20).toFixed(1)} MB → peak ${(peak / 2 ** 20).toFixed(1)} MB (+${(growth / 2 ** 20).toFixed(1)} MB)${collect ? ', measured after gc()' : ''}`)
  expect(zip.size).toBeGreaterThan(ARTIFACTS * ARTIFACT_BYTES)
  expect(growth).toBeLessThan(2 * ARTIFACT_BYTES)

  const archive = await ZipArchive.open(zip)
  const entry = archive.get(`mlruns/${experimentId}/${runId}/artifacts/weights/part-1.bin`)!
  expect(entry.size).toBe(ARTIFACT_BYTES)
  const target = freshTrackingUri('archive-browser-import')
  const result = await importArchive(zip, { trackingUri: target })
  expect(result.runsImported).toEqual([runId])
  const copy = new Uint8Array(await (await new MlflowClient(target).readArtifact(runId, 'weights/part-1.bin')).arrayBuffer())
  const original = noise(ARTIFACT_BYTES, 2)
  expect(copy.length).toBe(original.length)
  expect(copy.every((byte, index) => byte === original[index])).toBe(true)
}, 120_000)
