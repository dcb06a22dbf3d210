// The model registry through an mlruns archive: local registry → zip → a fresh store (and back
// into the same store: nothing added), in MLflow's file-store shapes, sources rebased on both ends.
import { unzipSync } from 'fflate'
import { parse as parseYaml } from 'yaml'
import { beforeAll, describe, expect, test } from 'vitest'
import { exportArchiveBlob, importArchive } from '../../../src/archive/index.ts'
import { resolveModelsUri } from '../../../src/models/registry-uri.ts'
import { bulkImport } from '../../../src/store/local/bulk-import.ts'
import type { LocalTrackingStore } from '../../../src/store/local/local-store.ts'
import { storesFor } from '../../../src/store/uri.ts'
import { MlflowClient } from '../../../src/tracking/index.ts'
import { bytesOf, fixtureZip, freshStore, rowCounts, text } from './helpers.ts'
import { type Seeded, registryView, seed } from './registry-helpers.ts'

describe('registry → mlruns archive → store', () => {
  let seeded: Seeded
  let zip: Blob
  beforeAll(async () => {
    seeded = await seed()
    zip = await exportArchiveBlob({ trackingUri: seeded.uri, experimentIds: [seeded.experimentId] })
  })

  test('the archive holds the model in MLflow file-store shapes, only versions of exported runs, sources relative', async () => {
    const files = unzipSync(await bytesOf(zip))
    const names = Object.keys(files)
    expect(names.filter(name => name.startsWith('mlruns/models/') && !name.endsWith('/')).sort()).toEqual([
      'mlruns/models/iris/aliases/challenger', 'mlruns/models/iris/aliases/champion', 'mlruns/models/iris/meta.yaml',
      'mlruns/models/iris/tags/nested/key', 'mlruns/models/iris/tags/team',
      'mlruns/models/iris/version-1/meta.yaml', 'mlruns/models/iris/version-1/tags/quality',
      'mlruns/models/iris/version-2/meta.yaml', 'mlruns/models/iris/version-2/tags/validated',
    ])
    const model = parseYaml(text(files['mlruns/models/iris/meta.yaml']!)) as Record<string, unknown>
    expect(Object.keys(model)).toEqual(['aliases', 'creation_timestamp', 'description', 'last_updated_timestamp', 'name'])
    expect(model).toMatchObject({ aliases: { champion: '1', challenger: '2' }, description: 'Iris **classifier**', name: 'iris' })
    expect(text(files['mlruns/models/iris/aliases/champion']!)).toBe('1')
    const v1 = parseYaml(text(files['mlruns/models/iris/version-1/meta.yaml']!)) as Record<string, unknown>
    expect(Object.keys(v1)).toEqual(['aliases', 'creation_timestamp', 'current_stage', 'description', 'last_updated_timestamp', 'name', 'run_id', 'run_link',
      'source', 'status', 'status_message', 'storage_location', 'user_id', 'version'])
    const location = `mlruns/${seeded.experimentId}/${seeded.runA}/artifacts/model`
    expect(v1).toMatchObject({ aliases: ['champion'], current_stage: 'Production', description: 'first', run_id: seeded.runA, run_link: null, source: location, storage_location: location, status: 'READY', version: 1 })
    expect(text(files['mlruns/models/iris/version-1/meta.yaml']!)).toContain('version: 1\n')
    const manifest = JSON.parse(text(files['lablog-manifest.json']!)) as { registeredModels: unknown }
    expect(manifest.registeredModels).toEqual([{ name: 'iris', versions: [1, 2] }])
  })

  test('models, versions, aliases, stages and tags come back equal; models:/ URIs resolve to the imported runs', async () => {
    const target = freshStore()
    const result = await importArchive(zip, { trackingUri: target.uri })
    expect(result.registeredModelsCreated).toEqual(['iris'])
    expect(result.modelVersionsImported).toEqual(['iris/1', 'iris/2'])
    const [before] = (await registryView(seeded.uri)).filter(item => item.model.name === 'iris')
    const kept = {
      model: { ...before!.model, aliases: before!.model.aliases.filter(alias => alias.alias !== 'outsider'), latestVersions: before!.model.latestVersions.filter(version => version.version !== '3') },
      versions: before!.versions.filter(version => version.version !== '3'),
    }
    expect(await registryView(target.uri)).toEqual([kept])
    expect(await resolveModelsUri('models:/iris@champion', new MlflowClient(target.uri))).toEqual({ runId: seeded.runA, artifactPath: 'model' })
    expect((await new MlflowClient(target.uri).getModelVersion('iris', 2)).source).toBe(`${(await new MlflowClient(target.uri).getRun(seeded.runB)).info.artifactUri}/model`)

    const counts = await rowCounts(storesFor(target.uri).tracking as LocalTrackingStore)
    const again = await importArchive(zip, { trackingUri: target.uri })
    expect(again).toMatchObject({ registeredModelsCreated: [], registeredModelsMerged: ['iris'], modelVersionsImported: [], modelVersionsAlreadyPresent: ['iris/1', 'iris/2'] })
    expect(await rowCounts(storesFor(target.uri).tracking as LocalTrackingStore)).toEqual(counts)
  })

  test('a model whose name exists locally is merged: other versions take the next free numbers, local aliases and tags win', async () => {
    const target = freshStore()
    const client = new MlflowClient(target.uri)
    await client.createRegisteredModel('iris', { tags: { team: 'mine' } })
    await client.createModelVersion('iris', 's3://bucket/model')
    await client.setRegisteredModelAlias('iris', 'champion', 1)
    const result = await importArchive(zip, { trackingUri: target.uri })
    expect(result.registeredModelsMerged).toEqual(['iris'])
    expect(result.modelVersionsImported).toEqual(['iris/2', 'iris/3'])
    const model = await client.getRegisteredModel('iris')
    expect(model.tags).toEqual({ team: 'mine', 'nested/key': 'x' })
    expect(model.description).toBe('Iris **classifier**')
    expect(model.aliases).toEqual([{ alias: 'challenger', version: '3' }, { alias: 'champion', version: '1' }])
    expect(await client.getModelVersion('iris', 2)).toMatchObject({ runId: seeded.runA, currentStage: 'Production', description: 'first', tags: { quality: 'good' } })
    expect((await importArchive(zip, { trackingUri: target.uri })).modelVersionsAlreadyPresent).toEqual(['iris/2', 'iris/3'])
  })
})

