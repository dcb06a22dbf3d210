/**
 * pyfunc-style `predict(model, inputs)`: takes a tensor, nested arrays, or tabular rows/columns,
 * checks them against the model's signature (clear errors on shape or dtype), and predicts.
 */
import type { DataType, LayersModel, Tensor } from '@tensorflow/tfjs'
import { invalidParameter } from '../core/errors.ts'
import type { NestedArray, RecordRows } from '../models/input-example.ts'
import { type ColumnSpec, type ModelSignature, type NumpyDtype, type TensorSpec, describeShape, isTensorSchema } from '../models/signature.ts'
import { loadTf, type Tf } from './load-tf.ts'
import { signatureOf } from './model-signature.ts'

/** Tabular data as columns: column name → one value per row. */
export type ColumnarData = Readonly<Record<string, ReadonlyArray<unknown>>>

/** What predict accepts: tensors, nested arrays, rows of records or columns (several inputs: an array or a name → input map). */
export type PredictInput = Tensor | NestedArray | RecordRows | ColumnarData | ReadonlyArray<Tensor | NestedArray>

export interface PredictOptions {
  /** Check against this signature instead of the model's own (declared on load, or inferred). */
  signature?: ModelSignature
  /** Batch size for model.predict; tfjs's default (32) when absent. */
  batchSize?: number
}

const NUMPY_TO_TFJS: Partial<Record<NumpyDtype, DataType>> = {
  float16: 'float32', float32: 'float32', float64: 'float32', int8: 'int32', int16: 'int32', int32: 'int32',
  int64: 'int32', uint8: 'int32', uint16: 'int32', uint32: 'int32', bool: 'bool', str: 'string',
}
const TFJS_TO_NUMPY: Record<string, NumpyDtype> = { float32: 'float32', int32: 'int32', bool: 'bool', string: 'str' }

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value) && !ArrayBuffer.isView(value)

function inputLabel(spec: { name?: string }, index: number, count: number): string {
  return count === 1 ? 'Input' : `Input '${spec.name ?? index}'`
}

/** Checks a nested array's leaves: numbers for numeric dtypes (whole numbers for integer dtypes), booleans for bool. */
function checkLeaves(values: unknown, dtype: DataType, label: string): void {
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) { value.forEach(visit); return }
    const ok = dtype === 'string' ? typeof value === 'string'
      : dtype === 'bool' ? typeof value === 'boolean' || value === 0 || value === 1
        : dtype === 'int32' ? typeof value === 'number' && Number.isInteger(value)
          : typeof value === 'number' || value === null
    if (!ok) {
      const expected = dtype === 'int32' ? 'whole numbers' : dtype === 'bool' ? 'booleans' : dtype === 'string' ? 'strings' : 'numbers'
      throw invalidParameter(`${label} dtype mismatch: the model expects ${expected} (${TFJS_TO_NUMPY[dtype] ?? dtype}) but got ${JSON.stringify(value)}.`)
    }
  }
  visit(values)
}

/** The shape of a nested array; INVALID_PARAMETER_VALUE when it is ragged (tfjs would silently flatten it). */
function rectangularShape(values: unknown, label: string): number[] {
  if (!Array.isArray(values)) return []
  const shapes = values.map(item => rectangularShape(item, label))
  const first = shapes[0] ?? []
  const ragged = shapes.findIndex(shape => shape.length !== first.length || shape.some((dimension, axis) => dimension !== first[axis]))
  if (ragged >= 0) throw invalidParameter(`${label} is not a rectangular array: element ${ragged} has shape ${describeShape(shapes[ragged]!)} but element 0 has ${describeShape(first)}.`)
  return [values.length, ...first]
}

/** Rows of a table as a matrix, columns in the given order (or the first row's key order). */
function tableToMatrix(table: RecordRows | ColumnarData, columns: string[] | undefined, label: string): { matrix: unknown[][]; columns: string[] } {
  const rows: RecordRows = Array.isArray(table) ? table as RecordRows
    : (() => {
      const entries = Object.entries(table as ColumnarData)
      const length = entries[0]?.[1].length ?? 0
      return Array.from({ length }, (_, index) => Object.fromEntries(entries.map(([key, values]) => [key, values[index]])))
    })()
  const order = columns ?? Object.keys(rows[0] ?? {})
  const matrix = rows.map((row, rowIndex) => order.map(column => {
    if (!(column in row)) throw invalidParameter(`${label} is missing column '${column}' (row ${rowIndex}); the model expects columns ${order.join(', ')}.`)
    return row[column]
  }))
  return { matrix, columns: order }
}

const isTable = (value: unknown): value is RecordRows | ColumnarData =>
  (Array.isArray(value) && value.length > 0 && value.every(isPlainObject)) || (isPlainObject(value) && Object.values(value).every(Array.isArray))

