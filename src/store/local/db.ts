/**
 * The IndexedDB schema (Dexie). A released version is never edited: a change adds
 * `version(n + 1)` with an upgrade, and test/browser/schema-upgrade.test.ts opens
 * a database written by the previous version.
 */
import Dexie, { type Table } from 'dexie'
import type { DatasetInput, LifecycleStage, ModelVersionStage, ModelVersionStatus, RunStatus } from '../../core/types.ts'
import type { StoredColumn } from './chunk-encoding.ts'
import type { DigestEpochRow, RunDigestRow } from './run-digest-format.ts'
import { runWriteMiddleware } from './run-write-middleware.ts'

export interface ExperimentRow {
  experimentId: string
  name: string
  artifactLocation: string
  lifecycleStage: LifecycleStage
  tags: Record<string, string>
  creationTime: number
  lastUpdateTime: number
  deletedTime?: number
}

/** The latest point of one metric key, by MLflow's rule: largest (step, timestamp, value). */
export interface LatestMetric { value: number; step: number; timestamp: number }

/** What the store knows of a metric's history without reading its chunks. */
export interface SeriesInfo {
  count: number
  /** False once a point arrived out of (step, timestamp) order: reads must sort. */
  ordered: boolean
  lastStep: number
  lastTimestamp: number
}

/**
 * One row per run holding params, tags and latest metrics inline: a search over
 * 10,000 runs is one scan of one table, and getRun is one read.
 */
export interface RunRow {
  runId: string
  experimentId: string
  runName: string
  userId: string
  status: RunStatus
  startTime: number
  endTime: number | null
  artifactUri: string
  lifecycleStage: LifecycleStage
  deletedTime?: number
  params: Record<string, string>
  tags: Record<string, string>
  latestMetrics: Record<string, LatestMetric>
  series: Record<string, SeriesInfo>
  inputs: DatasetInput[]
  /**
   * When this row was last written (stampRunRow: milliseconds, strictly increasing within a context).
   * A cold search reads an experiment's digest plus the rows modified since its watermark (run-digests.ts).
   * 0 on rows written before schema v4.
   */
  modifiedAt: number
}

/**
 * Up to CHUNK_SIZE points of one metric, as columns (IndexedDB's cost is per row,
 * then per byte). Steps and timestamps may be stored compactly (chunk-encoding.ts).
 */
export interface MetricChunkRow {
  runId: string
  key: string
  seq: number
  steps: StoredColumn
  values: Float64Array
  timestamps: StoredColumn
}

export interface ArtifactRow {
  runId: string
  path: string
  blob: Blob
  size: number
}

export interface RegisteredModelRow {
  name: string
  creationTimestamp: number
  lastUpdatedTimestamp: number
  description: string
  tags: Record<string, string>
  /** alias → version */
  aliases: Record<string, string>
  /**
   * The highest version number ever created, deleted ones included, so numbering continues after a
   * delete as in MLflow. Not indexed (no schema change); when absent, the highest stored version counts.
   */
  lastVersion?: number
}

export interface ModelVersionRow {
  name: string
  /** MLflow's versions are integers sent as strings; stored as a number so they sort. */
  version: number
  creationTimestamp: number
  lastUpdatedTimestamp: number
  description: string
  userId: string
  currentStage: ModelVersionStage
  source: string
  runId: string
  runLink: string
  status: ModelVersionStatus
  statusMessage: string
  tags: Record<string, string>
}

/**
 * What one push (src/sync/) knows of a local run on one target server: the remote run's id and
 * what the server already holds, so pushing again needs one check per run, not a history read.
 */
export interface SyncMappingRow {
  /** The target server's base URL (or the target tracking URI when it is not a server). */
  target: string
  localRunId: string
  remoteRunId: string
  remoteExperimentId: string
  /** Per metric key, how many of the local points are known to be on the server. */
  metricCounts: Record<string, number>
  /** Artifact path → size of the files known to be on the server. */
  artifacts: Record<string, number>
  updatedAt: number
}

/** One write waiting for a tracking server that was unreachable (src/sync/outbox.ts); replayed in `seq` order. */
export interface OutboxRow {
  seq?: number
  /** The server's base URL. */
  target: string
  /** Which store call, with its arguments as given (run ids may be outbox placeholders). */
  op: string
  runId?: string
  args: unknown[]
  createdAt: number
  /** Sends tried so far: above 0 the server may already hold the write, so replay checks first. */
  attempts: number
  /** 'failed' once the server refused it for good (kept, with `lastError`, for the user to see). */
  state: 'pending' | 'failed'
  lastError?: string
}

