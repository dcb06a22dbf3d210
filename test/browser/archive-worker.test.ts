// Browser-only: export and import run in a real Web Worker through ArchiveBridge — progress reaches
// the window, a cancelled import writes nothing, and errors keep their errorCode across the boundary.
import { afterEach, describe, expect, it } from 'vitest'
import { ArchiveBridge } from '../../src/archive/worker-bridge.ts'
import type { ArchiveProgress } from '../../src/archive/model.ts'
import { MlflowClient } from '../../src/index.ts'
import type { LocalTrackingStore } from '../../src/store/local/local-store.ts'
import { storesFor } from '../../src/store/uri.ts'
import { createArchiveWorker } from '../../workers/create-archive-worker.ts'
import { freshTrackingUri } from '../helpers.ts'

const bridges: ArchiveBridge[] = []
afterEach(() => { for (const bridge of bridges.splice(0)) bridge.terminate() })

function newBridge(): ArchiveBridge {
  const bridge = new ArchiveBridge({ createWorker: createArchiveWorker })
  bridges.push(bridge)
  return bridge
}

/** `runs` runs with a 2,000-point metric and a params file each; the first also has an artifact. */
async function seed(runs: number): Promise<{ uri: string; experimentId: string; runIds: string[] }> {
  const uri = freshTrackingUri('archive-worker')
  const client = new MlflowClient(uri)
  const experimentId = await client.createExperiment('worker-export')
  const runIds: string[] = []
  for (let index = 0; index < runs; index++) {
    const runId = (await client.createRun(experimentId, { runName: `run-${index}`, startTime: 1_700_000_000_000 + index })).info.runId
    await client.logBatch(runId, { params: [{ key: 'lr', value: String(index / 1000) }] })
    await storesFor(uri).tracking.logMetrics(runId, Array.from({ length: 2000 }, (_, step) => ({ key: 'loss', value: 1 / (step + 1), timestamp: 1_700_000_000_000 + step, step })))
    if (index === 0) await client.logText(runId, 'weights go here\n', 'model/notes.txt')
    await client.setTerminated(runId, 'FINISHED')
    runIds.push(runId)
  }
  return { uri, experimentId, runIds }
}

async function rowCounts(uri: string) {
  const { db } = storesFor(uri).tracking as LocalTrackingStore
  return { experiments: await db.experiments.count(), runs: await db.runs.count(), metricChunks: await db.metricChunks.count(), artifacts: await db.artifacts.count() }
}

describe('archives in a worker', () => {
  it('exports and imports through the worker, with progress events in the window', async () => {
    const { uri, experimentId, runIds } = await seed(3)
    const bridge = newBridge()
    const exportEvents: ArchiveProgress[] = []
    const zip = await bridge.exportArchiveBlob({ trackingUri: uri, experimentIds: [experimentId], onProgress: event => exportEvents.push(event) })
    expect(bridge.hasWorker).toBe(true)
    expect(zip.type).toBe('application/zip')
    await expect.poll(() => exportEvents.at(-1)?.phase).toBe('done')
    expect(exportEvents.at(-1)).toMatchObject({ runsDone: 3, runsTotal: 3 })

    const target = freshTrackingUri('archive-worker-target')
    const importEvents: ArchiveProgress[] = []
    const result = await bridge.importArchive(zip, { trackingUri: target, onProgress: event => importEvents.push(event) })
    expect([...result.runsImported].sort()).toEqual([...runIds].sort())
    await expect.poll(() => importEvents.at(-1)?.phase).toBe('done')
    const client = new MlflowClient(target)
    expect((await client.getMetricHistory(runIds[1]!, 'loss')).map(point => point.value)).toEqual(Array.from({ length: 2000 }, (_, step) => 1 / (step + 1)))
    expect(await (await client.readArtifact(runIds[0]!, 'model/notes.txt')).text()).toBe('weights go here\n')
  })

  it('a cancelled import rejects with CANCELLED and leaves the target store as it was', async () => {
    const { uri, experimentId } = await seed(60)
    const bridge = newBridge()
    const zip = await bridge.exportArchiveBlob({ trackingUri: uri, experimentIds: [experimentId] })
    const target = freshTrackingUri('archive-worker-cancel')
    await new MlflowClient(target).createExperiment('already-here')
    const before = await rowCounts(target)
    const controller = new AbortController()
    const importing = bridge.importArchive(zip, {
      trackingUri: target,
      // Cancel once the worker is writing runs: the transaction is open and holds some of them.
      onProgress: event => { if (event.phase === 'writing') controller.abort() },
      signal: controller.signal,
    })
    await expect(importing).rejects.toMatchObject({ errorCode: 'CANCELLED' })
    expect(await rowCounts(target)).toEqual(before)
  })

  it('an archive the worker refuses keeps its errorCode in the window, and nothing is written', async () => {
    const bridge = newBridge()
    const target = freshTrackingUri('archive-worker-bad')
    await new MlflowClient(target).createExperiment('already-here')
    const before = await rowCounts(target)
    await expect(bridge.importArchive(new Blob(['not a zip at all, just some text']), { trackingUri: target }))
      .rejects.toMatchObject({ errorCode: 'INVALID_PARAMETER_VALUE' })
    expect(await rowCounts(target)).toEqual(before)
    await expect(bridge.exportArchiveBlob({ trackingUri: target, experimentIds: ['no-such-experiment'] }))
      .rejects.toMatchObject({ errorCode: 'RESOURCE_DOES_NOT_EXIST' })
  })
})
