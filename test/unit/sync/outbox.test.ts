// The offline outbox: with offline 'queue', logging to a server that is down returns at once,
// what waits is listed, and replaying once the server is back delivers every write exactly once,
// in order, with runs created offline given their server ids (their children follow).
import { afterEach, describe, expect, it } from 'vitest'
import { isMlflowError } from '../../../src/core/errors.ts'
import { CLIENT_RUN_TAG, type OutboxEntry, discardOutboxEntry, getOutbox, replayOutbox, watchOutbox } from '../../../src/sync/outbox.ts'
import { type RestHarness, startRestHarness } from '../../support/rest-harness.ts'

const T0 = 1_735_689_600_000
let harness: RestHarness
afterEach(async () => { expect(harness.server.violations()).toEqual([]); await harness.close() })

async function queueingHarness(): Promise<{ database: string }> {
  const database = `outbox-${crypto.randomUUID()}`
  harness = await startRestHarness({ remote: { offline: 'queue', outboxDatabase: database, retry: { maxAttempts: 3, initialDelayMs: 1, maxDelayMs: 5 } } })
  return { database }
}

const points = (key: string, from: number, count: number) =>
  Array.from({ length: count }, (_, index) => ({ key, value: (from + index) / 10, timestamp: T0 + from + index, step: from + index }))

