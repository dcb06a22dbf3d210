// logModel(…, { registeredModelName }) registers the logged tfjs model through mlflow.registerModel.
import * as tf from '@tensorflow/tfjs'
import { beforeAll, describe, expect, it } from 'vitest'
import { MlflowClient, mlflow, resolveModelsUri } from '../../../src/index.ts'
import { freshTrackingUri } from '../../helpers.ts'

beforeAll(async () => { await tf.setBackend('cpu') })

describe('mlflow.tfjs.logModel with registeredModelName', () => {
  it('logs the model, registers it as version 1, and models:/ URIs resolve to where it was logged', async () => {
    const uri = freshTrackingUri('registry')
    mlflow.setTrackingUri(uri)
    const client = new MlflowClient(uri)
    const run = await client.createRun('0')
    const model = tf.sequential({ layers: [tf.layers.dense({ units: 2, inputShape: [3] })] })
    const info = await mlflow.tfjs.logModel(model, 'model', { runId: run.info.runId, registeredModelName: 'tiny' })
    expect(info.registeredModelVersion).toMatchObject({ name: 'tiny', version: '1', runId: run.info.runId, source: `${run.info.artifactUri}/model` })
    await client.setRegisteredModelAlias('tiny', 'champion', '1')
    const expected = { runId: run.info.runId, artifactPath: 'model' }
    expect(await resolveModelsUri('models:/tiny/1', client)).toEqual(expected)
    expect(await resolveModelsUri('models:/tiny@champion', client)).toEqual(expected)
    expect(await resolveModelsUri('models:/tiny/latest', client)).toEqual(expected)
    expect(await resolveModelsUri('models:/tiny/None', client)).toEqual(expected)
  })
})
