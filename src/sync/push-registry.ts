/**
 * The registry half of pushRuns: the local model versions of pushed runs become versions on the
 * server, under the same model names, pointing at the pushed runs. Each remote version carries the
 * tag `lablog.sourceModelVersion` = `<name>/<localVersion>`, so pushing again (or after a lost answer)
 * finds it instead of registering the model twice, and only sends what changed.
 */
import { isMlflowError } from '../core/errors.ts'
import type { ModelVersion } from '../core/types.ts'
import type { ModelRegistryStore } from '../store/registry-store.ts'
import type { Stores } from '../store/uri.ts'
import { throwIfCancelled } from './cancel.ts'
import type { PushedRun } from './push-run.ts'
import { outcomeUnknown } from './remote-lookup.ts'
import { type SyncedModelVersion, alignVersion, ensureRegisteredModel, rebaseSource, versionsOfRun } from './registry-sync-common.ts'

/** The tag on a pushed model version naming the local version it came from: `<name>/<version>`. */
export const SOURCE_MODEL_VERSION_TAG = 'lablog.sourceModelVersion'

/**
 * Pushes the model versions of `pushed` runs and records them on each PushedRun (`modelVersions`).
 * Nothing happens when either side has no registry.
 *
 * A version's source is rebased onto the remote run: `<local artifact URI>/model` becomes
 * `<remote run's artifact_uri>/model` (for a 2.x server with the artifact proxy,
 * `mlflow-artifacts:/<experiment>/<run>/artifacts/model`), with run_id = the remote run. That is what
 * MLflow's own register_model sends for `runs:/<run>/model`, and what every 2.x server accepts.
 */
export async function pushRegistry(source: Stores, target: Stores, pushed: PushedRun[], signal: AbortSignal | undefined): Promise<void> {
  const local = source.registry, remote = target.registry
  if (!local || !remote) return
  const modelsDone = new Set<string>()
  for (const run of pushed) {
    const localVersions = await versionsOfRun(local, run.localRunId)
    if (localVersions.length === 0) continue
    const [localRun, remoteRun] = await Promise.all([source.tracking.getRun(run.localRunId), target.tracking.getRun(run.remoteRunId)])
    let remoteVersions = await versionsOfRun(remote, run.remoteRunId)
    const synced: SyncedModelVersion[] = []
    for (const version of localVersions) {
      throwIfCancelled(signal, 'The push')
      if (!modelsDone.has(version.name)) {
        await ensureRegisteredModel(remote, await local.getRegisteredModel(version.name), signal)
        modelsDone.add(version.name)
      }
      const marker = { [SOURCE_MODEL_VERSION_TAG]: `${version.name}/${version.version}` }
      const find = (versions: ModelVersion[]) => versions.find(other => other.name === version.name && other.tags[SOURCE_MODEL_VERSION_TAG] === marker[SOURCE_MODEL_VERSION_TAG])
      let copy = find(remoteVersions)
      const created = !copy
      if (!copy) {
        copy = await createOnce(remote, version, rebaseSource(version.source, localRun.info.artifactUri, remoteRun.info.artifactUri), run.remoteRunId, marker, async () => {
          remoteVersions = await versionsOfRun(remote, run.remoteRunId)
          return find(remoteVersions)
        })
      }
      await alignVersion(remote, version, copy, marker, signal)
      synced.push({ name: version.name, sourceVersion: version.version, targetVersion: copy.version, created })
    }
    run.modelVersions = synced
  }
}

/** Creates the remote version once: after a create whose outcome is unknown, `lookup` finds the one the server did make. */
async function createOnce(
  remote: ModelRegistryStore, version: ModelVersion, source: string, runId: string, marker: Record<string, string>,
  lookup: () => Promise<ModelVersion | undefined>,
): Promise<ModelVersion> {
  const tags = Object.entries({ ...version.tags, ...marker }).map(([key, value]) => ({ key, value }))
  for (let attempt = 1; ; attempt++) {
    try {
      return await remote.createModelVersion({ name: version.name, source, runId, tags, description: version.description || undefined })
    } catch (error) {
      if (!outcomeUnknown(error) || attempt >= 3) throw error
      const made = await lookup().catch(lookupError => {
        if (isMlflowError(lookupError)) return undefined
        throw lookupError
      })
      if (made) return made
    }
  }
}
