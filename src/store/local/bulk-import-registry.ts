/**
 * The registry part of bulkImport, run inside its transaction after the runs are written:
 * registered models and versions from an archive. A model whose name exists is merged into (missing
 * tags and aliases added, an empty description filled); a version whose run and source match a
 * local version is that version (reported as already present); other versions keep their number
 * in a new model and take the next free number in a merged one. Sources that pointed into an
 * archived run are rebased onto the run's local artifact location, so `models:/` URIs resolve.
 */
import { validateModelName } from '../../core/registry-validation.ts'
import type { LablogDb, ModelVersionRow, RegisteredModelRow } from './db.ts'
import { nextVersionNumber, versionRowsOf } from './registry-rows.ts'

/** One version of a registered model, as MLflow's registry keeps it (an archive's ArchiveModelVersion): a stored version row without its model's name. */
export interface BulkModelVersion extends Omit<ModelVersionRow, 'name'> {
  /**
   * When `source` points into the artifacts of a run the archive holds: the path inside them
   * ('' for the artifact root). Writers and importers rebase the source onto the run's new location.
   */
  runArtifactPath?: string
}

/** A registered model with the versions to import (an archive's ArchiveRegisteredModel). */
export interface BulkRegisteredModel extends Omit<RegisteredModelRow, 'lastVersion'> {
  versions: BulkModelVersion[]
}

export interface BulkRegistryResult {
  registeredModelsCreated: string[]
  registeredModelsMerged: string[]
  /** `<name>/<version>` as numbered in this store. */
  modelVersionsImported: string[]
  /** `<name>/<version>` of local versions found to be the archive's (same run, same source). */
  modelVersionsAlreadyPresent: string[]
}

export const emptyRegistryResult = (): BulkRegistryResult => ({ registeredModelsCreated: [], registeredModelsMerged: [], modelVersionsImported: [], modelVersionsAlreadyPresent: [] })

/** Writes the models; call inside a transaction over runs, registeredModels and modelVersions. */
export async function importRegistry(db: LablogDb, models: BulkRegisteredModel[], result: BulkRegistryResult, check: () => void): Promise<void> {
  for (const model of models) {
    check()
    validateModelName(model.name)
    const existing = await db.registeredModels.get(model.name)
    const localVersions = existing ? await versionRowsOf(db, model.name) : []
    const claimed = new Set<number>()
    const numbers = new Map<string, number>()
    let next = existing ? nextVersionNumber(existing, localVersions) : 1
    let highest = existing?.lastVersion ?? 0
    const rows: ModelVersionRow[] = []
    for (const version of model.versions) {
      const run = version.runId ? await db.runs.get(version.runId) : undefined
      const source = run && version.runArtifactPath !== undefined ? joinPath(run.artifactUri, version.runArtifactPath) : version.source
      const matches = localVersions.filter(row => !claimed.has(row.version) && row.runId === version.runId && row.source === source)
      const same = matches.find(row => row.version === version.version) ?? matches[0]
      if (same) {
        claimed.add(same.version)
        numbers.set(String(version.version), same.version)
        result.modelVersionsAlreadyPresent.push(`${model.name}/${same.version}`)
        continue
      }
      const number = existing ? next++ : version.version
      numbers.set(String(version.version), number)
      highest = Math.max(highest, number)
      rows.push({
        name: model.name, version: number, creationTimestamp: version.creationTimestamp, lastUpdatedTimestamp: version.lastUpdatedTimestamp,
        description: version.description, userId: version.userId, currentStage: version.currentStage, source, runId: version.runId,
        runLink: version.runLink, status: version.status, statusMessage: version.statusMessage, tags: { ...version.tags },
      })
      result.modelVersionsImported.push(`${model.name}/${number}`)
    }
    const aliases: Record<string, string> = {}
    for (const [alias, version] of Object.entries(model.aliases)) {
      const number = numbers.get(version)
      if (number !== undefined) aliases[alias] = String(number)
    }
    if (existing) {
      const merged: RegisteredModelRow = {
        ...existing,
        description: existing.description || model.description,
        tags: { ...model.tags, ...existing.tags },
        aliases: { ...aliases, ...existing.aliases },
        lastUpdatedTimestamp: rows.length ? Math.max(existing.lastUpdatedTimestamp, Date.now()) : existing.lastUpdatedTimestamp,
        lastVersion: Math.max(highest, nextVersionNumber(existing, localVersions) - 1),
      }
      await db.registeredModels.put(merged)
      result.registeredModelsMerged.push(model.name)
    } else {
      await db.registeredModels.add({
        name: model.name, creationTimestamp: model.creationTimestamp, lastUpdatedTimestamp: model.lastUpdatedTimestamp,
        description: model.description, tags: { ...model.tags }, aliases, lastVersion: highest,
      })
      result.registeredModelsCreated.push(model.name)
    }
    if (rows.length) await db.modelVersions.bulkAdd(rows)
  }
}

function joinPath(location: string, path: string): string {
  return path ? `${location.replace(/\/+$/, '')}/${path}` : location
}
