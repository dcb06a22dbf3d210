// E2E: the Train page — an iris MLP trained in a worker with its chart growing live, a run stopped (KILLED),
// a small grid sweep (parent run with nested children), and training after an offline reload.
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { cspViolations, goTo, openApp, screenshot } from './app-page.ts'
import { launchChromium } from './harness.ts'

let browser: Browser
beforeAll(async () => { browser = await launchChromium() })
afterAll(async () => { await browser?.close() })

/** Opens the Train page and waits for its form. */
async function openTrainPage(page: Page): Promise<void> {
  await goTo(page, '#/train')
  await expect.poll(() => page.locator('#train-title').textContent(), { timeout: 15_000 }).toBe('Train')
  await expect.poll(() => page.getByRole('combobox', { name: 'Experiment' }).locator('option').count()).toBeGreaterThan(0)
}

async function setNumber(page: Page, label: string, value: number): Promise<void> {
  const input = page.getByRole('spinbutton', { name: label, exact: true })
  await input.fill(String(value))
  await input.press('Tab')
}

const runPhases = (page: Page) => page.locator('.job-card').first().locator('.job-run').evaluateAll(items => items.map(item => item.getAttribute('data-phase')))

/** Runs in the page through the library: what the store holds for a run. */
function storedRun(page: Page, runId: string) {
  return page.evaluate(async id => {
    const client = new (window as any).lablog.MlflowClient()
    const run = await client.getRun(id)
    const history = await client.getMetricHistory(id, 'loss')
    return { status: run.info.status as string, tags: run.data.tags as Record<string, string>, experimentId: run.info.experimentId as string, lossPoints: history.length as number }
  }, runId)
}

const runIdOf = async (page: Page, index = 0) => {
  const href = await page.locator('.job-card').first().locator('.job-run-name').nth(index).getAttribute('href')
  return decodeURIComponent(href!.replace('#/runs/', ''))
}

