/**
 * Runs the model `evaluate` was given — a model URI, a loaded tfjs LayersModel or a plain function — on the
 * feature columns and turns its output into labels (and class probabilities, when it gives them).
 * tfjs is imported only when the model is a URI or a tfjs model, so function models never load it.
 */
import { invalidParameter, isMlflowError, MlflowError } from '../core/errors.ts'
import type { MlflowClient } from '../tracking/client.ts'
import { type DataColumn, type FeatureColumns, featureMatrix } from './data.ts'
import { compareLabels } from './labels.ts'
import { type ModelOutput, readModelOutput, type RawOutput } from './model-output.ts'
import type { Label, ProbabilityMatrix } from './types.ts'

export type { ModelOutput } from './model-output.ts'

/** What a function model receives besides the feature columns. */
export interface ModelCallInfo {
  /** Feature column names, in the order the data gave them (or `featureNames`). */
  columns: string[]
  rowCount: number
  /** The features as one row-major float32 matrix (rowCount × columns.length); numeric columns only. */
  matrix(): Float32Array
}

/**
 * A model as a function: feature columns in (numbers as Float64Array), predictions out — labels (1-D),
 * class probabilities (n × k), or for a regressor one number per row. May be async.
 */
export type ModelFunction = (features: FeatureColumns, info: ModelCallInfo) => ModelOutput | Promise<ModelOutput>

/** The part of a tfjs LayersModel `evaluate` relies on (checked by duck typing, so tfjs is never imported for it). */
export interface LayersModelLike {
  predict(inputs: unknown, config?: unknown): unknown
  inputs: ReadonlyArray<{ shape: ReadonlyArray<number | null>; dtype: string }>
}

/** A model `evaluate` can run: a model URI (`runs:/<id>/model`, `models:/name/1`), a tfjs LayersModel or a function. */
export type EvaluateModel = string | LayersModelLike | ModelFunction

/** The model's predictions, ready for `computeEvaluation`. */
export interface ModelPredictions {
  predictions: ArrayLike<Label>
  /** Class probabilities, columns in ascending label order; absent when the model gave labels only. */
  probabilities?: ProbabilityMatrix
  /** The logged model's `model_uuid` when it came from a URI (for the `mlflow.datasets` tag), else null. */
  modelUuid: string | null
}

/** How to read the model's output and what to feed it. */
export interface PredictContext {
  modelType: 'classifier' | 'regressor'
  features: FeatureColumns
  featureNames: string[]
  rowCount: number
  targets: DataColumn
  /** evaluator_config label_list as given (its order is the order of probability columns). */
  labelList?: readonly Label[] | undefined
  posLabel?: Label | undefined
  client?: MlflowClient | undefined
  /** Fraction (0–1) of the rows predicted so far. */
  onProgress?: ((fraction: number) => void) | undefined
  signal?: AbortSignal | undefined
}

/** True for a tfjs LayersModel (or anything shaped like one). */
export function isLayersModel(model: unknown): model is LayersModelLike {
  return typeof model === 'object' && model !== null && typeof (model as LayersModelLike).predict === 'function'
    && Array.isArray((model as LayersModelLike).inputs)
}

/** The class order of probability columns: label_list as given, else the sorted distinct targets. */
function classOrder(ctx: PredictContext): Label[] {
  if (ctx.labelList) return [...ctx.labelList]
  const seen = new Set<Label>()
  for (let i = 0; i < ctx.targets.length; i++) {
    const v = ctx.targets[i]
    if (typeof v === 'number' || typeof v === 'string') seen.add(v)
  }
  return [...seen].sort(compareLabels)
}

