import { beforeEach, describe, expect, it } from 'vitest'
import { MlflowClient } from '../../../src/index.ts'
import { freshTrackingUri } from '../../helpers.ts'

let client: MlflowClient
let experimentId: string
const ids: Record<string, string> = {}

beforeEach(async () => {
  client = new MlflowClient(freshTrackingUri())
  experimentId = await client.createExperiment('search')
  const specs = [
    { name: 'ridge-a', lr: '0.01', acc: 0.91, model: 'ridge', start: 1000 },
    { name: 'ridge-b', lr: '0.1', acc: 0.85, model: 'ridge', start: 2000 },
    { name: 'mlp-a', lr: '0.01', acc: 0.95, model: 'mlp', start: 3000 },
    { name: 'mlp-b', lr: '0.001', acc: NaN, model: 'mlp', start: 4000 },
    { name: 'no-acc', lr: '0.01', acc: undefined, model: 'mlp', start: 5000 },
  ]
  for (const spec of specs) {
    const run = await client.createRun(experimentId, { runName: spec.name, startTime: spec.start, tags: { model: spec.model } })
    ids[spec.name] = run.info.runId
    await client.logBatch(run.info.runId, {
      params: [{ key: 'lr', value: spec.lr }],
      metrics: spec.acc === undefined ? [] : [{ key: 'acc', value: spec.acc, step: 0, timestamp: 1 }],
    })
  }
  await client.setTerminated(ids['ridge-a']!, 'FINISHED')
})

const names = (runs: { info: { runName: string } }[]) => runs.map(run => run.info.runName)

describe('searchRuns', () => {
  it('defaults to newest first', async () => {
    const { runs } = await client.searchRuns({ experimentIds: [experimentId] })
    expect(names(runs)).toEqual(['no-acc', 'mlp-b', 'mlp-a', 'ridge-b', 'ridge-a'])
  })

  it('filters on metrics, params, tags and attributes together', async () => {
    const { runs } = await client.searchRuns({ experimentIds: [experimentId], filter: "metrics.acc > 0.9 and params.lr = '0.01' and tags.model != 'none'" })
    expect(names(runs).sort()).toEqual(['mlp-a', 'ridge-a'])
    const finished = await client.searchRuns({ experimentIds: [experimentId], filter: "attributes.status = 'FINISHED'" })
    expect(names(finished.runs)).toEqual(['ridge-a'])
    const like = await client.searchRuns({ experimentIds: [experimentId], filter: "run_name LIKE 'mlp-%'" })
    expect(names(like.runs)).toEqual(['mlp-b', 'mlp-a'])
  })

  it('orders by a metric with missing and NaN values last, in both directions', async () => {
    const desc = await client.searchRuns({ experimentIds: [experimentId], orderBy: ['metrics.acc DESC'] })
    expect(names(desc.runs).slice(0, 3)).toEqual(['mlp-a', 'ridge-a', 'ridge-b'])
    const asc = await client.searchRuns({ experimentIds: [experimentId], orderBy: ['metrics.acc ASC'] })
    expect(names(asc.runs).slice(0, 3)).toEqual(['ridge-b', 'ridge-a', 'mlp-a'])
  })

  it('pages with tokens until none is left', async () => {
    const seen: string[] = []
    let pageToken: string | undefined
    do {
      const page = await client.searchRuns({ experimentIds: [experimentId], maxResults: 2, pageToken })
      seen.push(...names(page.runs))
      pageToken = page.nextPageToken
    } while (pageToken)
    expect(seen).toEqual(['no-acc', 'mlp-b', 'mlp-a', 'ridge-b', 'ridge-a'])
  })

  it('honours the run view type', async () => {
    await client.deleteRun(ids['mlp-b']!)
    expect(names((await client.searchRuns({ experimentIds: [experimentId] })).runs)).not.toContain('mlp-b')
    expect(names((await client.searchRuns({ experimentIds: [experimentId], runViewType: 'DELETED_ONLY' })).runs)).toEqual(['mlp-b'])
    expect((await client.searchRuns({ experimentIds: [experimentId], runViewType: 'ALL' })).runs).toHaveLength(5)
  })

  it('a malformed filter is INVALID_PARAMETER_VALUE with the position of the problem', async () => {
    const filter = 'metrics.acc >> 0.9'
    const error = await client.searchRuns({ experimentIds: [experimentId], filter }).catch(caught => caught)
    expect(error).toMatchObject({ errorCode: 'INVALID_PARAMETER_VALUE', position: expect.any(Number) })
    expect(filter.slice(error.position)).toMatch(/^>/)
    await expect(client.searchRuns({ experimentIds: [experimentId], filter: "params.lr > '1'" })).rejects.toMatchObject({ errorCode: 'INVALID_PARAMETER_VALUE' })
  })

  it('more than 50000 results per page is refused', async () => {
    await expect(client.searchRuns({ experimentIds: [experimentId], maxResults: 50001 })).rejects.toMatchObject({ errorCode: 'INVALID_PARAMETER_VALUE' })
  })
})

describe('searchRuns sees writes made elsewhere', () => {
  it('a run created or changed through another connection to the same database appears in the next search', async () => {
    const { LocalTrackingStore } = await import('../../../src/store/local/local-store.ts')
    await client.searchRuns({ experimentIds: [experimentId] })
    const other = new LocalTrackingStore(client.trackingUri.slice('indexeddb://'.length))
    const created = await other.createRun({ experimentId, runName: 'elsewhere' })
    await other.logBatch(ids['ridge-b']!, { metrics: [{ key: 'acc', value: 0.99, step: 1, timestamp: 2 }] })
    const { runs } = await client.searchRuns({ experimentIds: [experimentId], orderBy: ['metrics.acc DESC'] })
    expect(names(runs)).toContain('elsewhere')
    expect(runs[0]!.info.runName).toBe('ridge-b')
    await other.deleteRun(created.info.runId)
    expect(names((await client.searchRuns({ experimentIds: [experimentId] })).runs)).not.toContain('elsewhere')
    other.close()
  })

  it('changing a returned run does not change what the next search returns', async () => {
    const first = await client.searchRuns({ experimentIds: [experimentId] })
    first.runs[0]!.data.params.lr = 'tampered'
    const second = await client.searchRuns({ experimentIds: [experimentId] })
    expect(second.runs[0]!.data.params.lr).not.toBe('tampered')
  })
})
