/**
 * `mlflow.tfjs.logModel`: a trained layers model becomes an MLflow model directory in the run's
 * artifacts (MLmodel with a `tfjs` flavor, model.json + weight shards, optional input example).
 */
import type { LayersModel, Tensor } from '@tensorflow/tfjs'
import { invalidParameter, isMlflowError } from '../core/errors.ts'
import type { ModelVersion } from '../core/types.ts'
import { LIMITS, validateArtifactPath } from '../core/validation.ts'
import { type InputExample, encodeInputExample } from '../models/input-example.ts'
import { MLMODEL_FILE, type MlModel, logModelHistoryEntry, mlModelToYaml, newModelUuid, utcTimeCreated } from '../models/mlmodel.ts'
import { runsUri } from '../models/model-uri.ts'
import type { ModelSignature } from '../models/signature.ts'
import type { MlflowClient } from '../tracking/client.ts'
import * as fluent from '../tracking/fluent.ts'
import { artifactSaveHandler, MODEL_JSON_FILE, runArtifactFiles } from './artifact-io.ts'
import { loadTf } from './load-tf.ts'
import { inferModelSignature } from './model-signature.ts'

/** The flavor name under `flavors:` (MLflow has no TF.js flavor of its own). */
export const TFJS_FLAVOR = 'tfjs'
/** The run tag MLflow appends each logged model to. */
export const LOG_MODEL_HISTORY_TAG = 'mlflow.log-model.history'

export interface LogModelOptions {
  /** The model's signature; inferred from its input and output shapes and dtypes when absent. */
  signature?: ModelSignature
  /** A few inputs, saved as input_example.json: a tensor, a nested array, rows or columns. */
  inputExample?: InputExample | Tensor
  /** Also registers the logged model as a new version of this registered model (created when absent). */
  registeredModelName?: string
  /** Log into this run; by default the active run (one is started when none is). */
  runId?: string
  /** Free-form metadata stored in the MLmodel's `metadata`. */
  metadata?: Record<string, unknown>
}

/** What logging produced, as MLflow's ModelInfo: the URI to load it back by, and its MLmodel. */
export interface ModelInfo {
  modelUri: string
  runId: string
  artifactPath: string
  modelUuid: string
  utcTimeCreated: string
  flavors: MlModel['flavors']
  signature?: ModelSignature
  mlModel: MlModel
  /** The version created when `registeredModelName` was given. */
  registeredModelVersion?: ModelVersion
}

async function targetRunId(options: LogModelOptions): Promise<string> {
  if (options.runId) return options.runId
  const active = await fluent.activeRun()
  return active ? active.info.runId : (await fluent.startRun()).info.runId
}

/** Appends to mlflow.log-model.history, dropping the oldest entries if the tag would pass MLflow's length limit. */
async function appendLogModelHistory(client: MlflowClient, runId: string, model: MlModel): Promise<void> {
  const run = await client.getRun(runId)
  let history: unknown[] = []
  try {
    const parsed: unknown = JSON.parse(run.data.tags[LOG_MODEL_HISTORY_TAG] ?? '[]')
    if (Array.isArray(parsed)) history = parsed
  } catch { /* an unreadable history is replaced rather than blocking the log */ }
  history.push(logModelHistoryEntry(model))
  let text = JSON.stringify(history)
  while (text.length > LIMITS.tagValueLength && history.length > 1) {
    history.shift()
    text = JSON.stringify(history)
  }
  await client.setTag(runId, LOG_MODEL_HISTORY_TAG, text)
}

/**
 * Logs a tfjs layers model as an MLflow model under `artifactPath` of the run; returns its
 * ModelInfo (`modelUri` is `runs:/<runId>/<artifactPath>`). A model already logged at the same
 * path is replaced whole, so no stale weight shard survives.
 */
export async function logModel(model: LayersModel, artifactPath = 'model', options: LogModelOptions = {}): Promise<ModelInfo> {
  const directory = validateArtifactPath(artifactPath)
  if (!model || typeof (model as Partial<LayersModel>).save !== 'function') throw invalidParameter('logModel expects a tfjs LayersModel (tf.sequential() or tf.model()).')
  const tf = await loadTf()
  const client = fluent.getClient()
  const runId = await targetRunId(options)
  const signature = options.signature ?? inferModelSignature(model)
  const example = options.inputExample === undefined ? undefined
    : encodeInputExample(options.inputExample instanceof tf.Tensor ? await options.inputExample.array() as InputExample : options.inputExample)

  const files = runArtifactFiles(client, runId, directory)
  try {
    await client.readArtifact(runId, `${directory}/${MLMODEL_FILE}`)
    await client.deleteArtifacts(runId, directory)
  } catch (error) {
    if (!isMlflowError(error, 'RESOURCE_DOES_NOT_EXIST')) throw error
  }
  let modelSizeBytes = 0
  await model.save(artifactSaveHandler(tf, files, bytes => { modelSizeBytes += bytes }))
  if (example) {
    await files.write(example.info.artifact_path!, new Blob([example.exampleJson], { type: 'application/json' }))
    await files.write(example.info.serving_input_path!, new Blob([example.servingJson], { type: 'application/json' }))
    modelSizeBytes += example.exampleJson.length + example.servingJson.length
  }
  const mlModel: MlModel = {
    artifactPath: directory,
    flavors: { [TFJS_FLAVOR]: { code: null, format: 'layers-model', model_file: MODEL_JSON_FILE, tfjs_version: tf.version.tfjs } },
    modelSizeBytes,
    modelUuid: newModelUuid(),
    runId,
    signature,
    utcTimeCreated: utcTimeCreated(),
    ...(example ? { savedInputExampleInfo: example.info } : {}),
    ...(options.metadata ? { metadata: options.metadata } : {}),
  }
  // MLmodel goes last: a directory with an MLmodel is a complete model to every reader.
  await files.write(MLMODEL_FILE, new Blob([mlModelToYaml(mlModel)], { type: 'application/yaml' }))
  await appendLogModelHistory(client, runId, mlModel)
  const info: ModelInfo = {
    modelUri: runsUri({ runId, artifactPath: directory }), runId, artifactPath: directory, modelUuid: mlModel.modelUuid!,
    utcTimeCreated: mlModel.utcTimeCreated!, flavors: mlModel.flavors, signature, mlModel,
  }
  if (options.registeredModelName) info.registeredModelVersion = await fluent.registerModel(info.modelUri, options.registeredModelName)
  return info
}
