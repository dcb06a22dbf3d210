// A worker that writes a sweep's runs through the library, as a training worker does.
import { expose } from 'comlink'
import { MlflowClient } from '../../../src/index.ts'

const api = {
  /** Creates runs `first`…`first + count - 1` (createRun + logBatch each); returns their ids. */
  async sweep(trackingUri: string, experimentId: string, first: number, count: number): Promise<string[]> {
    const client = new MlflowClient(trackingUri)
    const runIds: string[] = []
    for (let index = first; index < first + count; index++) {
      const run = await client.createRun(experimentId, { runName: `run-${index}`, startTime: 1000 + index })
      await client.logBatch(run.info.runId, {
        params: Array.from({ length: 5 }, (_, p) => ({ key: `param_${p}`, value: String((index * 7 + p) % 13) })),
        metrics: Array.from({ length: 3 }, (_, m) => ({ key: `metric_${m}`, value: ((index * 31 + m) % 1000) / 1000, step: 0, timestamp: 1 })),
        tags: [{ key: 'tag_1', value: `v${index % 4}` }],
      })
      runIds.push(run.info.runId)
    }
    await client.flush()
    return runIds
  },
  /** Logs a new latest value of `key` on each run, and deletes the last one. */
  async change(trackingUri: string, runIds: string[], key: string, value: number): Promise<void> {
    const client = new MlflowClient(trackingUri)
    for (const runId of runIds) await client.logBatch(runId, { metrics: [{ key, value, step: 100, timestamp: 2 }] })
    await client.deleteRun(runIds.at(-1)!)
    await client.flush()
  },
}
export type SweepWorkerApi = typeof api
expose(api)
