/**
 * The `mlflow.tfjs` namespace: autolog, the tfjs model flavor (logModel / loadModel) and a
 * signature-checked predict. Nothing here loads TensorFlow.js until a function is called.
 */
import { autolog, stopTraining } from './autolog.ts'
import { getModelInfo, loadModel } from './load-model.ts'
import { logModel } from './log-model.ts'
import { predict } from './predict.ts'

export const tfjs = { autolog, logModel, loadModel, getModelInfo, predict, stopTraining }

export { autolog, stopTraining, AUTOLOGGING_TAG, MODEL_SUMMARY_FILE } from './autolog.ts'
export { AUTOLOG_DEFAULTS, type AutologOptions } from './autolog-options.ts'
export { BATCH_METRIC_PREFIX } from './autolog-callback.ts'
export { DEVICE_TAGS } from './device-context.ts'
export { getModelInfo, loadModel, type ResolvedModel } from './load-model.ts'
export { logModel, LOG_MODEL_HISTORY_TAG, TFJS_FLAVOR, type LogModelOptions, type ModelInfo } from './log-model.ts'
export { predict, type ColumnarData, type PredictInput, type PredictOptions } from './predict.ts'
export { inferModelSignature } from './model-signature.ts'
