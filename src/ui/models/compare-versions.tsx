/**
 * Compare two versions: both evaluated (mlflow.evaluate, in the evaluate worker) on the same built-in
 * dataset, metrics side by side. Each evaluation is logged as a run, as MLflow's evaluate does.
 */
import { useRef, useState } from 'preact/hooks'
import { BUILTIN_DATASETS, type BuiltinDatasetName, EvaluateBridge, type ModelVersion, isMlflowError } from '../../index.ts'
import { createEvaluateWorker } from '../../../workers/create-evaluate-worker.ts'
import { ProgressBar } from '../components/progress-bar.tsx'
import { describeError } from '../errors.ts'
import { formatNumber } from '../format.ts'
import { hrefFor } from '../router.ts'

let bridge: EvaluateBridge | undefined
const evaluator = () => (bridge ??= new EvaluateBridge({ createWorker: createEvaluateWorker }))

/** Metrics where smaller is better (errors and losses); the rest are scores. */
const lowerIsBetter = (key: string) => /error|loss|mse|mae|rmse|mape/i.test(key)

interface Side { version: string; runId: string; metrics: Record<string, number> }

export function CompareVersions({ name, versions }: { name: string; versions: ModelVersion[] }) {
  const [a, setA] = useState(versions[1]?.version ?? versions[0]?.version ?? '')
  const [b, setB] = useState(versions[0]?.version ?? '')
  const [dataset, setDataset] = useState<BuiltinDatasetName>('iris')
  const [status, setStatus] = useState<{ fraction: number; detail: string }>()
  const [result, setResult] = useState<[Side, Side]>()
  const [error, setError] = useState<string>()
  const controller = useRef<AbortController>()

  const compare = async (event: Event) => {
    event.preventDefault()
    const abort = controller.current = new AbortController()
    setResult(undefined); setError(undefined)
    const info = BUILTIN_DATASETS[dataset]
    try {
      // Fetched once here: the same bytes for both versions (precached, so this works offline).
      const data = await (await fetch(`/datasets/${info.file}`)).blob()
      const sides: Side[] = []
      for (const [index, version] of [a, b].entries()) {
        const evaluation = await evaluator().evaluate({
          model: `models:/${name}/${version}`, data, targets: 'target', datasetName: info.name,
          modelType: info.task === 'regression' ? 'regressor' : 'classifier', logEvalResultsTable: false,
        }, {
          signal: abort.signal,
          onProgress: progress => setStatus({ fraction: (index + progress.fraction) / 2, detail: `Version ${version}: ${progress.stage}` }),
        })
        sides.push({ version, runId: evaluation.runId, metrics: evaluation.metrics })
      }
      setResult([sides[0]!, sides[1]!])
    } catch (caught) {
      setError(isMlflowError(caught, 'CANCELLED') ? 'Comparison cancelled.' : describeError(caught))
    } finally { setStatus(undefined) }
  }

  const keys = result ? [...new Set([...Object.keys(result[0].metrics), ...Object.keys(result[1].metrics)])].sort() : []
  const better = (key: string, mine: number | undefined, other: number | undefined) =>
    mine !== undefined && other !== undefined && mine !== other && (lowerIsBetter(key) ? mine < other : mine > other)
  return (
    <form class="section" onSubmit={compare} aria-labelledby="compare-title">
      <h2 id="compare-title" class="section-head">Compare two versions</h2>
      <p class="muted">Evaluates both versions on the same built-in dataset; the models must take its features as input.</p>
      <div class="settings-row">
        <select class="input" aria-label="First version" value={a} onChange={event => setA(event.currentTarget.value)}>
          {versions.map(version => <option key={version.version} value={version.version}>v{version.version}</option>)}
        </select>
        <span class="muted">vs</span>
        <select class="input" aria-label="Second version" value={b} onChange={event => setB(event.currentTarget.value)}>
          {versions.map(version => <option key={version.version} value={version.version}>v{version.version}</option>)}
        </select>
        <select class="input" aria-label="Dataset" value={dataset} onChange={event => setDataset(event.currentTarget.value as BuiltinDatasetName)}>
          {Object.values(BUILTIN_DATASETS).map(info => <option key={info.name} value={info.name}>{info.name} ({info.task})</option>)}
        </select>
        <button type="submit" class="button" disabled={!!status || !a || !b || a === b}>Evaluate both</button>
      </div>
      {status && <ProgressBar label="Comparison progress" fraction={status.fraction} detail={status.detail} onCancel={() => controller.current?.abort()} />}
      {error && <p class="result-box result-error" role="alert">{error}</p>}
      {result && (
        <table class="data-table compare-metrics" aria-label="Version metrics">
          <thead><tr><th scope="col">Metric</th>{result.map(side => <th key={side.version} scope="col" class="num"><a href={hrefFor({ page: 'run', runId: side.runId, tab: 'overview' })}>v{side.version}</a></th>)}</tr></thead>
          <tbody>
            {keys.map(key => (
              <tr key={key}>
                <th scope="row" class="kv-key">{key}</th>
                {result.map((side, index) => {
                  const value = side.metrics[key]
                  return <td key={side.version} class={`num ${better(key, value, result[1 - index]!.metrics[key]) ? 'better' : ''}`}>{value === undefined ? '—' : formatNumber(value)}</td>
                })}
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </form>
  )
}
