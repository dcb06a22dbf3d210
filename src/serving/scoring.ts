/**
 * MLflow's scoring protocol as pure functions: a request body (`inputs`, `instances`,
 * `dataframe_split`, `dataframe_records`) becomes model inputs, predictions become `{"predictions": …}`.
 * No tfjs here, so the parsing is testable anywhere and the service worker pays for it only once.
 */
import { MlflowError } from '../core/errors.ts'
import type { ColumnSpec, ModelSignature, TensorSpec } from '../models/signature.ts'
import type { PredictInput } from '../tfjs/predict.ts'

/** The request keys MLflow's scoring server accepts; a body holds exactly one of them. */
export const SCORING_INPUT_FORMATS = ['dataframe_split', 'dataframe_records', 'instances', 'inputs'] as const

/** One of the four request shapes. */
export type ScoringInputFormat = typeof SCORING_INPUT_FORMATS[number]

/** A parsed scoring request: what to hand to `predict`, the shape it came in, and any inference params. */
export interface ScoringRequest {
  format: ScoringInputFormat
  inputs: PredictInput
  /** The body's `params`, when given (tfjs models take none: MLflow ignores them then, and so do we). */
  params?: Record<string, unknown>
}

/** The JSON body MLflow's scoring server answers with. */
export interface ScoringResponse { predictions: unknown }

const REQUIRED_INPUT_FORMAT = `The input must be a JSON dictionary with exactly one of the input fields {${SCORING_INPUT_FORMATS.map(key => `'${key}'`).join(', ')}}`

type Row = Record<string, unknown>

const isPlainObject = (value: unknown): value is Row =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

/**
 * A BAD_REQUEST error worded as MLflow's input errors are ("Invalid input. …"): the body could
 * not be read as one of the request shapes.
 */
export function invalidInput(message: string): MlflowError {
  return new MlflowError('BAD_REQUEST', `Invalid input. ${message}`)
}

/** Decodes the body text; BAD_REQUEST when it is not JSON or not a JSON object. */
export function decodeScoringBody(text: string): Row {
  let decoded: unknown
  try {
    decoded = JSON.parse(text)
  } catch (error) {
    throw invalidInput(`Ensure that input is a valid JSON formatted string. Error: '${(error as Error).message}'`)
  }
  if (isPlainObject(decoded)) return decoded
  throw invalidInput(`${REQUIRED_INPUT_FORMAT}. ${Array.isArray(decoded) ? 'Received a list.' : `Received unexpected input type '${decoded === null ? 'null' : typeof decoded}'.`}`)
}

/** How the model's signature shapes parsing: no signature, one tensor, several named tensors, or columns. */
type SignatureKind =
  | { kind: 'none' }
  | { kind: 'tensor'; spec: TensorSpec }
  | { kind: 'named-tensors'; names: string[] }
  | { kind: 'columns'; names: string[] | undefined }

function signatureKind(signature: ModelSignature | undefined): SignatureKind {
  const specs = signature?.inputs ?? []
  if (specs.length === 0) return { kind: 'none' }
  if (specs[0]!.type === 'tensor') {
    const tensors = specs as TensorSpec[]
    if (tensors.length === 1) return { kind: 'tensor', spec: tensors[0]! }
    return { kind: 'named-tensors', names: tensors.map((spec, index) => spec.name ?? String(index)) }
  }
  const columns = specs as ColumnSpec[]
  return { kind: 'columns', names: columns.every(spec => typeof spec.name === 'string') ? columns.map(spec => spec.name!) : undefined }
}

/** Rows of records → one array per column, in first-seen key order; BAD_REQUEST when rows disagree in length. */
function recordsToColumns(rows: Row[]): Record<string, unknown[]> {
  const columns: Record<string, unknown[]> = {}
  for (const row of rows) {
    for (const [key, value] of Object.entries(row)) (columns[key] ??= []).push(value)
  }
  const lengths = new Set(Object.values(columns).map(values => values.length))
  if (lengths.size > 1) throw invalidInput('The length of values for each input/column name are not the same')
  return columns
}

