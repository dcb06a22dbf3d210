/**
 * A registered model's versions: stage (transition), aliases (set, move, delete), the source run with
 * its latest metrics, and when each was made. Every change goes through the registry client, then reloads.
 */
import { useState } from 'preact/hooks'
import { MODEL_VERSION_STAGES, type ModelVersion, type Run } from '../../index.ts'
import { showError, showToast } from '../components/toasts.tsx'
import { formatAgo, formatNumber } from '../format.ts'
import { client } from '../lablog.ts'
import { hrefFor } from '../router.ts'

export interface VersionsTableProps {
  name: string
  versions: ModelVersion[]
  /** Source runs by id (missing when deleted or not local). */
  runs: Record<string, Run | undefined>
  onChanged: () => void
}

/** MLflow's alias rule, checked here so the user sees it before the request: letters, digits, _ and -, not "latest" or v<digits>. */
function aliasProblem(alias: string): string | undefined {
  if (!/^[\w-]{1,255}$/.test(alias)) return 'Use letters, digits, _ and - only.'
  if (/^(latest|v\d+)$/i.test(alias)) return `“${alias}” is reserved by MLflow.`
  return undefined
}

export function VersionsTable({ name, versions, runs, onChanged }: VersionsTableProps) {
  const act = async (work: () => Promise<unknown>, message: string) => {
    try { await work(); showToast(message); onChanged() } catch (error) { showError(error) }
  }
  return (
    <table class="data-table versions-table" aria-label="Versions">
      <thead><tr>
        <th scope="col" style={{ width: '72px' }}>Version</th><th scope="col" style={{ width: '150px' }}>Stage</th><th scope="col" style={{ width: '230px' }}>Aliases</th>
        <th scope="col">Source run and metrics</th><th scope="col" style={{ width: '100px' }}>Registered</th>
      </tr></thead>
      <tbody>
        {versions.map(version => (
          <tr key={version.version} data-version={version.version}>
            <th scope="row">v{version.version}</th>
            <td>
              <select class="input" aria-label={`Stage of version ${version.version}`} value={version.currentStage}
                onChange={event => { const stage = event.currentTarget.value; void act(() => client.transitionModelVersionStage(name, version.version, stage), `Version ${version.version} moved to ${stage}.`) }}>
                {MODEL_VERSION_STAGES.map(stage => <option key={stage} value={stage}>{stage}</option>)}
              </select>
            </td>
            <td>
              {version.aliases.map(alias => (
                <span key={alias} class="alias-chip">@{alias}
                  <button type="button" class="icon-button" aria-label={`Delete alias ${alias}`}
                    onClick={() => act(() => client.deleteRegisteredModelAlias(name, alias), `Alias @${alias} deleted.`)}>×</button>
                </span>
              ))}
              <AliasForm version={version.version} onSet={alias => act(() => client.setRegisteredModelAlias(name, alias, version.version), `@${alias} now points at version ${version.version}.`)} />
            </td>
            <td><SourceRun version={version} run={version.runId ? runs[version.runId] : undefined} /></td>
            <td title={new Date(version.creationTimestamp).toLocaleString()}>{formatAgo(version.creationTimestamp)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  )
}

/** Setting an alias that another version holds moves it here (MLflow's semantics). */
function AliasForm({ version, onSet }: { version: string; onSet: (alias: string) => void }) {
  const [alias, setAlias] = useState('')
  const [problem, setProblem] = useState<string>()
  const submit = (event: Event) => {
    event.preventDefault()
    const trimmed = alias.trim()
    const issue = trimmed ? aliasProblem(trimmed) : 'Enter an alias.'
    setProblem(issue)
    if (issue) return
    onSet(trimmed)
    setAlias('')
  }
  return (
    <form class="alias-form" onSubmit={submit}>
      <input class="input input-small" aria-label={`New alias for version ${version}`} placeholder="alias" value={alias} onInput={event => setAlias(event.currentTarget.value)} />
      <button type="submit" class="button button-small">Set</button>
      {problem && <span class="form-error" role="alert">{problem}</span>}
    </form>
  )
}

const METRICS_SHOWN = 6

function SourceRun({ version, run }: { version: ModelVersion; run: Run | undefined }) {
  if (!version.runId) return <span class="muted" title={version.source}>Not from a run: <code>{version.source}</code></span>
  if (!run) return <span class="muted">Run <code>{version.runId.slice(0, 8)}</code> is not in this browser</span>
  const metrics = Object.entries(run.data.metrics).sort(([a], [b]) => a.localeCompare(b))
  return (
    <div>
      <a href={hrefFor({ page: 'run', runId: run.info.runId, tab: 'overview' })}>{run.info.runName || run.info.runId}</a>
      <div class="metric-list" aria-label={`Metrics of the source run of version ${version.version}`}>
        {metrics.length === 0 ? <span class="muted">no metrics</span> : metrics.slice(0, METRICS_SHOWN).map(([key, value]) => <span key={key} title={String(value)}>{key} {formatNumber(value)}</span>)}
        {metrics.length > METRICS_SHOWN && <a href={hrefFor({ page: 'run', runId: run.info.runId, tab: 'metrics' })}>+{metrics.length - METRICS_SHOWN} more</a>}
      </div>
    </div>
  )
}
