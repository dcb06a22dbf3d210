/**
 * Finding or making things on a target exactly once: an experiment by name, and a run by a tag
 * that names where it came from — so a create whose answer was lost is found, not made twice.
 */
import { MlflowError, isMlflowError } from '../core/errors.ts'
import type { Run, RunTag } from '../core/types.ts'
import { RestError } from '../store/rest/rest-errors.ts'
import type { CreateRunRequest, TrackingStore } from '../store/tracking-store.ts'

/** True when a failed write may still have been applied (the answer was lost): look before trying again. */
export const outcomeUnknown = (error: unknown): boolean => error instanceof RestError && error.failure.outcomeUnknown

/** The target's active experiment of this name, created (with `tags`) when absent. A deleted one is INVALID_STATE: restoring it is the user's call. */
export async function ensureExperiment(target: TrackingStore, name: string, tags: Record<string, string> = {}): Promise<string> {
  const found = async () => {
    const existing = await target.getExperimentByName(name)
    if (existing && existing.lifecycleStage !== 'active') {
      throw new MlflowError('INVALID_STATE', `The target's experiment '${name}' (id ${existing.experimentId}) is deleted: restore it there, or choose another experiment name, then try again.`)
    }
    return existing?.experimentId
  }
  const existing = await found()
  if (existing !== undefined) return existing
  try {
    return await target.createExperiment(name, { tags: Object.entries(tags).map(([key, value]) => ({ key, value })) })
  } catch (error) {
    // Made meanwhile by someone else, or by our own request whose answer was lost.
    if (isMlflowError(error, 'RESOURCE_ALREADY_EXISTS') || outcomeUnknown(error)) {
      const made = await found()
      if (made !== undefined) return made
    }
    throw error
  }
}

/** The first run (deleted ones included) in these experiments whose tag `key` is `value`. */
export async function findRunByTag(target: TrackingStore, experimentIds: string[], key: string, value: string): Promise<Run | undefined> {
  if (experimentIds.length === 0) return undefined
  const page = await target.searchRuns({ experimentIds, filter: `tags.\`${key}\` = '${value.replaceAll("'", "\\'")}'`, runViewType: 'ALL', maxResults: 10 })
  return page.items[0]
}

/**
 * Creates the run, whose `tags` include `marker`, once: after a create whose outcome is unknown,
 * the marker finds the run the server did make. Returns the run and whether this call made it.
 */
export async function createRunOnce(target: TrackingStore, request: CreateRunRequest & { experimentId: string }, marker: RunTag): Promise<Run> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await target.createRun(request)
    } catch (error) {
      if (!outcomeUnknown(error) || attempt >= 3) throw error
      const made = await findRunByTag(target, [request.experimentId], marker.key, marker.value)
      if (made) return made
    }
  }
}
