// Search and metric history across pages: the client follows next_page_token; MLflow 2.x's
// full-last-page token (an empty page after it) is harmless; paging history servers are followed.
import { afterEach, describe, expect, it } from 'vitest'
import { type RestHarness, startRestHarness } from '../../support/rest-harness.ts'

let harness: RestHarness
afterEach(async () => { expect(harness.server.violations()).toEqual([]); await harness.close() })

describe('paging', () => {
  it('walks runs/search pages with the same filter and order until the token runs out', async () => {
    harness = await startRestHarness()
    const { client, server } = harness
    const experimentId = await client.createExperiment('paging')
    for (let index = 0; index < 7; index++) await client.createRun(experimentId, { runName: `run-${index}`, startTime: 1_735_689_600_000 + index })
    const seen: string[] = []
    let pageToken: string | undefined
    do {
      const page = await client.searchRuns({ experimentIds: [experimentId], filter: "attributes.run_name LIKE 'run-%'", maxResults: 3, pageToken })
      seen.push(...page.runs.map(run => run.info.runName))
      pageToken = page.nextPageToken
    } while (pageToken)
    expect(seen).toEqual(['run-6', 'run-5', 'run-4', 'run-3', 'run-2', 'run-1', 'run-0'])
    const bodies = server.requestsTo('runs/search').map(request => request.json!)
    expect(bodies.every(body => body.filter === "attributes.run_name LIKE 'run-%'" && body.max_results === 3)).toBe(true)
  })

  it('walks experiments/search pages; a full last page leads to an empty one', async () => {
    harness = await startRestHarness()
    const { client } = harness
    for (let index = 0; index < 4; index++) await client.createExperiment(`e${index}`)
    const first = await client.searchExperiments({ orderBy: ['name ASC'], maxResults: 5 })
    expect(first.experiments.map(experiment => experiment.name)).toEqual(['Default', 'e0', 'e1', 'e2', 'e3'])
    expect(first.nextPageToken).toBeDefined()
    const after = await client.searchExperiments({ orderBy: ['name ASC'], maxResults: 5, pageToken: first.nextPageToken })
    expect(after).toEqual({ experiments: [] })
  })

  it('follows get-history page tokens on a server that pages, and asks for MLflow\'s page size', async () => {
    harness = await startRestHarness({ server: { features: { historyPageSize: 400 } } })
    const { client, server } = harness
    const runId = (await client.createRun(await client.createExperiment('history'))).info.runId
    await client.logBatch(runId, { metrics: Array.from({ length: 1000 }, (_, step) => ({ key: 'loss', value: step, timestamp: 1_735_689_600_000, step })) })
    const history = await client.getMetricHistory(runId, 'loss')
    expect(history.map(point => point.value)).toEqual(Array.from({ length: 1000 }, (_, step) => step))
    const calls = server.requestsTo('metrics/get-history')
    expect(calls).toHaveLength(3)
    expect(calls[0]!.query.get('max_results')).toBe('25000')
    expect(calls[0]!.query.has('page_token')).toBe(false)
    expect(calls[1]!.query.get('page_token')).toBeTruthy()
  })

  it('reads the whole history in one answer from a 2.17-style server, sorted by step', async () => {
    harness = await startRestHarness()
    const { client, server } = harness
    const runId = (await client.createRun(await client.createExperiment('history-2x'))).info.runId
    await client.logBatch(runId, { metrics: [5, 3, 4, 1].map(step => ({ key: 'm', value: step * 10, timestamp: 1_735_689_600_000, step })) })
    expect((await client.getMetricHistory(runId, 'm')).map(point => point.value)).toEqual([10, 30, 40, 50])
    expect(server.requestsTo('metrics/get-history')).toHaveLength(1)
  })
})
