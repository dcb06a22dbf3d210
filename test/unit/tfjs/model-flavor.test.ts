// The tfjs model flavor in Node: logModel writes an MLflow model directory, loadModel reads it back exactly.
import * as tf from '@tensorflow/tfjs'
import { parse as parseYaml } from 'yaml'
import { beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { MlflowClient, mlflow } from '../../../src/index.ts'
import { freshTrackingUri } from '../../helpers.ts'

let client: MlflowClient
let runId: string

beforeAll(async () => { await tf.setBackend('cpu') })
beforeEach(async () => {
  const uri = freshTrackingUri('flavor')
  mlflow.setTrackingUri(uri)
  client = new MlflowClient(uri)
  runId = (await client.createRun('0')).info.runId
})

function irisShapedModel(): tf.Sequential {
  const model = tf.sequential({
    layers: [
      tf.layers.dense({ units: 8, inputShape: [4], activation: 'tanh' }),
      tf.layers.dense({ units: 3, activation: 'softmax' }),
    ],
  })
  model.compile({ optimizer: 'adam', loss: 'categoricalCrossentropy', metrics: ['accuracy'] })
  return model
}

const ROWS = [[5.1, 3.5, 1.4, 0.2], [6.2, 2.9, 4.3, 1.3], [7.7, 3.0, 6.1, 2.3]]

describe('mlflow.tfjs.logModel', () => {
  it('writes MLmodel (tfjs flavor, ids, time, inferred tensor signature), model.json, weights and the input example', async () => {
    const info = await mlflow.tfjs.logModel(irisShapedModel(), 'model', { runId, inputExample: ROWS })
    expect(info.modelUri).toBe(`runs:/${runId}/model`)
    const files = (await client.listArtifacts(runId, 'model')).map(file => file.path)
    expect(files).toEqual(['model/MLmodel', 'model/group1-shard1of1.bin', 'model/input_example.json', 'model/model.json', 'model/serving_input_example.json'])

    const text = await client.readArtifactText(runId, 'model/MLmodel')
    const yaml = parseYaml(text) as Record<string, any>
    expect(Object.keys(yaml)).toEqual([...Object.keys(yaml)].sort())
    expect(yaml).toMatchObject({
      artifact_path: 'model',
      flavors: { tfjs: { format: 'layers-model', model_file: 'model.json', tfjs_version: tf.version.tfjs, code: null } },
      run_id: runId,
      saved_input_example_info: { artifact_path: 'input_example.json', serving_input_path: 'serving_input_example.json', type: 'ndarray' },
    })
    expect(yaml.model_uuid).toMatch(/^[0-9a-f]{32}$/)
    expect(yaml.utc_time_created).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{6}$/)
    expect(text).toContain(`utc_time_created: '${yaml.utc_time_created}'`)
    expect(yaml.signature.inputs).toBe('[{"type": "tensor", "tensor-spec": {"dtype": "float32", "shape": [-1, 4]}}]')
    expect(yaml.signature.outputs).toBe('[{"type": "tensor", "tensor-spec": {"dtype": "float32", "shape": [-1, 3]}}]')
    expect(yaml.signature.params).toBeNull()

    const modelJson = await client.readArtifactJson<Record<string, any>>(runId, 'model/model.json')
    expect(modelJson.format).toBe('layers-model')
    expect(modelJson.weightsManifest[0].paths).toEqual(['group1-shard1of1.bin'])
    expect(modelJson.modelTopology.class_name).toBe('Sequential')
    const weightBytes = (await client.readArtifact(runId, 'model/group1-shard1of1.bin')).size
    expect(weightBytes).toBe((4 * 8 + 8 + 8 * 3 + 3) * 4)

    expect(await client.readArtifactText(runId, 'model/input_example.json')).toBe('[[5.1, 3.5, 1.4, 0.2], [6.2, 2.9, 4.3, 1.3], [7.7, 3, 6.1, 2.3]]')
    expect(await client.readArtifactJson(runId, 'model/serving_input_example.json')).toEqual({ inputs: ROWS })
  })

  it('appends to mlflow.log-model.history as MLflow does, one entry per logged model', async () => {
    const first = await mlflow.tfjs.logModel(irisShapedModel(), 'model', { runId })
    const second = await mlflow.tfjs.logModel(irisShapedModel(), 'checkpoints/best', { runId })
    const history = JSON.parse((await client.getRun(runId)).data.tags['mlflow.log-model.history']!)
    expect(history).toEqual([
      { run_id: runId, artifact_path: 'model', utc_time_created: first.utcTimeCreated, model_uuid: first.modelUuid,
        flavors: { tfjs: { code: null, format: 'layers-model', model_file: 'model.json', tfjs_version: tf.version.tfjs } } },
      { run_id: runId, artifact_path: 'checkpoints/best', utc_time_created: second.utcTimeCreated, model_uuid: second.modelUuid,
        flavors: { tfjs: { code: null, format: 'layers-model', model_file: 'model.json', tfjs_version: tf.version.tfjs } } },
    ])
  })

  it('keeps a given signature and records rows as a dataframe example', async () => {
    const signature = {
      inputs: ['a', 'b', 'c', 'd'].map(name => ({ type: 'double' as const, name, required: true })),
      outputs: [{ type: 'tensor' as const, 'tensor-spec': { dtype: 'float32' as const, shape: [-1, 3] } }],
    }
    const rows = ROWS.slice(0, 2).map(([a, b, c, d]) => ({ a, b, c, d }))
    await mlflow.tfjs.logModel(irisShapedModel(), 'model', { runId, signature, inputExample: rows })
    const yaml = parseYaml(await client.readArtifactText(runId, 'model/MLmodel')) as Record<string, any>
    expect(JSON.parse(yaml.signature.inputs)).toEqual(signature.inputs)
    expect(yaml.saved_input_example_info).toEqual({ artifact_path: 'input_example.json', pandas_orient: 'split', serving_input_path: 'serving_input_example.json', type: 'dataframe' })
    expect(await client.readArtifactJson(runId, 'model/input_example.json')).toEqual({ columns: ['a', 'b', 'c', 'd'], data: ROWS.slice(0, 2) })
  })

  it('logs into the active run when no runId is given', async () => {
    const run = await mlflow.startRun()
    const info = await mlflow.tfjs.logModel(irisShapedModel())
    await mlflow.endRun()
    expect(info.runId).toBe(run.info.runId)
  })

  it('registers the logged model when registeredModelName is given, and loads it back by models:/ URI', async () => {
    const model = irisShapedModel()
    const info = await mlflow.tfjs.logModel(model, 'model', { runId, registeredModelName: 'iris-classifier' })
    expect(info.registeredModelVersion).toMatchObject({ name: 'iris-classifier', version: '1', runId })
    await client.setRegisteredModelAlias('iris-classifier', 'champion', '1')
    const x = tf.tensor2d(ROWS)
    const expected = Array.from((model.predict(x) as tf.Tensor).dataSync())
    for (const uri of ['models:/iris-classifier/1', 'models:/iris-classifier@champion']) {
      const loaded = await mlflow.tfjs.loadModel(uri)
      expect(Array.from((loaded.predict(x) as tf.Tensor).dataSync()), uri).toEqual(expected)
    }
    await expect(mlflow.tfjs.loadModel('models:/iris-classifier/7')).rejects.toMatchObject({ errorCode: 'RESOURCE_DOES_NOT_EXIST' })
  })
})

