// E2E: the Evaluate page — a model trained on the Train page, evaluated on iris in the evaluate worker:
// metrics, plotly figures, and a confusion matrix whose cells list their rows (as text).
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { cspViolations, goTo, openApp, screenshot } from './app-page.ts'
import { ROOT, launchChromium } from './harness.ts'

let browser: Browser
beforeAll(async () => { browser = await launchChromium() })
afterAll(async () => { await browser?.close() })

/** Trains an iris MLP from the Train page and waits until it finished (its model is logged). */
async function trainIrisModel(page: Page, runName: string): Promise<void> {
  await goTo(page, '#/train')
  await expect.poll(() => page.locator('#train-title').textContent(), { timeout: 15_000 }).toBe('Train')
  await page.getByRole('radio', { name: 'MLP' }).click()
  const epochs = page.getByRole('spinbutton', { name: 'Epochs', exact: true })
  await epochs.fill('40')
  await epochs.press('Tab')
  await page.getByLabel('Run name (optional)').fill(runName)
  await page.getByRole('button', { name: 'Train MLP' }).click()
  await expect.poll(() => page.locator('.job-card').first().locator('.job-run').getAttribute('data-phase'), { timeout: 60_000 }).toBe('FINISHED')
}

/** The count a confusion-matrix cell shows, from its accessible name ("True 1, predicted 2: 3 rows"). */
async function cellCounts(page: Page): Promise<Array<{ name: string; count: number }>> {
  const names = await page.locator('.cm-cell').evaluateAll(cells => cells.map(cell => cell.getAttribute('aria-label') ?? ''))
  return names.map(name => ({ name, count: Number(/: (\d+) rows$/.exec(name)![1]) }))
}

