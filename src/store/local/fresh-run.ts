/**
 * createRun over IndexedDB directly, leaving its transaction open for the caller's next write.
 *
 * A run is nearly always created and then given its params, tags and first metrics at once
 * (createRun, then logBatch). As two Dexie transactions that costs ~2 ms in Chromium; here it is one
 * transaction and, in an experiment this context has created runs in, one round trip. createRun
 * resolves once its row is written in the transaction (IndexedDB runs every later transaction on
 * these tables, from any tab or worker, after this one, so every reader sees the run), or at once
 * when the experiment is known (createInKnownExperiment). A logBatch for that run issued before the
 * caller yields to the event loop joins the transaction (IndexedDB keeps it active through the
 * microtasks that follow a request's success) and resolves at its commit. Nothing joins: it commits alone.
 */
import Dexie, { type IndexableType, type ObservabilitySet } from 'dexie'
import { MlflowError } from '../../core/errors.ts'
import { type ExperimentRow, type LablogDb, type MetricChunkRow, type RunRow, stampRunRow } from './db.ts'
import { checkExperimentId, checkedExperimentRow } from './experiments.ts'
import { type ChangedKeys, announceChanges } from './mutation-announcer.ts'

const TABLES = ['experiments', 'runs', 'metricChunks']

/** A create transaction a batch for the same run may still join. */
export interface OpenRunTransaction {
  /** The run as written in the transaction so far: callers change a copy (copyRunRow), then write it. */
  readonly row: RunRow
  /** Reads one chunk inside the transaction; throws TransactionEnded when it is no longer active. */
  readChunk(key: [string, string, number]): Promise<MetricChunkRow | undefined>
  /** Writes the changed row and chunks and commits; false when the transaction is no longer active (nothing written). */
  write(row: RunRow, chunks: MetricChunkRow[]): boolean
  /** Settles when the transaction commits (or fails). */
  readonly committed: Promise<void>
}

/** Thrown by readChunk when the transaction already ended: the caller writes through Dexie instead. */
export class TransactionEnded extends Error {}

const request = <T>(idbRequest: IDBRequest<T>) => new Promise<T>((resolve, reject) => {
  idbRequest.onsuccess = () => resolve(idbRequest.result)
  idbRequest.onerror = () => reject(idbRequest.error)
})

const isInactive = (error: unknown) => error instanceof DOMException && (error.name === 'TransactionInactiveError' || error.name === 'InvalidStateError')

/** Why a run cannot be created in this experiment (as stored), or undefined when it can. */
function experimentProblem(experimentId: string, stored: ExperimentRow | undefined): MlflowError | undefined {
  try { checkedExperimentRow(experimentId, stored) } catch (error) { return error as MlflowError }
  if (stored!.lifecycleStage === 'active') return undefined
  return new MlflowError('INVALID_STATE', `The experiment ${experimentId} must be in the 'active' state. Current state is ${stored!.lifecycleStage}.`)
}

/** A copy of the row the caller may change without touching the one already written. */
export function copyRunRow(row: RunRow): RunRow {
  const series: RunRow['series'] = {}
  for (const key in row.series) series[key] = { ...row.series[key]! }
  return { ...row, params: { ...row.params }, tags: { ...row.tags }, latestMetrics: { ...row.latestMetrics }, series, inputs: [...row.inputs] }
}

export class FreshRunWriter {
  /** Create transactions not yet ended, by run id (several when runs are created concurrently). */
  private readonly open = new Map<string, OpenRunTransaction>()
  private readonly unsettled = new Set<Promise<void>>()
  private failure: unknown
  /**
   * Experiments as read by a create here, forgotten whenever any experiment changes: Dexie announces
   * changes made in this context at their commit, and those of other tabs and workers within milliseconds.
   */
  private readonly experiments = new Map<string, ExperimentRow>()
  private readonly forgetExperiments = (parts: ObservabilitySet) => {
    const prefix = `idb://${this.db.name}/experiments/`
    if (Object.keys(parts).some(part => part === 'all' || part.startsWith(prefix))) this.experiments.clear()
  }

  constructor(private readonly db: LablogDb) {
    Dexie.on('storagemutated', this.forgetExperiments)
  }

  close(): void { Dexie.on.storagemutated.unsubscribe(this.forgetExperiments) }

  /**
   * Checks the experiment and writes the row `build` makes, in a transaction left open for a batch.
   * Errors are MLflow's: RESOURCE_DOES_NOT_EXIST, INVALID_STATE, RESOURCE_ALREADY_EXISTS (chosen id).
   */
  async create(experimentId: string, chosenRunId: string | undefined, build: (experiment: ExperimentRow) => RunRow): Promise<RunRow> {
    checkExperimentId(experimentId)
    if (!this.db.isOpen()) await this.db.open()
    const transaction = this.db.backendDB().transaction(TABLES, 'readwrite', { durability: 'relaxed' })
    const known = chosenRunId === undefined ? this.experiments.get(experimentId) : undefined
    if (known) return this.createInKnownExperiment(transaction, known, build)
    try {
      const experiment = await request<ExperimentRow | undefined>(transaction.objectStore('experiments').get(experimentId))
      const problem = experimentProblem(experimentId, experiment)
      if (problem) throw problem
      this.experiments.set(experimentId, experiment!)
      const runs = transaction.objectStore('runs')
      // Only an id the caller chose can collide; generated ones are random 128-bit.
      if (chosenRunId !== undefined && await request(runs.count(chosenRunId)) > 0) {
        throw new MlflowError('RESOURCE_ALREADY_EXISTS', `Run with id=${chosenRunId} already exists`)
      }
      const row = stampRunRow(build(experiment!))
      await request(runs.add(row))
      this.track(transaction, row, 'on-join')
      return row
    } catch (error) {
      try { transaction.abort() } catch { /* already ended */ }
      throw error
    }
  }

