// The runs table's pure parts: filter completion, nested rows and sorting, CSV export, routes.
import { describe, expect, test } from 'vitest'
import type { Run } from '../../../src/index.ts'
import { availableColumns, NAME_COLUMN } from '../../../src/ui/runs/columns.ts'
import { runsToCsv } from '../../../src/ui/runs/export-csv.ts'
import { completeFilter, quoteKey } from '../../../src/ui/runs/filter-completion.ts'
import { buildRunRows, compareRunsBy } from '../../../src/ui/runs/run-tree.ts'
import { hrefFor, parseRoute } from '../../../src/ui/router.ts'

const keys = { metrics: ['acc', 'val loss'], params: ['lr', 'optimizer'], tags: ['team'] }

function run(runId: string, metrics: Record<string, number> = {}, tags: Record<string, string> = {}): Run {
  return {
    info: { runId, runName: runId, experimentId: '1', userId: 'u', status: 'FINISHED', startTime: 0, endTime: 1, artifactUri: '', lifecycleStage: 'active' },
    data: { params: {}, metrics, tags },
    inputs: { datasetInputs: [] },
  }
}

describe('completeFilter', () => {
  test('offers entity prefixes, then keys of that entity (quoted when needed)', () => {
    expect(completeFilter('met', 3, keys).items.map(item => item.label)).toEqual(['metrics.'])
    const metrics = completeFilter('metrics.', 8, keys)
    expect(metrics.items.map(item => item.insert)).toEqual(['metrics.acc ', 'metrics.`val loss` '])
    expect(metrics.from).toBe(0)
    expect(completeFilter('params.o', 8, keys).items.map(item => item.label)).toEqual(['optimizer'])
  })
  test('offers comparators after an identifier, AND after a value, nothing inside a string', () => {
    expect(completeFilter('metrics.acc ', 12, keys).items.map(item => item.label)).toContain('>=')
    expect(completeFilter("params.lr = '0.1' ", 18, keys).items.map(item => item.label)).toEqual(['AND'])
    expect(completeFilter("params.lr = '0.", 15, keys).items).toEqual([])
    expect(quoteKey('a-b')).toBe('`a-b`')
  })
})

describe('buildRunRows', () => {
  const parent = run('p', { acc: 0.5 })
  const runs = [run('a', { acc: 0.9 }), parent, run('c1', { acc: 0.7 }, { 'mlflow.parentRunId': 'p' }), run('b'), run('c2', { acc: 0.6 }, { 'mlflow.parentRunId': 'p' })]
  const acc = availableColumns(keys).find(column => column.id === 'metrics.acc')!
  test('nests children under an expanded parent, sorted like the roots; missing values last', () => {
    const collapsed = buildRunRows(runs, compareRunsBy(acc, false, 0), new Set())
    expect(collapsed.map(row => row.run.info.runId)).toEqual(['a', 'p', 'b'])
    expect(collapsed[1]!.childCount).toBe(2)
    const expanded = buildRunRows(runs, compareRunsBy(acc, true, 0), new Set(['p']))
    expect(expanded.map(row => `${row.run.info.runId}:${row.depth}`)).toEqual(['p:0', 'c2:1', 'c1:1', 'a:0', 'b:0'])
  })
  test('a parent cycle does not lose runs', () => {
    const cycle = [run('x', {}, { 'mlflow.parentRunId': 'y' }), run('y', {}, { 'mlflow.parentRunId': 'x' })]
    expect(buildRunRows(cycle, compareRunsBy(NAME_COLUMN, true, 0), new Set()).length).toBeGreaterThan(0)
  })
})

test('runsToCsv quotes fields and neutralises spreadsheet formulas', () => {
  const csv = runsToCsv([run('=cmd', { acc: -1 })], availableColumns(keys).filter(column => column.id === 'metrics.acc'))
  expect(csv.split('\n')[1]).toBe("'=cmd,'=cmd,-1")
})

test('routes parse and print symmetrically', () => {
  for (const hash of ['#/experiments/12', '#/runs/abc/artifacts?path=model%2FMLmodel', '#/compare?runs=a,b', '#/settings', '#/data']) {
    expect(hrefFor(parseRoute(hash))).toBe(hash)
  }
  expect(parseRoute('#/runs/abc')).toEqual({ page: 'run', runId: 'abc', tab: 'overview' })
})
