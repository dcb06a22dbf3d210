// Cold searches through a digest answer exactly what a search reading every row answers.
// Date is faked (timers are not) so rows can be made older than a digest's skew window: only then
// does a cold read take them from the digest rather than read them again.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { SearchRunsQuery } from '../../../src/core/types.ts'
import { stampRunRow, type RunRow } from '../../../src/store/local/db.ts'
import { LocalTrackingStore } from '../../../src/store/local/local-store.ts'
import { decodeRunDigest, encodeRunDigest, isRunDigest } from '../../../src/store/local/run-digest-format.ts'
import { DIGEST_SKEW_MS, readExperimentRuns, writeRunDigest } from '../../../src/store/local/run-digests.ts'

let name: string
let store: LocalTrackingStore
let e1: string, e2: string
const runIds: string[] = []
const opened: LocalTrackingStore[] = []
/** Each test starts an hour after the last: stamps are monotonic per context, so never behind the faked clock. */
let testClock = Date.now()

/** Moves the clock past the skew window, so rows written so far are older than the next digest's window. */
const age = () => vi.setSystemTime(Date.now() + DIGEST_SKEW_MS * 5)

function connect(): LocalTrackingStore {
  const connection = new LocalTrackingStore(name)
  opened.push(connection)
  return connection
}

/** Writes the experiment's digest now, as the background writers do. */
async function digestNow(experimentId: string, db = store.db): Promise<void> {
  const runs = await readExperimentRuns(db, experimentId)
  expect(await writeRunDigest(db, encodeRunDigest(experimentId, runs.watermark, runs.rows.values()), runs.epoch)).toBe(true)
}

async function allPages(connection: LocalTrackingStore, query: SearchRunsQuery) {
  const pages = []
  let pageToken: string | undefined
  do {
    const page = await connection.searchRuns({ ...query, pageToken })
    pages.push(page)
    pageToken = page.nextPageToken
  } while (pageToken)
  return pages
}

const QUERIES: SearchRunsQuery[] = [
  { experimentIds: ['E1'], maxResults: 1000 },
  { experimentIds: ['E1'], filter: "metrics.loss < 0.5 and params.lr = '0.1' and tags.team != 'b'", orderBy: ['metrics.loss DESC'] },
  { experimentIds: ['E1'], runViewType: 'DELETED_ONLY' },
  { experimentIds: ['E1'], runViewType: 'ALL', orderBy: ['params.lr', 'attributes.status'], maxResults: 7 },
  { experimentIds: ['E1', 'E2'], runViewType: 'ALL', orderBy: ['metrics.acc ASC'], maxResults: 5 },
  { experimentIds: ['E2', 'E1'], filter: "datasets.name = 'iris'" },
]
const withIds = (query: SearchRunsQuery) => ({ ...query, experimentIds: query.experimentIds.map(id => (id === 'E1' ? e1 : e2)) })

/** Every query's pages from a new connection that uses the digests, and from one that reads every row. */
async function coldAnswers() {
  const viaDigest = connect()
  const throughDigest = await Promise.all(QUERIES.map(query => allPages(viaDigest, withIds(query))))
  const saved = await store.db.runDigests.toArray()
  await store.db.runDigests.clear()
  const full = connect()
  const fromRows = await Promise.all(QUERIES.map(query => allPages(full, withIds(query))))
  await store.db.runDigests.bulkPut(saved)
  return { throughDigest, fromRows }
}

beforeEach(async () => {
  vi.useFakeTimers({ toFake: ['Date'] })
  vi.setSystemTime(testClock += 3_600_000)
  name = `digests-${crypto.randomUUID()}`
  store = connect()
  e1 = await store.createExperiment('one')
  e2 = await store.createExperiment('two')
  runIds.length = 0
  for (let index = 0; index < 40; index++) {
    const run = await store.createRun({ experimentId: index < 30 ? e1 : e2, runName: `run-${index}`, startTime: 1000 + index, tags: [{ key: 'team', value: index % 3 ? 'a' : 'b' }] })
    runIds.push(run.info.runId)
    await store.logBatch(run.info.runId, {
      params: [{ key: 'lr', value: String([0.1, 0.01][index % 2]) }],
      metrics: [{ key: 'loss', value: (index % 7) / 7, step: 0, timestamp: 1 }, ...(index % 4 ? [{ key: 'acc', value: index / 40, step: 0, timestamp: 1 }] : [])],
    })
  }
  await store.logInputs(runIds[2]!, [{ dataset: { name: 'iris', digest: 'd1', sourceType: 'local', source: '{}' }, tags: {} }])
  await store.deleteRun(runIds[5]!)
  await store.deleteRun(runIds[35]!)
  age()
  await digestNow(e1)
  await digestNow(e2)
})

