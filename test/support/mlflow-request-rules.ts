/**
 * What MLflow 2.17.2's server accepts in each request, field by field, with its error messages
 * (from ../shared/fixtures/mlflow-rest-transcript.jsonl). Stricter in one way: an unknown field,
 * which the real server silently ignores, is refused here, because it is almost always a client typo.
 */

export type FieldKind = 'string' | 'int64' | 'int32' | 'double' | 'bool' | 'string[]' | 'tags' | 'metrics' | 'datasets' | 'any'

export interface FieldRule { kind: FieldKind; required?: boolean }

/** A request the rules refuse: the status and body the real server would send (or the test server's own, for strictness). */
export class RequestRejected extends Error {
  constructor(readonly status: number, readonly errorCode: string, message: string, readonly strictOnly = false) {
    super(message)
  }
}

const SEE_DOCS = 'See the API docs for more information about request parameters.'
export const missing = (field: string) => new RequestRejected(400, 'INVALID_PARAMETER_VALUE', `Missing value for required parameter '${field}'. ${SEE_DOCS}`)

function pythonType(value: unknown): string {
  if (value === null) return 'NoneType'
  if (typeof value === 'boolean') return 'bool'
  if (typeof value === 'number') return Number.isInteger(value) ? 'int' : 'float'
  if (typeof value === 'string') return 'str'
  return Array.isArray(value) ? 'list' : 'dict'
}
const wrongType = (field: string, value: unknown) => new RequestRejected(400, 'INVALID_PARAMETER_VALUE',
  `Invalid value ${JSON.stringify(value)} for parameter '${field}' supplied:  Hint: Value was of type '${pythonType(value)}'. ${SEE_DOCS}`)

const tags: FieldRule = { kind: 'tags' }
/**
 * Request fields per endpoint ("METHOD name"), as the transcript's accepted requests use them.
 * run_uuid is the legacy twin of run_id; run_id is required (a malformed body reports it first),
 * except in log-metric, which the transcript shows accepting run_uuid alone.
 */
export const ENDPOINT_FIELDS: Record<string, Record<string, FieldRule>> = {
  'POST experiments/create': { name: { kind: 'string', required: true }, artifact_location: { kind: 'string' }, tags },
  'GET experiments/get': { experiment_id: { kind: 'string', required: true } },
  'GET experiments/get-by-name': { experiment_name: { kind: 'string', required: true } },
  'POST experiments/search': { max_results: { kind: 'int64' }, page_token: { kind: 'string' }, filter: { kind: 'string' }, order_by: { kind: 'string[]' }, view_type: { kind: 'string' } },
  'GET experiments/search': { max_results: { kind: 'int64' }, page_token: { kind: 'string' }, filter: { kind: 'string' }, order_by: { kind: 'string[]' }, view_type: { kind: 'string' } },
  'POST experiments/update': { experiment_id: { kind: 'string', required: true }, new_name: { kind: 'string' } },
  'POST experiments/delete': { experiment_id: { kind: 'string', required: true } },
  'POST experiments/restore': { experiment_id: { kind: 'string', required: true } },
  'POST experiments/set-experiment-tag': { experiment_id: { kind: 'string', required: true }, key: { kind: 'string', required: true }, value: { kind: 'string', required: true } },
  'POST experiments/delete-experiment-tag': { experiment_id: { kind: 'string', required: true }, key: { kind: 'string', required: true } },
  'POST runs/create': { experiment_id: { kind: 'string' }, user_id: { kind: 'string' }, run_name: { kind: 'string' }, start_time: { kind: 'int64' }, tags },
  'GET runs/get': { run_id: { kind: 'string', required: true }, run_uuid: { kind: 'string' } },
  'POST runs/update': { run_id: { kind: 'string', required: true }, run_uuid: { kind: 'string' }, status: { kind: 'string' }, end_time: { kind: 'int64' }, run_name: { kind: 'string' } },
  'POST runs/delete': { run_id: { kind: 'string', required: true } },
  'POST runs/restore': { run_id: { kind: 'string', required: true } },
  'POST runs/search': { experiment_ids: { kind: 'string[]' }, filter: { kind: 'string' }, run_view_type: { kind: 'string' }, max_results: { kind: 'int32' }, order_by: { kind: 'string[]' }, page_token: { kind: 'string' } },
  'POST runs/log-metric': { run_id: { kind: 'string' }, run_uuid: { kind: 'string' }, key: { kind: 'string', required: true }, value: { kind: 'double', required: true }, timestamp: { kind: 'int64', required: true }, step: { kind: 'int64' } },
  'POST runs/log-parameter': { run_id: { kind: 'string', required: true }, run_uuid: { kind: 'string' }, key: { kind: 'string', required: true }, value: { kind: 'string' } },
  'POST runs/set-tag': { run_id: { kind: 'string', required: true }, run_uuid: { kind: 'string' }, key: { kind: 'string', required: true }, value: { kind: 'string', required: true } },
  'POST runs/delete-tag': { run_id: { kind: 'string', required: true }, key: { kind: 'string', required: true } },
  'POST runs/log-batch': { run_id: { kind: 'string', required: true }, metrics: { kind: 'metrics' }, params: { kind: 'tags' }, tags },
  'POST runs/log-inputs': { run_id: { kind: 'string', required: true }, datasets: { kind: 'datasets' } },
  'GET metrics/get-history': { run_id: { kind: 'string', required: true }, run_uuid: { kind: 'string' }, metric_key: { kind: 'string', required: true }, max_results: { kind: 'int32' }, page_token: { kind: 'string' } },
  'GET artifacts/list': { run_id: { kind: 'string', required: true }, run_uuid: { kind: 'string' }, path: { kind: 'string' }, page_token: { kind: 'string' } },
}

