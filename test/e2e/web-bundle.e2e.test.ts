// An exported web bundle, unzipped and served by a plain static file server, predicts in Chromium
// exactly what the tracked model predicts. Runs without the app: the model is logged here, in Node.
import 'fake-indexeddb/auto'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import * as tf from '@tensorflow/tfjs'
import { unzipSync } from 'fflate'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { MlflowClient, exportWebBundle, mlflow } from '../../src/index.ts'
import { freshTrackingUri } from '../helpers.ts'
import { IRIS_COLUMN_SIGNATURE, IRIS_COLUMNS, IRIS_ROWS, irisTensorModel } from '../unit/serving/tiny-models.ts'
import { launchChromium } from './harness.ts'
import { type StaticServer, serveDirectory } from './serving/static-server.ts'

let browser: Browser
const servers: StaticServer[] = []
const directories: string[] = []
let trackingUri: string
let expected: number[][]

/** Exports `uri`, unzips it into a fresh directory, serves it, and opens its page once the model is loaded. */
async function openBundle(uri: string): Promise<{ page: Page; errors: string[] }> {
  const files = unzipSync(new Uint8Array(await (await exportWebBundle(uri, { trackingUri })).arrayBuffer()))
  const directory = mkdtempSync(join(tmpdir(), 'lablog-bundle-'))
  directories.push(directory)
  for (const [path, bytes] of Object.entries(files)) {
    mkdirSync(dirname(join(directory, path)), { recursive: true })
    writeFileSync(join(directory, path), bytes)
  }
  const server = await serveDirectory(directory)
  servers.push(server)
  const page = await browser.newPage()
  const errors: string[] = []
  page.on('pageerror', error => errors.push(error.message))
  await page.goto(`${server.url}/`)
  await page.waitForFunction(() => (document.getElementById('status')?.textContent ?? '') !== 'Loading the model…')
  return { page, errors }
}

const bundlePredict = (page: Page, input: unknown) =>
  page.evaluate(value => (window as unknown as { lablogBundle: { predict(input: unknown): Promise<unknown> } }).lablogBundle.predict(value), input)

beforeAll(async () => {
  await tf.setBackend('cpu')
  trackingUri = freshTrackingUri('web-bundle')
  mlflow.setTrackingUri(trackingUri)
  const client = new MlflowClient(trackingUri)
  const run = await client.createRun('0')
  const model = irisTensorModel(tf)
  expected = (model.predict(tf.tensor2d(IRIS_ROWS)) as tf.Tensor).arraySync() as number[][]
  await mlflow.tfjs.logModel(model, 'model', { runId: run.info.runId, registeredModelName: 'iris', inputExample: IRIS_ROWS })
  await mlflow.tfjs.logModel(model, 'columns', { runId: run.info.runId, registeredModelName: 'iris-columns', signature: IRIS_COLUMN_SIGNATURE })
  await client.setRegisteredModelAlias('iris', 'champion', '1')
  browser = await launchChromium()
})

afterAll(async () => {
  await browser?.close()
  for (const server of servers) await server.stop()
  for (const directory of directories) rmSync(directory, { recursive: true, force: true })
})

describe('an exported web bundle', () => {
  it('predicts the tracked model\'s values exactly, from the Predict button and from script', async () => {
    const { page, errors } = await openBundle('models:/iris@champion')
    expect(await page.textContent('#status')).toBe('Ready.')
    expect(await page.textContent('#title')).toBe('iris v1')
    // The input example is prefilled: pressing Predict scores it.
    await page.click('#predict')
    await page.waitForFunction(() => document.getElementById('status')?.textContent === 'Done.')
    expect(JSON.parse((await page.textContent('#output'))!)).toEqual({ predictions: expected })
    expect(await bundlePredict(page, IRIS_ROWS)).toEqual(expected)
    expect(await bundlePredict(page, { inputs: IRIS_ROWS })).toEqual(expected)
    expect(errors).toEqual([])
    await page.close()
  })

  it('maps columns by name for a column-signature model', async () => {
    const { page } = await openBundle('models:/iris-columns/1')
    const records = IRIS_ROWS.map(row => Object.fromEntries([...IRIS_COLUMNS].reverse().map(name => [name, row[IRIS_COLUMNS.indexOf(name)]])))
    expect(await bundlePredict(page, records)).toEqual(expected)
    const split = { dataframe_split: { columns: [...IRIS_COLUMNS].reverse(), data: IRIS_ROWS.map(row => [...row].reverse()) } }
    expect(await bundlePredict(page, split)).toEqual(expected)
    // A bad input shows as text in the status line, never as markup.
    await page.fill('#input', '[{"sepal_length": 1}]')
    await page.click('#predict')
    await page.waitForFunction(() => document.getElementById('status')?.className === 'error')
    expect(await page.textContent('#status')).toContain('Prediction failed: Row 0 is missing column "sepal_width".')
    await page.close()
  })
})
