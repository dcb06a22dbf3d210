/**
 * Reads what a model returned — an array, nested rows, a `{data, rows, cols}` matrix or a tfjs tensor —
 * into one of two shapes: a vector (one value per row) or a row-major matrix (one row per example).
 */
import { invalidParameter } from '../core/errors.ts'
import type { Label, ProbabilityMatrix } from './types.ts'

/** A tensor as far as evaluate reads it (a tfjs Tensor qualifies); no tfjs import is needed. */
export interface TensorLike {
  shape: number[]
  data(): Promise<ArrayLike<number>>
  dispose?(): void
}

/** What a model may return: labels or values (1-D), probability rows (n × k), a matrix or a tensor. */
export type ModelOutput = ArrayLike<Label> | ArrayLike<ArrayLike<number>> | ProbabilityMatrix | TensorLike

/** A model's output in one of two shapes. */
export type RawOutput =
  | { kind: 'vector'; values: ArrayLike<unknown> }
  | { kind: 'matrix'; data: ArrayLike<number>; rows: number; cols: number }

function isTensorLike(value: unknown): value is TensorLike {
  return typeof value === 'object' && value !== null && Array.isArray((value as TensorLike).shape)
    && typeof (value as TensorLike).data === 'function'
}

function isMatrix(value: unknown): value is ProbabilityMatrix {
  return typeof value === 'object' && value !== null && 'data' in value && 'rows' in value && 'cols' in value
}

const isRow = (value: unknown): value is ArrayLike<number> =>
  Array.isArray(value) || (ArrayBuffer.isView(value) && !(value instanceof DataView))

/**
 * Normalizes a model's output. A tensor is read and disposed (the model handed it over); a one-column
 * matrix counts as a vector. Ragged rows or non-numbers in a matrix are INVALID_PARAMETER_VALUE.
 * @param who names the model in error messages
 */
export async function readModelOutput(output: unknown, who: string): Promise<RawOutput> {
  if (isTensorLike(output)) {
    const shape = output.shape
    const data = await output.data()
    output.dispose?.()
    if (shape.length === 1 || (shape.length === 2 && shape[1] === 1)) return { kind: 'vector', values: data }
    if (shape.length === 2) return { kind: 'matrix', data, rows: shape[0]!, cols: shape[1]! }
    throw invalidParameter(`${who} returned a tensor of shape (${shape.join(', ')}); return one value per row or one probability row per example.`)
  }
  if (isMatrix(output)) {
    if (output.data.length !== output.rows * output.cols) throw invalidParameter(`${who} returned a matrix whose data length is not rows × cols.`)
    return output.cols === 1 ? { kind: 'vector', values: output.data } : { kind: 'matrix', ...output }
  }
  if (output === null || typeof output !== 'object' || typeof (output as ArrayLike<unknown>).length !== 'number') {
    throw invalidParameter(`${who} returned ${output === null ? 'null' : typeof output}; return an array of predictions (labels, values or probability rows).`)
  }
  const list = output as ArrayLike<unknown>
  if (list.length === 0 || !isRow(list[0])) return { kind: 'vector', values: list }
  const rows = list.length, cols = (list[0] as ArrayLike<number>).length
  const data = new Float64Array(rows * cols)
  for (let i = 0; i < rows; i++) {
    const row = list[i]
    if (!isRow(row) || row.length !== cols) {
      throw invalidParameter(`${who} returned ragged rows: row ${i} has ${isRow(row) ? row.length : 'no array of'} values but row 0 has ${cols}.`)
    }
    for (let c = 0; c < cols; c++) {
      const v = row[c]
      if (typeof v !== 'number' || !Number.isFinite(v)) throw invalidParameter(`${who} returned ${JSON.stringify(v ?? null)} at row ${i}, column ${c}; probabilities must be finite numbers.`)
      data[i * cols + c] = v
    }
  }
  return cols === 1 ? { kind: 'vector', values: data } : { kind: 'matrix', data, rows, cols }
}
