import { beforeEach, describe, expect, it } from 'vitest'
import { MlflowClient } from '../../../src/index.ts'
import type { Metric } from '../../../src/index.ts'
import { freshTrackingUri } from '../../helpers.ts'

let client: MlflowClient
let runId: string
beforeEach(async () => {
  client = new MlflowClient(freshTrackingUri())
  runId = (await client.createRun('0')).info.runId
})

const metric = (key: string, value: number, step = 0, timestamp = 1735689600000): Metric => ({ key, value, step, timestamp })

describe('params', () => {
  it('are stored as strings, as Python str() prints them', async () => {
    await client.logBatch(runId, { params: [
      { key: 'lr', value: 1e-5 }, { key: 'layers', value: [64, 32] }, { key: 'shuffle', value: true },
      { key: 'none', value: null }, { key: 'name', value: 'mlp' }, { key: 'epochs', value: 20 }, { key: 'empty', value: '' },
    ] })
    expect((await client.getRun(runId)).data.params).toEqual({
      lr: '1e-05', layers: '[64, 32]', shuffle: 'True', none: 'None', name: 'mlp', epochs: '20', empty: '',
    })
  })

  it('the same value again is allowed; a different value is refused with MLflow\'s message and changes nothing', async () => {
    await client.logParam(runId, 'lr', '0.01')
    await client.logParam(runId, 'lr', '0.01')
    await expect(client.logParam(runId, 'lr', '0.02')).rejects.toMatchObject({
      errorCode: 'INVALID_PARAMETER_VALUE',
      message: `Changing param values is not allowed. Param with key='lr' was already logged with value='0.01' for run ID='${runId}'. Attempted logging new value '0.02'.`,
    })
    expect((await client.getRun(runId)).data.params).toEqual({ lr: '0.01' })
  })

  it('duplicate keys with different values in one batch are refused', async () => {
    await expect(client.logBatch(runId, { params: [{ key: 'dup', value: 'a' }, { key: 'dup', value: 'b' }] })).rejects.toMatchObject({
      errorCode: 'INVALID_PARAMETER_VALUE', message: expect.stringContaining("Duplicate parameter keys have been submitted: ['dup']"),
    })
  })

  it('a value over 6000 characters is refused, naming the key', async () => {
    await expect(client.logParam(runId, 'long', 'x'.repeat(6001))).rejects.toMatchObject({
      errorCode: 'INVALID_PARAMETER_VALUE', message: expect.stringContaining("key 'long'"),
    })
  })
})

describe('keys', () => {
  it.each(['a,b', 'a@b', 'a=b', 'a[0]', '', '/lead', 'trail/', 'a//b', 'a/../b', '.', '..'])('refuses %j', async key => {
    await expect(client.logParam(runId, key, 1)).rejects.toMatchObject({ errorCode: 'INVALID_PARAMETER_VALUE' })
    await expect(client.setTag(runId, key, 'v')).rejects.toMatchObject({ errorCode: 'INVALID_PARAMETER_VALUE' })
    await expect(client.logMetric(runId, key, 1)).rejects.toMatchObject({ errorCode: 'INVALID_PARAMETER_VALUE' })
    const run = await client.getRun(runId)
    expect(run.data.params).toEqual({})
    expect(Object.keys(run.data.tags)).toEqual(['mlflow.runName'])
  })

  it.each(['val loss', 'train/acc', 'a:b', 'größe', 'λ_1', 'x-y.z'])('accepts %j', async key => {
    await client.logParam(runId, key, 1)
    await client.logMetric(runId, key, 1)
    const run = await client.getRun(runId)
    expect(run.data.params[key]).toBe('1')
    expect(run.data.metrics[key]).toBe(1)
  })

  it('a key over 250 characters is refused with MLflow\'s message', async () => {
    await expect(client.logParam(runId, 'k'.repeat(251), 1)).rejects.toMatchObject({ message: expect.stringContaining('which exceeded length limit of 250') })
  })
})

