/**
 * "Register model": a run's logged model directory (runs:/<run>/<path>) becomes a new version of a
 * registered model (created when the name is new), as mlflow.registerModel does.
 */
import { useState } from 'preact/hooks'
import { type ModelVersion, mlflow } from '../../index.ts'
import { Modal } from '../components/modal.tsx'
import { describeError } from '../errors.ts'
import { useAsync } from '../hooks/use-async.ts'
import { client } from '../lablog.ts'
import '../styles/tools.css'

export interface RegisterDialogProps {
  /** Prefilled when opened from a run's MLmodel; otherwise the user picks a run. */
  runId?: string
  artifactPath?: string
  /** Prefilled model name (a new version of this model). */
  modelName?: string
  onClose: () => void
  onRegistered: (version: ModelVersion) => void
}

/** Directories of a run that hold an MLmodel file (depth-first, up to three levels down). */
async function modelDirectories(runId: string): Promise<string[]> {
  const found: string[] = []
  const visit = async (path: string | undefined, depth: number): Promise<void> => {
    const entries = await client.listArtifacts(runId, path)
    if (entries.some(entry => !entry.isDir && entry.path.split('/').pop() === 'MLmodel')) found.push(path ?? '')
    if (depth < 3) for (const entry of entries) if (entry.isDir) await visit(entry.path, depth + 1)
  }
  await visit(undefined, 0)
  return found
}

export function RegisterDialog({ runId: givenRunId, artifactPath: givenPath, modelName, onClose, onRegistered }: RegisterDialogProps) {
  const [runId, setRunId] = useState(givenRunId ?? '')
  const [path, setPath] = useState(givenPath ?? '')
  const [name, setName] = useState(modelName ?? '')
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string>()
  const models = useAsync(async () => (await client.searchRegisteredModels({ maxResults: 1000 })).registeredModels.map(model => model.name), [])
  const runs = useAsync(async () => (givenRunId ? [] : (await client.searchRuns({ experimentIds: (await client.searchExperiments({ maxResults: 1000 })).experiments.map(e => e.experimentId), maxResults: 200, orderBy: ['attributes.start_time DESC'] })).runs), [])
  const directories = useAsync(async () => (runId.trim() ? modelDirectories(runId.trim()) : []), [runId])
  // Offer the run's first model directory once known, unless the user typed a path.
  const suggestedPath = path || (givenPath === undefined ? directories.value?.[0] ?? '' : '')

  const submit = async () => {
    if (!runId.trim() || !name.trim()) return setError('Choose a run and enter a model name.')
    setBusy(true); setError(undefined)
    try {
      const uri = `runs:/${runId.trim()}/${suggestedPath.replace(/^\/+|\/+$/g, '')}`
      onRegistered(await mlflow.registerModel(uri, name.trim()))
    } catch (caught) { setError(describeError(caught)) } finally { setBusy(false) }
  }

  return (
    <Modal title="Register model" onClose={onClose} onSubmit={submit} footer={<>
      <button type="button" class="button" onClick={onClose}>Cancel</button>
      <button type="submit" class="button button-primary" disabled={busy}>{busy ? 'Registering…' : 'Register'}</button>
    </>}>
      <div class="register-fields">
        {givenRunId ? (
          <p>From run <code>{givenRunId}</code>, directory <code>{givenPath || '(artifact root)'}</code>.</p>
        ) : <>
          <label class="field">
            <span class="field-label">Run</span>
            <select class="input" aria-label="Run" value={runId} onChange={event => { setRunId(event.currentTarget.value); setPath('') }}>
              <option value="">Choose a run…</option>
              {runs.value?.map(run => <option key={run.info.runId} value={run.info.runId}>{run.info.runName || run.info.runId} ({run.info.runId.slice(0, 8)})</option>)}
            </select>
          </label>
          <label class="field">
            <span class="field-label">Model directory in the run's artifacts</span>
            <input class="input" aria-label="Model directory in the run's artifacts" list="register-model-dirs" value={suggestedPath} placeholder="model" onInput={event => setPath(event.currentTarget.value)} />
            <datalist id="register-model-dirs">{directories.value?.map(directory => <option key={directory} value={directory} />)}</datalist>
            {runId && directories.value?.length === 0 && <span class="muted">This run has no directory with an MLmodel file.</span>}
          </label>
        </>}
        <label class="field">
          <span class="field-label">Registered model name (new or existing)</span>
          <input class="input" name="registeredModelName" list="register-model-names" value={name} autoFocus placeholder="e.g. iris-classifier" onInput={event => setName(event.currentTarget.value)} />
          <datalist id="register-model-names">{models.value?.map(model => <option key={model} value={model} />)}</datalist>
        </label>
        {error && <p class="form-error" role="alert">{error}</p>}
      </div>
    </Modal>
  )
}
