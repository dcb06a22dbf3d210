// pushRuns from a local store (fake-indexeddb, as the CLI uses) to the test MLflow server in the
// same process: requests against the minimum MLflow's batch limits allow, points per second, and
// what a second push with nothing new costs. Scale: LABLOG_BENCH_PUSH_RUNS (default 100 runs).
import { inMemoryTrackingUri } from '../../src/cli/memory-store.ts'
import { storesFor } from '../../src/store/uri.ts'
import { pushRuns } from '../../src/sync/push.ts'
import { MlflowClient } from '../../src/tracking/client.ts'
import { MlflowTestServer } from '../support/mlflow-test-server.ts'
import type { BenchResult } from './types.ts'

const T0 = 1_735_689_600_000
const RUNS = Number(process.env.LABLOG_BENCH_PUSH_RUNS ?? 100)
const METRICS = 10
const STEPS = 10_000
const PARAMS = 5

export async function run(): Promise<BenchResult[]> {
  const uri = await inMemoryTrackingUri('bench')
  const local = new MlflowClient(uri)
  const experimentId = await local.createExperiment('bench-push')
  const runIds: string[] = []
  for (let index = 0; index < RUNS; index++) {
    const runId = (await local.createRun(experimentId, { runName: `run-${index}`, startTime: T0 + index })).info.runId
    await local.logBatch(runId, { params: Array.from({ length: PARAMS }, (_, p) => ({ key: `p${p}`, value: p })) })
    const metrics = []
    for (let m = 0; m < METRICS; m++) for (let step = 0; step < STEPS; step++) metrics.push({ key: `metric_${m}`, value: Math.sin(step + m), timestamp: T0 + step, step })
    // One transaction per run: the local store takes any number of points in logMetrics.
    await storesFor(uri).tracking.logMetrics(runId, metrics)
    await local.setTerminated(runId, 'FINISHED', T0 + STEPS)
    runIds.push(runId)
  }

  const server = await MlflowTestServer.start()
  try {
    const points = RUNS * METRICS * STEPS
    const entitiesPerRun = METRICS * STEPS + PARAMS
    // The fewest requests the limits allow: each run's params and points in batches of 1000 entities, plus its runs/create.
    const minimum = RUNS * (Math.ceil(entitiesPerRun / 1000) + 1)
    const start = performance.now()
    await pushRuns({ runIds, from: uri, to: server.url })
    const seconds = (performance.now() - start) / 1000
    const sent = server.requests.length
    const logBatches = server.requestsTo('runs/log-batch').length

    const before = server.requests.length
    const againStart = performance.now()
    await pushRuns({ runIds, from: uri, to: server.url })
    const againMs = performance.now() - againStart
    const again = server.requests.slice(before)
    const scale = `${RUNS} runs × ${METRICS} metrics × ${STEPS} steps`
    return [
      { name: `first push, ${scale}: requests sent`, value: sent, unit: 'requests', target: `≤ ${Math.round(minimum * 1.05)} (minimum ${minimum} + 5%)` },
      { name: 'first push: overhead over the minimum', value: (sent / minimum - 1) * 100, unit: '%', target: '≤ 5' },
      { name: 'first push: log-batch requests', value: logBatches, unit: 'requests' },
      { name: 'first push: throughput', value: points / seconds, unit: 'points/s' },
      { name: 'second push, nothing new: time', value: againMs, unit: 'ms' },
      { name: 'second push, nothing new: requests', value: again.length, unit: 'requests', target: `≤ ${1 + RUNS} (1 per experiment + 1 per run)` },
    ]
  } finally {
    await server.close()
  }
}
