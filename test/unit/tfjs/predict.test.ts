// predict(model, inputs): tensors, nested arrays and tables, checked against the model's signature.
import * as tf from '@tensorflow/tfjs'
import { beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { MlflowClient, mlflow } from '../../../src/index.ts'
import { freshTrackingUri } from '../../helpers.ts'

let model: tf.Sequential
const ROWS = [[5.1, 3.5, 1.4, 0.2], [6.2, 2.9, 4.3, 1.3]]

beforeAll(async () => { await tf.setBackend('cpu') })
beforeEach(() => {
  model = tf.sequential({ layers: [tf.layers.dense({ units: 3, inputShape: [4], activation: 'softmax' })] })
})

const values = async (output: tf.Tensor | tf.Tensor[]) => Array.from(await (output as tf.Tensor).data())

describe('mlflow.tfjs.predict', () => {
  it('gives the same predictions for a tensor, nested arrays, row records and columns', async () => {
    const expected = Array.from((model.predict(tf.tensor2d(ROWS)) as tf.Tensor).dataSync())
    expect(await values(await mlflow.tfjs.predict(model, tf.tensor2d(ROWS)))).toEqual(expected)
    expect(await values(await mlflow.tfjs.predict(model, ROWS))).toEqual(expected)
    const records = ROWS.map(([a, b, c, d]) => ({ a, b, c, d }))
    expect(await values(await mlflow.tfjs.predict(model, records))).toEqual(expected)
    const columns = { a: [5.1, 6.2], b: [3.5, 2.9], c: [1.4, 4.3], d: [0.2, 1.3] }
    expect(await values(await mlflow.tfjs.predict(model, columns))).toEqual(expected)
  })

  it('explains a shape mismatch with both shapes', async () => {
    await expect(mlflow.tfjs.predict(model, [[1, 2, 3]])).rejects.toMatchObject({
      errorCode: 'INVALID_PARAMETER_VALUE', message: 'Input shape mismatch: the model expects (any, 4) but got (1, 3).',
    })
    await expect(mlflow.tfjs.predict(model, tf.zeros([2, 4, 1]))).rejects.toMatchObject({ message: expect.stringContaining('(any, 4) but got (2, 4, 1)') })
  })

  it('explains a dtype mismatch for tensors and for values', async () => {
    await expect(mlflow.tfjs.predict(model, tf.zeros([1, 4], 'int32'))).rejects.toMatchObject({
      errorCode: 'INVALID_PARAMETER_VALUE', message: 'Input dtype mismatch: the model expects float32 but got int32.',
    })
    await expect(mlflow.tfjs.predict(model, [[1, 2, 'x', 4]] as never)).rejects.toMatchObject({ message: expect.stringContaining('expects numbers (float32) but got "x"') })
  })

  it('refuses a ragged array', async () => {
    await expect(mlflow.tfjs.predict(model, [[1, 2, 3, 4], [1, 2]])).rejects.toMatchObject({ errorCode: 'INVALID_PARAMETER_VALUE' })
  })

  it('maps columns by name for a column signature and names a missing column', async () => {
    const signature = { inputs: ['sepal', 'width', 'petal', 'pwidth'].map(name => ({ type: 'double' as const, name })) }
    const shuffledKeys = ROWS.map(([a, b, c, d]) => ({ pwidth: d, petal: c, width: b, sepal: a }))
    const expected = Array.from((model.predict(tf.tensor2d(ROWS)) as tf.Tensor).dataSync())
    expect(await values(await mlflow.tfjs.predict(model, shuffledKeys, { signature }))).toEqual(expected)
    await expect(mlflow.tfjs.predict(model, [{ sepal: 1, width: 2, petal: 3 }], { signature })).rejects.toMatchObject({
      errorCode: 'INVALID_PARAMETER_VALUE', message: expect.stringContaining("missing column 'pwidth'"),
    })
    await expect(mlflow.tfjs.predict(model, [{ sepal: 1, width: 2, petal: 3, pwidth: 'big' }], { signature })).rejects.toMatchObject({
      message: expect.stringContaining("column 'pwidth' dtype mismatch: expected double"),
    })
  })

  it('checks against the signature a loaded model declared', async () => {
    const uri = freshTrackingUri('predict')
    mlflow.setTrackingUri(uri)
    const runId = (await new MlflowClient(uri).createRun('0')).info.runId
    const signature = { inputs: ['a', 'b', 'c', 'd'].map(name => ({ type: 'double' as const, name })) }
    const { modelUri } = await mlflow.tfjs.logModel(model, 'model', { runId, signature })
    const loaded = await mlflow.tfjs.loadModel(modelUri)
    await expect(mlflow.tfjs.predict(loaded, [{ a: 1, b: 2, c: 3 }])).rejects.toMatchObject({ message: expect.stringContaining("missing column 'd'") })
    expect(await values(await mlflow.tfjs.predict(loaded, [{ a: 5.1, b: 3.5, c: 1.4, d: 0.2 }]))).toHaveLength(3)
  })

  it('feeds several named inputs of a functional model', async () => {
    const left = tf.input({ shape: [2], name: 'left' })
    const right = tf.input({ shape: [3], name: 'right' })
    const joined = tf.layers.concatenate().apply([left, right]) as tf.SymbolicTensor
    const twoInputs = tf.model({ inputs: [left, right], outputs: tf.layers.dense({ units: 1 }).apply(joined) as tf.SymbolicTensor })
    const expected = Array.from((twoInputs.predict([tf.tensor2d([[1, 2]]), tf.tensor2d([[3, 4, 5]])]) as tf.Tensor).dataSync())
    expect(await values(await mlflow.tfjs.predict(twoInputs, { left: [[1, 2]], right: [[3, 4, 5]] } as never))).toEqual(expected)
    expect(await values(await mlflow.tfjs.predict(twoInputs, [[[1, 2]], [[3, 4, 5]]]))).toEqual(expected)
    await expect(mlflow.tfjs.predict(twoInputs, { left: [[1, 2]] } as never)).rejects.toMatchObject({ message: expect.stringContaining("Input 'right' is missing") })
  })

  it('creates no tensor it does not return', async () => {
    await mlflow.tfjs.predict(model, ROWS) // warm up: the first predict builds the model's weights
    const before = tf.memory().numTensors
    const output = await mlflow.tfjs.predict(model, ROWS) as tf.Tensor
    expect(tf.memory().numTensors).toBe(before + 1)
    output.dispose()
  })
})