test('the real-MLflow fixture model goes store → mlruns archive → store', async () => {
  const { uri } = freshStore()
  await importArchive(fixtureZip(), { trackingUri: uri })
  const zip = await exportArchiveBlob({ trackingUri: uri, includeDeleted: true })
  const files = unzipSync(await bytesOf(zip))
  const meta = parseYaml(text(files['mlruns/models/fixture-iris-classifier/version-1/meta.yaml']!)) as Record<string, unknown>
  expect(meta.source).toBe('mlruns/149579244902643197/07193539cd7c428ca2b6f2a3b98e091c/artifacts/sklearn_model')
  expect(text(files['mlruns/models/fixture-iris-classifier/meta.yaml']!)).toBe(
    'aliases: {}\ncreation_timestamp: 1795896273672\ndescription: null\nlast_updated_timestamp: 1795896273673\nname: fixture-iris-classifier\n')
  const target = freshStore()
  await importArchive(zip, { trackingUri: target.uri })
  expect(await resolveModelsUri('models:/fixture-iris-classifier/1', new MlflowClient(target.uri)))
    .toEqual({ runId: '07193539cd7c428ca2b6f2a3b98e091c', artifactPath: 'sklearn_model' })
})

test('a registry write that fails rolls back the whole import, runs and experiments included', async () => {
  const target = freshStore()
  const before = await rowCounts(target.store)
  const experiment = { experimentId: '7', name: 'rolled-back', artifactLocation: '', lifecycleStage: 'active' as const, tags: {}, creationTime: 1, lastUpdateTime: 1 }
  const model = { name: 'bad/name', creationTimestamp: 1, lastUpdatedTimestamp: 1, description: '', tags: {}, aliases: {}, versions: [] }
  await expect(bulkImport(target.store.db, [{ experiment, runs: [] }], { loadRegisteredModels: async () => [model] })).rejects.toMatchObject({ errorCode: 'INVALID_PARAMETER_VALUE' })
  expect(await rowCounts(target.store)).toEqual(before)
})
