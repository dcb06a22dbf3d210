/**
 * `lablog pull --tracking-uri URL --experiment NAME -o out.zip`: pulls runs from a tracking server
 * into an in-memory store and exports them as an archive (mlruns by default) that Lablog's app
 * imports and `mlflow ui` opens.
 */
import { createWriteStream } from 'node:fs'
import { rename, rm } from 'node:fs/promises'
import { Writable } from 'node:stream'
import { type ArchiveFormat, exportArchive } from '../../archive/index.ts'
import { pullRuns } from '../../sync/pull.ts'
import { type CliCommand, type CliIo, parseCommandArgs, UsageError } from '../command.ts'
import { inMemoryTrackingUri, withInterrupt } from '../memory-store.ts'
import { syncProgress } from '../sync-progress.ts'

const USAGE = `Usage: lablog pull --tracking-uri <url> --experiment <name> -o <out.zip> [options]

Downloads the active runs of one or more experiments from an MLflow tracking server — params,
tags, full metric histories, inputs and artifacts — into an archive. Pulled runs keep their ids
and carry the tag lablog.pulledFrom.

Options:
  --tracking-uri <url>    the server (required; or MLFLOW_TRACKING_URI)
  --experiment <name>     an experiment to pull; repeat for several (required unless --filter)
  --filter <expr>         only runs matching this MLflow search filter, e.g. "metrics.acc > 0.9"
  -o, --output <file>     where to write the zip (required; written whole or not at all)
  --format <format>       mlruns (default) | export-import
  --no-artifacts          leave artifact files on the server
  -q, --quiet             no progress display

Exit codes: 0 pulled, 1 failed, 2 usage.`

export const pullCommand: CliCommand = {
  name: 'pull',
  summary: 'pull runs from an MLflow tracking server into an archive',
  usage: USAGE,
  async run(args: string[], io: CliIo): Promise<number> {
    const { values } = parseCommandArgs({
      args, allowPositionals: false,
      options: {
        'tracking-uri': { type: 'string' }, experiment: { type: 'string', multiple: true }, filter: { type: 'string' },
        output: { type: 'string', short: 'o' }, format: { type: 'string' }, 'no-artifacts': { type: 'boolean' }, quiet: { type: 'boolean', short: 'q' },
      },
    })
    const trackingUri = values['tracking-uri'] ?? process.env.MLFLOW_TRACKING_URI
    if (!trackingUri || !/^https?:\/\//i.test(trackingUri)) throw new UsageError('--tracking-uri <http(s)://…> is required')
    if (!values.experiment?.length && !values.filter) throw new UsageError('--experiment <name> (or --filter) is required')
    if (!values.output) throw new UsageError('-o <out.zip> is required')
    const format = (values.format ?? 'mlruns') as ArchiveFormat
    if (format !== 'mlruns' && format !== 'export-import') throw new UsageError("--format must be 'mlruns' or 'export-import'")

    const progress = syncProgress(io, 'pull', Boolean(values.quiet))
    const staging = await inMemoryTrackingUri('pull')
    const includeArtifacts = !values['no-artifacts']
    const partial = `${values.output}.partial`
    try {
      const pulled = await withInterrupt(signal => pullRuns({
        from: trackingUri, to: staging, includeArtifacts, signal,
        ...(values.experiment?.length ? { experimentNames: values.experiment } : {}), ...(values.filter ? { filter: values.filter } : {}),
        onProgress: p => progress.update({ phase: p.phase, runsDone: p.runsDone, runCount: p.runCount, points: p.pointsReceived, artifacts: p.artifactsReceived }),
      }))
      progress.update({ phase: 'writing', runsDone: pulled.length, runCount: pulled.length, points: 0, artifacts: 0 })
      if (pulled.length === 0) { io.stdout.write(`No runs matched on ${trackingUri}: nothing written\n`); return 0 }
      const stream = await exportArchive({ trackingUri: staging, runIds: pulled.map(run => run.runId), format, includeArtifacts })
      // Written beside the target and renamed at the end, so a failure never leaves a half-written archive.
      await stream.pipeTo(Writable.toWeb(createWriteStream(partial)) as WritableStream<Uint8Array>)
      await rename(partial, values.output)
      const points = pulled.reduce((sum, run) => sum + run.pointsReceived, 0)
      const artifacts = pulled.reduce((sum, run) => sum + run.artifactsReceived, 0)
      const experiments = new Set(pulled.map(run => run.localExperimentId)).size
      io.stdout.write(`Pulled ${pulled.length} runs from ${experiments} experiments of ${trackingUri}: ${points} metric points, ${artifacts} artifacts → ${values.output}\n`)
      return 0
    } catch (error) {
      await rm(partial, { force: true })
      throw error
    } finally {
      progress.done()
    }
  },
}
