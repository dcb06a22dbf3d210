/**
 * The serving harness page: registers the app's real service worker (src/sw.ts, built as the app
 * builds it), logs and registers tiny models, and times direct predictions for the benchmark.
 */
import * as tf from '@tensorflow/tfjs'
import { MlflowClient, mlflow } from '../../../../src/index.ts'
import { IRIS_COLUMN_SIGNATURE, IRIS_ROWS, irisTensorModel, twoInputModel } from '../../../unit/serving/tiny-models.ts'

/** What the page offers the test (through page.evaluate). */
export interface ServingHarness {
  /** Registers /sw.js and resolves once it controls this page. */
  registerWorker(): Promise<void>
  /** Logs and registers the tiny models; returns their predictions for IRIS_ROWS and the two-input sample. */
  seed(): Promise<{ iris: number[][]; irisV2: number[][]; twoInputs: number[][] }>
  /** Points an alias of a registered model at a version (from the page, so the worker learns of it by broadcast). */
  setAlias(name: string, alias: string, version: string): Promise<void>
  /** POSTs a body to a serving path through the service worker; returns status and parsed body. */
  post(path: string, body: unknown): Promise<{ status: number; body: unknown }>
  /** Milliseconds per call of `predict` + `array()` on the page's own copy of model `iris` v1, for `rows` rows. */
  timeDirect(rows: number[][], repeats: number): Promise<number[]>
  /** Milliseconds per serving request for `rows` rows through the service worker. */
  timeServed(rows: number[][], repeats: number): Promise<number[]>
  /** The median of each Server-Timing phase the worker reports, over `repeats` requests. */
  servedPhases(rows: number[][], repeats: number): Promise<Record<string, number>>
}

const client = () => new MlflowClient('indexeddb://lablog')

const harness: ServingHarness = {
  async registerWorker() {
    await navigator.serviceWorker.register('/sw.js')
    await navigator.serviceWorker.ready
    if (!navigator.serviceWorker.controller) {
      await new Promise(resolve => navigator.serviceWorker.addEventListener('controllerchange', resolve, { once: true }))
    }
  },
  async seed() {
    // cpu on both sides: the page's answers and the service worker's must be comparable bit for bit.
    await tf.setBackend('cpu')
    const run = await client().createRun('0')
    const runId = run.info.runId
    const iris = irisTensorModel(tf)
    await mlflow.tfjs.logModel(iris, 'tensor', { runId, registeredModelName: 'iris', inputExample: IRIS_ROWS })
    await mlflow.tfjs.logModel(iris, 'columns', { runId, registeredModelName: 'iris-columns', signature: IRIS_COLUMN_SIGNATURE })
    // Version 2 of 'iris' has other weights, so a moved alias shows in the answers.
    const irisV2 = irisTensorModel(tf)
    irisV2.setWeights(irisV2.getWeights().map(weight => tf.mul(weight, 2)))
    await mlflow.tfjs.logModel(irisV2, 'tensor-v2', { runId, registeredModelName: 'iris' })
    const two = twoInputModel(tf)
    await mlflow.tfjs.logModel(two, 'two', { runId, registeredModelName: 'two-inputs' })
    await client().setRegisteredModelAlias('iris', 'champion', '1')
    return {
      iris: (iris.predict(tf.tensor2d(IRIS_ROWS)) as tf.Tensor).arraySync() as number[][],
      irisV2: (irisV2.predict(tf.tensor2d(IRIS_ROWS)) as tf.Tensor).arraySync() as number[][],
      twoInputs: (two.predict([tf.tensor2d([[1, 2]]), tf.tensor2d([[3, 4, 5]])]) as tf.Tensor).arraySync() as number[][],
    }
  },
  async setAlias(name, alias, version) {
    await client().setRegisteredModelAlias(name, alias, version)
  },
  async post(path, body) {
    const response = await fetch(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
    const text = await response.text()
    let parsed: unknown = text
    try { parsed = JSON.parse(text) } catch { /* a non-JSON answer is returned as text */ }
    return { status: response.status, body: parsed }
  },
  async timeDirect(rows, repeats) {
    await tf.setBackend('cpu')
    const model = await mlflow.tfjs.loadModel('models:/iris/1')
    const times: number[] = []
    for (let index = 0; index < repeats; index++) {
      const started = performance.now()
      const output = await mlflow.tfjs.predict(model, rows) as tf.Tensor
      await output.array()
      output.dispose()
      times.push(performance.now() - started)
    }
    model.dispose()
    return times
  },
  async timeServed(rows, repeats) {
    const body = JSON.stringify({ inputs: rows })
    const times: number[] = []
    for (let index = 0; index < repeats; index++) {
      const started = performance.now()
      const response = await fetch('/serve/iris/1/invocations', { method: 'POST', headers: { 'content-type': 'application/json' }, body })
      await response.json()
      times.push(performance.now() - started)
    }
    return times
  },
  async servedPhases(rows, repeats) {
    const body = JSON.stringify({ inputs: rows })
    const phases: Record<string, number[]> = {}
    for (let index = 0; index < repeats; index++) {
      const response = await fetch('/serve/iris/1/invocations', { method: 'POST', headers: { 'content-type': 'application/json' }, body })
      await response.json()
      for (const entry of (response.headers.get('server-timing') ?? '').split(',')) {
        const [name, duration] = entry.trim().split(';dur=')
        if (name && duration) (phases[name] ??= []).push(Number(duration))
      }
    }
    const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!
    return Object.fromEntries(Object.entries(phases).map(([name, values]) => [name, median(values)]))
  },
}

Object.assign(window, { servingHarness: harness })
