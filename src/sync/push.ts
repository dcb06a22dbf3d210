/**
 * pushRuns: copies runs from one store (the local one by default) to an MLflow tracking server.
 * Resumable and idempotent: the local store maps each run to its remote twin (table syncMappings),
 * and each remote run carries the tag `lablog.sourceRunId`, so pushing again — after a crash, a
 * dropped connection or from another device — sends only what the server does not have yet.
 */
import { invalidParameter } from '../core/errors.ts'
import type { Run } from '../core/types.ts'
import type { RestAuth } from '../store/rest/auth.ts'
import { createRemoteStores } from '../store/rest/remote-stores.ts'
import type { TrackingStore } from '../store/tracking-store.ts'
import { DEFAULT_TRACKING_URI, type Stores, storesFor } from '../store/uri.ts'
import { throwIfCancelled } from './cancel.ts'
import { PARENT_TAG, type PushContext, type PushedRun, SOURCE_RUN_TAG, pushRun } from './push-run.ts'
import { SOURCE_MODEL_VERSION_TAG, pushRegistry } from './push-registry.ts'
import { ensureExperiment } from './remote-lookup.ts'
import { syncMappingsFor } from './sync-mappings.ts'

export { SOURCE_RUN_TAG, SOURCE_MODEL_VERSION_TAG }
export type { PushedRun }

/** Where a push stands; given to `onProgress` after every request that moved data. */
export interface PushProgress {
  /** Which run (0-based) of `runCount` is being pushed, and what of it. */
  runIndex: number
  runCount: number
  localRunId: string
  phase: 'run' | 'data' | 'artifacts' | 'finish' | 'done'
  /** Runs finished so far. */
  runsDone: number
  /** Metric points and artifact files sent so far in this push, over all runs. */
  pointsSent: number
  artifactsSent: number
}

/** What to push, where; give `runIds` or `experimentIds` (or both). */
export interface PushOptions {
  /** These local runs (their experiments come along). */
  runIds?: string[]
  /** Every active run of these local experiments. */
  experimentIds?: string[]
  /** The target tracking URI, e.g. 'http://mlflow.team:5000'. */
  to: string
  /** The source tracking URI; default the local store (indexeddb://lablog). */
  from?: string
  /** Credentials for the target; default what configureRemote or the environment gives. */
  auth?: RestAuth
  /** Push every run into the remote experiment of this name (created when absent) instead of one named like its local experiment. */
  experimentName?: string
  /** Upload artifact files too. Default true. */
  includeArtifacts?: boolean
  /** Register the pushed runs' local model versions on the server too (models, versions, tags, aliases, stages; see push-registry.ts). Default true. */
  includeRegistry?: boolean
  onProgress?: (progress: PushProgress) => void
  /** Stops the push between two requests with MlflowError 'CANCELLED'; pushing again resumes. */
  signal?: AbortSignal
}

/**
 * Pushes each run: its experiment (found by name or created, with no artifact location so the
 * server picks one its proxy serves), then the run (parents before children, so
 * `mlflow.parentRunId` names the remote parent), params, tags, every metric point, dataset inputs,
 * artifacts and end status. Safe to call again with the same runs: nothing is sent twice, and a
 * run that has nothing new costs one request.
 */
export async function pushRuns(options: PushOptions): Promise<PushedRun[]> {
  if (!options.runIds?.length && !options.experimentIds?.length) throw invalidParameter('pushRuns needs runIds or experimentIds.')
  const source = storesFor(options.from ?? DEFAULT_TRACKING_URI)
  const target: Stores = /^https?:/i.test(options.to) ? createRemoteStores(options.to, options.auth ? { auth: options.auth } : {}) : storesFor(options.to)
  throwIfCancelled(options.signal, 'The push')

  const runs = parentsFirst(await runsToPush(source.tracking, options))
  const totals = { runsDone: 0, pointsSent: 0, artifactsSent: 0 }
  let current = { runIndex: 0, localRunId: '' }
  const report = (phase: PushProgress['phase']) =>
    options.onProgress?.({ ...current, runCount: runs.length, phase, ...totals })
  const context: PushContext = {
    source, target, mappings: syncMappingsFor(source.tracking, options.to), includeArtifacts: options.includeArtifacts ?? true,
    signal: options.signal, remoteIds: new Map(), remoteExperimentIds: new Set(),
    progress: (phase, sent) => {
      totals.pointsSent += sent.points ?? 0
      totals.artifactsSent += sent.artifacts ?? 0
      report(phase)
    },
  }

  const remoteExperiments = new Map<string, string>()
  const remoteExperimentOf = async (localExperimentId: string) => {
    const cached = remoteExperiments.get(options.experimentName ?? localExperimentId)
    if (cached !== undefined) return cached
    const local = await source.tracking.getExperiment(localExperimentId)
    const remoteId = await ensureExperiment(target.tracking, options.experimentName ?? local.name, options.experimentName ? {} : local.tags)
    remoteExperiments.set(options.experimentName ?? localExperimentId, remoteId)
    context.remoteExperimentIds.add(remoteId)
    return remoteId
  }

  const pushed: PushedRun[] = []
  for (const [runIndex, run] of runs.entries()) {
    throwIfCancelled(options.signal, 'The push')
    current = { runIndex, localRunId: run.info.runId }
    pushed.push(await pushRun(context, run, await remoteExperimentOf(run.info.experimentId)))
    totals.runsDone++
  }
  if (options.includeRegistry ?? true) await pushRegistry(source, target, pushed, options.signal)
  report('done')
  return pushed
}

/** The runs named, then those of the experiments named, each once. */
async function runsToPush(source: TrackingStore, options: PushOptions): Promise<Run[]> {
  const runs = new Map<string, Run>()
  for (const runId of options.runIds ?? []) runs.set(runId, await source.getRun(runId))
  if (options.experimentIds?.length) {
    let pageToken: string | undefined
    do {
      const page = await source.searchRuns({ experimentIds: options.experimentIds, runViewType: 'ACTIVE_ONLY', maxResults: 1000, orderBy: ['attributes.start_time ASC'], pageToken })
      for (const run of page.items) if (!runs.has(run.info.runId)) runs.set(run.info.runId, run)
      pageToken = page.items.length ? page.nextPageToken : undefined
    } while (pageToken)
  }
  return [...runs.values()]
}

/** Parents before their children (otherwise the given order), so a child is created already pointing at its parent's remote id. */
export function parentsFirst(runs: Run[]): Run[] {
  const byId = new Map(runs.map(run => [run.info.runId, run]))
  const ordered: Run[] = []
  const placed = new Set<string>()
  const place = (run: Run, path: Set<string>) => {
    if (placed.has(run.info.runId) || path.has(run.info.runId)) return
    path.add(run.info.runId)
    const parent = byId.get(run.data.tags[PARENT_TAG] ?? '')
    if (parent) place(parent, path)
    placed.add(run.info.runId)
    ordered.push(run)
  }
  for (const run of runs) place(run, new Set())
  return ordered
}