describe('metrics', () => {
  it('keep NaN and ±Infinity as MLflow does', async () => {
    await client.logBatch(runId, { metrics: [metric('nan', NaN), metric('inf', Infinity), metric('ninf', -Infinity)] })
    const run = await client.getRun(runId)
    expect(run.data.metrics.nan).toBeNaN()
    expect(run.data.metrics.inf).toBe(Infinity)
    expect(run.data.metrics.ninf).toBe(-Infinity)
  })

  it('latest is the point with the largest step, then the latest timestamp', async () => {
    await client.logBatch(runId, { metrics: [metric('loss', 0.9, 5, 10), metric('loss', 0.1, 2, 99), metric('loss', 0.7, 5, 20), metric('loss', 0.8, 5, 15)] })
    expect((await client.getRun(runId)).data.metrics.loss).toBe(0.7)
  })

  it('getMetricHistory returns every point in step order, negative and huge steps included', async () => {
    await client.logBatch(runId, { metrics: [metric('m', 3, 3), metric('m', -1, -1), metric('m', 1, 1), metric('m', 2 ** 40, 1099511627776), metric('m', 1.5, 1, 1735689600001)] })
    const history = await client.getMetricHistory(runId, 'm')
    expect(history.map(point => [point.step, point.value])).toEqual([[-1, -1], [1, 1], [1, 1.5], [3, 3], [1099511627776, 2 ** 40]])
    expect(history[0]).toEqual({ key: 'm', value: -1, step: -1, timestamp: 1735689600000 })
  })

  it('history spans many chunks and appends keep every point', async () => {
    for (let batch = 0; batch < 5; batch++) {
      const metrics = Array.from({ length: 700 }, (_, index) => metric('loss', batch * 700 + index, batch * 700 + index))
      await client.logBatch(runId, { metrics })
    }
    const history = await client.getMetricHistory(runId, 'loss')
    expect(history).toHaveLength(3500)
    expect(history.every((point, index) => point.step === index && point.value === index)).toBe(true)
    expect((await client.getRun(runId)).data.metrics.loss).toBe(3499)
  })

  it('an unknown metric has an empty history', async () => {
    expect(await client.getMetricHistory(runId, 'nothing')).toEqual([])
  })

  it('a non-number value, a negative timestamp or a fractional step is refused', async () => {
    await expect(client.logBatch(runId, { metrics: [{ key: 'm', value: '1' as never, step: 0, timestamp: 1 }] })).rejects.toMatchObject({ errorCode: 'INVALID_PARAMETER_VALUE' })
    await expect(client.logBatch(runId, { metrics: [{ key: 'm', value: true as never, step: 0, timestamp: 1 }] })).rejects.toMatchObject({ errorCode: 'INVALID_PARAMETER_VALUE' })
    await expect(client.logBatch(runId, { metrics: [metric('m', 1, 0, -5)] })).rejects.toMatchObject({ errorCode: 'INVALID_PARAMETER_VALUE' })
    await expect(client.logBatch(runId, { metrics: [metric('m', 1, 0.5)] })).rejects.toMatchObject({ errorCode: 'INVALID_PARAMETER_VALUE' })
    expect(await client.getMetricHistory(runId, 'm')).toEqual([])
  })
})