describe('train page', () => {
  test('create an experiment, train an iris MLP in a worker: progress and the loss chart grow while it trains', async () => {
    const app = await openApp(browser)
    const { page } = app
    await page.getByRole('button', { name: 'Create experiment' }).click()
    await page.getByLabel('Name', { exact: true }).fill('Iris training')
    await page.getByRole('button', { name: 'Create', exact: true }).click()
    await expect.poll(() => page.locator('#experiment-title').textContent()).toBe('Iris training')

    await openTrainPage(page)
    expect(await page.getByRole('combobox', { name: 'Experiment' }).locator('option:checked').textContent()).toBe('Iris training')
    expect(await page.getByRole('combobox', { name: 'Dataset' }).inputValue()).toBe('iris')
    await page.getByRole('radio', { name: 'MLP' }).click()
    await setNumber(page, 'Epochs', 80)
    await setNumber(page, 'Batch size', 4)
    await page.getByRole('button', { name: 'Train MLP' }).click()

    // Sample the chart while training: how many loss points it drew, and whether the run was still running.
    const samples = await page.evaluate(() => new Promise<Array<{ points: number; phase: string }>>(resolve => {
      const seen: Array<{ points: number; phase: string }> = []
      const timer = setInterval(() => {
        const phase = document.querySelector('.job-card .job-run')?.getAttribute('data-phase') ?? 'none'
        const plot = document.querySelector('.train-charts .chart-plot[data-chart="loss"]') as any
        seen.push({ points: plot?.data?.[0]?.x?.length ?? 0, phase })
        if (['FINISHED', 'FAILED', 'KILLED'].includes(phase) || seen.length > 1200) { clearInterval(timer); resolve(seen) }
      }, 50)
    }))
    expect(samples[samples.length - 1]!.phase).toBe('FINISHED')
    const whileRunning = [...new Set(samples.filter(sample => sample.phase === 'running' && sample.points > 0).map(sample => sample.points))]
    // At least two different, growing point counts were drawn before the run ended: the chart is live.
    expect(whileRunning.length).toBeGreaterThanOrEqual(2)
    expect(whileRunning[whileRunning.length - 1]!).toBeGreaterThan(whileRunning[0]!)
    expect(await page.locator('.job-run-bar').first().getAttribute('aria-valuenow')).toBe('100')
    await expect.poll(() => page.evaluate(() => (document.querySelector('.train-charts .chart-plot[data-chart="loss"]') as any)?.data?.[0]?.x?.length)).toBe(80)

    const runId = await runIdOf(page)
    const stored = await storedRun(page, runId)
    expect(stored.status).toBe('FINISHED')
    expect(stored.lossPoints).toBe(80)
    expect(stored.tags['mlflow.log-model.history']).toContain('tfjs')
    expect(stored.tags['lablog.training.context']).toBe('worker')
    await page.locator('.train-charts .chart-plot[data-chart="val_loss"]').waitFor()
    await page.locator('main').evaluate(main => main.scrollTo(0, 0))
    await screenshot(page, 'train-page')
    expect(await cspViolations(page)).toEqual([])
    expect(app.errors).toEqual([])
    await app.context.close()
  })

  test('a running training stops with its Stop button and ends KILLED', async () => {
    const app = await openApp(browser)
    const { page } = app
    await openTrainPage(page)
    await page.getByRole('radio', { name: 'MLP' }).click()
    await setNumber(page, 'Epochs', 5000)
    await setNumber(page, 'Batch size', 4)
    await page.getByLabel('Run name (optional)').fill('long-run')
    await page.getByRole('button', { name: 'Train MLP' }).click()
    await expect.poll(() => page.locator('.job-run-meta').first().textContent(), { timeout: 30_000 }).toMatch(/epoch [1-9]\d* of 5000/)
    await page.getByRole('button', { name: 'Stop long-run' }).click()
    await expect.poll(() => runPhases(page), { timeout: 30_000 }).toEqual(['KILLED'])
    const stored = await storedRun(page, await runIdOf(page))
    expect(stored.status).toBe('KILLED')
    expect(stored.lossPoints).toBeGreaterThan(0)
    expect(stored.lossPoints).toBeLessThan(5000)
    await app.context.close()
  })

  test('a grid sweep of 2 runs, one worker at a time, nests both under a FINISHED parent run', async () => {
    const app = await openApp(browser)
    const { page } = app
    await openTrainPage(page)
    await page.getByRole('radio', { name: 'Logistic regression' }).click()
    await setNumber(page, 'Epochs', 5)
    await page.getByLabel('Run a sweep').check()
    await page.getByLabel('Learning rate values').fill('0.05, 0.01')
    await setNumber(page, 'Workers at once', 1)
    expect(await page.getByRole('status').filter({ hasText: 'runs,' }).textContent()).toBe('2 runs, 1 at a time.')
    await page.locator('.train-submit').scrollIntoViewIfNeeded()
    await screenshot(page, 'train-sweep-form')
    await page.getByRole('button', { name: 'Start sweep (2 runs)' }).click()
    await expect.poll(() => runPhases(page), { timeout: 60_000 }).toEqual(['FINISHED', 'FINISHED'])
    await expect.poll(() => page.locator('.train-charts .chart-plot[data-chart="loss"]').evaluate(plot => (plot as any).data?.length ?? 0)).toBe(2)
    await page.locator('main').evaluate(main => main.scrollTo(0, 0))
    await screenshot(page, 'train-sweep')

    const parentHref = await page.locator('.job-meta a', { hasText: 'parent run' }).getAttribute('href')
    const parentRunId = decodeURIComponent(parentHref!.replace('#/runs/', ''))
    const tree = await page.evaluate(async parentId => {
      const client = new (window as any).lablog.MlflowClient()
      const parent = await client.getRun(parentId)
      const { runs } = await client.searchRuns({ experimentIds: [parent.info.experimentId], filter: `tags.\`mlflow.parentRunId\` = '${parentId}'` })
      return { parentStatus: parent.info.status as string, params: parent.data.params as Record<string, string>,
        children: runs.map((run: any) => ({ status: run.info.status, lr: run.data.params.learning_rate ?? run.data.params.optimizer_learning_rate ?? null, name: run.info.runName })) }
    }, parentRunId)
    await expect.poll(async () => (await storedRun(page, parentRunId)).status).toBe('FINISHED')
    expect(tree.params.sweep_method).toBe('grid')
    expect(tree.params.sweep_lr).toBe('0.05, 0.01')
    expect(tree.children).toHaveLength(2)
    expect(tree.children.every((child: { status: string }) => child.status === 'FINISHED')).toBe(true)
    expect(tree.children.map((child: { name: string }) => child.name).sort()).toEqual(['logistic-regression-iris-1 lr=0.05', 'logistic-regression-iris-2 lr=0.01'])
    await app.context.close()
  })

  test('the layers JSON editor explains invalid input inline and never runs code', async () => {
    const app = await openApp(browser)
    const { page } = app
    await openTrainPage(page)
    await page.getByRole('radio', { name: 'Layers JSON' }).click()
    const editor = page.getByLabel('Layers configuration (JSON)')
    await editor.fill('{"class_name": "Sequential",\n "config": {"layers": [}')
    await expect.poll(() => page.locator('#layers-json-status').textContent()).toMatch(/^Line 2: Not valid JSON/)
    expect(await editor.getAttribute('aria-invalid')).toBe('true')
    expect(await page.getByRole('button', { name: 'Train model' }).isDisabled()).toBe(true)
    await editor.fill('fetch("/x"); window.__pwned = 1')
    await expect.poll(() => page.locator('#layers-json-status').textContent()).toContain('Not valid JSON')
    await page.getByRole('button', { name: 'Insert example' }).click()
    await expect.poll(() => page.locator('#layers-json-status').textContent()).toBe('Valid: a sequential model of 3 layers.')
    expect(await page.locator('#layers-json-help').textContent()).toContain('never run')
    expect(await page.getByRole('button', { name: 'Train model' }).isDisabled()).toBe(false)
    expect(await page.evaluate(() => (window as { __pwned?: unknown }).__pwned)).toBeUndefined()
    await app.context.close()
  })

  test('after one visit, the app reloads offline and still trains (wasm and datasets precached)', async () => {
    const app = await openApp(browser)
    const { page, context } = app
    await page.waitForFunction(() => navigator.serviceWorker?.controller !== null, undefined, { timeout: 30_000 })
    const cached = await page.evaluate(async () => {
      const urls: string[] = []
      for (const name of await caches.keys()) for (const request of await (await caches.open(name)).keys()) urls.push(new URL(request.url).pathname)
      return urls
    })
    expect(cached.filter(url => url.endsWith('.wasm'))).toHaveLength(3)
    expect(cached).toContain('/datasets/iris.csv')
    expect(cached.some(url => /\/assets\/training\.worker-.*\.js$/.test(url))).toBe(true)
    expect(cached.some(url => /\/assets\/train-page-.*\.js$/.test(url))).toBe(true)

    await context.setOffline(true)
    await page.reload()
    await page.waitForFunction(() => 'lablog' in window)
    expect(await page.locator('.net-status').textContent()).toBe('Offline')
    await openTrainPage(page)
    await setNumber(page, 'Epochs', 3)
    await page.getByRole('button', { name: 'Train MLP' }).click()
    await expect.poll(() => runPhases(page), { timeout: 60_000 }).toEqual(['FINISHED'])
    const stored = await storedRun(page, await runIdOf(page))
    expect(stored.status).toBe('FINISHED')
    expect(stored.lossPoints).toBe(3)
    await context.setOffline(false)
    await app.context.close()
  })
})
