/**
 * The runs table's column model: attribute, param, metric and tag columns addressed by ids like
 * `metrics.acc`, each knowing how to read, compare and show its value.
 */
import type { Run } from '../../index.ts'
import { formatAgo, formatDuration, formatNumber, runDuration } from '../format.ts'
import { TAGS } from '../lablog.ts'

export type ColumnKind = 'attribute' | 'param' | 'metric' | 'tag'

export interface Column {
  /** `attributes.status`, `params.lr`, `metrics.acc`, `tags.team`. */
  id: string
  kind: ColumnKind
  key: string
  label: string
  width: number
  numeric: boolean
  /** The value sorted on. */
  value: (run: Run, now: number) => string | number | undefined
  /** The text shown (and offered to screen readers). */
  text: (run: Run, now: number) => string
  /** A fuller text for the cell's tooltip. */
  title?: (run: Run) => string
}

const ATTRIBUTE_COLUMNS: Column[] = [
  { id: 'attributes.start_time', kind: 'attribute', key: 'start_time', label: 'Created', width: 110, numeric: false,
    value: run => run.info.startTime, text: (run, now) => formatAgo(run.info.startTime, now), title: run => new Date(run.info.startTime).toLocaleString() },
  { id: 'attributes.duration', kind: 'attribute', key: 'duration', label: 'Duration', width: 90, numeric: true,
    value: (run, now) => runDuration(run.info.startTime, run.info.endTime, now), text: (run, now) => formatDuration(runDuration(run.info.startTime, run.info.endTime, now)) },
  { id: 'attributes.status', kind: 'attribute', key: 'status', label: 'Status', width: 100, numeric: false,
    value: run => run.info.status, text: run => run.info.status },
  { id: 'attributes.user_id', kind: 'attribute', key: 'user_id', label: 'User', width: 110, numeric: false,
    value: run => run.data.tags[TAGS.user] ?? run.info.userId, text: run => run.data.tags[TAGS.user] ?? run.info.userId },
  { id: 'attributes.source', kind: 'attribute', key: 'source', label: 'Source', width: 150, numeric: false,
    value: run => run.data.tags[TAGS.sourceName], text: run => sourceLabel(run.data.tags[TAGS.sourceName]), title: run => run.data.tags[TAGS.sourceName] ?? '' },
  { id: 'attributes.version', kind: 'attribute', key: 'version', label: 'Version', width: 90, numeric: false,
    value: run => run.data.tags[TAGS.gitCommit], text: run => (run.data.tags[TAGS.gitCommit] ?? '').slice(0, 8), title: run => run.data.tags[TAGS.gitCommit] ?? '' },
  { id: 'attributes.run_id', kind: 'attribute', key: 'run_id', label: 'Run ID', width: 120, numeric: false,
    value: run => run.info.runId, text: run => run.info.runId, title: run => run.info.runId },
]

/** The run-name column: always shown, first, sticky. */
export const NAME_COLUMN: Column = {
  id: 'attributes.run_name', kind: 'attribute', key: 'run_name', label: 'Run name', width: 240, numeric: false,
  value: run => run.info.runName, text: run => run.info.runName,
}

function sourceLabel(source: string | undefined): string {
  if (!source) return ''
  const parts = source.split(/[\\/]/).filter(Boolean)
  return parts[parts.length - 1] ?? source
}

/** Every column the runs can fill, grouped: attributes, then metrics, params and tags by key. */
export function availableColumns(keys: RunKeys): Column[] {
  return [
    ...ATTRIBUTE_COLUMNS,
    ...keys.metrics.map(metricColumn),
    ...keys.params.map(paramColumn),
    ...keys.tags.map(tagColumn),
  ]
}

function metricColumn(key: string): Column {
  return { id: `metrics.${key}`, kind: 'metric', key, label: key, width: 110, numeric: true,
    value: run => run.data.metrics[key], text: run => formatNumber(run.data.metrics[key]), title: run => String(run.data.metrics[key] ?? '') }
}
function paramColumn(key: string): Column {
  return { id: `params.${key}`, kind: 'param', key, label: key, width: 110, numeric: false,
    value: run => run.data.params[key], text: run => run.data.params[key] ?? '', title: run => run.data.params[key] ?? '' }
}
function tagColumn(key: string): Column {
  return { id: `tags.${key}`, kind: 'tag', key, label: key, width: 130, numeric: false,
    value: run => run.data.tags[key], text: run => run.data.tags[key] ?? '', title: run => run.data.tags[key] ?? '' }
}

/** The metric, param and tag keys seen across runs, sorted; system tags (mlflow.*) left out. */
export interface RunKeys { metrics: string[]; params: string[]; tags: string[] }

export function collectKeys(runs: readonly Run[]): RunKeys {
  const metrics = new Set<string>(), params = new Set<string>(), tags = new Set<string>()
  for (const run of runs) {
    for (const key in run.data.metrics) metrics.add(key)
    for (const key in run.data.params) params.add(key)
    for (const key in run.data.tags) if (!key.startsWith('mlflow.')) tags.add(key)
  }
  const sorted = (set: Set<string>) => [...set].sort((a, b) => a.localeCompare(b))
  return { metrics: sorted(metrics), params: sorted(params), tags: sorted(tags) }
}

/** Merges key sets, so columns survive a filter that hides the runs carrying them. */
export function mergeKeys(a: RunKeys, b: RunKeys): RunKeys {
  const merge = (x: string[], y: string[]) => [...new Set([...x, ...y])].sort((p, q) => p.localeCompare(q))
  return { metrics: merge(a.metrics, b.metrics), params: merge(a.params, b.params), tags: merge(a.tags, b.tags) }
}

/** Columns shown before the user chooses: the useful attributes and the first metrics and params. */
export function defaultColumnIds(keys: RunKeys): string[] {
  return [
    'attributes.start_time', 'attributes.duration', 'attributes.status', 'attributes.user_id',
    ...keys.metrics.slice(0, 6).map(key => `metrics.${key}`),
    ...keys.params.slice(0, 6).map(key => `params.${key}`),
  ]
}
