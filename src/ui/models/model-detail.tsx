/** One registered model: its aliases, versions (stages, aliases, source runs and metrics), Try it, export and compare. */
import { useState } from 'preact/hooks'
import type { ModelVersion, RegisteredModel, Run } from '../../index.ts'
import { showToast } from '../components/toasts.tsx'
import { describeError } from '../errors.ts'
import { useAsync } from '../hooks/use-async.ts'
import { client } from '../lablog.ts'
import { hrefFor } from '../router.ts'
import { CompareVersions } from './compare-versions.tsx'
import { RegisterDialog } from './register-dialog.tsx'
import { TryItPanel } from './try-it-panel.tsx'
import { VersionsTable } from './versions-table.tsx'

interface ModelData { model: RegisteredModel; versions: ModelVersion[]; runs: Record<string, Run | undefined> }

/** The model, every version (newest first) and each version's source run, read together so the table renders once. */
async function readModel(name: string): Promise<ModelData> {
  const model = await client.getRegisteredModel(name)
  const versions: ModelVersion[] = []
  let pageToken: string | undefined
  do {
    const page = await client.searchModelVersions({ filter: `name = '${name.replaceAll("'", "''")}'`, maxResults: 1000, ...(pageToken ? { pageToken } : {}) })
    versions.push(...page.modelVersions)
    pageToken = page.nextPageToken
  } while (pageToken)
  versions.sort((x, y) => Number(y.version) - Number(x.version))
  const runs: Record<string, Run | undefined> = {}
  for (const runId of new Set(versions.map(version => version.runId).filter(Boolean))) runs[runId] = await client.getRun(runId).catch(() => undefined)
  return { model, versions, runs }
}

export function ModelDetail({ name }: { name: string }) {
  const data = useAsync(() => readModel(name), [name])
  const [registering, setRegistering] = useState(false)
  if (data.error) {
    return <div class="page-message"><h1>Model not found</h1><p class="muted">{describeError(data.error)}</p><a href="#/models">All models</a></div>
  }
  if (!data.value) return <div class="page-message muted" aria-busy="true">Loading…</div>
  const { model, versions, runs } = data.value
  const reload = () => data.reload(true)
  return (
    <section class="page" aria-labelledby="model-title">
      <nav class="breadcrumbs" aria-label="Breadcrumbs"><a href={hrefFor({ page: 'models' })}>Models</a><span aria-hidden="true">/</span></nav>
      <header class="page-header">
        <div class="page-title-block">
          <h1 id="model-title" class="page-title">{model.name}</h1>
          <p class="model-header-meta">
            <span>{versions.length} version{versions.length === 1 ? '' : 's'}</span>
            {model.aliases.map(alias => <span key={alias.alias} class="alias-chip">@{alias.alias} → v{alias.version}</span>)}
            {Object.entries(model.tags).map(([key, value]) => <span key={key} class="chip" title={`${key}: ${value}`}>{key}: {value}</span>)}
          </p>
          {model.description && <p class="muted">{model.description}</p>}
        </div>
        <div class="page-actions"><button type="button" class="button" onClick={() => setRegistering(true)}>Register new version</button></div>
      </header>
      <div class="section">
        <h2 class="section-head">Versions</h2>
        {versions.length === 0 ? <p class="muted">No versions yet.</p> : <VersionsTable name={model.name} versions={versions} runs={runs} onChanged={reload} />}
      </div>
      {versions.length > 0 && <TryItPanel name={model.name} versions={versions} aliases={model.aliases.map(alias => alias.alias)} />}
      {versions.length > 1 && <CompareVersions name={model.name} versions={versions} />}
      {registering && <RegisterDialog modelName={model.name} onClose={() => setRegistering(false)} onRegistered={version => {
        setRegistering(false)
        showToast(`Registered version ${version.version} of “${version.name}”.`)
        reload()
      }} />}
    </section>
  )
}
