// E2E: the Models page. A real tfjs model (logged in Node, copied file by file into the app's store under the
// same run id) is registered from the run page's MLmodel, aliased @champion, moved to Production, called
// through the service worker's /invocations ("Try it"), exported as a web bundle, and compared with v2.
import 'fake-indexeddb/auto'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import * as tf from '@tensorflow/tfjs'
import { unzipSync } from 'fflate'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { MlflowClient, mlflow } from '../../src/index.ts'
import { freshTrackingUri } from '../helpers.ts'
import { IRIS_ROWS, irisTensorModel } from '../unit/serving/tiny-models.ts'
import { cspViolations, goTo, openApp, screenshot } from './app-page.ts'
import { launchChromium } from './harness.ts'

interface LoggedModel { runId: string; files: { path: string; base64: string }[]; expected: number[][] }

let browser: Browser
let directory: string
let logged: LoggedModel

/** Logs the iris model with an input example in a Node store and returns its files (MLmodel, model.json, weights, examples). */
async function logModelInNode(): Promise<LoggedModel> {
  await tf.setBackend('cpu')
  const trackingUri = freshTrackingUri('models-e2e')
  mlflow.setTrackingUri(trackingUri)
  const client = new MlflowClient(trackingUri)
  const run = await client.createRun('0')
  const model = irisTensorModel(tf)
  const expected = (model.predict(tf.tensor2d(IRIS_ROWS)) as tf.Tensor).arraySync() as number[][]
  await mlflow.tfjs.logModel(model, 'model', { runId: run.info.runId, inputExample: IRIS_ROWS })
  const files: LoggedModel['files'] = []
  for (const entry of await client.listArtifacts(run.info.runId, 'model')) {
    const bytes = new Uint8Array(await (await client.readArtifact(run.info.runId, entry.path)).arrayBuffer())
    files.push({ path: entry.path, base64: Buffer.from(bytes).toString('base64') })
  }
  return { runId: run.info.runId, files, expected }
}

/** The same run (same id) in the page's store: the model files, and metrics the versions table shows. */
function seedModelRun(page: Page, model: LoggedModel): Promise<void> {
  return page.evaluate(async ({ runId, files }) => {
    const client = new (window as any).lablog.MlflowClient()
    const experimentId = await client.createExperiment('Models test')
    await client.createRun(experimentId, { runId, runName: 'iris-train' })
    const now = Date.now()
    await client.logBatch(runId, { metrics: [{ key: 'accuracy', value: 0.93, timestamp: now, step: 0 }, { key: 'loss', value: 0.21, timestamp: now, step: 0 }] })
    for (const file of files) {
      const bytes = Uint8Array.from(atob(file.base64), char => char.charCodeAt(0))
      const slash = file.path.lastIndexOf('/')
      await client.logArtifact(runId, new Blob([bytes]), file.path.slice(0, slash), file.path.slice(slash + 1))
    }
    await client.setTerminated(runId, 'FINISHED')
  }, model)
}

/** Closes the toasts so screenshots show the page, not the notifications. */
const dismissToasts = async (page: Page) => { for (const button of await page.locator('.toast .icon-button').all()) await button.click({ timeout: 1000 }).catch(() => {}) }

beforeAll(async () => {
  logged = await logModelInNode()
  browser = await launchChromium()
  directory = mkdtempSync(join(tmpdir(), 'lablog-models-'))
}, 120_000)
afterAll(async () => { await browser?.close(); rmSync(directory, { recursive: true, force: true }) })

