// handleInvocation: registry-resolved models answering MLflow's scoring protocol, errors as MLflow's JSON.
import * as tf from '@tensorflow/tfjs'
import { beforeAll, describe, expect, it } from 'vitest'
import { MlflowClient, ServedModelCache, handleInvocation, mlflow, parseServingPath } from '../../../src/index.ts'
import { freshTrackingUri } from '../../helpers.ts'
import { IRIS_COLUMN_SIGNATURE, IRIS_COLUMNS, IRIS_ROWS, irisTensorModel, twoInputModel } from './tiny-models.ts'

let trackingUri: string
let client: MlflowClient
const cache = new ServedModelCache()
let tensorExpected: number[][]
let otherExpected: number[][]
let twoInputExpected: number[][]

const post = (path: string, body: unknown, contentType = 'application/json') =>
  handleInvocation(new Request(`https://lablog.test/serve/${path}`, {
    method: 'POST', headers: { 'content-type': contentType }, body: typeof body === 'string' ? body : JSON.stringify(body),
  }), { trackingUri, cache })

const answer = async (response: Response) => ({ status: response.status, body: await response.json() as Record<string, unknown> })

beforeAll(async () => {
  await tf.setBackend('cpu')
  trackingUri = freshTrackingUri('serving')
  mlflow.setTrackingUri(trackingUri)
  client = new MlflowClient(trackingUri)
  const run = await client.createRun('0')
  const runId = run.info.runId
  const tensorModel = irisTensorModel(tf)
  tensorExpected = (tensorModel.predict(tf.tensor2d(IRIS_ROWS)) as tf.Tensor).arraySync() as number[][]
  await mlflow.tfjs.logModel(tensorModel, 'tensor', { runId, registeredModelName: 'iris', inputExample: IRIS_ROWS })
  await mlflow.tfjs.logModel(tensorModel, 'columns', { runId, registeredModelName: 'iris-columns', signature: IRIS_COLUMN_SIGNATURE })
  // Version 2 of 'iris': different weights, so an alias move shows in the predictions.
  const other = irisTensorModel(tf)
  other.setWeights(other.getWeights().map(weight => tf.mul(weight, 2)))
  otherExpected = (other.predict(tf.tensor2d(IRIS_ROWS)) as tf.Tensor).arraySync() as number[][]
  await mlflow.tfjs.logModel(other, 'other', { runId, registeredModelName: 'iris' })
  const twoInputs = twoInputModel(tf)
  twoInputExpected = (twoInputs.predict([tf.tensor2d([[1, 2]]), tf.tensor2d([[3, 4, 5]])]) as tf.Tensor).arraySync() as number[][]
  await mlflow.tfjs.logModel(twoInputs, 'two', { runId, registeredModelName: 'two-inputs' })
  await client.setRegisteredModelAlias('iris', 'champion', '1')
})

