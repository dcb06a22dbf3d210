// The service worker (src/sw.ts, built as the app builds it) answers MLflow's scoring protocol at
// /serve/<name>/<version | @alias>/invocations in Chromium: four request shapes, MLflow's errors, offline.
import { appendFileSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { IRIS_COLUMNS, IRIS_ROWS } from '../unit/serving/tiny-models.ts'
import { launchChromium } from './harness.ts'
import { buildServingHarness } from './serving/build-harness.ts'
import type { ServingHarness } from './serving/harness-app/main.ts'
import { type StaticServer, serveDirectory } from './serving/static-server.ts'

let directory: string
let server: StaticServer
let browser: Browser
let context: BrowserContext
let page: Page
let expected: { iris: number[][]; irisV2: number[][]; twoInputs: number[][] }

const post = (path: string, body: unknown) =>
  page.evaluate(([target, payload]) => (window as unknown as { servingHarness: ServingHarness }).servingHarness.post(target as string, payload), [path, body] as const)

const records = IRIS_ROWS.map(row => Object.fromEntries(IRIS_COLUMNS.map((name, index) => [name, row[index]])))

beforeAll(async () => {
  directory = mkdtempSync(join(tmpdir(), 'lablog-serving-'))
  await buildServingHarness(directory)
  server = await serveDirectory(directory)
  browser = await launchChromium()
  context = await browser.newContext()
  page = await context.newPage()
  await page.goto(`${server.url}/`)
  await page.waitForFunction(() => 'servingHarness' in window)
  await page.evaluate(() => (window as unknown as { servingHarness: ServingHarness }).servingHarness.registerWorker())
  expected = await page.evaluate(() => (window as unknown as { servingHarness: ServingHarness }).servingHarness.seed())
}, 180_000)

afterAll(async () => {
  await browser?.close()
  await server?.stop()
  if (directory) rmSync(directory, { recursive: true, force: true })
})

describe('the service worker serving endpoint', () => {
  it('answers all four request shapes with the model\'s predictions', async () => {
    const bodies = [
      { inputs: IRIS_ROWS },
      { instances: IRIS_ROWS },
      { dataframe_split: { columns: [...IRIS_COLUMNS], data: IRIS_ROWS } },
      { dataframe_records: records },
    ]
    for (const body of bodies) {
      expect(await post('/serve/iris/1/invocations', body)).toEqual({ status: 200, body: { predictions: expected.iris } })
      expect(await post('/serve/iris-columns/1/invocations', body)).toEqual({ status: 200, body: { predictions: expected.iris } })
    }
    expect(await post('/serve/iris/@champion/invocations', { inputs: IRIS_ROWS })).toEqual({ status: 200, body: { predictions: expected.iris } })
    expect(await post('/serve/two-inputs/1/invocations', { inputs: { a: [[1, 2]], b: [[3, 4, 5]] } })).toEqual({ status: 200, body: { predictions: expected.twoInputs } })
  })

  it('answers a signature mismatch with 400 and MLflow\'s error JSON', async () => {
    expect(await post('/serve/iris/1/invocations', { inputs: [[1, 2, 3]] })).toEqual({
      status: 400,
      body: { error_code: 'INVALID_PARAMETER_VALUE', message: "Failed to enforce schema of data with schema '[Tensor('float32', (-1, 4))]'. Error: Input shape mismatch: the model expects (any, 4) but got (1, 3)." },
    })
    expect(await post('/serve/iris-columns/1/invocations', { dataframe_split: { columns: ['sepal_length'], data: [[1]] } })).toMatchObject({
      status: 400, body: { error_code: 'INVALID_PARAMETER_VALUE', message: expect.stringContaining("missing column 'sepal_width'") },
    })
    expect(await post('/serve/iris/1/invocations', { rows: IRIS_ROWS })).toMatchObject({ status: 400, body: { error_code: 'BAD_REQUEST' } })
    expect(await post('/serve/iris/7/invocations', { inputs: IRIS_ROWS })).toMatchObject({ status: 404, body: { error_code: 'RESOURCE_DOES_NOT_EXIST' } })
  })

  it('follows an alias moved from the page at once (the worker forgets its remembered answer)', async () => {
    const setAlias = (version: string) => page.evaluate(target => (window as unknown as { servingHarness: ServingHarness }).servingHarness.setAlias('iris', 'champion', target), version)
    expect((await post('/serve/iris/@champion/invocations', { inputs: IRIS_ROWS })).body).toEqual({ predictions: expected.iris })
    await setAlias('2')
    expect((await post('/serve/iris/@champion/invocations', { inputs: IRIS_ROWS })).body).toEqual({ predictions: expected.irisV2 })
    await setAlias('1')
    expect((await post('/serve/iris/@champion/invocations', { inputs: IRIS_ROWS })).body).toEqual({ predictions: expected.iris })
  })

  it('works with the network offline, after a reload served from the precache', async () => {
    await context.setOffline(true)
    try {
      await page.reload()
      await page.waitForFunction(() => 'servingHarness' in window)
      expect(await page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true)
      expect(await post('/serve/iris/@champion/invocations', { dataframe_records: records })).toEqual({ status: 200, body: { predictions: expected.iris } })
      const info = await page.evaluate(() => fetch('/serve/iris/1/').then(response => response.json()))
      expect(info).toMatchObject({ name: 'iris', version: '1', signature: { inputs: [{ type: 'tensor' }] } })
    } finally {
      await context.setOffline(false)
    }
  })
})

describe('updates of the service worker', () => {
  it('a new worker waits until the update prompt sends SKIP_WAITING, then takes over', async () => {
    // A byte-different sw.js is a new version to the browser.
    appendFileSync(join(directory, 'sw.js'), '\n// next version\n')
    const state = await page.evaluate(async () => {
      const registration = (await navigator.serviceWorker.getRegistration())!
      await registration.update()
      const installing = registration.installing ?? registration.waiting
      if (installing && installing.state !== 'installed') {
        await new Promise<void>(resolve => installing.addEventListener('statechange', () => { if (installing.state === 'installed') resolve() }))
      }
      const waiting = registration.waiting !== null
      const changed = new Promise<void>(resolve => navigator.serviceWorker.addEventListener('controllerchange', () => resolve(), { once: true }))
      // What workbox-window's messageSkipWaiting() sends when the user presses Reload.
      registration.waiting!.postMessage({ type: 'SKIP_WAITING' })
      await changed
      return { waiting, waitingAfter: registration.waiting !== null }
    })
    expect(state).toEqual({ waiting: true, waitingAfter: false })
    expect((await post('/serve/iris/1/invocations', { inputs: IRIS_ROWS })).body).toEqual({ predictions: expected.iris })
  })
})

describe('the built app', () => {
  it('routes /serve/… to its service worker, which answers in MLflow\'s error format', async () => {
    const appContext = await browser.newContext()
    try {
      const appPage = await appContext.newPage()
      await appPage.goto(`${inject('baseUrl')}/`)
      await appPage.waitForFunction(() => navigator.serviceWorker?.controller !== null, undefined, { timeout: 30_000 })
      const answer = await appPage.evaluate(() => fetch('/serve/no-such-model/1/invocations', {
        method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"inputs": [[1]]}',
      }).then(async response => ({ status: response.status, body: await response.json() as unknown })))
      expect(answer).toMatchObject({ status: 404, body: { error_code: 'RESOURCE_DOES_NOT_EXIST' } })
    } finally {
      await appContext.close()
    }
  })
})
