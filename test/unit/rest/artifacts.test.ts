// Artifacts through the server's proxy: where files go, what a missing file or a location the
// proxy cannot serve gives, and that a transient 500 on download is retried but "no such file" is not.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { proxyPathOf } from '../../../src/store/rest/rest-artifacts.ts'
import { type RestHarness, startRestHarness } from '../../support/rest-harness.ts'

describe('proxyPathOf', () => {
  it('drops the scheme and any host of an mlflow-artifacts URI, as MLflow does', () => {
    expect(proxyPathOf('mlflow-artifacts:/1/abc/artifacts')).toBe('1/abc/artifacts')
    expect(proxyPathOf('mlflow-artifacts://tracking.example:5000/1/abc/artifacts')).toBe('1/abc/artifacts')
    expect(proxyPathOf('mlflow-artifacts:/custom-location/abc/artifacts/')).toBe('custom-location/abc/artifacts')
    expect(proxyPathOf('s3://bucket/1/abc/artifacts')).toBeUndefined()
    expect(proxyPathOf('/mlruns/1/abc/artifacts')).toBeUndefined()
  })
})

describe('the REST artifact store', () => {
  let harness: RestHarness
  beforeEach(async () => { harness = await startRestHarness() })
  afterEach(async () => { expect(harness.server.violations()).toEqual([]); await harness.close() })

  it('PUTs each file below the run\'s artifact root, percent-encoding each path segment, and reads the root once', async () => {
    const { client, server } = harness
    const experimentId = await client.createExperiment('uploads')
    const runId = (await client.createRun(experimentId)).info.runId
    server.requests.length = 0
    await client.logText(runId, 'a', 'my dir/a b.txt')
    await client.logDict(runId, { k: 1 }, 'config.json')
    const puts = server.requestsTo('artifacts', 'PUT')
    expect(puts.map(request => request.path)).toEqual([
      `/api/2.0/mlflow-artifacts/artifacts/${experimentId}/${runId}/artifacts/my%20dir/a%20b.txt`,
      `/api/2.0/mlflow-artifacts/artifacts/${experimentId}/${runId}/artifacts/config.json`,
    ])
    expect(puts[1]!.headers['content-type']).toBe('application/json')
    expect(server.requestsTo('runs/get')).toHaveLength(1)
    expect(server.state.artifacts.get(`${experimentId}/${runId}/artifacts/my dir/a b.txt`)?.toString()).toBe('a')
  })

  it('turns MLflow\'s 500 for a missing file into RESOURCE_DOES_NOT_EXIST without spending retries', async () => {
    const { client, server } = harness
    const runId = (await client.createRun(await client.createExperiment('missing'))).info.runId
    await expect(client.readArtifact(runId, 'nope/missing.txt')).rejects.toMatchObject({ errorCode: 'RESOURCE_DOES_NOT_EXIST' })
    expect(server.requestsTo('artifacts', 'GET')).toHaveLength(1)
    expect(harness.delays).toEqual([])
  })

  it('downloads through a transient 500 when the file does exist', async () => {
    const { client, server } = harness
    const runId = (await client.createRun(await client.createExperiment('flaky'))).info.runId
    await client.logText(runId, 'still here', 'a.txt')
    server.inject({ kind: 'status', status: 500 }, { match: request => request.endpoint === 'artifacts' && request.method === 'GET' })
    expect(await client.readArtifactText(runId, 'a.txt')).toBe('still here')
  })

  it('says why a run whose artifacts live outside the proxy cannot upload', async () => {
    const { client } = harness
    const experimentId = await client.createExperiment('s3-backed', { artifactLocation: 's3://bucket/path' })
    const runId = (await client.createRun(experimentId)).info.runId
    const error = await client.logText(runId, 'x', 'a.txt').catch((caught: unknown) => caught)
    expect(error).toMatchObject({ errorCode: 'NOT_IMPLEMENTED' })
    expect((error as Error).message).toMatch(/s3:\/\/bucket\/path.*--serve-artifacts/)
    expect(await client.listArtifacts(runId)).toEqual([])
  })

  it('deletes a whole run\'s artifacts', async () => {
    const { client } = harness
    const runId = (await client.createRun(await client.createExperiment('wipe'))).info.runId
    await client.logText(runId, '1', 'a/one.txt')
    await client.logText(runId, '2', 'two.txt')
    await client.deleteArtifacts(runId)
    expect(await client.listArtifacts(runId)).toEqual([])
  })
})
