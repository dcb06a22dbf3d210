// E2E: the run page (overview, description, tags, charts with zoom re-sampling), every artifact viewer,
// hostile content staying inert, settings, the data page, and reloading offline.
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { cspViolations, goTo, openApp, screenshot } from './app-page.ts'
import { launchChromium } from './harness.ts'
import { seedExperiment } from './seed.ts'

let browser: Browser
beforeAll(async () => { browser = await launchChromium() })
afterAll(async () => { await browser?.close() })

describe('run page', () => {
  test('overview shows details, params, metric min/max/last; description and tags are editable', async () => {
    const app = await openApp(browser)
    const { page } = app
    const seed = await seedExperiment(page, 'Run page test', 3)
    await goTo(page, `#/runs/${seed.artifactRunId}`)
    await expect.poll(() => page.locator('#run-title').textContent()).toBe('run-0')
    await expect.poll(() => page.getByRole('table', { name: 'Metrics' }).textContent()).toContain('20')
    expect(await page.getByRole('table', { name: 'Parameters' }).textContent()).toContain('optimizer')
    expect(await page.locator('.markdown h1').textContent()).toBe('Baseline')
    expect(await page.getByRole('table', { name: 'Datasets' }).textContent()).toContain('iris')
    await screenshot(page, 'run-overview')

    await page.getByRole('button', { name: 'Edit', exact: true }).first().click()
    await page.getByLabel('Description (Markdown)').fill('Updated **notes** <img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>')
    await page.getByRole('button', { name: 'Save' }).click()
    await expect.poll(() => page.locator('.markdown strong').textContent()).toBe('notes')
    expect(await page.locator('.markdown script').count()).toBe(0)
    expect(await page.locator('.markdown [onerror]').count()).toBe(0)

    await page.getByLabel('Tag name').fill('reviewed')
    await page.getByLabel('Tag value').fill('yes')
    await page.getByRole('button', { name: 'Add tag' }).click()
    await expect.poll(() => page.getByRole('table', { name: 'Tags' }).textContent()).toContain('reviewed')
    await page.getByRole('button', { name: 'Edit tag reviewed' }).click()
    await page.getByLabel('New value for reviewed').fill('twice')
    await page.getByLabel('New value for reviewed').press('Enter')
    await expect.poll(() => page.getByRole('table', { name: 'Tags' }).textContent()).toContain('twice')
    await page.getByRole('button', { name: 'Delete tag reviewed' }).click()
    await expect.poll(() => page.getByRole('table', { name: 'Tags' }).textContent()).not.toContain('reviewed')
    expect(await page.evaluate(() => (window as { __pwned?: unknown }).__pwned)).toBeUndefined()
    await app.context.close()
  })

  test('metric charts: one per metric; zoom re-samples the visible range from full resolution', async () => {
    const app = await openApp(browser)
    const { page } = app
    const { experimentId } = await seedExperiment(page, 'Chart test', 1)
    const runId = await page.evaluate(async id => {
      const client = new (window as any).lablog.MlflowClient()
      const run = await client.createRun(id, { runName: 'long' })
      for (let start = 0; start < 20_000; start += 1000) {
        await client.logBatch(run.info.runId, { metrics: Array.from({ length: 1000 }, (_, i) => ({ key: 'noise', value: Math.sin((start + i) / 500) + ((start + i) % 97) / 97, timestamp: 1_700_000_000_000 + (start + i) * 10, step: start + i })) })
      }
      // Finished, so no live update redraws the chart while the test zooms it.
      await client.setTerminated(run.info.runId)
      return run.info.runId as string
    }, experimentId)
    await goTo(page, `#/runs/${runId}/metrics`)
    await expect.poll(() => page.locator('.chart-card .chart-status').first().textContent()).toContain('of 20,000 points')
    const pointsShown = () => page.evaluate(() => (document.querySelector('.chart-plot[data-chart="noise"]') as any).data[0].x.length as number)
    expect(await pointsShown()).toBeLessThanOrEqual(1000)
    await screenshot(page, 'run-metrics')

    // Zoom to steps 5,000–6,000 as a box-zoom would: the chart re-samples that range (all 1,000 points fit).
    await page.evaluate(() => (window as any).Plotly ?? null)
    await page.evaluate(async () => {
      const element = document.querySelector('.chart-plot[data-chart="noise"]') as any
      element.emit('plotly_relayout', { 'xaxis.range[0]': 5000, 'xaxis.range[1]': 6000 })
    })
    const visibleSteps = () => page.evaluate(() => Array.from((document.querySelector('.chart-plot[data-chart="noise"]') as any).data[0].x as number[]))
    await expect.poll(async () => (await visibleSteps())[0]).toBeGreaterThanOrEqual(4999)
    const xs = await visibleSteps()
    expect(xs[1]! - xs[0]!).toBe(1) // full resolution inside the zoomed range
    expect(xs[0]).toBeGreaterThanOrEqual(4999)
    expect(xs[xs.length - 1]).toBeLessThanOrEqual(6001)

    await page.getByLabel('Log scale').check()
    await page.getByRole('combobox', { name: 'X-axis' }).selectOption('time')
    await expect.poll(() => page.evaluate(() => (document.querySelector('.chart-plot[data-chart="noise"]') as any).layout.xaxis.type)).toBe('date')
    expect(await page.evaluate(() => (document.querySelector('.chart-plot[data-chart="noise"]') as any).layout.yaxis.type)).toBe('log')
    await page.getByLabel('Log scale').uncheck()
    await page.getByRole('combobox', { name: 'X-axis' }).selectOption('step')
    expect(await cspViolations(page)).toEqual([])
    await app.context.close()
  })
})

