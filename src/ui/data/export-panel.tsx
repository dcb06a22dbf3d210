/**
 * The Data page's export: the runs chosen in a runs table, or whole experiments, as an mlruns or an
 * mlflow-export-import zip, zipped in the archive worker with a progress bar and Cancel.
 */
import { useState } from 'preact/hooks'
import type { ArchiveFormat, ArchiveProgress, ExportImportLayout } from '../../index.ts'
import { ProgressBar } from '../components/progress-bar.tsx'
import { downloadBlob, timestampedName } from '../download.ts'
import { useAsync } from '../hooks/use-async.ts'
import { useLongTask } from '../hooks/use-long-task.ts'
import { client } from '../lablog.ts'
import { hrefFor } from '../router.ts'
import { archives, describeArchiveProgress } from './archives.ts'

type Scope = 'runs' | 'experiments'

/** `runIds` come from the runs table's "Export" (via #/data?runs=…); without them the user picks experiments. */
export function ExportPanel({ runIds = [] }: { runIds?: string[] }) {
  const [scope, setScope] = useState<Scope>(runIds.length ? 'runs' : 'experiments')
  const [chosenExperiments, setChosenExperiments] = useState<ReadonlySet<string>>(new Set())
  const [format, setFormat] = useState<ArchiveFormat>('mlruns')
  const [layout, setLayout] = useState<ExportImportLayout>('released')
  const [includeArtifacts, setIncludeArtifacts] = useState(true)
  const task = useLongTask<ArchiveProgress, { fileName: string; size: number }>()
  const { running, outcome } = task

  const experiments = useAsync(async () => (await client.searchExperiments({ maxResults: 1000 })).experiments, [])
  const runs = useAsync(() => Promise.all(runIds.map(id => client.getRun(id).catch(() => undefined))), [runIds.join(',')])
  const foundRuns = (runs.value ?? []).filter(run => run !== undefined)

  const toggleExperiment = (id: string) => {
    const next = new Set(chosenExperiments)
    if (next.has(id)) next.delete(id)
    else next.add(id)
    setChosenExperiments(next)
  }

  const ready = scope === 'runs' ? foundRuns.length > 0 : chosenExperiments.size > 0
  const start = () => task.start(async (signal, onProgress) => {
    const zip = await archives.exportArchiveBlob({
      ...(scope === 'runs' ? { runIds: foundRuns.map(run => run.info.runId) } : { experimentIds: [...chosenExperiments] }),
      format, exportImportLayout: layout, includeArtifacts, onProgress, signal,
    })
    const fileName = timestampedName(format === 'mlruns' ? 'lablog-mlruns' : 'lablog-export-import')
    downloadBlob(zip, fileName)
    return { fileName, size: zip.size }
  })
  const { fraction, detail } = describeArchiveProgress('Export', task.progress)

  return (
    <div class="settings-section card tool-card">
      <h2 id="export-title">Export</h2>
      <p class="muted">A zip that MLflow opens as it is (<code>mlruns</code>, for <code>mlflow ui</code>) or that mlflow-export-import loads into a tracking server.</p>
      <fieldset class="field option-group" disabled={running}>
        <legend class="field-label">What to export</legend>
        <label class="check-label"><input type="radio" name="export-scope" checked={scope === 'runs'} disabled={!runIds.length} onChange={() => setScope('runs')} />
          <span>Selected runs{runIds.length ? ` (${runIds.length})` : ''}</span></label>
        {scope === 'runs' && (
          <ul class="chosen-runs" aria-label="Runs to export">
            {runs.value === undefined ? <li class="muted">Reading runs…</li> : runIds.map((id, index) => {
              const run = runs.value?.[index]
              return <li key={id}>{run ? <a href={hrefFor({ page: 'run', runId: id, tab: 'overview' })}>{run.info.runName || id}</a> : <span class="form-error">Run {id} no longer exists</span>}</li>
            })}
          </ul>
        )}
        {!runIds.length && <p class="muted field-hint">To export particular runs, select them in an experiment's runs table and press Export.</p>}
        <label class="check-label"><input type="radio" name="export-scope" checked={scope === 'experiments'} onChange={() => setScope('experiments')} /><span>Whole experiments</span></label>
        {scope === 'experiments' && (
          <div class="experiment-checks" role="group" aria-label="Experiments to export">
            {experiments.value?.map(experiment => (
              <label key={experiment.experimentId} class="check-label">
                <input type="checkbox" checked={chosenExperiments.has(experiment.experimentId)} onChange={() => toggleExperiment(experiment.experimentId)} />
                <span>{experiment.name}</span>
              </label>
            )) ?? <p class="muted">Reading experiments…</p>}
          </div>
        )}
      </fieldset>
      <fieldset class="field option-group" disabled={running}>
        <legend class="field-label">Layout</legend>
        <label class="check-label"><input type="radio" name="export-format" checked={format === 'mlruns'} onChange={() => setFormat('mlruns')} />
          <span><strong>mlruns</strong> — MLflow's file store; open with <code>mlflow ui</code></span></label>
        <label class="check-label"><input type="radio" name="export-format" checked={format === 'export-import'} onChange={() => setFormat('export-import')} />
          <span><strong>export-import</strong> — for mlflow-export-import's <code>import-experiments</code></span></label>
        {format === 'export-import' && (
          <label class="field nested-field">
            <span class="field-label">Run folders</span>
            <select class="input" value={layout} onChange={event => setLayout(event.currentTarget.value as ExportImportLayout)}>
              <option value="released">Released tool (PyPI 1.2.0): &lt;experiment&gt;/&lt;run&gt;/</option>
              <option value="runs-subfolder">GitHub master: &lt;experiment&gt;/runs/&lt;run&gt;/</option>
            </select>
          </label>
        )}
        <label class="check-label"><input type="checkbox" checked={includeArtifacts} onChange={event => setIncludeArtifacts(event.currentTarget.checked)} /><span>Include artifacts (models, plots, files)</span></label>
      </fieldset>
      <div class="settings-row">
        <button type="button" class="button button-primary" disabled={!ready || running} onClick={start}>Export zip</button>
        {!ready && !running && <span class="muted">{scope === 'runs' ? 'No runs selected.' : 'Choose at least one experiment.'}</span>}
      </div>
      {running && <ProgressBar label="Export progress" fraction={fraction} detail={detail} onCancel={task.cancel} cancelling={task.cancelling} />}
      {outcome?.kind === 'done' && <p class="result-box result-ok" role="status">Saved <strong>{outcome.value.fileName}</strong> ({(outcome.value.size / 1_048_576).toFixed(2)} MB).</p>}
      {outcome?.kind === 'cancelled' && <p class="result-box" role="status">Export cancelled; no file was saved.</p>}
      {outcome?.kind === 'error' && <p class="result-box result-error" role="alert">Export failed: {outcome.message}</p>}
    </div>
  )
}
