// pushRuns from the local store to a test MLflow server: everything arrives, nested runs point at
// their remote parents, pushing again sends nothing, and faults mid-push lose or double nothing.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { isMlflowError } from '../../../src/core/errors.ts'
import { SOURCE_RUN_TAG, pushRuns } from '../../../src/sync/push.ts'
import { MlflowClient } from '../../../src/tracking/client.ts'
import { freshTrackingUri } from '../../helpers.ts'
import type { LoggedRequest } from '../../support/mlflow-test-server.ts'
import { type RestHarness, startRestHarness } from '../../support/rest-harness.ts'

const T0 = 1_735_689_600_000
const POINTS = 2_500

interface LocalSweep { uri: string; local: MlflowClient; parentId: string; childIds: string[]; allIds: string[] }

/** A local sweep: a parent and two nested children, with params, tags, metric history, inputs and artifacts. */
async function logLocalSweep(): Promise<LocalSweep> {
  const uri = freshTrackingUri('push')
  const local = new MlflowClient(uri)
  const experimentId = await local.createExperiment('sweep', { tags: { team: 'ml' } })
  const parent = await local.createRun(experimentId, { runName: 'parent', startTime: T0 })
  await local.logParam(parent.info.runId, 'search_space', '{"lr": [0.1, 0.01]}')
  await local.logText(parent.info.runId, 'sweep notes', 'notes/readme.txt')
  const childIds: string[] = []
  for (const lr of [0.1, 0.01]) {
    const child = await local.createRun(experimentId, { runName: `lr-${lr}`, startTime: T0 + 1, tags: { 'mlflow.parentRunId': parent.info.runId } })
    const runId = child.info.runId
    await local.logBatch(runId, { params: [{ key: 'lr', value: lr }], tags: [{ key: 'phase', value: 'train' }] })
    await local.logBatch(runId, { metrics: Array.from({ length: 1000 }, (_, step) => ({ key: 'val/loss', value: lr / (step + 1), timestamp: T0 + step, step })) })
    for (let offset = 0; offset < POINTS; offset += 1000) {
      await local.logBatch(runId, { metrics: Array.from({ length: Math.min(1000, POINTS - offset) }, (_, index) => ({ key: 'loss', value: offset + index === 7 ? NaN : (offset + index) * lr, timestamp: T0 + offset + index, step: offset + index })) })
    }
    await local.logInputs(runId, [{ dataset: { name: 'iris', digest: 'abc123', sourceType: 'local', source: '{"uri": "iris.csv"}' }, tags: { 'mlflow.data.context': 'training' } }])
    await local.logArtifact(runId, new Blob([Uint8Array.from([0, 1, 2, 255])], { type: 'application/octet-stream' }), 'model', 'weights.bin')
    await local.setTerminated(runId, lr === 0.1 ? 'FAILED' : 'FINISHED', T0 + 60_000)
    childIds.push(runId)
  }
  await local.setTerminated(parent.info.runId, 'FINISHED', T0 + 120_000)
  return { uri, local, parentId: parent.info.runId, childIds, allIds: [parent.info.runId, ...childIds] }
}

let harness: RestHarness
let sweep: LocalSweep
beforeEach(async () => { sweep = await logLocalSweep() })
afterEach(async () => { expect(harness.server.violations()).toEqual([]); await harness.close() })

/** Checks that the server holds exactly the local runs: one remote run each, every point once, artifacts, parents. */
async function expectServerMirrorsSweep(): Promise<void> {
  const remote = harness.client
  const experiment = await remote.getExperimentByName('sweep')
  expect(experiment?.tags).toMatchObject({ team: 'ml' })
  const { runs } = await remote.searchRuns({ experimentIds: [experiment!.experimentId], runViewType: 'ALL' })
  expect(runs).toHaveLength(3)
  const bySource = new Map(runs.map(run => [run.data.tags[SOURCE_RUN_TAG]!, run]))
  for (const localId of sweep.allIds) {
    const local = await sweep.local.getRun(localId)
    const pushed = bySource.get(localId)!
    expect(pushed.info).toMatchObject({ runName: local.info.runName, status: local.info.status, startTime: local.info.startTime, endTime: local.info.endTime })
    expect(pushed.data.params).toEqual(local.data.params)
    for (const key of Object.keys(local.data.metrics)) {
      const localHistory = await sweep.local.getMetricHistory(localId, key)
      expect(await remote.getMetricHistory(pushed.info.runId, key)).toEqual(localHistory)
    }
  }
  const remoteParent = bySource.get(sweep.parentId)!.info.runId
  for (const childId of sweep.childIds) {
    const child = bySource.get(childId)!
    expect(child.data.tags['mlflow.parentRunId']).toBe(remoteParent)
    expect(child.inputs.datasetInputs).toHaveLength(1)
    expect(new Uint8Array(await (await remote.readArtifact(child.info.runId, 'model/weights.bin')).arrayBuffer())).toEqual(Uint8Array.from([0, 1, 2, 255]))
  }
  expect(await remote.readArtifactText(remoteParent, 'notes/readme.txt')).toBe('sweep notes')
}

