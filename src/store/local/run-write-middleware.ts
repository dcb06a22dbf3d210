/**
 * The one place every Dexie write of a run row passes (a DBCore middleware, so no write path can
 * forget it): puts and adds are stamped with `modifiedAt`, and anything that could leave a digest
 * naming a run it should not (a delete, or a put moving a run to another experiment) drops every
 * digest in the same transaction. Writes that bypass Dexie call stampRunRow themselves.
 */
import type { DBCore, DBCoreKeyRange, DBCoreMutateRequest, DBCorePutRequest, DBCoreTable, DBCoreTransaction, Middleware } from 'dexie'
import type { RunRow } from './db.ts'
import { DIGEST_EPOCH_KEY, RUN_DIGESTS, type DigestEpochRow } from './run-digest-format.ts'

const RUNS = 'runs'
/** Dexie's "every key" range (DBCoreRangeType.Any, a const enum we cannot import under isolatedModules). */
const ALL_KEYS = { type: 3, lower: -Infinity, lowerOpen: false, upper: [[]], upperOpen: false } as unknown as DBCoreKeyRange

/** Dexie's IndexedDB core passes the IDBTransaction itself. */
const modeOf = (trans: DBCoreTransaction) => (trans as unknown as IDBTransaction).mode

/**
 * Per read-write transaction, the experiment of each run row read in it: read-modify-write paths
 * (logBatch, updateRun, modify, bulk import's bulkGet) then prove a put keeps the run where it was
 * without another read.
 */
const experimentsRead = new WeakMap<DBCoreTransaction, Map<string, string>>()

function remember(trans: DBCoreTransaction, rows: ReadonlyArray<RunRow | undefined>): void {
  if (modeOf(trans) !== 'readwrite') return
  let known = experimentsRead.get(trans)
  if (!known) experimentsRead.set(trans, known = new Map())
  for (const row of rows) if (row) known.set(row.runId, row.experimentId)
}

export function runWriteMiddleware(stamp: (row: RunRow) => RunRow): Middleware<DBCore> {
  return {
    stack: 'dbcore',
    name: 'lablog-run-writes',
    create: down => ({
      ...down,
      transaction(stores, mode, options) {
        // A transaction that may write runs also holds the digests, so a delete can drop them in it.
        const scope = mode === 'readwrite' && stores.includes(RUNS) && !stores.includes(RUN_DIGESTS) ? [...stores, RUN_DIGESTS] : stores
        return down.transaction(scope, mode, options)
      },
      table(name) {
        const table = down.table(name)
        // The digests table is looked up when used: while an older schema is upgraded it is not there yet.
        return name === RUNS ? runsTable(table, () => down.table(RUN_DIGESTS), stamp) : table
      },
    }),
  }
}

/**
 * The methods chain with `.then` on the promises of the layer below, never `await`: those are
 * Dexie's, which carry the transaction's zone that lower layers (Dexie's hooks) read.
 */
function runsTable(table: DBCoreTable, digests: () => DBCoreTable, stamp: (row: RunRow) => RunRow): DBCoreTable {
  /** Every digest goes, and a new epoch tells digest writers that read before this to give up. */
  const dropDigests = (trans: DBCoreTransaction) => {
    const epoch: DigestEpochRow = { experimentId: DIGEST_EPOCH_KEY, epoch: `${Date.now()}-${Math.random()}` }
    return digests().mutate({ trans, type: 'deleteRange', range: ALL_KEYS })
      .then(() => digests().mutate({ trans, type: 'put', values: [epoch] }))
  }
  /** The runs of a put whose stored row this transaction has not read; the others are checked from memory. */
  const unreadOrMoved = (req: DBCorePutRequest): string[] | 'moved' => {
    const known = experimentsRead.get(req.trans)
    const unread: string[] = []
    for (const row of req.values as RunRow[]) {
      const before = known?.get(row.runId)
      if (before === undefined) unread.push(row.runId)
      else if (before !== row.experimentId) return 'moved'
    }
    return unread
  }
  const write = (req: DBCoreMutateRequest) => {
    if (req.type === 'add' || req.type === 'put') {
      for (const row of req.values as RunRow[]) stamp(row)
      remember(req.trans, req.values as RunRow[])
    }
    return table.mutate(req)
  }
  return {
    ...table,
    get: req => table.get(req).then(row => {
      remember(req.trans, [row as RunRow | undefined])
      return row
    }),
    getMany: req => table.getMany(req).then(rows => {
      remember(req.trans, rows as Array<RunRow | undefined>)
      return rows
    }),
    query: req => table.query(req).then(response => {
      if (req.values) remember(req.trans, response.result as RunRow[])
      return response
    }),
    mutate(req) {
      // The schema upgrade sets modifiedAt itself (0: older than any digest); no digest exists yet.
      if (modeOf(req.trans) === 'versionchange') return table.mutate(req)
      if (req.type === 'delete' || req.type === 'deleteRange') return dropDigests(req.trans).then(() => write(req))
      if (req.type === 'add') return write(req)
      // A put may move a run to another experiment (bulk import's replace can): its digest would still hold it.
      const check = unreadOrMoved(req)
      if (check === 'moved') return dropDigests(req.trans).then(() => write(req))
      if (check.length === 0) return write(req)
      return table.getMany({ trans: req.trans, keys: check }).then(stored => {
        const next = new Map((req.values as RunRow[]).map(row => [row.runId, row.experimentId]))
        const moved = (stored as Array<RunRow | undefined>).some(row => row !== undefined && row.experimentId !== next.get(row.runId))
        return moved ? dropDigests(req.trans).then(() => write(req)) : write(req)
      })
    },
  }
}
