/** The app shell: top bar, experiments sidebar, and the page the hash route names. */
import { useEffect, useState } from 'preact/hooks'
import { lazyPage } from './components/lazy-page.tsx'
import { Toasts } from './components/toasts.tsx'
import { UpdatePrompt } from './components/update-prompt.tsx'
import { ExperimentSidebar } from './experiments/experiment-sidebar.tsx'
import { ComparePage } from './pages/compare-page.tsx'
import { DataPage } from './pages/data-page.tsx'
import { ExperimentPage } from './pages/experiment-page.tsx'
import { RunPage } from './pages/run-page.tsx'
import { SettingsPage } from './pages/settings-page.tsx'
import { PREF, readPref, usePref } from './prefs.ts'
import { type Route, navigate, useRoute } from './router.ts'

// Loaded on first visit: they bring the registry, serving, sync and evaluation UI, which the shell does not need.
const ModelsPage = lazyPage(() => import('./pages/models-page.tsx').then(module => module.ModelsPage))
const SyncPage = lazyPage(() => import('./pages/sync-page.tsx').then(module => module.SyncPage))
// Train and Evaluate bring the worker bridges and their forms.
const TrainPage = lazyPage(() => import('./pages/train-page.tsx').then(module => module.TrainPage))
const EvaluatePage = lazyPage(() => import('./pages/evaluate-page.tsx').then(module => module.EvaluatePage))

function useOnline(): boolean {
  const [online, setOnline] = useState(navigator.onLine)
  useEffect(() => {
    const update = () => setOnline(navigator.onLine)
    window.addEventListener('online', update)
    window.addEventListener('offline', update)
    return () => { window.removeEventListener('online', update); window.removeEventListener('offline', update) }
  }, [])
  return online
}

function Page({ route }: { route: Route }) {
  switch (route.page) {
    case 'experiments': return route.experimentId === undefined ? null : <ExperimentPage key={route.experimentId} experimentId={route.experimentId} />
    case 'run': return <RunPage key={route.runId} runId={route.runId} tab={route.tab} artifactPath={route.artifactPath} />
    case 'compare': return <ComparePage runIds={route.runIds} />
    case 'settings': return <SettingsPage />
    case 'data': return <DataPage runIds={route.runIds} />
    case 'sync': return <SyncPage runIds={route.runIds} />
    case 'models': return <ModelsPage key={route.name} name={route.name} />
    case 'train': return <TrainPage />
    case 'evaluate': return <EvaluatePage />
    case 'not-found': return <div class="page-message"><h1>Page not found</h1><a href="#/experiments">Go to experiments</a></div>
  }
}

export function App() {
  const route = useRoute()
  const online = useOnline()
  // #/ and #/experiments open the experiment the user last had open.
  useEffect(() => {
    if (route.page === 'experiments' && route.experimentId === undefined) {
      navigate({ page: 'experiments', experimentId: readPref(PREF.activeExperiment, '0') }, { replace: true })
    }
  }, [route])
  const section = route.page === 'settings' || route.page === 'data' || route.page === 'sync' || route.page === 'models' || route.page === 'train' || route.page === 'evaluate' ? route.page : 'experiments'
  const [rememberedExperiment] = usePref<string | undefined>(PREF.activeExperiment, undefined)
  const activeExperiment = route.page === 'experiments' ? route.experimentId : rememberedExperiment
  useEffect(() => {
    const titles: Record<string, string> = { settings: 'Settings', data: 'Data', sync: 'Sync', models: 'Models', train: 'Train', evaluate: 'Evaluate', compare: 'Compare runs', run: 'Run' }
    document.title = titles[route.page] ? `${titles[route.page]} · Lablog` : 'Lablog'
  }, [route.page])

  return (
    <div class="app">
      <a class="skip-link" href="#main">Skip to content</a>
      <header class="topbar">
        <a class="brand" href="#/experiments" aria-label="Lablog home">
          <img src="/icons/icon.svg" alt="" width="22" height="22" />
          <span>Lablog</span>
        </a>
        <nav class="topnav" aria-label="Main">
          <a href="#/experiments" aria-current={section === 'experiments' ? 'page' : undefined}>Experiments</a>
          <a href="#/train" aria-current={section === 'train' ? 'page' : undefined}>Train</a>
          <a href="#/evaluate" aria-current={section === 'evaluate' ? 'page' : undefined}>Evaluate</a>
          <a href="#/models" aria-current={section === 'models' ? 'page' : undefined}>Models</a>
          <a href="#/data" aria-current={section === 'data' ? 'page' : undefined}>Data</a>
          <a href="#/sync" aria-current={section === 'sync' ? 'page' : undefined}>Sync</a>
          <a href="#/settings" aria-current={section === 'settings' ? 'page' : undefined}>Settings</a>
        </nav>
        <span class={online ? 'net-status' : 'net-status offline'} role="status">{online ? '' : 'Offline'}</span>
      </header>
      <div class="layout">
        {section === 'experiments' && <ExperimentSidebar activeId={activeExperiment} />}
        <main id="main" class="main" tabIndex={-1}>
          <Page route={route} />
        </main>
      </div>
      <UpdatePrompt />
      <Toasts />
    </div>
  )
}
