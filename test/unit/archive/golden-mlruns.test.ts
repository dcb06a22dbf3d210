// Golden test: the file store a real MLflow 2.17.2 wrote (../shared/fixtures), imported and
// checked field by field against what the fixture's README and fixture-summary.json say.
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { beforeAll, describe, expect, test } from 'vitest'
import { importArchive, type ImportArchiveResult } from '../../../src/archive/index.ts'
import { MlflowClient } from '../../../src/tracking/index.ts'
import { resolveModelsUri } from '../../../src/models/registry-uri.ts'
import type { LocalTrackingStore } from '../../../src/store/local/local-store.ts'
import { storesFor } from '../../../src/store/uri.ts'
import { FILESTORE, bytesOf, filesUnder, fixtureZip, freshStore, rowCounts, zipFiles } from './helpers.ts'

const summary = JSON.parse(readFileSync(path.join(FILESTORE, 'fixture-summary.json'), 'utf8')) as {
  experiments: Record<string, string>; runs: Record<string, string>
  evaluate: Record<string, { metrics: Record<string, number>; artifacts: Record<string, string> }>
}
const BASIC = '149579244902643197', TAGGED = '925138968315917573', DELETED_EXPERIMENT = '696786590413439450'
const BASELINE = summary.runs['baseline-training']!
const basicRun = (id: string) => path.join(FILESTORE, 'mlruns', BASIC, id)

