// Run digests in real Chromium, with a worker writing as a sweep does: the first search on a new
// connection goes through a digest and answers exactly what reading every row answers.
import { wrap } from 'comlink'
import { afterEach, describe, expect, it } from 'vitest'
import type { Run, SearchRunsQuery } from '../../src/core/types.ts'
import { MlflowClient } from '../../src/index.ts'
import { LablogDb } from '../../src/store/local/db.ts'
import { LocalTrackingStore } from '../../src/store/local/local-store.ts'
import { readExperimentRuns } from '../../src/store/local/run-digests.ts'
import { freshTrackingUri } from '../helpers.ts'
import type { SweepWorkerApi } from './support/sweep.worker.ts'

const cleanup: Array<() => void> = []
afterEach(() => { for (const close of cleanup.splice(0)) close() })

function startWorker() {
  const worker = new Worker(new URL('./support/sweep.worker.ts', import.meta.url), { type: 'module' })
  cleanup.push(() => worker.terminate())
  return wrap<SweepWorkerApi>(worker)
}

function open(name: string): LablogDb {
  const db = new LablogDb(name)
  cleanup.push(() => db.close())
  return db
}

/** A fresh store with experiments 'sweep' and 'other', and `runs` runs the worker swept into 'sweep'. */
async function sweptStore(label: string, runs: number) {
  const trackingUri = freshTrackingUri(label)
  const window = new MlflowClient(trackingUri)
  const experimentId = await window.createExperiment('sweep')
  const other = await window.createExperiment('other')
  const remote = startWorker()
  const runIds = await remote.sweep(trackingUri, experimentId, 0, runs)
  return { trackingUri, name: trackingUri.slice('indexeddb://'.length), window, experimentId, other, remote, runIds }
}

/** Every page of the query, from a new connection (its cache is empty: the first search is cold). */
async function coldPages(name: string, query: SearchRunsQuery): Promise<Run[][]> {
  const store = new LocalTrackingStore(name)
  try {
    const pages: Run[][] = []
    let pageToken: string | undefined
    do {
      const page = await store.searchRuns({ ...query, pageToken })
      pages.push(page.items)
      pageToken = page.nextPageToken
    } while (pageToken)
    return pages
  } finally {
    store.close()
  }
}

const queries = (experimentId: string, other: string): SearchRunsQuery[] => [
  { experimentIds: [experimentId], filter: "metrics.metric_0 > 0.5 and params.param_3 = '4' and tags.tag_1 != 'v0'", orderBy: ['metrics.metric_1 DESC'], maxResults: 100 },
  { experimentIds: [experimentId], runViewType: 'ALL', orderBy: ['metrics.metric_2 ASC'], maxResults: 64 },
  { experimentIds: [experimentId], runViewType: 'DELETED_ONLY' },
  { experimentIds: [other, experimentId], filter: "tags.where = 'window'" },
]

/** The queries answered through the digests, then with the digests set aside (every row read). */
async function throughDigestAndFull(db: LablogDb, name: string, all: SearchRunsQuery[]) {
  const throughDigest = []
  for (const query of all) throughDigest.push(await coldPages(name, query))
  const saved = await db.runDigests.toArray()
  await db.runDigests.clear()
  const full = []
  for (const query of all) full.push(await coldPages(name, query))
  await db.runDigests.bulkPut(saved)
  return { throughDigest, full }
}

describe('run digests (real Chromium IndexedDB, a worker writing)', () => {
  it('a worker\'s sweep leaves a digest once idle; a cold search through it sees the later changes of both contexts', async () => {
    const { trackingUri, name, window, experimentId, other, remote, runIds } = await sweptStore('digest', 400)

    const db = open(name)
    await expect.poll(async () => (await readExperimentRuns(db, experimentId)).fromDigest, { timeout: 15_000, interval: 200 }).toBe(true)
    // Once the rows are older than the skew window, they come from the digest, not from row reads.
    await expect.poll(async () => (await readExperimentRuns(db, experimentId)).rowsRead, { timeout: 15_000, interval: 250 }).toBeLessThan(50)

    await remote.change(trackingUri, runIds.slice(10, 20), 'metric_1', 2)
    await window.setTag(runIds[30]!, 'where', 'window')
    await window.deleteRun(runIds[31]!)
    await window.restoreRun(runIds[31]!)
    await window.deleteRun(runIds[32]!)
    const late = await window.createRun(experimentId, { runName: 'late', tags: { where: 'window' } })
    await window.createRun(other, { runName: 'elsewhere', tags: { where: 'window' } })
    await window.flush()

    const read = await readExperimentRuns(db, experimentId)
    expect(read.fromDigest).toBe(true)
    expect(read.rows.get(runIds[19]!)!.latestMetrics.metric_1!.value).toBe(2)
    expect(read.rows.get(runIds[32]!)!.lifecycleStage).toBe('deleted')
    expect(read.rows.has(late.info.runId)).toBe(true)

    const { throughDigest, full } = await throughDigestAndFull(db, name, queries(experimentId, other))
    expect(throughDigest).toEqual(full)
    expect(throughDigest[2]!.flat().map(run => run.info.runId).sort()).toEqual([runIds[19]!, runIds[32]!].sort())
  })

  it('digests written by the window and by the worker at once never hide a change', async () => {
    const { trackingUri, name, experimentId, other, remote } = await sweptStore('digest-race', 300)
    // While the worker keeps writing (and rebuilding its digest whenever it pauses), the window
    // searches on new connections, each writing the digest it read when it had to read many rows.
    let writing = true
    const sweeping = (async () => {
      for (let round = 0; round < 4; round++) {
        await remote.sweep(trackingUri, experimentId, 300 + round * 100, 100)
        await new Promise(resolve => setTimeout(resolve, 1200))
      }
      writing = false
    })()
    const db = open(name)
    while (writing) {
      // Every run committed before the search started is in its answer (nothing is deleted here).
      const committed = await db.runs.where('experimentId').equals(experimentId).count()
      const pages = await coldPages(name, { experimentIds: [experimentId], runViewType: 'ALL', maxResults: 50_000 })
      expect(pages[0]!.length).toBeGreaterThanOrEqual(committed)
    }
    await sweeping
    const { throughDigest, full } = await throughDigestAndFull(db, name, queries(experimentId, other))
    expect(throughDigest).toEqual(full)
    expect(throughDigest[1]!.flat()).toHaveLength(700)
  })
})
