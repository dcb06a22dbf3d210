/** The runs of one experiment for the table: filtered by the library's search, live while training. */
import { useEffect, useRef, useState } from 'preact/hooks'
import type { Run, ViewType } from '../../index.ts'
import { filterErrorSpan } from '../errors.ts'
import { useStoreChanges } from '../hooks/use-store-changes.ts'
import { client } from '../lablog.ts'
import type { FilterError } from './filter-box.tsx'

/** MLflow's upper bound for one search_runs page. */
const PAGE_SIZE = 50_000

/** Every run of the experiments matching `filter`, following page tokens. */
export async function searchAllRuns(experimentIds: string[], filter: string, runViewType: ViewType): Promise<Run[]> {
  const runs: Run[] = []
  let pageToken: string | undefined
  do {
    const page = await client.searchRuns({ experimentIds, filter: filter || undefined, runViewType, maxResults: PAGE_SIZE, pageToken })
    runs.push(...page.runs)
    pageToken = page.nextPageToken
  } while (pageToken)
  return runs
}

export interface ExperimentRuns {
  runs: Run[] | undefined
  error: FilterError | string | undefined
  loading: boolean
  /** Milliseconds the last search took (shown, and read by the benchmark). */
  searchMs: number
  reload: () => void
}

/** Loads on change of experiment, filter or view; reloads quietly when runs change in the store. */
export function useExperimentRuns(experimentId: string, filter: string, viewType: ViewType): ExperimentRuns {
  const [state, setState] = useState<Omit<ExperimentRuns, 'reload'>>({ runs: undefined, error: undefined, loading: true, searchMs: 0 })
  const generation = useRef(0)
  const load = (quiet: boolean) => {
    const mine = ++generation.current
    if (!quiet) setState(previous => ({ ...previous, loading: true }))
    const started = performance.now()
    searchAllRuns([experimentId], filter, viewType).then(
      runs => { if (mine === generation.current) setState({ runs, error: undefined, loading: false, searchMs: performance.now() - started }) },
      error => {
        if (mine !== generation.current) return
        const span = filterErrorSpan(error)
        // A bad filter keeps the previous rows on screen, so the user keeps their bearings.
        setState(previous => ({ ...previous, error: span ?? String((error as Error)?.message ?? error), loading: false }))
      },
    )
  }
  useEffect(() => load(false), [experimentId, filter, viewType])
  useStoreChanges(change => { if (change.runs) load(true) }, 1000)
  return { ...state, reload: () => load(true) }
}
