// The bulk reads and writes archives use on the local store agree with the per-key ones: whole-run
// metric reads match getMetricColumns, and runs an import wrote in bulk keep growing like logged ones.
import { expect, test } from 'vitest'
import { exportArchiveBlob, importArchive } from '../../../src/archive/index.ts'
import { MlflowClient } from '../../../src/tracking/index.ts'
import { freshStore } from './helpers.ts'

async function seed() {
  const { uri, store } = freshStore()
  const client = new MlflowClient(uri)
  const experimentId = await client.createExperiment('bulk-reads')
  const runId = (await client.createRun(experimentId, { runName: 'mixed' })).info.runId
  await client.logBatch(runId, { metrics: [{ key: 'lone', value: 0.5, timestamp: 1, step: 0 }] })
  await store.logMetrics(runId, Array.from({ length: 2500 }, (_, index) => ({ key: 'long', value: index / 3, timestamp: 1_700_000_000_000 + index, step: index })))
  // Out of step order: reads must sort it.
  await store.logMetrics(runId, [5, 3, 4, 1].map((step, index) => ({ key: 'shuffled', value: step * 10, timestamp: 100 + index, step })))
  const emptyRunId = (await client.createRun(experimentId, { runName: 'no metrics' })).info.runId
  return { uri, store, client, experimentId, runId, emptyRunId }
}

test('getRunsMetricColumns returns, per run, what getMetricColumns returns for each key', async () => {
  const { store, runId, emptyRunId } = await seed()
  const [all, none] = await store.getRunsMetricColumns([runId, emptyRunId])
  expect([...all!.keys()].sort()).toEqual(['lone', 'long', 'shuffled'])
  for (const key of all!.keys()) expect(all!.get(key), key).toEqual(await store.getMetricColumns(runId, key))
  expect(Array.from(all!.get('shuffled')!.steps)).toEqual([1, 3, 4, 5])
  expect(none!.size).toBe(0)
  await expect(store.getRunsMetricColumns([runId, 'f'.repeat(32)])).rejects.toMatchObject({ errorCode: 'RESOURCE_DOES_NOT_EXIST' })
})

test('runs written by an import read back and keep growing exactly like runs that were logged', async () => {
  const { uri, client, experimentId, runId } = await seed()
  const target = freshStore()
  await importArchive(await exportArchiveBlob({ trackingUri: uri, experimentIds: [experimentId] }), { trackingUri: target.uri })
  const imported = new MlflowClient(target.uri)
  for (const key of ['lone', 'long', 'shuffled']) expect(await imported.getMetricHistory(runId, key), key).toEqual(await client.getMetricHistory(runId, key))
  const more = [{ key: 'lone', value: 0.75, timestamp: 2, step: 1 }, { key: 'long', value: -1, timestamp: 1_800_000_000_000, step: 2500 }]
  await client.logBatch(runId, { metrics: more })
  await imported.logBatch(runId, { metrics: more })
  for (const key of ['lone', 'long']) expect(await imported.getMetricHistory(runId, key), key).toEqual(await client.getMetricHistory(runId, key))
  expect((await imported.getRun(runId)).data.metrics).toEqual((await client.getRun(runId)).data.metrics)
})
