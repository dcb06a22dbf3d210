import { wrap } from 'comlink'
import { describe, expect, it } from 'vitest'
import { MlflowClient } from '../../src/index.ts'
import { freshTrackingUri } from '../helpers.ts'
import type { LoggingWorkerApi } from './support/logging.worker.ts'

describe('the store shared by a worker and the window (real Chromium IndexedDB)', () => {
  it('the window sees every point a worker logs, while it logs', async () => {
    const trackingUri = freshTrackingUri('worker')
    const client = new MlflowClient(trackingUri)
    const worker = new Worker(new URL('./support/logging.worker.ts', import.meta.url), { type: 'module' })
    const remote = wrap<LoggingWorkerApi>(worker)
    try {
      const runId = await remote.createRun(trackingUri, '0')
      expect((await client.getRun(runId)).info.runName).toBe('from-worker')

      // Warm the window's search cache before the worker writes: its changes must still show up.
      expect((await client.searchRuns({ experimentIds: ['0'] })).runs[0]!.data.metrics).toEqual({})
      const total = 20_000
      const logging = remote.logPoints(trackingUri, runId, 'loss', total, 500)
      const seenCounts: number[] = []
      let done = false
      void logging.then(() => { done = true })
      while (!done) {
        seenCounts.push((await client.getMetricColumns(runId, 'loss')).steps.length)
        await new Promise(resolve => setTimeout(resolve, 5))
      }
      expect(await logging).toBe(total)
      // Reads during logging saw partial, growing histories: the window was not blocked out.
      expect(seenCounts.some(count => count > 0 && count < total)).toBe(true)
      expect(seenCounts).toEqual([...seenCounts].sort((a, b) => a - b))

      const history = await client.getMetricHistory(runId, 'loss')
      expect(history).toHaveLength(total)
      expect(history.every((point, index) => point.step === index && point.value === Math.sqrt(index))).toBe(true)
      expect((await client.getRun(runId)).data.metrics.loss).toBe(Math.sqrt(total - 1))
      const searched = await client.searchRuns({ experimentIds: ['0'], filter: `metrics.loss > ${Math.sqrt(total - 2)}` })
      expect(searched.runs.map(run => run.info.runId)).toEqual([runId])
    } finally {
      worker.terminate()
    }
  })
})
