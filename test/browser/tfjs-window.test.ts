// TensorFlow.js in the window with real IndexedDB: autolog, model round trip, built-in datasets by fetch.
import * as tf from '@tensorflow/tfjs'
import { afterEach, describe, expect, it } from 'vitest'
import { MlflowClient, loadBuiltinDataset, mlflow } from '../../src/index.ts'
import { freshTrackingUri } from '../helpers.ts'

afterEach(async () => { await mlflow.autolog({ disable: true }) })

describe('tfjs in the window', () => {
  it('autologs a fit on the webgl backend and reloads the logged model with identical predictions', async () => {
    expect(await tf.setBackend('webgl')).toBe(true)
    const trackingUri = freshTrackingUri('window')
    mlflow.setTrackingUri(trackingUri)
    await mlflow.autolog()
    const iris = await loadBuiltinDataset('iris')
    const x = tf.tensor2d(iris.features)
    const y = tf.oneHot(tf.tensor1d(iris.targets, 'int32'), 3)
    const model = tf.sequential({ layers: [tf.layers.dense({ units: 8, inputShape: [4], activation: 'relu' }), tf.layers.dense({ units: 3, activation: 'softmax' })] })
    model.compile({ optimizer: 'adam', loss: 'categoricalCrossentropy', metrics: ['accuracy'] })
    await model.fit(x, y, { epochs: 3, validationSplit: 0.2 })

    const client = new MlflowClient(trackingUri)
    const { runs } = await client.searchRuns({ experimentIds: ['0'] })
    expect(runs).toHaveLength(1)
    const run = runs[0]!
    expect(run.info.status).toBe('FINISHED')
    expect(run.data.tags).toMatchObject({ 'lablog.tfjs.backend': 'webgl', 'mlflow.autologging': 'tfjs' })
    expect(run.data.metrics['system/tfjs_num_bytes_in_gpu']).toBeGreaterThanOrEqual(0)
    expect((await client.getMetricHistory(run.info.runId, 'val_acc')).map(point => point.step)).toEqual([0, 1, 2])

    const loaded = await mlflow.tfjs.loadModel(`runs:/${run.info.runId}/model`)
    const expected = await (model.predict(x) as tf.Tensor).data()
    const actual = await (loaded.predict(x) as tf.Tensor).data()
    expect(Array.from(actual)).toEqual(Array.from(expected))
  })

  it('fetches every built-in dataset from the served public/datasets/', async () => {
    const digits = await loadBuiltinDataset('digits')
    expect(digits.features).toHaveLength(1797)
    expect(digits.featureNames[63]).toBe('pixel_7_7')
    const cancer = await loadBuiltinDataset('breast_cancer')
    expect(new Set(cancer.targets)).toEqual(new Set([0, 1]))
  })
})
