import { describe, it, expect } from 'vitest'
import { compileRunFilter, compileRunOrderBy } from '../../../src/core/search/index.ts'
import type { Run } from '../../../src/core/types.ts'

function makeRuns(count: number): Run[] {
  return Array.from({ length: count }, (_, i): Run => ({
    info: {
      runId: i.toString(16).padStart(32, '0'),
      runName: `run-${i % 97}-${i}`,
      experimentId: '1',
      userId: 'ada',
      status: i % 3 === 0 ? 'FAILED' : 'FINISHED',
      startTime: 1_700_000_000_000 + (i % 500) * 1000,
      endTime: null,
      artifactUri: '',
      lifecycleStage: 'active',
    },
    data: {
      metrics: i % 10 === 0 ? {} as Record<string, number> : { loss: (i * 7919) % 1000 / 1000, acc: (i % 100) / 100 },
      params: { lr: String((i % 5) / 100), model: i % 2 === 0 ? 'ridge' : 'lasso' },
      tags: { stage: i % 4 === 0 ? 'prod' : 'dev' },
    },
    inputs: { datasetInputs: [] },
  }))
}

describe('search performance', () => {
  it('filters and sorts 10,000 runs in well under 50 ms', () => {
    const runs = makeRuns(10_000)
    const filter = "metrics.loss < 0.9 and params.model = 'ridge' and run_name LIKE 'run-1%' and status != 'KILLED'"
    const orderBy = ['metrics.acc DESC', 'params.lr']
    let best = Number.POSITIVE_INFINITY
    let found = 0
    for (let attempt = 0; attempt < 5; attempt++) {
      const started = performance.now()
      const result = runs.filter(compileRunFilter(filter)).sort(compileRunOrderBy(orderBy))
      best = Math.min(best, performance.now() - started)
      found = result.length
    }
    expect(found).toBeGreaterThan(100)
    expect(best).toBeLessThan(50)
  })
})
