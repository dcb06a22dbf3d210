// E2E: experiments (create, rename, delete, restore, remembered) and the runs table (filter, completion,
// inline errors, sort, nesting, shift-click selection, compare, delete/restore, live rows).
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { type AppPage, cspViolations, goTo, openApp, screenshot } from './app-page.ts'
import { launchChromium } from './harness.ts'
import { seedExperiment } from './seed.ts'

let browser: Browser
beforeAll(async () => { browser = await launchChromium() })
afterAll(async () => { await browser?.close() })

const runNames = (app: AppPage) => app.page.locator('.rt-body .rt-run-link').allTextContents()

describe('experiments', () => {
  test('create, rename, delete and restore an experiment; the active one is remembered', async () => {
    const app = await openApp(browser)
    const { page } = app
    await page.getByRole('button', { name: 'Create experiment' }).click()
    await page.getByLabel('Name', { exact: true }).fill('Churn model')
    await page.getByLabel('Artifact location (optional)').fill('indexeddb://lablog/churn')
    await page.getByRole('button', { name: '+ Add tag' }).click()
    await page.getByLabel('Tag 1 key').fill('team')
    await page.getByLabel('Tag 1 value').fill('growth')
    await screenshot(page, 'create-experiment-dialog')
    await page.getByRole('button', { name: 'Create', exact: true }).click()
    await expect.poll(() => page.locator('#experiment-title').textContent()).toBe('Churn model')
    expect(await page.locator('.page-meta').textContent()).toContain('team: growth')
    expect(await page.locator('.page-meta').textContent()).toContain('indexeddb://lablog/churn')

    await page.getByRole('button', { name: 'Rename' }).click()
    await page.getByLabel('New name').fill('Churn model v2')
    await page.getByRole('button', { name: 'Rename', exact: true }).last().click()
    await expect.poll(() => page.locator('#experiment-title').textContent()).toBe('Churn model v2')
    await expect.poll(() => page.locator('.experiment-list').textContent()).toContain('Churn model v2')

    // Remembered: opening the app at its root returns to this experiment.
    await page.reload()
    await goTo(page, '#/')
    await expect.poll(() => page.locator('#experiment-title').textContent()).toBe('Churn model v2')

    await page.getByRole('button', { name: 'Delete', exact: true }).click()
    await page.getByRole('dialog').getByRole('button', { name: 'Delete' }).click()
    await expect.poll(() => page.locator('#experiment-title').textContent()).toBe('Default')
    expect(await page.locator('.experiment-list').textContent()).not.toContain('Churn model v2')
    await page.getByRole('button', { name: 'Deleted experiments' }).click()
    await page.getByRole('button', { name: 'Restore Churn model v2' }).click()
    await page.getByRole('button', { name: '← Active experiments' }).click()
    await expect.poll(() => page.locator('.experiment-list').textContent()).toContain('Churn model v2')
    expect(await cspViolations(page)).toEqual([])
    await app.context.close()
  })
})

