/** The Train page's model section: a preset with its options, or a tfjs layers configuration typed as JSON (validated, never run). */
import { useMemo } from 'preact/hooks'
import type { DatasetShape } from './dataset-choice.ts'
import { checkLayersJson, exampleLayersJson } from './layers-json.ts'
import { type Activation, MODEL_LABELS, type ModelKind, type ModelState } from './model-form.ts'

function LayersJsonEditor({ state, shape, onChange }: { state: ModelState; shape: DatasetShape | undefined; onChange: (state: ModelState) => void }) {
  const check = useMemo(() => (shape && state.layersJson.trim() ? checkLayersJson(state.layersJson, shape.featureCount, shape.outputUnits) : undefined), [state.layersJson, shape])
  const problem = check && !check.ok ? check.problem : undefined
  return (
    <div class="field">
      <div class="field-label-row">
        <label class="field-label" for="layers-json">Layers configuration (JSON)</label>
        {shape && <button type="button" class="link-button" onClick={() => onChange({ ...state, layersJson: exampleLayersJson(shape.featureCount, shape.outputUnits) })}>Insert example</button>}
      </div>
      <textarea id="layers-json" class={`input code-editor${problem ? ' input-invalid' : ''}`} rows={14} spellcheck={false} value={state.layersJson}
        aria-invalid={problem ? true : undefined} aria-describedby="layers-json-help layers-json-status"
        placeholder='{"class_name": "Sequential", "config": {"layers": [...]}}'
        onInput={event => onChange({ ...state, layersJson: event.currentTarget.value })} />
      <p id="layers-json-status" class={problem ? 'form-error' : 'field-ok'} role={problem ? 'alert' : 'status'}>
        {problem ? `${problem.line ? `Line ${problem.line}: ` : ''}${problem.message}` : check?.ok ? `Valid: a sequential model of ${check.layerCount} layers.` : ''}
      </p>
      <p id="layers-json-help" class="field-hint">
        What <code>model.toJSON()</code> returns (Keras's format). Lablog reads it as data only: typed-in JavaScript is never run,
        because running it would be unsafe and the app's security policy forbids evaluating code.
      </p>
    </div>
  )
}

/** The model section; `shape` is the chosen data's, undefined until a CSV is read. */
export function ModelPanel({ state, shape, onChange }: { state: ModelState; shape: DatasetShape | undefined; onChange: (state: ModelState) => void }) {
  const set = (patch: Partial<ModelState>) => onChange({ ...state, ...patch })
  return (
    <section class="train-section" aria-labelledby="model-heading">
      <h2 id="model-heading">Model</h2>
      <div class="segmented segmented-wide" role="radiogroup" aria-label="Model">
        {(Object.keys(MODEL_LABELS) as ModelKind[]).map(kind => (
          <button key={kind} type="button" role="radio" aria-checked={state.kind === kind} onClick={() => set({ kind })}>{MODEL_LABELS[kind]}</button>
        ))}
      </div>
      <div class="field-spaced">
        {state.kind === 'logistic-regression' && <p class="field-hint">One softmax layer over standardised features: a strong, fast baseline for tabular classification.</p>}
        {state.kind === 'mlp' && (
          <div class="form-row">
            <label class="field"><span class="field-label">Hidden units</span>
              <input class="input" value={state.hiddenUnits} onInput={event => set({ hiddenUnits: event.currentTarget.value })} aria-describedby="units-hint" /></label>
            <label class="field"><span class="field-label">Activation</span>
              <select class="input" value={state.activation} onChange={event => set({ activation: event.currentTarget.value as Activation })}>
                {['relu', 'tanh', 'sigmoid', 'elu'].map(name => <option key={name} value={name}>{name}</option>)}
              </select></label>
            <label class="field"><span class="field-label">Dropout</span>
              <input class="input" type="number" min={0} max={0.9} step={0.05} value={state.dropout} onChange={event => set({ dropout: Math.min(0.9, Math.max(0, Number(event.currentTarget.value) || 0)) })} /></label>
          </div>
        )}
        {state.kind === 'mlp' && <p id="units-hint" class="field-hint">Sizes of the hidden layers, first to last. Features are standardised inside the model.</p>}
        {state.kind === 'cnn' && (
          <>
            <div class="form-row">
              <label class="field"><span class="field-label">Filters per block</span>
                <input class="input" value={state.filters} onInput={event => set({ filters: event.currentTarget.value })} /></label>
              <label class="field"><span class="field-label">Dense units</span>
                <input class="input" type="number" min={1} step={1} value={state.denseUnits} onChange={event => set({ denseUnits: Math.max(1, Math.round(Number(event.currentTarget.value) || 64)) })} /></label>
            </div>
            <p class="field-hint">Conv 3×3 + max-pool blocks over the 8×8 digit images, then a dense layer.{shape && !shape.imageShape ? ' Needs the digits dataset.' : ''}</p>
          </>
        )}
        {state.kind === 'layers-json' && <LayersJsonEditor state={state} shape={shape} onChange={onChange} />}
      </div>
    </section>
  )
}