function interpretClassifier(out: RawOutput, ctx: PredictContext): Omit<ModelPredictions, 'modelUuid'> {
  const classes = classOrder(ctx)
  const n = ctx.rowCount
  if (out.kind === 'matrix') {
    const k = out.cols
    if (k !== classes.length) {
      throw invalidParameter(
        `The model returned ${k} probability columns but there are ${classes.length} classes (${classes.map(String).join(', ')}, ` +
        `${ctx.labelList ? 'from label_list' : 'the distinct target labels'}); give label_list with one label per model output column, in column order.`)
    }
    const predictions: Label[] = new Array(n)
    for (let i = 0; i < n; i++) {
      let best = 0
      for (let c = 1; c < k; c++) if (out.data[i * k + c]! > out.data[i * k + best]!) best = c
      predictions[i] = classes[best]!
    }
    const ascending = classes.map((_, c) => c).sort((a, b) => compareLabels(classes[a]!, classes[b]!))
    if (ascending.every((c, i) => c === i)) return { predictions, probabilities: { data: out.data, rows: n, cols: k } }
    const data = new Float64Array(n * k)
    for (let i = 0; i < n; i++) for (let c = 0; c < k; c++) data[i * k + c] = out.data[i * k + ascending[c]!]!
    return { predictions, probabilities: { data, rows: n, cols: k } }
  }
  const values = out.values
  const known = new Set<unknown>(classes)
  let allLabels = true
  for (let i = 0; i < n && allLabels; i++) if (!known.has(values[i])) allLabels = false
  if (allLabels) return { predictions: Array.from(values as ArrayLike<Label>) }
  let allProbabilities = classes.length === 2
  for (let i = 0; i < n && allProbabilities; i++) {
    const v = values[i]
    if (typeof v !== 'number' || !(v >= 0 && v <= 1)) allProbabilities = false
  }
  if (!allProbabilities) {
    const bad = Array.from({ length: n }, (_, i) => values[i]).find((v) => !known.has(v))
    throw invalidParameter(
      `The model returned ${JSON.stringify(bad)}, which is not one of the labels (${classes.map(String).join(', ')})` +
      (classes.length === 2 ? ' nor a positive-class probability in [0, 1].' : '; a multiclass model returns labels or one probability column per class.'))
  }
  // A binary model's 1-D output is the positive label's probability; like sklearn's argmax over
  // [1 − p, p], a row is predicted positive only when p > 0.5.
  const pos = ctx.posLabel ?? classes.slice().sort(compareLabels)[1]!
  const neg = classes.find((c) => c !== pos)!
  const predictions: Label[] = new Array(n)
  for (let i = 0; i < n; i++) predictions[i] = (values[i] as number) > 0.5 ? pos : neg
  return { predictions, probabilities: { data: Float64Array.from(values as ArrayLike<number>), rows: n, cols: 1 } }
}

function interpretRegressor(out: RawOutput): ArrayLike<Label> {
  if (out.kind === 'matrix') {
    if (out.cols !== 1) throw invalidParameter(`A regressor must return one number per row; the model returned ${out.rows} × ${out.cols} values.`)
    return out.data
  }
  return out.values as ArrayLike<Label>
}

/** Turns raw model output into predictions (and probabilities) for the given model type. */
export function interpretOutput(output: RawOutput, ctx: PredictContext): Omit<ModelPredictions, 'modelUuid'> {
  const rows = output.kind === 'matrix' ? output.rows : output.values.length
  if (rows !== ctx.rowCount) throw invalidParameter(`The model returned ${rows} predictions for ${ctx.rowCount} rows of data.`)
  return ctx.modelType === 'classifier' ? interpretClassifier(output, ctx) : { predictions: interpretRegressor(output) }
}

function describeColumns(names: readonly string[]): string {
  const shown = names.slice(0, 20).join(', ')
  return names.length > 20 ? `${shown}, … (${names.length} in all)` : shown
}

/** Rows per tfjs predict call: bounds memory and gives progress on large data. */
const PREDICT_CHUNK_ROWS = 8192

