/**
 * createRun's transaction stays open for the batch logged right after it (store/local/fresh-run.ts):
 * in real Chromium, whatever path a batch takes, every reader sees the same run and nothing is half written.
 */
import Dexie from 'dexie'
import { describe, expect, it, vi } from 'vitest'
import { MlflowClient } from '../../src/index.ts'
import { LablogDb } from '../../src/store/local/db.ts'
import { freshTrackingUri } from '../helpers.ts'

const databaseOf = (trackingUri: string) => trackingUri.slice('indexeddb://'.length)
/** The keys of a Dexie RangeSet as it arrives through postMessage (a plain tree of {from, to, l, r}). */
function collectKeys(node: unknown): unknown[] {
  if (!node || typeof node !== 'object') return []
  const { from, to, l, r } = node as { from?: unknown; to?: unknown; l?: unknown; r?: unknown }
  return [...collectKeys(l), ...(from !== undefined && from === to ? [from] : []), ...collectKeys(r)]
}
/** Marks the experiment deleted straight through IndexedDB: no Dexie, so no one hears of it. */
async function deleteUnannounced(database: string, experimentId: string): Promise<void> {
  const connection = await new Promise<IDBDatabase>((resolve, reject) => {
    const opening = indexedDB.open(database)
    opening.onsuccess = () => resolve(opening.result)
    opening.onerror = () => reject(opening.error)
  })
  const transaction = connection.transaction('experiments', 'readwrite')
  const experiments = transaction.objectStore('experiments')
  const reading = experiments.get(experimentId)
  reading.onsuccess = () => experiments.put({ ...reading.result, lifecycleStage: 'deleted' })
  await new Promise(resolve => { transaction.oncomplete = resolve })
  connection.close()
}
const nextTask = () => new Promise(resolve => setTimeout(resolve, 0))
const points = (key: string, from: number, count: number) =>
  Array.from({ length: count }, (_, index) => ({ key, value: (from + index) / 10, step: from + index, timestamp: 1000 + from + index }))

