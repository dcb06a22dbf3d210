/**
 * The Data page's import: an mlruns or mlflow-export-import zip (layout detected) from a file picker or
 * dropped on the page, read in the archive worker, all or nothing, with progress, Cancel and the result.
 */
import { useRef, useState } from 'preact/hooks'
import { type ArchiveProgress, type ImportArchiveResult, type RunConflictPolicy, isMlflowError } from '../../index.ts'
import { ProgressBar } from '../components/progress-bar.tsx'
import { describeError, isQuotaError } from '../errors.ts'
import { formatBytes } from '../format.ts'
import { client } from '../lablog.ts'
import { hrefFor } from '../router.ts'
import { archives, describeArchiveProgress } from './archives.ts'

/** What an import ended with; experiment names are looked up so the result can link to them. */
type Outcome =
  | { kind: 'done'; fileName: string; result: ImportArchiveResult; names: Record<string, string> }
  | { kind: 'cancelled' }
  | { kind: 'error'; fileName: string; message: string; quota: boolean }

const plural = (count: number, word: string) => `${count.toLocaleString()} ${word}${count === 1 ? '' : 's'}`

export function ImportPanel() {
  const [conflict, setConflict] = useState<RunConflictPolicy>('skip')
  const [dragging, setDragging] = useState(false)
  const [progress, setProgress] = useState<ArchiveProgress>()
  const [running, setRunning] = useState<string>()
  const [cancelling, setCancelling] = useState(false)
  const [outcome, setOutcome] = useState<Outcome>()
  const input = useRef<HTMLInputElement>(null)
  const controller = useRef<AbortController>()

  const importFile = async (file: File) => {
    if (running) return
    const abort = controller.current = new AbortController()
    setRunning(file.name); setCancelling(false); setOutcome(undefined); setProgress(undefined)
    try {
      const result = await archives.importArchive(file, { onConflict: conflict, onProgress: setProgress, signal: abort.signal })
      const ids = new Set(Object.values(result.experimentIds))
      const names: Record<string, string> = {}
      for (const id of ids) names[id] = await client.getExperiment(id).then(experiment => experiment.name, () => id)
      setOutcome({ kind: 'done', fileName: file.name, result, names })
    } catch (error) {
      setOutcome(isMlflowError(error, 'CANCELLED') ? { kind: 'cancelled' }
        : { kind: 'error', fileName: file.name, message: describeError(error), quota: isQuotaError(error) })
    } finally {
      setRunning(undefined)
      if (input.current) input.current.value = ''
    }
  }

  const onDrop = (event: DragEvent) => {
    event.preventDefault()
    setDragging(false)
    const file = event.dataTransfer?.files[0]
    if (file) void importFile(file)
  }
  const { fraction, detail } = describeArchiveProgress('Import', progress)

  return (
    <div class="settings-section card tool-card">
      <h2>Import</h2>
      <p class="muted">A zip of an <code>mlruns</code> folder (from MLflow or Lablog) or of mlflow-export-import's output; the layout is detected. Importing is all or nothing.</p>
      <div class={`drop-zone ${dragging ? 'is-over' : ''}`} onDragOver={event => { event.preventDefault(); setDragging(true) }}
        onDragLeave={() => setDragging(false)} onDrop={onDrop}>
        <p><strong>Drop a .zip here</strong> or</p>
        <input ref={input} id="import-file" class="visually-hidden" type="file" accept=".zip,application/zip" disabled={!!running}
          onChange={event => { const file = event.currentTarget.files?.[0]; if (file) void importFile(file) }} />
        <button type="button" class="button" disabled={!!running} onClick={() => input.current?.click()}>Choose a zip…</button>
      </div>
      <label class="field inline-field">
        <span class="field-label">A run that is already here</span>
        <select class="input" value={conflict} disabled={!!running} onChange={event => setConflict(event.currentTarget.value as RunConflictPolicy)}>
          <option value="skip">Keep the copy here (report it as already present)</option>
          <option value="replace">Replace it with the archive's copy</option>
        </select>
      </label>
      {running && <ProgressBar label="Import progress" fraction={fraction} detail={`${running} — ${detail}`} onCancel={() => { setCancelling(true); controller.current?.abort() }} cancelling={cancelling} />}
      {outcome?.kind === 'done' && <ImportResult outcome={outcome} />}
      {outcome?.kind === 'cancelled' && <p class="result-box" role="status">Import cancelled; nothing was written.</p>}
      {outcome?.kind === 'error' && (
        <div class="result-box result-error" role="alert">
          <p><strong>{outcome.quota ? 'Not enough storage space' : 'The archive was not imported'}</strong> — nothing from {outcome.fileName} was written.</p>
          <p class="result-message">{outcome.message}</p>
        </div>
      )}
    </div>
  )
}

function ImportResult({ outcome }: { outcome: Extract<Outcome, { kind: 'done' }> }) {
  const { result, names } = outcome
  const link = (id: string) => <a key={id} href={hrefFor({ page: 'experiments', experimentId: id })}>{names[id] ?? id}</a>
  const join = (ids: string[]) => ids.flatMap((id, index) => (index ? [', ', link(id)] : [link(id)]))
  return (
    <div class="result-box result-ok" role="status" aria-label="Import result">
      <p><strong>Imported {outcome.fileName}</strong> <span class="chip">{result.format === 'mlruns' ? 'mlruns layout' : 'export-import layout'}</span></p>
      <ul class="result-list">
        <li>{plural(result.runsImported.length, 'run')} imported{result.runsReplaced.length ? `, ${result.runsReplaced.length} replaced` : ''}</li>
        {result.runsAlreadyPresent.length > 0 && <li>{plural(result.runsAlreadyPresent.length, 'run')} already present (kept as they were)</li>}
        {result.experimentsCreated.length > 0 && <li>Experiments created: {join(result.experimentsCreated)}</li>}
        {result.experimentsMerged.length > 0 && <li>Merged into existing experiments: {join(result.experimentsMerged)}</li>}
        <li>{plural(result.artifacts, 'artifact file')} ({formatBytes(result.artifactBytes)})</li>
      </ul>
    </div>
  )
}
