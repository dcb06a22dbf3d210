// REST store throughput against the test MLflow server in the same Node process (so the figures
// include the server's own cost): batched logging, write-behind logging, history reads, round trips.
import { MlflowClient } from '../../src/tracking/client.ts'
import { MlflowTestServer } from '../support/mlflow-test-server.ts'
import type { BenchResult } from './types.ts'

const T0 = 1_735_689_600_000

async function timed(body: () => Promise<void>): Promise<number> {
  const start = performance.now()
  await body()
  return (performance.now() - start) / 1000
}

export async function run(): Promise<BenchResult[]> {
  const server = await MlflowTestServer.start()
  try {
    const client = new MlflowClient(server.url)
    const experimentId = await client.createExperiment('bench')
    const results: BenchResult[] = []

    const batchRun = (await client.createRun(experimentId)).info.runId
    const points = 100_000
    const metrics = Array.from({ length: points }, (_, step) => ({ key: 'loss', value: Math.random(), timestamp: T0 + step, step }))
    const batchSeconds = await timed(() => client.logBatch(batchRun, { metrics }))
    results.push({ name: 'logBatch, 100k points (100 requests of 1,000)', value: points / batchSeconds, unit: 'points/s' })

    const loopRun = (await client.createRun(experimentId)).info.runId
    const loopPoints = 50_000
    const loopSeconds = await timed(async () => {
      for (let step = 0; step < loopPoints; step++) void client.logMetric(loopRun, 'acc', step / loopPoints, { step, timestamp: T0 + step })
      await client.flush()
    })
    results.push({ name: 'logMetric in a loop + flush, 50k points', value: loopPoints / loopSeconds, unit: 'points/s' })

    const readSeconds = await timed(async () => { await client.getMetricColumns(batchRun, 'loss') })
    results.push({ name: 'getMetricColumns, 100k points', value: points / readSeconds, unit: 'points/s' })

    const roundTrips = 200
    const roundTripSeconds = await timed(async () => { for (let index = 0; index < roundTrips; index++) await client.getExperiment(experimentId) })
    results.push({ name: 'getExperiment round trip', value: (roundTripSeconds * 1000) / roundTrips, unit: 'ms' })

    const paramRun = (await client.createRun(experimentId)).info.runId
    const params = 1000
    const paramSeconds = await timed(async () => { for (let index = 0; index < params; index += 100) await client.logBatch(paramRun, { params: Array.from({ length: 100 }, (_, offset) => ({ key: `p${index + offset}`, value: index + offset })) }) })
    results.push({ name: 'params via logBatch of 100', value: params / paramSeconds, unit: 'params/s' })
    return results
  } finally {
    await server.close()
  }
}
