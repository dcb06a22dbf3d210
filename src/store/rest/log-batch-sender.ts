/**
 * Sends log-batch requests so that every metric point lands exactly once. A batch with metrics is
 * not idempotent, so after a failure whose outcome is unknown (connection dropped after sending,
 * a 5xx) the server's history is read and only the points it lacks are sent again.
 */
import type { HttpTransport } from './http-transport.ts'
import { RestError } from './rest-errors.ts'
import type { WireBatch } from './batch-split.ts'
import { type WireMetric, readDouble, readInt64 } from './wire-format.ts'

const LOG_BATCH = '/api/2.0/mlflow/runs/log-batch'
const GET_HISTORY = '/api/2.0/mlflow/metrics/get-history'
/** MLflow's page size for metric history (GET_METRIC_HISTORY_MAX_RESULTS); 2.x servers ignore it and send all. */
export const METRIC_HISTORY_PAGE_SIZE = 25_000

/** One request body as MLflow expects it: empty arrays left out, as the Python client sends them. */
export function logBatchBody(runId: string, batch: WireBatch): Record<string, unknown> {
  return {
    run_id: runId,
    ...(batch.metrics.length ? { metrics: batch.metrics } : {}),
    ...(batch.params.length ? { params: batch.params } : {}),
    ...(batch.tags.length ? { tags: batch.tags } : {}),
  }
}

/** Every point of one metric as the server sends it, following page tokens when the server pages. */
export async function fetchWireHistory(transport: HttpTransport, runId: string, key: string): Promise<WireMetric[]> {
  const points: WireMetric[] = []
  let pageToken: string | undefined
  do {
    const page = await transport.json<{ metrics?: WireMetric[]; next_page_token?: string }>({
      method: 'GET', path: GET_HISTORY, idempotent: true,
      query: { run_id: runId, metric_key: key, max_results: METRIC_HISTORY_PAGE_SIZE, page_token: pageToken },
    })
    points.push(...(page.metrics ?? []))
    // A page with no points ends the walk even if a token came back, so a looping server cannot hang us.
    pageToken = page.metrics?.length ? page.next_page_token || undefined : undefined
  } while (pageToken)
  return points
}

/**
 * Sends one request's worth of a batch. Params (same value again is allowed) and tags (overwritten)
 * are safe to repeat, so only metrics need the check after an unknown outcome.
 * Limitation: a point equal in step, timestamp and value to one the server already holds counts as
 * delivered (a SQL-backed MLflow stores such a point once anyway).
 */
export async function sendLogBatch(transport: HttpTransport, runId: string, batch: WireBatch, maxRounds: number): Promise<void> {
  let pending = batch
  for (let round = 1; ; round++) {
    try {
      await transport.json({ method: 'POST', path: LOG_BATCH, json: logBatchBody(runId, pending), idempotent: pending.metrics.length === 0 })
      return
    } catch (error) {
      if (!(error instanceof RestError) || !error.failure.outcomeUnknown || round >= maxRounds) throw error
    }
    pending = { ...pending, metrics: await metricsMissingOnServer(transport, runId, pending.metrics) }
    if (pending.metrics.length === 0 && pending.params.length === 0 && pending.tags.length === 0) return
  }
}

/** The points of `sent` the server does not hold, in their order. */
async function metricsMissingOnServer(transport: HttpTransport, runId: string, sent: WireMetric[]): Promise<WireMetric[]> {
  const keys = [...new Set(sent.map(metric => metric.key))]
  const held = new Set<string>()
  for (const key of keys) {
    for (const point of await fetchWireHistory(transport, runId, key)) held.add(pointIdentity(point))
  }
  return sent.filter(point => !held.has(pointIdentity(point)))
}

// Normalised so "NaN", a clamped infinity and a numeric string compare equal to what was sent.
function pointIdentity(point: WireMetric): string {
  return `${point.key}\u0000${readInt64(point.step)}\u0000${readInt64(point.timestamp)}\u0000${readDouble(point.value)}`
}
