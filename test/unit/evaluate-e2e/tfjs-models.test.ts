// Evaluating tfjs models: a loaded LayersModel and a runs:/ URI, with the input checked against the model's
// signature (columns, shape, dtype) before anything is logged.
import * as tf from '@tensorflow/tfjs'
import { beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { mlflow, type MlflowClient } from '../../../src/index.ts'
import { allRuns, freshStore } from './support.ts'

let client: MlflowClient
beforeAll(async () => { await tf.setBackend('cpu') })
beforeEach(() => { client = freshStore() })

/** A 2-feature softmax classifier whose weights make class 1 win when x1 > x0. */
function comparator(): tf.Sequential {
  const model = tf.sequential({ layers: [tf.layers.dense({ units: 2, inputShape: [2], activation: 'softmax' })] })
  model.layers[0]!.setWeights([tf.tensor2d([[4, -4], [-4, 4]]), tf.tensor1d([0, 0])])
  return model
}

const rows = Array.from({ length: 40 }, (_, i) => ({ x0: (i * 7) % 10, x1: (i * 3) % 10 + 0.5, label: (i * 3) % 10 + 0.5 > (i * 7) % 10 ? 1 : 0 }))

describe('tfjs models', () => {
  it('evaluates a loaded LayersModel on row objects: probabilities give log_loss and the curves', async () => {
    const result = await mlflow.evaluate({ model: comparator(), data: rows, targets: 'label', modelType: 'classifier' })
    expect(result.metrics.accuracy_score).toBe(1)
    expect(result.metrics.roc_auc).toBe(1)
    expect(result.metrics.log_loss).toBeGreaterThan(0)
    expect(Object.keys(result.artifacts).sort()).toEqual([
      'calibration_curve_plot', 'confusion_matrix', 'eval_results_table', 'lift_curve_plot', 'precision_recall_curve_plot', 'roc_curve_plot'])
  })

  it('evaluates a logged model by runs:/ URI and records its model_uuid in mlflow.datasets', async () => {
    const { info } = await mlflow.startRun({ runName: 'train' })
    const logged = await mlflow.tfjs.logModel(comparator(), 'model')
    const result = await mlflow.evaluate({ model: logged.modelUri, data: rows, targets: 'label', modelType: 'classifier' })
    await mlflow.endRun()
    expect(result.runId).toBe(info.runId)
    expect(result.metrics.accuracy_score).toBe(1)
    const tag = JSON.parse((await client.getRun(info.runId)).data.tags['mlflow.datasets']!)
    expect(tag).toEqual([{ name: result.dataset.hash, hash: result.dataset.hash, model: logged.modelUuid }])
  })

  it('data with the wrong number of feature columns is INVALID_PARAMETER_VALUE naming the shapes and columns, nothing logged', async () => {
    const threeFeatures = rows.map((row) => ({ ...row, x2: 1 }))
    await expect(mlflow.evaluate({ model: comparator(), data: threeFeatures, targets: 'label', modelType: 'classifier' })).rejects.toMatchObject({
      errorCode: 'INVALID_PARAMETER_VALUE',
      message: expect.stringMatching(/expects inputs of shape \(any, 2\) but the data has 3 feature columns \(x0, x1, x2\)/),
    })
    expect(await allRuns(client)).toEqual([])
  })

  it('a URI model with a column signature names the columns the data lacks', async () => {
    const run = await mlflow.startRun()
    const logged = await mlflow.tfjs.logModel(comparator(), 'model', {
      signature: { inputs: [{ type: 'double', name: 'width' }, { type: 'double', name: 'height' }], outputs: null },
    })
    await mlflow.endRun()
    await expect(mlflow.evaluate({ model: logged.modelUri, data: rows, targets: 'label', modelType: 'classifier' })).rejects.toMatchObject({
      errorCode: 'INVALID_PARAMETER_VALUE',
      message: expect.stringMatching(/expects columns 'width', 'height', which the data does not have; the data's feature columns are: x0, x1/),
    })
    expect((await client.getRun(run.info.runId)).data.metrics).toEqual({})
  })

  it('a non-numeric feature column is a dtype error naming the column', async () => {
    const text = rows.map((row, i) => ({ ...row, x1: i % 2 ? 'high' : 'low' }))
    await expect(mlflow.evaluate({ model: comparator(), data: text, targets: 'label', modelType: 'classifier' })).rejects.toMatchObject({
      errorCode: 'INVALID_PARAMETER_VALUE', message: expect.stringMatching(/Feature column 'x1' is not numeric/),
    })
  })
})