  /**
   * The experiment was read here and no experiment has changed since: the row is written without
   * waiting for anything, so createRun and the batch after it cost one round trip, not two. The
   * experiment is still read in the transaction. Should another tab have deleted it in the
   * milliseconds before the change reached this context, the transaction is aborted (nothing is
   * written) and the batch that joined it, or else the next flush(), throws why.
   */
  private createInKnownExperiment(transaction: IDBTransaction, known: ExperimentRow, build: (experiment: ExperimentRow) => RunRow): RunRow {
    const row = stampRunRow(build(known))
    transaction.objectStore('runs').add(row)
    const abortWith = this.track(transaction, row, 'when-checked')
    const reading = transaction.objectStore('experiments').get(known.experimentId)
    reading.onsuccess = () => {
      const stored = reading.result as ExperimentRow | undefined
      const problem = experimentProblem(known.experimentId, stored) ?? (stored!.artifactLocation === known.artifactLocation ? undefined
        : new MlflowError('INVALID_STATE', `The experiment ${known.experimentId} changed while run ${row.runId} was created in it; create the run again.`))
      if (problem) {
        this.experiments.delete(known.experimentId)
        abortWith(problem)
      } else {
        transaction.commit()
      }
    }
    return row
  }

  /** The open create transaction of this run, if a batch may still join it. */
  joinable(runId: string): OpenRunTransaction | undefined {
    return this.open.get(runId)
  }

  /**
   * Waits for every create transaction to end. Reads served from memory (the search cache) wait for
   * this: they learn of a change when it is announced, at commit.
   */
  async settled(): Promise<void> {
    while (this.unsettled.size > 0) await Promise.all(this.unsettled)
  }

  /** Waits for every create transaction to commit; throws the first that failed after its createRun resolved. */
  async flush(): Promise<void> {
    await this.settled()
    const failure = this.failure
    this.failure = undefined
    if (failure !== undefined) throw failure
  }

  /**
   * Follows the transaction until it ends; returns how to abort it with a reason. It commits when a
   * batch joins ('on-join'), or when the experiment's check passes ('when-checked', which runs after
   * any batch issued in the same task has joined).
   */
  private track(transaction: IDBTransaction, first: RunRow, commit: 'on-join' | 'when-checked'): (reason: Error) => void {
    const open: { row: RunRow } = { row: first }
    const chunkKeys: Array<[string, string, number]> = []
    let abortReason: Error | undefined
    const committed = new Promise<void>((resolve, reject) => {
      // At commit, as Dexie does: a reader in this context that learns of it reads the committed row.
      transaction.oncomplete = () => { resolve(); this.announce(open.row, chunkKeys) }
      transaction.onabort = () => reject(abortReason ?? transaction.error ?? new DOMException('The transaction was aborted.', 'AbortError'))
    })
    const settled = committed.catch(error => { this.failure ??= error })
    this.unsettled.add(settled)
    void settled.finally(() => {
      this.unsettled.delete(settled)
      this.open.delete(first.runId)
    })
    const handle: OpenRunTransaction = {
      get row() { return open.row },
      committed,
      readChunk: async key => {
        let pending: IDBRequest<MetricChunkRow | undefined>
        try { pending = transaction.objectStore('metricChunks').get(key) } catch (error) {
          if (isInactive(error)) throw new TransactionEnded()
          throw error
        }
        return request(pending)
      },
      write: (row, chunks) => {
        try {
          transaction.objectStore('runs').put(stampRunRow(row))
        } catch (error) {
          if (isInactive(error)) return false
          throw error
        }
        try {
          const chunkStore = transaction.objectStore('metricChunks')
          for (const chunk of chunks) { chunkStore.put(chunk); chunkKeys.push([chunk.runId, chunk.key, chunk.seq]) }
        } catch (error) {
          // The row is written but not its points: undo both rather than keep half a batch.
          transaction.abort()
          throw error
        }
        open.row = row
        // The batch that follows a create is nearly always its only one: committing now, rather than
        // when the transaction finds itself idle, saves a round trip (~0.15 ms). A later batch takes
        // the Dexie path.
        if (commit === 'on-join') transaction.commit()
        return true
      },
    }
    this.open.set(first.runId, handle)
    return reason => {
      abortReason = reason
      try { transaction.abort() } catch { /* already ended */ }
    }
  }

  /** What the commit changed, for Dexie's observers (the search cache, live views, other tabs). */
  private announce(row: RunRow, chunkKeys: Array<[string, string, number]>): void {
    const prefix = `idb://${this.db.name}/`
    const changed: ChangedKeys = { [`${prefix}runs/`]: [row.runId] }
    for (const index of this.db.runs.schema.indexes) {
      const path = index.keyPath
      changed[`${prefix}runs/${index.name}`] = [(Array.isArray(path) ? path.map(name => row[name as keyof RunRow]) : row[path as keyof RunRow]) as IndexableType]
    }
    if (chunkKeys.length > 0) changed[`${prefix}metricChunks/`] = chunkKeys
    announceChanges(changed)
  }
}

const writers = new WeakMap<LablogDb, FreshRunWriter>()

/** The one writer per database connection. */
export function freshRunWriter(db: LablogDb): FreshRunWriter {
  let writer = writers.get(db)
  if (!writer) writers.set(db, writer = new FreshRunWriter(db))
  return writer
}
