// Serving in a real browser without the service worker: handleInvocation over Chromium's IndexedDB and
// fetch types, and exportWebBundle fed tfjs through the Vite `?url` module the app uses (no Node at all).
// The service-worker endpoint itself is tested in test/e2e/serving.e2e.test.ts (it needs a PWA build).
import * as tf from '@tensorflow/tfjs'
import { strFromU8, unzipSync } from 'fflate'
import { beforeAll, describe, expect, it } from 'vitest'
import { MlflowClient, exportWebBundle, handleInvocation, mlflow } from '../../src/index.ts'
import { loadTfjsScript } from '../../workers/tfjs-script.ts'
import { freshTrackingUri } from '../helpers.ts'
import { IRIS_COLUMN_SIGNATURE, IRIS_COLUMNS, IRIS_ROWS, irisTensorModel } from '../unit/serving/tiny-models.ts'

let trackingUri: string
let expected: number[][]

const post = async (path: string, body: unknown) => {
  const response = await handleInvocation(new Request(new URL(`/serve/${path}`, location.origin), {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body),
  }), { trackingUri })
  return { status: response.status, body: await response.json() as unknown }
}

beforeAll(async () => {
  await tf.setBackend('cpu')
  trackingUri = freshTrackingUri('serving-browser')
  mlflow.setTrackingUri(trackingUri)
  const client = new MlflowClient(trackingUri)
  const run = await client.createRun('0')
  const model = irisTensorModel(tf)
  expected = (model.predict(tf.tensor2d(IRIS_ROWS)) as tf.Tensor).arraySync() as number[][]
  await mlflow.tfjs.logModel(model, 'model', { runId: run.info.runId, registeredModelName: 'iris', inputExample: IRIS_ROWS })
  await mlflow.tfjs.logModel(model, 'columns', { runId: run.info.runId, registeredModelName: 'iris-columns', signature: IRIS_COLUMN_SIGNATURE })
})

describe('handleInvocation in Chromium', () => {
  it('answers the four request shapes and a signature mismatch', async () => {
    const records = IRIS_ROWS.map(row => Object.fromEntries(IRIS_COLUMNS.map((name, index) => [name, row[index]])))
    for (const body of [{ inputs: IRIS_ROWS }, { instances: IRIS_ROWS }, { dataframe_split: { columns: [...IRIS_COLUMNS], data: IRIS_ROWS } }, { dataframe_records: records }]) {
      expect(await post('iris-columns/1/invocations', body)).toEqual({ status: 200, body: { predictions: expected } })
    }
    expect(await post('iris/1/invocations', { inputs: [[1, 2]] })).toMatchObject({ status: 400, body: { error_code: 'INVALID_PARAMETER_VALUE' } })
  })
})

describe('exportWebBundle in Chromium', () => {
  it('packs the tfjs file the app serves, with the model directory', async () => {
    const zip = await exportWebBundle('models:/iris/1', { trackingUri, tfjsScript: await loadTfjsScript() })
    const files = unzipSync(new Uint8Array(await zip.arrayBuffer()))
    expect(files['tf.es2017.min.js']!.byteLength).toBeGreaterThan(500_000)
    expect(strFromU8(files['index.html']!)).toContain('<script src="tf.es2017.min.js" defer></script>')
    expect(JSON.parse(strFromU8(files['model/model.json']!))).toMatchObject({ format: 'layers-model' })
  })

  it('asks for the tfjs file when none is given outside Node', async () => {
    await expect(exportWebBundle('models:/iris/1', { trackingUri })).rejects.toMatchObject({ errorCode: 'INVALID_PARAMETER_VALUE' })
  })
})
