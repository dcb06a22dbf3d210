// Bad input fails with INVALID_PARAMETER_VALUE naming what is wrong, and leaves the store untouched:
// no run created, nothing added to the active run.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { mlflow, type MlflowClient } from '../../../src/index.ts'
import { allRuns, freshStore } from './support.ts'

let client: MlflowClient
beforeEach(() => { client = freshStore() })
afterEach(async () => { await mlflow.endRun() })

const data = { a: [1, 2, 3, 4], b: [0.5, 0.1, 0.9, 0.3], label: [0, 1, 0, 1] }
const labelsModel = () => [0, 1, 1, 1]

async function expectNothingLogged(call: () => Promise<unknown>, message: RegExp): Promise<void> {
  const runsBefore = (await allRuns(client)).length
  const active = await mlflow.startRun({ runName: 'holder' })
  const before = await client.getRun(active.info.runId)
  await expect(call()).rejects.toMatchObject({ errorCode: 'INVALID_PARAMETER_VALUE', message: expect.stringMatching(message) })
  const after = await client.getRun(active.info.runId)
  expect(after.data).toEqual(before.data)
  expect(after.inputs.datasetInputs).toEqual([])
  expect(await client.listArtifacts(active.info.runId)).toEqual([])
  await mlflow.endRun()
  expect(await allRuns(client)).toHaveLength(runsBefore + 1)
}

describe('evaluate refuses bad input before logging anything', () => {
  it('NaN in a feature column names the column and the row', async () => {
    await expectNothingLogged(() => mlflow.evaluate({ model: labelsModel, data: { ...data, b: [0.5, NaN, 0.9, 0.3] }, targets: 'label', modelType: 'classifier' }),
      /Feature column 'b' has NaN at row 1/)
  })

  it('an empty CSV cell in a feature is a missing value at its row', async () => {
    await expectNothingLogged(() => mlflow.evaluate({ model: labelsModel, data: 'a,b,label\n1,0.5,0\n2,,1\n', targets: 'label', modelType: 'classifier' }),
      /Feature column 'b' has NaN at row 1/)
  })

  it('NaN in the targets names the column and row before the model runs', async () => {
    let called = false
    await expectNothingLogged(() => mlflow.evaluate({
      model: () => { called = true; return [0, 1, 0, 1] }, data: { ...data, label: [0, NaN, 0, 1] }, targets: 'label', modelType: 'classifier',
    }), /'label' has NaN at row 1/)
    expect(called).toBe(false)
  })

  it('a missing targets column lists the columns there are', async () => {
    await expectNothingLogged(() => mlflow.evaluate({ model: labelsModel, data, targets: 'y', modelType: 'classifier' }),
      /no 'y' column .*its columns are: a, b, label/)
  })

  it('a model returning the wrong number of rows says how many', async () => {
    await expectNothingLogged(() => mlflow.evaluate({ model: () => [0, 1], data, targets: 'label', modelType: 'classifier' }),
      /returned 2 predictions for 4 rows/)
  })

  it('probabilities with the wrong number of columns name the classes', async () => {
    await expectNothingLogged(() => mlflow.evaluate({ model: () => [[0.2, 0.3, 0.5], [1, 0, 0], [0, 1, 0], [0, 0, 1]], data, targets: 'label', modelType: 'classifier' }),
      /3 probability columns but there are 2 classes \(0, 1/)
  })

  it('a regressor returning several columns is refused', async () => {
    await expectNothingLogged(() => mlflow.evaluate({ model: () => [[1, 2], [1, 2], [1, 2], [1, 2]], data, targets: 'a', modelType: 'regressor' }),
      /one number per row; the model returned 4 × 2/)
  })

  it('model and predictions together, or neither, are refused', async () => {
    await expectNothingLogged(() => mlflow.evaluate({ model: labelsModel, predictions: 'a', data, targets: 'label', modelType: 'classifier' }), /either a model or a predictions column/)
    await expectNothingLogged(() => mlflow.evaluate({ data, targets: 'label', modelType: 'classifier' }), /Give a model/)
  })

  it('an unknown model type and a bad evaluator config are refused', async () => {
    await expectNothingLogged(() => mlflow.evaluate({ model: labelsModel, data, targets: 'label', modelType: 'ranker' as 'classifier' }), /model_type/)
    await expectNothingLogged(() => mlflow.evaluate({ model: labelsModel, data, targets: 'label', modelType: 'classifier', evaluatorConfig: { average: 'mean' as 'macro' } }), /average/)
  })

  it('a single class in the data is an error (MLflow\'s), unless label_list names both classes', async () => {
    const oneClass = { a: [1, 2, 3], label: [1, 1, 1] }
    await expectNothingLogged(() => mlflow.evaluate({ model: () => [1, 1, 1], data: oneClass, targets: 'label', modelType: 'classifier' }), /at least two unique labels/)
    const result = await mlflow.evaluate({ model: () => [1, 1, 1], data: oneClass, targets: 'label', modelType: 'classifier', evaluatorConfig: { labelList: [0, 1] } })
    expect(result.metrics).toMatchObject({ accuracy_score: 1, true_positives: 3, true_negatives: 0, example_count: 3 })
  })

  it('an unknown runId fails with RESOURCE_DOES_NOT_EXIST and creates nothing', async () => {
    await expect(mlflow.evaluate({ model: labelsModel, data, targets: 'label', modelType: 'classifier', runId: 'f'.repeat(32) }))
      .rejects.toMatchObject({ errorCode: 'RESOURCE_DOES_NOT_EXIST' })
    expect(await allRuns(client)).toEqual([])
  })
})

describe('edge cases that evaluate', () => {
  it('constant predictions: a classifier gets zero precision with a warning, a regressor finite errors', async () => {
    const cls = await mlflow.evaluate({ model: () => [0, 0, 0, 0], data, targets: 'label', modelType: 'classifier' })
    expect(cls.metrics).toMatchObject({ accuracy_score: 0.5, precision_score: 0, recall_score: 0, true_positives: 0 })
    expect(cls.warnings.join('\n')).toMatch(/Precision is ill-defined/)
    const reg = await mlflow.evaluate({ model: () => new Float32Array(4).fill(2), data, targets: 'a', modelType: 'regressor' })
    expect(reg.metrics).toMatchObject({ mean_absolute_error: 1, max_error: 2, example_count: 4, sum_on_target: 10 })
  })

  it('a failure with no active run leaves no run behind; a success creates one run and ends it', async () => {
    await expect(mlflow.evaluate({ model: () => [0, 1], data, targets: 'label', modelType: 'classifier' })).rejects.toMatchObject({ errorCode: 'INVALID_PARAMETER_VALUE' })
    expect(await allRuns(client)).toEqual([])
    const result = await mlflow.evaluate({ model: labelsModel, data, targets: 'label', modelType: 'classifier' })
    const runs = await allRuns(client)
    expect(runs.map((r) => [r.info.runId, r.info.status])).toEqual([[result.runId, 'FINISHED']])
    expect(await mlflow.activeRun()).toBeNull()
  })
})
