/** The model layer's public surface: MLmodel files, signatures, input examples and model URIs. */
export { MLMODEL_FILE, type MlModel, logModelHistoryEntry, mlModelToYaml, newModelUuid, parseMlModel, utcTimeCreated } from './mlmodel.ts'
export {
  type ColumnSpec, type ColumnType, type ModelSignature, type NumpyDtype, type ParamSpec, type SchemaSpec, type TensorSpec,
  isTensorSchema, numpyDtypeOfTfjs, signatureFromYaml, signatureToYaml, tensorSpec,
} from './signature.ts'
export { type InputExample, type NestedArray, type RecordRows, type SavedInputExample, encodeInputExample, INPUT_EXAMPLE_FILE, SERVING_INPUT_EXAMPLE_FILE } from './input-example.ts'
export { type ModelLocation, type ModelUriContext, MODEL_URI_SCHEMES, parseRunsUri, resolveModelUri, runsUri } from './model-uri.ts'
