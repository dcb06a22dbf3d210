/**
 * `mlflow.tfjs.loadModel(uri)`: resolves a model URI, reads its MLmodel, and loads the tfjs
 * flavor through an IOHandler over the artifact store (no network, works offline and in workers).
 */
import type { LayersModel } from '@tensorflow/tfjs'
import { MlflowError, doesNotExist, invalidParameter, isMlflowError } from '../core/errors.ts'
import { MLMODEL_FILE, type MlModel, parseMlModel } from '../models/mlmodel.ts'
import { type ModelLocation, resolveModelUri } from '../models/model-uri.ts'
import type { MlflowClient } from '../tracking/client.ts'
import * as fluent from '../tracking/fluent.ts'
import { artifactLoadHandler, MODEL_JSON_FILE, runArtifactFiles } from './artifact-io.ts'
import { TFJS_FLAVOR } from './log-model.ts'
import { loadTf } from './load-tf.ts'
import { rememberSignature } from './model-signature.ts'

/** A model directory found by URI: where it is and what its MLmodel says. */
export interface ResolvedModel { modelUri: string; location: ModelLocation; mlModel: MlModel }

const joinPath = (directory: string, file: string) => (directory ? `${directory}/${file}` : file)

/**
 * Reads the MLmodel a URI points to. RESOURCE_DOES_NOT_EXIST when the run is unknown or holds no
 * MLmodel at that path.
 */
export async function getModelInfo(modelUri: string, client: MlflowClient = fluent.getClient()): Promise<ResolvedModel> {
  const location = await resolveModelUri(modelUri, { client })
  await client.getRun(location.runId) // RESOURCE_DOES_NOT_EXIST names the run when it is unknown
  let text: string
  try {
    text = await client.readArtifactText(location.runId, joinPath(location.artifactPath, MLMODEL_FILE))
  } catch (error) {
    if (isMlflowError(error, 'RESOURCE_DOES_NOT_EXIST')) {
      throw doesNotExist(`No model at '${modelUri}': run ${location.runId} has no ${joinPath(location.artifactPath, MLMODEL_FILE)}.`)
    }
    throw error
  }
  return { modelUri, location, mlModel: parseMlModel(text) }
}

/**
 * Loads a logged tfjs model by URI (`runs:/<runId>/<path>`). Its predictions equal the logged
 * model's exactly; predict() checks inputs against the signature its MLmodel declares.
 */
export async function loadModel(modelUri: string, options: { client?: MlflowClient } = {}): Promise<LayersModel> {
  const client = options.client ?? fluent.getClient()
  const { location, mlModel } = await getModelInfo(modelUri, client)
  const flavor = mlModel.flavors[TFJS_FLAVOR]
  if (!flavor) {
    const flavors = Object.keys(mlModel.flavors)
    throw invalidParameter(`The model at '${modelUri}' has no '${TFJS_FLAVOR}' flavor, so TensorFlow.js cannot load it. Its flavors: ${flavors.join(', ') || 'none'}.`)
  }
  if (flavor.format !== undefined && flavor.format !== 'layers-model') {
    throw new MlflowError('NOT_IMPLEMENTED', `The model at '${modelUri}' is a tfjs '${String(flavor.format)}'; loadModel reads layers models only.`)
  }
  const modelFile = typeof flavor.model_file === 'string' ? flavor.model_file : MODEL_JSON_FILE
  if (modelFile !== MODEL_JSON_FILE) throw new MlflowError('NOT_IMPLEMENTED', `The tfjs flavor names model file '${modelFile}'; only ${MODEL_JSON_FILE} is supported.`)
  const tf = await loadTf()
  const model = await tf.loadLayersModel(artifactLoadHandler(tf, runArtifactFiles(client, location.runId, location.artifactPath)))
  if (mlModel.signature) rememberSignature(model, mlModel.signature)
  return model
}
