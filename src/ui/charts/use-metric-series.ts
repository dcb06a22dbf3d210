/**
 * Metric histories for charts and tables: each (run, key) is read once as typed arrays, handed to
 * the downsampling worker, and — while `live` — extended with only the new points after each write.
 */
import { useEffect, useRef, useState } from 'preact/hooks'
import { getMetricColumnsTail } from '../../index.ts'
import { showError } from '../components/toasts.tsx'
import { useStoreChanges } from '../hooks/use-store-changes.ts'
import { client, TRACKING_URI } from '../lablog.ts'
import { appendSeries, dropSeries, loadSeries } from './downsampler.ts'
import type { SeriesStats } from './series-store.ts'

/** One metric of one run. */
export interface SeriesRef { runId: string; key: string }

/** The worker's id for a series. Run ids never contain a newline; keys may contain anything else. */
export const seriesIdOf = (ref: SeriesRef) => `${ref.runId}\n${ref.key}`

export interface MetricSeriesState {
  /** Stats per series id, once loaded. */
  stats: ReadonlyMap<string, SeriesStats>
  /** Bumped whenever any series gained points: charts re-sample on change. */
  version: number
  /** Milliseconds from the first request to every series loaded (for the benchmark and the status line). */
  loadMs: number | undefined
}

export function useMetricSeries(refs: readonly SeriesRef[], live: boolean): MetricSeriesState {
  const [stats, setStats] = useState<ReadonlyMap<string, SeriesStats>>(new Map())
  const [version, setVersion] = useState(0)
  const [loadMs, setLoadMs] = useState<number>()
  const loaded = useRef(new Map<string, { ref: SeriesRef; count: number }>())
  const busy = useRef<Promise<void>>(Promise.resolve())
  const idsKey = refs.map(seriesIdOf).sort().join('\u0000')

  const record = (id: string, ref: SeriesRef, next: SeriesStats) => {
    loaded.current.set(id, { ref, count: next.count })
    setStats(previous => new Map(previous).set(id, next))
  }

  // Load what is new, drop what is gone.
  useEffect(() => {
    const wanted = new Map(refs.map(ref => [seriesIdOf(ref), ref]))
    for (const id of [...loaded.current.keys()]) if (!wanted.has(id)) { loaded.current.delete(id); dropSeries(id) }
    const missing = [...wanted].filter(([id]) => !loaded.current.has(id))
    if (missing.length === 0) return
    const started = performance.now()
    let cancelled = false
    busy.current = busy.current.then(() => Promise.all(missing.map(async ([id, ref]) => {
      const columns = await client.getMetricColumns(ref.runId, ref.key)
      if (cancelled) return
      record(id, ref, await loadSeries(id, columns))
    }))).then(() => {
      if (!cancelled) { setLoadMs(performance.now() - started); setVersion(v => v + 1) }
    }, showError)
    return () => { cancelled = true }
    // The ids key stands for `refs`: a new array with the same series must not reload.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [idsKey])

  useEffect(() => () => { for (const id of loaded.current.keys()) dropSeries(id); loaded.current.clear() }, [])

  useStoreChanges(change => {
    if (!live || !change.metrics) return
    busy.current = busy.current.then(async () => {
      let grew = false
      for (const [id, { ref, count }] of loaded.current) {
        const tail = await getMetricColumnsTail(TRACKING_URI, ref.runId, ref.key, count)
        if (tail.from === 0) { record(id, ref, await loadSeries(id, tail.columns)); grew = true }
        else if (tail.columns.steps.length > 0) { record(id, ref, await appendSeries(id, tail.columns)); grew = true }
      }
      if (grew) setVersion(v => v + 1)
    }).catch(showError)
  }, 500)

  return { stats, version, loadMs }
}
