// Autolog on the cpu backend in Node: a fit with no logging line leaves a complete run behind.
import * as tf from '@tensorflow/tfjs'
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { MlflowClient, mlflow } from '../../../src/index.ts'
import { freshTrackingUri } from '../../helpers.ts'

let client: MlflowClient

beforeAll(async () => {
  await tf.setBackend('cpu')
})
beforeEach(async () => {
  const uri = freshTrackingUri('autolog')
  mlflow.setTrackingUri(uri)
  client = new MlflowClient(uri)
  await mlflow.autolog({ silent: true })
})
afterEach(async () => {
  await mlflow.autolog({ disable: true })
  if (await mlflow.activeRun()) await mlflow.endRun()
})

/** A tiny 3-class classifier on 4 features, with weights fixed by seeds. */
function tinyClassifier(): tf.Sequential {
  const model = tf.sequential({
    layers: [
      tf.layers.dense({ units: 6, inputShape: [4], activation: 'relu', kernelInitializer: tf.initializers.glorotUniform({ seed: 1 }) }),
      tf.layers.dense({ units: 3, activation: 'softmax', kernelInitializer: tf.initializers.glorotUniform({ seed: 2 }) }),
    ],
  })
  model.compile({ optimizer: tf.train.adam(0.05), loss: 'categoricalCrossentropy', metrics: ['accuracy'] })
  return model
}

function tinyData(rows = 24): { x: tf.Tensor2D; y: tf.Tensor2D } {
  const features = Array.from({ length: rows }, (_, row) => [row % 3, (row * 7) % 5, row / rows, 1 - row / rows])
  const labels = Array.from({ length: rows }, (_, row) => row % 3)
  return { x: tf.tensor2d(features), y: tf.oneHot(tf.tensor1d(labels, 'int32'), 3) as tf.Tensor2D }
}

async function onlyRun() {
  const { runs } = await client.searchRuns({ experimentIds: ['0'] })
  expect(runs).toHaveLength(1)
  return runs[0]!
}

