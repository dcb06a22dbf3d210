/**
 * What autolog records about a fit before it starts: the fit arguments, the optimizer and its
 * config, loss and metric names, layer and parameter counts, and the model summary text.
 */
import type { LayersModel, ModelFitArgs, ModelFitDatasetArgs } from '@tensorflow/tfjs'

/** The training call being tracked: `fit(x, y, args)` or `fitDataset(dataset, args)`. */
export type FitMethod = 'fit' | 'fitDataset'

const snakeCase = (name: string) => name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase()

/** A loss or metric as text: its name when it is a string, a function's name otherwise. */
function nameOf(value: unknown): unknown {
  if (typeof value === 'function') return value.name || 'custom'
  if (Array.isArray(value)) return value.map(nameOf)
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, nameOf(item)]))
  return value
}

/** Optimizer params as MLflow's Keras autolog names them: opt_name, opt_learning_rate, opt_<config key>. */
export function optimizerParams(model: LayersModel): Record<string, unknown> {
  const optimizer = model.optimizer
  if (!optimizer) return {}
  const params: Record<string, unknown> = { opt_name: optimizer.getClassName() }
  let config: Record<string, unknown> = {}
  try { config = optimizer.getConfig() as Record<string, unknown> } catch { /* a custom optimizer without getConfig */ }
  for (const [key, value] of Object.entries(config)) {
    if (value === undefined || typeof value === 'function' || (typeof value === 'object' && value !== null)) continue
    params[`opt_${snakeCase(key)}`] = value
  }
  return params
}

/** The fit arguments with tfjs's defaults filled in, under MLflow's Keras param names. */
export function fitArgumentParams(method: FitMethod, args: ModelFitArgs | ModelFitDatasetArgs<unknown>): Record<string, unknown> {
  if (method === 'fit') {
    const fitArgs = args as ModelFitArgs
    return {
      epochs: fitArgs.epochs ?? 1,
      batch_size: fitArgs.batchSize ?? 32,
      validation_split: fitArgs.validationSplit ?? 0,
      shuffle: fitArgs.shuffle ?? true,
      initial_epoch: fitArgs.initialEpoch ?? 0,
      steps_per_epoch: fitArgs.stepsPerEpoch ?? null,
    }
  }
  const datasetArgs = args as ModelFitDatasetArgs<unknown>
  return {
    epochs: datasetArgs.epochs,
    initial_epoch: datasetArgs.initialEpoch ?? 0,
    steps_per_epoch: datasetArgs.batchesPerEpoch ?? null,
    validation_batches: datasetArgs.validationBatches ?? null,
  }
}

/** Compile settings and model size: loss, metric names, layer and parameter counts, model class. */
export function modelParams(model: LayersModel): Record<string, unknown> {
  const metricNames = (model.metricsNames ?? []).filter(name => name !== 'loss')
  return {
    loss: nameOf(model.loss),
    metrics: metricNames,
    layer_count: model.layers.length,
    parameter_count: model.countParams(),
    model_class: model.getClassName(),
  }
}

/** Every param autolog logs for one fit. */
export function autologParams(model: LayersModel, method: FitMethod, args: ModelFitArgs | ModelFitDatasetArgs<unknown>): Record<string, unknown> {
  return { ...fitArgumentParams(method, args), ...optimizerParams(model), ...modelParams(model) }
}

/** `model.summary()` as text, the way tfjs prints it. */
export function modelSummaryText(model: LayersModel): string {
  const lines: string[] = []
  model.summary(undefined, undefined, (...parts: unknown[]) => { lines.push(parts.map(String).join(' ')) })
  return `${lines.join('\n')}\n`
}
