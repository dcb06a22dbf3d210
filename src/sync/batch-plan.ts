/**
 * Packs params, tags and metric points into log-batch requests the way MLflow's limits allow
 * (≤ 100 params, ≤ 100 tags, ≤ 1000 entities each), filling every request, so pushing N points
 * takes ⌈N / 1000⌉ requests whatever the keys. Params go first: they are immutable on the server.
 */
import type { Metric, Param, RunTag } from '../core/types.ts'
import type { LogBatchRequest } from '../store/tracking-store.ts'

export const BATCH_LIMITS = { params: 100, tags: 100, entities: 1000 } as const

/** The requests, in order; none when there is nothing to send. */
export function planBatches(params: Param[], tags: RunTag[], metrics: Metric[], limits = BATCH_LIMITS): Required<LogBatchRequest>[] {
  const batches: Required<LogBatchRequest>[] = []
  let p = 0, t = 0, m = 0
  while (p < params.length || t < tags.length || m < metrics.length) {
    const batchParams = params.slice(p, p + limits.params)
    p += batchParams.length
    const batchTags = tags.slice(t, t + Math.min(limits.tags, limits.entities - batchParams.length))
    t += batchTags.length
    const room = limits.entities - batchParams.length - batchTags.length
    const batchMetrics = metrics.slice(m, m + room)
    m += batchMetrics.length
    batches.push({ params: batchParams, tags: batchTags, metrics: batchMetrics })
  }
  return batches
}

/** Entities in a batch, for progress. */
export const batchSize = (batch: Required<LogBatchRequest>) => batch.params.length + batch.tags.length + batch.metrics.length
