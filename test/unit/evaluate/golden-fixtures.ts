/**
 * Loads the evaluate goldens (shared/fixtures/evaluate: predictions CSV + what MLflow 2.17.2 returned),
 * located from this file so it works from any checkout with shared/ beside the repo.
 */
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

export const FIXTURE_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../shared/fixtures/evaluate')

export interface Golden {
  case: string
  evaluator_config: Record<string, unknown>
  csv_columns: string[]
  model_classes?: number[]
  label_list_inferred?: number[]
  binary?: boolean
  pos_label_used?: number
  metrics: Record<string, number | string>
  artifacts: Record<string, string>
  per_class_metrics?: Record<string, number | string>[]
  per_class_metrics_csv?: string
}

export interface GoldenCase {
  name: string
  golden: Golden
  modelType: 'classifier' | 'regressor'
  targets: number[]
  predictions: number[]
  /** Rows of `proba_<label>` columns, when the CSV has them. */
  probabilities?: number[][]
  /** The per-class CSV text, when the case has one. */
  perClassCsv?: string
}

export const CASES = [
  'breast-cancer-binary-logreg',
  'breast-cancer-binary-static-predictions',
  'diabetes-regression-linreg',
  'wine-multiclass-logreg',
  'wine-multiclass-static-predictions',
] as const

/** Reads one case: Number(text) of each CSV cell is exactly the double MLflow used. */
export function loadCase(name: string): GoldenCase {
  const golden = JSON.parse(readFileSync(path.join(FIXTURE_DIR, `${name}.json`), 'utf8')) as Golden
  const lines = readFileSync(path.join(FIXTURE_DIR, `${name}.csv`), 'utf8').split('\n').filter((l) => l !== '')
  const header = lines[0]!.split(',')
  const rows = lines.slice(1).map((l) => l.split(',').map(Number))
  const col = (c: string) => header.indexOf(c)
  const probaCols = header.filter((h) => h.startsWith('proba_')).map(col)
  const modelType = name.includes('regression') ? 'regressor' : 'classifier'
  const perClassPath = golden.per_class_metrics_csv ? path.join(FIXTURE_DIR, golden.per_class_metrics_csv) : null
  return {
    name,
    golden,
    modelType,
    targets: rows.map((r) => r[col('target')]!),
    predictions: rows.map((r) => r[col('prediction')]!),
    ...(probaCols.length ? { probabilities: rows.map((r) => probaCols.map((c) => r[c]!)) } : {}),
    ...(perClassPath ? { perClassCsv: readFileSync(perClassPath, 'utf8') } : {}),
  }
}

/** A golden metric value as a number ("NaN"/"Infinity" strings included). */
export function goldenNumber(v: number | string): number {
  return typeof v === 'number' ? v : Number(v)
}
