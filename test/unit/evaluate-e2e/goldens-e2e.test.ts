// mlflow.evaluate end to end on MLflow 2.17.2's goldens: CSV in, logged run out, metrics equal to MLflow's.
import { beforeEach, describe, expect, it } from 'vitest'
import { mlflow, type MlflowClient, type ModelFunction } from '../../../src/index.ts'
import { CASES, goldenNumber, loadCase } from '../evaluate/golden-fixtures.ts'
import { fixtureCsv, freshStore } from './support.ts'

let client: MlflowClient
beforeEach(() => { client = freshStore() })

/** A "model" that answers with the probabilities (or values) MLflow's sklearn model gave for each row. */
const probabilityColumns = (columns: string[]): ModelFunction => (features) => {
  const cols = columns.map((name) => features[name] as Float64Array)
  return Array.from({ length: cols[0]!.length }, (_, i) => cols.map((col) => col[i]!))
}

const expectGolden = (metrics: Record<string, number>, golden: Record<string, number | string>) => {
  const want = Object.fromEntries(Object.entries(golden).filter(([key]) => key !== 'score'))
  expect(Object.keys(metrics).sort()).toEqual(Object.keys(want).sort())
  for (const [key, value] of Object.entries(want)) expect(Math.abs(metrics[key]! - goldenNumber(value)), key).toBeLessThanOrEqual(1e-6)
}

describe.each(CASES.filter((name) => name.includes('static')))('%s: precomputed predictions column', (name) => {
  it("logs MLflow's label metrics at step 0 and its artifacts", async () => {
    const c = loadCase(name)
    const result = await mlflow.evaluate({ data: fixtureCsv(name), targets: 'target', predictions: 'prediction', modelType: 'classifier' })
    expectGolden(result.metrics, c.golden.metrics)
    for (const key of Object.keys(c.golden.artifacts)) expect(result.artifacts[key], key).toBeDefined()
    const run = await client.getRun(result.runId)
    expect(run.info.status).toBe('FINISHED')
    expect(run.data.metrics).toEqual(result.metrics)
    const history = await client.getMetricHistory(result.runId, 'accuracy_score')
    expect(history).toEqual([expect.objectContaining({ step: 0, value: result.metrics.accuracy_score })])
    if (c.perClassCsv) expect(await client.readArtifactText(result.runId, 'per_class_metrics.csv')).toBe(c.perClassCsv)
  })
})

describe('model cases: a function model giving the logged sklearn model\'s probabilities', () => {
  it.each(['breast-cancer-binary-logreg', 'wine-multiclass-logreg'])('%s: every metric as MLflow, predictions = argmax', async (name) => {
    const c = loadCase(name)
    const probaColumns = c.golden.csv_columns.filter((col) => col.startsWith('proba_'))
    // The model sees the probability columns as its features; the prediction column is left out with featureNames.
    const result = await mlflow.evaluate({
      model: probabilityColumns(probaColumns), data: fixtureCsv(name), targets: 'target', modelType: 'classifier', featureNames: probaColumns,
    })
    expectGolden(result.metrics, c.golden.metrics)
    for (const key of Object.keys(c.golden.artifacts)) expect(result.artifacts[key], key).toBeDefined()
    if (c.perClassCsv) expect(await client.readArtifactText(result.runId, 'per_class_metrics.csv')).toBe(c.perClassCsv)
    const table = await client.readArtifactJson<{ columns: string[]; data: number[][] }>(result.runId, 'eval_results_table.json')
    expect(table.columns).toEqual([...probaColumns, 'target', 'outputs'])
    expect(table.data.map((row) => row.at(-1))).toEqual(c.predictions)
  })

  it('diabetes-regression-linreg: a function returning values gives the regressor metrics', async () => {
    const c = loadCase('diabetes-regression-linreg')
    const result = await mlflow.evaluate({
      model: (features) => features.prediction as Float64Array, data: fixtureCsv(c.name), targets: 'target', modelType: 'regressor',
    })
    expectGolden(result.metrics, c.golden.metrics)
    expect(Object.values(result.metrics).every(Number.isFinite)).toBe(true)
  })

  it('binary: a 1-D positive-class probability gives the same metrics as the two columns', async () => {
    const c = loadCase('breast-cancer-binary-logreg')
    const result = await mlflow.evaluate({
      model: (features) => features.proba_1 as Float64Array, data: fixtureCsv(c.name), targets: 'target', modelType: 'classifier', featureNames: ['proba_1'],
    })
    expectGolden(result.metrics, c.golden.metrics)
  })
})