const INT = /^-?\d+$/
const NUMBER_TEXT = /^\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*$|^(NaN|-?Infinity)$/

/** Checks one JSON value against its rule; throws what the server would answer. */
function checkValue(field: string, value: unknown, kind: FieldKind): void {
  const ok = (() => {
    switch (kind) {
      case 'string': return typeof value === 'string'
      case 'int64': case 'int32': return (typeof value === 'number' && Number.isInteger(value)) || (typeof value === 'string' && INT.test(value))
      case 'double': return typeof value === 'number' || (typeof value === 'string' && NUMBER_TEXT.test(value))
      case 'bool': return typeof value === 'boolean'
      case 'string[]': return Array.isArray(value) && value.every(item => typeof item === 'string')
      case 'tags': case 'metrics': case 'datasets': return Array.isArray(value)
      case 'any': return true
    }
  })()
  if (!ok) throw wrongType(field, value)
  if (kind === 'tags') (value as unknown[]).forEach((item, index) => checkObject(`${field}[${index}]`, item, { key: { kind: 'string', required: true }, value: { kind: 'string' } }))
  if (kind === 'metrics') {
    (value as unknown[]).forEach((item, index) => checkObject(`${field}[${index}]`, item, {
      key: { kind: 'string', required: true }, value: { kind: 'double', required: true }, timestamp: { kind: 'int64', required: true }, step: { kind: 'int64' },
    }))
  }
  if (kind === 'datasets') {
    (value as unknown[]).forEach((item, index) => {
      checkObject(`${field}[${index}]`, item, { tags: { kind: 'tags' }, dataset: { kind: 'any', required: true } })
      checkObject(`${field}[${index}].dataset`, (item as { dataset: unknown }).dataset, {
        name: { kind: 'string', required: true }, digest: { kind: 'string', required: true }, source_type: { kind: 'string', required: true },
        source: { kind: 'string', required: true }, schema: { kind: 'string' }, profile: { kind: 'string' },
      })
    })
  }
}

