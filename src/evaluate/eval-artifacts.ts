/**
 * The files an evaluation writes at the run's artifact root, with MLflow's names: each figure as PNG
 * (`<prefix><name>.png`, what `mlflow ui` shows) and as plotly JSON (`<prefix><name>.json`, what Lablog's UI
 * draws live), `per_class_metrics.csv` (no prefix) and `<prefix>eval_results_table.json`.
 */
import type { DataColumn, EvaluationTable } from './data.ts'
import { perClassMetricsCsv } from './per-class-metrics.ts'
import { renderFigurePng } from './png.ts'
import type { EvaluationOutput, Label } from './types.ts'

/** One file to log: its path at the artifact root and its bytes. */
export interface ArtifactFile {
  path: string
  blob: Blob
}

/** The files, and which artifact name each one stands for. */
export interface EvalArtifacts {
  files: ArtifactFile[]
  /** MLflow artifact name → path: the PNG for figures, the CSV, the results table. */
  artifacts: Record<string, string>
  /** Figure name → path of its plotly JSON. */
  plotlyArtifacts: Record<string, string>
}

/** MLflow's results-table file name (before the prefix). */
export const EVAL_RESULTS_TABLE = 'eval_results_table.json'

const ROWS_PER_PART = 10_000

function cellJson(v: unknown): string {
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : 'null'
  return JSON.stringify(v ?? null)
}

/**
 * `eval_results_table.json` in the shape `mlflow.log_table` writes: `{"columns": [...], "data": [[...], ...]}`,
 * rows holding the feature columns, the targets and the predictions. Built in parts so a million rows
 * never become one giant string.
 */
export function evalResultsTable(table: EvaluationTable, featureNames: readonly string[], targets: { name: string; values: DataColumn },
  predictions: { name: string; values: ArrayLike<Label> }): Blob {
  const columns: ArrayLike<unknown>[] = [...featureNames.map((name) => table.values[name]!), targets.values, predictions.values]
  const parts: string[] = [`{"columns": ${JSON.stringify([...featureNames, targets.name, predictions.name])}, "data": [`]
  const n = table.rowCount
  for (let start = 0; start < n; start += ROWS_PER_PART) {
    const rows: string[] = []
    for (let r = start; r < Math.min(n, start + ROWS_PER_PART); r++) {
      rows.push(`[${columns.map((column) => cellJson(column[r])).join(', ')}]`)
    }
    parts.push((start ? ', ' : '') + rows.join(', '))
  }
  parts.push(']}')
  return new Blob(parts, { type: 'application/json' })
}

/**
 * Renders every figure (PNG and plotly JSON) and the tables of one evaluation. The results table is
 * included when `resultsTable` is given.
 */
export async function buildEvalArtifacts(output: EvaluationOutput, prefix: string, resultsTable?: Blob, onFigure?: (done: number, total: number) => void): Promise<EvalArtifacts> {
  const files: ArtifactFile[] = []
  const artifacts: Record<string, string> = {}
  const plotlyArtifacts: Record<string, string> = {}
  const names = Object.keys(output.figures).sort()
  for (const [index, name] of names.entries()) {
    const figure = output.figures[name]!
    const png = `${prefix}${name}.png`, json = `${prefix}${name}.json`
    files.push({ path: png, blob: await renderFigurePng(figure) })
    files.push({ path: json, blob: new Blob([JSON.stringify({ data: figure.data, layout: figure.layout })], { type: 'application/json' }) })
    artifacts[name] = png
    plotlyArtifacts[name] = json
    onFigure?.(index + 1, names.length)
  }
  const perClass = output.tables.per_class_metrics
  if (perClass) {
    files.push({ path: 'per_class_metrics.csv', blob: new Blob([perClassMetricsCsv(perClass)], { type: 'text/csv' }) })
    artifacts.per_class_metrics = 'per_class_metrics.csv'
  }
  if (resultsTable) {
    const path = `${prefix}${EVAL_RESULTS_TABLE}`
    files.push({ path, blob: resultsTable })
    artifacts.eval_results_table = path
  }
  return { files, artifacts, plotlyArtifacts }
}
