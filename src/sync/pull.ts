/**
 * pullRuns: brings runs from an MLflow tracking server into the local store for offline viewing
 * beside local runs. Pulled runs keep the server's run ids and carry `lablog.pulledFrom`; pulling
 * again adds only the points, params, tags, inputs and artifacts the local copy lacks.
 */
import { MlflowError, invalidParameter, isMlflowError } from '../core/errors.ts'
import type { Experiment } from '../core/types.ts'
import type { RestAuth } from '../store/rest/auth.ts'
import { createRemoteStores } from '../store/rest/remote-stores.ts'
import type { TrackingStore } from '../store/tracking-store.ts'
import { DEFAULT_TRACKING_URI, type Stores, storesFor } from '../store/uri.ts'
import { throwIfCancelled } from './cancel.ts'
import { PULLED_FROM_TAG, type PulledRun, pullRun } from './pull-run.ts'
import { PULLED_MODEL_VERSION_TAG, pullRegistry } from './pull-registry.ts'
import { targetKey } from './sync-mappings.ts'

export { PULLED_FROM_TAG, PULLED_MODEL_VERSION_TAG }
export type { PulledRun }

/** Where a pull stands; given to `onProgress` as it goes. */
export interface PullProgress {
  runIndex: number
  /** Runs found so far (grows while search pages arrive). */
  runCount: number
  runId: string
  phase: 'search' | 'run' | 'data' | 'artifacts' | 'done'
  runsDone: number
  pointsReceived: number
  artifactsReceived: number
}

/** What to pull: the runs of `experimentNames`, narrowed by `filter` (MLflow's search syntax). One of them is needed. */
export interface PullOptions {
  /** The server's tracking URI, e.g. 'http://mlflow.team:5000'. */
  from: string
  /** Where pulled runs go; default the local store (indexeddb://lablog). */
  to?: string
  /** These remote experiments (active ones); default every active experiment, when `filter` is given. */
  experimentNames?: string[]
  /** A runs/search filter, e.g. "metrics.acc > 0.9" or "tags.team = 'ml'". */
  filter?: string
  /** Download artifact files too. Default true. */
  includeArtifacts?: boolean
  /** Copy the server's model versions of the pulled runs into the local registry (see pull-registry.ts). Default true. */
  includeRegistry?: boolean
  auth?: RestAuth
  onProgress?: (progress: PullProgress) => void
  /** Stops the pull between two requests with MlflowError 'CANCELLED'; pulling again resumes. */
  signal?: AbortSignal
}

/**
 * Pulls the matching active runs, experiment by experiment: the local experiment of the same name
 * (created when absent, with the remote tags), then each run with its full metric history.
 */
export async function pullRuns(options: PullOptions): Promise<PulledRun[]> {
  if (!options.experimentNames?.length && !options.filter) throw invalidParameter('pullRuns needs experimentNames or a filter (pulling a whole server is rarely meant).')
  const remote: Stores = /^https?:/i.test(options.from) ? createRemoteStores(options.from, options.auth ? { auth: options.auth } : {}) : storesFor(options.from)
  const local = storesFor(options.to ?? DEFAULT_TRACKING_URI)
  const totals = { runCount: 0, runsDone: 0, pointsReceived: 0, artifactsReceived: 0 }
  let current = { runIndex: 0, runId: '' }
  const report = (phase: PullProgress['phase']) => options.onProgress?.({ ...current, phase, ...totals })

  report('search')
  const experiments = await remoteExperiments(remote.tracking, options.experimentNames)
  const pulled: PulledRun[] = []
  for (const experiment of experiments) {
    let localExperimentId: string | undefined
    let pageToken: string | undefined
    do {
      throwIfCancelled(options.signal, 'The pull')
      const page = await remote.tracking.searchRuns({ experimentIds: [experiment.experimentId], filter: options.filter, runViewType: 'ACTIVE_ONLY', maxResults: 1000, pageToken })
      totals.runCount += page.items.length
      for (const run of page.items) {
        localExperimentId ??= await localExperimentFor(local.tracking, experiment)
        current = { runIndex: totals.runsDone, runId: run.info.runId }
        pulled.push(await pullRun({
          remote, local, includeArtifacts: options.includeArtifacts ?? true, signal: options.signal,
          pulledFrom: targetKey(options.from), progress: (phase, received) => {
            totals.pointsReceived += received.points ?? 0
            totals.artifactsReceived += received.artifacts ?? 0
            report(phase)
          },
        }, run, localExperimentId))
        totals.runsDone++
      }
      pageToken = page.items.length ? page.nextPageToken : undefined
    } while (pageToken)
  }
  if (options.includeRegistry ?? true) await pullRegistry(remote, local, pulled, options.signal)
  report('done')
  return pulled
}

/** The named experiments (RESOURCE_DOES_NOT_EXIST naming a missing one), or every active one. */
async function remoteExperiments(remote: TrackingStore, names: string[] | undefined): Promise<Experiment[]> {
  if (names?.length) {
    const found: Experiment[] = []
    for (const name of names) {
      const experiment = await remote.getExperimentByName(name)
      if (!experiment) throw new MlflowError('RESOURCE_DOES_NOT_EXIST', `The server has no experiment named '${name}'.`)
      found.push(experiment)
    }
    return found
  }
  const all: Experiment[] = []
  let pageToken: string | undefined
  do {
    const page = await remote.searchExperiments({ viewType: 'ACTIVE_ONLY', maxResults: 1000, pageToken })
    all.push(...page.items)
    pageToken = page.items.length ? page.nextPageToken : undefined
  } while (pageToken)
  return all
}

/** The local experiment named like the remote one, created with its tags when absent; a deleted one is INVALID_STATE. */
async function localExperimentFor(local: TrackingStore, experiment: Experiment): Promise<string> {
  const existing = await local.getExperimentByName(experiment.name)
  if (existing) {
    if (existing.lifecycleStage !== 'active') {
      throw new MlflowError('INVALID_STATE', `The local experiment '${experiment.name}' is deleted: restore or rename it, then pull again.`)
    }
    return existing.experimentId
  }
  try {
    return await local.createExperiment(experiment.name, { tags: Object.entries(experiment.tags).map(([key, value]) => ({ key, value })) })
  } catch (error) {
    if (!isMlflowError(error, 'RESOURCE_ALREADY_EXISTS')) throw error
    return localExperimentFor(local, experiment)
  }
}
