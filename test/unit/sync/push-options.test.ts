// pushRuns' options and its bookkeeping: a second push costs one check per run, whole experiments
// push by id into a chosen remote experiment, artifacts can stay home, a cancelled push resumes,
// and a second device holding the same runs (an imported archive) creates nothing twice.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { isMlflowError } from '../../../src/core/errors.ts'
import { SOURCE_RUN_TAG, pushRuns } from '../../../src/sync/push.ts'
import { MlflowClient } from '../../../src/tracking/client.ts'
import { freshTrackingUri } from '../../helpers.ts'
import { type RestHarness, startRestHarness } from '../../support/rest-harness.ts'

const T0 = 1_735_689_600_000

interface Local { uri: string; client: MlflowClient; experimentId: string; runIds: string[] }

/** Two experiments' worth of local runs: 'cnn' with a parent and a child, 'rnn' with one run. */
async function logLocal(): Promise<Local> {
  const uri = freshTrackingUri('push-options')
  const client = new MlflowClient(uri)
  const experimentId = await client.createExperiment('cnn')
  const parent = await client.createRun(experimentId, { runName: 'sweep', startTime: T0 })
  const child = await client.createRun(experimentId, { runName: 'trial', startTime: T0 + 1, tags: { 'mlflow.parentRunId': parent.info.runId } })
  const other = await client.createRun(await client.createExperiment('rnn'), { runName: 'lstm', startTime: T0 + 2 })
  for (const run of [parent, child, other]) {
    const runId = run.info.runId
    await client.logParam(runId, 'lr', 0.01)
    await client.logBatch(runId, { metrics: Array.from({ length: 1000 }, (_, step) => ({ key: step % 2 ? 'loss' : 'acc', value: step / 1000, timestamp: T0 + step, step })) })
    await client.logText(runId, `notes of ${run.info.runName}`, 'notes.txt')
    await client.setTerminated(runId, 'FINISHED', T0 + 10_000)
  }
  return { uri, client, experimentId, runIds: [parent.info.runId, child.info.runId, other.info.runId] }
}

let harness: RestHarness
let local: Local
beforeEach(async () => { local = await logLocal() })
afterEach(async () => { expect(harness.server.violations()).toEqual([]); await harness.close() })


const since = (start: number) => harness.server.requests.slice(start).map(request => `${request.method} ${request.endpoint}`)