describe('artifacts', () => {
  test('every viewer opens: text, JSON, YAML, CSV, image, plotly, MLmodel, HTML/SVG sandboxed, download', async () => {
    const app = await openApp(browser)
    const { page } = app
    const seed = await seedExperiment(page, 'Artifact test', 1)
    const open = async (path: string) => {
      await goTo(page, `#/runs/${seed.artifactRunId}/artifacts?path=${encodeURIComponent(path)}`)
      const view = page.locator('.artifact-view[aria-label]')
      await expect.poll(() => view.getAttribute('aria-label')).toBe(`Artifact ${path}`)
      return view
    }
    let view = await open('notes/readme.txt')
    await expect.poll(() => view.locator('pre').textContent()).toContain('hello from a text artifact')
    view = await open('config.json')
    await expect.poll(() => view.locator('pre').textContent()).toContain('"dropout": 0.1')
    view = await open('config.yaml')
    await expect.poll(() => view.locator('pre').textContent()).toContain('dropout: 0.1')
    view = await open('history.csv')
    await expect.poll(() => view.locator('table.csv-table tbody tr').count()).toBe(3)
    await screenshot(page, 'artifact-csv')
    view = await open('images/icon.png')
    await expect.poll(() => view.locator('img').evaluate(image => (image as HTMLImageElement).naturalWidth)).toBe(192)
    view = await open('plots/counts.plotly.json')
    await expect.poll(() => view.locator('.plot-figure .main-svg').count()).toBeGreaterThan(0)
    expect(await view.locator('.plot-figure .bars path').count()).toBe(3)
    await screenshot(page, 'artifact-plotly')
    view = await open('model/MLmodel')
    await expect.poll(() => view.getByRole('table', { name: 'Signature inputs' }).textContent()).toContain('float32')
    expect(await view.getByRole('table', { name: 'Signature outputs' }).textContent()).toContain('(-1, 3)')
    await screenshot(page, 'artifact-mlmodel')
    view = await open('model/weights.bin')
    expect(await view.getByRole('link', { name: 'Download' }).getAttribute('download')).toBe('weights.bin')
    for (const path of ['report.html', 'diagram.svg']) {
      view = await open(path)
      const frame = view.locator('iframe')
      await expect.poll(() => frame.count()).toBe(1)
      expect(await frame.getAttribute('sandbox')).toBe('')
      expect(await frame.getAttribute('src')).toMatch(/^blob:/)
    }
    await screenshot(page, 'artifact-svg-sandboxed')
    await page.waitForTimeout(500)
    expect(await page.evaluate(() => (window as { __pwned?: unknown }).__pwned)).toBeUndefined()
    await app.context.close()
  })

  test('a run name with markup is shown as text and runs no script', async () => {
    const app = await openApp(browser)
    const { page } = app
    const hostile = '<img src=x onerror="window.__pwned=\'name\'"><b>bold</b>'
    const { experimentId, runId } = await page.evaluate(async name => {
      const client = new (window as any).lablog.MlflowClient()
      const experimentId = await client.createExperiment('<script>window.__pwned="exp"</script>')
      const run = await client.createRun(experimentId, { runName: name })
      await client.setTag(run.info.runId, 'note', '<img src=y onerror="window.__pwned=\'tag\'">')
      return { experimentId, runId: run.info.runId as string }
    }, hostile)
    await goTo(page, `#/experiments/${experimentId}`)
    await expect.poll(() => page.locator('.rt-run-link').first().textContent()).toBe(hostile)
    expect(await page.locator('.rt-body img, .rt-body b, .sidebar script').count()).toBe(0)
    await goTo(page, `#/runs/${runId}`)
    await expect.poll(() => page.locator('#run-title').textContent()).toBe(hostile)
    expect(await page.locator('main img, main b').count()).toBe(0)
    await page.waitForTimeout(300)
    expect(await page.evaluate(() => (window as { __pwned?: unknown }).__pwned)).toBeUndefined()
    await app.context.close()
  })
})

