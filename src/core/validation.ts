/**
 * MLflow's validation rules (mlflow/utils/validation.py, 2.16+), checked before
 * anything is written, so a store never holds what a real MLflow server would refuse.
 */
import { invalidParameter } from './errors.ts'
import type { Metric, Param, RunTag } from './types.ts'

export const LIMITS = {
  keyLength: 250,
  paramValueLength: 6000,
  tagValueLength: 8000,
  experimentTagKeyLength: 250,
  experimentTagValueLength: 5000,
  experimentNameLength: 500,
  batchMetrics: 1000,
  batchParams: 100,
  batchTags: 100,
  batchEntities: 1000,
  maxSearchResults: 50000,
} as const

// Python's Unicode \w plus / . - space and ':' (allowed since MLflow 2.16).
const KEY_CHARACTERS = /^[/\p{L}\p{N}\p{Mn}\p{Pc}.\- :]*$/u
const RUN_ID = /^[a-zA-Z0-9][\w-]{0,255}$/
const EXPERIMENT_ID = /^[a-zA-Z0-9][\w-]{0,63}$/

/** POSIX path normalisation as Python's posixpath.normpath does it. */
export function normalizePosixPath(path: string): string {
  if (path === '') return '.'
  const absolute = path.startsWith('/')
  const parts: string[] = []
  for (const part of path.split('/')) {
    if (part === '' || part === '.') continue
    if (part === '..' && parts.length > 0 && parts[parts.length - 1] !== '..') parts.pop()
    else if (part === '..' && absolute) continue
    else parts.push(part)
  }
  const joined = parts.join('/')
  const lead = absolute ? (path.startsWith('//') && !path.startsWith('///') ? '//' : '/') : ''
  return lead + joined || (absolute ? lead : '.')
}

/** A metric, param or tag key: MLflow's character set, and a path that normalises to itself. */
export function validateKey(kind: 'metric' | 'param' | 'tag', key: unknown): asserts key is string {
  if (key === null || key === undefined) throw invalidParameter(`A key name must be provided for the ${kind}.`)
  if (typeof key !== 'string') throw invalidParameter(`Invalid ${kind} name: '${String(key)}'. The name must be a string.`)
  if (!KEY_CHARACTERS.test(key)) {
    throw invalidParameter(`Invalid ${kind} name: '${key}'. Names may only contain alphanumerics, underscores (_), dashes (-), periods (.), spaces ( ), colons (:) and slashes (/).`)
  }
  const normalized = normalizePosixPath(key)
  if (normalized !== key || normalized === '.' || normalized.startsWith('..') || normalized.startsWith('/')) {
    throw invalidParameter(`Invalid ${kind} name: '${key}'. Names cannot be empty, start or end with '/', contain '//', or contain '.' or '..' as a path segment.`)
  }
  if (key.length > LIMITS.keyLength) {
    throw invalidParameter(`${capitalize(kind)} key '${key.slice(0, 40)}…' had length ${key.length}, which exceeded length limit of ${LIMITS.keyLength}`)
  }
}

export function validateMetric(metric: Metric): void {
  validateKey('metric', metric.key)
  if (typeof metric.value !== 'number') {
    throw invalidParameter(`Got invalid value ${String(metric.value)} for metric '${metric.key}' (timestamp=${metric.timestamp}). Please specify value as a valid double (64-bit floating point)`)
  }
  if (!Number.isInteger(metric.timestamp) || metric.timestamp < 0) {
    throw invalidParameter(`Got invalid timestamp ${String(metric.timestamp)} for metric '${metric.key}' (value=${metric.value}). Timestamp must be a nonnegative long (64-bit integer)`)
  }
  if (!Number.isInteger(metric.step)) {
    throw invalidParameter(`Got invalid step ${String(metric.step)} for metric '${metric.key}' (value=${metric.value}). Step must be a valid long (64-bit integer).`)
  }
}

export function validateParam(param: Param): void {
  validateKey('param', param.key)
  if (typeof param.value !== 'string') throw invalidParameter(`Param '${param.key}' must have a string value.`)
  if (param.value.length > LIMITS.paramValueLength) {
    throw invalidParameter(`Param value '${param.value.slice(0, 40)}…' had length ${param.value.length}, which exceeded length limit of ${LIMITS.paramValueLength} (key '${param.key}')`)
  }
}

export function validateTag(tag: RunTag): void {
  validateKey('tag', tag.key)
  if (typeof tag.value !== 'string') throw invalidParameter(`Tag '${tag.key}' must have a string value.`)
  if (tag.value.length > LIMITS.tagValueLength) {
    throw invalidParameter(`Tag value '${tag.value.slice(0, 40)}…' had length ${tag.value.length}, which exceeded length limit of ${LIMITS.tagValueLength} (key '${tag.key}')`)
  }
}