describe('handleInvocation', () => {
  const records = IRIS_ROWS.map(row => Object.fromEntries(IRIS_COLUMNS.map((name, index) => [name, row[index]])))

  it('answers all four request shapes with the model\'s own predictions', async () => {
    const bodies = [
      { inputs: IRIS_ROWS },
      { instances: IRIS_ROWS },
      { dataframe_split: { columns: [...IRIS_COLUMNS], data: IRIS_ROWS } },
      { dataframe_records: records },
    ]
    for (const body of bodies) expect(await answer(await post('iris/1/invocations', body))).toEqual({ status: 200, body: { predictions: tensorExpected } })
  })

  it('reads a column model\'s frames by name, in any column order', async () => {
    const shuffled = [...IRIS_COLUMNS].reverse()
    const data = IRIS_ROWS.map(row => [...row].reverse())
    expect((await answer(await post('iris-columns/1/invocations', { dataframe_split: { columns: shuffled, data } }))).body).toEqual({ predictions: tensorExpected })
    expect((await answer(await post('iris-columns/1/invocations', { instances: records }))).body).toEqual({ predictions: tensorExpected })
  })

  it('serves named tensor inputs', async () => {
    expect((await answer(await post('two-inputs/1/invocations', { inputs: { a: [[1, 2]], b: [[3, 4, 5]] } }))).body).toEqual({ predictions: twoInputExpected })
    expect((await answer(await post('two-inputs/1/invocations', { instances: [{ a: [1, 2], b: [3, 4, 5] }] }))).body).toEqual({ predictions: twoInputExpected })
  })

  it('follows an alias when it moves', async () => {
    expect((await answer(await post('iris/@champion/invocations', { inputs: IRIS_ROWS }))).body).toEqual({ predictions: tensorExpected })
    await client.setRegisteredModelAlias('iris', 'champion', '2')
    expect((await answer(await post('iris/@champion/invocations', { inputs: IRIS_ROWS }))).body).toEqual({ predictions: otherExpected })
    await client.setRegisteredModelAlias('iris', 'champion', '1')
  })

  it('answers a signature mismatch with 400 INVALID_PARAMETER_VALUE naming the difference', async () => {
    expect(await answer(await post('iris/1/invocations', { inputs: [[1, 2, 3]] }))).toEqual({
      status: 400,
      body: { error_code: 'INVALID_PARAMETER_VALUE', message: "Failed to enforce schema of data with schema '[Tensor('float32', (-1, 4))]'. Error: Input shape mismatch: the model expects (any, 4) but got (1, 3)." },
    })
    const missing = await answer(await post('iris-columns/1/invocations', { dataframe_records: [{ sepal_length: 1, sepal_width: 2, petal_length: 3 }] }))
    expect(missing).toMatchObject({ status: 400, body: { error_code: 'INVALID_PARAMETER_VALUE', message: expect.stringContaining("missing column 'petal_width'") } })
    const wrongType = await answer(await post('iris/1/invocations', { inputs: [[1, 2, 'x', 4]] }))
    expect(wrongType).toMatchObject({ status: 400, body: { error_code: 'INVALID_PARAMETER_VALUE', message: expect.stringContaining('dtype mismatch') } })
  })

  it('answers a malformed body with 400 BAD_REQUEST', async () => {
    expect(await answer(await post('iris/1/invocations', '{"inputs": '))).toMatchObject({ status: 400, body: { error_code: 'BAD_REQUEST' } })
    expect(await answer(await post('iris/1/invocations', { data: IRIS_ROWS }))).toMatchObject({
      status: 400, body: { error_code: 'BAD_REQUEST', message: expect.stringContaining('exactly one of the input fields') },
    })
  })

  it('answers unknown models, versions and aliases with 404 RESOURCE_DOES_NOT_EXIST', async () => {
    for (const path of ['nope/1/invocations', 'iris/9/invocations', 'iris/@nobody/invocations']) {
      expect(await answer(await post(path, { inputs: IRIS_ROWS }))).toMatchObject({ status: 404, body: { error_code: 'RESOURCE_DOES_NOT_EXIST' } })
    }
  })

  it('refuses other content types with 415, as MLflow does, and wrong methods with 405', async () => {
    const csv = await post('iris/1/invocations', 'a,b\n1,2', 'text/csv')
    expect(csv.status).toBe(415)
    expect(await csv.text()).toContain("only supports the following content types")
    const get = await handleInvocation(new Request('https://lablog.test/serve/iris/1/invocations'), { trackingUri, cache })
    expect(get.status).toBe(405)
  })

  it('describes a model on GET of its path, and answers ping', async () => {
    const info = await answer(await handleInvocation(new Request('https://lablog.test/serve/iris/@champion/'), { trackingUri, cache }))
    expect(info).toMatchObject({
      status: 200,
      body: { name: 'iris', version: '1', alias: 'champion', model_uri: 'models:/iris/1', serving_input_example: { inputs: IRIS_ROWS }, signature: { inputs: [{ type: 'tensor', 'tensor-spec': { dtype: 'float32', shape: [-1, 4] } }] } },
    })
    const ping = await handleInvocation(new Request('https://lablog.test/serve/iris/1/ping'), { trackingUri, cache })
    expect(ping.status).toBe(200)
  })
})

describe('ServedModelCache', () => {
  it('keeps at most its capacity of models, most recently used last', async () => {
    const small = new ServedModelCache(1)
    const request = (path: string) => handleInvocation(new Request(`https://lablog.test/serve/${path}`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ inputs: IRIS_ROWS }),
    }), { trackingUri, cache: small })
    expect((await request('iris/1/invocations')).status).toBe(200)
    expect((await request('iris/2/invocations')).status).toBe(200)
    expect(small.size).toBe(1)
    // The evicted version loads again on demand.
    expect(await (await request('iris/1/invocations')).json()).toEqual({ predictions: tensorExpected })
    small.clear()
    expect(small.size).toBe(0)
  })
})

describe('parseServingPath', () => {
  it('reads name, version or alias and endpoint; other paths are not serving paths', () => {
    expect(parseServingPath('/serve/iris/3/invocations')).toEqual({ name: 'iris', reference: '3', byAlias: false, endpoint: 'invocations' })
    expect(parseServingPath('/serve/my%20model/@champion/')).toEqual({ name: 'my model', reference: 'champion', byAlias: true, endpoint: 'info' })
    expect(parseServingPath('/app/serve/iris/1/invocations', '/app/serve/')).toMatchObject({ name: 'iris' })
    expect(parseServingPath('/serve/iris/invocations')).toBeUndefined()
    expect(parseServingPath('/serve/iris/1/predict')).toBeUndefined()
    expect(parseServingPath('/other/iris/1/invocations')).toBeUndefined()
  })
})
