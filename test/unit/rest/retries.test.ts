// Faults between the client and the server: safe requests are retried with backoff, writes that may
// have happened are not blindly repeated, and logged metric points end up on the server exactly once.
import { afterEach, describe, expect, it } from 'vitest'
import { isMlflowError } from '../../../src/core/errors.ts'
import { RestError } from '../../../src/store/rest/rest-errors.ts'
import type { Metric } from '../../../src/core/types.ts'
import type { MlflowClient } from '../../../src/tracking/client.ts'
import { type RestHarness, startRestHarness } from '../../support/rest-harness.ts'
import type { LoggedRequest } from '../../support/mlflow-test-server.ts'

const T0 = 1_735_689_600_000
const points = (count: number, key = 'loss'): Metric[] => Array.from({ length: count }, (_, step) => ({ key, value: step / 3, timestamp: T0 + step, step }))
const to = (endpoint: string) => (request: LoggedRequest) => request.endpoint === endpoint

let harness: RestHarness
afterEach(async () => { expect(harness.server.violations()).toEqual([]); await harness.close() })

async function newRunId(client: MlflowClient): Promise<string> {
  return (await client.createRun(await client.createExperiment(`faults-${crypto.randomUUID()}`))).info.runId
}

/** Every point of `key` on the server, as "step:value", to compare with what was logged. */
async function serverPoints(runId: string, key: string): Promise<string[]> {
  return (harness.server.state.run(runId).history.get(key) ?? []).map(point => `${point.step}:${point.value}`)
}
const expected = (metrics: Metric[]) => metrics.map(point => `${point.step}:${point.value}`)

describe('retries of requests that are safe to repeat', () => {
  it('reads through two 500s, waiting longer each time', async () => {
    harness = await startRestHarness()
    harness.server.inject({ kind: 'status', status: 500 }, { match: to('experiments/get'), times: 2 })
    expect((await harness.client.getExperiment('0')).name).toBe('Default')
    expect(harness.server.requestsTo('experiments/get')).toHaveLength(3)
    expect(harness.delays).toHaveLength(2)
    expect(harness.delays[1]!).toBeGreaterThan(harness.delays[0]! * 0.99 / 2)
  })

  it('waits as long as a 429\'s Retry-After says, then sends once more', async () => {
    harness = await startRestHarness()
    const runId = await newRunId(harness.client)
    harness.server.inject({ kind: 'status', status: 429, retryAfterSeconds: 2 }, { match: to('runs/log-batch') })
    await harness.client.logBatch(runId, { metrics: points(10) })
    expect(harness.delays).toEqual([2000])
    expect(await serverPoints(runId, 'loss')).toEqual(expected(points(10)))
  })

  it('retries a read whose answer is slower than the timeout', async () => {
    harness = await startRestHarness({ remote: { timeoutMs: 150 } })
    harness.server.inject({ kind: 'delay', ms: 600 }, { match: to('experiments/get') })
    expect((await harness.client.getExperiment('0')).name).toBe('Default')
    expect(harness.server.requestsTo('experiments/get')).toHaveLength(2)
  })

  it('gives up after the last attempt with the server\'s code', async () => {
    harness = await startRestHarness()
    harness.server.inject({ kind: 'status', status: 503 }, { match: to('runs/search'), times: 100 })
    const error = await harness.client.searchRuns({ experimentIds: ['0'] }).catch((caught: unknown) => caught)
    expect(isMlflowError(error, 'TEMPORARILY_UNAVAILABLE')).toBe(true)
    expect(harness.server.requestsTo('runs/search')).toHaveLength(6)
  })
})