describe('pushRuns', () => {
  it('copies runs, nesting, metrics, params, inputs and artifacts to the server', async () => {
    harness = await startRestHarness()
    const progress: string[] = []
    const pushed = await pushRuns({ runIds: sweep.allIds, from: sweep.uri, to: harness.server.url, onProgress: step => progress.push(step.phase) })
    expect(pushed.map(run => run.created)).toEqual([true, true, true])
    await expectServerMirrorsSweep()
    expect(progress).toContain('data')
    expect(progress.at(-1)).toBe('done')
  })

  it('sends nothing new when pushed again', async () => {
    harness = await startRestHarness()
    await pushRuns({ runIds: sweep.allIds, from: sweep.uri, to: harness.server.url })
    const before = harness.server.requests.length
    const again = await pushRuns({ runIds: sweep.allIds, from: sweep.uri, to: harness.server.url })
    expect(again.map(run => run.created)).toEqual([false, false, false])
    const repeated = harness.server.requests.slice(before)
    expect(repeated.filter(request => request.endpoint === 'runs/create' || request.method === 'PUT')).toEqual([])
    expect(repeated.filter(request => request.endpoint === 'runs/log-batch' && request.json?.metrics)).toEqual([])
    await expectServerMirrorsSweep()
  })

  it('completes with every point exactly once through drops, 500s, 429s, slow answers and a restart', async () => {
    harness = await startRestHarness({ realWaitCapMs: 200, remote: { timeoutMs: 1_000, retry: { maxAttempts: 10, initialDelayMs: 20, maxDelayMs: 200 } } })
    const { server } = harness
    const nth = (endpoint: string, n: number, method?: string) => (request: LoggedRequest) =>
      request.endpoint === endpoint && (!method || request.method === method) && server.requestsTo(endpoint, method).length === n
    server.inject({ kind: 'drop', when: 'after' }, { match: nth('runs/create', 2) })
    server.inject({ kind: 'drop', when: 'after' }, { match: nth('runs/log-batch', 3) })
    server.inject({ kind: 'status', status: 500 }, { match: nth('runs/log-batch', 5) })
    server.inject({ kind: 'status', status: 429, retryAfterSeconds: 0 }, { match: nth('runs/log-batch', 7) })
    server.inject({ kind: 'restart', when: 'after', downMs: 150 }, { match: nth('runs/log-batch', 9) })
    server.inject({ kind: 'drop', when: 'before' }, { match: nth('runs/log-batch', 11) })
    server.inject({ kind: 'drop', when: 'after' }, { match: nth('artifacts', 2, 'PUT') })
    server.inject({ kind: 'delay', ms: 1_500 }, { match: nth('metrics/get-history', 2) })
    await pushRuns({ runIds: sweep.allIds, from: sweep.uri, to: server.url })
    expect(server.pendingFaults()).toEqual([])
    await expectServerMirrorsSweep()
  })

  it('resumes after a push that failed part-way, without doubling anything', async () => {
    harness = await startRestHarness({ remote: { retry: { maxAttempts: 2, initialDelayMs: 1, maxDelayMs: 1 } } })
    const { server } = harness
    server.inject({ kind: 'status', status: 503 }, { match: request => request.endpoint === 'runs/log-batch' && server.requestsTo('runs/log-batch').length >= 6, times: 2 })
    const failed = await pushRuns({ runIds: sweep.allIds, from: sweep.uri, to: server.url }).catch((error: unknown) => error)
    expect(isMlflowError(failed, 'TEMPORARILY_UNAVAILABLE')).toBe(true)
    const resumed = await pushRuns({ runIds: sweep.allIds, from: sweep.uri, to: server.url })
    expect(resumed.filter(run => run.created).length).toBeLessThan(3)
    await expectServerMirrorsSweep()
  })

  it('refuses to push into an experiment deleted on the server', async () => {
    harness = await startRestHarness()
    const remoteId = await harness.client.createExperiment('sweep')
    await harness.client.deleteExperiment(remoteId)
    await expect(pushRuns({ runIds: sweep.allIds, from: sweep.uri, to: harness.server.url })).rejects.toMatchObject({ errorCode: 'INVALID_STATE' })
    expect(harness.server.requestsTo('runs/create')).toEqual([])
  })
})
