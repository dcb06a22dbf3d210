import Dexie from 'dexie'
import { describe, expect, it } from 'vitest'
import { MlflowClient } from '../../src/index.ts'
import { SCHEMA_V1 } from './support/schema-v1.ts'

describe('schema upgrade', () => {
  it('a database written by schema v1 opens with the current schema and every row survives', async () => {
    const name = `upgrade-${crypto.randomUUID()}`
    const v1 = new Dexie(name)
    v1.version(1).stores(SCHEMA_V1)
    await v1.open()
    await v1.table('experiments').bulkAdd([
      { experimentId: '0', name: 'Default', artifactLocation: `indexeddb://${name}/0`, lifecycleStage: 'active', tags: {}, creationTime: 1, lastUpdateTime: 1 },
      { experimentId: '7', name: 'old', artifactLocation: 's3://b/7', lifecycleStage: 'deleted', tags: { team: 'a' }, creationTime: 2, lastUpdateTime: 3, deletedTime: 3 },
    ])
    const runId = 'a'.repeat(32)
    await v1.table('runs').add({
      runId, experimentId: '7', runName: 'legacy', userId: 'ana', status: 'FINISHED', startTime: 10, endTime: 20,
      artifactUri: 's3://b/7/run/artifacts', lifecycleStage: 'active', params: { lr: '0.1' }, tags: { 'mlflow.runName': 'legacy' },
      latestMetrics: { loss: { value: 0.5, step: 1, timestamp: 11 } },
      series: { loss: { count: 2, ordered: true, lastStep: 1, lastTimestamp: 11 } }, inputs: [],
    })
    await v1.table('metricChunks').add({ runId, key: 'loss', seq: 0, steps: new Float64Array([0, 1]), values: new Float64Array([0.9, 0.5]), timestamps: new Float64Array([10, 11]) })
    await v1.table('artifacts').add({ runId, path: 'notes.txt', blob: new Blob(['kept']), size: 4 })
    v1.close()

    const client = new MlflowClient(`indexeddb://${name}`)
    const experiment = await client.getExperiment('7')
    expect(experiment).toMatchObject({ name: 'old', lifecycleStage: 'deleted', tags: { team: 'a' } })
    const run = await client.getRun(runId)
    expect(run.info).toMatchObject({ runName: 'legacy', status: 'FINISHED', userId: 'ana', endTime: 20 })
    expect(run.data).toEqual({ params: { lr: '0.1' }, metrics: { loss: 0.5 }, tags: { 'mlflow.runName': 'legacy' } })
    expect(await client.getMetricHistory(runId, 'loss')).toEqual([
      { key: 'loss', value: 0.9, step: 0, timestamp: 10 }, { key: 'loss', value: 0.5, step: 1, timestamp: 11 },
    ])
    expect(await client.readArtifactText(runId, 'notes.txt')).toBe('kept')
    const upgraded = new Dexie(name)
    await upgraded.open()
    expect(upgraded.verno).toBeGreaterThanOrEqual(2)
    expect(await upgraded.table('registeredModels').count()).toBe(0)
    upgraded.close()
  })
})
