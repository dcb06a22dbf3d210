/**
 * The models the Evaluate page offers: tfjs models logged in runs (MLflow's mlflow.log-model.history tag)
 * and registered model versions, with what the run recorded about its training data.
 */
import type { Run } from '../../index.ts'
import { client } from '../lablog.ts'

/** One model to evaluate. */
export interface LoggedModel {
  /** `runs:/<id>/<path>` or `models:/<name>/<version>`. */
  uri: string
  runId: string
  runName: string
  experimentId: string
  experimentName: string
  artifactPath: string
  /** The `dataset` param training logged (a built-in name, or the CSV's name). */
  dataset?: string
  /** `model_preset` param. */
  preset?: string
  /** Validation (or training) accuracy at the end of training, when logged. */
  accuracy?: number
  startTime: number
  /** "name v3" for registered versions. */
  registered?: string
}

const HISTORY_TAG = 'mlflow.log-model.history'

/** The tfjs model paths a run's log-model history lists (an unreadable tag lists none). */
export function tfjsModelPaths(run: Run): string[] {
  try {
    const history = JSON.parse(run.data.tags[HISTORY_TAG] ?? '[]') as Array<{ artifact_path?: unknown; flavors?: Record<string, unknown> }>
    if (!Array.isArray(history)) return []
    const paths = history.filter(entry => typeof entry.artifact_path === 'string' && entry.flavors && 'tfjs' in entry.flavors).map(entry => entry.artifact_path as string)
    return [...new Set(paths)]
  } catch { return [] }
}

function describe(run: Run, experimentName: string, artifactPath: string, uri: string): LoggedModel {
  const metrics = run.data.metrics
  const accuracy = metrics.val_acc ?? metrics.val_accuracy ?? metrics.acc ?? metrics.accuracy
  return {
    uri, runId: run.info.runId, runName: run.info.runName, experimentId: run.info.experimentId, experimentName, artifactPath, startTime: run.info.startTime,
    ...(run.data.params.dataset ? { dataset: run.data.params.dataset } : {}),
    ...(run.data.params.model_preset ? { preset: run.data.params.model_preset } : {}),
    ...(accuracy !== undefined ? { accuracy } : {}),
  }
}

/** Every logged tfjs model in active experiments, newest first, then registered versions. */
export async function listLoggedModels(): Promise<LoggedModel[]> {
  const { experiments } = await client.searchExperiments({ maxResults: 1000 })
  const names = new Map(experiments.map(experiment => [experiment.experimentId, experiment.name]))
  const models: LoggedModel[] = []
  const runsById = new Map<string, Run>()
  if (experiments.length > 0) {
    let pageToken: string | undefined
    do {
      const page = await client.searchRuns({ experimentIds: [...names.keys()], orderBy: ['attributes.start_time DESC'], maxResults: 1000, ...(pageToken ? { pageToken } : {}) })
      for (const run of page.runs) {
        runsById.set(run.info.runId, run)
        for (const path of tfjsModelPaths(run)) models.push(describe(run, names.get(run.info.experimentId) ?? '', path, `runs:/${run.info.runId}/${path}`))
      }
      pageToken = page.nextPageToken
    } while (pageToken && models.length < 5000)
  }
  const { modelVersions } = await client.searchModelVersions({ maxResults: 1000 }).catch(() => ({ modelVersions: [] }))
  for (const version of modelVersions) {
    const run = version.runId ? runsById.get(version.runId) : undefined
    if (!run) continue
    // The source is the run's artifact URI + '/' + the model's path (or, as given, a runs:/ URI).
    const prefix = `${run.info.artifactUri}/`
    const path = version.source.startsWith(prefix) ? version.source.slice(prefix.length) : /^runs:\/[^/]+\/(.+)$/.exec(version.source)?.[1] ?? 'model'
    models.push({ ...describe(run, names.get(run.info.experimentId) ?? '', path, `models:/${version.name}/${version.version}`), registered: `${version.name} v${version.version}` })
  }
  return models
}