describe('a run created and logged to in one go', () => {
  it('holds the batch logged in the same task, for this client, another connection and a search', async () => {
    const trackingUri = freshTrackingUri('fresh')
    const client = new MlflowClient(trackingUri)
    const experimentId = await client.createExperiment('sweep')
    const runIds: string[] = []
    for (let index = 0; index < 20; index++) {
      const run = await client.createRun(experimentId, { runName: `trial-${index}`, tags: { origin: 'sweep' } })
      await client.logBatch(run.info.runId, {
        params: [{ key: 'lr', value: index / 100 }],
        metrics: [{ key: 'accuracy', value: index / 20, step: 0, timestamp: 5 }, ...points('loss', 0, 3)],
        tags: [{ key: 'trial', value: index }],
      })
      runIds.push(run.info.runId)
    }
    const other = new LablogDb(databaseOf(trackingUri))
    const stored = await other.runs.get(runIds[7]!)
    other.close()
    expect(stored).toMatchObject({ runName: 'trial-7', params: { lr: '0.07' }, tags: { origin: 'sweep', trial: '7', 'mlflow.runName': 'trial-7' } })
    expect(stored!.latestMetrics.loss).toEqual({ value: 0.2, step: 2, timestamp: 1002 })
    expect(await client.getMetricHistory(runIds[7]!, 'loss')).toEqual(points('loss', 0, 3))
    const page = await client.searchRuns({ experimentIds: [experimentId], filter: "params.lr = '0.07' and metrics.accuracy > 0.3" })
    expect(page.runs.map(run => run.info.runId)).toEqual([runIds[7]])
  })

  it('writes a batch logged after the caller yielded through a transaction of its own, with the same result', async () => {
    const client = new MlflowClient(freshTrackingUri('fresh'))
    const runId = (await client.createRun('0', { runName: 'later' })).info.runId
    await nextTask()
    await client.logBatch(runId, { params: [{ key: 'units', value: 64 }], metrics: points('loss', 0, 999) })
    await client.logBatch(runId, { metrics: points('loss', 999, 1) })
    await client.logBatch(runId, { metrics: points('loss', 1000, 1000) })
    const run = await client.getRun(runId)
    expect(run.data.params).toEqual({ units: '64' })
    expect(await client.getMetricHistory(runId, 'loss')).toEqual(points('loss', 0, 2000))
  })

  it('fills chunks correctly when a long history joins the create transaction and more follows', async () => {
    const client = new MlflowClient(freshTrackingUri('fresh'))
    const runId = (await client.createRun('0')).info.runId
    await client.logBatch(runId, { metrics: points('loss', 0, 999).concat(points('acc', 0, 1)) })
    await client.logBatch(runId, { metrics: points('loss', 999, 1) })
    await client.logBatch(runId, { metrics: points('loss', 1000, 700) })
    await client.logBatch(runId, { metrics: points('acc', 1, 4) })
    expect(await client.getMetricHistory(runId, 'loss')).toEqual(points('loss', 0, 1700))
    expect(await client.getMetricHistory(runId, 'acc')).toEqual(points('acc', 0, 5))
    expect((await client.getRun(runId)).data.metrics).toEqual({ loss: 169.9, acc: 0.4 })
  })

  it('refuses a changed param in the joined batch and keeps the run as created', async () => {
    const client = new MlflowClient(freshTrackingUri('fresh'))
    const runId = (await client.createRun('0', { runName: 'kept' })).info.runId
    await client.logBatch(runId, { params: [{ key: 'lr', value: 0.1 }] })
    await expect(client.logBatch(runId, { params: [{ key: 'lr', value: 0.2 }], metrics: points('loss', 0, 5) }))
      .rejects.toMatchObject({ errorCode: 'INVALID_PARAMETER_VALUE' })
    const run = await client.getRun(runId)
    expect(run.data.params).toEqual({ lr: '0.1' })
    expect(run.data.metrics).toEqual({})
  })

  it('is found by a search and by another connection the moment createRun resolves', async () => {
    const trackingUri = freshTrackingUri('fresh')
    const client = new MlflowClient(trackingUri)
    const experimentId = await client.createExperiment('instant')
    expect((await client.searchRuns({ experimentIds: [experimentId] })).runs).toEqual([]) // the search cache now holds the experiment
    const other = new LablogDb(databaseOf(trackingUri))
    await other.open()
    const run = await client.createRun(experimentId, { runName: 'instant' })
    const [fromOther, page] = await Promise.all([other.runs.get(run.info.runId), client.searchRuns({ experimentIds: [experimentId] })])
    other.close()
    expect(fromOther?.runName).toBe('instant')
    expect(page.runs.map(item => item.info.runId)).toEqual([run.info.runId])
  })

  it('announces the run and its points to observers once committed', async () => {
    const trackingUri = freshTrackingUri('fresh')
    const client = new MlflowClient(trackingUri)
    const announced: string[] = []
    const listener = (parts: Record<string, unknown>) => { announced.push(...Object.keys(parts)) }
    Dexie.on('storagemutated', listener)
    try {
      const runId = (await client.createRun('0')).info.runId
      await client.logBatch(runId, { metrics: points('loss', 0, 10) })
    } finally {
      Dexie.on.storagemutated.unsubscribe(listener)
    }
    const prefix = `idb://${databaseOf(trackingUri)}/`
    expect(announced).toContain(`${prefix}runs/`)
    expect(announced).toContain(`${prefix}metricChunks/`)
  })

  it('tells other tabs and workers on the channel their Dexie listens to, several runs per message', async () => {
    const trackingUri = freshTrackingUri('fresh')
    const client = new MlflowClient(trackingUri)
    // What another context's Dexie hears (its BroadcastChannel of this name): our own channel object does not hear itself.
    const otherContext = new BroadcastChannel('x-storagemutated-1')
    const heard: Array<Record<string, unknown>> = []
    otherContext.onmessage = event => heard.push(event.data as Record<string, unknown>)
    const runIds: string[] = []
    for (let index = 0; index < 5; index++) {
      const runId = (await client.createRun('0')).info.runId
      await client.logBatch(runId, { params: [{ key: 'index', value: index }] })
      runIds.push(runId)
    }
    await vi.waitFor(() => expect(heard.length).toBeGreaterThan(0))
    await new Promise(resolve => setTimeout(resolve, 50))
    otherContext.close()
    const part = `idb://${databaseOf(trackingUri)}/runs/`
    const announcedIds = heard.flatMap(parts => collectKeys(parts[part]))
    expect(new Set(announcedIds)).toEqual(new Set(runIds))
    expect(heard.length).toBeLessThan(runIds.length)
  })

  it('refuses a run in a deleted or missing experiment, even one this client created runs in before', async () => {
    const trackingUri = freshTrackingUri('fresh')
    const client = new MlflowClient(trackingUri)
    const experimentId = await client.createExperiment('doomed')
    await client.createRun(experimentId)
    // Deleted through another connection, as another tab would: this client's copy of the experiment is stale.
    const other = new MlflowClient(`${trackingUri}`)
    await other.deleteExperiment(experimentId)
    const db = new LablogDb(databaseOf(trackingUri))
    const before = await db.runs.count()
    await expect(client.createRun(experimentId)).rejects.toMatchObject({ errorCode: 'INVALID_STATE' })
    await expect(client.createRun('424242')).rejects.toMatchObject({ errorCode: 'RESOURCE_DOES_NOT_EXIST' })
    expect(await db.runs.count()).toBe(before)
    db.close()
  })

  it('aborts a run whose experiment another tab deleted a moment before, writing nothing and saying why', async () => {
    const trackingUri = freshTrackingUri('fresh')
    const client = new MlflowClient(trackingUri)
    const experimentId = await client.createExperiment('raced')
    await client.createRun(experimentId) // this client now knows the experiment, and creates the next run without waiting to check it
    await deleteUnannounced(databaseOf(trackingUri), experimentId) // as a deletion whose news has not arrived yet
    const run = await client.createRun(experimentId)
    await expect(client.logBatch(run.info.runId, { params: [{ key: 'lr', value: 0.1 }] })).rejects.toMatchObject({ errorCode: 'INVALID_STATE' })
    await expect(client.getRun(run.info.runId)).rejects.toMatchObject({ errorCode: 'RESOURCE_DOES_NOT_EXIST' })
    await expect(client.flush()).rejects.toMatchObject({ errorCode: 'INVALID_STATE' })
    await client.flush() // reported once
    await expect(client.createRun(experimentId)).rejects.toMatchObject({ errorCode: 'INVALID_STATE' })
    const db = new LablogDb(databaseOf(trackingUri))
    expect(await db.runs.where('experimentId').equals(experimentId).count()).toBe(1)
    db.close()
  })

  it('builds the run from the stored experiment when the copy this client saw is outdated', async () => {
    const trackingUri = freshTrackingUri('fresh')
    const client = new MlflowClient(trackingUri)
    const experimentId = await client.createExperiment('moved', { artifactLocation: 'indexeddb://first/place' })
    await client.createRun(experimentId)
    const db = new LablogDb(databaseOf(trackingUri))
    await db.experiments.update(experimentId, { artifactLocation: 'indexeddb://second/place' })
    const run = await client.createRun(experimentId)
    expect(run.info.artifactUri).toBe(`indexeddb://second/place/${run.info.runId}/artifacts`)
    expect((await db.runs.get(run.info.runId))?.artifactUri).toBe(run.info.artifactUri)
    expect(await db.runs.where('experimentId').equals(experimentId).count()).toBe(2)
    db.close()
  })

  it('refuses a chosen run id that exists, writing nothing', async () => {
    const client = new MlflowClient(freshTrackingUri('fresh'))
    const runId = 'a'.repeat(32)
    await client.createRun('0', { runId, runName: 'first' })
    await expect(client.createRun('0', { runId, runName: 'second' })).rejects.toMatchObject({ errorCode: 'RESOURCE_ALREADY_EXISTS' })
    expect((await client.getRun(runId)).info.runName).toBe('first')
  })
})
