// Shared by the registry archive tests: a seeded local registry and what a user sees of it.
import type { ModelVersion, RegisteredModel } from '../../../src/core/types.ts'
import { resolveModelsUri } from '../../../src/models/registry-uri.ts'
import { storesFor } from '../../../src/store/uri.ts'
import { MlflowClient } from '../../../src/tracking/index.ts'
import { freshStore } from './helpers.ts'

export interface Seeded { uri: string; experimentId: string; runA: string; runB: string; outsideRun: string }

/** Two models: 'iris' (v1 Production from run A, v2 Staging from run B, v3 from a run not exported), 'elsewhere' (only an unexported run). */
export async function seed(): Promise<Seeded> {
  const { uri } = freshStore()
  const client = new MlflowClient(uri)
  const experimentId = await client.createExperiment('registry-trip')
  const otherExperiment = await client.createExperiment('not-exported')
  const runA = (await client.createRun(experimentId, { runName: 'a', startTime: 1_700_000_000_000 })).info.runId
  const runB = (await client.createRun(experimentId, { runName: 'b', startTime: 1_700_000_000_100 })).info.runId
  const outsideRun = (await client.createRun(otherExperiment, { runName: 'outside' })).info.runId
  for (const runId of [runA, runB, outsideRun]) await client.logText(runId, 'flavors: {}\n', 'model/MLmodel')
  await client.createRegisteredModel('iris', { tags: { team: 'vision', 'nested/key': 'x' }, description: 'Iris **classifier**' })
  await client.createModelVersion('iris', `runs:/${runA}/model`, runA, { tags: { quality: 'good' }, description: 'first' })
  await client.createModelVersion('iris', `runs:/${runB}/model`, runB, { runLink: 'http://example/run' })
  await client.createModelVersion('iris', `runs:/${outsideRun}/model`, outsideRun)
  await client.transitionModelVersionStage('iris', 1, 'Production')
  await client.transitionModelVersionStage('iris', 2, 'Staging')
  await client.setModelVersionTag('iris', 2, 'validated', 'yes')
  await client.setRegisteredModelAlias('iris', 'champion', 1)
  await client.setRegisteredModelAlias('iris', 'challenger', 2)
  await client.setRegisteredModelAlias('iris', 'outsider', 3)
  await client.createRegisteredModel('elsewhere')
  await client.createModelVersion('elsewhere', `runs:/${outsideRun}/model`, outsideRun)
  return { uri, experimentId, runA, runB, outsideRun }
}

/** What a user sees of a model, with each version's source as the run and path it resolves to. */
export async function registryView(uri: string) {
  const client = new MlflowClient(uri)
  const registry = storesFor(uri).registry!
  const models = (await registry.searchRegisteredModels({})).items
  const view = []
  for (const model of models) {
    const versions = (await client.searchModelVersions({ filter: `name = '${model.name}'` })).modelVersions
    view.push({ model: { ...model, latestVersions: model.latestVersions.map(strip) } as RegisteredModel, versions: await Promise.all(versions.sort((a, b) => Number(a.version) - Number(b.version)).map(async version => ({
      ...strip(version), location: await resolveModelsUri(`models:/${model.name}/${version.version}`, client),
    }))) })
  }
  return view
}
export const strip = ({ source: _source, ...rest }: ModelVersion) => rest