describe('importing the file store written by MLflow 2.17.2', () => {
  let client: MlflowClient
  let uri: string
  let result: ImportArchiveResult

  beforeAll(async () => {
    ({ uri } = freshStore())
    client = new MlflowClient(uri)
    result = await importArchive(fixtureZip(), { trackingUri: uri })
  })

  test('detects the layout and imports every experiment and run, keeping their ids', async () => {
    expect(result.format).toBe('mlruns')
    expect(result.runsImported.sort()).toEqual(Object.values(summary.runs).concat('08ab3417074e45f6b7ab3ebc13d01a08').sort())
    expect(result.experimentsCreated.sort()).toEqual([BASIC, DELETED_EXPERIMENT, TAGGED].sort())
    expect(result.experimentsMerged).toEqual(['0'])
    for (const [name, runId] of Object.entries(summary.runs)) expect((await client.getRun(runId)).info.runName).toBe(name)
  })

  test('experiments keep name, lifecycle, times and tags (the description is mlflow.note.content)', async () => {
    const basic = await client.getExperiment(BASIC)
    expect(basic).toMatchObject({ name: 'fixture-basic', lifecycleStage: 'active', tags: {}, creationTime: 1795896271379, lastUpdateTime: 1795896271379 })
    const tagged = await client.getExperiment(TAGGED)
    expect(tagged.tags).toEqual({ team: 'ml-platform', project: 'tracker-compat', 'mlflow.note.content': 'Experiment with tags and a custom artifact location.' })
    const deleted = await client.getExperiment(DELETED_EXPERIMENT)
    expect(deleted).toMatchObject({ name: 'fixture-deleted-experiment', lifecycleStage: 'deleted', lastUpdateTime: 1795896271411 })
    const trashedRun = await client.getRun('08ab3417074e45f6b7ab3ebc13d01a08')
    expect(trashedRun.info).toMatchObject({ lifecycleStage: 'deleted', runName: 'run-in-deleted-experiment', status: 'FINISHED', userId: 'fixture-user' })
    expect(trashedRun.data.params).toEqual({ p: readFileSync(path.join(FILESTORE, 'mlruns/.trash', DELETED_EXPERIMENT, '08ab3417074e45f6b7ab3ebc13d01a08/params/p'), 'utf8') })
  })

  test('run info: times, user, status as names, lifecycle', async () => {
    const baseline = await client.getRun(BASELINE)
    expect(baseline.info).toMatchObject({ experimentId: BASIC, userId: 'fixture-user', status: 'FINISHED', startTime: 1795896271413, endTime: 1795896271490, lifecycleStage: 'active' })
    expect((await client.getRun(summary.runs['failed-run']!)).info.status).toBe('FAILED')
    expect((await client.getRun(summary.runs['still-running']!)).info).toMatchObject({ status: 'RUNNING', endTime: null, userId: 'unknown' })
    expect((await client.getRun(summary.runs['still-running']!)).data.tags).toEqual({ 'mlflow.runName': 'still-running', note: expect.any(String) })
    expect((await client.getRun(summary.runs['deleted-run']!)).info).toMatchObject({ lifecycleStage: 'deleted' })
  })

  test('params keep Python-stringified values, empty and long values, unicode and slash keys', async () => {
    const { params } = (await client.getRun(BASELINE)).data
    expect(params).toMatchObject({ use_bias: 'True', layers: '[64, 32]', learning_rate: '0.01', empty_string_param: '', unicode_param: 'héllo ✓ 日本', 'model/head': 'softmax' })
    expect(params.long_param).toHaveLength(500)
    expect(Object.keys(params).sort()).toEqual(Object.keys(filesUnder(path.join(basicRun(BASELINE), 'params'))).sort())
  })

  test('every metric point survives: histories, duplicates at one step, NaN/±Inf, negative and 2^40 steps, spaces', async () => {
    expect(await client.getMetricHistory(BASELINE, 'loss')).toEqual([0, 1, 2, 3, 4].map((step, index) => ({
      key: 'loss', step, timestamp: 1735689600000 + 1000 * index, value: [1.0, 0.5, 0.333333, 0.25, 0.2][index],
    })))
    expect((await client.getMetricHistory(BASELINE, 'lr')).map(point => [point.step, point.timestamp, point.value]))
      .toEqual([[0, 1735689600000, 0.01], [0, 1735689600010, 0.005]])
    const { metrics } = (await client.getRun(BASELINE)).data
    expect(metrics['edge/nan']).toBeNaN()
    expect(metrics['edge/pos_inf']).toBe(Infinity)
    expect(metrics['edge/neg_inf']).toBe(-Infinity)
    expect(await client.getMetricHistory(BASELINE, 'edge/negative_step')).toEqual([{ key: 'edge/negative_step', step: -1, timestamp: 1735689600000, value: 1.5 }])
    expect((await client.getMetricHistory(BASELINE, 'edge/large_step'))[0]!.step).toBe(2 ** 40)
    expect(metrics['metric with space']).toBe(3)
    expect(metrics.final_score).toBe(0.93)
    // Every metric file becomes a metric, with as many points as the file has lines.
    for (const [key, bytes] of Object.entries(filesUnder(path.join(basicRun(BASELINE), 'metrics')))) {
      expect(await client.getMetricHistory(BASELINE, key)).toHaveLength(new TextDecoder().decode(bytes).trim().split('\n').length)
    }
  })

  test('tags: multi-line, unicode, description, system tags', async () => {
    const { tags } = (await client.getRun(BASELINE)).data
    expect(tags).toMatchObject({
      multiline: 'line one\nline two', 'unicode.tag': 'ümläut 🚀', 'mlflow.note.content': 'Baseline run: params, stepped metrics, many artifact kinds.',
      'mlflow.runName': 'baseline-training', 'mlflow.user': 'fixture-user', 'mlflow.source.type': 'LOCAL', 'mlflow.loggedImages': 'True',
    })
    expect(tags['mlflow.loggedArtifacts']).toBe('[{"path": "tables/predictions.json", "type": "table"}]')
  })

  test('nested runs keep their parent link', async () => {
    for (const child of ['child-lr-0.1', 'child-lr-0.01']) {
      expect((await client.getRun(summary.runs[child]!)).data.tags['mlflow.parentRunId']).toBe(summary.runs['hp-search-parent'])
    }
  })

  test('the dataset input is linked by folder (despite MLflow 2.17 writing the dataset id as destination_id)', async () => {
    expect((await client.getRun(BASELINE)).inputs.datasetInputs).toEqual([{
      dataset: {
        name: 'train-data', digest: 'fcd428ae', sourceType: 'local', source: '{"uri": "data/raw/train.csv"}',
        schema: expect.stringContaining('mlflow_colspec'), profile: '{"num_rows": 2, "num_elements": 4}',
      },
      tags: { 'mlflow.data.context': 'training' },
    }])
    expect((await client.getRun(summary.runs['evaluate-classifier-wine']!)).inputs.datasetInputs[0]!.dataset).toMatchObject({ name: 'dataset', sourceType: 'code' })
  })

  test('artifacts arrive byte for byte, step images with # and % in their names included', async () => {
    const expected = filesUnder(path.join(basicRun(BASELINE), 'artifacts'))
    const rows = await client.listArtifacts(BASELINE, 'images')
    expect(rows.filter(row => !row.isDir).map(row => row.path)).toHaveLength(4)
    const store = freshStoreRows(uri)
    const stored = await store.artifacts.where('runId').equals(BASELINE).toArray()
    expect(stored.map(row => row.path).sort()).toEqual(Object.keys(expected).sort())
    for (const row of stored) expect(await bytesOf(row.blob)).toEqual(expected[row.path])
    // Readable through the public API too, '#' and all; only new writes must avoid '#'.
    const image = rows.find(row => row.path.includes('#') && row.path.endsWith('.png'))!
    expect(await bytesOf(await client.readArtifact(BASELINE, image.path))).toEqual(expected[image.path])
  })

  test('logged models (MLmodel and its files) and mlflow.log-model.history survive', async () => {
    const runId = summary.runs['model-logging']!
    const mlmodel = await client.readArtifactText(runId, 'sklearn_model/MLmodel')
    expect(mlmodel).toBe(readFileSync(path.join(basicRun(runId), 'artifacts/sklearn_model/MLmodel'), 'utf8'))
    expect((await client.listArtifacts(runId, 'pyfunc_model')).map(file => file.path)).toContain('pyfunc_model/python_model.pkl')
    expect(JSON.parse((await client.getRun(runId)).data.tags['mlflow.log-model.history']!)).toHaveLength(2)
  })

  test('runs of the custom-location experiment find their artifacts outside mlruns/', async () => {
    expect(await client.readArtifactText(summary.runs['custom-location-run']!, 'out/where.txt'))
      .toBe(readFileSync(path.join(FILESTORE, 'custom-artifact-root', summary.runs['custom-location-run']!, 'artifacts/out/where.txt'), 'utf8'))
    for (const [name, { metrics, artifacts }] of Object.entries(summary.evaluate)) {
      const run = await client.getRun(summary.runs[name]!)
      expect(run.data.metrics).toEqual(metrics)
      for (const file of Object.values(artifacts)) expect((await client.readArtifact(run.info.runId, file)).size).toBeGreaterThan(0)
    }
  })

  test('the registered model and its version arrive with every field, the source rebased onto the imported run', async () => {
    const runId = summary.runs['model-logging']!
    expect(result.registeredModelsCreated).toEqual(['fixture-iris-classifier'])
    expect(result.modelVersionsImported).toEqual(['fixture-iris-classifier/1'])
    const model = await client.getRegisteredModel('fixture-iris-classifier')
    expect(model).toMatchObject({ name: 'fixture-iris-classifier', creationTimestamp: 1795896273672, lastUpdatedTimestamp: 1795896273673, description: '', tags: {}, aliases: [] })
    const run = await client.getRun(runId)
    const version = await client.getModelVersion('fixture-iris-classifier', '1')
    expect(version).toEqual({
      name: 'fixture-iris-classifier', version: '1', creationTimestamp: 1795896273673, lastUpdatedTimestamp: 1795896273673,
      description: '', userId: '', currentStage: 'None', source: `${run.info.artifactUri}/sklearn_model`, runId,
      runLink: '', status: 'READY', statusMessage: '', tags: {}, aliases: [],
    })
    expect(await resolveModelsUri('models:/fixture-iris-classifier/1', client)).toEqual({ runId, artifactPath: 'sklearn_model' })
  })

  test('importing the same archive again writes nothing and reports every run as already present', async () => {
    const before = await rowCounts(freshStoreOf(uri))
    const again = await importArchive(fixtureZip(0), { trackingUri: uri })
    expect(again.runsImported).toEqual([])
    expect(again.runsAlreadyPresent).toHaveLength(13)
    expect(again.registeredModelsMerged).toEqual(['fixture-iris-classifier'])
    expect(again.modelVersionsImported).toEqual([])
    expect(again.modelVersionsAlreadyPresent).toEqual(['fixture-iris-classifier/1'])
    expect(await rowCounts(freshStoreOf(uri))).toEqual(before)
  })
})

test('an experiment whose name exists is merged into by name; a zip of mlruns alone imports too', async () => {
  const { uri } = freshStore()
  const client = new MlflowClient(uri)
  const localId = await client.createExperiment('fixture-basic', { tags: { mine: 'yes' } })
  const files = Object.fromEntries(Object.entries(filesUnder(path.join(FILESTORE, 'mlruns'))).map(([name, bytes]) => [`mlruns/${name}`, bytes]))
  const result = await importArchive(zipFiles(files), { trackingUri: uri })
  expect(result.experimentIds[BASIC]).toBe(localId)
  const run = await client.getRun(BASELINE)
  expect(run.info.experimentId).toBe(localId)
  expect((await client.getExperiment(localId)).tags).toEqual({ mine: 'yes' })
  // Without custom-artifact-root/ beside mlruns/, those runs simply have no artifacts.
  expect(await client.listArtifacts(summary.runs['custom-location-run']!)).toEqual([])
})

function freshStoreOf(uri: string): LocalTrackingStore { return storesFor(uri).tracking as LocalTrackingStore }
function freshStoreRows(uri: string) { return freshStoreOf(uri).db }
