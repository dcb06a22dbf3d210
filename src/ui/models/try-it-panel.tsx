/**
 * "Try it": POSTs a scoring request to the app's own service worker (MLflow's /invocations protocol,
 * answered offline) for a version or alias, prefilled from the model's input example, and shows the
 * answer as text with curl and fetch examples. Also "Export as web bundle" for the chosen reference.
 */
import { useEffect, useState } from 'preact/hooks'
import { type ModelVersion, exportWebBundle, servingPath, servingRequestExamples, tfjs } from '../../index.ts'
import { loadTfjsScript } from '../../../workers/tfjs-script.ts'
import { showError, showToast } from '../components/toasts.tsx'
import { downloadBlob } from '../download.ts'
import { compactJson } from './compact-json.ts'
import { client } from '../lablog.ts'

/** The request body MLflow saved with the model (serving_input_example.json), else `{inputs: <input example>}`, else a skeleton. */
async function exampleBody(name: string, version: string): Promise<string> {
  try {
    const { location, mlModel } = await tfjs.getModelInfo(`models:/${name}/${version}`, client)
    const info = mlModel.savedInputExampleInfo ?? {}
    const inDirectory = (file: string) => (location.artifactPath ? `${location.artifactPath}/${file}` : file)
    if (typeof info.serving_input_path === 'string') {
      return compactJson(JSON.parse(await client.readArtifactText(location.runId, inDirectory(info.serving_input_path))))
    }
    const example = JSON.parse(await client.readArtifactText(location.runId, inDirectory(typeof info.artifact_path === 'string' ? info.artifact_path : 'input_example.json'))) as unknown
    return compactJson(info.type === 'dataframe' ? { dataframe_split: example } : { inputs: example })
  } catch {
    return '{\n  "inputs": []\n}'
  }
}

type Answer = { status: number; text: string } | { error: string }

/** Pretty-prints a JSON answer; anything else is shown as it came. Always text: never parsed as HTML. */
function prettyAnswer(text: string): string {
  try { return compactJson(JSON.parse(text)) } catch { return text }
}

export function TryItPanel({ name, versions, aliases }: { name: string; versions: ModelVersion[]; aliases: string[] }) {
  const references = [...aliases.map(alias => `@${alias}`), ...versions.map(version => version.version)]
  // Until the user picks one, the first alias (else the newest version) is called, following registry changes.
  const [chosen, setChosen] = useState<string>()
  const reference = chosen !== undefined && references.includes(chosen) ? chosen : references[0] ?? ''
  const [body, setBody] = useState('')
  const [answer, setAnswer] = useState<Answer>()
  const [sending, setSending] = useState(false)
  const [exporting, setExporting] = useState(false)
  const controlled = typeof navigator.serviceWorker !== 'undefined' && navigator.serviceWorker.controller !== null

  const versionOf = (ref: string) => (ref.startsWith('@') ? versions.find(version => version.aliases.includes(ref.slice(1)))?.version : ref)
  const exampleVersion = versionOf(reference)
  useEffect(() => {
    if (exampleVersion === undefined) return
    let live = true
    void exampleBody(name, exampleVersion).then(text => { if (live) setBody(text) })
    return () => { live = false }
  }, [name, exampleVersion])

  const path = servingPath(name, reference)
  const url = new URL(path, location.origin).href
  let parsedBody: unknown
  let bodyError: string | undefined
  try { parsedBody = JSON.parse(body || 'null') } catch (error) { bodyError = (error as Error).message }

  const send = async (event: Event) => {
    event.preventDefault()
    if (bodyError) return
    setSending(true); setAnswer(undefined)
    try {
      const response = await fetch(path, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body })
      setAnswer({ status: response.status, text: prettyAnswer(await response.text()) })
    } catch (error) {
      setAnswer({ error: (error as Error).message })
    } finally { setSending(false) }
  }
  const exportBundle = async () => {
    setExporting(true)
    try {
      const uri = reference.startsWith('@') ? `models:/${name}${reference}` : `models:/${name}/${reference}`
      const zip = await exportWebBundle(uri, { tfjsScript: await loadTfjsScript() })
      const fileName = `${name}-${reference.startsWith('@') ? reference.slice(1) : `v${reference}`}-web-bundle.zip`.replace(/[^\w.-]+/g, '-')
      downloadBlob(zip, fileName)
      showToast(`Saved ${fileName}: unzip it on any static host to predict in the browser.`)
    } catch (error) { showError(error) } finally { setExporting(false) }
  }

  const examples = servingRequestExamples(url, parsedBody ?? {})
  return (
    <form class="section try-it" onSubmit={send} aria-labelledby="try-title">
      <div class="section-head">
        <h2 id="try-title">Try it</h2>
        <button type="button" class="button button-small" disabled={!reference || exporting} onClick={exportBundle}>{exporting ? 'Exporting…' : 'Export as web bundle'}</button>
      </div>
      <p class="muted">This app's service worker answers MLflow's scoring protocol for registered models, offline. The web bundle is a zip that predicts with this model on any static web host.</p>
      {!controlled && <p class="banner banner-warning" role="status">The service worker does not control this page yet (first visit or a hard reload): reload once to try the model here.</p>}
      <div class="settings-row">
        <label class="inline-field field">
          <span class="field-label">Model</span>
          <select class="input" aria-label="Version or alias to call" value={reference} onChange={event => setChosen(event.currentTarget.value)}>
            {references.map(ref => <option key={ref} value={ref}>{ref.startsWith('@') ? `${ref} (v${versionOf(ref) ?? '?'})` : `version ${ref}`}</option>)}
          </select>
        </label>
        <code class="muted">POST {path}</code>
      </div>
      <label class="field">
        <span class="field-label">Request body (JSON: inputs, instances, dataframe_split or dataframe_records)</span>
        <textarea class={`input try-body ${bodyError ? 'input-invalid' : ''}`} aria-label="Request body" value={body} spellcheck={false} onInput={event => setBody(event.currentTarget.value)} />
        {bodyError && <span class="form-error">Not valid JSON: {bodyError}</span>}
      </label>
      <button type="submit" class="button button-primary" disabled={sending || !!bodyError || !reference}>{sending ? 'Predicting…' : 'Predict'}</button>
      {answer && (
        <div class="try-answer" aria-live="polite">
          <h3 class="schema-title">{'error' in answer ? 'The request failed' : `Answer — HTTP ${answer.status}`}</h3>
          <pre class={`code-block ${'error' in answer || answer.status >= 400 ? 'try-answer-error' : ''}`} aria-label="Answer">{'error' in answer ? answer.error : answer.text}</pre>
        </div>
      )}
      <details class="examples">
        <summary>curl and fetch examples</summary>
        <p class="muted">The fetch form works from this app's pages (console included); curl works against <code>mlflow models serve</code> with the same body.</p>
        <pre class="code-block" aria-label="fetch example">{examples.fetch}</pre>
        <pre class="code-block" aria-label="curl example">{examples.curl}</pre>
      </details>
    </form>
  )
}
