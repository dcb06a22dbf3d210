import { describe, it, expect } from 'vitest'
import { compileRunOrderBy, FilterSyntaxError } from '../../../src/core/search/index.ts'
import type { Run, RunStatus } from '../../../src/core/types.ts'

interface RunSpec {
  startTime?: number
  endTime?: number | null
  runName?: string
  status?: RunStatus
  userId?: string
  metrics?: Record<string, number>
  params?: Record<string, string>
  tags?: Record<string, string>
}

/** A run whose id is `id`; other fields default to the same values for every run. */
function makeRun(id: string, spec: RunSpec = {}): Run {
  return {
    info: {
      runId: id,
      runName: spec.runName ?? 'run',
      experimentId: '1',
      userId: spec.userId ?? 'ada',
      status: spec.status ?? 'FINISHED',
      startTime: spec.startTime ?? 1000,
      endTime: spec.endTime === undefined ? 2000 : spec.endTime,
      artifactUri: `mlflow-artifacts:/1/${id}/artifacts`,
      lifecycleStage: 'active',
    },
    data: { metrics: spec.metrics ?? {}, params: spec.params ?? {}, tags: spec.tags ?? {} },
    inputs: { datasetInputs: [] },
  }
}

/** The ids of `runs` sorted by `orderBy`. */
const order = (runs: Run[], orderBy: string[] | undefined) => [...runs].sort(compileRunOrderBy(orderBy)).map(run => run.info.runId)

function errorOf(orderBy: string[]): FilterSyntaxError {
  try {
    compileRunOrderBy(orderBy)
  } catch (error) {
    if (error instanceof FilterSyntaxError) return error
    throw error
  }
  throw new Error(`expected ${JSON.stringify(orderBy)} to be rejected`)
}

describe('compileRunOrderBy: default order', () => {
  const runs = [makeRun('b', { startTime: 1 }), makeRun('c', { startTime: 3 }), makeRun('a', { startTime: 3 }), makeRun('d', { startTime: 2 })]

  it('sorts by start_time DESC, then run_id ASC, without order_by', () => {
    expect(order(runs, undefined)).toEqual(['a', 'c', 'd', 'b'])
    expect(order(runs, [])).toEqual(['a', 'c', 'd', 'b'])
  })
})

describe('compileRunOrderBy: metrics', () => {
  const runs = [
    makeRun('nine', { metrics: { acc: 9 } }),
    makeRun('ten', { metrics: { acc: 10 } }),
    makeRun('none'),
    makeRun('nan', { metrics: { acc: Number.NaN } }),
    makeRun('minus', { metrics: { acc: -1 } }),
  ]

  it('sorts numerically, ASC by default', () => {
    expect(order(runs, ['metrics.acc'])).toEqual(['minus', 'nine', 'ten', 'nan', 'none'])
    expect(order(runs, ['metrics.acc ASC'])).toEqual(['minus', 'nine', 'ten', 'nan', 'none'])
  })

  it('puts NaN and missing values last when descending too', () => {
    expect(order(runs, ['metrics.acc DESC'])).toEqual(['ten', 'nine', 'minus', 'nan', 'none'])
  })

  it('accepts asc and desc in any case, and the metric. alias', () => {
    expect(order(runs, ['metric.acc desc'])).toEqual(['ten', 'nine', 'minus', 'nan', 'none'])
    expect(order(runs, ['metrics.acc Asc'])).toEqual(['minus', 'nine', 'ten', 'nan', 'none'])
  })

  it('reads quoted keys', () => {
    const quoted = [makeRun('low', { metrics: { 'val loss': 0.1 } }), makeRun('high', { metrics: { 'val loss': 0.9 } })]
    expect(order(quoted, ['metrics."val loss" DESC'])).toEqual(['high', 'low'])
    expect(order(quoted, ['`metrics`.`val loss` DESC'])).toEqual(['high', 'low'])
    expect(order(quoted, ['metrics.`val loss`'])).toEqual(['low', 'high'])
  })

  it('breaks ties by start_time DESC, then run_id ASC', () => {
    const tied = [
      makeRun('b', { startTime: 5, metrics: { acc: 1 } }),
      makeRun('a', { startTime: 5, metrics: { acc: 1 } }),
      makeRun('c', { startTime: 9, metrics: { acc: 1 } }),
      makeRun('z', { startTime: 1, metrics: { acc: 2 } }),
    ]
    expect(order(tied, ['metrics.acc DESC'])).toEqual(['z', 'c', 'a', 'b'])
    expect(order(tied, ['metrics.acc ASC'])).toEqual(['c', 'a', 'b', 'z'])
  })

  it('breaks ties among missing values the same way', () => {
    const missing = [makeRun('b', { startTime: 1 }), makeRun('a', { startTime: 1 }), makeRun('c', { startTime: 2 })]
    expect(order(missing, ['metrics.acc DESC'])).toEqual(['c', 'a', 'b'])
  })
})