async function predictLayersModel(model: LayersModelLike, ctx: PredictContext): Promise<RawOutput> {
  const [{ loadTf }, { predict }, { signatureOf }] = await Promise.all([
    import('../tfjs/load-tf.ts'), import('../tfjs/predict.ts'), import('../tfjs/model-signature.ts')])
  const tf = await loadTf()
  const layers = model as unknown as import('@tensorflow/tfjs').LayersModel
  const signature = signatureOf(layers)
  const specs = signature.inputs
  let columns = ctx.featureNames
  let dtype: 'float32' | 'int32' = 'float32'
  if (specs.length !== 1 && specs.every((s) => s.type === 'tensor')) {
    throw invalidParameter(`The model takes ${specs.length} input tensors; evaluate feeds it one feature matrix (${describeColumns(columns)}).`)
  }
  const first = specs[0]
  if (first && first.type === 'tensor') {
    const spec = (first as import('../models/signature.ts').TensorSpec)['tensor-spec']
    const width = spec.shape[1]
    if (spec.shape.length !== 2 || (width !== -1 && width !== columns.length)) {
      const { describeShape } = await import('../models/signature.ts')
      throw invalidParameter(`Model input does not match the data: the model expects inputs of shape ${describeShape(spec.shape)} but the data has ${columns.length} feature columns (${describeColumns(columns)}), i.e. shape (${ctx.rowCount}, ${columns.length}).`)
    }
    if (spec.dtype.startsWith('int') || spec.dtype.startsWith('uint')) dtype = 'int32'
    else if (!spec.dtype.startsWith('float')) throw invalidParameter(`Model input does not match the data: the model expects dtype ${spec.dtype} but the features are numbers.`)
  } else if (first) {
    const named = specs.map((s) => s.name).filter((name): name is string => typeof name === 'string')
    if (named.length === specs.length) {
      const missing = named.filter((name) => !(name in ctx.features))
      if (missing.length) {
        throw invalidParameter(`Model input does not match the data: the model expects column${missing.length > 1 ? 's' : ''} ${missing.map((m) => `'${m}'`).join(', ')}, which the data does not have; the data's feature columns are: ${describeColumns(columns)}.`)
      }
      columns = named
    } else if (specs.length !== columns.length) {
      throw invalidParameter(`Model input does not match the data: the model takes ${specs.length} columns but the data has ${columns.length} feature columns (${describeColumns(columns)}).`)
    }
  }
  const matrix = featureMatrix(ctx.features, columns, ctx.rowCount)
  if (dtype === 'int32') {
    const bad = matrix.findIndex((v) => !Number.isInteger(v))
    if (bad >= 0) throw invalidParameter(`Model input does not match the data: the model expects integers but feature column '${columns[bad % columns.length]}' has ${matrix[bad]} at row ${Math.floor(bad / columns.length)}.`)
  }
  const d = columns.length, n = ctx.rowCount
  let out: Float32Array | Int32Array | null = null
  let cols = 0
  for (let start = 0; start < n; start += PREDICT_CHUNK_ROWS) {
    ctx.signal?.throwIfAborted()
    const rows = Math.min(PREDICT_CHUNK_ROWS, n - start)
    const input = tf.tensor2d(matrix.subarray(start * d, (start + rows) * d), [rows, d], dtype)
    let result: import('@tensorflow/tfjs').Tensor | import('@tensorflow/tfjs').Tensor[]
    try {
      result = await predict(layers, input, { signature })
    } catch (error) {
      if (isMlflowError(error, 'INVALID_PARAMETER_VALUE')) throw invalidParameter(`Model input does not match the data: ${error.message} The data's feature columns: ${describeColumns(columns)}.`)
      throw error
    } finally {
      input.dispose()
    }
    if (Array.isArray(result)) { tf.dispose(result); throw invalidParameter(`The model has ${result.length} outputs; evaluate reads a model with one output.`) }
    const shape = result.shape
    const values = await result.data() as Float32Array | Int32Array
    result.dispose()
    if (shape.length > 2) throw invalidParameter(`The model's output has shape (${shape.join(', ')}); evaluate reads one label, value or probability row per example.`)
    const width = shape.length === 2 ? shape[1]! : 1
    if (!out) { out = values instanceof Int32Array ? new Int32Array(n * width) : new Float32Array(n * width); cols = width }
    out.set(values, start * cols)
    ctx.onProgress?.(Math.min(1, (start + rows) / n))
  }
  if (!out) throw invalidParameter('The evaluation dataset is empty.')
  return cols === 1 ? { kind: 'vector', values: out } : { kind: 'matrix', data: out, rows: n, cols }
}

/**
 * Runs the model on the features and reads its output: probabilities pick the label with the highest
 * probability; a binary model's 1-D probabilities predict the positive label above 0.5. Input that does not
 * fit the model (columns, shape, dtype) is INVALID_PARAMETER_VALUE naming what differs.
 */
export async function runModel(model: EvaluateModel, ctx: PredictContext): Promise<ModelPredictions> {
  if (typeof model === 'function') {
    const info: ModelCallInfo = {
      columns: [...ctx.featureNames], rowCount: ctx.rowCount, matrix: () => featureMatrix(ctx.features, ctx.featureNames, ctx.rowCount),
    }
    const output = await model(ctx.features, info)
    ctx.onProgress?.(1)
    return { ...interpretOutput(await readModelOutput(output, 'The model function'), ctx), modelUuid: null }
  }
  if (typeof model === 'string') {
    const { getModelInfo, loadModel } = await import('../tfjs/load-model.ts')
    const info = await getModelInfo(model, ctx.client)
    const layers = await loadModel(model, ctx.client ? { client: ctx.client } : {})
    try {
      return { ...interpretOutput(await predictLayersModel(layers as unknown as LayersModelLike, ctx), ctx), modelUuid: info.mlModel.modelUuid ?? null }
    } finally {
      layers.dispose()
    }
  }
  if (isLayersModel(model)) return { ...interpretOutput(await predictLayersModel(model, ctx), ctx), modelUuid: null }
  throw new MlflowError('INVALID_PARAMETER_VALUE', 'model must be a model URI (runs:/<run_id>/<path>), a tfjs LayersModel or a function from features to predictions.')
}
