/**
 * Early stopping as MLflow's Keras autolog records it: the callback's settings as params, and
 * `stopped_epoch` (and `restored_epoch` when best weights were restored) as metrics.
 */

/** The fields of tfjs's EarlyStopping (and look-alike custom callbacks) that autolog reads. */
interface EarlyStoppingLike {
  stoppedEpoch?: unknown
  monitor?: unknown
  minDelta?: unknown
  patience?: unknown
  baseline?: unknown
  mode?: unknown
  restoreBestWeights?: unknown
  /** Set by callbacks that know which epoch's weights they restored. */
  restoredEpoch?: unknown
}

const isEarlyStopping = (callback: unknown): callback is EarlyStoppingLike =>
  typeof callback === 'object' && callback !== null && 'patience' in callback && 'monitor' in callback

/** Params (before training) and metrics (after) of the first early-stopping callback, if any. */
export function describeEarlyStopping(callbacks: readonly unknown[]): { params: Record<string, unknown>; metrics: Record<string, number> } {
  const callback = callbacks.find(isEarlyStopping)
  if (!callback) return { params: {}, metrics: {} }
  const params: Record<string, unknown> = {
    monitor: callback.monitor,
    // tfjs stores minDelta negated when the monitored value should decrease.
    min_delta: typeof callback.minDelta === 'number' ? Math.abs(callback.minDelta) : callback.minDelta,
    patience: callback.patience,
    baseline: callback.baseline ?? null,
    mode: callback.mode,
    restore_best_weights: Boolean(callback.restoreBestWeights),
  }
  const metrics: Record<string, number> = {}
  const stopped = callback.stoppedEpoch
  if (typeof stopped === 'number' && stopped > 0) {
    metrics.stopped_epoch = stopped
    if (typeof callback.restoredEpoch === 'number') metrics.restored_epoch = callback.restoredEpoch
    else if (callback.restoreBestWeights && typeof callback.patience === 'number') {
      // Keras restores the weights of the best epoch, which is `patience` epochs before the stop.
      metrics.restored_epoch = Math.max(0, stopped - Math.max(1, callback.patience))
    }
  }
  return { params, metrics }
}
