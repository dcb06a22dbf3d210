// Import writes each parsed metric file with chunkMetricColumns: the run row's latest point and series
// facts follow MLflow's rule whatever the order of points, and the chunks hold exactly the points.
import { describe, expect, it } from 'vitest'
import { decodeColumn } from '../../../src/store/local/chunk-encoding.ts'
import { CHUNK_SIZE, type RunRow } from '../../../src/store/local/db.ts'
import { chunkMetricColumns, isLaterPoint } from '../../../src/store/local/metric-history.ts'
import type { MetricColumns } from '../../../src/store/tracking-store.ts'

const row = () => ({ runId: 'r', latestMetrics: {}, series: {} }) as unknown as RunRow
const columns = (points: Array<[number, number, number]>): MetricColumns => ({
  steps: Float64Array.from(points, ([step]) => step), values: Float64Array.from(points, ([, value]) => value), timestamps: Float64Array.from(points, ([, , timestamp]) => timestamp),
})

describe('chunkMetricColumns', () => {
  it.each([
    ['in order', [[0, 1, 10], [1, 2, 11], [2, 0.5, 12]], { value: 0.5, step: 2, timestamp: 12 }, true],
    ['a later step first', [[5, 1, 10], [1, 2, 11], [3, 9, 12]], { value: 1, step: 5, timestamp: 10 }, false],
    ['a tie on step: the later timestamp', [[2, 1, 20], [2, 7, 10], [1, 3, 30]], { value: 1, step: 2, timestamp: 20 }, false],
    ['a tie on step and time: the larger value, a number over NaN', [[4, NaN, 5], [4, -1, 5], [4, -3, 5]], { value: -1, step: 4, timestamp: 5 }, true],
    ['NaN and infinities', [[0, Infinity, 1], [1, NaN, 2]], { value: NaN, step: 1, timestamp: 2 }, true],
  ] as const)('%s', (_name, points, latest, ordered) => {
    const run = row()
    chunkMetricColumns(run, 'm', columns(points as unknown as Array<[number, number, number]>))
    expect(run.latestMetrics.m).toEqual(latest)
    expect(run.series.m).toMatchObject({ count: points.length, ordered })
    // The same latest point the general rule picks, point by point.
    let expected: { value: number; step: number; timestamp: number } | undefined
    for (const [step, value, timestamp] of points) if (isLaterPoint({ value, step, timestamp }, expected)) expected = { value, step, timestamp }
    expect(run.latestMetrics.m).toEqual(expected)
  })

  it('stores a column that is exactly one chunk as it is, and copies out pieces of longer ones', () => {
    const one = columns(Array.from({ length: CHUNK_SIZE }, (_, index) => [index, Math.sin(index), 1000 + index * index]))
    const [chunk] = chunkMetricColumns(row(), 'one', one)
    expect(chunk!.values).toBe(one.values)
    expect(Array.from(decodeColumn(chunk!.timestamps))).toEqual(Array.from(one.timestamps))

    const long = columns(Array.from({ length: 2 * CHUNK_SIZE + 5 }, (_, index) => [index, index / 3, 7]))
    const chunks = chunkMetricColumns(row(), 'long', long)
    expect(chunks.map(item => item.seq)).toEqual([0, 1, 2])
    for (const item of chunks) expect(item.values.byteLength).toBe(item.values.buffer.byteLength) // IndexedDB clones a view's whole buffer
    expect(chunks.flatMap(item => Array.from(item.values))).toEqual(Array.from(long.values))
    expect(chunks.flatMap(item => Array.from(decodeColumn(item.steps)))).toEqual(Array.from(long.steps))

    // A view into a larger buffer is copied even when it is one chunk long.
    const buffer = new Float64Array(CHUNK_SIZE + 10)
    const view = { steps: buffer.subarray(10), values: buffer.subarray(10), timestamps: buffer.subarray(10) }
    const [copied] = chunkMetricColumns(row(), 'view', view)
    expect(copied!.values).not.toBe(view.values)
    expect(copied!.values.buffer.byteLength).toBe(CHUNK_SIZE * 8)
  })

  it('a one-point series gets no chunk, only its latest point', () => {
    const run = row()
    expect(chunkMetricColumns(run, 'lone', columns([[3, 0.25, 9]]))).toEqual([])
    expect(run.latestMetrics.lone).toEqual({ value: 0.25, step: 3, timestamp: 9 })
  })
})