describe('pushRuns options', () => {
  it('a second push with nothing new sends one lookup per experiment and one check per run', async () => {
    harness = await startRestHarness()
    await pushRuns({ runIds: local.runIds, from: local.uri, to: harness.server.url })
    const start = harness.server.requests.length
    const again = await pushRuns({ runIds: local.runIds, from: local.uri, to: harness.server.url })
    expect(again.map(run => [run.created, run.pointsSent, run.artifactsSent])).toEqual([[false, 0, 0], [false, 0, 0], [false, 0, 0]])
    expect(since(start).sort()).toEqual([
      'GET experiments/get-by-name', 'GET experiments/get-by-name', 'GET runs/get', 'GET runs/get', 'GET runs/get',
    ])
    // Only what is new goes the next time: two more points of one run.
    await local.client.logBatch(local.runIds[2]!, { metrics: [{ key: 'loss', value: 0, timestamp: T0 + 9000, step: 9000 }, { key: 'loss', value: 0, timestamp: T0 + 9001, step: 9001 }] })
    const third = await pushRuns({ runIds: local.runIds, from: local.uri, to: harness.server.url })
    expect(third.map(run => run.pointsSent)).toEqual([0, 0, 2])
  })

  it('pushes whole experiments into one chosen remote experiment, nested runs pointing at their remote parents', async () => {
    harness = await startRestHarness()
    const progress: number[] = []
    const pushed = await pushRuns({ experimentIds: [local.experimentId], from: local.uri, to: harness.server.url, experimentName: 'team/cnn', onProgress: p => progress.push(p.pointsSent) })
    expect(pushed).toHaveLength(2)
    expect(progress.at(-1)).toBe(2000)
    const remote = harness.client
    const experiment = await remote.getExperimentByName('team/cnn')
    expect(await remote.getExperimentByName('cnn')).toBeNull()
    const { runs } = await remote.searchRuns({ experimentIds: [experiment!.experimentId] })
    const bySource = new Map(runs.map(run => [run.data.tags[SOURCE_RUN_TAG], run]))
    expect(bySource.get(local.runIds[1])!.data.tags['mlflow.parentRunId']).toBe(bySource.get(local.runIds[0])!.info.runId)
    expect(await remote.getMetricHistory(bySource.get(local.runIds[0])!.info.runId, 'loss')).toEqual(await local.client.getMetricHistory(local.runIds[0]!, 'loss'))
  })

  it('leaves artifacts home with includeArtifacts: false, and sends them on a later push', async () => {
    harness = await startRestHarness()
    const first = await pushRuns({ runIds: [local.runIds[2]!], from: local.uri, to: harness.server.url, includeArtifacts: false })
    expect(harness.server.requestsTo('artifacts', 'PUT')).toEqual([])
    const later = await pushRuns({ runIds: [local.runIds[2]!], from: local.uri, to: harness.server.url })
    expect(later[0]!.artifactsSent).toBe(1)
    expect(await harness.client.readArtifactText(first[0]!.remoteRunId, 'notes.txt')).toBe('notes of lstm')
  })

  it('stops with CANCELLED when its signal aborts, and the next push finishes without doubling', async () => {
    harness = await startRestHarness()
    const controller = new AbortController()
    const cancelled = await pushRuns({
      runIds: local.runIds, from: local.uri, to: harness.server.url, signal: controller.signal,
      onProgress: progress => { if (progress.phase === 'data') controller.abort() },
    }).catch((error: unknown) => error)
    expect(isMlflowError(cancelled, 'CANCELLED')).toBe(true)
    const resumed = await pushRuns({ runIds: local.runIds, from: local.uri, to: harness.server.url })
    expect(resumed.filter(run => run.created)).toHaveLength(2)
    for (const [index, runId] of local.runIds.entries()) {
      for (const key of ['loss', 'acc']) {
        expect(await harness.client.getMetricHistory(resumed[index]!.remoteRunId, key)).toEqual(await local.client.getMetricHistory(runId, key))
      }
    }
  })

  it('from a second device holding the same runs, finds the pushed runs by their tag and creates nothing', async () => {
    harness = await startRestHarness()
    await pushRuns({ runIds: local.runIds, from: local.uri, to: harness.server.url })
    // Another device that imported the same runs: same ids and data, no push mappings.
    const otherUri = freshTrackingUri('other-device')
    const other = new MlflowClient(otherUri)
    for (const runId of local.runIds) {
      const run = await local.client.getRun(runId)
      const experiment = await local.client.getExperiment(run.info.experimentId)
      const experimentId = (await other.getExperimentByName(experiment.name))?.experimentId ?? await other.createExperiment(experiment.name)
      const { 'mlflow.runName': _name, ...tags } = run.data.tags
      await other.createRun(experimentId, { runId, runName: run.info.runName, startTime: run.info.startTime, tags })
      await other.logBatch(runId, { params: [{ key: 'lr', value: 0.01 }] })
      for (const key of ['loss', 'acc']) await other.logBatch(runId, { metrics: await local.client.getMetricHistory(runId, key) })
      await other.logText(runId, `notes of ${run.info.runName}`, 'notes.txt')
      await other.setTerminated(runId, 'FINISHED', T0 + 10_000)
    }
    const start = harness.server.requests.length
    const pushed = await pushRuns({ runIds: local.runIds, from: otherUri, to: harness.server.url })
    expect(pushed.map(run => run.created)).toEqual([false, false, false])
    expect(pushed.map(run => run.pointsSent + run.artifactsSent)).toEqual([0, 0, 0])
    expect(since(start).filter(request => /runs\/create|log-batch|PUT/.test(request))).toEqual([])
  })
})
