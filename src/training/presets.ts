/**
 * Model presets (logistic regression, MLP, small CNN for 8×8 digits) and layers-JSON models, built
 * and compiled from a spec. Presets take raw rows: scaling is a fixed layer inside the model.
 */
import type { LayersModel, Optimizer, Sequential } from '@tensorflow/tfjs'
import { invalidParameter } from '../core/errors.ts'
import type { Tf } from '../tfjs/load-tf.ts'
import type { CompileSpec, ModelSpec } from './spec.ts'
import { featureMoments, type TrainingTable } from './training-data.ts'

/** Classification ends in softmax over the classes; regression in one linear unit. */
function addOutput(tf: Tf, model: Sequential, table: TrainingTable, seed: number): void {
  const classification = table.task === 'classification'
  model.add(tf.layers.dense({
    name: 'output',
    units: classification ? table.classCount! : 1,
    activation: classification ? 'softmax' : 'linear',
    kernelInitializer: tf.initializers.glorotUniform({ seed }),
  }))
}

/**
 * A frozen dense layer computing (x - mean) / std per feature: the logged model then takes raw
 * rows, so evaluation and predict() need no separate preprocessing step.
 */
function addStandardization(tf: Tf, model: Sequential, table: TrainingTable): void {
  const { mean, std } = featureMoments(table.features)
  const width = mean.length
  const scale = tf.tidy(() => tf.diag(tf.tensor1d(std.map(value => 1 / value))))
  const shift = tf.tensor1d(mean.map((value, column) => -value / std[column]!))
  model.add(tf.layers.dense({ name: 'standardize', units: width, inputShape: [width], trainable: false, weights: [scale, shift] }))
  tf.dispose([scale, shift])
}

function buildPreset(tf: Tf, spec: Extract<ModelSpec, { preset: string }>, table: TrainingTable, seed: number, standardize: boolean): Sequential {
  const width = table.featureNames.length
  const model = tf.sequential({ name: spec.preset.replace(/-/g, '_') })
  if (spec.preset === 'cnn') {
    if (!table.imageShape) throw invalidParameter(`The cnn preset needs image data (such as 'digits'); dataset '${table.name}' is tabular.`)
    const [height, imageWidth, channels] = table.imageShape
    const maxValue = Math.max(1, ...table.features.map(row => Math.max(...row)))
    model.add(tf.layers.reshape({ name: 'to_image', inputShape: [width], targetShape: [height, imageWidth, channels] }))
    model.add(tf.layers.rescaling({ name: 'scale', scale: 1 / maxValue }))
    const filters = spec.filters ?? [16, 32]
    filters.forEach((count, index) => {
      model.add(tf.layers.conv2d({ filters: count, kernelSize: 3, padding: 'same', activation: 'relu', kernelInitializer: tf.initializers.heNormal({ seed: seed + index }) }))
      model.add(tf.layers.maxPooling2d({ poolSize: 2 }))
    })
    model.add(tf.layers.flatten())
    model.add(tf.layers.dense({ units: spec.denseUnits ?? 64, activation: 'relu', kernelInitializer: tf.initializers.heNormal({ seed: seed + filters.length }) }))
    addOutput(tf, model, table, seed + filters.length + 1)
    return model
  }
  if (standardize) addStandardization(tf, model, table)
  const first = { inputShape: [width] }
  if (spec.preset === 'mlp') {
    const hidden = spec.hiddenUnits ?? [64, 32]
    hidden.forEach((units, index) => {
      model.add(tf.layers.dense({ units, activation: spec.activation ?? 'relu', kernelInitializer: tf.initializers.glorotUniform({ seed: seed + index }), ...(index === 0 ? first : {}) }))
      if (spec.dropout) model.add(tf.layers.dropout({ rate: spec.dropout, seed: seed + index }))
    })
    addOutput(tf, model, table, seed + hidden.length)
    return model
  }
  if (spec.preset === 'logistic-regression') {
    if (!standardize) model.add(tf.layers.inputLayer({ inputShape: [width] }))
    addOutput(tf, model, table, seed)
    return model
  }
  throw invalidParameter(`Unknown model preset '${(spec as { preset: string }).preset}'. Presets: logistic-regression, mlp, cnn.`)
}

/** The model a spec describes, compiled. */
export async function buildModel(tf: Tf, spec: ModelSpec, compile: CompileSpec, table: TrainingTable, options: { seed: number; standardize?: boolean }): Promise<LayersModel> {
  let model: LayersModel
  if ('layersJson' in spec) {
    let topology: Record<string, unknown>
    try { topology = typeof spec.layersJson === 'string' ? JSON.parse(spec.layersJson) as Record<string, unknown> : spec.layersJson } catch (error) {
      throw invalidParameter(`The model's layers JSON is not valid JSON: ${(error as Error).message}`)
    }
    try { model = await tf.models.modelFromJSON(topology as Parameters<Tf['models']['modelFromJSON']>[0]) } catch (error) {
      throw invalidParameter(`The layers JSON does not describe a tfjs model: ${(error as Error).message}`)
    }
  } else if ('preset' in spec) {
    model = buildPreset(tf, spec, table, options.seed, options.standardize ?? !table.imageShape)
  } else throw invalidParameter('A model spec needs a "preset" or a "layersJson".')

  const classification = table.task === 'classification'
  const optimizerName = compile.optimizer ?? 'adam'
  const optimizers: Record<string, (learningRate?: number) => Optimizer> = {
    adam: rate => tf.train.adam(rate), sgd: rate => tf.train.sgd(rate ?? 0.01), rmsprop: rate => tf.train.rmsprop(rate ?? 0.001),
    adagrad: rate => tf.train.adagrad(rate ?? 0.01), adadelta: rate => tf.train.adadelta(rate), adamax: rate => tf.train.adamax(rate),
  }
  const makeOptimizer = optimizers[optimizerName]
  if (!makeOptimizer) throw invalidParameter(`Unknown optimizer '${optimizerName}'. Choose one of ${Object.keys(optimizers).join(', ')}.`)
  model.compile({
    optimizer: makeOptimizer(compile.learningRate),
    loss: compile.loss ?? (classification ? 'categoricalCrossentropy' : 'meanSquaredError'),
    metrics: compile.metrics ?? (classification ? ['accuracy'] : ['mae']),
  })
  return model
}
