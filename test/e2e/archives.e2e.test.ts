// E2E: the Data page's archives. A run selected in the runs table is exported as an mlruns zip (a real
// download), deleted, and brought back by importing that file; a fresh browser imports it too; a broken zip is refused whole.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { unzipSync, zipSync } from 'fflate'
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
  await expect.poll(() => page.locator('.result-box').last().textContent(), { timeout: 60_000 }).toMatch(/Imported|not imported/)
}

/** A metric's value at a step, in the large archive below: exact in decimal, so MLflow's text round-trips it. */
const valueAt = (run: number, key: number, step: number) => (run * 7 + key * 3 + step) / 1000

/** An mlruns zip as MLflow writes it, with `runs` × `keys` metrics of `steps` points: over the 4 MB that make import parse on a worker. */
function largeMlrunsZip(runs: number, keys: number, steps: number): { zip: Uint8Array; runIds: string[] } {
  const text = (value: string) => new TextEncoder().encode(value)
  const files: Record<string, Uint8Array> = {
    'mlruns/0/meta.yaml': text("artifact_location: mlruns/0\ncreation_time: 1700000000000\nexperiment_id: '0'\nlast_update_time: 1700000000000\nlifecycle_stage: active\nname: Default\n"),
    'mlruns/7/meta.yaml': text("artifact_location: mlruns/7\ncreation_time: 1700000000000\nexperiment_id: '7'\nlast_update_time: 1700000000000\nlifecycle_stage: active\nname: Large import\n"),
  }
  const runIds = Array.from({ length: runs }, (_, run) => `${String(run).padStart(4, '0')}${'c'.repeat(28)}`)
  runIds.forEach((runId, run) => {
    files[`mlruns/7/${runId}/meta.yaml`] = text([
      `artifact_uri: mlruns/7/${runId}/artifacts`, 'end_time: 1700000100000', "entry_point_name: ''", "experiment_id: '7'",
      'lifecycle_stage: active', `run_id: ${runId}`, `run_name: big-${run}`, `run_uuid: ${runId}`, "source_name: ''", 'source_type: 4',
      "source_version: ''", 'start_time: 1700000000000', 'status: 3', 'tags: []', 'user_id: ada', '',
    ].join('\n'))
    files[`mlruns/7/${runId}/params/units`] = text(String(64 + run))
    for (let key = 0; key < keys; key++) {
      const lines = Array.from({ length: steps }, (_, step) => `${1700000000000 + step} ${valueAt(run, key, step)} ${step}`)
      files[`mlruns/7/${runId}/metrics/m${key}`] = text(`${lines.join('\n')}\n`)
    }
  })
  return { zip: zipSync(files, { level: 0 }), runIds }
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

  test('a large archive imports whole in the built app, its runs read ahead on a nested worker', async () => {
    const runs = 12, keys = 5, steps = 3000
    const { zip, runIds } = largeMlrunsZip(runs, keys, steps)
    expect(zip.length).toBeGreaterThan(4 << 20)
    const zipPath = join(directory, 'large.zip')
    writeFileSync(zipPath, zip)
    const app = await openApp(browser, '#/data')
    const { page } = app
    const workerScripts: string[] = []
    // The read-ahead worker's script, loaded as a worker is (the service worker's precache fetches are not scripts).
    app.context.on('request', request => { if (/archive-read-ahead/.test(request.url()) && request.resourceType() === 'script') workerScripts.push(request.url()) })
    await importFile(page, zipPath)
    expect(await page.getByRole('status', { name: 'Import result' }).textContent()).toContain(`${runs} runs imported`)
    const stored = await page.evaluate(async ({ runId, keys }) => {
      const client = new (window as any).lablog.MlflowClient()
      const run = await client.getRun(runId)
      const histories = await Promise.all(Array.from({ length: keys }, (_, key) => client.getMetricHistory(runId, `m${key}`)))
      return { name: run.info.runName, units: run.data.params.units, histories: histories.map((history: any[]) => ({ count: history.length, last: history.at(-1) })) }
    }, { runId: runIds[5]!, keys })
    expect(stored.name).toBe('big-5')
    expect(stored.units).toBe('69')
    expect(stored.histories).toEqual(Array.from({ length: keys }, (_, key) => ({
      count: steps, last: { key: `m${key}`, value: valueAt(5, key, steps - 1), step: steps - 1, timestamp: 1700000000000 + steps - 1 },
    })))
    expect(workerScripts.length).toBeGreaterThan(0)
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
