// Server errors reach the caller as MlflowError with the server's error_code and message; answers
// that are not MLflow JSON (HTML from an old server or a proxy, a 401 page) get a code from the status.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { MlflowError } from '../../../src/core/errors.ts'
import { codeForStatus, errorFromResponse } from '../../../src/store/rest/rest-errors.ts'
import { type RestHarness, startRestHarness } from '../../support/rest-harness.ts'
import { loadTranscript } from '../../support/mlflow-transcript.ts'

async function failure(promise: Promise<unknown>): Promise<MlflowError> {
  try { await promise } catch (error) { if (error instanceof MlflowError) return error; throw error }
  throw new Error('expected the call to fail')
}

const recorded = (seq: number) => loadTranscript().find(record => record.seq === seq)!.response_body as { error_code: string; message: string }

let harness: RestHarness
beforeEach(async () => { harness = await startRestHarness() })
afterEach(async () => { await harness.close() })

describe('errors from the server', () => {
  it('keep the recorded error_code and message', async () => {
    const { client } = harness
    const duplicate = await failure((async () => { await client.createExperiment('rest-transcript'); await client.createExperiment('rest-transcript') })())
    expect(duplicate.errorCode).toBe(recorded(7).error_code)
    // The server's text, database details and all (the real one goes on to quote the SQL).
    expect(duplicate.message).toMatch(/^Experiment\(name=rest-transcript\) already exists\. Error: .*\n\(sqlite3\.IntegrityError\)/)
    expect(recorded(7).message.startsWith(duplicate.message)).toBe(true)

    const missingRun = await failure(client.getRun('00000000000000000000000000000000'))
    expect(missingRun).toMatchObject({ errorCode: 'RESOURCE_DOES_NOT_EXIST', message: recorded(83).message })

    const missingExperiment = await failure(client.getExperiment('987654321'))
    expect(missingExperiment).toMatchObject({ errorCode: 'RESOURCE_DOES_NOT_EXIST', message: recorded(14).message })
  })

  it('report a changed param with the server\'s own wording', async () => {
    const { client } = harness
    const experimentId = await client.createExperiment('params')
    const runId = (await client.createRun(experimentId)).info.runId
    await client.logParam(runId, 'batch_size', '32')
    const changed = await failure(client.logParam(runId, 'batch_size', '64'))
    expect(changed.errorCode).toBe('INVALID_PARAMETER_VALUE')
    expect(changed.message).toBe(recorded(56).message.replaceAll('21f7bf2ff6184d988890d77d28557b8b', runId))
  })

  it('refuse writes to a deleted run with the server\'s message', async () => {
    const { client } = harness
    const experimentId = await client.createExperiment('deleted-run')
    const runId = (await client.createRun(experimentId)).info.runId
    await client.deleteRun(runId)
    const refused = await failure(client.logBatch(runId, { metrics: [{ key: 'm', value: 1, timestamp: 1, step: 0 }] }))
    expect(refused).toMatchObject({ errorCode: 'INVALID_PARAMETER_VALUE', message: recorded(117).message.replaceAll('85a98dc025c44ee8bbd48006940587f4', runId) })
  })

  it('explain a missing endpoint (HTML 404) instead of failing on the HTML', async () => {
    const { client } = harness
    const experimentId = await client.createExperiment('old-server')
    await client.setExperimentTag(experimentId, 'k', 'v')
    const old = await failure(client.deleteExperimentTag(experimentId, 'k'))
    expect(old.errorCode).toBe('ENDPOINT_NOT_FOUND')
    expect(old.message).toMatch(/cannot delete experiment tags/)
    expect((await client.getExperiment(experimentId)).tags).toEqual({ k: 'v' })
  })

  it('give a proxy\'s HTML 502 a status code after the retries are spent', async () => {
    harness.server.inject({ kind: 'status', status: 502, html: true }, { times: 100 })
    const proxyError = await failure(harness.client.getExperiment('0'))
    expect(proxyError.errorCode).toBe('INTERNAL_ERROR')
    expect(proxyError.message).toMatch(/HTTP 502.*not an MLflow error: 502 Bad Gateway/)
    expect(harness.server.requestsTo('experiments/get')).toHaveLength(6)
  })
})

describe('mapping answers without an MLflow body', () => {
  it('follows MLflow\'s fallback for the statuses proxies send', () => {
    expect([400, 401, 403, 404, 405, 409, 429, 500, 501, 502, 503, 504, 418].map(codeForStatus)).toEqual([
      'BAD_REQUEST', 'UNAUTHENTICATED', 'PERMISSION_DENIED', 'ENDPOINT_NOT_FOUND', 'ENDPOINT_NOT_FOUND', 'RESOURCE_CONFLICT',
      'REQUEST_LIMIT_EXCEEDED', 'INTERNAL_ERROR', 'NOT_IMPLEMENTED', 'INTERNAL_ERROR', 'TEMPORARILY_UNAVAILABLE', 'DEADLINE_EXCEEDED', 'BAD_REQUEST',
    ])
  })

  it('renames codes other servers use and says what the server sent', () => {
    const error = errorFromResponse('GET /x', 401, '{"error_code":"CUSTOMER_UNAUTHORIZED","message":"bad token"}', { status: 401, outcomeUnknown: false })
    expect(error.errorCode).toBe('UNAUTHENTICATED')
    expect(error.message).toBe('bad token (server error_code CUSTOMER_UNAUTHORIZED)')
    const unknown = errorFromResponse('GET /x', 409, '{"error_code":"SOMETHING_NEW","message":"m"}', { status: 409, outcomeUnknown: false })
    expect(unknown.errorCode).toBe('RESOURCE_CONFLICT')
  })
})
