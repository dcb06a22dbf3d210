/**
 * Heartbeats for runs trained in workers: a tag refreshed every few seconds while training lives.
 * A worker that dies cannot end its run, so the next start marks RUNNING runs with a stale heartbeat KILLED.
 */
import type { MlflowClient } from '../tracking/client.ts'

/** The run tag holding the last heartbeat, in milliseconds since the epoch. */
export const HEARTBEAT_TAG = 'lablog.heartbeat'
export const DEFAULT_HEARTBEAT_INTERVAL_MS = 5_000
/** A heartbeat older than this many intervals means the trainer is gone (leaves room for a busy tab). */
export const STALE_AFTER_INTERVALS = 6

export interface Heartbeat {
  /** Stops beating and removes the tag: the run's end is recorded by its status from here on. */
  stop(): Promise<void>
}

/** Beats once now (awaited, so the run is never RUNNING without a heartbeat), then every `intervalMs`. */
export async function startHeartbeat(client: MlflowClient, runId: string, intervalMs = DEFAULT_HEARTBEAT_INTERVAL_MS): Promise<Heartbeat> {
  const beat = () => client.setTag(runId, HEARTBEAT_TAG, String(Date.now()))
  await beat()
  // A missed beat is harmless (the next one catches up); it must never fail training.
  const timer = setInterval(() => { beat().catch(() => {}) }, intervalMs)
  return {
    async stop() {
      clearInterval(timer)
      await client.deleteTag(runId, HEARTBEAT_TAG).catch(() => {})
    },
  }
}

export interface StaleRunOptions {
  /** A heartbeat older than this is stale. Default: 6 × the default interval (30 s). */
  staleAfterMs?: number
  /** The current time, for tests. */
  now?: number
}

/**
 * Marks KILLED every RUNNING run whose heartbeat is older than `staleAfterMs`, with its last
 * heartbeat as end time. Runs without a heartbeat tag (ordinary runs) are left alone. Returns their ids.
 */
export async function markStaleRunsKilled(client: MlflowClient, options: StaleRunOptions = {}): Promise<string[]> {
  const staleAfterMs = options.staleAfterMs ?? DEFAULT_HEARTBEAT_INTERVAL_MS * STALE_AFTER_INTERVALS
  const now = options.now ?? Date.now()
  const experimentIds: string[] = []
  let experimentPage: string | undefined
  do {
    const page = await client.searchExperiments({ maxResults: 1000, ...(experimentPage ? { pageToken: experimentPage } : {}) })
    experimentIds.push(...page.experiments.map(experiment => experiment.experimentId))
    experimentPage = page.nextPageToken
  } while (experimentPage)
  if (experimentIds.length === 0) return []

  const killed: string[] = []
  let runPage: string | undefined
  do {
    const page = await client.searchRuns({ experimentIds, filter: "attributes.status = 'RUNNING'", maxResults: 1000, ...(runPage ? { pageToken: runPage } : {}) })
    for (const run of page.runs) {
      const heartbeat = Number(run.data.tags[HEARTBEAT_TAG])
      if (!Number.isFinite(heartbeat) || now - heartbeat <= staleAfterMs) continue
      await client.setTerminated(run.info.runId, 'KILLED', Math.max(run.info.startTime, Math.round(heartbeat)))
      await client.deleteTag(run.info.runId, HEARTBEAT_TAG)
      killed.push(run.info.runId)
    }
    runPage = page.nextPageToken
  } while (runPage)
  return killed
}