describe('the Models page', () => {
  test('register from the run page, alias @champion, stage, Try it through the service worker, export a web bundle, compare', async () => {
    const app = await openApp(browser, '#/models')
    const { page } = app
    // "Try it" calls the service worker, which controls the page once it has activated (clientsClaim).
    await page.waitForFunction(() => navigator.serviceWorker?.controller !== null, undefined, { timeout: 30_000 })
    await expect.poll(() => page.locator('main').textContent()).toContain('No registered models yet')
    await seedModelRun(page, logged)

    // Register version 1 from the run's MLmodel in the artifact viewer.
    await goTo(page, `#/runs/${logged.runId}/artifacts?path=${encodeURIComponent('model/MLmodel')}`)
    await page.getByRole('button', { name: 'Register model' }).click()
    await page.getByLabel('Registered model name (new or existing)').fill('iris')
    await page.getByRole('dialog').getByRole('button', { name: 'Register', exact: true }).click()
    await expect.poll(() => page.locator('#model-title').textContent()).toBe('iris')

    // Version 2 from the Models page's dialog (run picked, its model directory found).
    await page.getByRole('button', { name: 'Register new version' }).click()
    const dialog = page.getByRole('dialog')
    await dialog.getByLabel('Run', { exact: true }).selectOption(logged.runId)
    await expect.poll(() => dialog.getByLabel("Model directory in the run's artifacts").inputValue()).toBe('model')
    await dialog.getByRole('button', { name: 'Register', exact: true }).click()
    await expect.poll(() => page.locator('.versions-table tbody tr').count()).toBe(2)
    expect(await page.getByLabel('Metrics of the source run of version 1').textContent()).toContain('accuracy 0.93')

    await page.getByLabel('New alias for version 1').fill('champion')
    await page.locator('tr[data-version="1"]').getByRole('button', { name: 'Set' }).click()
    await expect.poll(() => page.locator('tr[data-version="1"] .alias-chip').textContent()).toContain('@champion')
    await page.getByLabel('Stage of version 1').selectOption('Production')
    await expect.poll(async () => (await page.evaluate(() => new (window as any).lablog.MlflowClient().getModelVersion('iris', '1'))).currentStage).toBe('Production')

    // Try it: @champion, body prefilled from the input example.
    await expect.poll(() => page.getByLabel('Version or alias to call').inputValue()).toBe('@champion')
    await expect.poll(() => page.getByLabel('Request body').inputValue()).toContain('5.1')
    await page.getByRole('button', { name: 'Predict' }).click()
    await expect.poll(() => page.locator('.try-answer h3').textContent(), { timeout: 30_000 }).toBe('Answer — HTTP 200')
    const answer = JSON.parse((await page.getByLabel('Answer').textContent())!) as { predictions: number[][] }
    answer.predictions.flat().forEach((value, index) => expect(value).toBeCloseTo(logged.expected.flat()[index]!, 5))
    expect(await page.getByLabel('fetch example').textContent()).toContain('/serve/iris/@champion/invocations')
    expect(await page.getByLabel('curl example').textContent()).toContain('curl -X POST')
    await dismissToasts(page)
    await screenshot(page, 'models-page')

    // Export as web bundle: a zip with the model, tfjs and the page.
    const [download] = await Promise.all([page.waitForEvent('download', { timeout: 60_000 }), page.getByRole('button', { name: 'Export as web bundle' }).click()])
    expect(download.suggestedFilename()).toBe('iris-champion-web-bundle.zip')
    const zipPath = join(directory, 'bundle.zip')
    await download.saveAs(zipPath)
    const files = unzipSync(new Uint8Array(readFileSync(zipPath)))
    expect(Object.keys(files)).toEqual(expect.arrayContaining(['index.html', 'bundle.json', 'model/MLmodel', 'model/model.json', 'tf.es2017.min.js']))
    expect(JSON.parse(new TextDecoder().decode(files['bundle.json']))).toMatchObject({ name: 'iris', version: '1', modelUri: 'models:/iris@champion' })

    // Compare v2 with v1 on iris: both evaluated in the worker, metrics side by side.
    await page.getByRole('button', { name: 'Evaluate both' }).click()
    await expect.poll(() => page.getByRole('table', { name: 'Version metrics' }).count(), { timeout: 90_000 }).toBe(1)
    expect(await page.getByRole('table', { name: 'Version metrics' }).textContent()).toContain('accuracy_score')
    await dismissToasts(page)
    await page.getByRole('table', { name: 'Version metrics' }).scrollIntoViewIfNeeded()
    await screenshot(page, 'models-compare')

    await goTo(page, '#/models')
    await expect.poll(() => page.getByRole('table', { name: 'Registered models' }).textContent()).toContain('@champion → v1')
    await dismissToasts(page)
    await screenshot(page, 'models-list')
    expect(await cspViolations(page)).toEqual([])
    expect(app.errors).toEqual([])
    await app.context.close()
  }, 180_000)
})
