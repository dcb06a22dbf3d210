/**
 * Artifacts as Blobs in IndexedDB, keyed by run and path. Blobs are stored as given:
 * Chromium keeps them on disk, so a large artifact is never copied into the JS heap.
 */
import { doesNotExist, invalidParameter } from '../../core/errors.ts'
import { validateArtifactPath } from '../../core/validation.ts'
import type { ArtifactStore, FileEntry } from '../tracking-store.ts'
import type { LablogDb } from './db.ts'
import { getRunRow } from './runs.ts'

export class LocalArtifactStore implements ArtifactStore {
  constructor(private readonly db: LablogDb) {}

  async logArtifact(runId: string, path: string, data: Blob): Promise<void> {
    const artifactPath = validateArtifactPath(path)
    const db = this.db
    await db.transaction('rw', db.runs, db.artifacts, async () => {
      await getRunRow(db, runId)
      // A file may not sit where a directory is, nor under a file.
      const conflict = await db.artifacts.where('[runId+path]')
        .between([runId, `${artifactPath}/`], [runId, `${artifactPath}/\uffff`]).first()
      if (conflict) throw invalidParameter(`Cannot write artifact '${artifactPath}': a directory of that name exists in run ${runId}.`)
      await db.artifacts.put({ runId, path: artifactPath, blob: data, size: data.size })
    })
  }

  async listArtifacts(runId: string, path = ''): Promise<FileEntry[]> {
    const directory = validateArtifactPath(path, { allowEmpty: true, existing: true })
    await getRunRow(this.db, runId)
    const prefix = directory === '' ? '' : `${directory}/`
    const rows = await this.db.artifacts.where('[runId+path]').between([runId, prefix], [runId, `${prefix}\uffff`], true, true).toArray()
    const entries = new Map<string, FileEntry>()
    for (const row of rows) {
      const rest = row.path.slice(prefix.length)
      const slash = rest.indexOf('/')
      if (slash < 0) entries.set(row.path, { path: row.path, isDir: false, fileSize: row.size })
      else {
        const dirPath = prefix + rest.slice(0, slash)
        if (!entries.has(dirPath)) entries.set(dirPath, { path: dirPath, isDir: true })
      }
    }
    return [...entries.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
  }

  /**
   * Every artifact file of each run (runs without files included, empty), in one read, in the order a
   * recursive listArtifacts walk yields them. For exporters; the runs are not checked to exist.
   */
  async listRunFiles(runIds: string[]): Promise<Map<string, FileEntry[]>> {
    const files = new Map<string, FileEntry[]>(runIds.map(runId => [runId, []]))
    await this.db.artifacts.where('runId').anyOf(runIds).each(row => {
      files.get(row.runId)?.push({ path: row.path, isDir: false, fileSize: row.size })
    })
    for (const list of files.values()) list.sort((a, b) => compareBySegment(a.path, b.path))
    return files
  }

  async readArtifact(runId: string, path: string): Promise<Blob> {
    const artifactPath = validateArtifactPath(path, { existing: true })
    const row = await this.db.artifacts.get([runId, artifactPath])
    if (!row) throw doesNotExist(`No artifact at '${artifactPath}' in run ${runId}`)
    return row.blob
  }

  async deleteArtifacts(runId: string, path = ''): Promise<void> {
    const target = validateArtifactPath(path, { allowEmpty: true, existing: true })
    const db = this.db
    await db.transaction('rw', db.artifacts, async () => {
      if (target === '') return void await db.artifacts.where('runId').equals(runId).delete()
      await db.artifacts.delete([runId, target])
      await db.artifacts.where('[runId+path]').between([runId, `${target}/`], [runId, `${target}/\uffff`]).delete()
    })
  }
}

/** Folder by folder, as a walk visits them: 'a/x' comes before 'a.txt' ('a' < 'a.txt'), unlike plain string order. */
function compareBySegment(a: string, b: string): number {
  const left = a.split('/'), right = b.split('/')
  for (let index = 0; index < Math.min(left.length, right.length); index++) {
    if (left[index] !== right[index]) return left[index]! < right[index]! ? -1 : 1
  }
  return left.length - right.length
}
