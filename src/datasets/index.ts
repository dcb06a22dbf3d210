/** The built-in datasets and the CSV reader behind them. */
export { BUILTIN_DATASETS, type BuiltinDatasetInfo, type BuiltinDatasetName, type DatasetTask, isBuiltinDatasetName } from './catalog.ts'
export { type NumericTable, parseNumericCsv } from './csv.ts'
export { type BuiltinDataset, type LoadDatasetOptions, loadBuiltinDataset } from './load.ts'
