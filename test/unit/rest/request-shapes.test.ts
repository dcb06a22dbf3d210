// Every request the REST store sends has a shape the real MLflow 2.17.2 server accepted in the
// recorded transcript: same endpoint and method, and only field names and JSON types seen there.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type TranscriptRecord, loadTranscript, recordEndpoint } from '../../support/mlflow-transcript.ts'
import type { LoggedRequest } from '../../support/mlflow-test-server.ts'
import { type RestHarness, startRestHarness } from '../../support/rest-harness.ts'

type Shapes = Map<string, Set<string>>

const jsonType = (value: unknown) => (Array.isArray(value) ? 'array' : value === null ? 'null' : typeof value)

/** "field:type" and "field[].sub:type" for every field of a JSON body. */
function fieldsOf(value: unknown, prefix = ''): string[] {
  if (Array.isArray(value)) return [`${prefix}:array`, ...value.flatMap(item => fieldsOf(item, `${prefix}[]`))]
  if (typeof value !== 'object' || value === null) return [`${prefix}:${jsonType(value)}`]
  const own = prefix ? [`${prefix}:object`] : []
  return [...own, ...Object.entries(value).flatMap(([key, item]) => fieldsOf(item, prefix ? `${prefix}.${key}` : key))]
}

function requestFields(method: string, query: URLSearchParams, json: unknown): string[] {
  if (method === 'POST') return fieldsOf(json ?? {})
  return [...new Set(query.keys())].map(name => `${name}:query`)
}

/** What the real server accepted: the fields of each successful request, by "METHOD endpoint". */
function acceptedShapes(records: TranscriptRecord[]): Shapes {
  const shapes: Shapes = new Map()
  for (const record of records) {
    if (record.status !== 200 || record.request_headers.Origin) continue
    const key = `${record.method} ${recordEndpoint(record)}`
    const set = shapes.get(key) ?? new Set<string>()
    const query = new URLSearchParams(record.path.split('?')[1] ?? '')
    const body = record.method === 'POST' && typeof record.request_body === 'object' ? record.request_body : undefined
    if (recordEndpoint(record) !== 'artifacts') for (const field of requestFields(record.method, query, body)) set.add(field)
    shapes.set(key, set)
  }
  // log-batch parses its metrics with the same protobuf rules as log-metric, whose records show strings accepted for doubles ("NaN").
  const logMetric = shapes.get('POST runs/log-metric')!
  const logBatch = shapes.get('POST runs/log-batch')!
  for (const field of logMetric) if (/^(value|timestamp|step):/.test(field)) logBatch.add(`metrics[].${field}`)
  // experiments/search is one handler and one protobuf message for GET and POST: the GET record's filter holds for POST.
  // view_type is the ViewType enum that runs/search's records show accepted by name ("ACTIVE_ONLY").
  const searchExperiments = shapes.get('POST experiments/search')!
  searchExperiments.add('filter:string').add('view_type:string')
  return shapes
}

const PROXY_PATH = /^\/api\/2\.0\/mlflow-artifacts\/artifacts\/\d+\/[0-9a-f]{32}\/artifacts(\/[^?#]+)?$/

let harness: RestHarness
beforeAll(async () => { harness = await startRestHarness({ server: { features: { deleteExperimentTag: true } } }) })
afterAll(async () => { await harness.close() })

describe('requests the REST store sends', () => {
  it('use only endpoints, fields and JSON types the real server accepted', async () => {
    const { client } = harness
    // A workload that calls every store method.
    const experimentId = await client.createExperiment('shapes', { tags: { team: 'ml' } })
    await client.getExperiment(experimentId)
    await client.getExperimentByName('shapes')
    await client.searchExperiments({ filter: "name LIKE 'sha%'", orderBy: ['name ASC'], maxResults: 5, viewType: 'ALL' })
    await client.setExperimentTag(experimentId, 'stage', 'demo')
    await client.deleteExperimentTag(experimentId, 'stage')
    await client.renameExperiment(experimentId, 'shapes-renamed')
    const run = await client.createRun(experimentId, { runName: 'shape-run', tags: { source: 'test' }, startTime: 1_735_689_600_000, userId: 'someone' })
    const runId = run.info.runId
    await client.logBatch(runId, {
      params: [{ key: 'lr', value: 0.01 }], tags: [{ key: 'phase', value: 'train' }],
      metrics: [{ key: 'loss', value: NaN, timestamp: 1_735_689_600_000, step: 0 }, { key: 'loss', value: Infinity, timestamp: 1_735_689_600_001, step: 1 }],
    })
    await client.logMetric(runId, 'acc', 0.5, { step: 2, timestamp: 1_735_689_600_002 })
    await client.flush()
    await client.logInputs(runId, [{ dataset: { name: 'iris', digest: 'abc', sourceType: 'local', source: '{}', schema: '{}', profile: '{}' }, tags: { 'mlflow.data.context': 'training' } }])
    await client.getMetricHistory(runId, 'loss')
    await client.searchRuns({ experimentIds: [experimentId], filter: 'metrics.acc > 0', orderBy: ['metrics.acc DESC'], maxResults: 1, runViewType: 'ACTIVE_ONLY' })
    await client.logText(runId, 'hello', 'notes/hello.txt')
    await client.listArtifacts(runId, 'notes')
    await client.readArtifactText(runId, 'notes/hello.txt')
    await client.deleteArtifacts(runId, 'notes/hello.txt')
    await client.deleteTag(runId, 'phase')
    await client.updateRun(runId, { name: 'renamed' })
    await client.setTerminated(runId, 'FINISHED', 1_735_689_660_000)
    await client.deleteRun(runId)
    await client.restoreRun(runId)
    await client.deleteExperiment(experimentId)
    await client.restoreExperiment(experimentId)

    expect(harness.server.violations()).toEqual([])
    const shapes = acceptedShapes(loadTranscript())
    const problems: string[] = []
    const check = (request: LoggedRequest) => {
      if (request.endpoint === 'artifacts') {
        if (!PROXY_PATH.test(request.path) || !shapes.has(`${request.method} artifacts`)) problems.push(`${request.method} ${request.path}: not a proxy call the server took`)
        return
      }
      const key = `${request.method} ${request.endpoint}`
      // Newer servers only; the client explains the 404 an older one gives (see errors.test.ts).
      if (key === 'POST experiments/delete-experiment-tag') return
      const accepted = shapes.get(key)
      if (!accepted) return void problems.push(`${key}: no such request succeeded in the transcript`)
      for (const field of requestFields(request.method, request.query, request.json)) {
        if (!accepted.has(field)) problems.push(`${key}: field ${field} never accepted (accepted: ${[...accepted].join(', ')})`)
      }
      if (request.method === 'POST' && request.headers['content-type'] !== 'application/json') problems.push(`${key}: Content-Type ${request.headers['content-type']}`)
    }
    harness.server.requests.forEach(check)
    expect(problems).toEqual([])
    expect(new Set(harness.server.requests.map(request => request.endpoint)).size).toBeGreaterThanOrEqual(20)
  })
})