describe('mlflow.autolog with a Sequential model', () => {
  it('starts and finishes a run holding params, per-epoch metrics under tfjs names, tags, summary and model', async () => {
    const { x, y } = tinyData()
    const model = tinyClassifier()
    const history = await model.fit(x, y, { epochs: 3, batchSize: 8, validationSplit: 0.25, shuffle: false })

    const run = await onlyRun()
    expect(run.info.status).toBe('FINISHED')
    expect(await mlflow.activeRun()).toBeNull()
    expect(run.data.params).toMatchObject({
      epochs: '3', batch_size: '8', validation_split: '0.25', shuffle: 'False', initial_epoch: '0', steps_per_epoch: 'None',
      opt_name: 'Adam', opt_learning_rate: '0.05', opt_beta1: '0.9', opt_beta2: '0.999',
      loss: 'categoricalCrossentropy', metrics: "['acc']", layer_count: '2', parameter_count: String(model.countParams()), model_class: 'Sequential',
    })
    expect(run.data.tags).toMatchObject({ 'mlflow.autologging': 'tfjs', 'lablog.tfjs.backend': 'cpu', 'lablog.tfjs.version': tf.version.tfjs })
    expect(Number(run.data.tags['lablog.device.logical_cores'])).toBeGreaterThan(0)
    expect(run.data.tags['lablog.device.user_agent']).toBeTruthy()

    for (const key of ['loss', 'acc', 'val_loss', 'val_acc']) {
      const points = await client.getMetricHistory(run.info.runId, key)
      expect(points.map(point => point.step)).toEqual([0, 1, 2])
      // The logged values are exactly what tfjs's own History recorded.
      expect(points.map(point => point.value)).toEqual((history.history[key] as number[]).map(Number))
    }
    expect(run.data.metrics['system/tfjs_num_tensors']).toBeGreaterThan(0)
    expect(run.data.metrics['system/tfjs_num_bytes']).toBeGreaterThan(0)

    const summary = await client.readArtifactText(run.info.runId, 'model_summary.txt')
    expect(summary).toContain('Total params: ')
    expect(summary).toContain('dense')
    const files = (await client.listArtifacts(run.info.runId, 'model')).map(file => file.path)
    expect(files).toEqual(['model/MLmodel', 'model/group1-shard1of1.bin', 'model/model.json'])
  })

  it('logs into the active run without ending it, and logs params once across several fits', async () => {
    const { x, y } = tinyData()
    const run = await mlflow.startRun({ runName: 'mine' })
    const model = tinyClassifier()
    await model.fit(x, y, { epochs: 2, batchSize: 8 })
    await model.fit(x, y, { epochs: 4, initialEpoch: 2, batchSize: 8 })
    const after = await client.getRun(run.info.runId)
    expect(after.info.status).toBe('RUNNING')
    expect(after.data.params.epochs).toBe('2')
    expect((await client.getMetricHistory(run.info.runId, 'loss')).map(point => point.step)).toEqual([0, 1, 2, 3])
    // The second fit's model replaced the first one whole.
    expect((await client.listArtifacts(run.info.runId, 'model')).map(file => file.path)).toEqual(['model/MLmodel', 'model/group1-shard1of1.bin', 'model/model.json'])
    expect(JSON.parse(after.data.tags['mlflow.log-model.history']!)).toHaveLength(2)
    await mlflow.endRun()
    expect((await onlyRun()).info.status).toBe('FINISHED')
  })

  it("runs the user's callbacks in order, alongside its own, and records early stopping", async () => {
    const { x, y } = tinyData()
    const model = tinyClassifier()
    const seen: string[] = []
    const earlyStopping = tf.callbacks.earlyStopping({ monitor: 'loss', patience: 0, minDelta: 10 })
    await model.fit(x, y, {
      epochs: 6, batchSize: 8,
      callbacks: [earlyStopping, new tf.CustomCallback({ onEpochEnd: async epoch => { seen.push(`custom ${epoch}`) } })],
    })
    // minDelta 10 means no epoch counts as an improvement after the first: training stops at epoch 1.
    expect(seen).toEqual(['custom 0', 'custom 1'])
    const run = await onlyRun()
    expect(run.info.status).toBe('FINISHED')
    expect(run.data.metrics.stopped_epoch).toBe(1)
    expect(run.data.params).toMatchObject({ monitor: 'loss', patience: '0', min_delta: '10', restore_best_weights: 'False' })
    expect((await client.getMetricHistory(run.info.runId, 'loss')).map(point => point.step)).toEqual([0, 1])
  })

  it('accepts plain callback objects as tfjs does', async () => {
    const { x, y } = tinyData()
    const epochs: number[] = []
    await tinyClassifier().fit(x, y, { epochs: 2, callbacks: { onEpochEnd: async epoch => { epochs.push(epoch) } } })
    expect(epochs).toEqual([0, 1])
    expect((await onlyRun()).info.status).toBe('FINISHED')
  })

  it('ends its run FAILED and rethrows when fit throws', async () => {
    const model = tinyClassifier()
    const wrongShape = tf.zeros([8, 5])
    await expect(model.fit(wrongShape, tf.zeros([8, 3]), { epochs: 1 })).rejects.toThrow(/expected a batch of elements where each example has shape \[4\]/)
    expect((await onlyRun()).info.status).toBe('FAILED')
  })

  it('ends its run KILLED when training is stopped with mlflow.tfjs.stopTraining', async () => {
    const { x, y } = tinyData()
    const model = tinyClassifier()
    await model.fit(x, y, { epochs: 10, batchSize: 8, callbacks: { onEpochEnd: async epoch => { if (epoch === 1) mlflow.tfjs.stopTraining(model) } } })
    const run = await onlyRun()
    expect(run.info.status).toBe('KILLED')
    expect((await client.getMetricHistory(run.info.runId, 'loss')).map(point => point.step)).toEqual([0, 1])
    expect(await client.listArtifacts(run.info.runId, 'model')).toEqual([])
  })

  it('never changes what training computes: the same seeded fit gives the same weights with and without autolog', async () => {
    const { x, y } = tinyData()
    const tracked = tinyClassifier()
    await tracked.fit(x, y, { epochs: 3, batchSize: 8, shuffle: false, callbacks: { onEpochEnd: async () => {} } })
    await mlflow.autolog({ disable: true })
    const untracked = tinyClassifier()
    await untracked.fit(x, y, { epochs: 3, batchSize: 8, shuffle: false, callbacks: { onEpochEnd: async () => {} } })
    const trackedWeights = tracked.getWeights().map(weight => Array.from(weight.dataSync()))
    const untrackedWeights = untracked.getWeights().map(weight => Array.from(weight.dataSync()))
    expect(trackedWeights).toEqual(untrackedWeights)
    expect(await onlyRun()).toBeTruthy()
  })
})

