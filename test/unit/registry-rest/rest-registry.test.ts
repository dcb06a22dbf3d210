// The REST registry beyond the shared contract: the requests it sends (methods, fields), runs:/
// resolution on the server, paging, which failures are retried, and the server's own refusals.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { DEFAULT_TRACKING_URI, mlflow } from '../../../src/index.ts'
import { RestError } from '../../../src/store/rest/rest-errors.ts'
import { type RestHarness, startRestHarness } from '../../support/rest-harness.ts'

let harness: RestHarness
beforeEach(async () => { harness = await startRestHarness() })
afterEach(async () => { expect(harness.server.violations()).toEqual([]); await harness.close() })

const failureOf = async (promise: Promise<unknown>) => promise.then(() => undefined, (error: unknown) => error)

describe('the REST registry', () => {
  it('uses MLflow\'s methods: POST creates, PATCH updates, DELETE deletes with a JSON body, GET reads with a query', async () => {
    const client = harness.client
    await client.createRegisteredModel('iris', { tags: { team: 'ml' } })
    await client.updateRegisteredModel('iris', 'described')
    await client.createModelVersion('iris', 's3://bucket/model')
    await client.updateModelVersion('iris', '1', 'v1')
    await client.transitionModelVersionStage('iris', '1', 'staging')
    await client.setRegisteredModelAlias('iris', 'champion', 1)
    await client.getModelVersionByAlias('iris', 'champion')
    await client.searchRegisteredModels({ maxResults: 5, orderBy: ['name DESC', 'last_updated_timestamp'] })
    await client.getLatestVersions('iris', ['Staging'])
    await client.deleteRegisteredModelAlias('iris', 'champion')
    await client.deleteModelVersion('iris', '1')
    await client.deleteRegisteredModel('iris')
    const seen = harness.server.requests.map(request => `${request.method} ${request.endpoint}`)
    expect(seen).toEqual([
      'POST registered-models/create', 'PATCH registered-models/update', 'POST model-versions/create', 'PATCH model-versions/update',
      'POST model-versions/transition-stage', 'POST registered-models/alias', 'GET registered-models/alias', 'GET registered-models/search',
      'POST registered-models/get-latest-versions', 'DELETE registered-models/alias', 'DELETE model-versions/delete', 'DELETE registered-models/delete',
    ])
    const [transition] = harness.server.requestsTo('model-versions/transition-stage')
    expect(transition!.json).toEqual({ name: 'iris', version: '1', stage: 'Staging', archive_existing_versions: false })
    expect(harness.server.requestsTo('registered-models/alias', 'POST')[0]!.json).toEqual({ name: 'iris', alias: 'champion', version: '1' })
    const [search] = harness.server.requestsTo('registered-models/search')
    expect(search!.query.getAll('order_by')).toEqual(['name DESC', 'last_updated_timestamp'])
    expect(search!.query.get('max_results')).toBe('5')
    expect(harness.server.requestsTo('model-versions/delete')[0]!.json).toEqual({ name: 'iris', version: '1' })
  })

  it('a runs:/ source is resolved on the server to the run\'s mlflow-artifacts location, as MLflow\'s register_model does', async () => {
    mlflow.setTrackingUri(harness.server.url)
    const client = harness.client
    const run = await client.createRun('0', { runName: 'trainer' })
    await client.logText(run.info.runId, 'flavors: {}', 'model/MLmodel')
    const version = await mlflow.registerModel(`runs:/${run.info.runId}/model`, 'digits', { tags: { from: 'test' } })
    expect(version).toMatchObject({ name: 'digits', version: '1', runId: run.info.runId, tags: { from: 'test' } })
    expect(version.source).toBe(`mlflow-artifacts:/0/${run.info.runId}/artifacts/model`)
    expect(harness.server.requestsTo('model-versions/create')[0]!.json).toMatchObject({ source: version.source, run_id: run.info.runId })
    expect(harness.server.registry.models.get('digits')?.versions.size).toBe(1)
    mlflow.setTrackingUri(DEFAULT_TRACKING_URI)
  })

  it('pages through many models with the server\'s tokens; the last page has none', async () => {
    const names = Array.from({ length: 7 }, (_, index) => `model-${index}`)
    for (const name of names) await harness.client.createRegisteredModel(name)
    const seen: string[] = []
    const tokens: (string | undefined)[] = []
    let pageToken: string | undefined
    do {
      const page = await harness.client.searchRegisteredModels({ maxResults: 3, pageToken })
      seen.push(...page.registeredModels.map(model => model.name))
      tokens.push(page.nextPageToken)
      pageToken = page.nextPageToken
    } while (pageToken)
    expect(seen).toEqual(names)
    expect(tokens.map(token => token && atob(token))).toEqual(['{"offset": 3}', '{"offset": 6}', undefined])
  })

  it('refuses what the server refuses: a local path as a source is INVALID_PARAMETER_VALUE with MLflow\'s message', async () => {
    await harness.client.createRegisteredModel('iris')
    for (const source of ['/tmp/model', 'file:///tmp/model']) {
      const error = await failureOf(harness.client.createModelVersion('iris', source))
      expect(error).toMatchObject({ errorCode: 'INVALID_PARAMETER_VALUE' })
      expect((error as Error).message).toMatch(/^Invalid model version source: /)
    }
    expect(await failureOf(harness.client.createModelVersion('iris', 's3://bucket/a/../b'))).toMatchObject({ errorCode: 'INVALID_PARAMETER_VALUE' })
    expect((await harness.client.searchModelVersions()).modelVersions).toEqual([])
  })

  it('retries reads and other idempotent calls on 503 and 500', async () => {
    await harness.client.createRegisteredModel('iris')
    harness.server.inject({ kind: 'status', status: 503 }, { match: request => request.endpoint === 'registered-models/get', times: 2 })
    harness.server.inject({ kind: 'status', status: 500 }, { match: request => request.endpoint === 'registered-models/set-tag' })
    expect((await harness.client.getRegisteredModel('iris')).name).toBe('iris')
    await harness.client.setRegisteredModelTag('iris', 'k', 'v')
    expect(harness.server.requestsTo('registered-models/get')).toHaveLength(3)
    expect(harness.server.requestsTo('registered-models/set-tag')).toHaveLength(2)
    expect(harness.server.pendingFaults()).toEqual([])
  })

  it('does not retry a create after a 500 (it may have happened): the error says the outcome is unknown', async () => {
    await harness.client.createRegisteredModel('iris')
    harness.server.inject({ kind: 'status', status: 500 }, { match: request => request.endpoint === 'model-versions/create' })
    const error = await failureOf(harness.client.createModelVersion('iris', 's3://bucket/model'))
    expect(error).toBeInstanceOf(RestError)
    expect(error).toMatchObject({ errorCode: 'INTERNAL_ERROR', failure: { status: 500, outcomeUnknown: true } })
    expect(harness.server.requestsTo('model-versions/create')).toHaveLength(1)
  })

  it('a server without registry endpoints (an HTML 404) is ENDPOINT_NOT_FOUND, not retried', async () => {
    harness.server.inject({ kind: 'status', status: 404, html: true }, { match: request => request.endpoint === 'registered-models/search' })
    expect(await failureOf(harness.client.searchRegisteredModels())).toMatchObject({ errorCode: 'ENDPOINT_NOT_FOUND' })
    expect(harness.server.requestsTo('registered-models/search')).toHaveLength(1)
  })
})
