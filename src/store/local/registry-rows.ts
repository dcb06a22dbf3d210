/**
 * Registry rows to MLflow entities, and the lookups every registry write starts with, failing with
 * MLflow's RESOURCE_DOES_NOT_EXIST messages. Call them inside the write's transaction.
 */
import { doesNotExist } from '../../core/errors.ts'
import { parseModelVersion, validateModelName } from '../../core/registry-validation.ts'
import { MODEL_VERSION_STAGES, type ModelVersion, type RegisteredModel } from '../../core/types.ts'
import type { VersionNumber } from '../registry-store.ts'
import type { LablogDb, ModelVersionRow, RegisteredModelRow } from './db.ts'

/** The version's entity; its aliases are read from the model's alias map. */
export function toModelVersion(row: ModelVersionRow, modelAliases: Record<string, string>): ModelVersion {
  const version = String(row.version)
  return {
    name: row.name, version, creationTimestamp: row.creationTimestamp, lastUpdatedTimestamp: row.lastUpdatedTimestamp,
    description: row.description, userId: row.userId, currentStage: row.currentStage, source: row.source, runId: row.runId,
    runLink: row.runLink, status: row.status, statusMessage: row.statusMessage, tags: { ...row.tags },
    aliases: Object.keys(modelAliases).filter(alias => modelAliases[alias] === version).sort(),
  }
}

/** The highest version in each stage that has one, in MLflow's stage order. */
export function latestByStage(versions: ModelVersionRow[], stages: readonly string[] = MODEL_VERSION_STAGES): ModelVersionRow[] {
  const latest = new Map<string, ModelVersionRow>()
  for (const row of versions) {
    const current = latest.get(row.currentStage)
    if (!current || current.version < row.version) latest.set(row.currentStage, row)
  }
  return stages.flatMap(stage => latest.get(stage) ?? [])
}

/** The model's entity, given all of its version rows (for latestVersions). */
export function toRegisteredModel(row: RegisteredModelRow, versions: ModelVersionRow[]): RegisteredModel {
  return {
    name: row.name, creationTimestamp: row.creationTimestamp, lastUpdatedTimestamp: row.lastUpdatedTimestamp,
    description: row.description, tags: { ...row.tags },
    latestVersions: latestByStage(versions).map(version => toModelVersion(version, row.aliases)),
    aliases: Object.entries(row.aliases)
      .map(([alias, version]) => ({ alias, version }))
      .sort((a, b) => (a.alias < b.alias ? -1 : a.alias > b.alias ? 1 : 0)),
  }
}

/** The model's row; RESOURCE_DOES_NOT_EXIST "Registered Model with name=… not found" when absent. */
export async function getModelRow(db: LablogDb, name: string): Promise<RegisteredModelRow> {
  validateModelName(name)
  const row = await db.registeredModels.get(name)
  if (!row) throw doesNotExist(`Registered Model with name=${name} not found`)
  return row
}

/** Every version row of one model, in version order. */
export function versionRowsOf(db: LablogDb, name: string): Promise<ModelVersionRow[]> {
  return db.modelVersions.where('name').equals(name).sortBy('version')
}

/** The model's row and one version's row; RESOURCE_DOES_NOT_EXIST naming whichever is missing. */
export async function getVersionRows(db: LablogDb, name: string, version: VersionNumber): Promise<{ model: RegisteredModelRow; row: ModelVersionRow }> {
  validateModelName(name)
  const number = parseModelVersion(version)
  const model = await getModelRow(db, name)
  const row = await db.modelVersions.get([name, number])
  if (!row) throw doesNotExist(`Model Version (name=${name}, version=${String(version).trim()}) not found`)
  return { model, row }
}

/** The model's next version number: one past any version it ever had, deleted ones included. */
export function nextVersionNumber(model: RegisteredModelRow, versions: ModelVersionRow[]): number {
  let highest = model.lastVersion ?? 0
  for (const row of versions) highest = Math.max(highest, row.version)
  return highest + 1
}
