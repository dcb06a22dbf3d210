/**
 * A tfjs model's MLflow signature: inferred from its symbolic inputs and outputs (shape and
 * dtype, batch dimension as -1), or the one its MLmodel declared when it was loaded by URI.
 */
import type { LayersModel, SymbolicTensor } from '@tensorflow/tfjs'
import { type ModelSignature, type TensorSpec, numpyDtypeOfTfjs, tensorSpec } from '../models/signature.ts'

function specsOf(tensors: SymbolicTensor[]): TensorSpec[] {
  // A single input or output stays unnamed, as MLflow writes it; several are named so they can be told apart.
  const named = tensors.length > 1
  return tensors.map(tensor => tensorSpec(numpyDtypeOfTfjs(tensor.dtype), tensor.shape, named ? tensor.name : undefined))
}

/** The tensor signature of a layers model, from its input and output shapes and dtypes. */
export function inferModelSignature(model: LayersModel): ModelSignature {
  return { inputs: specsOf(model.inputs), outputs: specsOf(model.outputs), params: null }
}

const declaredSignatures = new WeakMap<object, ModelSignature>()

/** Remembers the signature an MLmodel declared for a model loaded from it, for predict() to check. */
export function rememberSignature(model: object, signature: ModelSignature): void {
  declaredSignatures.set(model, signature)
}

/** The signature predict() checks against: the declared one when loaded by URI, else the inferred one. */
export function signatureOf(model: LayersModel): ModelSignature {
  return declaredSignatures.get(model) ?? inferModelSignature(model)
}
