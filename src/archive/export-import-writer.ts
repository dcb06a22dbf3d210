/**
 * Writes ArchiveContents in mlflow-export-import's layout (docs mlflow-compat §2): the folder
 * `import-experiments --input-dir` reads, with `experiments.json`, one folder per experiment
 * (`experiment.json`) and one per run (`run.json` + `artifacts/`).
 */
import type { DatasetInput } from '../core/types.ts'
import { throwIfAborted } from './archive-errors.ts'
import { LABLOG_VERSION } from './manifest.ts'
import { type ArchiveCompression, type ArchiveContents, type ArchiveExperiment, type ArchiveRun, type ExportImportLayout, eachRunWithMetrics } from './model.ts'
import { metricCompression } from './mlruns-writer.ts'
import type { MetricColumns } from '../store/tracking-store.ts'
import { stringifyPythonJson } from './python-format.ts'
import { EXPERIMENTS_DIR, carriesRegistry, writeRegistryExportImport } from './registry-export-import.ts'
import type { ZipStreamWriter } from './zip-writer.ts'

/** The tool version whose format this is: 1.2.0 is PyPI's latest, and master still reports it. */
const TOOL_VERSION = '1.2.0'

export interface ExportImportWriteOptions {
  includeArtifacts: boolean
  layout: ExportImportLayout
  signal?: AbortSignal
  onRunWritten?: (run: ArchiveRun) => void
  onArtifactBytes?: (bytes: number) => void
  compression?: ArchiveCompression
}

/** Where a run's folder goes inside its experiment's folder, for each layout. */
export function runFolder(experimentDir: string, runId: string, layout: ExportImportLayout): string {
  return layout === 'released' ? `${experimentDir}${runId}/` : `${experimentDir}runs/${runId}/`
}

function system(script: string, now: Date) {
  return {
    package_version: TOOL_VERSION,
    script,
    export_file_version: '2',
    export_time: Math.floor(now.getTime() / 1000),
    _export_time: now.toISOString().slice(0, 19).replace('T', ' '),
    mlflow_version: '',
    mlflow_tracking_uri: '',
    platform: { python_version: '', system: 'lablog', processor: '' },
    user: '',
    lablog_version: LABLOG_VERSION,
  }
}

/**
 * Writes every experiment, then `experiments.json` listing them (import-experiments reads it first).
 * With registered models, export-models' layout: the experiments under `experiments/`, then `models/`.
 */
export async function writeExportImport(contents: ArchiveContents, zip: ZipStreamWriter, options: ExportImportWriteOptions): Promise<void> {
  const now = new Date()
  const root = carriesRegistry(contents) ? EXPERIMENTS_DIR : ''
  const summaries: Array<{ id: string; name: string; ok_runs: number; failed_runs: number; duration: number }> = []
  for (const item of contents.experiments) {
    await writeExperiment(zip, `${root}${item.experiment.experimentId}/`, item, now, options)
    summaries.push({ id: item.experiment.experimentId, name: item.experiment.name, ok_runs: item.runs.length, failed_runs: 0, duration: 0 })
  }
  const totalRuns = summaries.reduce((sum, item) => sum + item.ok_runs, 0)
  await zip.addBytes(`${root}experiments.json`, stringifyPythonJson({
    system: system('export_experiments.py', now),
    info: { experiments: summaries.length, total_runs: totalRuns, ok_runs: totalRuns, failed_runs: 0, duration: 0 },
    mlflow: { experiments: summaries },
  }))
  if (!root) return
  await writeRegistryExportImport(contents, zip, {
    system: script => system(script, now),
    runFolder: (experimentId, runId) => runFolder(`${root}${experimentId}/`, runId, options.layout),
    ...(options.signal ? { signal: options.signal } : {}),
  })
}

async function writeExperiment(zip: ZipStreamWriter, dir: string, { experiment, runs }: ArchiveExperiment, now: Date, options: ExportImportWriteOptions): Promise<void> {
  await zip.addBytes(`${dir}experiment.json`, stringifyPythonJson({
    system: system('export_experiment.py', now),
    info: { num_total_runs: runs.length, num_ok_runs: runs.length, num_failed_runs: 0, failed_runs: [] },
    mlflow: {
      experiment: {
        experiment_id: experiment.experimentId, name: experiment.name, artifact_location: experiment.artifactLocation,
        lifecycle_stage: experiment.lifecycleStage, tags: experiment.tags,
        creation_time: experiment.creationTime, last_update_time: experiment.lastUpdateTime,
      },
      runs: runs.map(run => run.info.runId),
    },
  }))
  await eachRunWithMetrics(runs, options.signal, async (run, metrics) => {
    await writeRun(zip, runFolder(dir, run.info.runId, options.layout), run, metrics, now, options)
    options.onRunWritten?.(run)
  })
}

async function writeRun(zip: ZipStreamWriter, dir: string, run: ArchiveRun, columns: MetricColumns[], now: Date, options: ExportImportWriteOptions): Promise<void> {
  const { info } = run
  const metrics: Record<string, Array<{ value: number; timestamp: number; step: number }>> = {}
  for (const [keyIndex, key] of run.metricKeys.entries()) {
    const { steps, values, timestamps } = columns[keyIndex]!
    const points = new Array<{ value: number; timestamp: number; step: number }>(steps.length)
    for (let index = 0; index < steps.length; index++) points[index] = { value: values[index]!, timestamp: timestamps[index]!, step: steps[index]! }
    metrics[key] = points
  }
  const tags = { ...run.tags }
  // The importer names the new run from this tag, so it must be there.
  if (tags['mlflow.runName'] === undefined && info.runName) tags['mlflow.runName'] = info.runName
  const runJson = stringifyPythonJson({
    system: system('export_run.py', now),
    mlflow: {
      info: {
        run_uuid: info.runId, run_id: info.runId, experiment_id: info.experimentId, user_id: info.userId,
        status: info.status, start_time: info.startTime, end_time: info.endTime,
        lifecycle_stage: info.lifecycleStage, artifact_uri: info.artifactUri, run_name: info.runName,
      },
      params: run.params,
      metrics,
      tags,
      // `{}` is the one value every tool version accepts (docs §2.4); datasets travel in `lablog` below.
      inputs: options.layout === 'runs-subfolder' && run.inputs.length ? { dataset_inputs: run.inputs.map(toToolDatasetInput) } : {},
    },
    lablog: {
      ...(run.deletedTime !== undefined ? { deleted_time: run.deletedTime } : {}),
      dataset_inputs: run.inputs.map(toToolDatasetInput),
    },
  })
  await zip.addBytes(`${dir}run.json`, runJson, runJson.length < 64 * 1024 ? 'auto' : metricCompression(options.compression))
  await zip.addDirectory(`${dir}artifacts/`)
  if (!options.includeArtifacts) return
  for (const artifact of await run.listArtifacts()) {
    throwIfAborted(options.signal)
    await zip.addBlob(`${dir}artifacts/${artifact.path}`, await artifact.read(), 'auto', options.onArtifactBytes)
  }
}

/** A dataset input in MLflow's REST/protobuf JSON shape, as the tool's master reads it. */
function toToolDatasetInput(input: DatasetInput) {
  const { dataset } = input
  return {
    dataset: {
      name: dataset.name, digest: dataset.digest, source_type: dataset.sourceType, source: dataset.source,
      ...(dataset.schema !== undefined ? { schema: dataset.schema } : {}),
      ...(dataset.profile !== undefined ? { profile: dataset.profile } : {}),
    },
    tags: Object.entries(input.tags).map(([key, value]) => ({ key, value })),
  }
}
