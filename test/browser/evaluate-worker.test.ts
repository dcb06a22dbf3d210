// mlflow.evaluate in Chromium: 100k rows evaluated in a real Web Worker with progress, PNGs drawn on
// OffscreenCanvas that the browser decodes, cancel, and errors that keep their code across the worker.
import { afterEach, describe, expect, it } from 'vitest'
import { EvaluateBridge, MlflowClient, mlflow } from '../../src/index.ts'
import type { EvaluationProgress } from '../../src/index.ts'
import { createEvaluateWorker } from '../../workers/create-evaluate-worker.ts'
import { freshTrackingUri } from '../helpers.ts'

const bridges: EvaluateBridge[] = []
afterEach(() => { for (const bridge of bridges.splice(0)) bridge.terminate() })

function newBridge(): EvaluateBridge {
  const bridge = new EvaluateBridge({ createWorker: createEvaluateWorker })
  bridges.push(bridge)
  return bridge
}

function freshClient(): MlflowClient {
  const uri = freshTrackingUri('evaluate-browser')
  mlflow.setTrackingUri(uri)
  return new MlflowClient(uri)
}

/** n rows of a 10-class problem as CSV text: the prediction is right for 3 rows in 4. */
function tenClassCsv(n: number): { csv: string; correct: number } {
  const lines = ['x,label,prediction']
  let correct = 0
  for (let i = 0; i < n; i++) {
    const label = (i * 7) % 10
    const prediction = i % 4 === 0 ? (label + 1) % 10 : label
    if (prediction === label) correct++
    lines.push(`${(i % 997) / 997},${label},${prediction}`)
  }
  return { csv: lines.join('\n'), correct }
}

async function decodes(client: MlflowClient, runId: string, path: string): Promise<{ width: number; height: number }> {
  const bitmap = await createImageBitmap(await client.readArtifact(runId, path))
  const size = { width: bitmap.width, height: bitmap.height }
  bitmap.close()
  return size
}

describe('evaluate in a worker', () => {
  it('evaluates 100,000 CSV rows off the main thread with progress, and logs into the active run here', async () => {
    const client = freshClient()
    const { csv, correct } = tenClassCsv(100_000)
    const events: EvaluationProgress[] = []
    const run = await mlflow.startRun({ runName: 'big' })
    const result = await newBridge().evaluate(
      { data: new File([csv], 'eval.csv', { type: 'text/csv' }), targets: 'label', predictions: 'prediction', modelType: 'classifier' },
      { onProgress: (event) => { events.push(event) } },
    )
    await mlflow.endRun()
    expect(result.runId).toBe(run.info.runId)
    expect(result.metrics.example_count).toBe(100_000)
    expect(result.metrics.accuracy_score).toBe(correct / 100_000)
    expect(result.pngRenderer).toBe('canvas')
    const stages = [...new Set(events.map((event) => event.stage))]
    expect(stages).toEqual(['data', 'predict', 'metrics', 'plots', 'log', 'done'])
    const fractions = events.map((event) => event.fraction)
    expect(fractions).toEqual([...fractions].sort((a, b) => a - b))
    expect((await client.getRun(run.info.runId)).data.metrics).toEqual(result.metrics)
    expect(await decodes(client, run.info.runId, 'confusion_matrix.png')).toEqual({ width: 640, height: 480 })
    const table = await client.readArtifactJson<{ columns: string[]; data: unknown[][] }>(run.info.runId, 'eval_results_table.json')
    expect(table.data).toHaveLength(100_000)
  })

  it('draws every figure of a binary model evaluation as a PNG the browser decodes', async () => {
    const client = freshClient()
    const n = 2000
    const label = Array.from({ length: n }, (_, i) => (i % 3 === 0 ? 1 : 0))
    const score = label.map((y, i) => Math.min(1, Math.max(0, 0.3 + 0.4 * y + 0.3 * Math.sin(i))))
    const result = await mlflow.evaluate({ model: () => score, data: { i: label.map((_, k) => k), label }, targets: 'label', modelType: 'classifier' })
    const figures = Object.keys(result.plotlyArtifacts).sort()
    expect(figures).toEqual(['calibration_curve_plot', 'confusion_matrix', 'lift_curve_plot', 'precision_recall_curve_plot', 'roc_curve_plot'])
    for (const name of figures) {
      const blob = await client.readArtifact(result.runId, `${name}.png`)
      expect(blob.size, name).toBeGreaterThan(2000)
      expect(await decodes(client, result.runId, `${name}.png`)).toEqual({ width: 640, height: 480 })
    }
  })

  it('keeps INVALID_PARAMETER_VALUE across the worker and logs nothing', async () => {
    const client = freshClient()
    const bridge = newBridge()
    await expect(bridge.evaluate({ data: 'a,label\n1,0\n2,1\n', targets: 'missing', predictions: 'a', modelType: 'classifier' }))
      .rejects.toMatchObject({ errorCode: 'INVALID_PARAMETER_VALUE', message: expect.stringContaining("no 'missing' column") })
    expect((await client.searchRuns({ experimentIds: ['0'] })).runs).toEqual([])
  })

  it('refuses a function model before starting a worker', async () => {
    const bridge = newBridge()
    await expect(bridge.evaluate({ model: (() => [1]) as unknown as string, data: { a: [1] }, targets: 'a', modelType: 'regressor' }))
      .rejects.toMatchObject({ errorCode: 'INVALID_PARAMETER_VALUE', message: expect.stringContaining('model URI') })
    expect(bridge.hasWorker).toBe(false)
  })

  it('cancels through an AbortSignal with CANCELLED, logging nothing', async () => {
    const client = freshClient()
    const controller = new AbortController()
    const { csv } = tenClassCsv(100_000)
    const call = newBridge().evaluate({ data: csv, targets: 'label', predictions: 'prediction', modelType: 'classifier' }, {
      signal: controller.signal, onProgress: (event) => { if (event.stage === 'predict') controller.abort() },
    })
    await expect(call).rejects.toMatchObject({ errorCode: 'CANCELLED' })
    expect((await client.searchRuns({ experimentIds: ['0'] })).runs).toEqual([])
  })
})
