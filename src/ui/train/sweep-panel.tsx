/** The Train page's hyperparameters and sweep sections: fixed values, or a grid/random search over chosen ones. */
import { useMemo } from 'preact/hooks'
import { type HyperState, OPTIMIZERS, type OptimizerName } from './model-form.ts'
import { type ParsedValues, SWEEP_PARAM_LABELS, type SweepParam, type Trial, gridTrials, parseSweepValues, randomTrials } from './sweep.ts'

export interface SweepState {
  enabled: boolean
  method: 'grid' | 'random'
  /** The text typed per varied parameter; absent = not varied. */
  values: Partial<Record<SweepParam, string>>
  /** Random search: how many runs. */
  count: number
  /** Trainings at once (workers). */
  concurrency: number
}

/** Two workers on the usual two-core machine: one trains while the other's run is logging. */
export const DEFAULT_SWEEP: SweepState = { enabled: false, method: 'grid', values: { learningRate: '0.01, 0.001' }, count: 4, concurrency: 2 }

const PLACEHOLDERS: Record<SweepParam, string> = {
  learningRate: '0.01, 0.001  or  0.0001..0.1', batchSize: '16, 32', epochs: '20, 40', optimizer: 'adam, sgd', hiddenUnits: '64,32 | 32', dropout: '0, 0.2',
}

/** The sweep's trials, or the first problem with what was typed. */
export function planSweep(state: SweepState, mlp: boolean): { trials: Trial[] } | { problem: string } {
  const space = new Map<SweepParam, ParsedValues>()
  for (const [param, text] of Object.entries(state.values) as Array<[SweepParam, string]>) {
    if ((param === 'hiddenUnits' || param === 'dropout') && !mlp) continue
    try { space.set(param, parseSweepValues(param, text)) } catch (error) { return { problem: `${SWEEP_PARAM_LABELS[param]}: ${(error as Error).message}` } }
  }
  if (space.size === 0) return { problem: 'Tick at least one parameter to vary.' }
  try {
    const trials = state.method === 'grid' ? gridTrials(space) : randomTrials(space, state.count)
    if (trials.length > 200) return { problem: `That is ${trials.length} runs; a sweep here is limited to 200.` }
    return { trials }
  } catch (error) { return { problem: (error as Error).message } }
}

export function HyperparameterPanel({ hyper, onChange }: { hyper: HyperState; onChange: (hyper: HyperState) => void }) {
  const set = (patch: Partial<HyperState>) => onChange({ ...hyper, ...patch })
  const whole = (text: string, fallback: number) => Math.max(1, Math.round(Number(text) || fallback))
  return (
    <section class="train-section" aria-labelledby="hyper-heading">
      <h2 id="hyper-heading">Hyperparameters</h2>
      <div class="form-row form-row-4">
        <label class="field"><span class="field-label">Epochs</span>
          <input class="input" type="number" min={1} max={10000} value={hyper.epochs} onChange={event => set({ epochs: whole(event.currentTarget.value, 30) })} /></label>
        <label class="field"><span class="field-label">Batch size</span>
          <input class="input" type="number" min={1} max={4096} value={hyper.batchSize} onChange={event => set({ batchSize: whole(event.currentTarget.value, 16) })} /></label>
        <label class="field"><span class="field-label">Learning rate</span>
          <input class="input" type="number" min={0} step="any" value={hyper.learningRate} onChange={event => set({ learningRate: Number(event.currentTarget.value) > 0 ? Number(event.currentTarget.value) : 0.01 })} /></label>
        <label class="field"><span class="field-label">Optimizer</span>
          <select class="input" value={hyper.optimizer} onChange={event => set({ optimizer: event.currentTarget.value as OptimizerName })}>
            {OPTIMIZERS.map(name => <option key={name} value={name}>{name}</option>)}
          </select></label>
      </div>
      <label class="field field-narrow"><span class="field-label">Seed</span>
        <input class="input" type="number" step={1} value={hyper.seed} onChange={event => set({ seed: Math.round(Number(event.currentTarget.value) || 0) })} /></label>
    </section>
  )
}

export function SweepPanel({ state, mlp, onChange }: { state: SweepState; mlp: boolean; onChange: (state: SweepState) => void }) {
  const set = (patch: Partial<SweepState>) => onChange({ ...state, ...patch })
  const plan = useMemo(() => (state.enabled ? planSweep(state, mlp) : undefined), [state, mlp])
  const params = (Object.keys(SWEEP_PARAM_LABELS) as SweepParam[]).filter(param => mlp || (param !== 'hiddenUnits' && param !== 'dropout'))
  const toggle = (param: SweepParam, on: boolean) => {
    const values = { ...state.values }
    if (on) values[param] = PLACEHOLDERS[param].split('  ')[0]!
    else delete values[param]
    set({ values })
  }
  return (
    <section class="train-section" aria-labelledby="sweep-heading">
      <div class="section-head">
        <h2 id="sweep-heading">Sweep</h2>
        <label class="check-label"><input type="checkbox" checked={state.enabled} onChange={event => set({ enabled: event.currentTarget.checked })} /> Run a sweep</label>
      </div>
      {!state.enabled ? <p class="field-hint">Train several runs over a grid or random draws of hyperparameters, nested under one parent run.</p> : <>
        <div class="segmented" role="radiogroup" aria-label="Search method">
          <button type="button" role="radio" aria-checked={state.method === 'grid'} onClick={() => set({ method: 'grid' })}>Grid</button>
          <button type="button" role="radio" aria-checked={state.method === 'random'} onClick={() => set({ method: 'random' })}>Random</button>
        </div>
        <div class="sweep-params field-spaced">
          {params.map(param => (
            <div key={param} class="sweep-param">
              <label class="check-label"><input type="checkbox" checked={state.values[param] !== undefined} onChange={event => toggle(param, event.currentTarget.checked)} />
                <span>{SWEEP_PARAM_LABELS[param]}</span></label>
              <input class="input input-small" aria-label={`${SWEEP_PARAM_LABELS[param]} values`} placeholder={PLACEHOLDERS[param]} disabled={state.values[param] === undefined}
                value={state.values[param] ?? ''} onInput={event => set({ values: { ...state.values, [param]: event.currentTarget.value } })} />
            </div>
          ))}
        </div>
        <p class="field-hint">Comma-separated values{state.method === 'random' ? '; a range such as 0.0001..0.1 draws uniformly (log-uniformly for the learning rate)' : ''}. Varied values replace the fixed ones above.</p>
        <div class="form-row form-row-fill">
          {state.method === 'random' && (
            <label class="field"><span class="field-label">Runs</span>
              <input class="input" type="number" min={1} max={200} value={state.count} onChange={event => set({ count: Math.min(200, Math.max(1, Math.round(Number(event.currentTarget.value) || 1))) })} /></label>
          )}
          <label class="field"><span class="field-label">Workers at once</span>
            <input class="input" type="number" min={1} max={8} value={state.concurrency} onChange={event => set({ concurrency: Math.min(8, Math.max(1, Math.round(Number(event.currentTarget.value) || 1))) })} /></label>
        </div>
        {plan && 'problem' in plan && <p class="form-error" role="alert">{plan.problem}</p>}
        {plan && 'trials' in plan && <p class="field-ok" role="status">{plan.trials.length} run{plan.trials.length === 1 ? '' : 's'}, {Math.min(state.concurrency, plan.trials.length)} at a time.</p>}
      </>}
    </section>
  )
}
