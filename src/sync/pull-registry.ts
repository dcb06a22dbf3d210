/**
 * The registry half of pullRuns: the server's model versions of pulled runs arrive in the local
 * registry under the same model names — with the same version numbers when those are free locally —
 * with their tags, description, stage and aliases. Each copy carries the tag
 * `lablog.pulledModelVersion` = `<name>/<serverVersion>`, so pulling again finds it and only updates it.
 */
import { invalidParameter } from '../core/errors.ts'
import { parseModelVersion, validateRegistryTag } from '../core/registry-validation.ts'
import type { ModelVersion } from '../core/types.ts'
import type { ModelVersionRow } from '../store/local/db.ts'
import { LocalTrackingStore } from '../store/local/local-store.ts'
import type { ModelRegistryStore } from '../store/registry-store.ts'
import type { TrackingStore } from '../store/tracking-store.ts'
import type { Stores } from '../store/uri.ts'
import { throwIfCancelled } from './cancel.ts'
import type { PulledRun } from './pull-run.ts'
import { type SyncedModelVersion, alignVersion, ensureRegisteredModel, rebaseSource, versionsOfRun } from './registry-sync-common.ts'

/** The tag on a pulled model version naming the server's version it is a copy of: `<name>/<version>`. */
export const PULLED_MODEL_VERSION_TAG = 'lablog.pulledModelVersion'

/**
 * Pulls the server's versions of the `pulled` runs (skipped runs excluded) and records them on each
 * PulledRun (`modelVersions`). Nothing happens when either side has no registry. A source inside the
 * server run's artifacts is rebased onto the local copy of the run, so models:/ URIs load offline.
 */
export async function pullRegistry(remote: Stores, local: Stores, pulled: PulledRun[], signal: AbortSignal | undefined): Promise<void> {
  const from = remote.registry, to = local.registry
  if (!from || !to) return
  const modelsDone = new Set<string>()
  for (const run of pulled) {
    if (run.skipped) continue
    const remoteVersions = await versionsOfRun(from, run.runId)
    if (remoteVersions.length === 0) continue
    const [remoteRun, localRun] = await Promise.all([remote.tracking.getRun(run.runId), local.tracking.getRun(run.runId)])
    const localVersions = await versionsOfRun(to, run.runId)
    const synced: SyncedModelVersion[] = []
    for (const version of remoteVersions) {
      throwIfCancelled(signal, 'The pull')
      if (!modelsDone.has(version.name)) {
        await ensureRegisteredModel(to, await from.getRegisteredModel(version.name), signal)
        modelsDone.add(version.name)
      }
      const marker = { [PULLED_MODEL_VERSION_TAG]: `${version.name}/${version.version}` }
      let copy = localVersions.find(other => other.name === version.name && other.tags[PULLED_MODEL_VERSION_TAG] === marker[PULLED_MODEL_VERSION_TAG])
      const created = !copy
      if (!copy) {
        const source = rebaseSource(version.source, remoteRun.info.artifactUri, localRun.info.artifactUri)
        copy = await insertWithNumber(local.tracking, to, version, source, marker) ?? await to.createModelVersion({
          name: version.name, source, runId: run.runId, runLink: version.runLink || undefined, description: version.description || undefined,
          tags: Object.entries({ ...version.tags, ...marker }).map(([key, value]) => ({ key, value })),
        })
      }
      await alignVersion(to, version, copy, marker, signal)
      synced.push({ name: version.name, sourceVersion: version.version, targetVersion: copy.version, created })
    }
    run.modelVersions = synced
  }
}

/**
 * Writes the copy under the server's version number when the local store is IndexedDB and no local
 * version holds that number (a number freed by a local delete counts as free); undefined otherwise,
 * and the caller lets the store pick the next number. The registry store's API has no way to choose
 * a number, so this writes the row itself, in one transaction, keeping the model's lastVersion right.
 */
async function insertWithNumber(
  tracking: TrackingStore, registry: ModelRegistryStore, version: ModelVersion, source: string, marker: Record<string, string>,
): Promise<ModelVersion | undefined> {
  if (!(tracking instanceof LocalTrackingStore)) return undefined
  const tags = { ...version.tags, ...marker }
  for (const [key, value] of Object.entries(tags)) validateRegistryTag(key, value)
  const number = parseModelVersion(version.version)
  if (number < 1) throw invalidParameter(`The server's model version ${version.name}/${version.version} has no positive number.`)
  const db = tracking.db
  const inserted = await db.transaction('rw', db.registeredModels, db.modelVersions, async () => {
    const model = await db.registeredModels.get(version.name)
    if (!model || await db.modelVersions.get([version.name, number])) return false
    const row: ModelVersionRow = {
      name: version.name, version: number, creationTimestamp: version.creationTimestamp, lastUpdatedTimestamp: version.lastUpdatedTimestamp,
      // The stage is set afterwards through the store (alignVersion), like every other change.
      description: version.description, userId: version.userId, currentStage: 'None', source, runId: version.runId,
      runLink: version.runLink, status: version.status, statusMessage: version.statusMessage, tags,
    }
    await db.modelVersions.add(row)
    await db.registeredModels.update(version.name, { lastVersion: Math.max(model.lastVersion ?? 0, number), lastUpdatedTimestamp: Date.now() })
    return true
  })
  return inserted ? registry.getModelVersion(version.name, number) : undefined
}