describe('mlflow.tfjs.loadModel', () => {
  it('loads a logged model back by runs:/ URI with exactly the same predictions', async () => {
    const model = irisShapedModel()
    const x = tf.tensor2d(ROWS)
    await model.fit(x, tf.oneHot(tf.tensor1d([0, 1, 2], 'int32'), 3), { epochs: 3 })
    const { modelUri } = await mlflow.tfjs.logModel(model, 'model', { runId })
    const loaded = await mlflow.tfjs.loadModel(modelUri)
    expect(loaded.getClassName()).toBe('Sequential')
    const original = Array.from((model.predict(x) as tf.Tensor).dataSync())
    const reloaded = Array.from((loaded.predict(x) as tf.Tensor).dataSync())
    expect(reloaded).toEqual(original)
  })

  it('round-trips a multi-megabyte model split into 4 MiB weight shards', async () => {
    const model = tf.sequential({ layers: [tf.layers.dense({ units: 1100, inputShape: [1000] }), tf.layers.dense({ units: 2 })] })
    const { modelUri } = await mlflow.tfjs.logModel(model, 'big', { runId })
    const shards = (await client.listArtifacts(runId, 'big')).map(file => file.path).filter(path => path.endsWith('.bin'))
    expect(shards).toEqual(['big/group1-shard1of2.bin', 'big/group1-shard2of2.bin'])
    const loaded = await mlflow.tfjs.loadModel(modelUri)
    const input = tf.randomNormal([2, 1000], 0, 1, 'float32', 7)
    expect(Array.from((loaded.predict(input) as tf.Tensor).dataSync())).toEqual(Array.from((model.predict(input) as tf.Tensor).dataSync()))
  })

  it('gives RESOURCE_DOES_NOT_EXIST for a URI that points nowhere', async () => {
    await expect(mlflow.tfjs.loadModel(`runs:/${runId}/nothing-here`)).rejects.toMatchObject({
      errorCode: 'RESOURCE_DOES_NOT_EXIST', message: expect.stringContaining('nothing-here/MLmodel'),
    })
    await expect(mlflow.tfjs.loadModel('runs:/0123456789abcdef0123456789abcdef/model')).rejects.toMatchObject({ errorCode: 'RESOURCE_DOES_NOT_EXIST' })
  })

  it('names the flavors a model directory has when it has no tfjs flavor', async () => {
    const sklearnMlModel = 'artifact_path: model\nflavors:\n  python_function:\n    loader_module: mlflow.sklearn\n  sklearn:\n    pickled_model: model.pkl\n'
    await client.logText(runId, sklearnMlModel, 'model/MLmodel')
    await expect(mlflow.tfjs.loadModel(`runs:/${runId}/model`)).rejects.toMatchObject({
      errorCode: 'INVALID_PARAMETER_VALUE', message: expect.stringMatching(/no 'tfjs' flavor.*python_function, sklearn/),
    })
  })

  it('refuses malformed and unsupported URIs with clear codes', async () => {
    await expect(mlflow.tfjs.loadModel('runs:/')).rejects.toMatchObject({ errorCode: 'INVALID_PARAMETER_VALUE' })
    await expect(mlflow.tfjs.loadModel('s3://bucket/model')).rejects.toMatchObject({ errorCode: 'INVALID_PARAMETER_VALUE', message: expect.stringContaining('runs:/') })
    await expect(mlflow.tfjs.loadModel('models:/')).rejects.toMatchObject({ errorCode: 'INVALID_PARAMETER_VALUE' })
  })
})