describe('settings, data and offline', () => {
  test('theme and user name are remembered; the data page reports storage', async () => {
    const app = await openApp(browser, '#/settings')
    const { page } = app
    await page.getByRole('radio', { name: 'Dark' }).click()
    expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark')
    await page.locator('input[name="userName"]').fill('grace')
    await page.getByRole('button', { name: 'Save' }).click()
    await page.getByLabel('Server URL').fill('http://127.0.0.1:5000')
    await page.getByRole('button', { name: 'Add server' }).click()
    await expect.poll(() => page.getByRole('table', { name: 'Remote servers' }).textContent()).toContain('http://127.0.0.1:5000')
    await screenshot(page, 'settings-dark')
    await page.reload()
    await page.waitForFunction(() => 'lablog' in window)
    expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark')
    const user = await page.evaluate(async () => {
      const run = await (window as any).lablog.mlflow.startRun({ runName: 'who' })
      await (window as any).lablog.mlflow.endRun()
      return run.data.tags['mlflow.user'] as string
    })
    expect(user).toBe('grace')
    await goTo(page, '#/experiments/0')
    await expect.poll(() => page.locator('.rt-body .rt-row').count()).toBe(1)
    await screenshot(page, 'runs-table-dark')

    await goTo(page, '#/data')
    await expect.poll(() => page.locator('main').textContent()).toContain('available to this site')
    expect(await page.getByRole('button', { name: /Keep data|Data is kept/ }).count()).toBe(1)
    await page.getByRole('radio', { name: 'Light' }).count() // settings page not shown here; theme stays dark
    await screenshot(page, 'data-dark')
    await app.context.close()
  })

  test('after one visit the app loads with the network off', async () => {
    const app = await openApp(browser)
    const { page, context } = app
    await page.evaluate(async () => { await (window as any).lablog.MlflowClient && new (window as any).lablog.MlflowClient().createExperiment('Offline exp') })
    await page.waitForFunction(() => navigator.serviceWorker?.controller !== null, undefined, { timeout: 30_000 })
    await context.setOffline(true)
    await page.reload()
    await page.waitForFunction(() => 'lablog' in window)
    await expect.poll(() => page.locator('.experiment-list').textContent()).toContain('Offline exp')
    expect(await page.locator('.net-status').textContent()).toBe('Offline')
    // Lazy chunks are precached too: a chart (plotly) draws offline.
    const { experimentIds } = await page.evaluate(async () => {
      const client = new (window as any).lablog.MlflowClient()
      const experiment = await client.getExperimentByName('Offline exp')
      const run = await client.createRun(experiment.experimentId, { runName: 'offline-run' })
      await client.logBatch(run.info.runId, { metrics: [0, 1, 2].map(step => ({ key: 'm', value: step, timestamp: Date.now(), step })) })
      location.hash = `#/runs/${run.info.runId}/metrics`
      return { experimentIds: [experiment.experimentId] }
    })
    expect(experimentIds).toHaveLength(1)
    await expect.poll(() => page.locator('.chart-card .main-svg').count(), { timeout: 15_000 }).toBeGreaterThan(0)
    await screenshot(page, 'offline-run-metrics')
    await context.setOffline(false)
    await app.context.close()
  })
})
