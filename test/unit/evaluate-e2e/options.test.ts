// The forms of data evaluate reads, metric_prefix, extra metrics, string labels and label_list column order.
import { beforeEach, describe, expect, it } from 'vitest'
import { mlflow, type MlflowClient } from '../../../src/index.ts'
import { freshStore } from './support.ts'

let client: MlflowClient
beforeEach(() => { client = freshStore() })

const csv = 'x,label,pred\n0.1,0,0\n0.7,1,1\n0.4,0,1\n0.9,1,1\n0.2,0,0\n'
const expected = { accuracy_score: 0.8, true_positives: 2, false_positives: 1, true_negatives: 2, false_negatives: 0, example_count: 5 }

describe('data forms', () => {
  it('reads the same data from CSV text, a Blob, a File, rows and columns (Float32Array too)', async () => {
    const rows = [{ x: 0.1, label: 0, pred: 0 }, { x: 0.7, label: 1, pred: 1 }, { x: 0.4, label: 0, pred: 1 }, { x: 0.9, label: 1, pred: 1 }, { x: 0.2, label: 0, pred: 0 }]
    const columns = { x: new Float32Array([0.1, 0.7, 0.4, 0.9, 0.2]), label: [0, 1, 0, 1, 0], pred: new Int32Array([0, 1, 1, 1, 0]) }
    const forms = [csv, new Blob([csv], { type: 'text/csv' }), new File([csv], 'eval.csv'), rows, columns]
    for (const data of forms) {
      const result = await mlflow.evaluate({ data, targets: 'label', predictions: 'pred', modelType: 'classifier' })
      expect(result.metrics).toMatchObject(expected)
    }
  })

  it('a function model gets numeric columns as Float64Array and text columns as strings, without the targets', async () => {
    let seen: Record<string, unknown> = {}
    await mlflow.evaluate({
      model: (features, info) => { seen = { ...features, columns: info.columns, matrix: info.columns.length === 1 ? Array.from(info.matrix()) : null }; return [0, 1, 0, 1] },
      data: 'x,color,label\n1,red,0\n2,blue,1\n3,red,0\n4,blue,1\n', targets: 'label', modelType: 'classifier', featureNames: ['x'],
    })
    expect(seen).toEqual({ x: new Float64Array([1, 2, 3, 4]), columns: ['x'], matrix: [1, 2, 3, 4] })
  })
})

describe('evaluator config and extra metrics', () => {
  it('metricPrefix prefixes metric names and PNG/JSON names but not per_class_metrics.csv', async () => {
    const data = { label: [0, 1, 2, 0, 1, 2], pred: [0, 1, 2, 0, 2, 2] }
    const result = await mlflow.evaluate({ data, targets: 'label', predictions: 'pred', modelType: 'classifier', evaluatorConfig: { metricPrefix: 'val_' } })
    expect(Object.keys(result.metrics).sort()).toEqual(['val_accuracy_score', 'val_example_count', 'val_f1_score', 'val_precision_score', 'val_recall_score'])
    const files = (await client.listArtifacts(result.runId)).map((f) => f.path).sort()
    expect(files).toEqual(['per_class_metrics.csv', 'val_confusion_matrix.json', 'val_confusion_matrix.png', 'val_eval_results_table.json'])
    expect((await client.getRun(result.runId)).data.metrics).toEqual(result.metrics)
  })

  it('extra metrics are computed from predictions, targets and the built-ins, and logged with the prefix', async () => {
    const result = await mlflow.evaluate({
      data: { y: [1, 2, 3, 4], p: [1.5, 2, 2.5, 5] }, targets: 'y', predictions: 'p', modelType: 'regressor', evaluatorConfig: { metric_prefix: 't_' },
      extraMetrics: [
        { name: 'over_predictions', greaterIsBetter: false, fn: (preds, targets) => preds.filter((p, i) => (p as number) > (targets[i] as number)).length },
        { name: 'mae_x2', greaterIsBetter: false, fn: (_p, _t, metrics) => 2 * metrics.mean_absolute_error! },
      ],
    })
    expect(result.metrics.t_over_predictions).toBe(2)
    expect(result.metrics.t_mae_x2).toBe(1)
    expect((await client.getRun(result.runId)).data.metrics.t_mae_x2).toBe(1)
  })

  it('string labels, and probability columns in label_list order (not sorted) are read right', async () => {
    const labelList = ['dog', 'cat', 'bird']
    // One probability row per example, columns dog, cat, bird.
    const probs = [[0.8, 0.1, 0.1], [0.1, 0.7, 0.2], [0.2, 0.2, 0.6], [0.6, 0.3, 0.1], [0.3, 0.4, 0.3], [0.1, 0.1, 0.8]]
    const result = await mlflow.evaluate({
      model: () => probs, data: { n: [1, 2, 3, 4, 5, 6], animal: ['dog', 'cat', 'bird', 'dog', 'bird', 'bird'] },
      targets: 'animal', modelType: 'classifier', evaluatorConfig: { labelList },
    })
    expect(result.metrics.accuracy_score).toBeCloseTo(5 / 6, 12)
    const table = await client.readArtifactJson<{ columns: string[]; data: unknown[][] }>(result.runId, 'eval_results_table.json')
    expect(table.data.map((row) => row[2])).toEqual(['dog', 'cat', 'bird', 'dog', 'cat', 'bird'])
    expect(result.metrics.roc_auc).toBeGreaterThan(0.9)
  })

  it('logs into the given runId without touching the active run', async () => {
    const target = await client.createRun('0', { runName: 'target' })
    const active = await mlflow.startRun({ runName: 'active' })
    const result = await mlflow.evaluate({ runId: target.info.runId, data: csv, targets: 'label', predictions: 'pred', modelType: 'classifier' })
    await mlflow.endRun()
    expect(result.runId).toBe(target.info.runId)
    expect((await client.getRun(target.info.runId)).data.metrics.accuracy_score).toBe(0.8)
    expect((await client.getRun(active.info.runId)).data.metrics).toEqual({})
  })

  it('reports progress through its stages up to done', async () => {
    const stages: string[] = []
    await mlflow.evaluate({ data: csv, targets: 'label', predictions: 'pred', modelType: 'classifier', onProgress: (p) => { stages.push(p.stage) } })
    expect([...new Set(stages)]).toEqual(['data', 'predict', 'metrics', 'plots', 'log', 'done'])
  })

  it('an aborted signal cancels with CANCELLED and logs nothing', async () => {
    const controller = new AbortController()
    const run = await mlflow.startRun()
    const call = mlflow.evaluate({
      model: () => { controller.abort(); return [0, 1, 1, 1, 0] }, data: csv, targets: 'label', modelType: 'classifier', signal: controller.signal,
    })
    await expect(call).rejects.toMatchObject({ errorCode: 'CANCELLED' })
    await mlflow.endRun()
    expect((await client.getRun(run.info.runId)).data.metrics).toEqual({})
  })
})