/**
 * A name → values mapping (from `inputs`, or `instances` of records) as model input. Named tensors
 * and columns take it as it is; a single tensor only when the one key is that tensor's name.
 */
function mappingAsInput(mapping: Row, shape: SignatureKind): PredictInput {
  if (shape.kind === 'tensor') {
    const keys = Object.keys(mapping)
    if (shape.spec.name !== undefined && keys.length === 1 && keys[0] === shape.spec.name) return mapping[keys[0]] as PredictInput
    throw invalidInput(`Failed to parse input data. This model contains an un-named model signature which expects a single n-dimensional array or a single value as input, however, an input of type dict was found (keys: ${keys.join(', ') || 'none'}).`)
  }
  return mapping as PredictInput
}

/** A list (from `inputs` or `instances` of values) as model input. */
function listAsInput(list: unknown[], shape: SignatureKind): PredictInput {
  if (shape.kind === 'named-tensors') {
    throw invalidInput(`Failed to parse input data. This model contains a tensor-based model signature with input names (${shape.names.join(', ')}), which suggests a dictionary input mapping input name to tensor, but an input of type list was found.`)
  }
  // A single named column takes a plain list of values as that column, as MLflow does.
  if (shape.kind === 'columns' && shape.names?.length === 1 && !list.some(item => Array.isArray(item) || isPlainObject(item))) {
    return { [shape.names[0]!]: list }
  }
  return list as PredictInput
}

function parseTensorInputs(value: unknown, shape: SignatureKind): PredictInput {
  if (isPlainObject(value)) return mappingAsInput(value, shape)
  if (Array.isArray(value)) {
    if (value.length > 0 && value.every(isPlainObject) && shape.kind !== 'columns' && shape.kind !== 'none') {
      throw invalidInput('"inputs" holds a list of records; send records as "dataframe_records" or "instances", or tensors as nested lists.')
    }
    return listAsInput(value, shape)
  }
  throw invalidInput(`"inputs" must be a list (one tensor) or a dictionary (named tensors or columns); got ${value === null ? 'null' : typeof value}.`)
}

function parseInstances(value: unknown, shape: SignatureKind): PredictInput {
  if (!Array.isArray(value)) throw invalidInput(`"instances" must be a list of instances; got ${value === null ? 'null' : typeof value}.`)
  // Instances as records (one dict per instance) turn into columns: name → the instances' values.
  if (value.length > 0 && isPlainObject(value[0])) {
    if (!value.every(isPlainObject)) throw invalidInput('"instances" mixes records and values; send one kind.')
    return mappingAsInput(recordsToColumns(value), shape)
  }
  return listAsInput(value, shape)
}

function parseDataframeSplit(value: unknown, shape: SignatureKind): PredictInput {
  const problem = 'Failed to parse input as a Pandas DataFrame in split orient ({"columns": [...], "data": [[...], ...]})'
  if (!isPlainObject(value)) throw invalidInput(`${problem}: "dataframe_split" must be a dictionary.`)
  const { columns, data } = value
  if (!Array.isArray(data)) throw invalidInput(`${problem}: "data" must be a list of rows.`)
  if (columns !== undefined && !(Array.isArray(columns) && columns.every(name => typeof name === 'string'))) {
    throw invalidInput(`${problem}: "columns" must be a list of column names.`)
  }
  const bad = data.findIndex(row => !Array.isArray(row) || (columns !== undefined && row.length !== columns.length))
  if (bad >= 0) {
    const row: unknown = data[bad]
    throw invalidInput(`${problem}: row ${bad} ${Array.isArray(row) ? `has ${row.length} values but there are ${(columns as string[]).length} columns` : 'is not a list'}.`)
  }
  const rows = data as unknown[][]
  // Without names, or for a single tensor, the frame is a matrix in the order sent.
  if (columns === undefined || shape.kind === 'tensor' || shape.kind === 'none') return rows as PredictInput
  const byColumn: Record<string, unknown[]> = {}
  columns.forEach((name, index) => { byColumn[name as string] = rows.map(row => row[index]) })
  return byColumn as PredictInput
}

