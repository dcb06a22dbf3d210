/**
 * Serving latency through the service worker vs. calling the model in the page, in Chromium: a
 * single-row request and a 1,000-row batch (median and p95). Node drives it: the worker needs a build.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { launchChromium } from '../e2e/harness.ts'
import { buildServingHarness } from '../e2e/serving/build-harness.ts'
import type { ServingHarness } from '../e2e/serving/harness-app/main.ts'
import { serveDirectory } from '../e2e/serving/static-server.ts'

interface BenchFigure { name: string; value: number; unit: string; target?: string }

const SINGLE_REPEATS = 200
const BATCH_REPEATS = 40
const WARMUP = 10

const quantile = (values: number[], q: number) => {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!
}

/** Deterministic iris-like rows. */
function rows(count: number): number[][] {
  return Array.from({ length: count }, (_, row) => Array.from({ length: 4 }, (_, column) => Math.round((Math.sin(row * 4 + column) + 1.5) * 300) / 100))
}

export async function run(): Promise<BenchFigure[]> {
  const directory = mkdtempSync(join(tmpdir(), 'lablog-serving-bench-'))
  const server = await (async () => { await buildServingHarness(directory); return serveDirectory(directory) })()
  const browser = await launchChromium()
  try {
    const page = await browser.newPage()
    await page.goto(`${server.url}/`)
    await page.waitForFunction(() => 'servingHarness' in window)
    const call = <T>(method: keyof ServingHarness, ...args: unknown[]) =>
      page.evaluate(([name, parameters]) => ((window as unknown as { servingHarness: Record<string, (...values: unknown[]) => Promise<unknown>> })
        .servingHarness[name as string]!)(...(parameters as unknown[])), [method, args] as const) as Promise<T>
    await call('registerWorker')
    await call('seed')
    const figures: BenchFigure[] = []
    // The first request pays for starting tfjs in the worker and loading the model from IndexedDB.
    const [first] = await call<number[]>('timeServed', rows(1), 1)
    figures.push({ name: 'first request after install (tfjs start + model load)', value: first!, unit: 'ms' })
    for (const [label, input, repeats] of [['1 row', rows(1), SINGLE_REPEATS], ['1,000 rows', rows(1000), BATCH_REPEATS]] as const) {
      // Warm both paths: the first served request starts tfjs in the worker and loads the model.
      await call('timeServed', input, WARMUP)
      await call('timeDirect', input, WARMUP)
      const direct = await call<number[]>('timeDirect', input, repeats)
      const served = await call<number[]>('timeServed', input, repeats)
      figures.push(
        { name: `${label}: direct predict in the page, median`, value: quantile(direct, 0.5), unit: 'ms' },
        { name: `${label}: direct predict in the page, p95`, value: quantile(direct, 0.95), unit: 'ms' },
        { name: `${label}: POST /serve/…/invocations via service worker, median`, value: quantile(served, 0.5), unit: 'ms' },
        { name: `${label}: POST /serve/…/invocations via service worker, p95`, value: quantile(served, 0.95), unit: 'ms' },
        { name: `${label}: service-worker overhead (median − median)`, value: quantile(served, 0.5) - quantile(direct, 0.5), unit: 'ms', target: '< 5 ms' },
      )
      // Where the worker's time goes (its Server-Timing phases); the rest is the fetch round trip and the page's JSON parse.
      const phases = await call<Record<string, number>>('servedPhases', input, Math.min(repeats, 50))
      for (const [phase, value] of Object.entries(phases)) figures.push({ name: `${label}: in the worker, ${phase} (median)`, value, unit: 'ms' })
    }
    return figures
  } finally {
    await browser.close()
    await server.stop()
    rmSync(directory, { recursive: true, force: true })
  }
}