afterEach(() => {
  for (const connection of opened.splice(0)) connection.close()
  vi.useRealTimers()
})

describe('cold search through a digest', () => {
  it('answers what reading every row answers, taking the rows from the digest', async () => {
    age()
    expect(await readExperimentRuns(store.db, e1)).toMatchObject({ fromDigest: true, rowsRead: 0 })
    const { throughDigest, fromRows } = await coldAnswers()
    expect(throughDigest).toEqual(fromRows)
    expect(throughDigest[0]![0]!.items).toHaveLength(29)
  })

  it('sees every change made after the digest: values, tags, params, metrics, status, lifecycle, new runs, inputs', async () => {
    age()
    await store.logBatch(runIds[3]!, { metrics: [{ key: 'loss', value: 0.01, step: 5, timestamp: 2 }], params: [{ key: 'new_param', value: 'x' }], tags: [{ key: 'team', value: 'b' }] })
    await store.deleteTag(runIds[4]!, 'team')
    await store.updateRun(runIds[6]!, { status: 'FINISHED', endTime: 5000, runName: 'renamed' })
    await store.deleteRun(runIds[7]!)
    await store.restoreRun(runIds[5]!)
    await store.logInputs(runIds[8]!, [{ dataset: { name: 'iris', digest: 'd2', sourceType: 'local', source: '{}' }, tags: {} }])
    await store.createRun({ experimentId: e1, runName: 'late', startTime: 1 })
    await store.deleteRun(runIds[36]!)
    expect(await readExperimentRuns(store.db, e1)).toMatchObject({ fromDigest: true, rowsRead: 7 })
    const { throughDigest, fromRows } = await coldAnswers()
    expect(throughDigest).toEqual(fromRows)
    const renamed = throughDigest[0]!.flatMap(page => page.items).find(run => run.info.runId === runIds[6])
    expect(renamed?.info).toMatchObject({ runName: 'renamed', status: 'FINISHED', endTime: 5000 })
  })

  it('sees changes when every run of the experiment changed after the digest (delete and restore the experiment)', async () => {
    age()
    await store.deleteExperiment(e1)
    const deleted = await coldAnswers()
    expect(deleted.throughDigest).toEqual(deleted.fromRows)
    expect(deleted.throughDigest[2]![0]!.items).toHaveLength(30)
    await store.restoreExperiment(e1)
    const restored = await coldAnswers()
    expect(restored.throughDigest).toEqual(restored.fromRows)
  })

  it('a digest older than the changes (written late, from an earlier read) still hides none of them', async () => {
    age()
    const early = await readExperimentRuns(store.db, e1)
    age()
    await store.logBatch(runIds[1]!, { metrics: [{ key: 'loss', value: 42, step: 9, timestamp: 9 }] })
    await store.deleteRun(runIds[2]!)
    expect(await writeRunDigest(store.db, encodeRunDigest(e1, early.watermark, early.rows.values()), early.epoch)).toBe(true)
    age()
    const { throughDigest, fromRows } = await coldAnswers()
    expect(throughDigest).toEqual(fromRows)
  })

  it('of two digests written at once, the later watermark stays, whichever is written last', async () => {
    age()
    const first = await readExperimentRuns(store.db, e1)
    await store.logBatch(runIds[1]!, { tags: [{ key: 'seen', value: 'between' }] })
    age()
    const second = await readExperimentRuns(store.db, e1)
    const encode = (runs: typeof first) => encodeRunDigest(e1, runs.watermark, runs.rows.values())
    expect(await writeRunDigest(store.db, encode(second), second.epoch)).toBe(true)
    expect(await writeRunDigest(store.db, encode(first), first.epoch)).toBe(false)
    const stored = await store.db.runDigests.get(e1)
    expect(isRunDigest(stored) && stored.watermark).toBe(second.watermark)
    expect(decodeRunDigest(stored as never).find(row => row.runId === runIds[1])!.tags.seen).toBe('between')
  })

  it('a digest stamped in the future (the clock went back) is not used, and is replaced', async () => {
    const runs = await readExperimentRuns(store.db, e1)
    await store.db.runDigests.put(encodeRunDigest(e1, Date.now() + 3_600_000, []))
    expect(await readExperimentRuns(store.db, e1)).toMatchObject({ fromDigest: false, rowsRead: 30 })
    expect(await writeRunDigest(store.db, encodeRunDigest(e1, runs.watermark, runs.rows.values()), runs.epoch)).toBe(true)
  })
})

