/** Pull: a remote experiment's runs, by name, into the local store with pullRuns (pulling again adds only what is new). */
import { useState } from 'preact/hooks'
import { type PullProgress, type PulledRun, pullRuns } from '../../index.ts'
import { ProgressBar } from '../components/progress-bar.tsx'
import { useLongTask } from '../hooks/use-long-task.ts'
import { hrefFor } from '../router.ts'
import { type RemoteServer, configureServer } from './servers.ts'

function describePull(progress: PullProgress | undefined): { fraction: number | undefined; detail: string } {
  if (!progress || progress.phase === 'search') return { fraction: undefined, detail: 'Searching the server for runs…' }
  const { runsDone, runCount, pointsReceived, artifactsReceived } = progress
  return {
    fraction: runCount ? runsDone / runCount : undefined,
    detail: `${runsDone} of ${runCount} runs pulled · ${pointsReceived.toLocaleString()} metric points · ${artifactsReceived} artifact files`,
  }
}

export function PullPanel({ server }: { server: RemoteServer | undefined }) {
  const [experimentName, setExperimentName] = useState('')
  const [filter, setFilter] = useState('')
  const [includeArtifacts, setIncludeArtifacts] = useState(true)
  const task = useLongTask<PullProgress, { pulled: PulledRun[]; experimentName: string }>()
  const { running, outcome } = task

  const pull = (event: Event) => {
    event.preventDefault()
    const name = experimentName.trim()
    if (!server || !name) return
    void task.start(async (signal, onProgress) => {
      configureServer(server)
      const pulled = await pullRuns({
        from: server.url, experimentNames: [name], ...(filter.trim() ? { filter: filter.trim() } : {}), includeArtifacts, onProgress, signal,
      })
      return { pulled, experimentName: name }
    })
  }
  const { fraction, detail } = describePull(task.progress)
  const localExperiment = outcome?.kind === 'done' ? outcome.value.pulled[0]?.localExperimentId : undefined

  return (
    <form class="settings-section card tool-card" onSubmit={pull} aria-labelledby="pull-title">
      <h2 id="pull-title">Pull runs</h2>
      <p class="muted">Brings a server experiment's runs here, for offline viewing beside local runs. They keep the server's run ids.</p>
      <fieldset class="option-group field" disabled={running}>
        <label class="field">
          <span class="field-label">Experiment name on the server</span>
          <input class="input" name="pullExperiment" value={experimentName} placeholder="e.g. GradientBoss" onInput={event => setExperimentName(event.currentTarget.value)} />
        </label>
        <label class="field">
          <span class="field-label">Only runs matching (optional, MLflow search syntax)</span>
          <input class="input mono" value={filter} placeholder="metrics.acc > 0.9" onInput={event => setFilter(event.currentTarget.value)} />
        </label>
        <label class="check-label"><input type="checkbox" checked={includeArtifacts} onChange={event => setIncludeArtifacts(event.currentTarget.checked)} /><span>Include artifacts</span></label>
      </fieldset>
      <div class="settings-row">
        <button type="submit" class="button button-primary" disabled={!server || running || !experimentName.trim()}>Pull{server ? ` from ${server.name}` : ''}</button>
        {!server && <span class="muted">Add a server first.</span>}
      </div>
      {running && <ProgressBar label="Pull progress" fraction={fraction} detail={detail} onCancel={task.cancel} cancelling={task.cancelling} />}
      {outcome?.kind === 'done' && (
        <div class="result-box result-ok" role="status" aria-label="Pull result">
          <p><strong>Pulled {outcome.value.pulled.length} run{outcome.value.pulled.length === 1 ? '' : 's'}</strong> of “{outcome.value.experimentName}”
            {' '}({outcome.value.pulled.filter(run => run.created).length} new, {outcome.value.pulled.filter(run => !run.created && !run.skipped).length} updated
            {outcome.value.pulled.some(run => run.skipped) ? `, ${outcome.value.pulled.filter(run => run.skipped).length} left alone because deleted here` : ''}).</p>
          {localExperiment !== undefined && <p><a href={hrefFor({ page: 'experiments', experimentId: localExperiment })}>Open the experiment</a></p>}
        </div>
      )}
      {outcome?.kind === 'cancelled' && <p class="result-box" role="status">Pull cancelled. Runs pulled so far are kept; pulling again continues.</p>}
      {outcome?.kind === 'error' && <p class="result-box result-error" role="alert"><strong>Pull failed.</strong> {outcome.message}</p>}
    </form>
  )
}
