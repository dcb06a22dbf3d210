/**
 * The IndexedDB model registry (MLflow's registry store over Dexie's registeredModels and
 * modelVersions tables): registered models, aliases and searches here; versions in registry-versions.ts.
 */
import { MlflowError, doesNotExist, invalidParameter } from '../../core/errors.ts'
import {
  REGISTRY_LIMITS, canonicalStage, parseModelVersion, registryMaxResults, validateAliasName, validateModelName, validateRegistryTag,
} from '../../core/registry-validation.ts'
import { decodePageToken, encodePageToken } from '../../core/search/paging.ts'
import {
  compileModelVersionFilter, compileModelVersionOrderBy, compileRegisteredModelFilter, compileRegisteredModelOrderBy,
} from '../../core/search/registry-search.ts'
import type {
  ModelVersion, Page, RegisteredModel, RunTag, SearchModelVersionsQuery, SearchRegisteredModelsQuery,
} from '../../core/types.ts'
import type { CreateModelVersionRequest, ModelRegistryStore, VersionNumber } from '../registry-store.ts'
import type { LablogDb, ModelVersionRow, RegisteredModelRow } from './db.ts'
import { getModelRow, getVersionRows, latestByStage, toModelVersion, toRegisteredModel, versionRowsOf } from './registry-rows.ts'
import * as versions from './registry-versions.ts'

const alreadyExists = (name: string) => new MlflowError('RESOURCE_ALREADY_EXISTS', `Registered Model (name=${name}) already exists.`)

/** One page of sorted items, with MLflow's offset page tokens. */
function pageOf<T>(sorted: T[], maxResults: number, pageToken: string | undefined): Page<T> {
  const offset = decodePageToken(pageToken)
  const end = offset + maxResults
  const items = sorted.slice(offset, end)
  return end < sorted.length ? { items, nextPageToken: encodePageToken(end) } : { items }
}

/** Version rows grouped by model name. */
function groupByName(rows: ModelVersionRow[]): Map<string, ModelVersionRow[]> {
  const groups = new Map<string, ModelVersionRow[]>()
  for (const row of rows) {
    const group = groups.get(row.name)
    if (group) group.push(row)
    else groups.set(row.name, [row])
  }
  return groups
}

/** The registry of one `indexeddb://NAME` database, sharing the tracking store's Dexie instance (runs:/ sources read its runs). */
export class LocalModelRegistryStore implements ModelRegistryStore {
  constructor(private readonly db: LablogDb) {}

  async createRegisteredModel(name: string, options: { tags?: RunTag[]; description?: string } = {}): Promise<RegisteredModel> {
    validateModelName(name)
    const tags = options.tags ?? []
    for (const tag of tags) validateRegistryTag(tag.key, tag.value)
    const db = this.db
    return db.transaction('rw', db.registeredModels, async () => {
      if (await db.registeredModels.get(name)) throw alreadyExists(name)
      const now = Date.now()
      const row: RegisteredModelRow = {
        name, creationTimestamp: now, lastUpdatedTimestamp: now, description: options.description ?? '',
        tags: Object.fromEntries(tags.map(tag => [tag.key, tag.value])), aliases: {},
      }
      await db.registeredModels.add(row)
      return toRegisteredModel(row, [])
    })
  }

  async getRegisteredModel(name: string): Promise<RegisteredModel> {
    const db = this.db
    return db.transaction('r', db.registeredModels, db.modelVersions, async () =>
      toRegisteredModel(await getModelRow(db, name), await versionRowsOf(db, name)))
  }