/** Checks an object's fields: unknown ones (strict), required ones (null and "" count as missing), then types. */
export function checkObject(prefix: string, value: unknown, rules: Record<string, FieldRule>): void {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw wrongType(prefix, value)
  const record = value as Record<string, unknown>
  const path = (name: string) => (prefix ? `${prefix}.${name}` : name)
  for (const name of Object.keys(record)) {
    if (!(name in rules)) {
      throw new RequestRejected(400, 'INVALID_PARAMETER_VALUE', `[test server] unknown field '${path(name)}': MLflow would ignore it silently, so the client is sending something it does not mean.`, true)
    }
  }
  for (const [name, rule] of Object.entries(rules)) {
    const item = record[name]
    if (item === undefined || item === null || (rule.kind === 'string' && rule.required && item === '')) {
      if (rule.required) throw missing(path(name))
      continue
    }
    checkValue(path(name), item, rule.kind)
  }
}

/** Query parameters as the server reads them: lists for repeatable fields, numbers checked like JSON ones. */
export function queryToObject(params: URLSearchParams, rules: Record<string, FieldRule>): Record<string, unknown> {
  const result: Record<string, unknown> = {}
  for (const name of new Set(params.keys())) {
    const rule = rules[name]
    if (rule?.kind === 'string[]') result[name] = params.getAll(name)
    else if (rule && (rule.kind === 'int64' || rule.kind === 'int32')) result[name] = params.get(name)
    else result[name] = params.get(name)
  }
  return result
}

// Key rules (mlflow/utils/validation.py), with the server's wording.
const KEY_CHARACTERS = /^[/\p{L}\p{N}\p{Mn}\p{Pc}.\- :]*$/u

/** Checks a metric, param or tag key as MLflow does; `kind` words the length error ("Param key …"). */
export function checkKey(kind: 'Metric' | 'Param' | 'Tag', key: string, normalize: (path: string) => string): void {
  if (!KEY_CHARACTERS.test(key)) {
    throw new RequestRejected(400, 'INVALID_PARAMETER_VALUE', `Invalid value "${key}" for parameter 'name' supplied: Names may only contain alphanumerics, underscores (_), dashes (-), periods (.), spaces ( ), colon(:) and slashes (/).`)
  }
  const normalized = normalize(key)
  if (normalized !== key || normalized === '.' || normalized.startsWith('..') || normalized.startsWith('/')) {
    throw new RequestRejected(400, 'INVALID_PARAMETER_VALUE', `Invalid value "${key}" for parameter 'name' supplied: Names may be treated as files in certain cases, and must not resolve to other names when treated as such. This name would resolve to '${normalized}'`)
  }
  // MLflow quotes the key cut at the limit.
  if (key.length > 250) throw new RequestRejected(400, 'INVALID_PARAMETER_VALUE', `${kind} key '${key.slice(0, 250)}' had length ${key.length}, which exceeded length limit of 250`)
}

/** The 2.17 server's log-batch limits and its wording for each. */
export function checkBatchLimits(metrics: number, params: number, tags: number, bodyBytes: number): void {
  const fail = (message: string) => { throw new RequestRejected(400, 'INVALID_PARAMETER_VALUE', message) }
  if (bodyBytes > 1_000_000) fail(`Batched logging API requests must be at most 1000000 bytes, got payload of size ${bodyBytes}.`)
  if (metrics > 1000) fail(`A batch logging request can contain at most 1000 metrics. Got ${metrics} metrics. Please split up metrics across multiple requests and try again.`)
  if (params > 100) fail(`A batch logging request can contain at most 100 params. Got ${params} params. Please split up params across multiple requests and try again.`)
  if (tags > 100) fail(`A batch logging request can contain at most 100 tags. Got ${tags} tags. Please split up tags across multiple requests and try again.`)
  const total = metrics + params + tags
  if (total > 1000) fail(`A batch logging request can contain at most 1000 metrics, params, and tags. Got ${total} metrics, params, and tags. Please split up metrics, params, and tags across multiple requests and try again.`)
}

/** An artifact path after URL-decoding, as the proxy checks it: no '..', '#', absolute or drive paths. */
export function checkArtifactPath(path: string): void {
  const bad = path.includes('#') || path.startsWith('/') || /^[a-zA-Z]:/.test(path) || path.split('/').includes('..') || path.includes('\\')
  if (bad) throw new RequestRejected(400, 'INVALID_PARAMETER_VALUE', 'Invalid path')
}
