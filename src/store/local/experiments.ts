/** Experiments in IndexedDB: MLflow's naming, deletion and tagging rules. */
import { MlflowError, doesNotExist, invalidParameter } from '../../core/errors.ts'
import { compileExperimentFilter, compileExperimentOrderBy, paginate } from '../../core/search/index.ts'
import type { Experiment, Page, RunTag, SearchExperimentsQuery } from '../../core/types.ts'
import { validateExperimentId, validateExperimentName, validateExperimentTag } from '../../core/validation.ts'
import { DEFAULT_EXPERIMENT_ID, type ExperimentRow, type LablogDb, defaultArtifactLocation } from './db.ts'

export function toExperiment(row: ExperimentRow): Experiment {
  const { deletedTime: _deletedTime, ...experiment } = row
  return { ...experiment, tags: { ...row.tags } }
}

export async function createExperiment(db: LablogDb, name: string, options: { artifactLocation?: string; tags?: RunTag[] } = {}): Promise<string> {
  validateExperimentName(name)
  const tags = options.tags ?? []
  tags.forEach(validateExperimentTag)
  return db.transaction('rw', db.experiments, async () => {
    const existing = await db.experiments.where('name').equals(name).first()
    if (existing) {
      const state = existing.lifecycleStage === 'deleted' ? ' in deleted state' : ''
      throw new MlflowError('RESOURCE_ALREADY_EXISTS', `Experiment(name=${name}) already exists${state}.`)
    }
    const experimentId = await nextExperimentId(db)
    const now = Date.now()
    await db.experiments.add({
      experimentId, name,
      artifactLocation: options.artifactLocation || defaultArtifactLocation(db.name, experimentId),
      lifecycleStage: 'active', tags: Object.fromEntries(tags.map(tag => [tag.key, tag.value])),
      creationTime: now, lastUpdateTime: now,
    })
    return experimentId
  })
}

/** Ids count up like MLflow's SQL store; imported ids (often 18 digits) are skipped past with BigInt. */
async function nextExperimentId(db: LablogDb): Promise<string> {
  let max = 0n
  await db.experiments.toCollection().eachPrimaryKey(id => {
    if (/^\d+$/.test(id) && BigInt(id) > max) max = BigInt(id)
  })
  return String(max + 1n)
}

export async function getExperimentRow(db: LablogDb, experimentId: string): Promise<ExperimentRow> {
  checkExperimentId(experimentId)
  return checkedExperimentRow(experimentId, await db.experiments.get(experimentId))
}

export function checkExperimentId(experimentId: unknown): void {
  if (typeof experimentId !== 'string') throw invalidParameter(`Invalid experiment ID: '${String(experimentId)}'`)
}

/** The experiment row read for `experimentId`, or MLflow's errors when the id is not a string or nothing was found. */
export function checkedExperimentRow(experimentId: unknown, row: ExperimentRow | undefined): ExperimentRow {
  checkExperimentId(experimentId)
  if (!row) throw doesNotExist(`No Experiment with id=${String(experimentId)} exists`)
  return row
}

export async function getExperimentByName(db: LablogDb, name: string): Promise<Experiment | null> {
  const row = await db.experiments.where('name').equals(name).first()
  return row ? toExperiment(row) : null
}

export async function searchExperiments(db: LablogDb, query: SearchExperimentsQuery = {}): Promise<Page<Experiment>> {
  const matches = compileExperimentFilter(query.filter)
  const compare = compileExperimentOrderBy(query.orderBy)
  const viewType = query.viewType ?? 'ACTIVE_ONLY'
  const rows = await db.experiments.toArray()
  const experiments = rows.map(toExperiment)
    .filter(experiment => viewType === 'ALL' || (viewType === 'ACTIVE_ONLY') === (experiment.lifecycleStage === 'active'))
    .filter(matches)
    .sort(compare)
  return paginate(experiments, query.maxResults, query.pageToken)
}

export async function renameExperiment(db: LablogDb, experimentId: string, newName: string): Promise<void> {
  validateExperimentName(newName)
  await db.transaction('rw', db.experiments, async () => {
    const row = await getExperimentRow(db, experimentId)
    if (row.lifecycleStage !== 'active') throw invalidParameter(`Cannot rename a non-active experiment ${experimentId}.`)
    if (row.name === newName) return
    if (await db.experiments.where('name').equals(newName).count()) {
      throw new MlflowError('RESOURCE_ALREADY_EXISTS', `Experiment(name=${newName}) already exists.`)
    }
    await db.experiments.update(experimentId, { name: newName, lastUpdateTime: Date.now() })
  })
}

/** Deletes the experiment and its active runs at one instant, so restore brings back exactly those runs. */
export async function deleteExperiment(db: LablogDb, experimentId: string): Promise<void> {
  if (experimentId === DEFAULT_EXPERIMENT_ID) {
    throw invalidParameter('Cannot delete the default experiment \'0\'. This is an internally reserved experiment.')
  }
  await db.transaction('rw', db.experiments, db.runs, async () => {
    const row = await getExperimentRow(db, experimentId)
    if (row.lifecycleStage === 'deleted') throw invalidParameter(`Could not delete experiment ${experimentId}: it is already deleted.`)
    const now = Date.now()
    await db.experiments.update(experimentId, { lifecycleStage: 'deleted', deletedTime: now, lastUpdateTime: now })
    await db.runs.where('experimentId').equals(experimentId)
      .filter(run => run.lifecycleStage === 'active')
      .modify({ lifecycleStage: 'deleted', deletedTime: now })
  })
}

export async function restoreExperiment(db: LablogDb, experimentId: string): Promise<void> {
  await db.transaction('rw', db.experiments, db.runs, async () => {
    const row = await getExperimentRow(db, experimentId)
    if (row.lifecycleStage === 'active') throw invalidParameter(`Cannot restore an active experiment ${experimentId}.`)
    const conflict = await db.experiments.where('name').equals(row.name).filter(other => other.experimentId !== experimentId).count()
    if (conflict) throw new MlflowError('RESOURCE_ALREADY_EXISTS', `Experiment(name=${row.name}) already exists.`)
    await db.experiments.update(experimentId, { lifecycleStage: 'active', deletedTime: undefined, lastUpdateTime: Date.now() })
    await db.runs.where('experimentId').equals(experimentId)
      .filter(run => run.lifecycleStage === 'deleted' && run.deletedTime === row.deletedTime)
      .modify(run => { run.lifecycleStage = 'active'; delete run.deletedTime })
  })
}

export async function setExperimentTag(db: LablogDb, experimentId: string, key: string, value: string): Promise<void> {
  validateExperimentId(experimentId)
  validateExperimentTag({ key, value })
  await db.transaction('rw', db.experiments, async () => {
    const row = await getExperimentRow(db, experimentId)
    if (row.lifecycleStage !== 'active') throw invalidParameter(`The experiment ${experimentId} must be in the 'active' state. Current state is ${row.lifecycleStage}.`)
    await db.experiments.update(experimentId, { tags: { ...row.tags, [key]: value }, lastUpdateTime: Date.now() })
  })
}

export async function deleteExperimentTag(db: LablogDb, experimentId: string, key: string): Promise<void> {
  await db.transaction('rw', db.experiments, async () => {
    const row = await getExperimentRow(db, experimentId)
    if (!(key in row.tags)) throw doesNotExist(`No tag with name: ${key} in experiment with id ${experimentId}`)
    const { [key]: _removed, ...tags } = row.tags
    await db.experiments.update(experimentId, { tags, lastUpdateTime: Date.now() })
  })
}