  /** Moves the model row and its version rows to the new name (both are keyed by name), aliases included. */
  async renameRegisteredModel(name: string, newName: string): Promise<RegisteredModel> {
    validateModelName(name)
    validateModelName(newName, 'new_name')
    const db = this.db
    return db.transaction('rw', db.registeredModels, db.modelVersions, async () => {
      const model = await getModelRow(db, name)
      const rows = await versionRowsOf(db, name)
      if (newName === name) return toRegisteredModel(model, rows)
      if (await db.registeredModels.get(newName)) throw alreadyExists(newName)
      const now = Date.now()
      const renamed: RegisteredModelRow = { ...model, name: newName, lastUpdatedTimestamp: now }
      const moved = rows.map(row => ({ ...row, name: newName, lastUpdatedTimestamp: now }))
      await db.modelVersions.where('name').equals(name).delete()
      await db.registeredModels.delete(name)
      await db.registeredModels.add(renamed)
      await db.modelVersions.bulkAdd(moved)
      return toRegisteredModel(renamed, moved)
    })
  }

  async updateRegisteredModel(name: string, description: string): Promise<RegisteredModel> {
    const db = this.db
    return db.transaction('rw', db.registeredModels, db.modelVersions, async () => {
      const model = await getModelRow(db, name)
      const updated = { ...model, description: description ?? '', lastUpdatedTimestamp: Date.now() }
      await db.registeredModels.put(updated)
      return toRegisteredModel(updated, await versionRowsOf(db, name))
    })
  }

  async deleteRegisteredModel(name: string): Promise<void> {
    const db = this.db
    await db.transaction('rw', db.registeredModels, db.modelVersions, async () => {
      await getModelRow(db, name)
      await db.modelVersions.where('name').equals(name).delete()
      await db.registeredModels.delete(name)
    })
  }

  async searchRegisteredModels(query: SearchRegisteredModelsQuery = {}): Promise<Page<RegisteredModel>> {
    const max = registryMaxResults(query.maxResults, REGISTRY_LIMITS.registeredModelsDefaultResults, REGISTRY_LIMITS.registeredModelsMaxResults)
    const matches = compileRegisteredModelFilter(query.filter)
    const compare = compileRegisteredModelOrderBy(query.orderBy)
    decodePageToken(query.pageToken)
    const db = this.db
    const [models, versionRows] = await db.transaction('r', db.registeredModels, db.modelVersions,
      () => Promise.all([db.registeredModels.toArray(), db.modelVersions.toArray()]))
    const byName = groupByName(versionRows)
    const found = models.map(model => toRegisteredModel(model, byName.get(model.name) ?? [])).filter(matches).sort(compare)
    return pageOf(found, max, query.pageToken)
  }

  async getLatestVersions(name: string, stages?: string[]): Promise<ModelVersion[]> {
    const wanted = stages && stages.length > 0 ? [...new Set(stages.map(canonicalStage))] : undefined
    const db = this.db
    return db.transaction('r', db.registeredModels, db.modelVersions, async () => {
      const model = await getModelRow(db, name)
      return latestByStage(await versionRowsOf(db, name), wanted).map(row => toModelVersion(row, model.aliases))
    })
  }

  async setRegisteredModelTag(name: string, key: string, value: string): Promise<void> {
    validateModelName(name)
    validateRegistryTag(key, value)
    const db = this.db
    await db.transaction('rw', db.registeredModels, async () => {
      const model = await getModelRow(db, name)
      await db.registeredModels.update(name, { tags: { ...model.tags, [key]: value }, lastUpdatedTimestamp: Date.now() })
    })
  }

  async deleteRegisteredModelTag(name: string, key: string): Promise<void> {
    const db = this.db
    await db.transaction('rw', db.registeredModels, async () => {
      const model = await getModelRow(db, name)
      if (!(key in model.tags)) return
      const { [key]: _removed, ...tags } = model.tags
      await db.registeredModels.update(name, { tags, lastUpdatedTimestamp: Date.now() })
    })
  }

  createModelVersion(request: CreateModelVersionRequest): Promise<ModelVersion> { return versions.createModelVersion(this.db, request) }

