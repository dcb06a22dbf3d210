// Credentials reach the server: basic auth from the URI or options, a bearer token, or MLflow's
// environment variables in Node; without them a protected server's 401 says how to fix it.
import { afterEach, describe, expect, it, vi } from 'vitest'
import { MlflowError } from '../../../src/core/errors.ts'
import { authFromEnvironment, authorizationHeader } from '../../../src/store/rest/auth.ts'
import { configureRemote } from '../../../src/store/rest/remote-options.ts'
import { MlflowClient } from '../../../src/tracking/client.ts'
import { MlflowTestServer } from '../../support/mlflow-test-server.ts'

let server: MlflowTestServer | undefined
afterEach(async () => { vi.unstubAllEnvs(); await server?.close() })

async function defaultExperimentName(client: MlflowClient): Promise<string> {
  return (await client.getExperiment('0')).name
}

describe('auth', () => {
  it('sends basic auth taken from the tracking URI\'s userinfo', async () => {
    server = await MlflowTestServer.start({ auth: { username: 'ada', password: 'pa:ss wörd' } })
    const uri = server.url.replace('http://', 'http://ada:pa%3Ass%20w%C3%B6rd@')
    expect(await defaultExperimentName(new MlflowClient(uri))).toBe('Default')
  })

  it('sends a bearer token given with configureRemote', async () => {
    server = await MlflowTestServer.start({ auth: { token: 't0k3n' } })
    configureRemote(server.url, { auth: { type: 'bearer', token: 't0k3n' } })
    expect(await defaultExperimentName(new MlflowClient(server.url))).toBe('Default')
  })

  it('reads MLFLOW_TRACKING_USERNAME/PASSWORD, else MLFLOW_TRACKING_TOKEN, in Node', async () => {
    server = await MlflowTestServer.start({ auth: { username: 'env-user', password: 'env-pass' } })
    vi.stubEnv('MLFLOW_TRACKING_USERNAME', 'env-user')
    vi.stubEnv('MLFLOW_TRACKING_PASSWORD', 'env-pass')
    expect(await defaultExperimentName(new MlflowClient(server.url))).toBe('Default')
    expect(authFromEnvironment({ MLFLOW_TRACKING_TOKEN: 'abc' })).toEqual({ type: 'bearer', token: 'abc' })
    expect(authFromEnvironment({})).toBeUndefined()
  })

  it('fails with UNAUTHENTICATED and names the fix when the server wants credentials', async () => {
    server = await MlflowTestServer.start({ auth: { token: 'secret' } })
    configureRemote(server.url, { auth: null })
    const error = await new MlflowClient(server.url).getExperiment('0').catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(MlflowError)
    expect(error).toMatchObject({ errorCode: 'UNAUTHENTICATED' })
    expect((error as Error).message).toMatch(/MLFLOW_TRACKING_TOKEN.*configureRemote/)
  })

  it('encodes basic credentials as UTF-8 (RFC 7617)', () => {
    expect(authorizationHeader({ type: 'basic', username: 'ü', password: 'x' })).toBe(`Basic ${Buffer.from('ü:x').toString('base64')}`)
  })
})