describe('writes that are not idempotent', () => {
  it('creates a run once when the server answered 503 first (it did nothing)', async () => {
    harness = await startRestHarness()
    const experimentId = await harness.client.createExperiment('create-503')
    harness.server.inject({ kind: 'status', status: 503 }, { match: to('runs/create') })
    await harness.client.createRun(experimentId, { runName: 'once' })
    expect([...harness.server.state.runs.values()].filter(run => run.runName === 'once')).toHaveLength(1)
  })

  it('does not send runs/create again after the connection dropped once it was sent', async () => {
    harness = await startRestHarness()
    const experimentId = await harness.client.createExperiment('create-drop')
    harness.server.inject({ kind: 'drop', when: 'after' }, { match: to('runs/create') })
    const error = await harness.client.createRun(experimentId, { runName: 'maybe' }).catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(RestError)
    expect((error as RestError).failure.outcomeUnknown).toBe(true)
    expect(harness.server.requestsTo('runs/create')).toHaveLength(1)
    // The server did create it: a blind retry would have made two.
    expect([...harness.server.state.runs.values()].filter(run => run.runName === 'maybe')).toHaveLength(1)
  })

  it('reports a runs/create slower than the timeout as DEADLINE_EXCEEDED, without a second send', async () => {
    harness = await startRestHarness({ remote: { timeoutMs: 150 } })
    const experimentId = await harness.client.createExperiment('create-slow')
    harness.server.inject({ kind: 'delay', ms: 400 }, { match: to('runs/create') })
    const error = await harness.client.createRun(experimentId).catch((caught: unknown) => caught)
    expect(isMlflowError(error, 'DEADLINE_EXCEEDED')).toBe(true)
    expect(harness.server.requestsTo('runs/create')).toHaveLength(1)
  })

  it('sends runs/create once the server is back when the connection was refused (nothing was sent)', async () => {
    harness = await startRestHarness({ realWaitCapMs: 400, remote: { retry: { maxAttempts: 8, initialDelayMs: 50, maxDelayMs: 400 } } })
    const experimentId = await harness.client.createExperiment('create-refused')
    const restarting = harness.server.restart(300)
    const run = await harness.client.createRun(experimentId, { runName: 'after-restart' })
    await restarting
    expect(run.info.runName).toBe('after-restart')
    expect([...harness.server.state.runs.values()].filter(candidate => candidate.runName === 'after-restart')).toHaveLength(1)
  })
})

describe('metric points land exactly once', () => {
  it('when the connection drops after the server applied a batch', async () => {
    harness = await startRestHarness()
    const runId = await newRunId(harness.client)
    harness.server.inject({ kind: 'drop', when: 'after' }, { match: to('runs/log-batch') })
    await harness.client.logBatch(runId, { metrics: points(50), params: [{ key: 'lr', value: '0.1' }] })
    expect(await serverPoints(runId, 'loss')).toEqual(expected(points(50)))
    // After the drop the client read the history, found every point there, and sent only the (repeatable) param again.
    expect(harness.server.requestsTo('runs/log-batch').map(request => Object.keys(request.json!).sort())).toEqual([['metrics', 'params', 'run_id'], ['params', 'run_id']])
    expect(harness.server.requestsTo('metrics/get-history')).toHaveLength(1)
    expect((await harness.client.getRun(runId)).data.params).toEqual({ lr: '0.1' })
  })

  it('when the connection drops before the server saw the batch', async () => {
    harness = await startRestHarness()
    const runId = await newRunId(harness.client)
    harness.server.inject({ kind: 'drop', when: 'before' }, { match: to('runs/log-batch') })
    await harness.client.logBatch(runId, { metrics: points(50) })
    expect(await serverPoints(runId, 'loss')).toEqual(expected(points(50)))
  })

  it('when the server answers 500 to a batch', async () => {
    harness = await startRestHarness()
    const runId = await newRunId(harness.client)
    harness.server.inject({ kind: 'status', status: 500 }, { match: to('runs/log-batch'), times: 2 })
    await harness.client.logBatch(runId, { metrics: [...points(30), ...points(30, 'acc')] })
    expect(await serverPoints(runId, 'loss')).toEqual(expected(points(30)))
    expect(await serverPoints(runId, 'acc')).toEqual(expected(points(30, 'acc')))
  })

  it('when the server restarts in the middle of 5,000 points, with drops, 500s, 429s and slow answers around it', async () => {
    harness = await startRestHarness({ realWaitCapMs: 200, remote: { timeoutMs: 1_000, retry: { maxAttempts: 10, initialDelayMs: 20, maxDelayMs: 200 } } })
    const { client, server } = harness
    const runId = await newRunId(client)
    const batchNumber = (n: number) => (request: LoggedRequest) => request.endpoint === 'runs/log-batch' && server.requestsTo('runs/log-batch').length === n
    server.inject({ kind: 'drop', when: 'after' }, { match: batchNumber(1) })
    server.inject({ kind: 'status', status: 500 }, { match: batchNumber(3) })
    server.inject({ kind: 'status', status: 429, retryAfterSeconds: 0 }, { match: batchNumber(4) })
    server.inject({ kind: 'restart', when: 'after', downMs: 150 }, { match: batchNumber(5) })
    server.inject({ kind: 'drop', when: 'before' }, { match: batchNumber(7) })
    server.inject({ kind: 'delay', ms: 50 }, { match: to('metrics/get-history'), times: 3 })
    const logged = points(5000)
    for (const point of logged) void client.logMetric(runId, point.key, point.value, { step: point.step, timestamp: point.timestamp })
    await client.flush()
    expect(await serverPoints(runId, 'loss')).toEqual(expected(logged))
    expect(server.pendingFaults()).toEqual([])
    expect(server.requestsTo('metrics/get-history').length).toBeGreaterThanOrEqual(3)
  })
})
