/**
 * The Data page's import: an mlruns or mlflow-export-import zip (layout detected) from a file picker or
 * dropped on the page, read in the archive worker, all or nothing, with progress, Cancel and the result.
 */
import { useRef, useState } from 'preact/hooks'
import type { ArchiveProgress, ImportArchiveResult, RunConflictPolicy } from '../../index.ts'
import { ProgressBar } from '../components/progress-bar.tsx'
import { isQuotaError } from '../errors.ts'
import { formatBytes } from '../format.ts'
import { useLongTask } from '../hooks/use-long-task.ts'
import { client } from '../lablog.ts'
import { hrefFor } from '../router.ts'
import { archives, describeArchiveProgress } from './archives.ts'

/** What an import wrote; experiment names are looked up so the result can link to them. */
interface Imported { result: ImportArchiveResult; names: Record<string, string> }

const plural = (count: number, word: string) => `${count.toLocaleString()} ${word}${count === 1 ? '' : 's'}`

export function ImportPanel() {
  const [conflict, setConflict] = useState<RunConflictPolicy>('skip')
  const [dragging, setDragging] = useState(false)
  const task = useLongTask<ArchiveProgress, Imported>()
  const { running, outcome } = task
  /** The file being imported, or the last one. */
  const [fileName, setFileName] = useState('')
  const input = useRef<HTMLInputElement>(null)

  const importFile = (file: File) => {
    if (running) return
    setFileName(file.name)
    void task.start(async (signal, onProgress) => {
      try {
        const result = await archives.importArchive(file, { onConflict: conflict, onProgress, signal })
        const names: Record<string, string> = {}
        for (const id of new Set(Object.values(result.experimentIds))) names[id] = await client.getExperiment(id).then(experiment => experiment.name, () => id)
        return { result, names }
      } finally {
        if (input.current) input.current.value = ''
      }
    })
  }

  const onDrop = (event: DragEvent) => {
    event.preventDefault()
    setDragging(false)
    const file = event.dataTransfer?.files[0]
    if (file) void importFile(file)
  }
  const { fraction, detail } = describeArchiveProgress('Import', task.progress)

  return (
    <div class="settings-section card tool-card">
      <h2>Import</h2>
      <p class="muted">A zip of an <code>mlruns</code> folder (from MLflow or Lablog) or of mlflow-export-import's output; the layout is detected. Importing is all or nothing.</p>
      <div class={`drop-zone ${dragging ? 'is-over' : ''}`} onDragOver={event => { event.preventDefault(); setDragging(true) }}
        onDragLeave={() => setDragging(false)} onDrop={onDrop}>
        <p><strong>Drop a .zip here</strong> or</p>
        <input ref={input} id="import-file" class="visually-hidden" type="file" accept=".zip,application/zip" disabled={running}
          onChange={event => { const file = event.currentTarget.files?.[0]; if (file) void importFile(file) }} />
        <button type="button" class="button" disabled={running} onClick={() => input.current?.click()}>Choose a zip…</button>
      </div>
      <label class="field inline-field">
        <span class="field-label">A run that is already here</span>
        <select class="input" value={conflict} disabled={running} onChange={event => setConflict(event.currentTarget.value as RunConflictPolicy)}>
          <option value="skip">Keep the copy here (report it as already present)</option>
          <option value="replace">Replace it with the archive's copy</option>
        </select>
      </label>
      {running && <ProgressBar label="Import progress" fraction={fraction} detail={`${fileName} — ${detail}`} onCancel={task.cancel} cancelling={task.cancelling} />}
      {outcome?.kind === 'done' && <ImportResult fileName={fileName} imported={outcome.value} />}
      {outcome?.kind === 'cancelled' && <p class="result-box" role="status">Import cancelled; nothing was written.</p>}
      {outcome?.kind === 'error' && (
        <div class="result-box result-error" role="alert">
          <p><strong>{isQuotaError(outcome.error) ? 'Not enough storage space' : 'The archive was not imported'}</strong> — nothing from {fileName} was written.</p>
          <p class="result-message">{outcome.message}</p>
        </div>
      )}
    </div>
  )
}

function ImportResult({ fileName, imported }: { fileName: string; imported: Imported }) {
  const { result, names } = imported
  const link = (id: string) => <a key={id} href={hrefFor({ page: 'experiments', experimentId: id })}>{names[id] ?? id}</a>
  const join = (ids: string[]) => ids.flatMap((id, index) => (index ? [', ', link(id)] : [link(id)]))
  return (
    <div class="result-box result-ok" role="status" aria-label="Import result">
      <p><strong>Imported {fileName}</strong> <span class="chip">{result.format === 'mlruns' ? 'mlruns layout' : 'export-import layout'}</span></p>
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
