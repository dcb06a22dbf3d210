/**
 * The Train page (a lazy chunk): data, model, hyperparameters and an optional sweep on the left; the
 * trainings in flight — progress, stop, live charts — on the right. Training runs in Web Workers with autolog.
 */
import { useMemo, useState } from 'preact/hooks'
import { BUILTIN_DATASETS, type TrainingSpec } from '../../index.ts'
import { showError } from '../components/toasts.tsx'
import { useAsync } from '../hooks/use-async.ts'
import { client } from '../lablog.ts'
import { PREF, readPref } from '../prefs.ts'
import { CLASS_NAMES_TAG, type DatasetChoice, csvChoiceProblem, datasetSpecOf, shapeOf } from '../train/dataset-choice.ts'
import { DatasetPanel } from '../train/dataset-panel.tsx'
import { JobCard } from '../train/jobs-panel.tsx'
import { DEFAULT_HYPER, DEFAULT_MODEL, type HyperState, MODEL_LABELS, type ModelState, modelSpecOf } from '../train/model-form.ts'
import { ModelPanel } from '../train/model-panel.tsx'
import { describeTrial, SWEEP_PARAM_KEYS, type SweepParam, type Trial } from '../train/sweep.ts'
import { DEFAULT_SWEEP, HyperparameterPanel, planSweep, type SweepState, SweepPanel } from '../train/sweep-panel.tsx'
import { type PlannedRun, clearEndedJobs, startJob, useTrainingJobs } from '../train/training-jobs.ts'
import '../styles/train.css'

/** The form as the user left it: kept for this session when they visit another page and come back. */
interface FormState { dataset: DatasetChoice | undefined; validationSplit: number; model: ModelState; hyper: HyperState; sweep: SweepState; runName: string; logModel: boolean }
let remembered: FormState = { dataset: { kind: 'builtin', name: 'iris' }, validationSplit: 0.2, model: DEFAULT_MODEL, hyper: DEFAULT_HYPER, sweep: DEFAULT_SWEEP, runName: '', logModel: true }

function specFor(form: FormState, experimentId: string, runName: string, trial: Trial): TrainingSpec | string {
  const shape = shapeOf(form.dataset!)
  const model = modelSpecOf(form.model, shape, trial.hiddenUnits as string | undefined, trial.dropout as number | undefined)
  if ('problem' in model) return model.problem
  const hyper = { ...form.hyper, ...(trial as Partial<HyperState>) }
  return {
    dataset: datasetSpecOf(form.dataset!),
    model: model.spec,
    compile: { optimizer: hyper.optimizer, learningRate: Number(hyper.learningRate) },
    fit: { epochs: Number(hyper.epochs), batchSize: Number(hyper.batchSize), validationSplit: form.validationSplit },
    experiment: { id: experimentId },
    runName,
    seed: hyper.seed,
    autolog: { logModels: form.logModel },
  }
}

