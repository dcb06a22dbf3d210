/** A run's tags: add, edit and delete user tags; MLflow's system tags (mlflow.*) shown on request, read-only. */
import { useState } from 'preact/hooks'
import type { Run } from '../../../index.ts'
import { KeyValueTable } from '../../components/key-value-table.tsx'
import { showError } from '../../components/toasts.tsx'
import { client } from '../../lablog.ts'

export function TagsEditor({ run, onChanged }: { run: Run; onChanged: () => void }) {
  const [showSystem, setShowSystem] = useState(false)
  const [editing, setEditing] = useState<string | undefined>()
  const [draft, setDraft] = useState('')
  const [newKey, setNewKey] = useState('')
  const [newValue, setNewValue] = useState('')
  const runId = run.info.runId
  const readOnly = run.info.lifecycleStage !== 'active'

  const save = async (key: string, value: string) => {
    try { await client.setTag(runId, key, value); setEditing(undefined); onChanged() } catch (error) { showError(error) }
  }
  const remove = async (key: string) => {
    try { await client.deleteTag(runId, key); onChanged() } catch (error) { showError(error) }
  }
  const add = async (event: Event) => {
    event.preventDefault()
    if (!newKey.trim()) return
    try { await client.setTag(runId, newKey.trim(), newValue); setNewKey(''); setNewValue(''); onChanged() } catch (error) { showError(error) }
  }

  const entries = Object.entries(run.data.tags).filter(([key]) => showSystem || !key.startsWith('mlflow.')).sort(([a], [b]) => a.localeCompare(b))
  const rows = entries.map(([key, value]) => ({
    key, title: value,
    value: editing === key ? (
      <form class="inline-form" onSubmit={event => { event.preventDefault(); void save(key, draft) }}>
        <input class="input input-small" aria-label={`New value for ${key}`} value={draft} autoFocus onInput={event => setDraft(event.currentTarget.value)}
          onKeyDown={event => { if (event.key === 'Escape') setEditing(undefined) }} />
        <button type="submit" class="button button-small button-primary">Save</button>
      </form>
    ) : value,
  }))
  const systemCount = Object.keys(run.data.tags).filter(key => key.startsWith('mlflow.')).length

  return (
    <div>
      <KeyValueTable rows={rows} label="Tags" empty="No tags." actions={readOnly ? undefined : key => key.startsWith('mlflow.') ? null : <>
        <button type="button" class="button button-small button-quiet" aria-label={`Edit tag ${key}`} onClick={() => { setEditing(key); setDraft(run.data.tags[key] ?? '') }}>Edit</button>
        <button type="button" class="button button-small button-danger-quiet" aria-label={`Delete tag ${key}`} onClick={() => void remove(key)}>Delete</button>
      </>} />
      {systemCount > 0 && (
        <button type="button" class="link-button" aria-pressed={showSystem} onClick={() => setShowSystem(!showSystem)}>
          {showSystem ? 'Hide' : 'Show'} {systemCount} system tags
        </button>
      )}
      {!readOnly && (
        <form class="inline-form" onSubmit={add} aria-label="Add tag">
          <input class="input input-small" aria-label="Tag name" placeholder="Name" value={newKey} onInput={event => setNewKey(event.currentTarget.value)} />
          <input class="input input-small" aria-label="Tag value" placeholder="Value" value={newValue} onInput={event => setNewValue(event.currentTarget.value)} />
          <button type="submit" class="button button-small">Add tag</button>
        </form>
      )}
    </div>
  )
}
