// train(spec) in Node on the cpu backend: presets on built-in datasets, progress, cancel, heartbeats.
import * as tf from '@tensorflow/tfjs'
import { beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { MlflowClient, mlflow } from '../../../src/index.ts'
import { HEARTBEAT_TAG, markStaleRunsKilled, startHeartbeat } from '../../../src/training/heartbeat.ts'
import type { TrainingProgress } from '../../../src/training/spec.ts'
import { train } from '../../../src/training/train.ts'
import { freshTrackingUri } from '../../helpers.ts'

let trackingUri: string
let client: MlflowClient

beforeAll(async () => { await tf.setBackend('cpu') })
beforeEach(() => {
  trackingUri = freshTrackingUri('training')
  client = new MlflowClient(trackingUri)
})

describe('train(spec)', () => {
  it('trains an MLP on iris with autolog, reports every epoch, and logs a model that takes raw rows', async () => {
    const events: TrainingProgress[] = []
    const result = await train({
      dataset: { builtin: 'iris' }, model: { preset: 'mlp', hiddenUnits: [16] }, compile: { learningRate: 0.05 },
      fit: { epochs: 15, batchSize: 16 }, experiment: { name: 'iris-mlp' }, trackingUri, backend: 'cpu', seed: 3,
    }, { onProgress: event => events.push(event) })

    expect(result).toMatchObject({ status: 'FINISHED', epochs: 15, backend: 'cpu', modelUri: `runs:/${result.runId}/model` })
    expect(events[0]).toMatchObject({ type: 'started', runId: result.runId, epochs: 15 })
    expect(events.filter(event => event.type === 'epoch').map(event => (event as { epoch: number }).epoch)).toEqual([...Array(15).keys()])
    const run = await client.getRun(result.runId)
    expect(run.info.status).toBe('FINISHED')
    expect((await client.getExperiment(run.info.experimentId)).name).toBe('iris-mlp')
    expect(run.data.params).toMatchObject({ dataset: 'iris', model_preset: 'mlp', seed: '3', epochs: '15', batch_size: '16', validation_split: '0.2' })
    expect(run.data.tags).toMatchObject({ 'mlflow.autologging': 'tfjs', 'lablog.training.context': 'node' })
    expect(run.data.tags[HEARTBEAT_TAG]).toBeUndefined()
    expect(run.data.metrics.val_acc).toBe(result.metrics.val_acc)
    // Standardisation lives inside the model, so raw iris rows predict well.
    expect(result.metrics.acc).toBeGreaterThan(0.8)
    mlflow.setTrackingUri(trackingUri)
    const loaded = await mlflow.tfjs.loadModel(result.modelUri!)
    const predicted = await mlflow.tfjs.predict(loaded, [[5.1, 3.5, 1.4, 0.2], [7.7, 3.0, 6.1, 2.3]]) as tf.Tensor
    expect(Array.from(await predicted.argMax(1).data())).toEqual([0, 2])
    expect(await client.readArtifactJson(result.runId, 'training_spec.json')).toMatchObject({ dataset: { builtin: 'iris' }, seed: 3 })
  })

  it('trains the regression and CNN presets', async () => {
    const regression = await train({ dataset: { builtin: 'diabetes' }, model: { preset: 'logistic-regression' }, fit: { epochs: 2 }, trackingUri, backend: 'cpu' })
    expect(Object.keys(regression.metrics).sort()).toEqual(['loss', 'mae', 'val_loss', 'val_mae'])
    const cnn = await train({ dataset: { builtin: 'digits' }, model: { preset: 'cnn', filters: [4], denseUnits: 8 }, fit: { epochs: 1, batchSize: 64 }, trackingUri, backend: 'cpu' })
    expect(cnn.status).toBe('FINISHED')
    // The CNN reshapes inside the model, so it takes the dataset's flat rows of 64 pixels.
    const { mlModel } = await mlflow.tfjs.getModelInfo(cnn.modelUri!, client)
    expect(mlModel.signature?.inputs).toEqual([{ type: 'tensor', 'tensor-spec': { dtype: 'float32', shape: [-1, 64] } }])
  })

  it('trains a model given as tfjs layers JSON on inline rows', async () => {
    const layers = tf.sequential({ layers: [tf.layers.dense({ units: 2, inputShape: [2], activation: 'softmax' })] })
    const result = await train({
      dataset: { name: 'xor-ish', features: [[0, 0], [0, 1], [1, 0], [1, 1]], targets: [0, 1, 1, 0], task: 'classification' },
      model: { layersJson: layers.toJSON(null, false) as Record<string, unknown> }, fit: { epochs: 2, validationSplit: 0 }, trackingUri, backend: 'cpu',
    })
    expect(result.status).toBe('FINISHED')
    expect((await client.getRun(result.runId)).data.params).toMatchObject({ dataset: 'xor-ish', model_preset: 'layers-json', layer_count: '1' })
  })

  it('creates the run with the spec\'s tags, nested under the given parent (a sweep\'s child)', async () => {
    const parent = await client.createRun('0', { runName: 'sweep' })
    const result = await train({
      dataset: { name: 'tiny', features: [[0, 0], [1, 1]], targets: [0, 1], task: 'classification' },
      model: { preset: 'logistic-regression' }, fit: { epochs: 1, validationSplit: 0 }, trackingUri, backend: 'cpu',
      tags: { 'lablog.class_names': '["no","yes"]' }, parentRunId: parent.info.runId,
    })
    expect((await client.getRun(result.runId)).data.tags).toMatchObject({
      'lablog.class_names': '["no","yes"]', 'mlflow.parentRunId': parent.info.runId,
    })
  })

  it('ends the run KILLED when cancelled, keeping the epochs logged so far', async () => {
    const controller = new AbortController()
    const result = await train({
      dataset: { builtin: 'digits' }, model: { preset: 'mlp', hiddenUnits: [8] }, fit: { epochs: 50, batchSize: 32 }, trackingUri, backend: 'cpu',
    }, { signal: controller.signal, onProgress: event => { if (event.type === 'epoch' && event.epoch === 1) controller.abort() } })
    expect(result.status).toBe('KILLED')
    expect(result.modelUri).toBeUndefined()
    const run = await client.getRun(result.runId)
    expect(run.info.status).toBe('KILLED')
    const steps = (await client.getMetricHistory(result.runId, 'loss')).map(point => point.step)
    expect(steps.slice(0, 2)).toEqual([0, 1])
    expect(steps.length).toBeLessThan(4)
    expect(await client.listArtifacts(result.runId, 'model')).toEqual([])
  })

  it('rejects with the errorCode when the spec is wrong, and ends the run FAILED', async () => {
    await expect(train({ dataset: { builtin: 'iris' }, model: { preset: 'cnn' }, trackingUri, backend: 'cpu' }))
      .rejects.toMatchObject({ errorCode: 'INVALID_PARAMETER_VALUE', message: expect.stringContaining('cnn preset needs image data') })
    const { runs } = await client.searchRuns({ experimentIds: ['0'] })
    expect(runs.map(run => run.info.status)).toEqual(['FAILED'])
    await expect(train({ dataset: { builtin: 'iris' }, model: { preset: 'mlp' }, trackingUri, backend: 'webgpu' }))
      .rejects.toMatchObject({ errorCode: 'INVALID_PARAMETER_VALUE', message: expect.stringContaining('@tensorflow/tfjs-backend-webgpu') })
  })
})

describe('heartbeats and abandoned runs', () => {
  it('marks RUNNING runs with a stale heartbeat KILLED, ending them at their last beat, and leaves the others alone', async () => {
    const abandoned = (await client.createRun('0')).info.runId
    const alive = (await client.createRun('0')).info.runId
    const ordinary = (await client.createRun('0')).info.runId
    await client.setTag(abandoned, HEARTBEAT_TAG, '1000')
    const heartbeat = await startHeartbeat(client, alive, 60_000)
    const killed = await markStaleRunsKilled(client, { staleAfterMs: 30_000 })
    expect(killed).toEqual([abandoned])
    expect((await client.getRun(abandoned)).info).toMatchObject({ status: 'KILLED', endTime: expect.any(Number) })
    expect((await client.getRun(alive)).info.status).toBe('RUNNING')
    expect((await client.getRun(ordinary)).info.status).toBe('RUNNING')
    await heartbeat.stop()
    expect((await client.getRun(alive)).data.tags[HEARTBEAT_TAG]).toBeUndefined()
  })
})
