/**
 * `mlflow.autolog()` for TensorFlow.js: wraps LayersModel/Sequential `fit` and `fitDataset` so
 * every training call is tracked (run, tags, params, metrics, summary, model) with no logging line.
 */
import type { LayersModel, ModelFitArgs, ModelFitDatasetArgs, Tensor } from '@tensorflow/tfjs'
import type { RunStatus } from '../core/types.ts'
import type { InputExample } from '../models/input-example.ts'
import * as fluent from '../tracking/fluent.ts'
import { createAutologCallback } from './autolog-callback.ts'
import {
  type AutologOptions, type ResolvedAutologOptions, autologWarning, currentAutologOptions, resolveAutologOptions, setCurrentAutologOptions,
} from './autolog-options.ts'
import { deviceTags, memoryMetrics } from './device-context.ts'
import { describeEarlyStopping } from './early-stopping.ts'
import { type FitMethod, autologParams, modelSummaryText } from './fit-params.ts'
import { loadTf, type Tf } from './load-tf.ts'
import { logModel } from './log-model.ts'

/** The tag MLflow sets on runs its autologging created or wrote to. */
export const AUTOLOGGING_TAG = 'mlflow.autologging'
export const MODEL_SUMMARY_FILE = 'model_summary.txt'
const INPUT_EXAMPLE_ROWS = 5

/** Models inside a tracked fit: Sequential.fit calls its inner model's fit, which must not be tracked twice. */
const modelsInTrackedFit = new WeakSet<object>()
/** Models whose training was stopped by stopTraining(): their autologged run ends KILLED. */
const cancelledModels = new WeakSet<object>()
/** Runs whose params were logged already: params are logged once per run. */
const runsWithParams = new Set<string>()

/**
 * Turns TensorFlow.js autologging on (or off with `{ disable: true }`); resolves once every later
 * `model.fit` / `model.fitDataset` in this window or worker is tracked. Calling again replaces the options.
 */
export async function autolog(options: AutologOptions = {}): Promise<void> {
  const resolved = resolveAutologOptions(options)
  setCurrentAutologOptions(resolved)
  if (resolved.disable) return
  installFitWrappers(await loadTf())
}

/**
 * Stops a model's training at the end of the current batch and marks its autologged run KILLED
 * (rather than FINISHED): a user's cancel, as opposed to early stopping.
 */
export function stopTraining(model: LayersModel): void {
  cancelledModels.add(model)
  model.stopTraining = true
}

type FitFunction = (this: LayersModel, ...args: unknown[]) => Promise<unknown>
const ORIGINAL = Symbol('lablog.autolog.original')

function installFitWrappers(tf: Tf): void {
  for (const prototype of [tf.LayersModel.prototype, tf.Sequential.prototype]) {
    for (const method of ['fit', 'fitDataset'] as const) {
      if (!Object.prototype.hasOwnProperty.call(prototype, method)) continue
      const original = prototype[method] as unknown as FitFunction & { [ORIGINAL]?: FitFunction }
      if (original[ORIGINAL]) continue
      const wrapped = function (this: LayersModel, ...args: unknown[]): Promise<unknown> {
        const options = currentAutologOptions()
        if (!options || options.disable || modelsInTrackedFit.has(this)) return original.apply(this, args)
        return trackedFit(tf, this, method, args, original, options)
      } as FitFunction & { [ORIGINAL]?: FitFunction }
      wrapped[ORIGINAL] = original
      ;(prototype as unknown as Record<string, unknown>)[method] = wrapped
    }
  }
}

/** The user's callbacks as tfjs callback objects, in their order (plain `{onEpochEnd…}` objects wrapped as tfjs does). */
function userCallbacks(tf: Tf, callbacks: unknown, yieldEvery: ModelFitArgs['yieldEvery']): unknown[] {
  if (callbacks === undefined || callbacks === null) return []
  const list = Array.isArray(callbacks) ? callbacks : [callbacks]
  return list.map(callback => (typeof (callback as { setParams?: unknown }).setParams === 'function'
    ? callback
    : new tf.CustomCallback(callback as ConstructorParameters<Tf['CustomCallback']>[0], yieldEvery)))
}

