/**
 * The evaluation dataset of `mlflow.evaluate()`: columnar objects, row objects or CSV (File, Blob or text,
 * parsed with papaparse) turned into one table of named columns, numeric ones detected as Float64Array.
 */
import Papa from 'papaparse'
import { invalidParameter } from '../core/errors.ts'

/** A column: numbers as Float64Array (NaN where a value is missing), anything else as an array of values. */
export type DataColumn = Float64Array | ReadonlyArray<string | number | boolean | null>

/**
 * What `evaluate` accepts as `data`: columns (`{col: number[] | Float32Array | string[]}`), an array of
 * row objects, or CSV with a header row (a File, a Blob or the text itself).
 */
export type EvaluationData =
  | Readonly<Record<string, ArrayLike<unknown>>>
  | ReadonlyArray<Readonly<Record<string, unknown>>>
  | Blob
  | string

/** The dataset as named columns of equal length, in the order the data gave them. */
export interface EvaluationTable {
  columns: string[]
  rowCount: number
  values: Record<string, DataColumn>
}

/** A feature column's values for a model: numbers as Float64Array, other values as they came. */
export type FeatureColumns = Record<string, DataColumn>

/**
 * A column of numbers (null/undefined/NaN count as missing) becomes a Float64Array; any other column keeps
 * its values (strings, booleans), with missing ones as null.
 */
function toColumn(values: ArrayLike<unknown>): DataColumn {
  if (values instanceof Float64Array) return values
  if (ArrayBuffer.isView(values)) return Float64Array.from(values as ArrayLike<number>)
  let numeric = true
  for (let i = 0; i < values.length && numeric; i++) {
    const v = values[i]
    if (typeof v !== 'number' && v !== null && v !== undefined) numeric = false
  }
  if (numeric) {
    const out = new Float64Array(values.length)
    for (let i = 0; i < values.length; i++) {
      const v = values[i]
      out[i] = typeof v === 'number' ? v : NaN
    }
    return out
  }
  return Array.from(values, (v) => (v === undefined ? null : v as string | number | boolean | null))
}

function fromColumns(data: Readonly<Record<string, ArrayLike<unknown>>>): EvaluationTable {
  const columns = Object.keys(data)
  if (columns.length === 0) throw invalidParameter('The evaluation data has no columns.')
  const rowCount = data[columns[0]!]!.length
  const values: Record<string, DataColumn> = {}
  for (const name of columns) {
    const column = data[name]
    if (!column || typeof column !== 'object' || typeof column.length !== 'number') {
      throw invalidParameter(`Column '${name}' of the evaluation data must be an array or a typed array.`)
    }
    if (column.length !== rowCount) {
      throw invalidParameter(`Column '${name}' has ${column.length} values but column '${columns[0]}' has ${rowCount}; every column needs one value per row.`)
    }
    values[name] = toColumn(column)
  }
  return { columns, rowCount, values }
}

function fromRows(rows: ReadonlyArray<Readonly<Record<string, unknown>>>): EvaluationTable {
  const columns: string[] = []
  const seen = new Set<string>()
  rows.forEach((row, index) => {
    if (typeof row !== 'object' || row === null || Array.isArray(row)) {
      throw invalidParameter(`Row ${index} of the evaluation data is not an object of column values.`)
    }
    for (const key of Object.keys(row)) if (!seen.has(key)) { seen.add(key); columns.push(key) }
  })
  const values: Record<string, DataColumn> = {}
  for (const name of columns) values[name] = toColumn(rows.map((row) => row[name]))
  return { columns, rowCount: rows.length, values }
}

const NUMBER_TEXT = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$|^[+-]?(inf|infinity)$|^nan$/i

/** A CSV cell as a number, or undefined when it is not one. Empty cells are missing (NaN). */
function cellNumber(cell: string): number | undefined {
  const text = cell.trim()
  if (text === '') return NaN
  if (!NUMBER_TEXT.test(text)) return undefined
  const lower = text.toLowerCase()
  if (lower === 'nan') return NaN
  if (lower.endsWith('inf') || lower.endsWith('infinity')) return lower.startsWith('-') ? -Infinity : Infinity
  return Number(text)
}

/**
 * Parses CSV text with papaparse (header row, any delimiter papaparse detects). A column whose cells are
 * all numbers (or empty) becomes numeric; others keep their text, empty cells as null.
 */
