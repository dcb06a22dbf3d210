/**
 * Splits a log-batch into requests a tracking server accepts: at most 1000 metrics, 100 params,
 * 100 tags and 1000 entities each, and a JSON body under 1 MB. Each kind keeps its order.
 */
import type { WireMetric, WireTag } from './wire-format.ts'

/** One runs/log-batch request body, less the run id. */
export interface WireBatch { metrics: WireMetric[]; params: WireTag[]; tags: WireTag[] }

/** MLflow's log-batch limits (mlflow/utils/validation.py; the server's 400 names them). */
export const LOG_BATCH_LIMITS = { metrics: 1000, params: 100, tags: 100, entities: 1000, bodyBytes: 1_000_000 } as const

export type LogBatchLimits = { [K in keyof typeof LOG_BATCH_LIMITS]: number }

const encoder = new TextEncoder()

/** UTF-8 length of a JSON text; ASCII needs no encoding, which keeps 100k-point splits cheap. */
function jsonBytes(value: unknown): number {
  const text = JSON.stringify(value)
  // eslint-disable-next-line no-control-regex
  return /^[\x00-\x7f]*$/.test(text) ? text.length : encoder.encode(text).length
}

/**
 * The requests, in the order to send them. Each takes the next params (up to 100), then the next
 * tags (up to 100), then fills up with metrics, within every limit. Always at least one request
 * (an empty batch still checks that the run exists).
 */
export function splitBatch(runId: string, batch: WireBatch, limits: LogBatchLimits = LOG_BATCH_LIMITS): WireBatch[] {
  // The envelope with all three arrays present: an upper bound for what JSON.stringify adds around the entities.
  const envelopeBytes = jsonBytes({ run_id: runId, metrics: [], params: [], tags: [] })
  const next = { params: 0, tags: 0, metrics: 0 }
  const requests: WireBatch[] = []
  do {
    const request: WireBatch = { metrics: [], params: [], tags: [] }
    let bytes = envelopeBytes, entities = 0
    const fill = <K extends keyof WireBatch>(kind: K, kindLimit: number) => {
      const items = batch[kind] as WireBatch[K][number][]
      while (next[kind] < items.length && request[kind].length < kindLimit && entities < limits.entities) {
        const item = items[next[kind]]!
        const size = jsonBytes(item) + 1 // the comma before it
        if (entities > 0 && bytes + size > limits.bodyBytes) return
        ;(request[kind] as WireBatch[K][number][]).push(item)
        bytes += size
        entities++
        next[kind]++
      }
    }
    fill('params', limits.params)
    fill('tags', limits.tags)
    fill('metrics', limits.metrics)
    requests.push(request)
  } while (next.params < batch.params.length || next.tags < batch.tags.length || next.metrics < batch.metrics.length)
  return requests
}
