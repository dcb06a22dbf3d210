/**
 * What push and pull of the model registry share: the report of one copied version, reading every
 * version of a run, rebasing a version's source onto the copied run, and bringing an existing
 * copy's tags, description, stage and aliases in line with its original.
 */
import { isMlflowError } from '../core/errors.ts'
import type { ModelVersion, RegisteredModel } from '../core/types.ts'
import type { ModelRegistryStore } from '../store/registry-store.ts'
import { throwIfCancelled } from './cancel.ts'
import { outcomeUnknown } from './remote-lookup.ts'

/** One model version copied by pushRuns or pullRuns. */
export interface SyncedModelVersion {
  name: string
  /** Its number where it came from (push: the local store; pull: the server). */
  sourceVersion: string
  /** Its number where it went; may differ, since each registry numbers its own versions. */
  targetVersion: string
  /** True when this call made the copy; false when an earlier push or pull had (then only changes were sent). */
  created: boolean
}

/** Every version whose run is `runId`, all pages, oldest number first per model. */
export async function versionsOfRun(registry: ModelRegistryStore, runId: string): Promise<ModelVersion[]> {
  const found: ModelVersion[] = []
  let pageToken: string | undefined
  do {
    const page = await registry.searchModelVersions({ filter: `run_id = '${runId}'`, maxResults: 1000, pageToken })
    found.push(...page.items)
    pageToken = page.items.length ? page.nextPageToken : undefined
  } while (pageToken)
  return found.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : Number(a.version) - Number(b.version)))
}

/**
 * The source of a copied version: a location inside the original run's artifacts moves to the same
 * path inside the copied run's artifacts (so it names files that were copied with the run); any
 * other location (s3://…, a shared model store) is kept as it is.
 */
export function rebaseSource(source: string, fromArtifactUri: string, toArtifactUri: string): string {
  const root = fromArtifactUri.replace(/\/+$/, '')
  if (!root) return source
  if (source === root || source === `${root}/`) return toArtifactUri
  return source.startsWith(`${root}/`) ? `${toArtifactUri.replace(/\/+$/, '')}/${source.slice(root.length + 1)}` : source
}

/** The target's model of this name, created with the original's description and tags when absent. */
export async function ensureRegisteredModel(target: ModelRegistryStore, original: RegisteredModel, signal: AbortSignal | undefined): Promise<void> {
  const exists = async () => target.getRegisteredModel(original.name).then(() => true, (error: unknown) => {
    if (isMlflowError(error, 'RESOURCE_DOES_NOT_EXIST')) return false
    throw error
  })
  if (await exists()) return
  throwIfCancelled(signal, 'The registry copy')
  try {
    await target.createRegisteredModel(original.name, {
      description: original.description || undefined, tags: Object.entries(original.tags).map(([key, value]) => ({ key, value })),
    })
  } catch (error) {
    // Made meanwhile by someone else, or by our own create whose answer was lost.
    if (!(isMlflowError(error, 'RESOURCE_ALREADY_EXISTS') || outcomeUnknown(error)) || !await exists()) throw error
  }
}

/**
 * Sends what `copy` lacks of `original`: tags (set or changed), description, stage (without archiving
 * others: the original's other versions bring their own stages) and the aliases pointing at the
 * original (moved onto the copy). Nothing is removed — tags or aliases the target has and the original
 * lacks stay, since the target may have its own. `extraTags` (the copy's marker) are expected too.
 * Returns true when something was sent.
 */
export async function alignVersion(
  target: ModelRegistryStore, original: ModelVersion, copy: ModelVersion, extraTags: Record<string, string>, signal: AbortSignal | undefined,
): Promise<boolean> {
  let sent = false
  const step = () => { throwIfCancelled(signal, 'The registry copy'); sent = true }
  for (const [key, value] of Object.entries({ ...original.tags, ...extraTags })) {
    if (copy.tags[key] === value) continue
    step()
    await target.setModelVersionTag(copy.name, copy.version, key, value)
  }
  if ((original.description ?? '') !== (copy.description ?? '')) {
    step()
    await target.updateModelVersion(copy.name, copy.version, original.description)
  }
  if (original.currentStage !== copy.currentStage) {
    step()
    await target.transitionModelVersionStage(copy.name, copy.version, original.currentStage, false)
  }
  for (const alias of original.aliases) {
    if (copy.aliases.includes(alias)) continue
    step()
    await target.setRegisteredModelAlias(copy.name, alias, copy.version)
  }
  return sent
}