export function parseCsvTable(text: string): EvaluationTable {
  const parsed = Papa.parse<string[]>(text, { skipEmptyLines: 'greedy' })
  const fatal = parsed.errors.find((e) => e.type !== 'Delimiter')
  if (fatal) throw invalidParameter(`The CSV could not be parsed (data row ${fatal.row ?? '?'}): ${fatal.message}.`)
  const [header, ...rows] = parsed.data
  if (!header || header.length === 0) throw invalidParameter('The CSV is empty: it needs a header row and at least one data row.')
  const columns = header.map((h) => h.trim())
  const duplicate = columns.find((c, i) => columns.indexOf(c) !== i)
  if (duplicate !== undefined) throw invalidParameter(`The CSV header names column '${duplicate}' twice.`)
  rows.forEach((row, index) => {
    if (row.length !== columns.length) {
      throw invalidParameter(`CSV data row ${index + 1} has ${row.length} fields but the header has ${columns.length}.`)
    }
  })
  const values: Record<string, DataColumn> = {}
  columns.forEach((name, c) => {
    const numbers = new Float64Array(rows.length)
    let numeric = true
    for (let r = 0; r < rows.length; r++) {
      const v = cellNumber(rows[r]![c]!)
      if (v === undefined) { numeric = false; break }
      numbers[r] = v
    }
    values[name] = numeric ? numbers : rows.map((row) => (row[c]!.trim() === '' ? null : row[c]!))
  })
  return { columns, rowCount: rows.length, values }
}

/** Reads any accepted `data` into a table; INVALID_PARAMETER_VALUE says what is wrong with it. */
export async function loadEvaluationData(data: EvaluationData): Promise<EvaluationTable> {
  let table: EvaluationTable
  if (typeof data === 'string') table = parseCsvTable(data)
  else if (typeof Blob !== 'undefined' && data instanceof Blob) table = parseCsvTable(await data.text())
  else if (Array.isArray(data)) table = fromRows(data)
  else if (typeof data === 'object' && data !== null) table = fromColumns(data as Readonly<Record<string, ArrayLike<unknown>>>)
  else throw invalidParameter('data must be columns ({name: values}), an array of row objects, or CSV (a File, Blob or string).')
  if (table.rowCount === 0) throw invalidParameter('The evaluation dataset is empty: it has no rows.')
  return table
}

/** The named column; INVALID_PARAMETER_VALUE lists the columns there are when it is absent. */
export function requireColumn(table: EvaluationTable, name: string, role: string): DataColumn {
  const column = table.values[name]
  if (!column) {
    throw invalidParameter(`The evaluation data has no '${name}' column (named by ${role}); its columns are: ${table.columns.join(', ')}.`)
  }
  return column
}

/**
 * The columns a model is fed: `featureNames` when given (each must exist), else every column except the
 * targets and predictions columns, in data order (MLflow's `feature_names` behaves the same).
 */
export function featureColumnNames(table: EvaluationTable, exclude: readonly string[], featureNames?: readonly string[]): string[] {
  if (featureNames) {
    const missing = featureNames.filter((name) => !(name in table.values))
    if (missing.length) {
      throw invalidParameter(`feature_names lists ${missing.map((m) => `'${m}'`).join(', ')}, which the data does not have; its columns are: ${table.columns.join(', ')}.`)
    }
    return [...featureNames]
  }
  return table.columns.filter((name) => !exclude.includes(name))
}

/**
 * The feature columns a model gets, checked first: none may hold a missing or NaN value (a model would turn it
 * into silent garbage). The error names the column and the row.
 */
export function featureColumns(table: EvaluationTable, names: readonly string[]): FeatureColumns {
  if (names.length === 0) throw invalidParameter('The evaluation data has no feature columns besides the targets (and predictions) to feed the model.')
  const out: FeatureColumns = {}
  for (const name of names) {
    const column = table.values[name]!
    for (let i = 0; i < column.length; i++) {
      const v = column[i]
      if (v === null || (typeof v === 'number' && Number.isNaN(v))) {
        throw invalidParameter(`Feature column '${name}' has ${v === null ? 'a missing value' : 'NaN'} at row ${i} (0-based); fill or drop such rows before evaluating.`)
      }
    }
    out[name] = column
  }
  return out
}

/**
 * Features as one row-major matrix for a tensor model, columns in `names` order. A column that is not
 * numeric is INVALID_PARAMETER_VALUE naming it and its first non-number.
 */
export function featureMatrix(features: FeatureColumns, names: readonly string[], rowCount: number): Float32Array {
  const d = names.length
  const out = new Float32Array(rowCount * d)
  names.forEach((name, c) => {
    const column = features[name]!
    if (!(column instanceof Float64Array)) {
      const bad = column.find((v) => typeof v !== 'number')
      throw invalidParameter(`Feature column '${name}' is not numeric (it holds ${JSON.stringify(bad)}); the model takes numbers only.`)
    }
    for (let r = 0; r < rowCount; r++) out[r * d + c] = column[r]!
  })
  return out
}
