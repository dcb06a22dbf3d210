/**
 * Reading an experiment's runs through its digest, and writing digests.
 *
 * The watermark rule: a digest with watermark W holds every run row of its experiment whose
 * modifiedAt < W, at its latest version. W is taken just before the read transaction the digest is
 * built from is created; IndexedDB runs every read-write transaction created after ours after it,
 * and such a transaction stamps its rows once created, so later than W. A cold read then takes, in
 * one read-only transaction, the digest and the experiment's rows with modifiedAt ≥ W − SKEW; a
 * row read there replaces the digest's copy (it is the newer). SKEW covers clocks of other
 * contexts and small clock steps; re-reading a few rows costs little.
 */
import type { LablogDb, RunRow } from './db.ts'
import { DIGEST_EPOCH_KEY, decodeRunDigest, isRunDigest, type DigestEpochRow, type RunDigestRow } from './run-digest-format.ts'

/** How far before a digest's watermark rows are read again. */
export const DIGEST_SKEW_MS = 2000
/** A digest is written once a cold read would read more rows than this (~5 ms of row reads in Chromium). */
export const DIGEST_MIN_ROWS = 256

/** An experiment's runs as read for a cold search. */
export interface ExperimentRuns {
  experimentId: string
  /** Every run of the experiment, by id. */
  rows: Map<string, RunRow>
  /** The watermark a digest built from exactly these rows may carry. */
  watermark: number
  /** The digest epoch seen by the read: a digest built from it is written only if no delete came since. */
  epoch: string
  /** How many run rows were read one by one (the rest came from the digest). */
  rowsRead: number
  /** Whether a digest was used. */
  fromDigest: boolean
}

const epochOf = (row: RunDigestRow | DigestEpochRow | undefined) => (row && 'epoch' in row ? row.epoch : '')

/** A digest stamped later than now was written before the clock went back: its watermark proves nothing. */
const isUsable = (digest: RunDigestRow, now: number) => digest.watermark <= now

/** The experiment's runs: its digest and the rows changed since, or every row when it has no usable digest. */
export async function readExperimentRuns(db: LablogDb, experimentId: string): Promise<ExperimentRuns> {
  const watermark = Date.now()
  const { digest, epoch, rows } = await db.transaction('r', db.runs, db.runDigests, async () => {
    const [epochRow, stored] = await db.runDigests.bulkGet([DIGEST_EPOCH_KEY, experimentId])
    const digest = isRunDigest(stored) && isUsable(stored, watermark) ? stored : undefined
    const rows = digest
      ? await db.runs.where('[experimentId+modifiedAt]').between([experimentId, digest.watermark - DIGEST_SKEW_MS], [experimentId, Infinity], true, true).toArray()
      // One equality read: Dexie's anyOf walks a cursor, a third slower for one key.
      : await db.runs.where('experimentId').equals(experimentId).toArray()
    return { digest, epoch: epochOf(epochRow), rows }
  })
  // Decoded after the transaction: it need not stay open meanwhile.
  const byId = new Map<string, RunRow>()
  if (digest) for (const row of decodeRunDigest(digest)) byId.set(row.runId, row)
  for (const row of rows) byId.set(row.runId, row)
  return { experimentId, rows: byId, watermark, epoch, rowsRead: rows.length, fromDigest: digest !== undefined }
}

/** How many rows a cold read of the experiment would read one by one now. */
export async function rowsToReadCold(db: LablogDb, experimentId: string): Promise<number> {
  const now = Date.now()
  return db.transaction('r', db.runs, db.runDigests, async () => {
    const watermark = await storedWatermark(db, experimentId)
    return watermark === undefined || watermark > now
      ? db.runs.where('experimentId').equals(experimentId).count()
      : db.runs.where('[experimentId+modifiedAt]').between([experimentId, watermark - DIGEST_SKEW_MS], [experimentId, Infinity], true, true).count()
  })
}

/** The watermark of the experiment's digest, read from the index (the digest itself is megabytes). */
async function storedWatermark(db: LablogDb, experimentId: string): Promise<number | undefined> {
  const keys = await db.runDigests.where('[experimentId+watermark]').between([experimentId, -Infinity], [experimentId, Infinity], true, true).keys()
  const key = keys[0] as unknown as [string, number] | undefined
  return key?.[1]
}

/**
 * Stores the digest unless a run row was deleted since the read it was built from (the epoch moved)
 * or the stored one is newer: of two digests written at once, both correct as of their watermark,
 * the later watermark wins. True when written.
 */
export async function writeRunDigest(db: LablogDb, digest: RunDigestRow, epoch: string): Promise<boolean> {
  return db.transaction('rw', db.runDigests, async () => {
    if (epochOf(await db.runDigests.get(DIGEST_EPOCH_KEY)) !== epoch) return false
    const stored = await storedWatermark(db, digest.experimentId)
    if (stored !== undefined && stored >= digest.watermark && stored <= Date.now()) return false
    await db.runDigests.put(digest)
    return true
  })
}
