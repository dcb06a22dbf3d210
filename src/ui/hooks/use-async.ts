/** Loading state for async reads: value, error and a reload, with stale answers dropped. */
import { useCallback, useEffect, useRef, useState } from 'preact/hooks'

export interface AsyncState<T> {
  value: T | undefined
  error: unknown
  loading: boolean
  /** Runs the read again; `quiet` keeps showing the current value meanwhile (live updates). */
  reload: (quiet?: boolean) => void
}

/** Runs `read` when `deps` change; an answer that arrives after a newer request is ignored. */
export function useAsync<T>(read: () => Promise<T>, deps: unknown[]): AsyncState<T> {
  const [state, setState] = useState<{ value: T | undefined; error: unknown; loading: boolean }>({ value: undefined, error: undefined, loading: true })
  const generation = useRef(0)
  const readRef = useRef(read)
  readRef.current = read
  const reload = useCallback((quiet = false) => {
    const mine = ++generation.current
    if (!quiet) setState(previous => ({ ...previous, loading: true }))
    readRef.current().then(
      value => { if (generation.current === mine) setState({ value, error: undefined, loading: false }) },
      error => { if (generation.current === mine) setState(previous => ({ value: quiet ? previous.value : undefined, error, loading: false })) },
    )
  }, [])
  // eslint-disable-next-line react-hooks/exhaustive-deps
  useEffect(() => reload(), deps)
  return { ...state, reload }
}