function parseDataframeRecords(value: unknown, shape: SignatureKind): PredictInput {
  if (!Array.isArray(value) || !value.every(isPlainObject)) {
    throw invalidInput('Failed to parse input as a Pandas DataFrame in records orient: "dataframe_records" must be a list of {"column": value} rows.')
  }
  // Named tensors take one stacked tensor per column; everything else reads rows by column name.
  return shape.kind === 'named-tensors' ? recordsToColumns(value) as PredictInput : value as PredictInput
}

const PARSERS: Record<ScoringInputFormat, (value: unknown, shape: SignatureKind) => PredictInput> = {
  inputs: parseTensorInputs,
  instances: parseInstances,
  dataframe_split: parseDataframeSplit,
  dataframe_records: parseDataframeRecords,
}

/**
 * Reads a decoded scoring body into model inputs, using the signature's input names and order
 * (columns are picked by name, so a frame may list them in any order and carry extra ones).
 * Whether values fit the signature's dtypes and shapes is left to `predict`, which says exactly what differs.
 * @throws MlflowError BAD_REQUEST when the body is not exactly one of the four request shapes.
 */
export function parseScoringRequest(body: unknown, signature?: ModelSignature): ScoringRequest {
  if (!isPlainObject(body)) throw invalidInput(`${REQUIRED_INPUT_FORMAT}. Received ${Array.isArray(body) ? 'a list' : typeof body}.`)
  const keys = Object.keys(body)
  const formats = SCORING_INPUT_FORMATS.filter(format => format in body)
  if (formats.length !== 1) {
    throw new MlflowError('BAD_REQUEST', `${REQUIRED_INPUT_FORMAT}. Received dictionary with input fields: [${keys.map(key => `'${key}'`).join(', ')}].`)
  }
  const format = formats[0]!
  const params = body.params
  if (params !== undefined && params !== null && !isPlainObject(params)) {
    throw invalidInput(`"params" must be a dictionary of parameter name to value; got ${Array.isArray(params) ? 'a list' : typeof params}.`)
  }
  const inputs = PARSERS[format](body[format], signatureKind(signature))
  return { format, inputs, ...(isPlainObject(params) ? { params } : {}) }
}

/**
 * The response body for a model's outputs, as MLflow writes them: one output's values as they are,
 * several as a dictionary by output name. Non-finite numbers become null (JSON has no NaN).
 */
export function formatPredictions(outputs: ReadonlyArray<unknown>, names: ReadonlyArray<string | undefined> = []): ScoringResponse {
  if (outputs.length === 1) return { predictions: outputs[0] }
  const predictions: Record<string, unknown> = {}
  outputs.forEach((values, index) => { predictions[names[index] ?? `output_${index}`] = values })
  return { predictions }
}

/** A signature's inputs as text for error messages, close to how MLflow prints a schema. */
export function describeInputSchema(signature: ModelSignature | undefined): string {
  if (!signature || signature.inputs.length === 0) return '(none)'
  const items = signature.inputs.map(spec => {
    const prefix = spec.name !== undefined ? `'${spec.name}': ` : ''
    if (spec.type === 'tensor') {
      const inner = (spec as TensorSpec)['tensor-spec']
      return `${prefix}Tensor('${inner.dtype}', (${inner.shape.join(', ')}))`
    }
    return `${prefix}${spec.type} (${(spec as ColumnSpec).required === false ? 'optional' : 'required'})`
  })
  return `[${items.join(', ')}]`
}
