/**
 * Reading an mlruns run's files on a second thread during import. Inflating, CRC-checking and parsing a
 * run's metric files is more than half of an import's CPU time, and reading its metadata streams the
 * zip through once more: on a worker, both overlap the window's (or the archive worker's) YAML, row
 * building and IndexedDB writes. The worker gets the zip Blob (shared, not copied) and entries
 * ZipArchive.open already checked, reads them with the same checks (local header, bounds, size, CRC)
 * and parser as in-thread, and sends back the text files' bytes and the metric columns (transferred),
 * or the error.
 */
import { deserializeError, serializeError } from '../core/error-transfer.ts'
import type { MetricColumns } from '../store/tracking-store.ts'
import { readMetricFile } from './metric-bytes.ts'
import { ZipArchive, type ZipEntry } from './zip-reader.ts'

/** A run's files to read: text files as checked bytes, metric files parsed. */
export interface RunFiles { texts: ZipEntry[]; metrics: ZipEntry[] }
/** What comes back: the text files' checked bytes one after another (each entry.size long), and the metrics' columns, in request order. */
export interface RunFilesRead { texts: Uint8Array; columns: MetricColumns[] }

/** window → worker: the zip once, then runs' files (texts first, then metrics), in the order they are wanted. */
export type ReadAheadRequest = { zip: Blob } | { id: number; files: PackedEntries; texts: number }
/** worker → window: one reply per request, in request order. */
export type ReadAheadReply =
  | ({ id: number } & RunFilesRead)
  | { id: number; error: ReturnType<typeof serializeError> }

/** The worker's side: answers requests one at a time, in order, so the zip is read forward. */
export function serveReadAhead(scope: { onmessage: ((event: MessageEvent<ReadAheadRequest>) => void) | null; postMessage(message: ReadAheadReply, transfer: Transferable[]): void }): void {
  let archive: ZipArchive | undefined
  let queue: Promise<void> = Promise.resolve()
  scope.onmessage = ({ data }) => {
    if ('zip' in data) { archive = ZipArchive.ofCheckedEntries(data.zip); return }
    queue = queue.then(async () => {
      try {
        if (!archive) throw new Error('the read-ahead worker got no zip')
        const entries = unpackEntries(data.files)
        const read = await readRunFiles(archive, { texts: entries.slice(0, data.texts), metrics: entries.slice(data.texts) })
        const buffers = read.columns.flatMap(({ steps, values, timestamps }) => [steps.buffer, values.buffer, timestamps.buffer])
        scope.postMessage({ id: data.id, ...read }, [read.texts.buffer, ...buffers])
      } catch (error) {
        scope.postMessage({ id: data.id, error: serializeError(error instanceof Error ? error : new Error(String(error))) }, [])
      }
    })
  }
}

/** Reads the files in the order they sit in the zip, so its stream only goes forward. */
async function readRunFiles(archive: ZipArchive, files: RunFiles): Promise<RunFilesRead> {
  const texts = new Uint8Array(files.texts.reduce((sum, entry) => sum + entry.size, 0))
  const columns: MetricColumns[] = new Array(files.metrics.length)
  const jobs: Array<{ entry: ZipEntry; read: () => Promise<void> }> = []
  let at = 0
  for (const entry of files.texts) {
    const offset = at
    jobs.push({ entry, read: async () => { texts.set(await archive.readBytes(entry), offset) } })
    at += entry.size
  }
  files.metrics.forEach((entry, index) => jobs.push({ entry, read: async () => { columns[index] = await readMetricFile(archive, entry) } }))
  for (const job of jobs.sort((a, b) => a.entry.localOffset - b.entry.localOffset)) await job.read()
  return { texts, columns }
}

/**
 * Entries as flat arrays for postMessage: structured-cloning a run's 30-odd entry objects, each with a
 * Uint8Array of its name, cost the page ≈ 0.13 ms a run.
 */
interface PackedEntries { paths: string[]; numbers: Float64Array; names: Uint8Array }
/** size, compressedSize, crc, method, localOffset, boundary, name length. */
const ENTRY_NUMBERS = 7

function packEntries(entries: ZipEntry[]): PackedEntries {
  const numbers = new Float64Array(entries.length * ENTRY_NUMBERS)
  const names = new Uint8Array(entries.reduce((sum, entry) => sum + entry.nameBytes.length, 0))
  let at = 0
  entries.forEach((entry, index) => {
    numbers.set([entry.size, entry.compressedSize, entry.crc, entry.method, entry.localOffset, entry.boundary, entry.nameBytes.length], index * ENTRY_NUMBERS)
    names.set(entry.nameBytes, at)
    at += entry.nameBytes.length
  })
  return { paths: entries.map(entry => entry.path), numbers, names }
}

function unpackEntries({ paths, numbers, names }: PackedEntries): ZipEntry[] {
  let at = 0
  return paths.map((path, index) => {
    const [size, compressedSize, crc, method, localOffset, boundary, nameLength] = numbers.subarray(index * ENTRY_NUMBERS, (index + 1) * ENTRY_NUMBERS) as unknown as number[]
    const nameBytes = names.subarray(at, at += nameLength!)
    return { path, size: size!, compressedSize: compressedSize!, crc: crc!, method: method as 0 | 8, localOffset: localOffset!, boundary: boundary!, nameBytes }
  })
}

/** Raised for requests a worker could not answer because it failed to start or died: read them in-thread. */
export class ReadAheadUnavailable extends Error {}

/** The window's side of one worker, for one import. */
export class ReadAheadWorker {
  private nextId = 0
  private readonly pending = new Map<number, { resolve: (read: RunFilesRead) => void; reject: (error: Error) => void }>()
  private dead = false

  constructor(private readonly worker: Worker, zip: Blob) {
    worker.onmessage = ({ data }: MessageEvent<ReadAheadReply>) => {
      const job = this.pending.get(data.id)
      if (!job) return
      this.pending.delete(data.id)
      if ('error' in data) job.reject(deserializeError(data.error))
      else job.resolve(data)
    }
    // A module that fails to load, or a worker that crashes: nothing it owes will come.
    worker.onerror = event => { event.preventDefault(); this.fail() }
    worker.onmessageerror = () => this.fail()
    worker.postMessage({ zip } satisfies ReadAheadRequest)
  }

  /** The files' bytes and columns; rejects with the first failing entry's error, or ReadAheadUnavailable. */
  read(files: RunFiles): Promise<RunFilesRead> {
    if (this.dead) return Promise.reject(new ReadAheadUnavailable())
    const id = this.nextId++
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject })
      const packed = packEntries([...files.texts, ...files.metrics])
      this.worker.postMessage({ id, files: packed, texts: files.texts.length } satisfies ReadAheadRequest, [packed.numbers.buffer, packed.names.buffer])
    })
  }

  /** Ends the worker; requests still pending reject with ReadAheadUnavailable. */
  terminate(): void {
    this.worker.terminate()
    this.fail()
  }

  private fail(): void {
    this.dead = true
    for (const job of this.pending.values()) job.reject(new ReadAheadUnavailable())
    this.pending.clear()
  }
}

/** A read-ahead worker for `zip`, or null where workers do not exist (Node, the CLI) or cannot start. */
export function startReadAheadWorker(zip: Blob): ReadAheadWorker | null {
  if (typeof Worker === 'undefined') return null
  try {
    return new ReadAheadWorker(new Worker(new URL('../../workers/archive-read-ahead.worker.ts', import.meta.url), { type: 'module', name: 'lablog-archive-read-ahead' }), zip)
  } catch {
    return null
  }
}
