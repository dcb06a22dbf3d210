/**
 * Input examples as MLflow saves them next to a model (mlflow-compat §6.3): the example file,
 * the serving example file and the MLmodel's `saved_input_example_info`.
 */
import { invalidParameter } from '../core/errors.ts'
import { pythonJsonDumps } from './python-json.ts'

/** A nested array of numbers (or strings/booleans): a tensor's values. */
export type NestedArray = ReadonlyArray<number | string | boolean | null | NestedArray>

/** Tabular rows, one object per row, keyed by column name. */
export type RecordRows = ReadonlyArray<Readonly<Record<string, unknown>>>

/**
 * An input example: a nested array (saved as an `ndarray` example), rows or columns of a table
 * (saved as a `dataframe` in split orient), or named tensors (`{name: nested array}`, ≥ 2-D).
 */
export type InputExample = NestedArray | RecordRows | Readonly<Record<string, ReadonlyArray<unknown>>>

export const INPUT_EXAMPLE_FILE = 'input_example.json'
export const SERVING_INPUT_EXAMPLE_FILE = 'serving_input_example.json'

export interface SavedInputExample {
  /** input_example.json: compact, as MLflow writes it. */
  exampleJson: string
  /** serving_input_example.json: the request body MLflow's scoring server accepts, pretty-printed. */
  servingJson: string
  /** The MLmodel's saved_input_example_info mapping. */
  info: Record<string, string>
}

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value) && !ArrayBuffer.isView(value)

/** Table columns in split orient: the column names and the rows as arrays. */
function toSplit(columns: string[], rows: unknown[][]): { columns: string[]; data: unknown[][] } {
  return { columns, data: rows }
}

function dataframeExample(split: { columns: string[]; data: unknown[][] }): SavedInputExample {
  return {
    exampleJson: pythonJsonDumps(split),
    servingJson: JSON.stringify({ dataframe_split: split }, null, 2),
    info: { artifact_path: INPUT_EXAMPLE_FILE, pandas_orient: 'split', serving_input_path: SERVING_INPUT_EXAMPLE_FILE, type: 'dataframe' },
  }
}

function ndarrayExample(value: unknown): SavedInputExample {
  const serving = JSON.stringify({ inputs: value }, (_key, item: unknown) => (typeof item === 'number' && !Number.isFinite(item) ? null : item), 2)
  return {
    exampleJson: pythonJsonDumps(value),
    servingJson: serving,
    info: { artifact_path: INPUT_EXAMPLE_FILE, serving_input_path: SERVING_INPUT_EXAMPLE_FILE, type: 'ndarray' },
  }
}

/** Encodes an example the way MLflow saves it; INVALID_PARAMETER_VALUE for an empty or ragged one. */
export function encodeInputExample(example: InputExample): SavedInputExample {
  if (Array.isArray(example)) {
    if (example.length === 0) throw invalidParameter('An input example needs at least one row.')
    if (example.every(isPlainObject)) {
      const rows = example as RecordRows
      const columns = Object.keys(rows[0]!)
      for (const row of rows) {
        const keys = Object.keys(row)
        if (keys.length !== columns.length || keys.some(key => !columns.includes(key))) {
          throw invalidParameter(`Input example rows must all have the same columns; expected ${columns.join(', ')}, got ${keys.join(', ')}.`)
        }
      }
      return dataframeExample(toSplit(columns, rows.map(row => columns.map(column => row[column]))))
    }
    return ndarrayExample(example)
  }
  if (isPlainObject(example)) {
    const entries = Object.entries(example)
    if (entries.length === 0) throw invalidParameter('An input example needs at least one column.')
    if (!entries.every(([, values]) => Array.isArray(values))) throw invalidParameter('A columnar input example maps each column name to an array of values.')
    const namedTensors = entries.some(([, values]) => (values as unknown[]).some(Array.isArray))
    if (namedTensors) return ndarrayExample(example)
    const columns = entries.map(([name]) => name)
    const length = (entries[0]![1] as unknown[]).length
    if (entries.some(([, values]) => (values as unknown[]).length !== length)) throw invalidParameter('Every column of an input example needs the same number of values.')
    const rows = Array.from({ length }, (_, index) => entries.map(([, values]) => (values as unknown[])[index]))
    return dataframeExample(toSplit(columns, rows))
  }
  throw invalidParameter('An input example is a nested array, an array of row objects, or an object of columns.')
}
