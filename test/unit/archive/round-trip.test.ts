// Round trips both ways: runs logged through the client → archive (each layout) → a fresh store,
// and the real-MLflow fixture → store → mlruns archive, checked against the fixture's own files.
import path from 'node:path'
import { unzipSync } from 'fflate'
import { beforeAll, describe, expect, test } from 'vitest'
import { exportArchive, exportArchiveBlob, importArchive, readArchive, streamToBlob } from '../../../src/archive/index.ts'
import { storesFor } from '../../../src/store/uri.ts'
import { MlflowClient } from '../../../src/tracking/index.ts'
import { FILESTORE, bytesOf, filesUnder, fixtureZip, freshStore, text } from './helpers.ts'

interface Seeded { uri: string; experimentId: string; parentId: string; childId: string; deletedId: string }

/** A store with what the issue says must survive: nesting, deletion, descriptions, NaN/Inf, '/' keys, a logged model. */
async function seed(): Promise<Seeded> {
  const { uri } = freshStore()
  const client = new MlflowClient(uri)
  const experimentId = await client.createExperiment('round-trip', { tags: { team: 'vision', 'mlflow.note.content': 'Experiment description' } })
  const parent = await client.createRun(experimentId, { runName: 'parent', startTime: 1_700_000_000_000, userId: 'ada', tags: { 'mlflow.note.content': 'Run **description**' } })
  const parentId = parent.info.runId
  await client.logBatch(parentId, {
    params: [{ key: 'lr', value: 0.001 }, { key: 'model/head', value: 'softmax' }, { key: 'empty', value: '' }],
    metrics: [
      { key: 'odd', value: NaN, timestamp: 1, step: 0 }, { key: 'odd', value: Infinity, timestamp: 2, step: 1 }, { key: 'odd', value: -Infinity, timestamp: 3, step: 2 },
      { key: 'tiny', value: 1e-7, timestamp: 5, step: -3 },
    ],
    tags: [{ key: 'multi', value: 'line one\nline two' }],
  })
  // More than one 1000-point chunk, logged out of step order.
  await storesFor(uri).tracking.logMetrics(parentId, Array.from({ length: 2500 }, (_, index) => {
    const step = index === 10 ? 5 : index
    return { key: 'train/loss', value: 1 / (index + 1), timestamp: 1_700_000_000_000 + index, step }
  }))
  await client.logText(parentId, 'model flavors: tfjs\n', 'model/MLmodel')
  await client.logArtifact(parentId, new Blob([new Uint8Array(300_000).map((_, index) => index % 251)]), 'model', 'group1-shard1of1.bin')
  await client.logDict(parentId, { a: 1 }, 'config/params.json')
  await client.logInputs(parentId, [{ dataset: { name: 'iris', digest: 'abc123', sourceType: 'local', source: '{"uri": "iris.csv"}', schema: '{"mlflow_colspec": []}' }, tags: { 'mlflow.data.context': 'training' } }])
  await client.setTerminated(parentId, 'FINISHED', 1_700_000_100_000)
  const child = await client.createRun(experimentId, { runName: 'child', startTime: 1_700_000_000_500, tags: { 'mlflow.parentRunId': parentId } })
  await client.logBatch(child.info.runId, { metrics: [{ key: 'acc', value: 0.5, timestamp: 10, step: 0 }] })
  await client.setTerminated(child.info.runId, 'KILLED', 1_700_000_000_900)
  const deleted = await client.createRun(experimentId, { runName: 'gone', startTime: 1_700_000_000_700 })
  await client.setTerminated(deleted.info.runId, 'FAILED', 1_700_000_000_800)
  await client.deleteRun(deleted.info.runId)
  return { uri, experimentId, parentId, childId: child.info.runId, deletedId: deleted.info.runId }
}

/** Everything a user sees of a run, metric histories and artifact bytes included. */
async function snapshot(uri: string, runId: string) {
  const client = new MlflowClient(uri)
  const { info, data, inputs } = await client.getRun(runId)
  const histories = Object.fromEntries(await Promise.all(Object.keys(data.metrics).map(async key => [key, await client.getMetricHistory(runId, key)])))
  const artifacts: Record<string, number[]> = {}
  const walk = async (dir?: string) => {
    for (const file of await client.listArtifacts(runId, dir)) {
      if (file.isDir) await walk(file.path)
      else artifacts[file.path] = Array.from(await bytesOf(await client.readArtifact(runId, file.path)))
    }
  }
  await walk()
  const { artifactUri: _artifactUri, ...kept } = info
  return { info: kept, data, inputs, histories, artifacts }
}