describe('logBatch is all or nothing', () => {
  it('over the limits (1000 metrics, 100 params, 100 tags, 1000 in all) with MLflow\'s messages', async () => {
    const metrics = Array.from({ length: 1001 }, (_, index) => metric('m', index, index))
    await expect(client.logBatch(runId, { metrics })).rejects.toMatchObject({ message: expect.stringContaining('at most 1000 metrics. Got 1001 metrics.') })
    const params = Array.from({ length: 101 }, (_, index) => ({ key: `p${index}`, value: index }))
    await expect(client.logBatch(runId, { params })).rejects.toMatchObject({ message: expect.stringContaining('at most 100 params. Got 101 params.') })
    const tags = Array.from({ length: 101 }, (_, index) => ({ key: `t${index}`, value: index }))
    await expect(client.logBatch(runId, { tags })).rejects.toMatchObject({ message: expect.stringContaining('at most 100 tags. Got 101 tags.') })
    await expect(client.logBatch(runId, { metrics: metrics.slice(0, 950), params: params.slice(0, 51) })).rejects.toMatchObject({ errorCode: 'INVALID_PARAMETER_VALUE' })
    const run = await client.getRun(runId)
    expect(run.data.metrics).toEqual({})
    expect(run.data.params).toEqual({})
  })

  it('one bad entity anywhere in the batch writes nothing', async () => {
    await client.logParam(runId, 'kept', 'yes')
    await expect(client.logBatch(runId, {
      metrics: [metric('good', 1)], params: [{ key: 'fine', value: 1 }], tags: [{ key: 'bad,tag', value: 'x' }],
    })).rejects.toMatchObject({ errorCode: 'INVALID_PARAMETER_VALUE', message: expect.stringContaining('bad,tag') })
    await expect(client.logBatch(runId, { metrics: [metric('good', 1)], params: [{ key: 'kept', value: 'no' }] })).rejects.toMatchObject({ errorCode: 'INVALID_PARAMETER_VALUE' })
    const run = await client.getRun(runId)
    expect(run.data.params).toEqual({ kept: 'yes' })
    expect(run.data.metrics).toEqual({})
    expect(await client.getMetricHistory(runId, 'good')).toEqual([])
  })

  it('an unknown run is RESOURCE_DOES_NOT_EXIST', async () => {
    await expect(client.logBatch('f'.repeat(32), { params: [{ key: 'a', value: 1 }] })).rejects.toMatchObject({ errorCode: 'RESOURCE_DOES_NOT_EXIST' })
  })
})

describe('tags', () => {
  it('are overwritten by the last value and deleted; deleting a missing tag is RESOURCE_DOES_NOT_EXIST', async () => {
    await client.logBatch(runId, { tags: [{ key: 'stage', value: 'dev' }, { key: 'stage', value: 'prod' }] })
    expect((await client.getRun(runId)).data.tags.stage).toBe('prod')
    await client.deleteTag(runId, 'stage')
    expect((await client.getRun(runId)).data.tags.stage).toBeUndefined()
    await expect(client.deleteTag(runId, 'nope')).rejects.toMatchObject({
      errorCode: 'RESOURCE_DOES_NOT_EXIST', message: `No tag with name: nope in run with id ${runId}`,
    })
  })

  it('a value over 8000 characters is refused', async () => {
    await expect(client.setTag(runId, 'big', 'x'.repeat(8001))).rejects.toMatchObject({ errorCode: 'INVALID_PARAMETER_VALUE' })
  })
})

describe('write-behind', () => {
  it('un-awaited logMetric calls in a loop are all durable after flush, in order', async () => {
    for (let step = 0; step < 5000; step++) void client.logMetric(runId, 'loss', 1 / (step + 1), { step })
    await client.flush()
    const history = await client.getMetricHistory(runId, 'loss')
    expect(history).toHaveLength(5000)
    expect(history[4999]).toMatchObject({ step: 4999, value: 1 / 5000 })
  })

  it('an awaited logMetric is durable when it resolves', async () => {
    await client.logMetric(runId, 'acc', 0.5, { step: 1 })
    const other = new MlflowClient(client.trackingUri)
    expect((await other.getRun(runId)).data.metrics.acc).toBe(0.5)
  })

  it('a bad point is refused at once and does not fail its neighbours', async () => {
    const good = client.logMetric(runId, 'ok', 1)
    await expect(client.logMetric(runId, 'bad key,', 1)).rejects.toMatchObject({ errorCode: 'INVALID_PARAMETER_VALUE' })
    await good
    await client.flush()
    expect((await client.getRun(runId)).data.metrics).toEqual({ ok: 1 })
  })

  it('a failed write nobody awaited is reported by flush(), not dropped', async () => {
    const doomed = (await client.createRun('0')).info.runId
    await client.deleteRun(doomed)
    void client.logMetric(doomed, 'loss', 1)
    await expect(client.flush()).rejects.toMatchObject({ errorCode: 'INVALID_PARAMETER_VALUE' })
    await client.flush()
  })

  it('setTerminated flushes queued points first', async () => {
    for (let step = 0; step < 100; step++) void client.logMetric(runId, 'loss', step, { step })
    await client.setTerminated(runId)
    expect(await client.getMetricHistory(runId, 'loss')).toHaveLength(100)
  })
})