describe('offline outbox', () => {
  it('queues a whole nested run while the server is down and replays it once it is back', async () => {
    const location = await queueingHarness()
    const { client, server } = harness
    const experimentId = await client.createExperiment('field-trip')
    await server.close()

    const parent = await client.createRun(experimentId, { runName: 'sweep', startTime: T0 })
    const child = await client.createRun(experimentId, { runName: 'trial', startTime: T0 + 1, tags: { 'mlflow.parentRunId': parent.info.runId } })
    expect(parent.info).toMatchObject({ runName: 'sweep', status: 'RUNNING', experimentId })
    await client.logParam(child.info.runId, 'lr', 0.01)
    for (const point of points('loss', 0, 1500)) void client.logMetric(child.info.runId, point.key, point.value, point)
    await client.flush()
    await client.logText(child.info.runId, 'taken offline', 'notes.txt')
    await client.setTerminated(child.info.runId, 'FINISHED', T0 + 9000)
    await client.setTerminated(parent.info.runId, 'FINISHED', T0 + 9001)

    const waiting = await getOutbox(location)
    expect(waiting.map(entry => entry.op)).toEqual(['createRun', 'createRun', 'logBatch', 'logMetrics', 'logArtifact', 'updateRun', 'updateRun'])
    expect(waiting.every(entry => entry.state === 'pending')).toBe(true)
    expect(waiting.find(entry => entry.op === 'logMetrics')!.items).toBe(1500)

    await server.restart(0)
    expect(await replayOutbox(location)).toEqual({ replayed: 7, failed: 0, remaining: 0 })
    expect(await getOutbox(location)).toEqual([])

    const { runs } = await client.searchRuns({ experimentIds: [experimentId] })
    expect(runs).toHaveLength(2)
    const byClientId = new Map(runs.map(run => [run.data.tags[CLIENT_RUN_TAG], run]))
    const remoteParent = byClientId.get(parent.info.runId)!, remoteChild = byClientId.get(child.info.runId)!
    expect(remoteChild.data.tags['mlflow.parentRunId']).toBe(remoteParent.info.runId)
    expect(remoteChild.info).toMatchObject({ runName: 'trial', status: 'FINISHED', endTime: T0 + 9000, startTime: T0 + 1 })
    expect(remoteChild.data.params).toEqual({ lr: '0.01' })
    expect(await client.getMetricHistory(remoteChild.info.runId, 'loss')).toEqual(points('loss', 0, 1500))
    // The placeholder keeps working after the replay: it now means the server's run.
    expect((await client.getRun(child.info.runId)).info.runId).toBe(remoteChild.info.runId)
    expect(await client.readArtifactText(child.info.runId, 'notes.txt')).toBe('taken offline')
  })

  it('delivers each point exactly once when the server goes down again right after taking a replayed batch', async () => {
    const location = await queueingHarness()
    const { client, server } = harness
    const run = await client.createRun(await client.createExperiment('flaky'), { runName: 'r' })
    await server.close()
    await client.logBatch(run.info.runId, { metrics: points('acc', 0, 800) })
    await server.restart(0)
    // The server applies the batch, then vanishes before answering: the entry stays, marked as tried.
    server.inject({ kind: 'restart', when: 'after', downMs: 300 }, { match: request => request.endpoint === 'runs/log-batch' })
    const first = await replayOutbox(location)
    expect(first).toMatchObject({ replayed: 0, remaining: 1 })
    expect((await getOutbox(location))[0]).toMatchObject({ attempts: 2, state: 'pending' })
    await new Promise(resolve => setTimeout(resolve, 400))
    expect(await replayOutbox(location)).toEqual({ replayed: 1, failed: 0, remaining: 0 })
    expect(await client.getMetricHistory(run.info.runId, 'acc')).toEqual(points('acc', 0, 800))
  })

  it('queues writes made while older ones wait, so the server gets them in order, and reports changes to watchers', async () => {
    const location = await queueingHarness()
    const { client, server } = harness
    const run = await client.createRun(await client.createExperiment('ordered'), { runName: 'r' })
    const seen: OutboxEntry[][] = []
    const stop = watchOutbox(entries => seen.push(entries), location)
    await server.close()
    await client.setTag(run.info.runId, 'phase', 'one')
    await server.restart(0)
    // The server is back, but an older write waits: this one must not overtake it.
    await client.setTag(run.info.runId, 'phase', 'two')
    expect((await getOutbox(location)).map(entry => entry.op)).toEqual(['logBatch', 'logBatch'])
    await replayOutbox(location)
    expect((await client.getRun(run.info.runId)).data.tags.phase).toBe('two')
    await new Promise(resolve => setTimeout(resolve, 100))
    stop()
    expect(seen.some(entries => entries.length === 2)).toBe(true)
    expect(seen.at(-1)).toEqual([])
  })

  it('keeps a write the server refuses as failed, replays the rest, and lets the user discard it', async () => {
    const location = await queueingHarness()
    const { client, server } = harness
    const run = await client.createRun(await client.createExperiment('refused'), { runName: 'r' })
    await client.logParam(run.info.runId, 'lr', '0.1')
    await server.close()
    await client.logParam(run.info.runId, 'lr', '0.2') // params are immutable: the server will say no
    await client.setTag(run.info.runId, 'after', 'yes')
    await server.restart(0)
    expect(await replayOutbox(location)).toEqual({ replayed: 1, failed: 1, remaining: 0 })
    const [failed] = await getOutbox(location)
    expect(failed).toMatchObject({ state: 'failed', op: 'logBatch' })
    expect(failed!.lastError).toContain('INVALID_PARAMETER_VALUE')
    expect((await client.getRun(run.info.runId)).data.tags.after).toBe('yes')
    expect(await discardOutboxEntry(failed!.seq, location)).toBe(true)
    expect(await getOutbox(location)).toEqual([])
  })

  it('without offline queue, a write to a server that is down fails as before', async () => {
    harness = await startRestHarness({ remote: { retry: { maxAttempts: 2, initialDelayMs: 1, maxDelayMs: 1 } } })
    const run = await harness.client.createRun(await harness.client.createExperiment('plain'), { runName: 'r' })
    await harness.server.close()
    const error = await harness.client.setTag(run.info.runId, 'k', 'v').catch((caught: unknown) => caught)
    expect(isMlflowError(error, 'TEMPORARILY_UNAVAILABLE')).toBe(true)
    await harness.server.restart(0)
  })
})
