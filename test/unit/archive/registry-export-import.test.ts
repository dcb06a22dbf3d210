// The model registry through an mlflow-export-import archive: local registry → zip in export-models'
// layout (experiments/, models/models.json, models/<name>/model.json, manifest.json) → a fresh store.
import { unzipSync } from 'fflate'
import { beforeAll, describe, expect, test } from 'vitest'
import { exportArchiveBlob, importArchive } from '../../../src/archive/index.ts'
import { resolveModelsUri } from '../../../src/models/registry-uri.ts'
import type { LocalTrackingStore } from '../../../src/store/local/local-store.ts'
import { storesFor } from '../../../src/store/uri.ts'
import { MlflowClient } from '../../../src/tracking/index.ts'
import { bytesOf, freshStore, rowCounts, text, zipFiles } from './helpers.ts'
import { type Seeded, registryView, seed } from './registry-helpers.ts'

type Json = Record<string, any> // eslint-disable-line @typescript-eslint/no-explicit-any

for (const layout of ['released', 'runs-subfolder'] as const) {
  describe(`registry → export-import archive (${layout}) → store`, () => {
    let seeded: Seeded
    let zip: Blob
    let files: Record<string, Uint8Array>
    const runDir = (runId: string) => `experiments/${seeded.experimentId}/${layout === 'released' ? '' : 'runs/'}${runId}/`
    beforeAll(async () => {
      seeded = await seed()
      zip = await exportArchiveBlob({ trackingUri: seeded.uri, experimentIds: [seeded.experimentId], format: 'export-import', exportImportLayout: layout })
      files = unzipSync(await bytesOf(zip))
    })

    test('the archive is in export-models layout: only versions of exported runs, sources pointing at the archived runs', () => {
      const names = Object.keys(files).filter(name => !name.endsWith('/'))
      expect(names.filter(name => name.startsWith('models/')).sort()).toEqual(['models/iris/model.json', 'models/models.json'])
      expect(names).toContain('manifest.json')
      expect(names).toContain('experiments/experiments.json')
      expect(names).toContain(`${runDir(seeded.runA)}run.json`)
      expect(names).toContain(`${runDir(seeded.runA)}artifacts/model/MLmodel`)
      expect(names.some(name => /^[^/]+\/experiment\.json$/.test(name))).toBe(false)

      const list = JSON.parse(text(files['models/models.json']!)) as Json
      expect(list.mlflow).toEqual({ models: ['iris'] })
      expect(list.system).toMatchObject({ package_version: '1.2.0', script: 'export_models.py' })
      const document = JSON.parse(text(files['models/iris/model.json']!)) as Json
      expect(Object.keys(document)).toEqual(['system', 'info', 'mlflow'])
      const model = document.mlflow.registered_model as Json
      expect(model).toMatchObject({
        name: 'iris', description: 'Iris **classifier**',
        tags: [{ key: 'team', value: 'vision' }, { key: 'nested/key', value: 'x' }],
      })
      expect(model.aliases).toEqual(expect.arrayContaining([{ alias: 'champion', version: '1' }, { alias: 'challenger', version: '2' }]))
      expect(model.aliases).toHaveLength(2)
      expect(model.versions.map((version: Json) => version.version)).toEqual(['1', '2'])
      expect(model.versions[0]).toMatchObject({
        name: 'iris', current_stage: 'Production', description: 'first', run_id: seeded.runA, status: 'READY',
        source: `${runDir(seeded.runA)}artifacts/model`, tags: { quality: 'good' }, aliases: ['champion'], _experiment_name: 'registry-trip',
      })
      expect(model.versions[0]._run_artifact_uri).toMatch(new RegExp(`${seeded.runA}/artifacts$`))
      expect(model.versions[1]).toMatchObject({ current_stage: 'Staging', tags: { validated: 'yes' }, aliases: ['challenger'], run_link: 'http://example/run' })
      const manifest = JSON.parse(text(files['lablog-manifest.json']!)) as Json
      expect(manifest.registeredModels).toEqual([{ name: 'iris', versions: [1, 2] }])
    })

    test('models, versions, aliases, stages and tags come back equal; a second import adds nothing', async () => {
      const target = freshStore()
      const result = await importArchive(zip, { trackingUri: target.uri })
      expect(result.format).toBe('export-import')
      expect(result.registeredModelsCreated).toEqual(['iris'])
      expect(result.modelVersionsImported).toEqual(['iris/1', 'iris/2'])
      const [before] = (await registryView(seeded.uri)).filter(item => item.model.name === 'iris')
      const kept = {
        model: { ...before!.model, aliases: before!.model.aliases.filter(alias => alias.alias !== 'outsider'), latestVersions: before!.model.latestVersions.filter(version => version.version !== '3') },
        versions: before!.versions.filter(version => version.version !== '3'),
      }
      expect(await registryView(target.uri)).toEqual([kept])
      const client = new MlflowClient(target.uri)
      expect(await resolveModelsUri('models:/iris@champion', client)).toEqual({ runId: seeded.runA, artifactPath: 'model' })
      expect((await client.getModelVersion('iris', 2)).source).toBe(`${(await client.getRun(seeded.runB)).info.artifactUri}/model`)

      const counts = await rowCounts(storesFor(target.uri).tracking as LocalTrackingStore)
      const again = await importArchive(zip, { trackingUri: target.uri })
      expect(again).toMatchObject({ registeredModelsCreated: [], registeredModelsMerged: ['iris'], modelVersionsImported: [], modelVersionsAlreadyPresent: ['iris/1', 'iris/2'] })
      expect(await rowCounts(storesFor(target.uri).tracking as LocalTrackingStore)).toEqual(counts)
    })

    test('a broken model.json is refused naming the entry, and nothing is written', async () => {
      const target = freshStore()
      const before = await rowCounts(target.store)
      const cases: Array<[string, (text: string) => string, RegExp]> = [
        ['models/iris/model.json', body => body.slice(0, -20), /models\/iris\/model\.json.*malformed JSON/],
        ['models/iris/model.json', body => body.replace('"current_stage": "Production"', '"current_stage": "Live"'), /models\/iris\/model\.json.*current_stage 'Live'/],
        ['models/iris/model.json', body => body.replace(/"source": "[^"]*"/, '"source": 7'), /models\/iris\/model\.json.*'source'/],
        ['models/models.json', body => body.replace('"models": [', '"models": ["ghost", '), /models\/models\.json.*ghost/],
      ]
      for (const [entry, change, message] of cases) {
        const broken: Record<string, Uint8Array | string> = { ...files, [entry]: change(text(files[entry]!)) }
        for (const name of Object.keys(broken)) if (name.endsWith('/')) delete broken[name]
        await expect(importArchive(zipFiles(broken), { trackingUri: target.uri })).rejects.toMatchObject({ errorCode: 'INVALID_PARAMETER_VALUE', message })
        expect(await rowCounts(target.store)).toEqual(before)
      }
    })
  })
}

test('a version the tool wrote (string version, REST tags, mlflow-artifacts source) is rebased onto its imported run', async () => {
  const run = '0123456789abcdef0123456789abcdef'
  const system = { package_version: '1.2.0', script: 'export_model.py' }
  const files = {
    'experiments/experiments.json': JSON.stringify({ system, info: {}, mlflow: { experiments: [{ id: '3', name: 'tool' }] } }),
    'experiments/3/experiment.json': JSON.stringify({ system, mlflow: { experiment: { experiment_id: '3', name: 'tool', lifecycle_stage: 'active' }, runs: [run] } }),
    [`experiments/3/${run}/run.json`]: JSON.stringify({ system, mlflow: { info: { run_id: run, status: 'FINISHED', start_time: 1, artifact_uri: `mlflow-artifacts:/3/${run}/artifacts` }, params: {}, metrics: {}, tags: {} } }),
    [`experiments/3/${run}/artifacts/sk/MLmodel`]: 'flavors: {}\n',
    'models/models.json': JSON.stringify({ system, info: {}, mlflow: { models: ['wine'] } }),
    'models/wine/model.json': JSON.stringify({ system, info: {}, mlflow: { registered_model: {
      name: 'wine', creation_timestamp: 10, last_updated_timestamp: 11, description: 'd', tags: [{ key: 'k', value: 'v' }], aliases: [{ alias: 'prod', version: '4' }],
      versions: [{ name: 'wine', version: '4', creation_timestamp: 10, last_updated_timestamp: 11, current_stage: 'Archived', source: `mlflow-artifacts:/3/${run}/artifacts/sk`,
        run_id: run, status: 'READY', tags: { t: '1' }, aliases: ['best'], _run_artifact_uri: `mlflow-artifacts:/3/${run}/artifacts`, _experiment_name: 'tool' }],
    } } }),
    'manifest.json': JSON.stringify({ system, info: {}, mlflow: {} }),
  }
  const { uri } = freshStore()
  const result = await importArchive(zipFiles(files), { trackingUri: uri })
  expect(result).toMatchObject({ format: 'export-import', registeredModelsCreated: ['wine'], modelVersionsImported: ['wine/4'] })
  const client = new MlflowClient(uri)
  const model = await client.getRegisteredModel('wine')
  expect(model).toMatchObject({ description: 'd', tags: { k: 'v' } })
  expect(model.aliases).toEqual([{ alias: 'best', version: '4' }, { alias: 'prod', version: '4' }])
  expect(await client.getModelVersion('wine', 4)).toMatchObject({ currentStage: 'Archived', tags: { t: '1' }, source: `${(await client.getRun(run)).info.artifactUri}/sk` })
  expect(await resolveModelsUri('models:/wine@best', client)).toEqual({ runId: run, artifactPath: 'sk' })
})