/** The first rows of fit's x, as the logged model's input example. */
async function inputExampleOf(tf: Tf, x: unknown): Promise<InputExample | undefined> {
  if (!(x instanceof tf.Tensor) || x.rank < 1) return undefined
  const rows = Math.min(INPUT_EXAMPLE_ROWS, x.shape[0]!)
  const head = tf.slice(x as Tensor, 0, rows)
  try { return await head.array() as InputExample } finally { head.dispose() }
}

async function trackedFit(tf: Tf, model: LayersModel, method: FitMethod, args: unknown[], original: FitFunction, options: ResolvedAutologOptions): Promise<unknown> {
  const argsIndex = method === 'fit' ? 2 : 1
  const fitArgs = (args[argsIndex] ?? {}) as ModelFitArgs & ModelFitDatasetArgs<unknown>
  const callbacks = userCallbacks(tf, fitArgs.callbacks, fitArgs.yieldEvery)
  const client = fluent.getClient()
  let runId: string | undefined
  let ownsRun = false
  try {
    const active = await fluent.activeRun()
    const tags = { ...await deviceTags(tf), [AUTOLOGGING_TAG]: 'tfjs' }
    if (active) {
      runId = active.info.runId
      await client.logBatch(runId, { tags: Object.entries(tags).map(([key, value]) => ({ key, value })) })
    } else {
      runId = (await fluent.startRun({ tags })).info.runId
      ownsRun = true
    }
  } catch (error) {
    autologWarning(options, 'could not start a run; this fit is not tracked', error)
    return original.apply(model, args)
  }
  const trackedRunId = runId
  const warn = (what: string) => (error: unknown) => autologWarning(options, what, error)

  if (!runsWithParams.has(trackedRunId)) {
    const params = { ...autologParams(model, method, fitArgs), ...describeEarlyStopping(callbacks).params }
    await client.logBatch(trackedRunId, { params: Object.entries(params).map(([key, value]) => ({ key, value })) })
      .then(() => runsWithParams.add(trackedRunId), warn('could not log the fit params'))
  }
  await client.logText(trackedRunId, modelSummaryText(model), MODEL_SUMMARY_FILE).catch(warn('could not log the model summary'))
  const example = options.logModels && options.logInputExamples && method === 'fit'
    ? await inputExampleOf(tf, args[0]).catch(() => undefined) : undefined

  const autologCallback = createAutologCallback(tf, { client, runId: trackedRunId, options })
  const trackedArgs = [...args]
  trackedArgs[argsIndex] = { ...fitArgs, callbacks: [...callbacks, autologCallback] }
  const inner = (model as LayersModel & { model?: LayersModel }).model
  modelsInTrackedFit.add(model)
  if (inner) modelsInTrackedFit.add(inner)
  let status: RunStatus = 'FINISHED'
  try {
    return await original.apply(model, trackedArgs)
  } catch (error) {
    status = 'FAILED'
    throw error
  } finally {
    modelsInTrackedFit.delete(model)
    if (inner) modelsInTrackedFit.delete(inner)
    if (status === 'FINISHED' && cancelledModels.has(model)) status = 'KILLED'
    cancelledModels.delete(model)
    autologCallback.sendHeld()
    const stopped = describeEarlyStopping(callbacks).metrics
    const finalStep = Math.max(0, autologCallback.state.lastEpoch)
    const endMetrics = { ...stopped, ...memoryMetrics(tf) }
    await Promise.all(Object.entries(endMetrics).map(([key, value]) => client.logMetric(trackedRunId, key, value, { step: key.startsWith('system/') ? finalStep : 0 })))
      .catch(warn('could not log the end-of-training metrics'))
    if (status === 'FINISHED' && options.logModels) {
      await logModel(model, 'model', { runId: trackedRunId, ...(example ? { inputExample: example } : {}) }).catch(warn('could not log the trained model'))
    }
    await client.flush().catch(warn('some metrics could not be written'))
    if (ownsRun) await fluent.endRun(status, trackedRunId).catch(warn(`could not end run ${trackedRunId}`))
  }
}
