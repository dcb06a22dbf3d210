/**
 * Model versions in IndexedDB: create (from a runs:/ URI or a plain location), describe, delete,
 * stage transitions and tags. Each write is validated first, then done in one transaction.
 */
import { invalidParameter } from '../../core/errors.ts'
import { ACTIVE_STAGES, canonicalStage, parseModelVersion, parseRunsSource, validateModelName, validateRegistryTag } from '../../core/registry-validation.ts'
import type { ModelVersion, RunTag } from '../../core/types.ts'
import type { CreateModelVersionRequest, VersionNumber } from '../registry-store.ts'
import type { LablogDb, ModelVersionRow } from './db.ts'
import { getModelRow, getVersionRows, nextVersionNumber, toModelVersion, versionRowsOf } from './registry-rows.ts'
import { getRunRow } from './runs.ts'


function tagRecord(tags: RunTag[]): Record<string, string> {
  return Object.fromEntries(tags.map(tag => [tag.key, tag.value]))
}

/** A new version numbered after every version the model ever had; a `runs:/` source is stored resolved. */
export async function createModelVersion(db: LablogDb, request: CreateModelVersionRequest): Promise<ModelVersion> {
  const { name, source } = request
  validateModelName(name)
  if (typeof source !== 'string' || source === '') throw invalidParameter("Missing value for required parameter 'source'.")
  const tags = request.tags ?? []
  for (const tag of tags) validateRegistryTag(tag.key, tag.value)
  const fromRun = parseRunsSource(source)
  if (fromRun && request.runId && request.runId !== fromRun.runId) {
    throw invalidParameter(`The run id '${request.runId}' does not match the run of the source '${source}'.`)
  }
  return db.transaction('rw', db.registeredModels, db.modelVersions, db.runs, async () => {
    const model = await getModelRow(db, name)
    let location = source
    if (fromRun) {
      const run = await getRunRow(db, fromRun.runId)
      location = fromRun.path ? `${run.artifactUri}/${fromRun.path}` : run.artifactUri
    }
    const version = nextVersionNumber(model, await versionRowsOf(db, name))
    const now = Date.now()
    const row: ModelVersionRow = {
      name, version, creationTimestamp: now, lastUpdatedTimestamp: now, description: request.description ?? '', userId: '',
      currentStage: 'None', source: location, runId: fromRun?.runId ?? request.runId ?? '', runLink: request.runLink ?? '',
      status: 'READY', statusMessage: '', tags: tagRecord(tags),
    }
    await db.modelVersions.add(row)
    await db.registeredModels.update(name, { lastVersion: version, lastUpdatedTimestamp: now })
    return toModelVersion(row, model.aliases)
  })
}

/** Replaces the version's description. */
export async function updateModelVersion(db: LablogDb, name: string, version: VersionNumber, description: string): Promise<ModelVersion> {
  parseModelVersion(version)
  return db.transaction('rw', db.registeredModels, db.modelVersions, async () => {
    const { model, row } = await getVersionRows(db, name, version)
    row.description = description ?? ''
    row.lastUpdatedTimestamp = Date.now()
    await db.modelVersions.put(row)
    return toModelVersion(row, model.aliases)
  })
}

/** Deletes the version and its aliases. Its number stays taken: the next version counts on from the highest ever. */
export async function deleteModelVersion(db: LablogDb, name: string, version: VersionNumber): Promise<void> {
  parseModelVersion(version)
  await db.transaction('rw', db.registeredModels, db.modelVersions, async () => {
    const { model, row } = await getVersionRows(db, name, version)
    const versionText = String(row.version)
    const aliases = Object.fromEntries(Object.entries(model.aliases).filter(([, target]) => target !== versionText))
    await db.modelVersions.delete([name, row.version])
    await db.registeredModels.update(name, {
      aliases, lastVersion: Math.max(model.lastVersion ?? 0, row.version), lastUpdatedTimestamp: Date.now(),
    })
  })
}

/** Moves the version to a stage; with `archiveExistingVersions`, the stage's other versions become Archived in the same transaction. */
export async function transitionModelVersionStage(
  db: LablogDb, name: string, version: VersionNumber, stage: string, archiveExistingVersions: boolean,
): Promise<ModelVersion> {
  const target = canonicalStage(stage)
  parseModelVersion(version)
  if (archiveExistingVersions && !ACTIVE_STAGES.includes(target)) {
    throw invalidParameter(`Model version transition cannot archive existing model versions because '${stage}' is not an Active stage. Valid stages are [${ACTIVE_STAGES.map(known => `'${known}'`).join(', ')}]`)
  }
  return db.transaction('rw', db.registeredModels, db.modelVersions, async () => {
    const { model, row } = await getVersionRows(db, name, version)
    const now = Date.now()
    if (archiveExistingVersions) {
      await db.modelVersions.where('name').equals(name)
        .filter(other => other.version !== row.version && other.currentStage === target)
        .modify({ currentStage: 'Archived', lastUpdatedTimestamp: now })
    }
    row.currentStage = target
    row.lastUpdatedTimestamp = now
    await db.modelVersions.put(row)
    await db.registeredModels.update(name, { lastUpdatedTimestamp: now })
    return toModelVersion(row, model.aliases)
  })
}

/** Sets or overwrites one version tag. */
export async function setModelVersionTag(db: LablogDb, name: string, version: VersionNumber, key: string, value: string): Promise<void> {
  parseModelVersion(version)
  validateRegistryTag(key, value)
  await db.transaction('rw', db.registeredModels, db.modelVersions, async () => {
    const { row } = await getVersionRows(db, name, version)
    const now = Date.now()
    await db.modelVersions.update([name, row.version], { tags: { ...row.tags, [key]: value } })
    await db.registeredModels.update(name, { lastUpdatedTimestamp: now })
  })
}

/** Removes one version tag; an absent tag is not an error, as in MLflow. */
export async function deleteModelVersionTag(db: LablogDb, name: string, version: VersionNumber, key: string): Promise<void> {
  parseModelVersion(version)
  await db.transaction('rw', db.registeredModels, db.modelVersions, async () => {
    const { row } = await getVersionRows(db, name, version)
    if (!(key in row.tags)) return
    const { [key]: _removed, ...tags } = row.tags
    await db.modelVersions.update([name, row.version], { tags })
    await db.registeredModels.update(name, { lastUpdatedTimestamp: Date.now() })
  })
}