/** A run created while offline: the placeholder id the caller got, and the server's id once replayed. */
export interface OutboxRunRow { target: string; placeholderId: string; remoteRunId: string }

export const CHUNK_SIZE = 1000
export const DEFAULT_EXPERIMENT_ID = '0'

export class LablogDb extends Dexie {
  experiments!: Table<ExperimentRow, string>
  runs!: Table<RunRow, string>
  metricChunks!: Table<MetricChunkRow, [string, string, number]>
  artifacts!: Table<ArtifactRow, [string, string]>
  registeredModels!: Table<RegisteredModelRow, string>
  modelVersions!: Table<ModelVersionRow, [string, number]>
  syncMappings!: Table<SyncMappingRow, [string, string]>
  outbox!: Table<OutboxRow, number>
  outboxRunIds!: Table<OutboxRunRow, [string, string]>
  /** Per experiment, its runs as of a watermark, packed (run-digest-format.ts); plus the one epoch row. */
  runDigests!: Table<RunDigestRow | DigestEpochRow, string | number>

  constructor(name: string) {
    // Relaxed durability: a commit does not wait for the OS to flush to disk (Chromium's
    // 'default' may), which is the dominant cost of small transactions such as createRun.
    super(name, { chromeTransactionDurability: 'relaxed' })
    this.version(1).stores({
      experiments: '&experimentId, &name, creationTime',
      runs: '&runId, experimentId, [experimentId+startTime]',
      metricChunks: '[runId+key+seq]',
      artifacts: '[runId+path], runId',
    })
    // v2: the model registry. Nothing to migrate: the tables are new.
    this.version(2).stores({
      registeredModels: '&name, lastUpdatedTimestamp',
      modelVersions: '[name+version], name, runId',
    })
    // v3: sync with tracking servers (push mappings, the offline outbox). New tables only: nothing to migrate.
    this.version(3).stores({
      syncMappings: '[target+localRunId], target',
      outbox: '++seq, target, state',
      outboxRunIds: '[target+placeholderId]',
    })
    // v4: run digests, so a search on a new connection reads one packed value plus the runs changed
    // since, not every run row (IndexedDB's cost is per row). Rows written before carry modifiedAt 0:
    // older than any digest, so they are read until the first digest holds them.
    this.version(4).stores({
      runs: '&runId, experimentId, [experimentId+startTime], [experimentId+modifiedAt]',
      runDigests: '&experimentId, [experimentId+watermark]',
    }).upgrade(transaction => transaction.table('runs').toCollection().modify(row => { row.modifiedAt = 0 }))
    // Every Dexie write of a run row is stamped, and a delete drops the digests, here in one place.
    this.use(runWriteMiddleware(stampRunRow))
    this.on('populate', transaction => {
      const now = Date.now()
      void transaction.table('experiments').add({
        experimentId: DEFAULT_EXPERIMENT_ID, name: 'Default', artifactLocation: defaultArtifactLocation(name, DEFAULT_EXPERIMENT_ID),
        lifecycleStage: 'active', tags: {}, creationTime: now, lastUpdateTime: now,
      } satisfies ExperimentRow)
    })
  }
}

let lastStamp = 0
/** 2^-10 ms: exact at today's epoch milliseconds, so a thousand writes in one millisecond still order. */
const STAMP_STEP = 1 / 1024
type StampListener = (experimentId: string) => void
const stampListeners = new Set<StampListener>()

/**
 * Sets `row.modifiedAt` to now, strictly after every stamp this context gave before (two writes in one
 * millisecond still order), and returns the row. Every write of a run row must go through it: Dexie
 * writes get it from the middleware; a write that bypasses Dexie calls it itself.
 */
export function stampRunRow(row: RunRow): RunRow {
  const now = Date.now()
  lastStamp = now > lastStamp ? now : lastStamp + STAMP_STEP
  row.modifiedAt = lastStamp
  for (const listener of stampListeners) listener(row.experimentId)
  return row
}

/** Calls `listener` with the experiment of every run row this context stamps, until the returned function is called. */
export function onRunStamped(listener: StampListener): () => void {
  stampListeners.add(listener)
  return () => { stampListeners.delete(listener) }
}

/** Where an experiment's artifacts live when the user names no location. */
export function defaultArtifactLocation(databaseName: string, experimentId: string): string {
  return `indexeddb://${databaseName}/${experimentId}`
}
