/** Runs in IndexedDB: create, update, delete, logBatch (validated, then one transaction) and search. */
import { doesNotExist, invalidParameter } from '../../core/errors.ts'
import { newRunId, newRunName } from '../../core/ids.ts'
import { compileRunFilter, compileRunOrderBy, paginate } from '../../core/search/index.ts'
import type { DatasetInput, Metric, Page, Param, Run, RunInfo, RunTag, SearchRunsQuery } from '../../core/types.ts'
import { RUN_STATUSES } from '../../core/types.ts'
import { validateBatch, validateMetric, validateRunId, validateTag } from '../../core/validation.ts'
import type { CreateRunRequest, LogBatchRequest, UpdateRunRequest } from '../tracking-store.ts'
import type { LablogDb, RunRow } from './db.ts'
import type { CachedRun, RunSearchCache } from './run-cache.ts'
import { type OpenRunTransaction, TransactionEnded, copyRunRow, freshRunWriter } from './fresh-run.ts'
import { appendMetricPoints } from './metric-history.ts'

export const RUN_NAME_TAG = 'mlflow.runName'

/** The Run of a row: a copy the caller may change, unless `shared` (params, tags and inputs are the row's own). */
export function toRun(row: RunRow, { shared = false } = {}): Run {
  const metrics: Record<string, number> = {}
  for (const key in row.latestMetrics) metrics[key] = row.latestMetrics[key]!.value
  return {
    info: {
      runId: row.runId, runName: row.runName, experimentId: row.experimentId, userId: row.userId, status: row.status,
      startTime: row.startTime, endTime: row.endTime, artifactUri: row.artifactUri, lifecycleStage: row.lifecycleStage,
    },
    data: shared ? { params: row.params, metrics, tags: row.tags } : { params: { ...row.params }, metrics, tags: { ...row.tags } },
    inputs: { datasetInputs: shared ? row.inputs : row.inputs.map(input => ({ dataset: { ...input.dataset }, tags: { ...input.tags } })) },
  }
}

export async function getRunRow(db: LablogDb, runId: string): Promise<RunRow> {
  validateRunId(runId)
  const row = await db.runs.get(runId)
  if (!row) throw doesNotExist(`Run with id=${runId} not found`)
  return row
}

function requireActive(row: RunRow): void {
  if (row.lifecycleStage !== 'active') {
    throw invalidParameter(`The run ${row.runId} must be in the 'active' state. Current state is ${row.lifecycleStage}.`)
  }
}

export async function createRun(db: LablogDb, request: CreateRunRequest): Promise<Run> {
  const tags = request.tags ?? []
  tags.forEach(validateTag)
  const nameTag = tags.findLast(tag => tag.key === RUN_NAME_TAG)?.value
  if (request.runName && nameTag !== undefined && nameTag !== request.runName) {
    throw invalidParameter(`Both 'run_name' argument and 'mlflow.runName' tag are specified, but with different values (run_name='${request.runName}', mlflow.runName='${nameTag}').`)
  }
  if (request.runId !== undefined) validateRunId(request.runId)
  const runName = request.runName || nameTag || newRunName()
  const runId = request.runId ?? newRunId()
  const row = await freshRunWriter(db).create(request.experimentId, request.runId, experiment => ({
    runId, experimentId: experiment.experimentId, runName, userId: request.userId ?? 'unknown', status: 'RUNNING',
    startTime: request.startTime ?? Date.now(), endTime: null,
    artifactUri: `${experiment.artifactLocation}/${runId}/artifacts`, lifecycleStage: 'active',
    params: {}, tags: { ...Object.fromEntries(tags.map(tag => [tag.key, tag.value])), [RUN_NAME_TAG]: runName },
    latestMetrics: {}, series: {}, inputs: [], modifiedAt: 0, // stamped as it is written
  }))
  return toRun(row)
}

export async function updateRun(db: LablogDb, runId: string, update: UpdateRunRequest): Promise<RunInfo> {
  if (update.status !== undefined && !RUN_STATUSES.includes(update.status)) {
    throw invalidParameter(`Invalid run status '${String(update.status)}'. Expected one of ${RUN_STATUSES.join(', ')}.`)
  }
  if (update.endTime != null && (!Number.isInteger(update.endTime) || update.endTime < 0)) {
    throw invalidParameter(`Invalid end_time ${String(update.endTime)}: expected milliseconds since the epoch.`)
  }
  return db.transaction('rw', db.runs, async () => {
    const row = await getRunRow(db, runId)
    requireActive(row)
    if (update.status !== undefined) row.status = update.status
    if (update.endTime !== undefined) row.endTime = update.endTime
    if (update.runName) { row.runName = update.runName; row.tags[RUN_NAME_TAG] = update.runName }
    await db.runs.put(row)
    return toRun(row).info
  })
}

export async function setRunLifecycle(db: LablogDb, runId: string, stage: 'active' | 'deleted'): Promise<void> {
  await db.transaction('rw', db.runs, async () => {
    const row = await getRunRow(db, runId)
    row.lifecycleStage = stage
    if (stage === 'deleted') row.deletedTime = Date.now()
    else delete row.deletedTime
    await db.runs.put(row)
  })
}

