/**
 * The training data a user chose — a built-in dataset or an uploaded CSV with picked columns — and how
 * it becomes the worker's DatasetSpec. CSV text is parsed by the library (papaparse); labels that are
 * not class indices 0..k-1 are mapped to them, in sorted order.
 */
import { BUILTIN_DATASETS, type BuiltinDatasetName, type DatasetSpec, type EvaluationTable } from '../../index.ts'

export type Task = 'classification' | 'regression'

/** The run tag listing class names by index when training mapped text (or other) labels to 0..k-1. */
export const CLASS_NAMES_TAG = 'lablog.class_names'

export type DatasetChoice =
  | { kind: 'builtin'; name: BuiltinDatasetName }
  | { kind: 'csv'; fileName: string; table: EvaluationTable; features: string[]; label: string; task: Task }

/** What the model side needs to know about the data. */
export interface DatasetShape {
  name: string
  task: Task
  featureCount: number
  /** Classes for classification, 1 for regression: the output layer's width. */
  outputUnits: number
  /** Set for image data (digits): the CNN preset needs it. */
  imageShape?: readonly [number, number, number]
  /** Class names by index when the labels were mapped (CSV labels that were not 0..k-1). */
  classNames?: string[]
}

/** Whether a CSV column holds numbers (the library parses numeric columns into Float64Array). */
export const isNumericColumn = (table: EvaluationTable, column: string) => table.values[column] instanceof Float64Array

/** A guess at the task for a label column: text, or a few whole numbers, means classes. */
export function guessTask(table: EvaluationTable, label: string): Task {
  const column = table.values[label]
  if (!(column instanceof Float64Array)) return 'classification'
  const distinct = new Set(column)
  return [...distinct].every(Number.isInteger) && distinct.size <= 20 ? 'classification' : 'regression'
}

/** The usual label column: one named target/label/class/y, else the last column. */
export function defaultLabelColumn(table: EvaluationTable): string {
  return table.columns.find(name => /^(target|label|labels|class|y|species)$/i.test(name)) ?? table.columns[table.columns.length - 1]!
}

/** Class names of a label column, in the order of their indices. */
export function classNamesOf(table: EvaluationTable, label: string): string[] {
  const column = table.values[label]!
  const distinct = [...new Set(Array.from(column as ArrayLike<unknown>, value => value))].filter(value => value !== null)
  const numeric = distinct.every(value => typeof value === 'number')
  distinct.sort((a, b) => (numeric ? (a as number) - (b as number) : String(a).localeCompare(String(b))))
  return distinct.map(String)
}

/** The shape of the chosen data (without reading built-in files: the catalog knows them). */
export function shapeOf(choice: DatasetChoice): DatasetShape {
  if (choice.kind === 'builtin') {
    const info = BUILTIN_DATASETS[choice.name]
    return { name: info.name, task: info.task, featureCount: info.featureCount, outputUnits: info.classCount ?? 1, ...(info.imageShape ? { imageShape: info.imageShape } : {}) }
  }
  if (choice.task === 'regression') return { name: choice.fileName, task: 'regression', featureCount: choice.features.length, outputUnits: 1 }
  const classNames = classNamesOf(choice.table, choice.label)
  const identity = classNames.every((name, index) => name === String(index))
  return { name: choice.fileName, task: 'classification', featureCount: choice.features.length, outputUnits: classNames.length, ...(identity ? {} : { classNames }) }
}

/**
 * A problem with the CSV choice that would stop training, or undefined: no features, text features,
 * missing values, a non-numeric regression target, fewer than two classes.
 */
export function csvChoiceProblem(choice: Extract<DatasetChoice, { kind: 'csv' }>): string | undefined {
  const { table, features, label, task } = choice
  if (table.rowCount < 2) return 'The CSV needs at least two data rows.'
  if (features.length === 0) return 'Pick at least one feature column.'
  if (features.includes(label)) return `'${label}' is the label column; it cannot also be a feature.`
  const text = features.find(name => !isNumericColumn(table, name))
  if (text !== undefined) return `Feature column '${text}' holds text; models take numbers only. Untick it.`
  for (const name of [...features, label]) {
    const column = table.values[name]!
    const missing = Array.prototype.findIndex.call(column, (value: unknown) => value === null || (typeof value === 'number' && Number.isNaN(value)))
    if (missing >= 0) return `Column '${name}' has a missing value in data row ${missing + 1}; fill or drop such rows first.`
  }
  if (task === 'regression' && !isNumericColumn(table, label)) return `The label '${label}' holds text: choose classification, or a numeric label for regression.`
  if (task === 'classification' && classNamesOf(table, label).length < 2) return `The label '${label}' has a single value; classification needs at least two classes.`
  return undefined
}

/** The worker's DatasetSpec for a choice (call csvChoiceProblem first for CSV). */
export function datasetSpecOf(choice: DatasetChoice): DatasetSpec {
  if (choice.kind === 'builtin') return { builtin: choice.name }
  const { table, features, label, task } = choice
  const rows: number[][] = Array.from({ length: table.rowCount }, (_, row) => features.map(name => (table.values[name] as Float64Array)[row]!))
  const labelValues = Array.from(table.values[label] as ArrayLike<unknown>)
  let targets: number[]
  let classCount: number | undefined
  if (task === 'classification') {
    const classNames = classNamesOf(table, label)
    const index = new Map(classNames.map((name, at) => [name, at]))
    targets = labelValues.map(value => index.get(String(value))!)
    classCount = classNames.length
  } else targets = labelValues.map(Number)
  return { name: choice.fileName, features: rows, targets, task, featureNames: [...features], ...(classCount ? { classCount } : {}) }
}
