/** Pages loaded on first visit (dynamic import), so the app shell stays small; shows loading and load errors. */
import type { ComponentType, FunctionComponent } from 'preact'
import { useEffect, useState } from 'preact/hooks'
import { describeError } from '../errors.ts'

/**
 * A component that imports its page on first render and renders it with the same props. A failed
 * load (offline before the chunk was cached, say) shows the error and is tried again on the next visit.
 */
export function lazyPage<P extends object>(load: () => Promise<ComponentType<P>>): FunctionComponent<P> {
  let loaded: ComponentType<P> | undefined
  let pending: Promise<ComponentType<P>> | undefined
  return function LazyPage(props: P) {
    const [, setVersion] = useState(0)
    const [error, setError] = useState<unknown>()
    useEffect(() => {
      if (loaded) return
      let live = true
      ;(pending ??= load()).then(
        component => { loaded = component; if (live) setVersion(version => version + 1) },
        caught => { pending = undefined; if (live) setError(caught) },
      )
      return () => { live = false }
    }, [])
    if (error) return <div class="page-message" role="alert"><h1>This page could not be loaded</h1><p class="muted">{describeError(error)}</p></div>
    if (!loaded) return <div class="page-message muted" aria-busy="true">Loading…</div>
    const Page = loaded
    return <Page {...props} />
  }
}