/** MLflow's param rule: the same value again is fine, a different one is refused. */
function checkParamsUnchanged(row: RunRow, params: Param[]): void {
  const changed = params.filter(param => param.key in row.params && row.params[param.key] !== param.value)
  if (changed.length === 1) {
    const [param] = changed as [Param]
    throw invalidParameter(`Changing param values is not allowed. Param with key='${param.key}' was already logged with value='${row.params[param.key]}' for run ID='${row.runId}'. Attempted logging new value '${param.value}'.`)
  }
  if (changed.length > 1) {
    const details = changed.map(param => `{'key': '${param.key}', 'old_value': '${row.params[param.key]}', 'new_value': '${param.value}'}`)
    throw invalidParameter(`Changing param values is not allowed. Params were already logged='[${details.join(', ')}]' for run ID='${row.runId}'.`)
  }
}

export async function logBatch(db: LablogDb, runId: string, batch: LogBatchRequest): Promise<void> {
  const metrics = batch.metrics ?? [], params = batch.params ?? [], tags = batch.tags ?? []
  validateBatch({ metrics, params, tags })
  await writeBatch(db, runId, metrics, params, tags)
}

/** Any number of metric points in one transaction: the write-behind path for hot loops. */
export async function logMetrics(db: LablogDb, runId: string, metrics: Metric[]): Promise<void> {
  metrics.forEach(validateMetric)
  await writeBatch(db, runId, metrics, [], [])
}

async function writeBatch(db: LablogDb, runId: string, metrics: Metric[], params: Param[], tags: RunTag[]): Promise<void> {
  const fresh = freshRunWriter(db).joinable(runId)
  if (fresh && await joinFreshRun(fresh, metrics, params, tags)) return fresh.committed
  await db.transaction('rw', db.runs, db.metricChunks, async () => {
    const row = await getRunRow(db, runId)
    applyBatch(row, params, tags)
    if (metrics.length > 0) await db.metricChunks.bulkPut(await appendMetricPoints(row, metrics, key => db.metricChunks.get(key)))
    await db.runs.put(row)
  })
}

/** Changes the row in place: MLflow's checks first, so a refused batch changes nothing. */
function applyBatch(row: RunRow, params: Param[], tags: RunTag[]): void {
  requireActive(row)
  checkParamsUnchanged(row, params)
  for (const param of params) row.params[param.key] = param.value
  for (const tag of tags) {
    row.tags[tag.key] = tag.value
    if (tag.key === RUN_NAME_TAG) row.runName = tag.value
  }
}

/** Writes the batch in the run's still-open create transaction; false when it already ended (nothing written). */
async function joinFreshRun(fresh: OpenRunTransaction, metrics: Metric[], params: Param[], tags: RunTag[]): Promise<boolean> {
  const row = copyRunRow(fresh.row)
  applyBatch(row, params, tags)
  try {
    const chunks = metrics.length > 0 ? await appendMetricPoints(row, metrics, key => fresh.readChunk(key)) : []
    return fresh.write(row, chunks)
  } catch (error) {
    if (error instanceof TransactionEnded) return false
    throw error
  }
}

export async function deleteTag(db: LablogDb, runId: string, key: string): Promise<void> {
  await db.transaction('rw', db.runs, async () => {
    const row = await getRunRow(db, runId)
    requireActive(row)
    if (!(key in row.tags)) throw doesNotExist(`No tag with name: ${key} in run with id ${runId}`)
    delete row.tags[key]
    await db.runs.put(row)
  })
}

export async function logInputs(db: LablogDb, runId: string, datasets: DatasetInput[]): Promise<void> {
  for (const input of datasets) {
    if (!input.dataset?.name || !input.dataset.digest) throw invalidParameter('A dataset input needs a dataset with a name and a digest.')
  }
  await db.transaction('rw', db.runs, async () => {
    const row = await getRunRow(db, runId)
    requireActive(row)
    for (const input of datasets) {
      const same = (other: DatasetInput) => other.dataset.name === input.dataset.name && other.dataset.digest === input.dataset.digest
      const index = row.inputs.findIndex(same)
      if (index >= 0) row.inputs[index] = input
      else row.inputs.push(input)
    }
    await db.runs.put(row)
  })
}

export async function searchRuns(cache: RunSearchCache, query: SearchRunsQuery): Promise<Page<Run>> {
  const matches = compileRunFilter(query.filter)
  const compare = compileRunOrderBy(query.orderBy)
  const viewType = query.runViewType ?? 'ACTIVE_ONLY'
  const found: CachedRun[] = []
  for (const cached of await cache.runsOf(query.experimentIds)) {
    if (viewType !== 'ALL' && (viewType === 'ACTIVE_ONLY') !== (cached.row.lifecycleStage === 'active')) continue
    if (matches(cached.view)) found.push(cached)
  }
  found.sort((a, b) => compare(a.view, b.view))
  const page = paginate(found, query.maxResults, query.pageToken)
  // Fresh copies: callers may change what they get without touching the cache.
  return { ...page, items: page.items.map(cached => toRun(cached.row)) }
}
