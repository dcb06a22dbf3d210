/**
 * The registry half of an export: the registered models whose versions come from the exported
 * runs, with only those versions (versions of other runs stay out, and so do aliases pointing at them).
 */
import { isMlflowError } from '../core/errors.ts'
import type { ModelVersion, Run } from '../core/types.ts'
import type { Stores } from '../store/uri.ts'
import type { ArchiveModelVersion, ArchiveRegisteredModel } from './model.ts'
import { artifactPathInRun } from './registry-mlruns.ts'

const PAGE = 10_000

/** The models (sorted by name) with the versions of `runs`; [] when the store has no registry. */
export async function registryFromStores(stores: Stores, runs: Map<string, Run>): Promise<ArchiveRegisteredModel[]> {
  const registry = stores.registry
  if (!registry || runs.size === 0) return []
  const byModel = new Map<string, ModelVersion[]>()
  for (let pageToken: string | undefined; ;) {
    const page = await registry.searchModelVersions({ maxResults: PAGE, ...(pageToken ? { pageToken } : {}) }).catch((error: unknown) => {
      if (isMlflowError(error, 'NOT_IMPLEMENTED')) return null // a server without a registry: export the runs alone
      throw error
    })
    if (!page) return []
    for (const version of page.items) {
      if (!version.runId || !runs.has(version.runId)) continue
      const list = byModel.get(version.name) ?? []
      list.push(version)
      byModel.set(version.name, list)
    }
    if (!(pageToken = page.nextPageToken)) break
  }
  const models: ArchiveRegisteredModel[] = []
  for (const name of [...byModel.keys()].sort()) {
    const model = await registry.getRegisteredModel(name)
    const versions = byModel.get(name)!.map(version => toArchiveVersion(version, runs.get(version.runId)!)).sort((a, b) => a.version - b.version)
    const kept = new Set(versions.map(version => String(version.version)))
    models.push({
      name, creationTimestamp: model.creationTimestamp, lastUpdatedTimestamp: model.lastUpdatedTimestamp,
      description: model.description, tags: { ...model.tags },
      aliases: Object.fromEntries(model.aliases.filter(alias => kept.has(alias.version)).map(alias => [alias.alias, alias.version])),
      versions,
    })
  }
  return models
}

function toArchiveVersion(version: ModelVersion, run: Run): ArchiveModelVersion {
  const runArtifactPath = artifactPathInRun(version.source, run.info.runId, run.info.artifactUri)
  return {
    version: Number(version.version), creationTimestamp: version.creationTimestamp, lastUpdatedTimestamp: version.lastUpdatedTimestamp,
    description: version.description, userId: version.userId, currentStage: version.currentStage, source: version.source,
    runId: version.runId, runLink: version.runLink, status: version.status, statusMessage: version.statusMessage, tags: { ...version.tags },
    ...(runArtifactPath !== undefined ? { runArtifactPath } : {}),
  }
}
