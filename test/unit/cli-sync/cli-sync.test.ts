// `lablog push` and `lablog pull` run as a user runs them (node bin/lablog.js, a child process)
// against the test MLflow server: archives go up, a second push sends nothing, pulls come back
// as archives, and scripts can rely on the exit codes.
import { execFile } from 'node:child_process'
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs'
import { openAsBlob } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterEach, beforeEach, expect, test } from 'vitest'
import { exportArchiveBlob, importArchive } from '../../../src/archive/index.ts'
import { MlflowClient } from '../../../src/tracking/client.ts'
import { freshTrackingUri } from '../../helpers.ts'
import { MlflowTestServer } from '../../support/mlflow-test-server.ts'

const bin = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../bin/lablog.js')
const T0 = 1_735_689_600_000

interface Outcome { code: number; stdout: string; stderr: string }
function lablog(args: string[], cwd: string, env: Record<string, string> = {}): Promise<Outcome> {
  return new Promise(resolve => {
    execFile(process.execPath, [bin, ...args], { cwd, env: { ...process.env, ...env } }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr })
    })
  })
}

let server: MlflowTestServer
let dir: string
let local: MlflowClient
let runIds: string[]

beforeEach(async () => {
  server = await MlflowTestServer.start()
  dir = mkdtempSync(path.join(tmpdir(), 'lablog-cli-sync-'))
  const uri = freshTrackingUri('cli-sync')
  local = new MlflowClient(uri)
  const experimentId = await local.createExperiment('cli-exp')
  const parent = await local.createRun(experimentId, { runName: 'parent', startTime: T0 })
  const child = await local.createRun(experimentId, { runName: 'child', startTime: T0 + 1, tags: { 'mlflow.parentRunId': parent.info.runId } })
  for (const run of [parent, child]) {
    await local.logParam(run.info.runId, 'lr', '0.01')
    await local.logBatch(run.info.runId, { metrics: Array.from({ length: 1000 }, (_, step) => ({ key: 'loss', value: 1 / (step + 1), timestamp: T0 + step, step })) })
    await local.logText(run.info.runId, `hello from ${run.info.runName}`, 'notes/hello.txt')
    await local.setTerminated(run.info.runId, 'FINISHED', T0 + 5000)
  }
  runIds = [parent.info.runId, child.info.runId]
  writeFileSync(path.join(dir, 'runs.zip'), new Uint8Array(await (await exportArchiveBlob({ trackingUri: uri, runIds })).arrayBuffer()))
})
afterEach(async () => { expect(server.violations()).toEqual([]); await server.close() })

test('push sends an archive to the server; pushing it again sends nothing new', async () => {
  const first = await lablog(['push', 'runs.zip', '--tracking-uri', server.url], dir)
  expect(first).toMatchObject({ code: 0 })
  expect(first.stdout).toContain(`Pushed 2 runs to ${server.url}: 2 created, 0 already there; 2000 metric points and 2 artifacts sent`)
  expect(first.stderr).toContain('push:')

  const remote = new MlflowClient(server.url)
  const experiment = await remote.getExperimentByName('cli-exp')
  const { runs } = await remote.searchRuns({ experimentIds: [experiment!.experimentId] })
  const bySource = new Map(runs.map(run => [run.data.tags['lablog.sourceRunId'], run]))
  const [parent, child] = runIds.map(id => bySource.get(id)!)
  expect(child!.data.tags['mlflow.parentRunId']).toBe(parent!.info.runId)
  expect(await remote.getMetricHistory(child!.info.runId, 'loss')).toEqual(await local.getMetricHistory(runIds[1]!, 'loss'))
  expect(await remote.readArtifactText(parent!.info.runId, 'notes/hello.txt')).toBe('hello from parent')

  const creates = server.requestsTo('runs/create').length
  const again = await lablog(['push', 'runs.zip', '--tracking-uri', server.url, '--quiet'], dir)
  expect(again.stdout).toContain('0 created, 2 already there; 0 metric points and 0 artifacts sent')
  expect(again.stderr).toBe('')
  expect(server.requestsTo('runs/create')).toHaveLength(creates)
}, 60_000)

test('pull writes the server runs to an archive that imports with every point', async () => {
  expect((await lablog(['push', 'runs.zip', '--tracking-uri', server.url, '--experiment', 'shared', '-q'], dir)).code).toBe(0)
  const pulled = await lablog(['pull', '--tracking-uri', server.url, '--experiment', 'shared', '-o', 'pulled.zip'], dir)
  expect(pulled).toMatchObject({ code: 0 })
  expect(pulled.stdout).toContain('Pulled 2 runs from 1 experiments')
  const into = freshTrackingUri('cli-pulled')
  const imported = await importArchive(await openAsBlob(path.join(dir, 'pulled.zip')), { trackingUri: into })
  expect(imported.runsImported).toHaveLength(2)
  const copy = new MlflowClient(into)
  for (const runId of imported.runsImported) {
    const run = await copy.getRun(runId)
    expect(run.data.tags['lablog.pulledFrom']).toBe(server.url)
    expect(await copy.getMetricHistory(runId, 'loss')).toEqual(await local.getMetricHistory(runIds[0]!, 'loss'))
    expect(await copy.readArtifactText(runId, 'notes/hello.txt')).toMatch(/^hello from /)
  }
}, 60_000)

test('exit codes: 2 for usage mistakes, 0 for --help, 1 when the server refuses', async () => {
  const noUri = await lablog(['push', 'runs.zip'], dir, { MLFLOW_TRACKING_URI: '' })
  expect(noUri.code).toBe(2)
  expect(noUri.stderr).toContain('--tracking-uri')
  expect((await lablog(['pull', '--tracking-uri', server.url, '-o', 'x.zip'], dir)).code).toBe(2)
  const help = await lablog(['pull', '--help'], dir)
  expect(help).toMatchObject({ code: 0 })
  expect(help.stdout).toContain('Usage: lablog pull')
  expect((await lablog(['--help'], dir)).stdout).toMatch(/push .*\n.*pull /s)

  const guarded = await MlflowTestServer.start({ auth: { username: 'ana', password: 'secret' } })
  try {
    const refused = await lablog(['push', 'runs.zip', '--tracking-uri', guarded.url, '-q'], dir, { MLFLOW_TRACKING_USERNAME: '', MLFLOW_TRACKING_TOKEN: '' })
    expect(refused.code).toBe(1)
    expect(refused.stderr).toContain('UNAUTHENTICATED')
    const missing = await lablog(['pull', '--tracking-uri', server.url, '--experiment', 'nope', '-o', 'none.zip', '-q'], dir)
    expect(missing.code).toBe(1)
    expect(missing.stderr).toContain('RESOURCE_DOES_NOT_EXIST')
    expect(existsSync(path.join(dir, 'none.zip'))).toBe(false)
  } finally {
    await guarded.close()
  }
}, 60_000)
