import Dexie from 'dexie'
import { describe, expect, it } from 'vitest'
import { MlflowClient } from '../../src/index.ts'
import { SCHEMA_V1 } from './support/schema-v1.ts'
import { SCHEMA_V2 } from './support/schema-v2.ts'
import { SCHEMA_V3 } from './support/schema-v3.ts'
import { getOutbox } from '../../src/sync/outbox.ts'
import { LablogDb } from '../../src/store/local/db.ts'
import { readExperimentRuns } from '../../src/store/local/run-digests.ts'
import { clearStoreCache } from '../../src/store/uri.ts'

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

  it('a database written by schema v2 upgrades to v3: every row survives and the sync tables start empty', async () => {
    const name = `upgrade-v2-${crypto.randomUUID()}`
    const v2 = new Dexie(name)
    v2.version(2).stores(SCHEMA_V2)
    await v2.open()
    await v2.table('experiments').add({ experimentId: '0', name: 'Default', artifactLocation: `indexeddb://${name}/0`, lifecycleStage: 'active', tags: {}, creationTime: 1, lastUpdateTime: 1 })
    const runId = 'b'.repeat(32)
    await v2.table('runs').add({
      runId, experimentId: '0', runName: 'kept', userId: 'li', status: 'FINISHED', startTime: 10, endTime: 20,
      artifactUri: `indexeddb://${name}/0/${runId}/artifacts`, lifecycleStage: 'active', params: { depth: '3' }, tags: { 'mlflow.runName': 'kept' },
      latestMetrics: { acc: { value: 0.9, step: 0, timestamp: 10 } }, series: { acc: { count: 1, ordered: true, lastStep: 0, lastTimestamp: 10 } }, inputs: [],
    })
    await v2.table('metricChunks').add({ runId, key: 'acc', seq: 0, steps: new Float64Array([0]), values: new Float64Array([0.9]), timestamps: new Float64Array([10]) })
    await v2.table('registeredModels').add({ name: 'iris', creationTimestamp: 1, lastUpdatedTimestamp: 2, description: '', tags: {}, aliases: { champion: '1' } })
    await v2.table('modelVersions').add({
      name: 'iris', version: 1, creationTimestamp: 1, lastUpdatedTimestamp: 2, description: '', userId: 'li', currentStage: 'None',
      source: `runs:/${runId}/model`, runId, runLink: '', status: 'READY', statusMessage: '', tags: {},
    })
    v2.close()

    const client = new MlflowClient(`indexeddb://${name}`)
    expect((await client.getRun(runId)).data).toEqual({ params: { depth: '3' }, metrics: { acc: 0.9 }, tags: { 'mlflow.runName': 'kept' } })
    expect(await client.getMetricHistory(runId, 'acc')).toEqual([{ key: 'acc', value: 0.9, step: 0, timestamp: 10 }])
    expect(await client.getModelVersionByAlias('iris', 'champion')).toMatchObject({ name: 'iris', version: '1', runId })
    expect(await getOutbox({ database: name })).toEqual([])
    const upgraded = new Dexie(name)
    await upgraded.open()
    expect(upgraded.verno).toBeGreaterThanOrEqual(3)
    expect(await upgraded.table('syncMappings').count()).toBe(0)
    expect(await upgraded.table('outboxRunIds').count()).toBe(0)
    upgraded.close()
  })

  it('a database written by schema v3 upgrades to v4: every run row survives, stamped 0, and is found by searches with and without a digest', async () => {
    const name = `upgrade-v3-${crypto.randomUUID()}`
    const v3 = new Dexie(name)
    v3.version(3).stores(SCHEMA_V3)
    await v3.open()
    await v3.table('experiments').bulkAdd([
      { experimentId: '0', name: 'Default', artifactLocation: `indexeddb://${name}/0`, lifecycleStage: 'active', tags: {}, creationTime: 1, lastUpdateTime: 1 },
      { experimentId: '3', name: 'sweep', artifactLocation: `indexeddb://${name}/3`, lifecycleStage: 'active', tags: {}, creationTime: 1, lastUpdateTime: 1 },
    ])
    // More runs than a digest is written for, so the first search leaves one behind.
    const rows = Array.from({ length: 300 }, (_, index) => ({
      runId: `r${String(index).padStart(31, '0')}`, experimentId: '3', runName: `run-${index}`, userId: 'li', status: 'FINISHED', startTime: 10 + index, endTime: 20 + index,
      artifactUri: `indexeddb://${name}/3/r${index}/artifacts`, lifecycleStage: index === 7 ? 'deleted' : 'active', ...(index === 7 ? { deletedTime: 30 } : {}),
      params: { lr: String(index % 5) }, tags: { 'mlflow.runName': `run-${index}` },
      latestMetrics: { acc: { value: index / 300, step: 0, timestamp: 10 } }, series: { acc: { count: 1, ordered: true, lastStep: 0, lastTimestamp: 10 } }, inputs: [],
    }))
    await v3.table('runs').bulkAdd(rows)
    await v3.table('syncMappings').add({ target: 'http://server', localRunId: rows[0]!.runId, remoteRunId: 'remote', remoteExperimentId: '1', metricCounts: {}, artifacts: {}, updatedAt: 1 })
    v3.close()

    const client = new MlflowClient(`indexeddb://${name}`)
    const query = { experimentIds: ['3'], filter: "params.lr = '2'", orderBy: ['metrics.acc DESC'], runViewType: 'ALL' as const }
    const first = await client.searchRuns(query)
    expect(first.runs.map(run => run.info.runName)).toEqual(rows.filter(row => row.params.lr === '2').reverse().map(row => row.runName))
    expect((await client.searchRuns({ experimentIds: ['3'], runViewType: 'DELETED_ONLY' })).runs.map(run => run.info.runName)).toEqual(['run-7'])
    expect((await client.getRun(rows[42]!.runId)).data).toEqual({ params: { lr: '2' }, metrics: { acc: 42 / 300 }, tags: { 'mlflow.runName': 'run-42' } })

    const upgraded = new LablogDb(name)
    expect((await upgraded.runs.toArray()).map(row => row.modifiedAt)).toEqual(rows.map(() => 0))
    expect(await upgraded.syncMappings.count()).toBe(1)
    await expect.poll(async () => (await readExperimentRuns(upgraded, '3')).fromDigest, { timeout: 10_000 }).toBe(true)
    upgraded.close()
    clearStoreCache()
    expect((await new MlflowClient(`indexeddb://${name}`).searchRuns(query)).runs).toEqual(first.runs)
  })
})