/** One tensor for one tensor spec, checked for dtype and shape. Tensors we create are added to `created`. */
function tensorForSpec(tf: Tf, input: unknown, spec: TensorSpec, label: string, created: Tensor[]): Tensor {
  const expectedDtype = spec['tensor-spec'].dtype
  const expectedShape = spec['tensor-spec'].shape
  let tensor: Tensor
  if (input instanceof tf.Tensor) {
    const actual = TFJS_TO_NUMPY[input.dtype] ?? input.dtype
    if (actual !== expectedDtype && NUMPY_TO_TFJS[expectedDtype] !== input.dtype) {
      throw invalidParameter(`${label} dtype mismatch: the model expects ${expectedDtype} but got ${actual}.`)
    }
    tensor = input
  } else {
    const dtype = NUMPY_TO_TFJS[expectedDtype]
    if (!dtype) throw invalidParameter(`${label}: the signature dtype '${expectedDtype}' cannot be fed to a tfjs model.`)
    const values = isTable(input) ? tableToMatrix(input, undefined, label).matrix : input
    if (!Array.isArray(values)) throw invalidParameter(`${label} must be a tensor, a nested array or tabular rows; got ${typeof input}.`)
    checkLeaves(values, dtype, label)
    tensor = tf.tensor(values as number[], rectangularShape(values, label), dtype)
    created.push(tensor)
  }
  const shape = tensor.shape
  const matches = shape.length === expectedShape.length && expectedShape.every((dimension, index) => dimension === -1 || dimension === shape[index])
  if (!matches) throw invalidParameter(`${label} shape mismatch: the model expects ${describeShape(expectedShape)} but got ${describeShape(shape)}.`)
  return tensor
}

/** A float matrix for a column signature: columns picked by name (or position), values type-checked. */
function tensorForColumns(tf: Tf, input: unknown, specs: ColumnSpec[], dtype: DataType, created: Tensor[]): Tensor {
  const names = specs.every(spec => typeof spec.name === 'string') ? specs.map(spec => spec.name!) : undefined
  let matrix: unknown[][]
  if (input instanceof tf.Tensor) {
    if (input.rank !== 2 || input.shape[1] !== specs.length) throw invalidParameter(`Input shape mismatch: the model expects (any, ${specs.length}) but got ${describeShape(input.shape)}.`)
    return input
  } else if (isTable(input)) {
    matrix = tableToMatrix(input, names, 'Input').matrix
  } else if (Array.isArray(input)) {
    matrix = input as unknown[][]
    const bad = matrix.findIndex(row => !Array.isArray(row) || row.length !== specs.length)
    if (bad >= 0) throw invalidParameter(`Input shape mismatch: the model expects rows of ${specs.length} values but row ${bad} has ${Array.isArray(matrix[bad]) ? (matrix[bad] as unknown[]).length : 'no array'}.`)
  } else throw invalidParameter('Input must be a tensor, a nested array or tabular rows.')
  specs.forEach((spec, column) => {
    const integer = spec.type === 'integer' || spec.type === 'long'
    const numeric = integer || spec.type === 'float' || spec.type === 'double' || spec.type === 'boolean'
    for (const [rowIndex, row] of matrix.entries()) {
      const value = row[column]
      if (value === null || value === undefined) {
        if (spec.required !== false) throw invalidParameter(`Input column '${spec.name ?? column}' is required but row ${rowIndex} has no value.`)
        continue
      }
      const ok = !numeric || (spec.type === 'boolean' ? typeof value === 'boolean' : typeof value === 'number' && (!integer || Number.isInteger(value)))
      if (!ok) throw invalidParameter(`Input column '${spec.name ?? column}' dtype mismatch: expected ${spec.type} but row ${rowIndex} has ${JSON.stringify(value)}.`)
    }
  })
  const tensor = tf.tensor2d(matrix.map(row => row.map(value => (value === null || value === undefined ? Number.NaN : Number(value)))), [matrix.length, specs.length], dtype)
  created.push(tensor)
  return tensor
}

/**
 * Predicts with a tfjs layers model after checking the inputs against its signature.
 * Returns the model's output tensor(s); the caller disposes them.
 */
export async function predict(model: LayersModel, inputs: PredictInput, options: PredictOptions = {}): Promise<Tensor | Tensor[]> {
  const tf = await loadTf()
  const signature = options.signature ?? signatureOf(model)
  const specs = signature.inputs
  const created: Tensor[] = []
  try {
    let feed: Tensor | Tensor[]
    if (specs.length > 0 && isTensorSchema(specs)) {
      if (specs.length === 1) feed = tensorForSpec(tf, inputs, specs[0]!, 'Input', created)
      else {
        const byName = isPlainObject(inputs) && !(inputs instanceof tf.Tensor) ? inputs as Record<string, unknown> : undefined
        const list = Array.isArray(inputs) ? inputs as unknown[] : undefined
        feed = specs.map((spec, index) => {
          const label = inputLabel(spec, index, specs.length)
          const value = byName ? byName[spec.name ?? String(index)] : list?.[index]
          if (value === undefined) throw invalidParameter(`${label} is missing: the model takes ${specs.length} inputs (${specs.map((item, at) => item.name ?? at).join(', ')}).`)
          return tensorForSpec(tf, value, spec, label, created)
        })
      }
    } else {
      feed = tensorForColumns(tf, inputs, specs as ColumnSpec[], model.inputs[0]?.dtype ?? 'float32', created)
    }
    return model.predict(feed, options.batchSize ? { batchSize: options.batchSize } : {})
  } finally {
    tf.dispose(created)
  }
}