describe('runs table', () => {
  test('filters with MLflow syntax, completes keys, marks the faulty position, sorts by any column', async () => {
    const app = await openApp(browser)
    const { page } = app
    const seed = await seedExperiment(page, 'Table test', 8)
    await goTo(page, `#/experiments/${seed.experimentId}`)
    await expect.poll(() => page.locator('.rt-body .rt-row').count()).toBe(9) // 8 runs + the sweep parent
    await screenshot(page, 'runs-table')

    const filter = page.getByRole('combobox', { name: /Filter runs/ })
    await filter.fill('metrics.')
    await expect.poll(() => page.getByRole('listbox').textContent()).toContain('acc')
    await page.keyboard.press('ArrowDown') // to 'loss' (keys are sorted) and back to 'acc'
    await page.keyboard.press('ArrowUp')
    await page.keyboard.press('Tab')
    expect(await filter.inputValue()).toBe('metrics.acc ')
    await filter.pressSequentially("> 0.94 and params.lr = '0.01'")
    await filter.press('Enter')
    await expect.poll(() => runNames(app)).toEqual(['run-7', 'run-4'])

    await filter.fill('metrics.acc >> 0.9')
    await filter.press('Enter')
    const error = page.locator('.filter-error')
    await expect.poll(() => error.isVisible()).toBe(true)
    expect(await error.locator('mark').textContent()).not.toBe('')
    await screenshot(page, 'runs-filter-error')

    await page.getByRole('button', { name: 'Clear' }).click()
    await expect.poll(() => page.locator('.rt-body .rt-row').count()).toBe(9)
    await page.locator('.rt-header').getByRole('button', { name: 'acc (metric)' }).click()
    let names = await runNames(app)
    // The first click sorts ascending, the second descending (as MLflow's table does).
    expect(names[0]).toBe('run-0')
    await page.locator('.rt-header').getByRole('button', { name: 'acc (metric)' }).click()
    names = await runNames(app)
    expect(names[0]).toBe('run-7')
    expect(await page.locator('.rt-header [aria-sort="descending"]').count()).toBe(1)
    await app.context.close()
  })

  test('nested runs expand; shift-click selects a range; compare two runs; delete and restore', async () => {
    const app = await openApp(browser)
    const { page } = app
    const seed = await seedExperiment(page, 'Selection test', 6)
    await goTo(page, `#/experiments/${seed.experimentId}`)
    await expect.poll(() => page.locator('.rt-body .rt-row').count()).toBe(7)
    await page.getByRole('button', { name: /Expand 2 child runs of sweep/ }).click()
    await expect.poll(() => runNames(app)).toContain('trial-a')
    const names = await runNames(app)
    const parentAt = names.indexOf('sweep')
    expect(names.slice(parentAt + 1, parentAt + 3).sort()).toEqual(['trial-a', 'trial-b'])

    await page.getByLabel('Select run run-5').click()
    await page.getByLabel('Select run run-3').click({ modifiers: ['Shift'] })
    await expect.poll(() => page.locator('.selection-count').textContent()).toBe('3 selected')
    await screenshot(page, 'runs-selection')

    await page.getByRole('button', { name: 'Clear selection' }).click()
    await page.getByLabel('Select run run-1').click()
    await page.getByLabel('Select run run-2').click()
    await page.getByRole('button', { name: 'Compare' }).click()
    await expect.poll(() => page.locator('#compare-title').textContent()).toBe('Comparing 2 runs')
    await expect.poll(() => page.locator('.chart-card .main-svg').count()).toBeGreaterThanOrEqual(2)
    await expect.poll(() => page.locator('svg.parcoords polyline').count()).toBe(2)
    const allRows = await page.locator('.compare-table tbody tr:not(.row-group)').count()
    await page.getByRole('switch').check()
    const differing = await page.locator('.compare-table tbody tr:not(.row-group)').count()
    expect(differing).toBeLessThan(allRows)
    expect(await page.locator('.compare-table tbody tr[data-differs="false"]').count()).toBe(0)
    await page.getByRole('switch').uncheck()
    await page.locator('main').evaluate(main => { main.scrollTop = 0 })
    await screenshot(page, 'compare')

    await goTo(page, `#/experiments/${seed.experimentId}`)
    await page.getByLabel('Select run run-0').click()
    await page.getByRole('button', { name: 'Delete', exact: true }).last().click()
    await page.getByRole('dialog').getByRole('button', { name: 'Delete' }).click()
    await expect.poll(() => runNames(app)).not.toContain('run-0')
    await page.getByRole('button', { name: 'Deleted', exact: true }).click()
    await expect.poll(() => runNames(app)).toEqual(['run-0'])
    await page.getByLabel('Select run run-0').click()
    await page.getByRole('button', { name: 'Restore' }).click()
    await expect.poll(() => runNames(app)).toEqual([])
    expect(await cspViolations(page)).toEqual([])
    expect(app.errors).toEqual([])
    await app.context.close()
  })

  test('live: runs and metrics logged elsewhere appear without a reload', async () => {
    const app = await openApp(browser)
    const { page } = app
    const seed = await seedExperiment(page, 'Live test', 2)
    await goTo(page, `#/experiments/${seed.experimentId}`)
    await expect.poll(() => page.locator('.rt-body .rt-row').count()).toBe(3)
    // A second tab stands in for a training worker: writes there reach this page through Dexie's broadcast.
    const other = await app.context.newPage()
    await other.goto(`${app.baseUrl}/#/data`)
    await other.waitForFunction(() => 'lablog' in window)
    const runId = await other.evaluate(async experimentId => {
      const client = new (window as any).lablog.MlflowClient()
      const run = await client.createRun(experimentId, { runName: 'live-run' })
      await client.logBatch(run.info.runId, { metrics: [{ key: 'loss', value: 1, timestamp: Date.now(), step: 0 }] })
      return run.info.runId as string
    }, seed.experimentId)
    await expect.poll(() => runNames(app), { timeout: 10_000 }).toContain('live-run')

    await goTo(page, `#/runs/${runId}/metrics`)
    const plot = page.locator('.chart-plot[data-chart="loss"]')
    await expect.poll(() => plot.getAttribute('data-draw-count')).not.toBeNull()
    const before = Number(await plot.getAttribute('data-draw-count'))
    await other.evaluate(async id => {
      const client = new (window as any).lablog.MlflowClient()
      await client.logBatch(id, { metrics: Array.from({ length: 50 }, (_, step) => ({ key: 'loss', value: 1 / (step + 2), timestamp: Date.now(), step: step + 1 })) })
    }, runId)
    await expect.poll(async () => Number(await plot.getAttribute('data-draw-count')), { timeout: 10_000 }).toBeGreaterThan(before)
    await expect.poll(() => page.evaluate(() => {
      const element = document.querySelector('.chart-plot[data-chart="loss"]') as unknown as { data?: Array<{ x: ArrayLike<number> }> }
      return element.data?.[0]?.x.length ?? 0
    })).toBe(51)
    await app.context.close()
  })
})
