/** The chart downsampling worker: holds full-resolution series and answers SeriesStore requests. */
import { type DownsampleRequest, type DownsampleResponse, SeriesStore } from '../src/ui/charts/series-store.ts'

const store = new SeriesStore()

function answer(request: DownsampleRequest): DownsampleResponse {
  switch (request.type) {
    case 'load': return { id: request.id, ok: true, stats: store.load(request.seriesId, request.columns) }
    case 'append': return { id: request.id, ok: true, stats: store.append(request.seriesId, request.columns) }
    case 'sample': return { id: request.id, ok: true, sample: store.sample(request.seriesId, request.options) }
    case 'drop': store.drop(request.seriesId); return { id: request.id, ok: true }
  }
}

self.onmessage = (event: MessageEvent<DownsampleRequest>) => {
  let response: DownsampleResponse
  try { response = answer(event.data) } catch (error) { response = { id: event.data.id, ok: false, error: String(error) } }
  const sample = response.ok ? response.sample : undefined
  const transfer = sample ? [sample.x.buffer, sample.y.buffer, ...(sample.smoothed ? [sample.smoothed.buffer] : [])] : []
  ;(self as unknown as Worker).postMessage(response, transfer)
}