describe('writes that could make a digest lie', () => {
  it('deleting a run row drops every digest, and a digest built before the delete is not written', async () => {
    age()
    const before = await readExperimentRuns(store.db, e1)
    await store.db.runs.delete(runIds[0]!)
    expect(await store.db.runDigests.count()).toBe(1) // the epoch row only
    expect(await writeRunDigest(store.db, encodeRunDigest(e1, before.watermark, before.rows.values()), before.epoch)).toBe(false)
    const { throughDigest, fromRows } = await coldAnswers()
    expect(throughDigest).toEqual(fromRows)
    expect(throughDigest[0]![0]!.items.map(run => run.info.runId)).not.toContain(runIds[0])
  })

  it('a put moving a run to another experiment drops the digests, even in a transaction that did not read the run first', async () => {
    age()
    const row = (await store.db.runs.get(runIds[1]!))!
    await store.db.runs.put({ ...row, experimentId: e2 })
    expect(await store.db.runDigests.get(e1)).toBeUndefined()
    await digestNow(e1)
    await store.db.transaction('rw', store.db.runs, async () => {
      const again = (await store.db.runs.get(runIds[1]!))!
      await store.db.runs.put({ ...again, experimentId: e1 })
    })
    expect(await store.db.runDigests.get(e1)).toBeUndefined()
    const { throughDigest, fromRows } = await coldAnswers()
    expect(throughDigest).toEqual(fromRows)
  })

  it('a put that keeps the run where it was keeps the digests', async () => {
    const row = (await store.db.runs.get(runIds[1]!))!
    await store.db.runs.bulkPut([{ ...row, runName: 'bulk' }])
    expect(await store.db.runDigests.get(e1)).toBeDefined()
  })
})

describe('modifiedAt', () => {
  it('every Dexie write of a run row is stamped, later than the one before, even within a millisecond', async () => {
    const before = (await store.db.runs.get(runIds[0]!))!.modifiedAt
    await store.logBatch(runIds[0]!, { tags: [{ key: 'a', value: '1' }] })
    const once = (await store.db.runs.get(runIds[0]!))!.modifiedAt
    await store.db.runs.where('experimentId').equals(e2).modify({ userId: 'li' })
    const rows = await store.db.runs.where('experimentId').equals(e2).toArray()
    expect(once).toBeGreaterThan(before)
    expect(new Set(rows.map(row => row.modifiedAt)).size).toBe(rows.length)
    expect(Math.min(...rows.map(row => row.modifiedAt))).toBeGreaterThan(once)
    const row = { ...rows[0]! } as RunRow
    expect(stampRunRow(row)).toBe(row)
    expect(row.modifiedAt).toBeGreaterThan(Math.max(...rows.map(other => other.modifiedAt)))
  })
})

describe('who writes digests', () => {
  it('a search that read many rows writes the digest afterwards, from what it read', async () => {
    vi.useRealTimers()
    const rows = Array.from({ length: 300 }, (_, index) => ({ ...(structuredClone(RUN_TEMPLATE)), runId: `bulk${index}`, experimentId: e2 }))
    await store.db.runDigests.clear()
    await store.db.runs.bulkAdd(rows)
    store.close() // so the writer's own rebuild, once quiet, does not write it first
    const reader = connect()
    const answer = await reader.searchRuns({ experimentIds: [e2] })
    expect(answer.items).toHaveLength(309)
    await vi.waitFor(async () => expect(await reader.db.runDigests.get(e2)).toBeDefined(), { timeout: 5000 })
    expect(await readExperimentRuns(reader.db, e2)).toMatchObject({ fromDigest: true })
  })

  it('a context that wrote many runs writes their digest once it has been quiet for a while', async () => {
    vi.useRealTimers()
    const rows = Array.from({ length: 300 }, (_, index) => ({ ...(structuredClone(RUN_TEMPLATE)), runId: `bulk${index}`, experimentId: e1 }))
    await store.db.runs.bulkAdd(rows)
    await vi.waitFor(async () => {
      const digest = await store.db.runDigests.get(e1)
      expect(isRunDigest(digest) && decodeRunDigest(digest).length).toBe(330)
    }, { timeout: 5000, interval: 100 })
  })
})

const RUN_TEMPLATE: Omit<RunRow, 'runId' | 'experimentId'> = {
  runName: 'bulk', userId: 'u', status: 'FINISHED', startTime: 1, endTime: 2, artifactUri: 'x', lifecycleStage: 'active',
  params: { p: '1' }, tags: {}, latestMetrics: { loss: { value: 1, step: 0, timestamp: 1 } }, series: {}, inputs: [], modifiedAt: 0,
}
