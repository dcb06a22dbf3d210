/** The built-in datasets (public/datasets/): what each holds and how to train on it. */

/** The name of a built-in dataset. */
export type BuiltinDatasetName = 'iris' | 'wine' | 'breast_cancer' | 'diabetes' | 'digits'

/** What a model predicts from a dataset. */
export type DatasetTask = 'classification' | 'regression'

export interface BuiltinDatasetInfo {
  name: BuiltinDatasetName
  /** File name under public/datasets/. */
  file: string
  task: DatasetTask
  rows: number
  featureCount: number
  /** Number of classes, for classification. */
  classCount?: number
  /** [height, width, channels] when the features are an image's pixels, row by row. */
  imageShape?: [number, number, number]
  description: string
}

/** Every built-in dataset, in the order the UI lists them. */
export const BUILTIN_DATASETS: Readonly<Record<BuiltinDatasetName, BuiltinDatasetInfo>> = {
  iris: { name: 'iris', file: 'iris.csv', task: 'classification', rows: 150, featureCount: 4, classCount: 3, description: "Fisher's iris flowers: 4 measurements, 3 species." },
  wine: { name: 'wine', file: 'wine.csv', task: 'classification', rows: 178, featureCount: 13, classCount: 3, description: 'Chemical analysis of wines from 3 cultivars.' },
  breast_cancer: { name: 'breast_cancer', file: 'breast_cancer.csv', task: 'classification', rows: 569, featureCount: 30, classCount: 2, description: 'Breast Cancer Wisconsin (Diagnostic): 30 cell-nucleus measurements, malignant or benign.' },
  diabetes: { name: 'diabetes', file: 'diabetes.csv', task: 'regression', rows: 442, featureCount: 10, description: 'Disease progression one year after baseline, from 10 scaled variables.' },
  digits: { name: 'digits', file: 'digits.csv', task: 'classification', rows: 1797, featureCount: 64, classCount: 10, imageShape: [8, 8, 1], description: 'Handwritten digits as 8×8 images with grey levels 0–16.' },
}

export function isBuiltinDatasetName(name: unknown): name is BuiltinDatasetName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(BUILTIN_DATASETS, name)
}
