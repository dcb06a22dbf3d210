/** The experiments sidebar: search, create, the active list or the deleted list with restore. */
import { useState } from 'preact/hooks'
import type { Experiment } from '../../index.ts'
import { showError, showToast } from '../components/toasts.tsx'
import { useAsync } from '../hooks/use-async.ts'
import { useStoreChanges } from '../hooks/use-store-changes.ts'
import { client } from '../lablog.ts'
import { hrefFor, navigate } from '../router.ts'
import { CreateExperimentDialog } from './experiment-dialog.tsx'

async function listExperiments(deleted: boolean): Promise<Experiment[]> {
  const experiments: Experiment[] = []
  let pageToken: string | undefined
  do {
    const page = await client.searchExperiments({ viewType: deleted ? 'DELETED_ONLY' : 'ACTIVE_ONLY', maxResults: 1000, pageToken })
    experiments.push(...page.experiments)
    pageToken = page.nextPageToken
  } while (pageToken)
  // The Default experiment first, then by name, as users scan for names.
  return experiments.sort((a, b) => (a.experimentId === '0' ? -1 : b.experimentId === '0' ? 1 : a.name.localeCompare(b.name)))
}

export function ExperimentSidebar({ activeId }: { activeId: string | undefined }) {
  const [showDeleted, setShowDeleted] = useState(false)
  const [query, setQuery] = useState('')
  const [creating, setCreating] = useState(false)
  const experiments = useAsync(() => listExperiments(showDeleted), [showDeleted])
  useStoreChanges(change => { if (change.experiments) experiments.reload(true) })

  const needle = query.trim().toLowerCase()
  const shown = (experiments.value ?? []).filter(experiment => !needle || experiment.name.toLowerCase().includes(needle))

  const restore = async (experiment: Experiment) => {
    try {
      await client.restoreExperiment(experiment.experimentId)
      showToast(`Restored “${experiment.name}”`)
      experiments.reload(true)
    } catch (error) { showError(error) }
  }

  return (
    <nav class="sidebar" aria-label="Experiments">
      <div class="sidebar-head">
        <h2 class="sidebar-title">{showDeleted ? 'Deleted experiments' : 'Experiments'}</h2>
        {!showDeleted && (
          <button type="button" class="icon-button" aria-label="Create experiment" title="Create experiment" onClick={() => setCreating(true)}>+</button>
        )}
      </div>
      <input class="input input-small" type="search" placeholder="Search experiments" aria-label="Search experiments"
        value={query} onInput={event => setQuery(event.currentTarget.value)} />
      <ul class="experiment-list">
        {shown.map(experiment => (
          <li key={experiment.experimentId}>
            {showDeleted ? (
              <div class="experiment-item experiment-item-deleted">
                <span class="experiment-name" title={experiment.name}>{experiment.name}</span>
                <button type="button" class="button button-small" onClick={() => restore(experiment)} aria-label={`Restore ${experiment.name}`}>Restore</button>
              </div>
            ) : (
              <a class="experiment-item" href={hrefFor({ page: 'experiments', experimentId: experiment.experimentId })}
                aria-current={experiment.experimentId === activeId ? 'page' : undefined} title={experiment.name}>
                <span class="experiment-name">{experiment.name}</span>
              </a>
            )}
          </li>
        ))}
        {experiments.value && shown.length === 0 && <li class="muted sidebar-empty">{needle ? 'No match.' : showDeleted ? 'Nothing deleted.' : 'No experiments.'}</li>}
      </ul>
      <button type="button" class="link-button sidebar-switch" aria-pressed={showDeleted} onClick={() => setShowDeleted(!showDeleted)}>
        {showDeleted ? '← Active experiments' : 'Deleted experiments'}
      </button>
      {creating && <CreateExperimentDialog onClose={() => setCreating(false)} onCreated={id => {
        experiments.reload(true)
        navigate({ page: 'experiments', experimentId: id })
      }} />}
    </nav>
  )
}