describe('mlflow.autolog options', () => {
  it('logEveryNSteps logs batch_<metric> with the global batch index as step', async () => {
    await mlflow.autolog({ logEveryNSteps: 2, logModels: false, silent: true })
    const { x, y } = tinyData(24)
    await tinyClassifier().fit(x, y, { epochs: 2, batchSize: 8 })
    const run = await onlyRun()
    // 3 batches per epoch → global batches 0..5, every 2nd logged.
    expect((await client.getMetricHistory(run.info.runId, 'batch_loss')).map(point => point.step)).toEqual([0, 2, 4])
    expect((await client.getMetricHistory(run.info.runId, 'batch_acc')).map(point => point.step)).toEqual([0, 2, 4])
    expect(await client.getMetricHistory(run.info.runId, 'batch_size')).toEqual([])
    expect(await client.listArtifacts(run.info.runId, 'model')).toEqual([])
  })

  it('disable turns tracking off; later fits create no run', async () => {
    await mlflow.autolog({ disable: true })
    const { x, y } = tinyData()
    await tinyClassifier().fit(x, y, { epochs: 1 })
    const { runs } = await client.searchRuns({ experimentIds: ['0'] })
    expect(runs).toEqual([])
  })

  it('refuses a negative logEveryNSteps with INVALID_PARAMETER_VALUE', async () => {
    await expect(mlflow.autolog({ logEveryNSteps: -1 })).rejects.toMatchObject({ errorCode: 'INVALID_PARAMETER_VALUE' })
  })

  it('logInputExamples saves the first training rows next to the model', async () => {
    await mlflow.autolog({ logInputExamples: true, silent: true })
    const { x, y } = tinyData()
    await tinyClassifier().fit(x, y, { epochs: 1 })
    const run = await onlyRun()
    const example = await client.readArtifactJson(run.info.runId, 'model/input_example.json')
    expect(example).toEqual((await x.slice(0, 5).array()))
  })
})

describe('mlflow.autolog with a functional model and fitDataset', () => {
  it('tracks fitDataset on a tf.model with the dataset params', async () => {
    const input = tf.input({ shape: [4] })
    const hidden = tf.layers.dense({ units: 5, activation: 'relu' }).apply(input) as tf.SymbolicTensor
    const output = tf.layers.dense({ units: 3, activation: 'softmax' }).apply(hidden) as tf.SymbolicTensor
    const model = tf.model({ inputs: input, outputs: output })
    model.compile({ optimizer: 'sgd', loss: 'categoricalCrossentropy' })
    const { x, y } = tinyData()
    const dataset = tf.data.zip({ xs: tf.data.array(x.arraySync() as number[][]), ys: tf.data.array(y.arraySync() as number[][]) }).batch(8)
    await model.fitDataset(dataset as tf.data.Dataset<{ xs: tf.Tensor; ys: tf.Tensor }>, { epochs: 2 })
    const run = await onlyRun()
    expect(run.info.status).toBe('FINISHED')
    expect(run.data.params).toMatchObject({ epochs: '2', opt_name: 'SGD', model_class: 'Model', layer_count: '3' })
    expect(run.data.params.batch_size).toBeUndefined()
    expect((await client.getMetricHistory(run.info.runId, 'loss')).map(point => point.step)).toEqual([0, 1])
  })
})