export function TrainPage() {
  const [form, setFormState] = useState<FormState>(remembered)
  const setForm = (patch: Partial<FormState>) => setFormState(previous => (remembered = { ...previous, ...patch }))
  const experiments = useAsync(() => client.searchExperiments({ maxResults: 1000 }).then(page => page.experiments), [])
  const [chosenExperiment, setChosenExperiment] = useState<string>(() => readPref(PREF.activeExperiment, '0'))
  const experimentId = experiments.value?.some(experiment => experiment.experimentId === chosenExperiment) ? chosenExperiment : experiments.value?.[0]?.experimentId
  const jobs = useTrainingJobs()
  const [starting, setStarting] = useState(false)

  const shape = form.dataset ? shapeOf(form.dataset) : undefined
  const mlp = form.model.kind === 'mlp'
  const problem = useMemo(() => {
    if (!form.dataset) return 'Choose a CSV file, or a built-in dataset.'
    if (form.dataset.kind === 'csv') { const csv = csvChoiceProblem(form.dataset); if (csv) return csv }
    const model = modelSpecOf(form.model, shapeOf(form.dataset))
    if ('problem' in model) return model.problem
    if (form.sweep.enabled) { const plan = planSweep(form.sweep, mlp); if ('problem' in plan) return plan.problem }
    if (!experimentId) return 'Choose an experiment.'
    return undefined
  }, [form, mlp, experimentId])

  const start = async () => {
    if (problem || !form.dataset || !experimentId) return
    setStarting(true)
    try {
      const datasetName = shape!.name
      const baseName = form.runName.trim() || `${form.model.kind}-${datasetName}`
      const trials: Trial[] = form.sweep.enabled ? (planSweep(form.sweep, mlp) as { trials: Trial[] }).trials : [{}]
      const planned: PlannedRun[] = []
      for (const [index, trial] of trials.entries()) {
        const label = form.sweep.enabled ? `${baseName}-${index + 1} ${describeTrial(trial)}` : baseName
        const spec = specFor(form, experimentId, label, trial)
        if (typeof spec === 'string') throw new Error(`${label}: ${spec}`)
        planned.push({ label, spec, ...(form.sweep.enabled ? { shortLabel: `#${index + 1} ${describeTrial(trial)}` } : {}),
          // Mapped CSV labels: the Evaluate page maps an uploaded CSV's labels the same way.
          ...(shape?.classNames ? { tags: { [CLASS_NAMES_TAG]: JSON.stringify(shape.classNames) } } : {}) })
      }
      const rows = form.dataset.kind === 'builtin' ? BUILTIN_DATASETS[form.dataset.name].rows : form.dataset.table.rowCount
      const trainRows = Math.floor(rows * (1 - form.validationSplit))
      const sweepParams: Record<string, string> = {
        sweep_method: form.sweep.method, sweep_runs: String(trials.length), sweep_concurrency: String(form.sweep.concurrency),
        dataset: datasetName, model_preset: form.model.kind,
        ...Object.fromEntries(Object.entries(form.sweep.values).filter(([param]) => mlp || (param !== 'hiddenUnits' && param !== 'dropout'))
          .map(([param, text]) => [`sweep_${SWEEP_PARAM_KEYS[param as SweepParam]}`, text ?? ''])),
      }
      await startJob({
        kind: form.sweep.enabled ? 'sweep' : 'single', name: form.sweep.enabled ? `sweep-${baseName}` : baseName, experimentId, runs: planned,
        concurrency: form.sweep.enabled ? form.sweep.concurrency : 1, batchesPerEpoch: spec => Math.ceil(trainRows / (spec.fit?.batchSize ?? 32)),
        ...(form.sweep.enabled ? { sweepParams } : {}),
      })
    } catch (error) { showError(error) } finally { setStarting(false) }
  }

  const runCount = form.sweep.enabled ? (() => { const plan = planSweep(form.sweep, mlp); return 'trials' in plan ? plan.trials.length : 0 })() : 1
  return (
    <section class="page train-page" aria-labelledby="train-title">
      <header class="page-header">
        <div class="page-title-block">
          <h1 id="train-title" class="page-title">Train</h1>
          <p class="page-meta">Models train in Web Workers with autolog: parameters, every epoch's metrics and the model are logged to the experiment.</p>
        </div>
      </header>
      <div class="train-layout">
        <form class="train-form card" aria-label="Training setup" onSubmit={event => { event.preventDefault(); void start() }}>
          <section class="train-section" aria-labelledby="run-heading">
            <h2 id="run-heading">Run</h2>
            <div class="form-row">
              <label class="field"><span class="field-label">Experiment</span>
                <select class="input" value={experimentId ?? ''} onChange={event => setChosenExperiment(event.currentTarget.value)}>
                  {(experiments.value ?? []).map(experiment => <option key={experiment.experimentId} value={experiment.experimentId}>{experiment.name}</option>)}
                </select></label>
              <label class="field"><span class="field-label">Run name (optional)</span>
                <input class="input" value={form.runName} placeholder={`${form.model.kind}-${shape?.name ?? 'data'}`} onInput={event => setForm({ runName: event.currentTarget.value })} /></label>
            </div>
          </section>
          <DatasetPanel choice={form.dataset} onChange={dataset => setForm({ dataset })} validationSplit={form.validationSplit} onValidationSplit={validationSplit => setForm({ validationSplit })} />
          <ModelPanel state={form.model} shape={shape} onChange={model => setForm({ model })} />
          <HyperparameterPanel hyper={form.hyper} onChange={hyper => setForm({ hyper })} />
          <SweepPanel state={form.sweep} mlp={mlp} onChange={sweep => setForm({ sweep })} />
          <div class="train-submit">
            <label class="check-label"><input type="checkbox" checked={form.logModel} onChange={event => setForm({ logModel: event.currentTarget.checked })} /> Log the trained model</label>
            {problem && <p class="form-error train-problem">{problem}</p>}
            <button type="submit" class="button button-primary button-large" disabled={Boolean(problem) || starting}>
              {form.sweep.enabled ? `Start sweep (${runCount} runs)` : `Train ${MODEL_LABELS[form.model.kind].replace('Layers JSON', 'model')}`}
            </button>
          </div>
        </form>
        <div class="train-jobs" aria-label="Trainings" role="region">
          {jobs.length === 0 ? (
            <div class="train-empty card">
              <h2>No training yet</h2>
              <p class="muted">Pick data and a model, then press Train. Progress, a Stop button and live charts of loss and accuracy appear here; every run is also in its experiment.</p>
            </div>
          ) : <>
            <div class="section-head"><h2>Trainings</h2>{jobs.some(job => job.done) && <button type="button" class="button button-small button-quiet" onClick={clearEndedJobs}>Clear finished</button>}</div>
            {jobs.map((job, index) => <JobCard key={job.id} job={job} showCharts={index === 0} />)}
          </>}
        </div>
      </div>
    </section>
  )
}
