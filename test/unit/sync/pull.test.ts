// pullRuns from a test MLflow server into a local store: runs keep their ids and are marked as
// pulled, every point and artifact arrives, pulling again adds only what is new, filters narrow.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { isMlflowError } from '../../../src/core/errors.ts'
import { PULLED_FROM_TAG, pullRuns } from '../../../src/sync/pull.ts'
import { MlflowClient } from '../../../src/tracking/client.ts'
import { freshTrackingUri } from '../../helpers.ts'
import { type RestHarness, startRestHarness } from '../../support/rest-harness.ts'

const T0 = 1_735_689_600_000
let harness: RestHarness
let runIds: string[]

/** On the server: experiment 'team' with two runs (one with 2,500 points and an artifact), and another experiment. */
beforeEach(async () => {
  harness = await startRestHarness()
  const remote = harness.client
  const experimentId = await remote.createExperiment('team', { tags: { owner: 'ana' } })
  runIds = []
  for (const [index, lr] of [0.1, 0.01].entries()) {
    const run = await remote.createRun(experimentId, { runName: `lr-${lr}`, startTime: T0 + index, tags: { model: 'cnn' } })
    const runId = run.info.runId
    await remote.logParam(runId, 'lr', lr)
    for (let offset = 0; offset < 2500; offset += 1000) {
      await remote.logBatch(runId, { metrics: Array.from({ length: Math.min(1000, 2500 - offset) }, (_, i) => ({ key: 'loss', value: lr * (offset + i), timestamp: T0 + offset + i, step: offset + i })) })
    }
    await remote.logInputs(runId, [{ dataset: { name: 'iris', digest: 'abc', sourceType: 'local', source: 'iris.csv' }, tags: {} }])
    await remote.logText(runId, `weights ${lr}`, 'model/weights.txt')
    await remote.setTerminated(runId, 'FINISHED', T0 + 5000)
    runIds.push(runId)
  }
  await remote.createRun(await remote.createExperiment('elsewhere'), { runName: 'not-mine' })
})
afterEach(async () => { expect(harness.server.violations()).toEqual([]); await harness.close() })

describe('pullRuns', () => {
  it('brings runs with their ids, history, inputs and artifacts, marked as pulled', async () => {
    const to = freshTrackingUri('pull')
    const pulled = await pullRuns({ from: harness.server.url, to, experimentNames: ['team'] })
    expect(pulled.map(run => run.created)).toEqual([true, true])
    const local = new MlflowClient(to)
    const experiment = await local.getExperimentByName('team')
    expect(experiment?.tags).toMatchObject({ owner: 'ana' })
    for (const runId of runIds) {
      const [copy, original] = [await local.getRun(runId), await harness.client.getRun(runId)]
      expect(copy.info).toMatchObject({ runId, experimentId: experiment!.experimentId, runName: original.info.runName, status: 'FINISHED', startTime: original.info.startTime, endTime: T0 + 5000 })
      expect(copy.data.params).toEqual(original.data.params)
      expect(copy.data.tags).toEqual({ ...original.data.tags, [PULLED_FROM_TAG]: harness.server.url })
      expect(copy.inputs.datasetInputs).toHaveLength(1)
      expect(await local.getMetricHistory(runId, 'loss')).toEqual(await harness.client.getMetricHistory(runId, 'loss'))
      expect(await local.readArtifactText(runId, 'model/weights.txt')).toBe(await harness.client.readArtifactText(runId, 'model/weights.txt'))
    }
    expect(await local.getExperimentByName('elsewhere')).toBeNull()
  })

  it('pulling again adds only what is new on the server', async () => {
    const to = freshTrackingUri('pull-again')
    await pullRuns({ from: harness.server.url, to, experimentNames: ['team'] })
    const again = await pullRuns({ from: harness.server.url, to, experimentNames: ['team'] })
    expect(again.map(run => [run.created, run.pointsReceived, run.artifactsReceived])).toEqual([[false, 0, 0], [false, 0, 0]])
    await harness.client.logMetric(runIds[0]!, 'loss', 0, { step: 9999, timestamp: T0 + 9999 })
    await harness.client.setTag(runIds[0]!, 'reviewed', 'yes')
    await harness.client.logText(runIds[0]!, 'late', 'late.txt')
    const third = await pullRuns({ from: harness.server.url, to, experimentNames: ['team'] })
    const byId = new Map(third.map(run => [run.runId, [run.pointsReceived, run.artifactsReceived]]))
    expect(runIds.map(runId => byId.get(runId))).toEqual([[1, 1], [0, 0]])
    const local = new MlflowClient(to)
    expect(await local.getMetricHistory(runIds[0]!, 'loss')).toHaveLength(2501)
    expect((await local.getRun(runIds[0]!)).data.tags.reviewed).toBe('yes')
  })

  it('narrows with a filter and can leave artifacts on the server', async () => {
    const to = freshTrackingUri('pull-filter')
    const pulled = await pullRuns({ from: harness.server.url, to, filter: "params.lr = '0.01'", includeArtifacts: false })
    expect(pulled.map(run => run.runId)).toEqual([runIds[1]])
    const local = new MlflowClient(to)
    expect(await local.listArtifacts(runIds[1]!)).toEqual([])
  })

  it('refuses a missing experiment and an unbounded pull', async () => {
    const to = freshTrackingUri('pull-missing')
    const missing = await pullRuns({ from: harness.server.url, to, experimentNames: ['nope'] }).catch((error: unknown) => error)
    expect(isMlflowError(missing, 'RESOURCE_DOES_NOT_EXIST')).toBe(true)
    await expect(pullRuns({ from: harness.server.url, to })).rejects.toMatchObject({ errorCode: 'INVALID_PARAMETER_VALUE' })
  })
})
