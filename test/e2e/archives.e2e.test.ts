// E2E: the Data page's archives. A run selected in the runs table is exported as an mlruns zip (a real
// download), deleted, and brought back by importing that file; a fresh browser imports it too; a broken zip is refused whole.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { unzipSync } from 'fflate'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { cspViolations, goTo, openApp, screenshot } from './app-page.ts'
import { launchChromium } from './harness.ts'
import { seedExperiment } from './seed.ts'

let browser: Browser
let directory: string
beforeAll(async () => { browser = await launchChromium(); directory = mkdtempSync(join(tmpdir(), 'lablog-archives-')) })
afterAll(async () => { await browser?.close(); rmSync(directory, { recursive: true, force: true }) })

/** The run as the library sees it: lifecycle and how many loss points it holds. */
const runState = (page: Page, runId: string) => page.evaluate(async id => {
  const client = new (window as any).lablog.MlflowClient()
  const run = await client.getRun(id).catch(() => undefined)
  if (!run) return undefined
  return { stage: run.info.lifecycleStage as string, lossPoints: (await client.getMetricHistory(id, 'loss')).length as number, name: run.info.runName as string }
}, runId)

const importFile = async (page: Page, file: string) => {
  await page.locator('#import-file').setInputFiles(file)
  await expect.poll(() => page.locator('.result-box').last().textContent(), { timeout: 30_000 }).toMatch(/Imported|not imported/)
}

describe('archives on the Data page', () => {
  test('export a run as mlruns, delete it, import the file: the run is back with its metrics', async () => {
    const app = await openApp(browser)
    const { page } = app
    const seed = await seedExperiment(page, 'Archive test', 2)
    const runId = seed.runIds[0]!
    await goTo(page, `#/experiments/${seed.experimentId}`)
    await page.getByRole('checkbox', { name: 'Select run run-0' }).click()
    await page.locator('.selection-bar').getByRole('button', { name: 'Export', exact: true }).click()
    await expect.poll(() => page.getByRole('list', { name: 'Runs to export' }).textContent()).toContain('run-0')

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export zip' }).click()])
    expect(download.suggestedFilename()).toMatch(/^lablog-mlruns-.*\.zip$/)
    const zipPath = join(directory, 'run-0.zip')
    await download.saveAs(zipPath)
    await expect.poll(() => page.locator('.result-box').first().textContent()).toContain('Saved')
    const entries = Object.keys(unzipSync(new Uint8Array(readFileSync(zipPath))))
    expect(entries).toContain(`mlruns/${seed.experimentId}/${runId}/metrics/loss`)
    expect(entries).toContain(`mlruns/${seed.experimentId}/${runId}/artifacts/notes/readme.txt`)
    expect(entries.some(entry => entry.includes(seed.runIds[1]!))).toBe(false)

    // Delete it in the runs table; it leaves the active view.
    await goTo(page, `#/experiments/${seed.experimentId}`)
    await page.getByRole('checkbox', { name: 'Select run run-0' }).click()
    await page.locator('.selection-bar').getByRole('button', { name: 'Delete', exact: true }).click()
    await page.getByRole('dialog').getByRole('button', { name: 'Delete' }).click()
    await expect.poll(async () => (await runState(page, runId))?.stage).toBe('deleted')

    // Import the file with "replace": the archive's (active) copy comes back.
    await goTo(page, '#/data')
    await page.getByLabel('A run that is already here').selectOption('replace')
    await importFile(page, zipPath)
    const result = page.getByRole('status', { name: 'Import result' })
    expect(await result.textContent()).toContain('mlruns layout')
    expect(await result.textContent()).toContain('1 replaced')
    // mlruns archives always carry the Default experiment (MLflow's file store expects it): both are merged.
    expect(await result.textContent()).toMatch(/Merged into existing experiments:.*Archive test/)
    expect(await runState(page, runId)).toEqual({ stage: 'active', lossPoints: 20, name: 'run-0' })
    for (const button of await page.locator('.toast .icon-button').all()) await button.click({ timeout: 1000 }).catch(() => {})
    await screenshot(page, 'data-archives')

    await goTo(page, `#/runs/${runId}`)
    await expect.poll(() => page.locator('main').textContent()).toContain('loss')
    expect(await cspViolations(page)).toEqual([])
    expect(app.errors).toEqual([])
    await app.context.close()
  })

  test('a fresh browser imports the same file (created), then reports it already present; a broken zip writes nothing', async () => {
    const zipPath = join(directory, 'run-0.zip')
    const app = await openApp(browser, '#/data')
    const { page } = app
    await importFile(page, zipPath)
    let result = await page.getByRole('status', { name: 'Import result' }).textContent()
    expect(result).toContain('1 run imported')
    expect(result).toContain('Experiments created: Archive test')
    const runs = await page.evaluate(async () => {
      const client = new (window as any).lablog.MlflowClient()
      const experiment = await client.getExperimentByName('Archive test')
      const { runs } = await client.searchRuns({ experimentIds: [experiment.experimentId] })
      return runs.map((run: any) => ({ name: run.info.runName, loss: run.data.metrics.loss !== undefined }))
    })
    expect(runs).toEqual([{ name: 'run-0', loss: true }])

    await importFile(page, zipPath)
    result = await page.getByRole('status', { name: 'Import result' }).textContent()
    expect(result).toContain('0 runs imported')
    expect(result).toContain('1 run already present')

    const broken = join(directory, 'broken.zip')
    writeFileSync(broken, readFileSync(zipPath).subarray(0, 200))
    await importFile(page, broken)
    const alert = await page.getByRole('alert').filter({ hasText: 'not imported' }).textContent()
    expect(alert).toContain('nothing from broken.zip was written')
    expect(alert).toMatch(/Invalid archive|Archive entry/)
    await app.context.close()
  })
})
