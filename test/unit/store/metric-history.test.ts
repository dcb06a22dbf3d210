import { describe, expect, it } from 'vitest'
import { decodeColumn, encodeColumn } from '../../../src/store/local/chunk-encoding.ts'
import { LocalTrackingStore } from '../../../src/store/local/local-store.ts'

describe('chunk column encoding keeps every value exactly', () => {
  it.each([
    ['consecutive steps', Float64Array.from({ length: 1000 }, (_, index) => index + 5), 'stride'],
    ['equal timestamps', new Float64Array(1000).fill(1735689600000), 'stride'],
    ['close timestamps', Float64Array.from({ length: 1000 }, (_, index) => 1735689600000 + Math.floor(index * 1.7)), 'offsets'],
    ['negative and huge steps', Float64Array.of(-1, 3, 1099511627776), 'full'],
    ['fractions', Float64Array.of(0.5, 1.5, 2), 'full'],
    ['one value', Float64Array.of(42), 'stride'],
  ])('%s', (_name, column, form) => {
    const stored = encodeColumn(column)
    expect(stored instanceof Float64Array ? 'full' : 'stride' in stored ? 'stride' : 'offsets').toBe(form)
    expect(Array.from(decodeColumn(stored))).toEqual(Array.from(column))
  })
})

describe('metric tails for live charts', () => {
  const point = (step: number, value = step) => ({ key: 'loss', value, step, timestamp: 1000 + step })

  it('returns only the points after those already known', async () => {
    const store = new LocalTrackingStore(`tail-${crypto.randomUUID()}`)
    const runId = (await store.createRun({ experimentId: '0' })).info.runId
    await store.logMetrics(runId, Array.from({ length: 2500 }, (_, step) => point(step)))
    const tail = await store.getMetricTail(runId, 'loss', 1999)
    expect(tail.from).toBe(1999)
    expect(tail.total).toBe(2500)
    expect(Array.from(tail.columns.steps.slice(0, 3))).toEqual([1999, 2000, 2001])
    expect(tail.columns.values.length).toBe(501)
    expect((await store.getMetricTail(runId, 'loss', 2500)).columns.values.length).toBe(0)
  })

  it('a single point is read back, and a tail after it is empty until a second arrives', async () => {
    const store = new LocalTrackingStore(`tail-${crypto.randomUUID()}`)
    const runId = (await store.createRun({ experimentId: '0' })).info.runId
    await store.logMetrics(runId, [point(7, 0.5)])
    expect(await store.getMetricHistory(runId, 'loss')).toEqual([{ key: 'loss', value: 0.5, step: 7, timestamp: 1007 }])
    expect((await store.getMetricTail(runId, 'loss', 1)).columns.values.length).toBe(0)
    await store.logMetrics(runId, [point(8, 0.25)])
    const tail = await store.getMetricTail(runId, 'loss', 1)
    expect(Array.from(tail.columns.values)).toEqual([0.25])
    expect(await store.getMetricHistory(runId, 'loss')).toHaveLength(2)
  })

  it('after an out-of-order point the whole sorted history comes back from 0', async () => {
    const store = new LocalTrackingStore(`tail-${crypto.randomUUID()}`)
    const runId = (await store.createRun({ experimentId: '0' })).info.runId
    await store.logMetrics(runId, [point(5), point(6)])
    await store.logMetrics(runId, [point(1)])
    const tail = await store.getMetricTail(runId, 'loss', 2)
    expect(tail.from).toBe(0)
    expect(Array.from(tail.columns.steps)).toEqual([1, 5, 6])
  })
})