describe('compileRunOrderBy: params and tags', () => {
  const runs = [
    makeRun('p9', { params: { lr: '9' }, tags: { team: 'b' } }),
    makeRun('p10', { params: { lr: '10' }, tags: { team: 'a' } }),
    makeRun('none'),
  ]

  it('compares params as strings: "10" before "9"', () => {
    expect(order(runs, ['params.lr'])).toEqual(['p10', 'p9', 'none'])
    expect(order(runs, ['params.lr DESC'])).toEqual(['p9', 'p10', 'none'])
  })

  it('compares tags as strings, missing last both ways', () => {
    expect(order(runs, ['tags.team ASC'])).toEqual(['p10', 'p9', 'none'])
    expect(order(runs, ['tags.team DESC'])).toEqual(['p9', 'p10', 'none'])
  })

  it('accepts the param. and tag. aliases and dotted tag keys', () => {
    const tagged = [makeRun('x', { tags: { 'mlflow.runName': 'b' } }), makeRun('y', { tags: { 'mlflow.runName': 'a' } })]
    expect(order(tagged, ['tags.mlflow.runName'])).toEqual(['y', 'x'])
    expect(order(tagged, ['tag."mlflow.runName" DESC'])).toEqual(['x', 'y'])
    expect(order(runs, ['param.lr'])).toEqual(['p10', 'p9', 'none'])
  })
})

describe('compileRunOrderBy: attributes', () => {
  const runs = [
    makeRun('r1', { startTime: 30, endTime: 40, runName: 'beta', status: 'RUNNING', userId: 'cy' }),
    makeRun('r2', { startTime: 10, endTime: null, runName: 'alpha', status: 'FAILED', userId: 'ada' }),
    makeRun('r3', { startTime: 20, endTime: 50, runName: 'gamma', status: 'FINISHED', userId: 'bo' }),
  ]

  it('orders by start_time, bare or prefixed, and by its created alias', () => {
    expect(order(runs, ['start_time'])).toEqual(['r2', 'r3', 'r1'])
    expect(order(runs, ['attributes.start_time ASC'])).toEqual(['r2', 'r3', 'r1'])
    expect(order(runs, ['attribute.start_time DESC'])).toEqual(['r1', 'r3', 'r2'])
    expect(order(runs, ['created'])).toEqual(['r2', 'r3', 'r1'])
  })

  it('puts runs without end_time last in both directions', () => {
    expect(order(runs, ['end_time ASC'])).toEqual(['r1', 'r3', 'r2'])
    expect(order(runs, ['end_time DESC'])).toEqual(['r3', 'r1', 'r2'])
  })

  it('orders by run_name, status, user_id, run_id and artifact_uri as strings', () => {
    expect(order(runs, ['run_name'])).toEqual(['r2', 'r1', 'r3'])
    expect(order(runs, ['attr.status DESC'])).toEqual(['r1', 'r3', 'r2'])
    expect(order(runs, ['run.user_id'])).toEqual(['r2', 'r3', 'r1'])
    expect(order(runs, ['run_id DESC'])).toEqual(['r3', 'r2', 'r1'])
    expect(order(runs, ['artifact_uri'])).toEqual(['r1', 'r2', 'r3'])
  })
})

describe('compileRunOrderBy: several clauses', () => {
  it('applies later clauses only to ties of earlier ones', () => {
    const runs = [
      makeRun('a', { params: { model: 'ridge' }, metrics: { rmse: 0.5 } }),
      makeRun('b', { params: { model: 'lasso' }, metrics: { rmse: 0.9 } }),
      makeRun('c', { params: { model: 'ridge' }, metrics: { rmse: 0.2 } }),
      makeRun('d', { params: { model: 'lasso' }, metrics: { rmse: 0.1 } }),
    ]
    expect(order(runs, ['params.model', 'metrics.rmse DESC'])).toEqual(['b', 'd', 'a', 'c'])
    expect(order(runs, ['params.model DESC', 'metrics.rmse'])).toEqual(['c', 'a', 'd', 'b'])
  })
})

describe('compileRunOrderBy: errors', () => {
  it('rejects a direction other than ASC or DESC, naming the clause', () => {
    const error = errorOf(['metrics.acc DESCENDING'])
    expect(error.errorCode).toBe('INVALID_PARAMETER_VALUE')
    expect(error.message).toBe("Invalid order_by clause 'metrics.acc DESCENDING': Invalid ordering key: expected ASC or DESC, got 'DESCENDING' (at position 12)")
    expect(error.length).toBe(10)
  })

  it('rejects extra tokens and empty clauses', () => {
    expect(errorOf(['metrics.acc ASC, params.lr']).message).toContain("Could not be parsed: unexpected ','")
    expect(errorOf(['']).message).toContain("Invalid order_by clause '': Could not be parsed")
    expect(errorOf(['   ']).message).toContain('Could not be parsed')
  })

  it('names the bad clause among good ones', () => {
    expect(errorOf(['metrics.acc', 'foo.bar']).message).toContain("Invalid order_by clause 'foo.bar': Invalid entity type 'foo'")
  })

  it('rejects unknown attributes and datasets', () => {
    expect(errorOf(['lifecycle_stage']).message).toContain("Invalid attribute key 'lifecycle_stage'")
    expect(errorOf(['datasets.name']).message).toContain("Invalid order_by entity type 'dataset'")
  })

  it('rejects a clause that is not an identifier, and unterminated quotes', () => {
    expect(errorOf(["'metrics.acc'"]).message).toContain('Expected an identifier such as metrics.<key>')
    const unterminated = errorOf(['metrics."val loss DESC'])
    expect(unterminated.message).toContain("Invalid order_by clause 'metrics.\"val loss DESC': Unterminated")
    expect(unterminated.position).toBe(8)
  })
})
