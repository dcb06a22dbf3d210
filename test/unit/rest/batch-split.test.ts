// log-batch and logMetrics larger than the server's limits are split into requests it accepts,
// and everything lands, in order.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { LOG_BATCH_LIMITS, splitBatch } from '../../../src/store/rest/batch-split.ts'
import type { Metric } from '../../../src/core/types.ts'
import { type RestHarness, startRestHarness } from '../../support/rest-harness.ts'

const RUN_ID = 'a'.repeat(32)
const T0 = 1_735_689_600_000
const metric = (step: number, key = 'loss'): Metric => ({ key, value: step / 7, timestamp: T0 + step, step })
const wire = (points: Metric[]) => points.map(point => ({ key: point.key, value: point.value, timestamp: point.timestamp, step: point.step }))

describe('splitBatch', () => {
  it('keeps each request within every count limit and each kind in order', () => {
    const params = Array.from({ length: 150 }, (_, index) => ({ key: `p${index}`, value: String(index) }))
    const tags = Array.from({ length: 120 }, (_, index) => ({ key: `t${index}`, value: String(index) }))
    const requests = splitBatch(RUN_ID, { metrics: wire(Array.from({ length: 2500 }, (_, step) => metric(step))), params, tags })
    for (const request of requests) {
      expect(request.metrics.length).toBeLessThanOrEqual(1000)
      expect(request.params.length).toBeLessThanOrEqual(100)
      expect(request.tags.length).toBeLessThanOrEqual(100)
      expect(request.metrics.length + request.params.length + request.tags.length).toBeLessThanOrEqual(1000)
    }
    expect(requests.flatMap(request => request.params)).toEqual(params)
    expect(requests.flatMap(request => request.tags)).toEqual(tags)
    expect(requests.flatMap(request => request.metrics).map(point => point.step)).toEqual(Array.from({ length: 2500 }, (_, step) => step))
    expect(requests).toHaveLength(3)
  })

  it('keeps each JSON body under 1 MB, counting UTF-8 bytes', () => {
    const tags = Array.from({ length: 100 }, (_, index) => ({ key: `t${index}`, value: 'é'.repeat(4000) }))
    const params = Array.from({ length: 100 }, (_, index) => ({ key: `p${index}`, value: 'x'.repeat(6000) }))
    const requests = splitBatch(RUN_ID, { metrics: [], params, tags })
    expect(requests.length).toBeGreaterThan(1)
    for (const request of requests) {
      const body = JSON.stringify({ run_id: RUN_ID, metrics: request.metrics, params: request.params, tags: request.tags })
      expect(new TextEncoder().encode(body).length).toBeLessThanOrEqual(LOG_BATCH_LIMITS.bodyBytes)
    }
    expect(requests.flatMap(request => request.tags)).toEqual(tags)
  })

  it('still sends one (empty) request for an empty batch, so an unknown run is reported', () => {
    expect(splitBatch(RUN_ID, { metrics: [], params: [], tags: [] })).toEqual([{ metrics: [], params: [], tags: [] }])
  })
})

describe('logging more than one request holds, through the server', () => {
  let harness: RestHarness
  beforeEach(async () => { harness = await startRestHarness() })
  afterEach(async () => { expect(harness.server.violations()).toEqual([]); await harness.close() })

  it('lands 2,500 metrics, 150 params and 120 tags of one logBatch call, every point once and in order', async () => {
    const { client, server } = harness
    const runId = (await client.createRun(await client.createExperiment('split'))).info.runId
    const metrics = [...Array.from({ length: 2000 }, (_, step) => metric(step)), ...Array.from({ length: 500 }, (_, step) => metric(step, 'acc'))]
    await client.logBatch(runId, {
      metrics,
      params: Array.from({ length: 150 }, (_, index) => ({ key: `p${index}`, value: index })),
      tags: Array.from({ length: 120 }, (_, index) => ({ key: `t${index}`, value: `v${index}` })),
    })
    expect(server.requestsTo('runs/log-batch')).toHaveLength(3)
    const history = await client.getMetricHistory(runId, 'loss')
    expect(history.map(point => point.step)).toEqual(Array.from({ length: 2000 }, (_, step) => step))
    expect((await client.getMetricHistory(runId, 'acc'))).toHaveLength(500)
    const run = await client.getRun(runId)
    expect(Object.keys(run.data.params)).toHaveLength(150)
    expect(run.data.tags.t119).toBe('v119')
  })

  it('sends 20,000 points queued by logMetric in requests of at most 1,000', async () => {
    const { client, server } = harness
    const runId = (await client.createRun(await client.createExperiment('hot-loop'))).info.runId
    for (let step = 0; step < 20_000; step++) void client.logMetric(runId, 'loss', 1 / (step + 1), { step, timestamp: T0 + step })
    await client.flush()
    const sizes = server.requestsTo('runs/log-batch').map(request => (request.json?.metrics as unknown[]).length)
    expect(Math.max(...sizes)).toBeLessThanOrEqual(1000)
    expect(sizes.reduce((sum, size) => sum + size, 0)).toBe(20_000)
    expect((await client.getMetricColumns(runId, 'loss')).steps).toHaveLength(20_000)
  })

  it('drops a param repeated with the same value (the server refuses the same key twice in one request)', async () => {
    const { client } = harness
    const runId = (await client.createRun(await client.createExperiment('dup'))).info.runId
    await client.logBatch(runId, { params: [{ key: 'dup', value: '1' }, { key: 'dup', value: '1' }] })
    expect((await client.getRun(runId)).data.params).toEqual({ dup: '1' })
    await expect(client.logBatch(runId, { params: [{ key: 'x', value: '1' }, { key: 'x', value: '2' }] })).rejects.toMatchObject({ errorCode: 'INVALID_PARAMETER_VALUE' })
  })
})
