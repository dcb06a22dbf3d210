/**
 * Push: local runs (from the runs table's selection, or picked here) to a remote MLflow server with
 * pushRuns — resumable and idempotent, so a cancelled or failed push is simply pressed again.
 */
import { useState } from 'preact/hooks'
import { type PushProgress, type PushedRun, pushRuns } from '../../index.ts'
import { ProgressBar } from '../components/progress-bar.tsx'
import { useAsync } from '../hooks/use-async.ts'
import { useLongTask } from '../hooks/use-long-task.ts'
import { client } from '../lablog.ts'
import { hrefFor } from '../router.ts'
import { RunPicker } from './run-picker.tsx'
import { type RemoteServer, configureServer } from './servers.ts'

function describePush(progress: PushProgress | undefined): { fraction: number | undefined; detail: string } {
  if (!progress) return { fraction: undefined, detail: 'Starting…' }
  const { runsDone, runCount, pointsSent, artifactsSent } = progress
  const fraction = runCount ? Math.min(1, (runsDone + (progress.phase === 'done' ? 0 : 0.5)) / runCount) : undefined
  return { fraction, detail: `${runsDone} of ${runCount} runs pushed · ${pointsSent.toLocaleString()} metric points · ${artifactsSent} artifact files` }
}

export function PushPanel({ server, runIds = [] }: { server: RemoteServer | undefined; runIds?: string[] }) {
  const [picked, setPicked] = useState<ReadonlySet<string>>(new Set())
  const [useSelection, setUseSelection] = useState(runIds.length > 0)
  const [includeArtifacts, setIncludeArtifacts] = useState(true)
  const task = useLongTask<PushProgress, PushedRun[]>()
  const { running, outcome } = task
  const selectionRuns = useAsync(() => Promise.all(runIds.map(id => client.getRun(id).catch(() => undefined))), [runIds.join(',')])

  const toPush = useSelection ? runIds : [...picked]
  const push = () => {
    if (!server) return
    void task.start((signal, onProgress) => {
      configureServer(server)
      return pushRuns({ runIds: toPush, to: server.url, includeArtifacts, onProgress, signal })
    })
  }
  const { fraction, detail } = describePush(task.progress)

  return (
    <div class="settings-section card tool-card">
      <h2>Push runs</h2>
      <p class="muted">Copies runs, with their metrics, params, tags, artifacts and registered model versions, to the server. Pushing again sends only what changed.</p>
      <fieldset class="field option-group" disabled={running}>
        <legend class="field-label">Runs</legend>
        {runIds.length > 0 && <>
          <label class="check-label"><input type="radio" name="push-runs" checked={useSelection} onChange={() => setUseSelection(true)} />
            <span>Selected in the runs table ({runIds.length})</span></label>
          {useSelection && (
            <ul class="chosen-runs" aria-label="Runs to push">
              {runIds.map((id, index) => {
                const run = selectionRuns.value?.[index]
                return <li key={id}><a href={hrefFor({ page: 'run', runId: id, tab: 'overview' })}>{run?.info.runName || id}</a></li>
              })}
            </ul>
          )}
          <label class="check-label"><input type="radio" name="push-runs" checked={!useSelection} onChange={() => setUseSelection(false)} /><span>Pick runs</span></label>
        </>}
        {!useSelection && <RunPicker selected={picked} onChange={setPicked} disabled={running} />}
        <label class="check-label"><input type="checkbox" checked={includeArtifacts} onChange={event => setIncludeArtifacts(event.currentTarget.checked)} /><span>Include artifacts</span></label>
      </fieldset>
      <div class="settings-row">
        <button type="button" class="button button-primary" disabled={!server || running || toPush.length === 0} onClick={push}>
          Push {toPush.length || ''} run{toPush.length === 1 ? '' : 's'}{server ? ` to ${server.name}` : ''}
        </button>
        {!server && <span class="muted">Add a server first.</span>}
      </div>
      {running && <ProgressBar label="Push progress" fraction={fraction} detail={detail} onCancel={task.cancel} cancelling={task.cancelling} />}
      {outcome?.kind === 'done' && (
        <div class="result-box result-ok" role="status" aria-label="Push result">
          <p><strong>Pushed {outcome.value.length} run{outcome.value.length === 1 ? '' : 's'}</strong> to {server?.url}.</p>
          <ul class="result-list">
            {outcome.value.map(run => (
              <li key={run.localRunId}>
                <code>{run.localRunId.slice(0, 8)}</code> → remote run <code>{run.remoteRunId}</code> in experiment {run.remoteExperimentId}
                {run.created ? ' (new)' : ' (updated)'} · {run.pointsSent.toLocaleString()} points, {run.artifactsSent} files
              </li>
            ))}
          </ul>
        </div>
      )}
      {outcome?.kind === 'cancelled' && <p class="result-box" role="status">Push cancelled. Runs sent so far stay on the server; pushing again continues where it stopped.</p>}
      {outcome?.kind === 'error' && <p class="result-box result-error" role="alert"><strong>Push failed.</strong> {outcome.message}</p>}
    </div>
  )
}
