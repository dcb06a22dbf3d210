/**
 * From a dataset spec to training tensors: load or parse the rows, shuffle them with the seed
 * (the built-in CSVs are sorted by class, and tfjs's validation split takes the last rows), encode labels.
 */
import type { Tensor } from '@tensorflow/tfjs'
import { invalidParameter } from '../core/errors.ts'
import { BUILTIN_DATASETS, type DatasetTask } from '../datasets/catalog.ts'
import { parseNumericCsv } from '../datasets/csv.ts'
import { loadBuiltinDataset } from '../datasets/load.ts'
import type { Tf } from '../tfjs/load-tf.ts'
import type { DatasetSpec } from './spec.ts'

/** Rows ready for a model, with what presets need to know about them. */
export interface TrainingTable {
  name: string
  task: DatasetTask
  featureNames: string[]
  features: number[][]
  targets: number[]
  /** For classification. */
  classCount?: number
  imageShape?: [number, number, number]
}

/** A small seeded PRNG (mulberry32): the same seed gives the same row order everywhere. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let mixed = Math.imul(state ^ (state >>> 15), 1 | state)
    mixed = (mixed + Math.imul(mixed ^ (mixed >>> 7), 61 | mixed)) ^ mixed
    return ((mixed ^ (mixed >>> 14)) >>> 0) / 4294967296
  }
}

/** A Fisher–Yates permutation of 0..length-1 driven by the seed. */
export function seededPermutation(length: number, seed: number): number[] {
  const random = seededRandom(seed)
  const order = Array.from({ length }, (_, index) => index)
  for (let index = length - 1; index > 0; index--) {
    const swap = Math.floor(random() * (index + 1))
    ;[order[index], order[swap]] = [order[swap]!, order[index]!]
  }
  return order
}

/** Loads the rows a spec names. `datasetBaseUrl` is where a browser fetches the built-in CSVs. */
export async function loadTrainingTable(spec: DatasetSpec, datasetBaseUrl?: string): Promise<TrainingTable> {
  if ('builtin' in spec) {
    const dataset = await loadBuiltinDataset(spec.builtin, datasetBaseUrl === undefined ? {} : { baseUrl: datasetBaseUrl })
    const info = BUILTIN_DATASETS[spec.builtin]
    return {
      name: info.name, task: info.task, featureNames: dataset.featureNames, features: dataset.features, targets: dataset.targets,
      ...(info.classCount ? { classCount: info.classCount } : {}), ...(info.imageShape ? { imageShape: info.imageShape } : {}),
    }
  }
  const table = 'csv' in spec ? parseNumericCsv(spec.csv, spec.targetColumn) : spec
  if (table.features.length === 0) throw invalidParameter(`Dataset '${spec.name}' has no rows.`)
  if (table.features.length !== table.targets.length) throw invalidParameter(`Dataset '${spec.name}' has ${table.features.length} feature rows but ${table.targets.length} targets.`)
  const width = table.features[0]!.length
  const featureNames = table.featureNames ?? Array.from({ length: width }, (_, index) => `feature_${index}`)
  let classCount: number | undefined
  if (spec.task === 'classification') {
    if (!table.targets.every(target => Number.isInteger(target) && target >= 0)) {
      throw invalidParameter(`Dataset '${spec.name}': classification targets must be class indices 0, 1, 2, …`)
    }
    classCount = spec.classCount ?? Math.max(...table.targets) + 1
  }
  return { name: spec.name, task: spec.task, featureNames, features: table.features, targets: table.targets, ...(classCount ? { classCount } : {}) }
}

/** The table's rows in a seeded order, as tensors: x [rows, features] and y (one-hot, or [rows, 1] for regression). */
export function trainingTensors(tf: Tf, table: TrainingTable, seed: number): { x: Tensor; y: Tensor } {
  const order = seededPermutation(table.features.length, seed)
  const x = tf.tensor2d(order.map(index => table.features[index]!), undefined, 'float32')
  const targets = order.map(index => table.targets[index]!)
  const y = table.task === 'classification'
    ? tf.tidy(() => tf.oneHot(tf.tensor1d(targets, 'int32'), table.classCount!).toFloat())
    : tf.tensor2d(targets, [targets.length, 1], 'float32')
  return { x, y }
}

/** Per-feature mean and standard deviation (a constant feature gets std 1, so it passes through). */
export function featureMoments(features: number[][]): { mean: number[]; std: number[] } {
  const width = features[0]?.length ?? 0
  const mean = new Array<number>(width).fill(0)
  const variance = new Array<number>(width).fill(0)
  for (const row of features) row.forEach((value, column) => { mean[column]! += value / features.length })
  for (const row of features) row.forEach((value, column) => { variance[column]! += (value - mean[column]!) ** 2 / features.length })
  return { mean, std: variance.map(value => (value > 0 ? Math.sqrt(value) : 1)) }
}
