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
 * The requests, in the order to send them: params first, then tags, then metrics fill each
 * request up to every limit. Always at least one (an empty batch still checks the run exists).
 */
export function splitBatch(runId: string, batch: WireBatch, limits: LogBatchLimits = LOG_BATCH_LIMITS): WireBatch[] {
  // The envelope with all three arrays present: an upper bound for what JSON.stringify adds around the entities.
  const envelopeBytes = jsonBytes({ run_id: runId, metrics: [], params: [], tags: [] })
  const requests: WireBatch[] = []
  let current: WireBatch = { metrics: [], params: [], tags: [] }
  let bytes = envelopeBytes
  const entities = () => current.metrics.length + current.params.length + current.tags.length
  const add = <K extends keyof WireBatch>(kind: K, item: WireBatch[K][number], kindLimit: number) => {
    const size = jsonBytes(item) + 1 // the comma before it
    if (current[kind].length >= kindLimit || entities() >= limits.entities || (entities() > 0 && bytes + size > limits.bodyBytes)) {
      requests.push(current)
      current = { metrics: [], params: [], tags: [] }
      bytes = envelopeBytes
    }
    ;(current[kind] as WireBatch[K][number][]).push(item)
    bytes += size
  }
  for (const param of batch.params) add('params', param, limits.params)
  for (const tag of batch.tags) add('tags', tag, limits.tags)
  for (const metric of batch.metrics) add('metrics', metric, limits.metrics)
  requests.push(current)
  return requests
}
