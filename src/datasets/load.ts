/**
 * Loading the built-in datasets: from public/datasets/ on disk in Node, by fetch in a window
 * or worker (served by the app, precached for offline use).
 */
import { invalidParameter } from '../core/errors.ts'
import { BUILTIN_DATASETS, type BuiltinDatasetInfo, type BuiltinDatasetName, isBuiltinDatasetName } from './catalog.ts'
import { type NumericTable, parseNumericCsv } from './csv.ts'

/** A built-in dataset with its description. */
export interface BuiltinDataset extends NumericTable { info: BuiltinDatasetInfo }

export interface LoadDatasetOptions {
  /**
   * Where the CSVs are served in a browser: the app passes `${import.meta.env.BASE_URL}datasets/`.
   * Default: `/datasets/` on the page's (or worker's) origin.
   */
  baseUrl?: string
}

const isNode = () => typeof (globalThis as { process?: { versions?: { node?: string } } }).process?.versions?.node === 'string'
  && typeof (globalThis as { window?: unknown }).window === 'undefined' && typeof (globalThis as { WorkerGlobalScope?: unknown }).WorkerGlobalScope === 'undefined'

async function readCsvText(info: BuiltinDatasetInfo, options: LoadDatasetOptions): Promise<string> {
  if (isNode() && options.baseUrl === undefined) {
    // Loaded only in Node, by computed specifiers, so bundlers never pull fs into a browser build.
    const fs = await import(/* @vite-ignore */ 'node:' + 'fs/promises') as { readFile(path: URL, encoding: 'utf8'): Promise<string> }
    // Through a variable: Vite rewrites the literal `new URL(…, import.meta.url)` form into asset imports.
    const moduleUrl = import.meta.url
    return fs.readFile(new URL(`../../public/datasets/${info.file}`, moduleUrl), 'utf8')
  }
  const origin = (globalThis as { location?: { href?: string } }).location?.href
  const url = new URL(info.file, new URL(options.baseUrl ?? '/datasets/', origin))
  const response = await fetch(url)
  if (!response.ok) throw invalidParameter(`Could not fetch dataset '${info.name}' from ${url.href}: HTTP ${response.status}.`)
  return response.text()
}

/** Loads a built-in dataset by name: iris, wine, breast_cancer, diabetes or digits. */
export async function loadBuiltinDataset(name: BuiltinDatasetName, options: LoadDatasetOptions = {}): Promise<BuiltinDataset> {
  if (!isBuiltinDatasetName(name)) {
    throw invalidParameter(`Unknown built-in dataset '${String(name)}'. Available: ${Object.keys(BUILTIN_DATASETS).join(', ')}.`)
  }
  const info = BUILTIN_DATASETS[name]
  return { info, ...parseNumericCsv(await readCsvText(info, options)) }
}