describe.each([
  { format: 'mlruns' as const, exportImportLayout: undefined },
  { format: 'export-import' as const, exportImportLayout: 'released' as const },
  { format: 'export-import' as const, exportImportLayout: 'runs-subfolder' as const },
])('store → $format $exportImportLayout → store', ({ format, exportImportLayout }) => {
  let seeded: Seeded
  let zip: Blob
  beforeAll(async () => {
    seeded = await seed()
    zip = await exportArchiveBlob({ trackingUri: seeded.uri, experimentIds: [seeded.experimentId], includeDeleted: true, format, ...(exportImportLayout ? { exportImportLayout } : {}) })
  })

  test('every run comes back identical, in an experiment with the same name and tags', async () => {
    const target = freshStore()
    const result = await importArchive(zip, { trackingUri: target.uri })
    expect(result.format).toBe(format)
    expect(result.manifest).toMatchObject({ format: 'lablog-archive', layout: format, runs: 3, includeDeleted: true })
    expect(result.runsImported.sort()).toEqual([seeded.parentId, seeded.childId, seeded.deletedId].sort())
    for (const runId of result.runsImported) {
      expect(await snapshot(target.uri, runId)).toEqual(await snapshot(seeded.uri, runId))
    }
    const experiment = await new MlflowClient(target.uri).getExperiment(result.experimentIds[seeded.experimentId]!)
    expect(experiment).toMatchObject({ name: 'round-trip', tags: { team: 'vision', 'mlflow.note.content': 'Experiment description' } })
  })

  test('the archive has the layout its readers expect', async () => {
    const names = Object.keys(unzipSync(await bytesOf(zip)))
    expect(names).toContain('lablog-manifest.json')
    if (format === 'mlruns') {
      expect(names).toEqual(expect.arrayContaining(['mlruns/0/meta.yaml', 'mlruns/.trash/', `mlruns/${seeded.experimentId}/meta.yaml`,
        `mlruns/${seeded.experimentId}/${seeded.parentId}/params/model/head`, `mlruns/${seeded.experimentId}/${seeded.parentId}/metrics/train/loss`,
        `mlruns/${seeded.experimentId}/${seeded.parentId}/artifacts/model/MLmodel`, `mlruns/${seeded.experimentId}/tags/mlflow.note.content`]))
    } else {
      const runDir = exportImportLayout === 'released' ? `${seeded.experimentId}/${seeded.parentId}/` : `${seeded.experimentId}/runs/${seeded.parentId}/`
      expect(names).toEqual(expect.arrayContaining(['experiments.json', `${seeded.experimentId}/experiment.json`, `${runDir}run.json`, `${runDir}artifacts/model/MLmodel`]))
    }
  })
})

test('mlruns files are what MLflow 2.x readers require', async () => {
  const seeded = await seed()
  const files = unzipSync(await bytesOf(await exportArchiveBlob({ trackingUri: seeded.uri, includeDeleted: true })))
  const runDir = `mlruns/${seeded.experimentId}/${seeded.parentId}/`
  const meta = text(files[`${runDir}meta.yaml`]!)
  expect(meta).toContain(`run_id: ${seeded.parentId}\n`)
  expect(meta).toContain(`run_uuid: ${seeded.parentId}\n`)
  expect(meta).toContain(`experiment_id: '${seeded.experimentId}'\n`)
  expect(meta).toContain('status: 3\n')
  expect(meta).toContain(`artifact_uri: mlruns/${seeded.experimentId}/${seeded.parentId}/artifacts\n`)
  expect(meta).toMatch(/source_type: 4\n[^]*tags: \[\]\n/)
  expect(text(files['mlruns/0/meta.yaml']!)).toContain("experiment_id: '0'")
  expect(text(files[`${runDir}metrics/odd`]!)).toBe('1 nan 0\n2 inf 1\n3 -inf 2\n')
  expect(text(files[`${runDir}metrics/tiny`]!)).toBe('5 1e-07 -3\n')
  expect(text(files[`${runDir}params/lr`]!)).toBe('0.001')
  expect(text(files[`${runDir}tags/mlflow.runName`]!)).toBe('parent')
  expect(text(files[`mlruns/${seeded.experimentId}/${seeded.deletedId}/meta.yaml`]!)).toMatch(/deleted_time: \d+\nend_time: 1700000000800\n[^]*lifecycle_stage: deleted\n[^]*status: 4\n/)
})

test('exporting a child run brings its parent, so the nesting survives', async () => {
  const seeded = await seed()
  const zip = await exportArchiveBlob({ trackingUri: seeded.uri, runIds: [seeded.childId], format: 'export-import' })
  const result = await importArchive(zip, { trackingUri: freshStore().uri })
  expect(result.runsImported.sort()).toEqual([seeded.childId, seeded.parentId].sort())
})

test('the real-MLflow fixture goes store → mlruns archive with its params, metrics and tags byte for byte', async () => {
  const { uri } = freshStore()
  await importArchive(fixtureZip(), { trackingUri: uri })
  const files = unzipSync(await bytesOf(await exportArchiveBlob({ trackingUri: uri, includeDeleted: true })))
  const original = filesUnder(path.join(FILESTORE, 'mlruns'))
  let compared = 0
  for (const [name, bytes] of Object.entries(original)) {
    if (!/\/(params|metrics|tags)\//.test(name) || name.includes('/artifacts/')) continue
    expect(text(files[`mlruns/${name}`] ?? new Uint8Array()), name).toBe(text(bytes))
    compared++
  }
  expect(compared).toBeGreaterThan(100)
  const reread = await readArchive(await exportArchiveBlob({ trackingUri: uri, includeDeleted: true }))
  expect(reread.contents.experiments.flatMap(item => item.runs)).toHaveLength(13)
})

test('unknown ids are refused before any byte is written; aborting ends the stream with CANCELLED', async () => {
  const seeded = await seed()
  await expect(exportArchive({ trackingUri: seeded.uri, runIds: ['0123456789abcdef0123456789abcdef'] })).rejects.toMatchObject({ errorCode: 'RESOURCE_DOES_NOT_EXIST' })
  await expect(exportArchive({ trackingUri: seeded.uri, experimentIds: ['424242'] })).rejects.toMatchObject({ errorCode: 'RESOURCE_DOES_NOT_EXIST' })
  const controller = new AbortController()
  const stream = await exportArchive({ trackingUri: seeded.uri, signal: controller.signal })
  controller.abort()
  await expect(streamToBlob(stream)).rejects.toMatchObject({ errorCode: 'CANCELLED' })
})
