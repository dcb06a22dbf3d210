/**
 * MLflow model signatures in MLflow's own JSON shape (mlflow-compat §6.2): tensor specs and
 * column specs, read from and written to the JSON strings an MLmodel file holds.
 */
import { invalidParameter } from '../core/errors.ts'
import { pythonJsonDumps } from './python-json.ts'

/** numpy dtype names, as MLflow writes them in tensor specs. */
export type NumpyDtype =
  | 'float16' | 'float32' | 'float64' | 'int8' | 'int16' | 'int32' | 'int64'
  | 'uint8' | 'uint16' | 'uint32' | 'uint64' | 'bool' | 'str' | 'bytes' | 'object'

/** A tensor input or output: dtype and shape, -1 marking a variable dimension. */
export interface TensorSpec {
  type: 'tensor'
  /** Only for models with several named inputs or outputs. */
  name?: string
  'tensor-spec': { dtype: NumpyDtype; shape: number[] }
}

/** MLflow's column types (`integer` is int32, `long` int64, `float` float32, `double` float64). */
export type ColumnType = 'boolean' | 'integer' | 'long' | 'float' | 'double' | 'string' | 'binary' | 'datetime'

/** A named (or positional) column of a tabular input. Array, object and map columns are kept as read. */
export interface ColumnSpec {
  type: ColumnType | 'array' | 'object' | 'map' | 'any'
  name?: string
  /** Absent means true (MLflow ≤ 2.9 did not write it). */
  required?: boolean
  [extra: string]: unknown
}

/** An inference parameter (MLflow 2.6+). */
export interface ParamSpec { name: string; type: string; default: unknown; shape: number[] | null }

export type SchemaSpec = TensorSpec[] | ColumnSpec[]

/** What a model takes and returns; `outputs` may be absent. */
export interface ModelSignature {
  inputs: SchemaSpec
  outputs?: SchemaSpec | null
  params?: ParamSpec[] | null
}

/** The three strings (or null) an MLmodel's `signature:` mapping holds. */
export interface SignatureYaml { inputs: string | null; outputs: string | null; params: string | null }

const TFJS_TO_NUMPY: Record<string, NumpyDtype> = { float32: 'float32', int32: 'int32', bool: 'bool', string: 'str' }

/** The numpy name of a tfjs dtype; complex64 has no MLflow equivalent. */
export function numpyDtypeOfTfjs(dtype: string): NumpyDtype {
  const mapped = TFJS_TO_NUMPY[dtype]
  if (!mapped) throw invalidParameter(`The tfjs dtype '${dtype}' has no MLflow signature type (supported: ${Object.keys(TFJS_TO_NUMPY).join(', ')}).`)
  return mapped
}

/** A tensor spec from a shape where unknown dimensions are null or -1. */
export function tensorSpec(dtype: NumpyDtype, shape: ReadonlyArray<number | null>, name?: string): TensorSpec {
  return {
    type: 'tensor',
    ...(name !== undefined ? { name } : {}),
    'tensor-spec': { dtype, shape: shape.map(dimension => dimension ?? -1) },
  }
}

export function isTensorSchema(schema: SchemaSpec): schema is TensorSpec[] {
  return schema.length > 0 && schema.every(spec => spec.type === 'tensor')
}

/** Throws unless the entries are all tensors or all columns, and either all named or none. */
export function validateSchema(schema: unknown, where: string): asserts schema is SchemaSpec {
  if (!Array.isArray(schema)) throw invalidParameter(`Signature ${where} must be a list of specs.`)
  const tensors = schema.filter(spec => (spec as { type?: unknown })?.type === 'tensor')
  if (tensors.length > 0 && tensors.length < schema.length) {
    throw invalidParameter(`Signature ${where} mixes tensor and column specs; MLflow allows one kind only.`)
  }
  const named = schema.filter(spec => typeof (spec as { name?: unknown }).name === 'string')
  if (named.length > 0 && named.length < schema.length) {
    throw invalidParameter(`Signature ${where}: either every spec has a name or none has.`)
  }
  for (const spec of tensors as TensorSpec[]) {
    const inner = spec['tensor-spec']
    if (!inner || typeof inner.dtype !== 'string' || !Array.isArray(inner.shape) || !inner.shape.every(Number.isInteger)) {
      throw invalidParameter(`Signature ${where}: a tensor spec needs "tensor-spec": {"dtype", "shape": [integers]}.`)
    }
  }
  for (const spec of schema as ColumnSpec[]) {
    if (typeof spec?.type !== 'string') throw invalidParameter(`Signature ${where}: every spec needs a "type".`)
  }
}

/** The signature as the JSON strings MLflow stores in MLmodel. */
export function signatureToYaml(signature: ModelSignature): SignatureYaml {
  validateSchema(signature.inputs, 'inputs')
  if (signature.outputs) validateSchema(signature.outputs, 'outputs')
  return {
    inputs: pythonJsonDumps(signature.inputs),
    outputs: signature.outputs ? pythonJsonDumps(signature.outputs) : null,
    params: signature.params ? pythonJsonDumps(signature.params) : null,
  }
}

/** Reads the `signature:` mapping of an MLmodel, old (≤ 2.9) and new forms alike. */
export function signatureFromYaml(raw: unknown): ModelSignature | undefined {
  if (raw === null || raw === undefined) return undefined
  if (typeof raw !== 'object') throw invalidParameter('MLmodel "signature" must be a mapping.')
  const fields = raw as Record<string, unknown>
  const parse = (key: string): unknown => {
    const text = fields[key]
    if (text === null || text === undefined) return null
    if (typeof text !== 'string') throw invalidParameter(`MLmodel signature "${key}" must be a JSON string.`)
    try { return JSON.parse(text) } catch { throw invalidParameter(`MLmodel signature "${key}" is not valid JSON.`) }
  }
  const inputs = parse('inputs')
  if (inputs === null) return undefined
  validateSchema(inputs, 'inputs')
  const outputs = parse('outputs')
  if (outputs !== null) validateSchema(outputs, 'outputs')
  return { inputs, outputs: outputs as SchemaSpec | null, params: parse('params') as ParamSpec[] | null }
}

/** Human text of a shape for error messages: [-1, 4] reads as (any, 4). */
export function describeShape(shape: readonly number[]): string {
  return `(${shape.map(dimension => (dimension === -1 ? 'any' : String(dimension))).join(', ')})`
}
