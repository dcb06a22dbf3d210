import { describe, expect, it } from 'vitest'
import type { RunRow } from '../../../src/store/local/db.ts'
import { decodeRunDigest, encodeRunDigest } from '../../../src/store/local/run-digest-format.ts'

function row(index: number, change: Partial<RunRow> = {}): RunRow {
  return {
    runId: `run${index}`, experimentId: '1', runName: `name-${index}`, userId: 'ana', status: 'FINISHED', startTime: 1000 + index, endTime: 2000 + index,
    artifactUri: `indexeddb://db/1/run${index}/artifacts`, lifecycleStage: 'active',
    params: { lr: String(index % 3), depth: '4' }, tags: { 'mlflow.runName': `name-${index}`, team: 'a' },
    latestMetrics: { loss: { value: 1 / (index + 1), step: index, timestamp: 5 } },
    series: { loss: { count: index + 1, ordered: index % 2 === 0, lastStep: index, lastTimestamp: 5 } },
    inputs: [], modifiedAt: 10 + index / 1024, ...change,
  }
}

const byId = (rows: RunRow[]) => [...rows].sort((a, b) => (a.runId < b.runId ? -1 : 1))
const roundTrip = (rows: RunRow[]) => decodeRunDigest(structuredClone(encodeRunDigest('1', 99, rows)))

describe('run digest format', () => {
  it('gives back every row exactly, whatever keys and values each run has', () => {
    const rows = [
      row(0),
      row(1, { endTime: null, status: 'RUNNING' }),
      row(2, { lifecycleStage: 'deleted', deletedTime: 3000 }),
      row(3, { params: {}, tags: {}, latestMetrics: {}, series: {} }),
      row(4, { params: { depth: '4', lr: '1', only_here: '' } }), // same keys, another order, plus one more
      row(5, { latestMetrics: { loss: { value: NaN, step: -1, timestamp: 0 }, acc: { value: Infinity, step: 2 ** 40, timestamp: 1.5 } } }),
      row(6, { inputs: [{ dataset: { name: 'iris', digest: 'abc', sourceType: 'local', source: '{}' }, tags: { 'mlflow.data.context': 'train' } }] }),
      row(7, { runName: '', params: { 'weird "key"\n': 'ünïcødé \u0000 value' } }),
      row(8, { modifiedAt: 0 }),
    ]
    const decoded = roundTrip(rows)
    expect(byId(decoded)).toStrictEqual(byId(rows))
    expect(Object.keys(decoded.find(run => run.runId === 'run4')!.params)).toEqual(['depth', 'lr', 'only_here'])
  })

  it('keeps as they are the rows it cannot pack exactly', () => {
    const proto = row(1)
    Object.defineProperty(proto.params, '__proto__', { value: 'x', enumerable: true, configurable: true, writable: true })
    const odd = [
      proto,
      row(2, { endTime: NaN }),
      { ...row(3), futureField: { kept: true } } as RunRow,
      row(4, { latestMetrics: { loss: { value: 1, step: 0, timestamp: 0, extra: 1 } as never } }),
    ]
    const digest = encodeRunDigest('1', 99, [row(0), ...odd])
    expect(digest.packedCount).toBe(1)
    expect(digest.rows).toHaveLength(4)
    const decoded = decodeRunDigest(structuredClone(digest))
    expect(byId(decoded)).toStrictEqual(byId(structuredClone([row(0), ...odd])))
    expect(Object.hasOwn(decoded.find(run => run.runId === 'run1')!.params, '__proto__')).toBe(true)
  })

  it('a row of another experiment is not packed as one of this experiment', () => {
    const digest = encodeRunDigest('1', 99, [row(0, { experimentId: '2' })])
    expect(digest.packedCount).toBe(0)
    expect(decodeRunDigest(digest)[0]!.experimentId).toBe('2')
  })

  it('stores repeated strings and key lists once', () => {
    const rows = Array.from({ length: 500 }, (_, index) => row(index))
    const [strings, shapes] = JSON.parse(encodeRunDigest('1', 99, rows).text) as [string[], number[][]]
    expect(shapes).toHaveLength(3) // params, tags, and metrics = series keys
    expect(strings.filter(value => value === 'ana')).toHaveLength(1)
  })
})
