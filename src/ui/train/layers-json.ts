/**
 * Checks a typed-in tfjs layers configuration (what `model.toJSON()` returns) before it goes to a
 * worker: JSON syntax with line and column, then the shape tfjs needs. It is data, never run as code.
 */

/** A problem for inline display: a message, and the 1-based line when the JSON itself is malformed. */
export interface LayersJsonProblem { message: string; line?: number }

export type LayersJsonCheck = { ok: true; topology: Record<string, unknown>; layerCount: number } | { ok: false; problem: LayersJsonProblem }

const LAYER_CLASSES = new Set(['Dense', 'Dropout', 'Activation', 'BatchNormalization', 'LayerNormalization', 'Flatten', 'Reshape', 'Conv1D', 'Conv2D',
  'MaxPooling1D', 'MaxPooling2D', 'AveragePooling1D', 'AveragePooling2D', 'GlobalAveragePooling1D', 'GlobalAveragePooling2D', 'GlobalMaxPooling1D', 'GlobalMaxPooling2D',
  'Rescaling', 'GaussianNoise', 'GaussianDropout', 'AlphaDropout', 'SpatialDropout1D', 'LeakyReLU', 'ReLU', 'ELU', 'Softmax', 'PReLU', 'ThresholdedReLU',
  'SimpleRNN', 'LSTM', 'GRU', 'Bidirectional', 'RepeatVector', 'Permute', 'Embedding', 'InputLayer', 'ZeroPadding2D', 'UpSampling2D', 'DepthwiseConv2D', 'SeparableConv2D', 'Conv2DTranspose', 'Cropping2D'])

/**
 * Where a JSON.parse error points, as a 1-based line. V8 says either "at position N" or, for an unexpected
 * token, quotes ~10 characters either side of it ("...snippet..."); the snippet is found in the text.
 */
function errorLine(text: string, error: Error): number | undefined {
  const lineOf = (offset: number) => text.slice(0, offset).split('\n').length
  const position = /position (\d+)/.exec(error.message)
  if (position) return lineOf(Number(position[1]))
  // V8: `Unexpected token 'X', "snippet" is not valid JSON`, with `...` in place of the opening quote (or after
  // the closing one) where the snippet was cut.
  const quoted = /Unexpected token '(.+?)', (\.\.\.|")([\s\S]*)"(?:\.\.\.)? is not valid JSON/.exec(error.message)
  if (quoted) {
    const [, token, front, snippet] = quoted as unknown as [string, string, string, string]
    const at = text.indexOf(snippet)
    if (at >= 0) return lineOf(at + (front === '...' ? 10 : Math.max(0, snippet.indexOf(token))))
  }
  if (/Unexpected end of JSON input/.test(error.message)) return lineOf(text.length)
  return undefined
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value)

/**
 * Checks `text` as a Sequential layers configuration for `featureCount` inputs and `outputUnits`
 * outputs (classes, or 1 for regression). The model's input and output widths must match the data.
 */
export function checkLayersJson(text: string, featureCount: number, outputUnits: number): LayersJsonCheck {
  let parsed: unknown
  try { parsed = JSON.parse(text) } catch (error) {
    const line = errorLine(text, error as Error)
    const token = /^Unexpected token '(.+?)'/.exec((error as Error).message)?.[1]
    const message = token !== undefined ? `Not valid JSON: unexpected '${token}'.` : `Not valid JSON: ${(error as Error).message}.`
    return { ok: false, problem: { message, ...(line !== undefined ? { line } : {}) } }
  }
  const fail = (message: string): LayersJsonCheck => ({ ok: false, problem: { message } })
  if (!isObject(parsed)) return fail('The configuration must be a JSON object such as {"class_name": "Sequential", "config": {"layers": [...]}}.')
  const topology = isObject(parsed.modelTopology) ? parsed.modelTopology : isObject(parsed.model_config) ? parsed.model_config : parsed
  if (topology.class_name !== 'Sequential') return fail(`"class_name" must be "Sequential" (got ${JSON.stringify(topology.class_name ?? null)}): the editor builds sequential models.`)
  const config = topology.config
  const layers = isObject(config) ? config.layers : Array.isArray(config) ? config : undefined
  if (!Array.isArray(layers) || layers.length === 0) return fail('"config.layers" must be a non-empty array of layers.')
  for (const [index, layer] of layers.entries()) {
    const where = `Layer ${index + 1}`
    if (!isObject(layer) || typeof layer.class_name !== 'string') return fail(`${where} needs a "class_name" such as "Dense".`)
    if (!LAYER_CLASSES.has(layer.class_name)) return fail(`${where}: unknown layer class "${layer.class_name}".`)
    if (!isObject(layer.config)) return fail(`${where} ("${layer.class_name}") needs a "config" object.`)
    if (layer.class_name === 'Dense' && !(Number.isInteger(layer.config.units) && (layer.config.units as number) > 0)) return fail(`${where}: a Dense layer needs "units", a whole number ≥ 1.`)
  }
  const first = (layers[0] as { config: Record<string, unknown> }).config
  const inputShape = first.batch_input_shape ?? first.batchInputShape ?? (first.input_shape ? [null, ...(first.input_shape as unknown[])] : undefined)
  if (!Array.isArray(inputShape)) return fail(`The first layer needs "batch_input_shape": [null, ${featureCount}] so the model knows its input width.`)
  const width = inputShape.slice(1).reduce<number>((product, size) => product * (typeof size === 'number' ? size : NaN), 1)
  if (width !== featureCount) return fail(`The first layer takes ${inputShape.slice(1).join('×')} values per row, but the data has ${featureCount} feature columns: use "batch_input_shape": [null, ${featureCount}].`)
  const last = layers[layers.length - 1] as { class_name: string; config: Record<string, unknown> }
  if (last.class_name === 'Dense' && last.config.units !== outputUnits) {
    return fail(`The last Dense layer has ${String(last.config.units)} units; the data needs ${outputUnits} (${outputUnits === 1 ? 'one output for regression' : 'one per class'}).`)
  }
  return { ok: true, topology, layerCount: layers.length }
}

/** A small valid starting point for the current data: one hidden layer, then the output layer. */
export function exampleLayersJson(featureCount: number, outputUnits: number): string {
  const classification = outputUnits > 1
  return JSON.stringify({
    class_name: 'Sequential',
    config: {
      name: 'custom_model',
      layers: [
        { class_name: 'Dense', config: { units: 32, activation: 'relu', batch_input_shape: [null, featureCount] } },
        { class_name: 'Dropout', config: { rate: 0.1 } },
        { class_name: 'Dense', config: { units: outputUnits, activation: classification ? 'softmax' : 'linear' } },
      ],
    },
  }, null, 2)
}