describe('evaluate page', () => {
  test('evaluate a trained model on iris: metrics, plots, and a clickable confusion matrix listing rows', async () => {
    const app = await openApp(browser)
    const { page } = app
    await trainIrisModel(page, 'iris-mlp')

    await goTo(page, '#/evaluate')
    await expect.poll(() => page.locator('#evaluate-title').textContent(), { timeout: 15_000 }).toBe('Evaluate')
    await expect.poll(() => page.getByRole('table', { name: 'Logged models' }).locator('tbody tr').count()).toBe(1)
    expect(await page.getByRole('radio', { name: /iris-mlp/ }).isChecked()).toBe(true)
    // The run recorded its built-in training data, so its held-out split is offered (and chosen first).
    await expect.poll(() => page.getByRole('radio', { name: 'Held-out validation split' }).getAttribute('aria-checked')).toBe('true')
    await page.getByRole('radio', { name: 'Built-in dataset' }).click()
    expect(await page.getByRole('combobox', { name: 'Dataset' }).inputValue()).toBe('iris')
    await page.getByRole('button', { name: 'Evaluate', exact: true }).click()

    await expect.poll(() => page.locator('#results-heading').count(), { timeout: 60_000 }).toBe(1)
    const metrics = await page.getByRole('table', { name: 'Evaluation metrics' }).textContent()
    for (const name of ['accuracy_score', 'f1_score', 'precision_score', 'recall_score', 'log_loss']) expect(metrics).toContain(name)
    const accuracy = Number(await page.getByRole('row', { name: /^accuracy_score/ }).locator('td').first().getAttribute('title'))
    expect(accuracy).toBeGreaterThan(0.6)
    await expect.poll(() => page.locator('.eval-plot .main-svg').count(), { timeout: 15_000 }).toBeGreaterThan(0)

    // The matrix covers all 150 rows of iris; choosing a cell lists exactly its rows.
    const cells = await cellCounts(page)
    expect(cells).toHaveLength(9)
    expect(cells.reduce((sum, cell) => sum + cell.count, 0)).toBe(150)
    const misclassified = cells.find(cell => !/True (\d+), predicted \1:/.test(cell.name) && cell.count > 0)
    const chosen = misclassified ?? cells.find(cell => cell.count > 0)!
    await page.getByRole('button', { name: chosen.name }).click()
    expect(await page.getByRole('button', { name: chosen.name }).getAttribute('aria-pressed')).toBe('true')
    const listing = page.getByRole('table', { name: 'Rows of the chosen cell' })
    await expect.poll(() => listing.locator('tbody tr').count()).toBe(chosen.count)
    const header = await listing.locator('thead th').allTextContents()
    expect(header).toEqual(['Row', 'sepal length (cm)', 'sepal width (cm)', 'petal length (cm)', 'petal width (cm)', 'True', 'Predicted'])
    const [, truth, predicted] = /True (\d+), predicted (\d+)/.exec(chosen.name)!
    const firstRow = await listing.locator('tbody tr').first().locator('td').allTextContents()
    expect(firstRow.slice(-2)).toEqual([truth, predicted])
    if (misclassified) expect(await page.locator('.cm-listing h3').textContent()).toContain('misclassified')
    await screenshot(page, 'evaluate-page')

    // The evaluation is a run of its own, with MLflow's artifacts.
    const href = await page.getByRole('link', { name: /^Open run/ }).getAttribute('href')
    const runId = decodeURIComponent(href!.replace('#/runs/', '').replace('/artifacts', ''))
    const stored = await page.evaluate(async id => {
      const client = new (window as any).lablog.MlflowClient()
      const run = await client.getRun(id)
      const files = (await client.listArtifacts(id)).map((file: { path: string }) => file.path)
      return { status: run.info.status as string, accuracy: run.data.metrics.accuracy_score as number, files: files as string[] }
    }, runId)
    expect(stored.status).toBe('FINISHED')
    expect(stored.accuracy).toBe(accuracy)
    expect(stored.files).toEqual(expect.arrayContaining(['confusion_matrix.png', 'confusion_matrix.json', 'eval_results_table.json', 'per_class_metrics.csv']))
    expect(await cspViolations(page)).toEqual([])
    expect(app.errors).toEqual([])
    await app.context.close()
  })

  test('the held-out validation split is rebuilt from the training run and evaluated', async () => {
    const app = await openApp(browser)
    const { page } = app
    await goTo(page, '#/settings')
    await page.getByRole('radio', { name: 'Dark' }).click()
    await trainIrisModel(page, 'iris-heldout')
    await goTo(page, '#/evaluate')
    await expect.poll(() => page.getByRole('radio', { name: 'Held-out validation split' }).getAttribute('aria-checked'), { timeout: 15_000 }).toBe('true')
    expect(await page.locator('.evaluate-page .field-hint').first().textContent()).toContain('20% of iris')
    await page.getByRole('button', { name: 'Evaluate', exact: true }).click()
    await expect.poll(() => page.locator('.cm-cell').count(), { timeout: 60_000 }).toBe(9)
    // 20% of 150 rows were held out by model.fit's validationSplit.
    expect((await cellCounts(page)).reduce((sum, cell) => sum + cell.count, 0)).toBe(30)
    await page.getByRole('button', { name: /^True 1, predicted 1/ }).click()
    await expect.poll(() => page.locator('.eval-plot .main-svg').count(), { timeout: 15_000 }).toBeGreaterThan(0)
    await screenshot(page, 'evaluate-dark')
    await app.context.close()
  })

  test('train on an uploaded CSV (picked columns, text labels) and evaluate the model on that CSV', async () => {
    // iris with text species labels and a text column that cannot be a feature.
    const species = ['setosa', 'versicolor', 'virginica']
    const [header, ...lines] = readFileSync(join(ROOT, 'public/datasets/iris.csv'), 'utf8').trim().split('\n')
    const csv = [`${header!.replace(/,target$/, '')},note,species`, ...lines.map((line, index) => {
      const cells = line.split(',')
      return `${cells.slice(0, 4).join(',')},"row ${index}, <b>x</b>",${species[Number(cells[4])]}`
    })].join('\n')
    const app = await openApp(browser)
    const { page } = app
    await goTo(page, '#/train')
    await expect.poll(() => page.locator('#train-title').textContent(), { timeout: 15_000 }).toBe('Train')
    await page.getByRole('radio', { name: 'Upload CSV' }).click()
    await page.getByLabel('CSV file (header row, one row per example)').setInputFiles({ name: 'flowers.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) })
    await expect.poll(() => page.getByRole('combobox', { name: 'Label column' }).inputValue()).toBe('species')
    expect(await page.getByRole('combobox', { name: 'Task' }).inputValue()).toBe('classification')
    expect(await page.getByRole('checkbox', { name: /^note/ }).isDisabled()).toBe(true)
    expect(await page.getByRole('checkbox', { name: 'petal width (cm)' }).isChecked()).toBe(true)
    expect(await page.locator('.train-section .field-hint', { hasText: 'Classes:' }).textContent()).toBe('Classes: setosa → 0, versicolor → 1, virginica → 2')
    await page.getByRole('radio', { name: 'Logistic regression' }).click()
    const epochs = page.getByRole('spinbutton', { name: 'Epochs', exact: true })
    await epochs.fill('30')
    await epochs.press('Tab')
    await page.getByRole('button', { name: 'Train Logistic regression' }).click()
    await expect.poll(() => page.locator('.job-card').first().locator('.job-run').getAttribute('data-phase'), { timeout: 60_000 }).toBe('FINISHED')
    await page.locator('main').evaluate(main => main.scrollTo(0, 0))
    await screenshot(page, 'train-csv')

    await goTo(page, '#/evaluate')
    await expect.poll(() => page.getByRole('radio', { name: /flowers/ }).isChecked(), { timeout: 15_000 }).toBe(true)
    // An upload is not kept, so there is no held-out split to rebuild.
    await expect.poll(() => page.getByRole('radio', { name: 'Held-out validation split' }).isDisabled()).toBe(true)
    await page.getByRole('radio', { name: 'Upload CSV' }).click()
    await page.getByLabel('CSV file', { exact: true }).setInputFiles({ name: 'flowers.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) })
    await expect.poll(() => page.getByRole('combobox', { name: 'Target column' }).inputValue()).toBe('species')
    await page.getByRole('button', { name: 'Evaluate', exact: true }).click()
    await expect.poll(() => page.locator('.cm-cell').count(), { timeout: 60_000 }).toBe(9)
    expect((await cellCounts(page)).reduce((sum, cell) => sum + cell.count, 0)).toBe(150)
    expect(await page.locator('.cm thead').textContent()).toContain('2 · virginica')
    await page.getByRole('button', { name: /^True 0, predicted 0/ }).click()
    const listing = page.getByRole('table', { name: 'Rows of the chosen cell' })
    // The listed rows are the features the model took (not the text column), as text.
    expect(await listing.locator('thead th').allTextContents()).toEqual(['Row', 'sepal length (cm)', 'sepal width (cm)', 'petal length (cm)', 'petal width (cm)', 'True', 'Predicted'])
    expect(await page.locator('main b').count()).toBe(0)
    await app.context.close()
  })
})
