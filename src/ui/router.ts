/** Hash routing: the app's pages as a typed Route, read from and written to `location.hash`. */
import { useEffect, useState } from 'preact/hooks'

/** The run page's tabs, addressable as #/runs/:id/:tab. */
export type RunTab = 'overview' | 'metrics' | 'artifacts'

export type Route =
  | { page: 'experiments'; experimentId?: string }
  | { page: 'run'; runId: string; tab: RunTab; artifactPath?: string }
  | { page: 'compare'; runIds: string[] }
  | { page: 'settings' }
  | { page: 'data'; runIds?: string[] }
  | { page: 'sync'; runIds?: string[] }
  | { page: 'models'; name?: string }
  | { page: 'train' }
  | { page: 'evaluate' }
  | { page: 'not-found'; hash: string }

const RUN_TABS: readonly RunTab[] = ['overview', 'metrics', 'artifacts']

/** Parses a hash such as `#/runs/abc/artifacts?path=model%2FMLmodel`. */
export function parseRoute(hash: string): Route {
  const [pathPart = '', query = ''] = hash.replace(/^#/, '').split('?')
  const params = new URLSearchParams(query)
  const parts = pathPart.split('/').filter(Boolean).map(decodeURIComponent)
  const [head, id, tab] = parts
  if (head === undefined || head === 'experiments') return id === undefined ? { page: 'experiments' } : { page: 'experiments', experimentId: id }
  if (head === 'runs' && id) {
    const runTab = RUN_TABS.find(name => name === tab) ?? 'overview'
    const artifactPath = params.get('path') ?? undefined
    return artifactPath ? { page: 'run', runId: id, tab: runTab, artifactPath } : { page: 'run', runId: id, tab: runTab }
  }
  if (head === 'compare') return { page: 'compare', runIds: (params.get('runs') ?? '').split(',').filter(Boolean) }
  if (head === 'settings') return { page: 'settings' }
  if (head === 'data' || head === 'sync') {
    // ?runs=a,b preselects runs to export or push (the runs table's selection bar links here).
    const runIds = (params.get('runs') ?? '').split(',').filter(Boolean)
    return runIds.length ? { page: head, runIds } : { page: head }
  }
  if (head === 'models') return id === undefined ? { page: 'models' } : { page: 'models', name: id }
  if (head === 'train' || head === 'evaluate') return { page: head }
  return { page: 'not-found', hash }
}

/** The hash (with leading #) of a route: the inverse of parseRoute. */
export function hrefFor(route: Route): string {
  switch (route.page) {
    case 'experiments': return route.experimentId === undefined ? '#/experiments' : `#/experiments/${encodeURIComponent(route.experimentId)}`
    case 'run': {
      const base = `#/runs/${encodeURIComponent(route.runId)}${route.tab === 'overview' ? '' : `/${route.tab}`}`
      return route.artifactPath ? `${base}?path=${encodeURIComponent(route.artifactPath)}` : base
    }
    case 'compare': return `#/compare?runs=${route.runIds.map(encodeURIComponent).join(',')}`
    case 'settings': return '#/settings'
    case 'data': case 'sync': return `#/${route.page}${route.runIds?.length ? `?runs=${route.runIds.map(encodeURIComponent).join(',')}` : ''}`
    case 'models': return route.name === undefined ? '#/models' : `#/models/${encodeURIComponent(route.name)}`
    case 'train': case 'evaluate': return `#/${route.page}`
    case 'not-found': return route.hash
  }
}

/** Goes to a route; `replace` keeps the browser history free of intermediate states. */
export function navigate(route: Route, options: { replace?: boolean } = {}): void {
  const href = hrefFor(route)
  if (options.replace) history.replaceState(null, '', href)
  else location.hash = href
  if (options.replace) window.dispatchEvent(new HashChangeEvent('hashchange'))
}

/** The current route, updated on every hash change. */
export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(location.hash))
  useEffect(() => {
    const update = () => setRoute(parseRoute(location.hash))
    window.addEventListener('hashchange', update)
    return () => window.removeEventListener('hashchange', update)
  }, [])
  return route
}
