// A worker that logs metrics through the library, as a training worker does.
import { expose } from 'comlink'
import { MlflowClient } from '../../../src/index.ts'

const api = {
  /** Logs `count` points of `key` in batches of `batchSize`, each batch awaited (durable). */
  async logPoints(trackingUri: string, runId: string, key: string, count: number, batchSize: number): Promise<number> {
    const client = new MlflowClient(trackingUri)
    for (let start = 0; start < count; start += batchSize) {
      const metrics = Array.from({ length: Math.min(batchSize, count - start) }, (_, index) =>
        ({ key, value: Math.sqrt(start + index), step: start + index, timestamp: Date.now() }))
      await client.logBatch(runId, { metrics })
    }
    return count
  },
  async createRun(trackingUri: string, experimentId: string): Promise<string> {
    return (await new MlflowClient(trackingUri).createRun(experimentId, { runName: 'from-worker' })).info.runId
  },
}
export type LoggingWorkerApi = typeof api
expose(api)
