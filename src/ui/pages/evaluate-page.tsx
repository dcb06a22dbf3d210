/**
 * The Evaluate page (a lazy chunk): pick a logged model and data, run mlflow.evaluate in the evaluate worker
 * (progress, cancel), then see the metrics, the figures and a clickable confusion matrix listing its rows.
 */
import { useEffect, useRef, useState } from 'preact/hooks'
import { BUILTIN_DATASETS, type BuiltinDatasetName, EvaluateBridge, type EvaluationProgress, isMlflowError, parseCsvTable } from '../../index.ts'
import { createEvaluateWorker } from '../../../workers/create-evaluate-worker.ts'
import { KeyValueTable } from '../components/key-value-table.tsx'
import { ProgressBar } from '../components/progress-bar.tsx'
import { describeError } from '../errors.ts'
import { ConfusionMatrix, type ResultsTable } from '../evaluate/confusion-matrix.tsx'
import { type EvalSource, type TrainingRecord, prepareData, trainingRecord } from '../evaluate/eval-data.ts'
import { EvalPlots, type Figure } from '../evaluate/eval-plots.tsx'
import { type LoggedModel, listLoggedModels } from '../evaluate/logged-models.ts'
import { formatAgo, formatNumber } from '../format.ts'
import { useAsync } from '../hooks/use-async.ts'
import { client } from '../lablog.ts'
import { hrefFor } from '../router.ts'
import '../styles/train.css'

let bridge: EvaluateBridge | undefined
const evaluateBridge = () => (bridge ??= new EvaluateBridge({ createWorker: createEvaluateWorker }))

const STAGES: Record<EvaluationProgress['stage'], string> = {
  data: 'Reading the data', predict: 'Running the model', baseline: 'Running the baseline', metrics: 'Computing metrics', plots: 'Drawing plots', log: 'Logging results', done: 'Done',
}

interface Outcome { runId: string; runName: string; metrics: Record<string, number>; figures: Figure[]; table?: ResultsTable; targets: string; labelList?: number[]; classNames?: string[]; warnings: string[]; classifier: boolean }

type SourceKind = EvalSource['kind']

