/**
 * `lablog push <archive.zip> --tracking-uri URL`: imports an archive (mlruns or export-import) into
 * an in-memory store and pushes its runs to a tracking server — the way past a server that does not
 * allow the browser's origin. Pushing the same archive again sends only what the server lacks.
 */
import { openAsBlob } from 'node:fs'
import { stat } from 'node:fs/promises'
import { importArchive } from '../../archive/index.ts'
import { pushRuns } from '../../sync/push.ts'
import { type CliCommand, type CliIo, parseCommandArgs, UsageError } from '../command.ts'
import { inMemoryTrackingUri, withInterrupt } from '../memory-store.ts'
import { syncProgress } from '../sync-progress.ts'

const USAGE = `Usage: lablog push <archive.zip> --tracking-uri <url> [options]

Pushes every run of an archive (MLflow's mlruns layout or mlflow-export-import's, as Lablog
exports them) to an MLflow tracking server. Experiments are matched by name and created when
absent; nested runs keep their parents. Pushing again sends only what is new.

Options:
  --tracking-uri <url>    the server, e.g. http://mlflow.team:5000 (required; or MLFLOW_TRACKING_URI)
  --experiment <name>     push every run into this experiment instead of its own
  --no-artifacts          leave artifact files out
  -q, --quiet             no progress display

Credentials come from MLFLOW_TRACKING_USERNAME/MLFLOW_TRACKING_PASSWORD or MLFLOW_TRACKING_TOKEN,
or the URL (http://user:pass@host). Exit codes: 0 pushed, 1 failed (run again to resume), 2 usage.`

export const pushCommand: CliCommand = {
  name: 'push',
  summary: 'push the runs of an archive to an MLflow tracking server',
  usage: USAGE,
  async run(args: string[], io: CliIo): Promise<number> {
    const { values, positionals } = parseCommandArgs({
      args, allowPositionals: true,
      options: { 'tracking-uri': { type: 'string' }, experiment: { type: 'string' }, 'no-artifacts': { type: 'boolean' }, quiet: { type: 'boolean', short: 'q' } },
    })
    if (positionals.length !== 1) throw new UsageError('push needs exactly one archive')
    const trackingUri = values['tracking-uri'] ?? process.env.MLFLOW_TRACKING_URI
    if (!trackingUri || !/^https?:\/\//i.test(trackingUri)) throw new UsageError('--tracking-uri <http(s)://…> is required')
    if (values.experiment === '') throw new UsageError('--experiment needs a name')
    if (!(await stat(positionals[0]!).catch(() => null))?.isFile()) throw new UsageError(`no such file: ${positionals[0]}`)

    const progress = syncProgress(io, 'push', Boolean(values.quiet))
    const staging = await inMemoryTrackingUri('push')
    try {
      const imported = await importArchive(await openAsBlob(positionals[0]!), {
        trackingUri: staging,
        onProgress: p => progress.update({ phase: `reading ${p.phase}`, runsDone: p.runsDone, runCount: p.runsTotal, points: 0, artifacts: 0 }),
      })
      const runIds = [...imported.runsImported, ...imported.runsAlreadyPresent]
      if (runIds.length === 0) { progress.done(); io.stdout.write(`The archive holds no runs: nothing pushed to ${trackingUri}\n`); return 0 }
      const pushed = await withInterrupt(signal => pushRuns({
        runIds, from: staging, to: trackingUri, includeArtifacts: !values['no-artifacts'], signal,
        ...(values.experiment ? { experimentName: values.experiment } : {}),
        onProgress: p => progress.update({ phase: p.phase, runsDone: p.runsDone, runCount: p.runCount, points: p.pointsSent, artifacts: p.artifactsSent }),
      }))
      progress.done()
      const created = pushed.filter(run => run.created).length
      const points = pushed.reduce((sum, run) => sum + run.pointsSent, 0)
      const artifacts = pushed.reduce((sum, run) => sum + run.artifactsSent, 0)
      io.stdout.write(`Pushed ${pushed.length} runs to ${trackingUri}: ${created} created, ${pushed.length - created} already there; ${points} metric points and ${artifacts} artifacts sent\n`)
      return 0
    } finally {
      progress.done()
    }
  },
}