  async getModelVersion(name: string, version: VersionNumber): Promise<ModelVersion> {
    const db = this.db
    return db.transaction('r', db.registeredModels, db.modelVersions, async () => {
      const { model, row } = await getVersionRows(db, name, version)
      return toModelVersion(row, model.aliases)
    })
  }

  updateModelVersion(name: string, version: VersionNumber, description: string): Promise<ModelVersion> {
    return versions.updateModelVersion(this.db, name, version, description)
  }
  deleteModelVersion(name: string, version: VersionNumber): Promise<void> { return versions.deleteModelVersion(this.db, name, version) }
  async getModelVersionDownloadUri(name: string, version: VersionNumber): Promise<string> { return (await this.getModelVersion(name, version)).source }

  async searchModelVersions(query: SearchModelVersionsQuery = {}): Promise<Page<ModelVersion>> {
    const max = registryMaxResults(query.maxResults, REGISTRY_LIMITS.modelVersionsDefaultResults, REGISTRY_LIMITS.modelVersionsMaxResults)
    const matches = compileModelVersionFilter(query.filter)
    const compare = compileModelVersionOrderBy(query.orderBy)
    decodePageToken(query.pageToken)
    const db = this.db
    const [models, versionRows] = await db.transaction('r', db.registeredModels, db.modelVersions,
      () => Promise.all([db.registeredModels.toArray(), db.modelVersions.toArray()]))
    const aliasesByName = new Map(models.map(model => [model.name, model.aliases]))
    const found = versionRows.map(row => toModelVersion(row, aliasesByName.get(row.name) ?? {})).filter(matches).sort(compare)
    return pageOf(found, max, query.pageToken)
  }

  transitionModelVersionStage(name: string, version: VersionNumber, stage: string, archiveExistingVersions: boolean): Promise<ModelVersion> {
    return versions.transitionModelVersionStage(this.db, name, version, stage, archiveExistingVersions)
  }
  setModelVersionTag(name: string, version: VersionNumber, key: string, value: string): Promise<void> {
    return versions.setModelVersionTag(this.db, name, version, key, value)
  }
  deleteModelVersionTag(name: string, version: VersionNumber, key: string): Promise<void> {
    return versions.deleteModelVersionTag(this.db, name, version, key)
  }

  async setRegisteredModelAlias(name: string, alias: string, version: VersionNumber): Promise<void> {
    validateModelName(name)
    validateAliasName(alias)
    parseModelVersion(version)
    const db = this.db
    await db.transaction('rw', db.registeredModels, db.modelVersions, async () => {
      const { model, row } = await getVersionRows(db, name, version)
      // One alias names one version: setting it again moves it.
      await db.registeredModels.update(name, { aliases: { ...model.aliases, [alias]: String(row.version) }, lastUpdatedTimestamp: Date.now() })
    })
  }

  async deleteRegisteredModelAlias(name: string, alias: string): Promise<void> {
    validateModelName(name)
    validateAliasName(alias)
    const db = this.db
    await db.transaction('rw', db.registeredModels, async () => {
      const model = await getModelRow(db, name)
      if (!(alias in model.aliases)) return
      const { [alias]: _removed, ...aliases } = model.aliases
      await db.registeredModels.update(name, { aliases, lastUpdatedTimestamp: Date.now() })
    })
  }

  async getModelVersionByAlias(name: string, alias: string): Promise<ModelVersion> {
    validateModelName(name)
    validateAliasName(alias)
    const db = this.db
    return db.transaction('r', db.registeredModels, db.modelVersions, async () => {
      const model = await getModelRow(db, name)
      const version = model.aliases[alias]
      // MLflow's file and SQL stores both answer an unset alias with INVALID_PARAMETER_VALUE.
      if (version === undefined) throw invalidParameter(`Registered model alias ${alias} not found.`)
      const row = await db.modelVersions.get([name, Number(version)])
      if (!row) throw doesNotExist(`Model Version (name=${name}, version=${version}) not found`)
      return toModelVersion(row, model.aliases)
    })
  }
}