function ModelTable({ models, chosen, onChoose }: { models: LoggedModel[]; chosen: string | undefined; onChoose: (uri: string) => void }) {
  return (
    <div class="model-table-wrap">
      <table class="model-table" aria-label="Logged models">
        <thead><tr><th scope="col">Model</th><th scope="col">Experiment</th><th scope="col">Dataset</th><th scope="col">Preset</th><th scope="col" class="num">Accuracy</th><th scope="col">Logged</th></tr></thead>
        <tbody>
          {models.map(model => (
            <tr key={model.uri} aria-selected={chosen === model.uri} onClick={() => onChoose(model.uri)}>
              <td><label class="check-label"><input type="radio" name="model" checked={chosen === model.uri} onChange={() => onChoose(model.uri)} />
                <span>{model.runName}{model.registered ? ` · ${model.registered}` : ''}</span></label></td>
              <td>{model.experimentName}</td><td>{model.dataset ?? '—'}</td><td>{model.preset ?? '—'}</td>
              <td class="num">{model.accuracy === undefined ? '—' : formatNumber(model.accuracy)}</td><td>{formatAgo(model.startTime)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}

async function readOutcome(runId: string, runName: string, artifactUri: string, result: { metrics: Record<string, number>; plotlyArtifacts: Record<string, string>; artifacts: Record<string, string>; warnings: string[] },
  targets: string, classifier: boolean, labelList?: number[], classNames?: string[]): Promise<Outcome> {
  const pathOf = (uri: string) => uri.slice(artifactUri.length + 1)
  const figures = await Promise.all(Object.entries(result.plotlyArtifacts).filter(([name]) => name !== 'confusion_matrix').map(async ([name, uri]) => {
    const figure = await client.readArtifactJson<{ data: Figure['data']; layout: Figure['layout'] }>(runId, pathOf(uri))
    return { name, data: figure.data, layout: figure.layout ?? {} }
  }))
  const tableUri = result.artifacts.eval_results_table
  const table = tableUri ? await client.readArtifactJson<ResultsTable>(runId, pathOf(tableUri)) : undefined
  return { runId, runName, metrics: result.metrics, figures, ...(table ? { table } : {}), targets, ...(labelList ? { labelList } : {}), ...(classNames ? { classNames } : {}), warnings: result.warnings, classifier }
}

export function EvaluatePage() {
  const models = useAsync(listLoggedModels, [])
  const [chosenUri, setChosenUri] = useState<string>()
  const chosen = models.value?.find(model => model.uri === chosenUri) ?? models.value?.[0]
  const record = useAsync<TrainingRecord>(async () => (chosen ? trainingRecord(chosen.runId) : {}), [chosen?.runId])
  const heldOut = { loading: record.loading, value: record.value?.heldOut }
  const [kind, setKind] = useState<SourceKind>()
  const [builtin, setBuiltin] = useState<BuiltinDatasetName>('iris')
  const [csv, setCsv] = useState<{ file: File; columns: string[]; targets: string; modelType: 'classifier' | 'regressor' }>()
  const [csvError, setCsvError] = useState<string>()
  const [progress, setProgress] = useState<EvaluationProgress>()
  const [error, setError] = useState<string>()
  const [outcome, setOutcome] = useState<Outcome>()
  const controller = useRef<AbortController>()

  // A model's own data comes first: its held-out split when the run recorded one, else its built-in dataset.
  useEffect(() => {
    if (heldOut.loading) return
    if (chosen?.dataset && chosen.dataset in BUILTIN_DATASETS) setBuiltin(chosen.dataset as BuiltinDatasetName)
    setKind(heldOut.value ? 'heldout' : 'builtin')
  }, [chosen?.uri, heldOut.loading, heldOut.value])
  useEffect(() => () => controller.current?.abort(), [])

  const chooseCsv = async (file: File | undefined) => {
    setCsvError(undefined)
    if (!file) return
    try {
      const table = parseCsvTable(await file.text())
      const targets = table.columns.find(name => /^(target|label|class|y)$/i.test(name)) ?? table.columns[table.columns.length - 1]!
      setCsv({ file, columns: table.columns, targets, modelType: 'classifier' })
    } catch (caught) { setCsvError(describeError(caught)) }
  }

  const source: EvalSource | undefined = kind === 'heldout' && heldOut.value ? { kind: 'heldout', info: heldOut.value }
    : kind === 'builtin' ? { kind: 'builtin', name: builtin } : kind === 'csv' && csv ? { kind: 'csv', file: csv.file, targets: csv.targets, modelType: csv.modelType, ...(record.value ? { training: record.value } : {}) } : undefined

  const run = async () => {
    if (!chosen || !source) return
    const abort = new AbortController()
    controller.current = abort
    setError(undefined); setOutcome(undefined); setProgress({ stage: 'data', fraction: 0 })
    let runId: string | undefined
    try {
      const data = await prepareData(source)
      const runName = `evaluate-${chosen.runName}`
      const created = await client.createRun(chosen.experimentId, { runName, tags: { 'lablog.evaluated_model': chosen.uri, 'mlflow.parentRunId': chosen.runId } })
      runId = created.info.runId
      const result = await evaluateBridge().evaluate({
        model: chosen.uri, data: data.data, targets: data.targets, modelType: data.modelType, datasetName: data.datasetName, runId,
        ...(data.labelList ? { evaluatorConfig: { labelList: data.labelList } } : {}),
      }, { signal: abort.signal, onProgress: setProgress })
      await client.setTerminated(runId, 'FINISHED')
      setOutcome(await readOutcome(runId, runName, created.info.artifactUri, result, data.targets, data.modelType === 'classifier', data.labelList, data.classNames))
    } catch (caught) {
      const cancelled = isMlflowError(caught, 'CANCELLED') || abort.signal.aborted
      if (runId) await client.setTerminated(runId, cancelled ? 'KILLED' : 'FAILED').catch(() => {})
      setError(cancelled ? 'The evaluation was cancelled; nothing was logged.' : describeError(caught))
    } finally {
      setProgress(undefined)
      controller.current = undefined
    }
  }

  const busy = progress !== undefined
  return (
    <section class="page evaluate-page" aria-labelledby="evaluate-title">
      <header class="page-header">
        <div class="page-title-block">
          <h1 id="evaluate-title" class="page-title">Evaluate</h1>
          <p class="page-meta">Runs <code>mlflow.evaluate</code> on a logged model in a worker and logs metrics, plots and the results table to a new run.</p>
        </div>
      </header>
      <div class="eval-layout">
        <section class="card" aria-labelledby="models-heading">
          <div class="section-head"><h2 id="models-heading">Model</h2>{models.value && <span class="muted">{models.value.length} logged model{models.value.length === 1 ? '' : 's'}</span>}</div>
          {models.error ? <p class="form-error">{describeError(models.error)}</p>
            : !models.value ? <p class="muted" aria-busy="true">Looking for logged models…</p>
            : models.value.length === 0 ? <p class="muted">No logged tfjs model yet. <a href="#/train">Train one</a>: the Train page logs the model with every run.</p>
            : <ModelTable models={models.value} chosen={chosen?.uri} onChoose={setChosenUri} />}
        </section>
        {chosen && (
          <section class="card" aria-labelledby="eval-data-heading">
            <h2 id="eval-data-heading" class="section-title">Data</h2>
            <div class="segmented" role="radiogroup" aria-label="Evaluation data">
              <button type="button" role="radio" aria-checked={kind === 'heldout'} disabled={!heldOut.value} title={heldOut.value ? undefined : 'The run recorded no built-in training data to rebuild a split from'}
                onClick={() => setKind('heldout')}>Held-out validation split</button>
              <button type="button" role="radio" aria-checked={kind === 'builtin'} onClick={() => setKind('builtin')}>Built-in dataset</button>
              <button type="button" role="radio" aria-checked={kind === 'csv'} onClick={() => setKind('csv')}>Upload CSV</button>
            </div>
            <div class="field-spaced">
              {kind === 'heldout' && heldOut.value && <p class="field-hint">The {Math.round(heldOut.value.validationSplit * 100)}% of {heldOut.value.dataset} that training held out for validation
                (seed {heldOut.value.seed}): rows the model never trained on.</p>}
              {kind === 'builtin' && (
                <label class="field field-narrow-select"><span class="field-label">Dataset</span>
                  <select class="input" value={builtin} onChange={event => setBuiltin(event.currentTarget.value as BuiltinDatasetName)}>
                    {Object.values(BUILTIN_DATASETS).map(info => <option key={info.name} value={info.name}>{info.name} — {info.rows} rows</option>)}
                  </select></label>
              )}
              {kind === 'csv' && (
                <div class="form-row">
                  <label class="field"><span class="field-label">CSV file</span>
                    <input class="input input-file" type="file" accept=".csv,text/csv" onChange={event => void chooseCsv(event.currentTarget.files?.[0])} /></label>
                  {csv && <>
                    <label class="field"><span class="field-label">Target column</span>
                      <select class="input" value={csv.targets} onChange={event => setCsv({ ...csv, targets: event.currentTarget.value })}>
                        {csv.columns.map(name => <option key={name} value={name}>{name}</option>)}
                      </select></label>
                    <label class="field"><span class="field-label">Model type</span>
                      <select class="input" value={csv.modelType} onChange={event => setCsv({ ...csv, modelType: event.currentTarget.value as 'classifier' | 'regressor' })}>
                        <option value="classifier">Classifier</option><option value="regressor">Regressor</option>
                      </select></label>
                  </>}
                </div>
              )}
              {csvError && <p class="form-error" role="alert">{csvError}</p>}
            </div>
            <div class="eval-actions">
              <button type="button" class="button button-primary" disabled={!source || busy} onClick={() => void run()}>Evaluate</button>
              {busy && <div class="eval-progress"><ProgressBar label="Evaluation" fraction={progress.fraction} detail={STAGES[progress.stage]} onCancel={() => controller.current?.abort()} /></div>}
            </div>
            {error && <p class="form-error" role="alert">{error}</p>}
          </section>
        )}
        {outcome && (
          <section class="eval-results-block" aria-labelledby="results-heading">
            <div class="section-head"><h2 id="results-heading">Results</h2><a href={hrefFor({ page: 'run', runId: outcome.runId, tab: 'artifacts' })}>Open run {outcome.runName}</a></div>
            <div class="eval-results">
              <div class="section">
                <h3 class="section-title">Metrics</h3>
                <KeyValueTable label="Evaluation metrics" empty="No metrics." rows={Object.entries(outcome.metrics).sort(([a], [b]) => a.localeCompare(b)).map(([key, value]) => ({ key, value: formatNumber(value), title: String(value) }))} />
                {outcome.warnings.length > 0 && <ul class="warning-list">{outcome.warnings.map(warning => <li key={warning}>{warning}</li>)}</ul>}
              </div>
              {outcome.classifier && outcome.table && (
                <div class="section">
                  <h3 class="section-title">Confusion matrix</h3>
                  <ConfusionMatrix table={outcome.table} targetColumn={outcome.targets} predictionColumn={outcome.table.columns[outcome.table.columns.length - 1]!} {...(outcome.labelList ? { labelList: outcome.labelList } : {})} {...(outcome.classNames ? { classNames: outcome.classNames } : {})} />
                </div>
              )}
            </div>
            <EvalPlots figures={outcome.figures} />
          </section>
        )}
      </div>
    </section>
  )
}
