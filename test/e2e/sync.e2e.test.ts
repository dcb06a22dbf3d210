// E2E: the Sync page against the stateful MLflow test server (answering CORS for the app's origin, with
// basic auth): add the server, test the connection, push a run chosen in the runs table, see it on the
// server, pull it into a fresh browser. A server without CORS gets the library's CORS diagnosis.
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest'
import { MlflowClient, configureRemote } from '../../src/index.ts'
import { MlflowTestServer } from '../support/mlflow-test-server.ts'
import { cspViolations, goTo, openApp, screenshot } from './app-page.ts'
import { launchChromium } from './harness.ts'
import { seedExperiment } from './seed.ts'

const CREDENTIALS = { username: 'ada', password: 's3cret' }
let browser: Browser
let server: MlflowTestServer
let noCorsServer: MlflowTestServer

beforeAll(async () => {
  browser = await launchChromium()
  server = await MlflowTestServer.start({ corsOrigin: inject('baseUrl'), auth: CREDENTIALS })
  noCorsServer = await MlflowTestServer.start()
  configureRemote(server.url, { auth: { type: 'basic', ...CREDENTIALS } })
})
afterAll(async () => { await browser?.close(); await server?.close(); await noCorsServer?.close() })

/** Adds a server on the Sync page's form; basic credentials when given. */
async function addServer(page: Page, name: string, url: string, credentials?: typeof CREDENTIALS) {
  await page.getByLabel('Server name').fill(name)
  await page.getByLabel('Server URL').fill(url)
  if (credentials) {
    await page.getByLabel('Authentication').selectOption('basic')
    expect(await page.locator('.credential-note').textContent()).toContain('stored unencrypted in this browser')
    await page.getByLabel('User name').fill(credentials.username)
    await page.getByLabel('Password').fill(credentials.password)
  }
  await page.getByRole('button', { name: 'Add server' }).click()
  await expect.poll(() => page.getByRole('table', { name: 'Remote servers' }).textContent()).toContain(url)
}

async function testConnection(page: Page, name: string, url: string): Promise<string> {
  await page.getByRole('button', { name: `Test connection to ${name}` }).click()
  const result = page.locator(`.test-result[data-server="${url}"]`)
  await expect.poll(() => result.count(), { timeout: 30_000 }).toBe(1)
  return (await result.textContent()) ?? ''
}

describe('the Sync page', () => {
  test('add a server, test it, push a selected run, see it on the server, pull it into a fresh browser', async () => {
    const app = await openApp(browser, '#/sync')
    const { page } = app
    await addServer(page, 'Team MLflow', server.url, CREDENTIALS)
    expect(await page.getByRole('table', { name: 'Remote servers' }).textContent()).toContain('basic (ada)')
    expect(await testConnection(page, 'Team MLflow', server.url)).toContain('Connected')

    // A server that sends no CORS headers: the browser blocks it and the library says why and how to fix it.
    await addServer(page, 'Old MLflow', noCorsServer.url)
    const diagnosis = await testConnection(page, 'Old MLflow', noCorsServer.url)
    expect(diagnosis).toContain('(CORS)')
    expect(diagnosis).toContain(`--cors-allowed-origins ${app.baseUrl}`)
    await screenshot(page, 'sync-connection-test')

    // Push run-0, chosen in the runs table.
    const seed = await seedExperiment(page, 'Sync test', 2)
    const runId = seed.runIds[0]!
    await goTo(page, `#/experiments/${seed.experimentId}`)
    await page.getByRole('checkbox', { name: 'Select run run-0' }).click()
    await page.locator('.selection-bar').getByRole('button', { name: 'Push', exact: true }).click()
    await expect.poll(() => page.getByRole('list', { name: 'Runs to push' }).textContent()).toContain('run-0')
    await page.getByLabel('Push to and pull from').selectOption(server.url)
    await page.getByRole('button', { name: 'Push 1 run to Team MLflow' }).click()
    await expect.poll(() => page.getByRole('status', { name: 'Push result' }).count(), { timeout: 60_000 }).toBe(1)
    expect(await page.getByRole('status', { name: 'Push result' }).textContent()).toContain('Pushed 1 run')
    for (const button of await page.locator('.toast .icon-button').all()) await button.click({ timeout: 1000 }).catch(() => {})
    await screenshot(page, 'sync-page')

    // On the server: the run, its metric history and its source tag.
    const remote = new MlflowClient(server.url)
    const experiment = await remote.getExperimentByName('Sync test')
    expect(experiment).not.toBeNull()
    const { runs } = await remote.searchRuns({ experimentIds: [experiment!.experimentId] })
    expect(runs.map(run => run.info.runName)).toEqual(['run-0'])
    expect(runs[0]!.data.tags['lablog.sourceRunId']).toBe(runId)
    expect(await remote.getMetricHistory(runs[0]!.info.runId, 'loss')).toHaveLength(20)
    expect(server.violations()).toEqual([])
    expect(await cspViolations(page)).toEqual([])
    await app.context.close()

    // A fresh browser (empty IndexedDB) pulls the experiment back by name.
    const fresh = await openApp(browser, '#/sync')
    await addServer(fresh.page, 'Team MLflow', server.url, CREDENTIALS)
    await fresh.page.getByLabel('Experiment name on the server').fill('Sync test')
    await fresh.page.getByRole('button', { name: 'Pull from Team MLflow' }).click()
    await expect.poll(() => fresh.page.getByRole('status', { name: 'Pull result' }).count(), { timeout: 60_000 }).toBe(1)
    expect(await fresh.page.getByRole('status', { name: 'Pull result' }).textContent()).toContain('Pulled 1 run')
    const pulled = await fresh.page.evaluate(async () => {
      const client = new (window as any).lablog.MlflowClient()
      const local = await client.getExperimentByName('Sync test')
      const { runs } = await client.searchRuns({ experimentIds: [local.experimentId] })
      return Promise.all(runs.map(async (run: any) => ({ name: run.info.runName, loss: (await client.getMetricHistory(run.info.runId, 'loss')).length, from: run.data.tags['lablog.pulledFrom'] })))
    })
    expect(pulled).toEqual([{ name: 'run-0', loss: 20, from: expect.stringContaining(server.url) }])
    await fresh.page.getByRole('link', { name: 'Open the experiment' }).click()
    await expect.poll(() => fresh.page.locator('.rt-run-link').allTextContents()).toEqual(['run-0'])
    expect(fresh.errors).toEqual([])
    await fresh.context.close()
  })
})
