// The test server's registry endpoints are as strict as the rest of it: field names and types,
// required fields, methods, and MLflow's codes and messages for duplicates and missing entities.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { MlflowTestServer } from '../../support/mlflow-test-server.ts'

let server: MlflowTestServer
beforeEach(async () => { server = await MlflowTestServer.start() })
afterEach(async () => { await server.close() })

async function call(method: string, endpoint: string, fields: Record<string, unknown> = {}): Promise<{ status: number; body: Record<string, unknown> | string }> {
  const base = `${server.url}/api/2.0/mlflow/${endpoint}`
  const response = method === 'GET'
    ? await fetch(`${base}?${new URLSearchParams(fields as Record<string, string>)}`)
    : await fetch(base, { method, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(fields) })
  const text = await response.text()
  try { return { status: response.status, body: JSON.parse(text) as Record<string, unknown> } } catch { return { status: response.status, body: text } }
}

describe('the test server\'s registry endpoints', () => {
  it('create and get answer with MLflow\'s shapes, leaving unset fields out', async () => {
    const created = await call('POST', 'registered-models/create', { name: 'iris', tags: [{ key: 'team', value: 'ml' }] })
    expect(created.status).toBe(200)
    expect(created.body).toEqual({ registered_model: { name: 'iris', creation_timestamp: expect.any(Number), last_updated_timestamp: expect.any(Number), tags: [{ key: 'team', value: 'ml' }] } })
    const version = await call('POST', 'model-versions/create', { name: 'iris', source: 's3://bucket/model', run_id: 'r'.repeat(32) })
    expect(version.body).toEqual({ model_version: expect.objectContaining({ name: 'iris', version: '1', current_stage: 'None', status: 'READY', source: 's3://bucket/model', run_id: 'r'.repeat(32) }) })
    expect(await call('GET', 'model-versions/get-download-uri', { name: 'iris', version: '1' })).toEqual({ status: 200, body: { artifact_uri: 's3://bucket/model' } })
    expect(await call('GET', 'model-versions/search', { filter: "name = 'absent'" })).toEqual({ status: 200, body: {} })
  })

  it('duplicates and missing entities get MLflow\'s codes, statuses and messages', async () => {
    await call('POST', 'registered-models/create', { name: 'iris' })
    const duplicate = await call('POST', 'registered-models/create', { name: 'iris' })
    expect(duplicate.status).toBe(400)
    expect(duplicate.body).toMatchObject({ error_code: 'RESOURCE_ALREADY_EXISTS', message: expect.stringMatching(/^Registered Model \(name=iris\) already exists\./) })
    expect(await call('GET', 'registered-models/get', { name: 'nope' }))
      .toEqual({ status: 404, body: { error_code: 'RESOURCE_DOES_NOT_EXIST', message: 'Registered Model with name=nope not found' } })
    expect(await call('GET', 'model-versions/get', { name: 'iris', version: '3' }))
      .toEqual({ status: 404, body: { error_code: 'RESOURCE_DOES_NOT_EXIST', message: 'Model Version (name=iris, version=3) not found' } })
    expect(await call('GET', 'registered-models/alias', { name: 'iris', alias: 'champion' }))
      .toEqual({ status: 400, body: { error_code: 'INVALID_PARAMETER_VALUE', message: 'Registered model alias champion not found.' } })
    expect(server.violations()).toEqual([])
  })

  it('refuses missing required fields, wrong types, unknown fields and wrong methods, and logs them as violations', async () => {
    await call('POST', 'registered-models/create', { name: 'iris' })
    expect(await call('POST', 'model-versions/create', { name: 'iris' })).toMatchObject({ status: 400, body: { error_code: 'INVALID_PARAMETER_VALUE', message: expect.stringMatching(/^Missing value for required parameter 'source'/) } })
    expect(await call('POST', 'registered-models/alias', { name: 'iris', alias: 'a', version: 1 })).toMatchObject({ status: 400, body: { message: expect.stringContaining("Hint: Value was of type 'int'") } })
    expect(await call('POST', 'model-versions/transition-stage', { name: 'iris', version: '1', stage: 'Staging' })).toMatchObject({ status: 400 })
    expect(await call('POST', 'registered-models/create', { name: 'other', descripton: 'typo' })).toMatchObject({ status: 400, body: { message: expect.stringContaining("unknown field 'descripton'") } })
    expect((await call('POST', 'registered-models/update', { name: 'iris', description: 'x' })).status).toBe(405)
    expect((await call('GET', 'registered-models/delete', { name: 'iris' })).status).toBe(405)
    expect(server.violations()).toHaveLength(6)
    expect(server.registry.models.has('other')).toBe(false)
  })

  it('POST needs Content-Type application/json; PATCH and DELETE bodies are read as JSON', async () => {
    const plain = await fetch(`${server.url}/api/2.0/mlflow/registered-models/create`, { method: 'POST', body: JSON.stringify({ name: 'iris' }) })
    expect(plain.status).toBe(400)
    await call('POST', 'registered-models/create', { name: 'iris' })
    expect((await call('PATCH', 'registered-models/update', { name: 'iris', description: 'new' })).body).toMatchObject({ registered_model: { description: 'new' } })
    expect(await call('DELETE', 'registered-models/delete', { name: 'iris' })).toEqual({ status: 200, body: {} })
    expect(server.registry.models.size).toBe(0)
  })
})
