/** Create an experiment (name, artifact location, tags) or rename one. */
import { useState } from 'preact/hooks'
import type { Experiment } from '../../index.ts'
import { Modal } from '../components/modal.tsx'
import { describeError } from '../errors.ts'
import { client } from '../lablog.ts'

interface TagDraft { key: string; value: string }

/** Creates an experiment; `onCreated` gets its id. */
export function CreateExperimentDialog({ onClose, onCreated }: { onClose: () => void; onCreated: (experimentId: string) => void }) {
  const [name, setName] = useState('')
  const [artifactLocation, setArtifactLocation] = useState('')
  const [tags, setTags] = useState<TagDraft[]>([])
  const [error, setError] = useState<string>()
  const [busy, setBusy] = useState(false)

  const submit = async () => {
    if (!name.trim()) return setError('Give the experiment a name.')
    setBusy(true)
    try {
      const tagRecord = Object.fromEntries(tags.filter(tag => tag.key.trim()).map(tag => [tag.key.trim(), tag.value]))
      const id = await client.createExperiment(name.trim(), { artifactLocation: artifactLocation.trim() || undefined, tags: tagRecord })
      onCreated(id)
      onClose()
    } catch (caught) { setError(describeError(caught)) } finally { setBusy(false) }
  }
  const updateTag = (index: number, patch: Partial<TagDraft>) => setTags(tags.map((tag, at) => at === index ? { ...tag, ...patch } : tag))

  return (
    <Modal title="Create experiment" onClose={onClose} onSubmit={submit} footer={<>
      <button type="button" class="button" onClick={onClose}>Cancel</button>
      <button type="submit" class="button button-primary" disabled={busy}>Create</button>
    </>}>
      <label class="field">
        <span class="field-label">Name</span>
        <input class="input" name="name" value={name} autoFocus required onInput={event => setName(event.currentTarget.value)} />
      </label>
      <label class="field">
        <span class="field-label">Artifact location <span class="muted">(optional)</span></span>
        <input class="input" name="artifactLocation" placeholder="indexeddb://lablog/<id>" value={artifactLocation}
          onInput={event => setArtifactLocation(event.currentTarget.value)} />
      </label>
      <fieldset class="field">
        <legend class="field-label">Tags</legend>
        {tags.map((tag, index) => (
          <div class="tag-row" key={index}>
            <input class="input" aria-label={`Tag ${index + 1} key`} placeholder="key" value={tag.key} onInput={event => updateTag(index, { key: event.currentTarget.value })} />
            <input class="input" aria-label={`Tag ${index + 1} value`} placeholder="value" value={tag.value} onInput={event => updateTag(index, { value: event.currentTarget.value })} />
            <button type="button" class="icon-button" aria-label={`Remove tag ${index + 1}`} onClick={() => setTags(tags.filter((_, at) => at !== index))}>×</button>
          </div>
        ))}
        <button type="button" class="button button-small" onClick={() => setTags([...tags, { key: '', value: '' }])}>+ Add tag</button>
      </fieldset>
      {error && <p class="form-error" role="alert">{error}</p>}
    </Modal>
  )
}

/** Renames an experiment. */
export function RenameExperimentDialog({ experiment, onClose, onRenamed }: { experiment: Experiment; onClose: () => void; onRenamed: () => void }) {
  const [name, setName] = useState(experiment.name)
  const [error, setError] = useState<string>()
  const submit = async () => {
    try {
      await client.renameExperiment(experiment.experimentId, name.trim())
      onRenamed()
      onClose()
    } catch (caught) { setError(describeError(caught)) }
  }
  return (
    <Modal title="Rename experiment" onClose={onClose} onSubmit={submit} footer={<>
      <button type="button" class="button" onClick={onClose}>Cancel</button>
      <button type="submit" class="button button-primary">Rename</button>
    </>}>
      <label class="field">
        <span class="field-label">New name</span>
        <input class="input" name="name" value={name} autoFocus onInput={event => setName(event.currentTarget.value)} />
      </label>
      {error && <p class="form-error" role="alert">{error}</p>}
    </Modal>
  )
}
