/**
 * The window's side of the downsampling worker: started on first use, one request per promise.
 * Full-resolution columns are transferred (not copied) to the worker, which keeps them for re-sampling.
 */
import type { DownsampleRequest, DownsampleResponse, SampleOptions, SampledSeries, SeriesColumns, SeriesStats } from './series-store.ts'

type Pending = { resolve: (response: DownsampleResponse & { ok: true }) => void; reject: (error: Error) => void }
type RequestBody = DownsampleRequest extends infer R ? R extends { id: number } ? Omit<R, 'id'> : never : never

let worker: Worker | undefined
let nextId = 1
const pending = new Map<number, Pending>()

function getWorker(): Worker {
  if (worker) return worker
  worker = new Worker(new URL('../../../workers/downsample.worker.ts', import.meta.url), { type: 'module', name: 'downsample' })
  worker.onmessage = (event: MessageEvent<DownsampleResponse>) => {
    const waiter = pending.get(event.data.id)
    if (!waiter) return
    pending.delete(event.data.id)
    if (event.data.ok) waiter.resolve(event.data)
    else waiter.reject(new Error(event.data.error))
  }
  worker.onerror = event => {
    for (const waiter of pending.values()) waiter.reject(new Error(event.message || 'The downsampling worker failed.'))
    pending.clear()
  }
  return worker
}

function send(body: RequestBody, transfer: Transferable[] = []): Promise<DownsampleResponse & { ok: true }> {
  const id = nextId++
  return new Promise((resolve, reject) => {
    pending.set(id, { resolve, reject })
    getWorker().postMessage({ ...body, id }, transfer)
  })
}

const buffersOf = (columns: SeriesColumns) => [columns.steps.buffer, columns.values.buffer, columns.timestamps.buffer]

/** Hands a whole history to the worker (the arrays become unusable here) and returns its stats. */
export async function loadSeries(seriesId: string, columns: SeriesColumns): Promise<SeriesStats> {
  return (await send({ type: 'load', seriesId, columns }, buffersOf(columns))).stats!
}

/** Appends new points of a live run to a loaded series. */
export async function appendSeries(seriesId: string, columns: SeriesColumns): Promise<SeriesStats> {
  return (await send({ type: 'append', seriesId, columns }, buffersOf(columns))).stats!
}

/** A downsampled view of a loaded series (optionally of an x-range, for zoom). */
export async function sampleSeries(seriesId: string, options: SampleOptions): Promise<SampledSeries> {
  return (await send({ type: 'sample', seriesId, options })).sample!
}

/** Frees a series the page no longer shows. */
export function dropSeries(seriesId: string): void { void send({ type: 'drop', seriesId }) }
