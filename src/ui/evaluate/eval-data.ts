/**
 * The data an evaluation runs on: a built-in dataset, an uploaded CSV, or the held-out validation rows of
 * the model's own training (rebuilt from the run's training_spec.json: same seeded shuffle, same split).
 */
import { BUILTIN_DATASETS, type BuiltinDatasetName, type TrainingSpec, loadBuiltinDataset, parseCsvTable, seededPermutation } from '../../index.ts'
import { CLASS_NAMES_TAG } from '../train/dataset-choice.ts'
import { client } from '../lablog.ts'

/** What training recorded about its rows, when the split can be rebuilt (built-in datasets only: uploads are not kept). */
export interface HeldOutInfo { dataset: BuiltinDatasetName; seed: number; validationSplit: number }

/** What a training run recorded that evaluation can reuse. */
export interface TrainingRecord {
  heldOut?: HeldOutInfo
  /** The feature columns, in the order the model takes them (CSV trainings). */
  featureNames?: string[]
  /** Class names by index, when training mapped labels to 0..k-1. */
  classNames?: string[]
}

export type EvalSource =
  | { kind: 'builtin'; name: BuiltinDatasetName }
  | { kind: 'heldout'; info: HeldOutInfo }
  | { kind: 'csv'; file: File; targets: string; modelType: 'classifier' | 'regressor'; training?: TrainingRecord }

/** Data ready for EvaluateBridge: columns (or the CSV file), the target column and model type. */
export interface PreparedData {
  data: Record<string, Float64Array> | Blob
  targets: string
  modelType: 'classifier' | 'regressor'
  datasetName: string
  /** For classifiers on built-in data: every class, so an absent one still gets its row and column. */
  labelList?: number[]
  /** Names of the label indices, for display. */
  classNames?: string[]
  rowCount?: number
}

const TRAINING_SPEC_FILE = 'training_spec.json'
const datasetBaseUrl = () => `${import.meta.env.BASE_URL}datasets/`

/** What a run's training recorded (training_spec.json, the class-names tag); empty for runs not trained here. */
export async function trainingRecord(runId: string): Promise<TrainingRecord> {
  const record: TrainingRecord = {}
  try {
    const names = JSON.parse((await client.getRun(runId)).data.tags[CLASS_NAMES_TAG] ?? 'null') as unknown
    if (Array.isArray(names)) record.classNames = names.map(String)
  } catch { /* an unreadable tag is ignored */ }
  let spec: TrainingSpec
  try { spec = JSON.parse(await client.readArtifactText(runId, TRAINING_SPEC_FILE)) as TrainingSpec } catch { return record }
  const dataset = spec.dataset as { builtin?: unknown; featureNames?: unknown }
  if (Array.isArray(dataset?.featureNames)) record.featureNames = dataset.featureNames.map(String)
  const validationSplit = spec.fit?.validationSplit ?? 0.2
  if (typeof dataset?.builtin === 'string' && dataset.builtin in BUILTIN_DATASETS && validationSplit > 0) {
    record.heldOut = { dataset: dataset.builtin as BuiltinDatasetName, seed: spec.seed ?? 0, validationSplit }
  }
  return record
}

/**
 * An uploaded CSV as columns for the model: the features training used (when recorded and present),
 * else every numeric column but the target; text labels mapped to the indices training gave them.
 */
async function csvData(source: Extract<EvalSource, { kind: 'csv' }>): Promise<PreparedData> {
  const table = parseCsvTable(await source.file.text())
  const recorded = source.training?.featureNames
  const features = recorded && recorded.every(name => name in table.values) ? recorded
    : table.columns.filter(name => name !== source.targets && table.values[name] instanceof Float64Array)
  const columns: Record<string, Float64Array | string[]> = {}
  for (const name of features) columns[name] = table.values[name] as Float64Array
  const target = table.values[source.targets]!
  const classNames = source.training?.classNames
  if (source.modelType === 'classifier' && classNames) {
    const index = new Map(classNames.map((name, at) => [name, at]))
    const unknown = Array.from(target as ArrayLike<unknown>).find(value => !index.has(String(value)))
    if (unknown !== undefined) throw new Error(`The label '${String(unknown)}' was not a class in training (classes: ${classNames.join(', ')}).`)
    columns[source.targets] = Float64Array.from(target as ArrayLike<unknown>, value => index.get(String(value))!)
  } else columns[source.targets] = target as Float64Array | string[]
  const datasetName = source.file.name.replace(/\.[^.]*$/, '')
  return {
    data: columns as Record<string, Float64Array>, targets: source.targets, modelType: source.modelType, datasetName, rowCount: table.rowCount,
    ...(source.modelType === 'classifier' && classNames ? { labelList: classNames.map((_, at) => at), classNames } : {}),
  }
}

/** The rows (indices into the dataset file) tfjs held out: the last part of the seeded shuffle, as model.fit's validationSplit takes it. */
export function heldOutRows(rowCount: number, info: HeldOutInfo): number[] {
  const order = seededPermutation(rowCount, info.seed)
  return order.slice(Math.floor(rowCount * (1 - info.validationSplit)))
}

/** Reads the chosen source into what the evaluate worker takes. */
export async function prepareData(source: EvalSource): Promise<PreparedData> {
  if (source.kind === 'csv') return csvData(source)
  const name = source.kind === 'builtin' ? source.name : source.info.dataset
  const dataset = await loadBuiltinDataset(name, { baseUrl: datasetBaseUrl() })
  const rows = source.kind === 'heldout' ? heldOutRows(dataset.features.length, source.info) : dataset.features.map((_, index) => index)
  const columns: Record<string, Float64Array> = {}
  dataset.featureNames.forEach((feature, column) => { columns[feature] = Float64Array.from(rows, row => dataset.features[row]![column]!) })
  columns.target = Float64Array.from(rows, row => dataset.targets[row]!)
  const info = BUILTIN_DATASETS[name]
  const classifier = info.task === 'classification'
  return {
    data: columns, targets: 'target', modelType: classifier ? 'classifier' : 'regressor', rowCount: rows.length,
    datasetName: source.kind === 'heldout' ? `${name}-validation` : name,
    ...(classifier && info.classCount ? { labelList: Array.from({ length: info.classCount }, (_, index) => index) } : {}),
  }
}
