import { describe, expect, it } from 'vitest'
import { MlflowClient, mlflow } from '../../src/index.ts'
import { freshTrackingUri } from '../helpers.ts'

describe('the IndexedDB store in real Chromium', () => {
  it('keeps a run, its params, metrics, tags and artifacts across a reopened connection', async () => {
    const trackingUri = freshTrackingUri('chromium')
    mlflow.setTrackingUri(trackingUri)
    const experiment = await mlflow.setExperiment('browser')
    const runId = await mlflow.withRun({ runName: 'persisted' }, async run => {
      await mlflow.logParams({ lr: 0.01, layers: [64, 32] })
      for (let step = 0; step < 3000; step++) void mlflow.logMetric('loss', 1 / (step + 1), { step })
      await mlflow.setTags({ stage: 'dev' })
      await mlflow.logText('hello', 'notes/hello.txt')
      return run.info.runId
    })

    // A second client on the same URI shares the store; a new page would open the same database.
    const client = new MlflowClient(trackingUri)
    const run = await client.getRun(runId)
    expect(run.info).toMatchObject({ runName: 'persisted', status: 'FINISHED', experimentId: experiment.experimentId })
    expect(run.data.params).toEqual({ lr: '0.01', layers: '[64, 32]' })
    expect(run.data.metrics.loss).toBe(1 / 3000)
    expect(await client.getMetricHistory(runId, 'loss')).toHaveLength(3000)
    expect(await client.readArtifactText(runId, 'notes/hello.txt')).toBe('hello')
    const databases = await indexedDB.databases()
    expect(databases.map(database => database.name)).toContain(trackingUri.slice('indexeddb://'.length))
  })

  it('stores a 20 MB artifact as a Blob and reads it back unchanged', async () => {
    const client = new MlflowClient(freshTrackingUri('chromium'))
    const runId = (await client.createRun('0')).info.runId
    const bytes = new Uint8Array(20 * 1024 * 1024)
    for (let index = 0; index < bytes.length; index += 4096) bytes[index] = index % 251
    await client.logArtifact(runId, new Blob([bytes]), 'data', 'big.bin')
    const stored = await client.readArtifact(runId, 'data/big.bin')
    expect(stored.size).toBe(bytes.length)
    const back = new Uint8Array(await stored.arrayBuffer())
    expect(back[4096 * 7]).toBe((4096 * 7) % 251)
    expect(await client.listArtifacts(runId, 'data')).toEqual([{ path: 'data/big.bin', isDir: false, fileSize: bytes.length }])
  })

  it('a failing batch leaves what was stored before intact', async () => {
    const client = new MlflowClient(freshTrackingUri('chromium'))
    const runId = (await client.createRun('0')).info.runId
    await client.logBatch(runId, { params: [{ key: 'a', value: 1 }], metrics: [{ key: 'm', value: 1, step: 0, timestamp: 1 }] })
    await expect(client.logBatch(runId, { params: [{ key: 'a', value: 2 }], metrics: [{ key: 'm', value: 2, step: 1, timestamp: 2 }] }))
      .rejects.toMatchObject({ errorCode: 'INVALID_PARAMETER_VALUE' })
    const run = await client.getRun(runId)
    expect(run.data.params).toEqual({ a: '1' })
    expect(await client.getMetricHistory(runId, 'm')).toEqual([{ key: 'm', value: 1, step: 0, timestamp: 1 }])
  })
})