export function validateExperimentTag(tag: RunTag): void {
  validateKey('tag', tag.key)
  if (tag.key.length > LIMITS.experimentTagKeyLength) throw invalidParameter(`Experiment tag key '${tag.key}' exceeds ${LIMITS.experimentTagKeyLength} characters`)
  if (typeof tag.value !== 'string' || tag.value.length > LIMITS.experimentTagValueLength) {
    throw invalidParameter(`Experiment tag '${tag.key}' must have a string value of at most ${LIMITS.experimentTagValueLength} characters`)
  }
}

/** Batch limits, then every entity, then MLflow's duplicate-param rule: all before anything is written. */
export function validateBatch(batch: { metrics: Metric[]; params: Param[]; tags: RunTag[] }): void {
  const { metrics, params, tags } = batch
  if (metrics.length > LIMITS.batchMetrics) throw invalidParameter(`A batch logging request can contain at most ${LIMITS.batchMetrics} metrics. Got ${metrics.length} metrics.`)
  if (params.length > LIMITS.batchParams) throw invalidParameter(`A batch logging request can contain at most ${LIMITS.batchParams} params. Got ${params.length} params.`)
  if (tags.length > LIMITS.batchTags) throw invalidParameter(`A batch logging request can contain at most ${LIMITS.batchTags} tags. Got ${tags.length} tags.`)
  const total = metrics.length + params.length + tags.length
  if (total > LIMITS.batchEntities) throw invalidParameter(`A batch logging request can contain at most ${LIMITS.batchEntities} metrics, params and tags in total. Got ${total}.`)
  metrics.forEach(validateMetric)
  params.forEach(validateParam)
  tags.forEach(validateTag)
  uniqueParams(params)
}

/**
 * The params of a batch with repeats of the same key and value folded into one;
 * the same key with different values is MLflow's "Duplicate parameter keys" error.
 */
export function uniqueParams(params: Param[]): Param[] {
  const seen = new Map<string, string>()
  for (const param of params) {
    const previous = seen.get(param.key)
    if (previous !== undefined && previous !== param.value) {
      throw invalidParameter(`Duplicate parameter keys have been submitted: ['${param.key}']. Please ensure the request contains only one param value per param key.`)
    }
    seen.set(param.key, param.value)
  }
  return seen.size === params.length ? params : [...seen].map(([key, value]) => ({ key, value }))
}

export function validateRunId(runId: unknown): asserts runId is string {
  if (typeof runId !== 'string' || !RUN_ID.test(runId)) throw invalidParameter(`Invalid run ID: '${String(runId)}'`)
}

export function validateExperimentId(experimentId: unknown): asserts experimentId is string {
  if (typeof experimentId !== 'string' || !EXPERIMENT_ID.test(experimentId)) throw invalidParameter(`Invalid experiment ID: '${String(experimentId)}'`)
}

export function validateExperimentName(name: unknown): asserts name is string {
  if (typeof name !== 'string' || name === '') throw invalidParameter('Invalid experiment name: an experiment name must be a non-empty string.')
  if (name.length > LIMITS.experimentNameLength) throw invalidParameter(`Experiment name exceeds the maximum length of ${LIMITS.experimentNameLength} characters.`)
}

/**
 * An artifact path relative to the run: '/'-separated, never absolute, no '..' or '.'
 * segments, no backslash or NUL, and no '#' (a tracking server cannot serve it). Returns it
 * without trailing slashes. `existing` lets reads reach files MLflow itself wrote with '#'
 * in their names (log_image with a step does), which archives bring in.
 */
export function validateArtifactPath(path: string, { allowEmpty = false, existing = false } = {}): string {
  if (typeof path !== 'string') throw invalidParameter(`Invalid artifact path: '${String(path)}'`)
  if ((existing ? /[\\\0]/ : /[\\\0#]/).test(path)) throw invalidParameter(`Invalid artifact path: '${path}'. Backslashes, NUL and '#' are not allowed.`)
  if (path.startsWith('/') || /^[a-zA-Z]:/.test(path)) throw invalidParameter(`Invalid artifact path: '${path}'. Artifact paths must be relative to the run.`)
  const trimmed = path.replace(/\/+$/, '')
  if (trimmed === '') {
    if (allowEmpty) return ''
    throw invalidParameter('Invalid artifact path: the path is empty.')
  }
  for (const segment of trimmed.split('/')) {
    if (segment === '..' || segment === '.' || segment === '') {
      throw invalidParameter(`Invalid artifact path: '${path}'. Paths may not contain '.', '..' or empty segments.`)
    }
  }
  return trimmed
}

function capitalize(text: string): string { return text.charAt(0).toUpperCase() + text.slice(1) }
