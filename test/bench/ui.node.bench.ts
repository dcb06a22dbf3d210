/**
 * UI benchmarks on the built PWA in Chromium: 10,000 runs (first table render, filter latency, scroll
 * frame time), a 1,000,000-point metric (first draw, zoom re-sample) and the app-shell JS before first paint.
 * Prints figures, asserts nothing. Standalone: npx tsx test/bench/ui.bench.ts
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import type { Page } from 'playwright-core'
import { ROOT, buildApp, launchChromium, startPreview } from '../e2e/harness.ts'

export interface BenchResult { name: string; value: number; unit: string; target?: string }

// Smaller sizes (LABLOG_BENCH_RUNS, LABLOG_BENCH_POINTS) make quick checks of the benchmark itself.
const RUNS = Number(process.env.LABLOG_BENCH_RUNS ?? 10_000)
const POINTS = Number(process.env.LABLOG_BENCH_POINTS ?? 1_000_000)

/** Gzipped bytes of the JS index.html loads before first paint: the entry and its modulepreloads. */
function shellJsGzipBytes(): number {
  const dist = join(ROOT, 'dist')
  const html = readFileSync(join(dist, 'index.html'), 'utf8')
  const scripts = [...html.matchAll(/<(?:script[^>]*\ssrc|link[^>]*rel="modulepreload"[^>]*\shref)="([^"]+\.js)"/g)].map(match => match[1]!)
  return scripts.reduce((sum, src) => sum + gzipSync(readFileSync(join(dist, src.replace(/^\//, '')))).length, 0)
}

/** Resolves in the page with performance.now() on the first animation frame where `predicate` holds. */
function untilFrame(page: Page, predicate: string, timeoutMs = 60_000): Promise<number> {
  return page.evaluate(({ predicate, timeoutMs }) => new Promise<number>((resolve, reject) => {
    const test = new Function(`return (${predicate})`) as () => boolean
    const deadline = performance.now() + timeoutMs
    const check = () => {
      if (test()) return resolve(performance.now())
      if (performance.now() > deadline) return reject(new Error(`timed out waiting for ${predicate}`))
      requestAnimationFrame(check)
    }
    check()
  }), { predicate, timeoutMs })
}

async function seedRuns(page: Page): Promise<string> {
  return page.evaluate(async count => {
    const client = new (window as any).lablog.MlflowClient()
    const experimentId: string = await client.createExperiment(`bench-${Date.now()}`)
    const start = Date.now() - count * 1000
    for (let i = 0; i < count; i++) {
      const run = await client.createRun(experimentId, { runName: `run-${i}`, startTime: start + i * 1000 })
      await client.logBatch(run.info.runId, {
        params: Array.from({ length: 5 }, (_, p) => ({ key: `p${p}`, value: ['a', 'b', 'c'][(i + p) % 3] })),
        metrics: Array.from({ length: 5 }, (_, m) => ({ key: `m${m}`, value: ((i * 7919 + m * 104729) % 1000) / 1000, timestamp: start + i * 1000, step: 0 })),
      })
    }
    return experimentId
  }, RUNS)
}

async function seedBigMetric(page: Page): Promise<string> {
  return page.evaluate(async points => {
    const client = new (window as any).lablog.MlflowClient()
    const run = await client.createRun('0', { runName: 'million' })
    const t0 = Date.now()
    for (let start = 0; start < points; start += 1000) {
      await client.logBatch(run.info.runId, { metrics: Array.from({ length: 1000 }, (_, i) => {
        const step = start + i
        return { key: 'loss', value: Math.exp(-step / 200_000) + 0.05 * Math.sin(step / 50) + (step % 1009) / 20_000, timestamp: t0 + step, step }
      }) })
    }
    return run.info.runId as string
  }, POINTS)
}

const progress = (message: string) => { if (process.env.LABLOG_BENCH_VERBOSE) console.error(`ui.bench: ${message}`) }

export async function run(): Promise<BenchResult[]> {
  if (process.env.LABLOG_BENCH_SKIP_BUILD !== '1') await buildApp()
  const results: BenchResult[] = [{ name: 'app shell JS before first paint (gzip)', value: Math.round(shellJsGzipBytes() / 1024), unit: 'KB', target: '≤ 250 KB' }]
  const server = await startPreview()
  const browser = await launchChromium()
  try {
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 } })
    // tsx (esbuild) wraps named functions in __name(); the page has no such helper.
    await context.addInitScript('window.__name = (fn) => fn')
    const page = await context.newPage()
    page.on('crash', () => console.error('ui.bench: the page crashed'))
    page.on('pageerror', error => console.error('ui.bench: page error:', error.message))
    await page.goto(`${server.url}/#/data`)
    await page.waitForFunction(() => 'lablog' in window)

    progress('seeding runs')
    const seedStart = Date.now()
    const experimentId = await seedRuns(page)
    results.push({ name: `seed ${RUNS.toLocaleString('en')} runs (createRun + logBatch)`, value: Date.now() - seedStart, unit: 'ms' })

    progress('first table')
    // Time to first rendered runs table: a fresh page load straight onto the experiment.
    await page.goto(`${server.url}/#/experiments/${experimentId}`)
    await page.reload()
    const allRunsShown = `(document.querySelector('.run-count')?.textContent ?? '').startsWith(${JSON.stringify(`${RUNS.toLocaleString('en')} runs`)})`
    const firstTable = await untilFrame(page, `document.querySelectorAll('.rt-body .rt-row').length > 0 && ${allRunsShown}`)
    results.push({ name: `time to first rendered runs table (${RUNS.toLocaleString('en')} runs, page load)`, value: Math.round(firstTable), unit: 'ms' })

    progress('filter')
    // Filter-to-result: Enter in the filter box until the narrowed table is on screen.
    const filterMs = await page.evaluate(() => new Promise<number>(resolve => {
      const input = document.querySelector('.filter-input') as HTMLInputElement
      input.value = "metrics.m0 > 0.5 and params.p1 = 'b'"
      input.dispatchEvent(new Event('input', { bubbles: true }))
      const before = document.querySelector('.run-count')?.textContent
      const t0 = performance.now()
      input.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true }))
      const check = () => (document.querySelector('.run-count')?.textContent !== before || performance.now() - t0 > 60_000 ? resolve(performance.now() - t0) : requestAnimationFrame(check))
      requestAnimationFrame(check)
    }))
    results.push({ name: `filter-to-result latency (${RUNS.toLocaleString('en')} runs)`, value: Math.round(filterMs), unit: 'ms' })
    await page.evaluate(() => {
      const input = document.querySelector('.filter-input') as HTMLInputElement
      input.value = ''
      input.dispatchEvent(new Event('input', { bubbles: true }))
      input.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true }))
    })
    await untilFrame(page, allRunsShown)

    progress('scroll')
    // Scroll frame time: scroll 120 px per frame for 240 frames, timing each frame.
    const frames = await page.evaluate(() => new Promise<number[]>(resolve => {
      const scroller = document.querySelector('.rt-scroller') as HTMLElement
      const times: number[] = []
      let last = performance.now(), count = 0
      const step = (now: number) => {
        times.push(now - last)
        last = now
        scroller.scrollTop += 120
        if (++count < 240) requestAnimationFrame(step)
        else resolve(times.slice(2))
      }
      requestAnimationFrame(step)
    }))
    frames.sort((a, b) => a - b)
    results.push({ name: `scroll frame time, median (${RUNS.toLocaleString('en')} runs)`, value: Number(frames[Math.floor(frames.length / 2)]!.toFixed(1)), unit: 'ms', target: '≤ 16.7 ms' })
    results.push({ name: `scroll frame time, p95 (${RUNS.toLocaleString('en')} runs)`, value: Number(frames[Math.floor(frames.length * 0.95)]!.toFixed(1)), unit: 'ms' })

    progress('seeding the big metric')
    const bigStart = Date.now()
    const runId = await seedBigMetric(page)
    results.push({ name: `seed ${POINTS.toLocaleString('en')}-point metric`, value: Date.now() - bigStart, unit: 'ms' })

    progress('first draw')
    // First draw: from opening the metrics tab (app already loaded, plotly cached by the browser) to the drawn chart.
    await page.goto(`${server.url}/#/experiments/0`)
    await page.waitForFunction(() => 'lablog' in window)
    const opened = await page.evaluate(id => { location.hash = `#/runs/${id}/metrics`; return performance.now() }, runId)
    const drawn = await untilFrame(page, `(document.querySelector('.chart-plot[data-chart="loss"]')?.data?.[0]?.x?.length ?? 0) > 0`)
    results.push({ name: `${POINTS.toLocaleString('en')}-point metric: time to first draw (from opening the tab)`, value: Math.round(drawn - opened), unit: 'ms', target: '< 500 ms' })

    progress('zoom')
    // Zoom re-sample: a relayout to a 10,000-step window, until the chart shows the new sample.
    const zoomMs = await page.evaluate(() => new Promise<number>(resolve => {
      const element = document.querySelector('.chart-plot[data-chart="loss"]') as HTMLElement & { emit(event: string, data: unknown): void }
      const before = element.dataset.drawCount
      const t0 = performance.now()
      element.emit('plotly_relayout', { 'xaxis.range[0]': 400_000, 'xaxis.range[1]': 410_000 })
      const check = () => (element.dataset.drawCount !== before || performance.now() - t0 > 60_000 ? resolve(performance.now() - t0) : requestAnimationFrame(check))
      requestAnimationFrame(check)
    }))
    results.push({ name: `${POINTS.toLocaleString('en')}-point metric: zoom re-sample and redraw`, value: Math.round(zoomMs), unit: 'ms' })
    await context.close()
  } finally {
    await browser.close()
    await server.stop()
  }
  return results
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const result of await run()) console.log(`${result.name}: ${result.value} ${result.unit}${result.target ? ` (target ${result.target})` : ''}`)
}
