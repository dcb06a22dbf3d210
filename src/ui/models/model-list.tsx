/** The registered models, searchable by name, with their latest version and aliases; "Register model" from a run. */
import { useState } from 'preact/hooks'
import type { RegisteredModel } from '../../index.ts'
import { showToast } from '../components/toasts.tsx'
import { describeError } from '../errors.ts'
import { formatAgo } from '../format.ts'
import { useAsync } from '../hooks/use-async.ts'
import { client } from '../lablog.ts'
import { hrefFor, navigate } from '../router.ts'
import { RegisterDialog } from './register-dialog.tsx'

/** MLflow's filter for a name search: case-insensitive ILIKE, quotes doubled (a % or _ typed acts as a wildcard, as in MLflow). */
const nameFilter = (text: string) => (text.trim() ? `name ILIKE '%${text.trim().replaceAll("'", "''")}%'` : undefined)

const latestVersion = (model: RegisteredModel) => Math.max(0, ...model.latestVersions.map(version => Number(version.version)))

export function ModelList() {
  const [query, setQuery] = useState('')
  const [registering, setRegistering] = useState(false)
  const filter = nameFilter(query)
  const models = useAsync(async () => (await client.searchRegisteredModels({ ...(filter ? { filter } : {}), maxResults: 1000, orderBy: ['name ASC'] })).registeredModels, [filter])

  return (
    <section class="page" aria-labelledby="models-title">
      <header class="page-header">
        <div class="page-title-block">
          <h1 id="models-title">Models</h1>
          <p class="page-meta"><span>The model registry: named models, their versions, aliases and stages, served offline at <code>/serve/&lt;name&gt;/&lt;version | @alias&gt;/invocations</code>.</span></p>
        </div>
        <div class="page-actions"><button type="button" class="button button-primary" onClick={() => setRegistering(true)}>Register model</button></div>
      </header>
      <div class="toolbar">
        <input class="input model-search" type="search" aria-label="Search models by name" placeholder="Search models by name…" value={query} onInput={event => setQuery(event.currentTarget.value)} />
      </div>
      {models.error ? <p class="form-error" role="alert">{describeError(models.error)}</p>
        : models.value === undefined ? <p class="muted" aria-busy="true">Loading…</p>
          : models.value.length === 0 ? (
            <div class="card empty-state">
              <p><strong>{query ? 'No model matches.' : 'No registered models yet.'}</strong></p>
              {!query && <p class="muted">Log a model from a run (<code>mlflow.tfjs.logModel</code>, or training with autolog), then register it here or from the run's artifacts (open its <code>MLmodel</code> and press Register model).</p>}
            </div>
          ) : (
            <table class="data-table model-list-table" aria-label="Registered models">
              <thead><tr><th scope="col">Name</th><th scope="col" class="num">Latest</th><th scope="col">Aliases</th><th scope="col">Description</th><th scope="col">Updated</th></tr></thead>
              <tbody>
                {models.value.map(model => (
                  <tr key={model.name}>
                    <td><a href={hrefFor({ page: 'models', name: model.name })}>{model.name}</a></td>
                    <td class="num">{latestVersion(model) || '—'}</td>
                    <td>{model.aliases.length ? model.aliases.map(alias => <span key={alias.alias} class="alias-chip">@{alias.alias} → v{alias.version}</span>) : <span class="muted">—</span>}</td>
                    <td title={model.description}>{model.description || <span class="muted">—</span>}</td>
                    <td title={new Date(model.lastUpdatedTimestamp).toLocaleString()}>{formatAgo(model.lastUpdatedTimestamp)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
      {registering && <RegisterDialog onClose={() => setRegistering(false)} onRegistered={version => {
        setRegistering(false)
        showToast(`Registered “${version.name}” version ${version.version}.`)
        navigate({ page: 'models', name: version.name })
      }} />}
    </section>
  )
}
