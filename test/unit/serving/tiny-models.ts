/**
 * Tiny tfjs models with fixed weights for the serving tests (unit, e2e, bench): one tensor input,
 * four named columns, and two named tensor inputs. Plain tfjs, so Node and the browser share them.
 */
import type * as TfModule from '@tensorflow/tfjs'
import type { ModelSignature } from '../../../src/index.ts'

type Tf = typeof TfModule

/** The iris feature names, in the order the column model's signature declares them. */
export const IRIS_COLUMNS = ['sepal_length', 'sepal_width', 'petal_length', 'petal_width'] as const

/** Two iris rows, as a matrix in signature order. */
export const IRIS_ROWS = [[5.1, 3.5, 1.4, 0.2], [6.2, 2.9, 4.3, 1.3]]

/** Deterministic weights: small, distinct values so every input column matters. */
function fixedWeights(tf: Tf, model: TfModule.LayersModel): void {
  model.setWeights(model.getWeights().map((weight, index) => {
    const size = weight.size
    const values = Array.from({ length: size }, (_, at) => Math.sin(at * 1.7 + index + 1) * 0.5)
    return tf.tensor(values, weight.shape, weight.dtype)
  }))
}

/** dense(3, softmax) over a [-1, 4] float32 tensor: the classic iris classifier shape. */
export function irisTensorModel(tf: Tf): TfModule.LayersModel {
  const model = tf.sequential({ layers: [tf.layers.dense({ units: 3, inputShape: [4], activation: 'softmax' })] })
  fixedWeights(tf, model)
  return model
}

/** The same network, declared with a column signature (named double columns), as a tabular model is. */
export const IRIS_COLUMN_SIGNATURE: ModelSignature = {
  inputs: IRIS_COLUMNS.map(name => ({ type: 'double' as const, name, required: true })),
  outputs: [{ type: 'tensor', 'tensor-spec': { dtype: 'float32', shape: [-1, 3] } }],
  params: null,
}

/** Two named inputs (`a`: [-1, 2], `b`: [-1, 3]) concatenated into one dense unit. */
export function twoInputModel(tf: Tf): TfModule.LayersModel {
  const a = tf.input({ shape: [2], name: 'a' })
  const b = tf.input({ shape: [3], name: 'b' })
  const joined = tf.layers.concatenate().apply([a, b]) as TfModule.SymbolicTensor
  const output = tf.layers.dense({ units: 1, name: 'score' }).apply(joined) as TfModule.SymbolicTensor
  const model = tf.model({ inputs: [a, b], outputs: output })
  fixedWeights(tf, model)
  return model
}
