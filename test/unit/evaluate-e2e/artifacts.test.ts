// What an evaluation leaves in the run besides metrics: PNG + plotly JSON per figure, the results table,
// the mlflow.datasets tag and the dataset input, as MLflow's evaluate records them.
import { beforeEach, describe, expect, it } from 'vitest'
import { mlflow, type MlflowClient } from '../../../src/index.ts'
import { loadCase } from '../evaluate/golden-fixtures.ts'
import { decodePng, fixtureCsv, freshStore } from './support.ts'

let client: MlflowClient
beforeEach(() => { client = freshStore() })

const wineModel = (features: Record<string, unknown>) => {
  const cols = ['proba_0', 'proba_1', 'proba_2'].map((name) => features[name] as Float64Array)
  return { data: Float64Array.from({ length: cols[0]!.length * 3 }, (_, j) => cols[j % 3]![Math.floor(j / 3)]!), rows: cols[0]!.length, cols: 3 }
}

describe('artifacts of a multiclass evaluation', () => {
  it('logs each figure as a valid PNG and a plotly JSON at the artifact root, with URIs in the result', async () => {
    const result = await mlflow.evaluate({
      model: wineModel, data: fixtureCsv('wine-multiclass-logreg'), targets: 'target', modelType: 'classifier',
      featureNames: ['proba_0', 'proba_1', 'proba_2'],
    })
    const run = await client.getRun(result.runId)
    const files = (await client.listArtifacts(result.runId)).map((f) => f.path).sort()
    const figures = ['calibration_curve_plot', 'confusion_matrix', 'precision_recall_curve_plot', 'roc_curve_plot']
    expect(files).toEqual([...figures.flatMap((f) => [`${f}.json`, `${f}.png`]), 'eval_results_table.json', 'per_class_metrics.csv'].sort())
    expect(Object.keys(result.plotlyArtifacts).sort()).toEqual(figures)
    for (const name of figures) {
      expect(result.artifacts[name]).toBe(`${run.info.artifactUri}/${name}.png`)
      const png = decodePng(new Uint8Array(await (await client.readArtifact(result.runId, `${name}.png`)).arrayBuffer()))
      expect(png).toMatchObject({ width: 640, height: 480 })
      expect(png.distinctColors, `${name}.png draws more than a blank page`).toBeGreaterThan(5)
      const figure = await client.readArtifactJson<{ data: Record<string, unknown>[]; layout: Record<string, unknown> }>(result.runId, `${name}.json`)
      expect(figure.data.length).toBeGreaterThan(0)
      expect(typeof figure.layout).toBe('object')
    }
    const matrix = await client.readArtifactJson<{ data: { type: string; z: number[][] }[] }>(result.runId, 'confusion_matrix.json')
    expect(matrix.data[0]!.type).toBe('heatmap')
    expect(matrix.data[0]!.z).toHaveLength(3)
    expect(result.pngRenderer).toBe('raster')
    expect(result.warnings.some((w) => w.includes('OffscreenCanvas'))).toBe(true)
  })

  it('writes eval_results_table.json in log_table shape and tags it, as mlflow.log_table does', async () => {
    const c = loadCase('wine-multiclass-static-predictions')
    const result = await mlflow.evaluate({ data: fixtureCsv(c.name), targets: 'target', predictions: 'prediction', modelType: 'classifier' })
    const table = await client.readArtifactJson<{ columns: string[]; data: unknown[][] }>(result.runId, 'eval_results_table.json')
    expect(table.columns).toEqual(['target', 'prediction'])
    expect(table.data).toEqual(c.targets.map((t, i) => [t, c.predictions[i]]))
    const tags = (await client.getRun(result.runId)).data.tags
    expect(JSON.parse(tags['mlflow.loggedArtifacts']!)).toEqual([{ path: 'eval_results_table.json', type: 'table' }])
  })

  it('skips the results table when logEvalResultsTable is false', async () => {
    const result = await mlflow.evaluate({
      data: fixtureCsv('breast-cancer-binary-static-predictions'), targets: 'target', predictions: 'prediction', modelType: 'classifier', logEvalResultsTable: false,
    })
    expect(result.artifacts.eval_results_table).toBeUndefined()
    expect((await client.listArtifacts(result.runId)).map((f) => f.path).sort()).toEqual(['confusion_matrix.json', 'confusion_matrix.png'])
  })
})

describe('dataset records', () => {
  it('sets mlflow.datasets and logs a "dataset" input with schema, profile and source, like MLflow 2.17', async () => {
    await mlflow.startRun({ runName: 'eval', tags: { 'mlflow.source.name': 'notebook.ts', 'mlflow.source.type': 'LOCAL' } })
    const data = { x: [0.5, 1.5, 2.5, 3.5], target: [0, 1, 0, 1], prediction: [0, 1, 1, 1] }
    const result = await mlflow.evaluate({ data, targets: 'target', predictions: 'prediction', modelType: 'classifier' })
    const run = await client.getRun(result.runId)
    await mlflow.endRun()
    const tag = JSON.parse(run.data.tags['mlflow.datasets']!) as { name: string; hash: string; model: string | null }[]
    expect(tag).toEqual([{ name: result.dataset.hash, hash: result.dataset.hash, model: null }])
    expect(run.data.tags['mlflow.datasets']).not.toContain(' ')
    expect(result.dataset.hash).toMatch(/^[0-9a-f]{32}$/)
    expect(run.inputs.datasetInputs).toEqual([{
      dataset: {
        name: 'dataset', digest: result.dataset.hash.slice(0, 8), sourceType: 'code',
        source: '{"tags": {"mlflow.user": "' + run.data.tags['mlflow.user'] + '", "mlflow.source.name": "notebook.ts", "mlflow.source.type": "LOCAL"}}',
        schema: '{"mlflow_colspec": [{"type": "double", "name": "x", "required": true}, {"type": "long", "name": "target", "required": true}, {"type": "long", "name": "prediction", "required": true}]}',
        profile: '{"num_rows": 4, "num_elements": 12}',
      },
      tags: {},
    }])
  })

  it('appends to mlflow.datasets when the same run evaluates other data, and not twice for the same data', async () => {
    const { info } = await mlflow.startRun()
    const evaluateOn = (target: number[]) => mlflow.evaluate({ data: { target, p: [0, 1, 1] }, targets: 'target', predictions: 'p', modelType: 'classifier' })
    const first = await evaluateOn([0, 1, 0])
    await evaluateOn([0, 1, 0])
    const second = await evaluateOn([1, 1, 0])
    await mlflow.endRun()
    const tag = JSON.parse((await client.getRun(info.runId)).data.tags['mlflow.datasets']!) as { hash: string }[]
    expect(tag.map((entry) => entry.hash)).toEqual([first.dataset.hash, second.dataset.hash])
    expect(first.dataset.hash).not.toBe(second.dataset.hash)
  })
})

describe('PNG rendering without a canvas (Node)', () => {
  it('is deterministic: the same figure gives the same bytes', async () => {
    const { renderFigurePng } = await import('../../../src/evaluate/png.ts')
    const figure = { data: [{ type: 'scatter', mode: 'lines', x: [0, 0.5, 1], y: [0, 0.8, 1], name: 'AUC=0.900' }], layout: { title: { text: 'ROC curve' } } }
    const bytes = async () => new Uint8Array(await (await renderFigurePng(figure)).arrayBuffer())
    const [first, second] = [await bytes(), await bytes()]
    expect(first).toEqual(second)
    expect(decodePng(first).distinctColors).toBeGreaterThan(3)
  })
})
